//! Proactive services delivered: the form's input, parsed, and the write.

use crate::{
    activity::DateRange,
    auth::{
        audit::{self as audit, Actor, Entry},
        guard::WorkspaceScope,
        session::Caller,
    },
    error::{AppError, FieldErrors},
    state::{now, AppState},
};
use sqlx::Row;

use super::today;

/// A proactive service delivered, as the form sent it.
pub struct DeliveryInput<'a> {
    pub name: &'a str,
    pub delivered_on: &'a str,
    pub credits: &'a str,
    /// Hours, e.g. "1.5"; empty = none.
    pub hours: &'a str,
}

/// The most hours one delivery records.
const MAX_DELIVERY_HOURS: i64 = 1_000;

/// "1.5" hours as minutes: a number from 0 to 1,000 with at most two decimals; empty = 0.
pub fn parse_hours(input: &str) -> Result<i64, String> {
    let message =
        || format!("Enter the hours as a number from 0 to {MAX_DELIVERY_HOURS}, for example 1.5.");
    let input = input.trim();
    if input.is_empty() {
        return Ok(0);
    }
    let (whole, fraction) = input.split_once('.').unwrap_or((input, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > 2
        || whole.len() > 4
    {
        return Err(message());
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| message())?
    };
    let hundredths: i64 = format!("{fraction:0<2}").parse().map_err(|_| message())?;
    let minutes = whole * 60 + (hundredths * 60 + 50) / 100;
    if whole > MAX_DELIVERY_HOURS || (whole == MAX_DELIVERY_HOURS && hundredths > 0) {
        return Err(message());
    }
    Ok(minutes)
}

/// Records a proactive service delivered (the guard has checked ManageBenefits), with its audit
/// entry, in one transaction.
pub async fn record_delivery(
    state: &AppState,
    caller: &Caller,
    scope: &WorkspaceScope,
    input: DeliveryInput<'_>,
    ip: &str,
) -> Result<(), AppError> {
    let (name, delivered_on, credits, minutes) = parse_delivery(input)?;
    let mut tx = state.db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO proactive_deliveries (workspace_id, name, delivered_on, credits, minutes, \
           recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(scope.workspace_id)
    .bind(&name)
    .bind(&delivered_on)
    .bind(credits)
    .bind(minutes)
    .bind(caller.account_id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    audit::record(
        &mut tx,
        Entry {
            actor: Actor::Account {
                id: caller.account_id,
                label: &caller.display_name,
            },
            action: "delivery.record",
            object_type: "proactive_delivery",
            object_id: Some(id),
            organization_id: Some(scope.organization_id),
            agreement_id: Some(scope.agreement_id),
            workspace_id: Some(scope.workspace_id),
            detail: format!(
                "{name} delivered on {delivered_on} ({credits} credits, {} hours)",
                minutes as f64 / 60.0
            ),
            ip,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The form's fields checked at once: (name, delivered on as YYYY-MM-DD, credits, minutes).
fn parse_delivery(input: DeliveryInput<'_>) -> Result<(String, String, i64, i64), AppError> {
    let DeliveryInput {
        name,
        delivered_on,
        credits,
        hours,
    } = input;
    let mut errors = FieldErrors::default();
    let name = errors.check("name", {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
            Err("Enter the service's name (at most 200 characters).".to_owned())
        } else {
            Ok(name.to_owned())
        }
    });
    let delivered_on = errors.check(
        "delivered_on",
        DateRange::parse(delivered_on, delivered_on, today())
            .map(|r| r.from_iso())
            .map_err(|_| "Enter a date as YYYY-MM-DD, for example 2026-01-31.".to_owned()),
    );
    let credits = errors.check(
        "credits",
        credits
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|c| (0..=1_000_000).contains(c))
            .ok_or_else(|| "Enter a whole number of credits from 0 to 1,000,000.".to_owned()),
    );
    let minutes = errors.check("hours", parse_hours(hours));
    errors.into_result()?;
    match (name, delivered_on, credits, minutes) {
        (Some(name), Some(delivered_on), Some(credits), Some(minutes)) => {
            Ok((name, delivered_on, credits, minutes))
        }
        _ => Err(AppError::field("form", "The form was incomplete.")),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_hours;

    #[test]
    fn hours_become_minutes() {
        assert_eq!(parse_hours(""), Ok(0));
        assert_eq!(parse_hours(" 2 "), Ok(120));
        assert_eq!(parse_hours("1.5"), Ok(90));
        assert_eq!(parse_hours("0.25"), Ok(15));
        assert_eq!(parse_hours(".5"), Ok(30));
        assert_eq!(parse_hours("1000"), Ok(60_000));
        for bad in [".", "-1", "1.234", "1e3", "abc", "1000.5", "10000", "1,5"] {
            assert!(parse_hours(bad).is_err(), "{bad}");
        }
    }
}
