//! Subscriptions move with the clock (DESIGN, "Subscriptions"): a trial or a term ends, an
//! active subscription with recurring billing renews (and is invoiced), one without expires,
//! passes to disabled after its grace period and is deleted after that; the administrators get a
//! mail before a trial or a term ends.
//!
//! Each subscription carries `due_at`, the next moment something is due. The job takes due rows
//! and moves each one step with ONE conditional update (`WHERE id = … AND status = … AND
//! due_at = …`): when several servers run the job, exactly one wins each step, and the loser's
//! update changes nothing. Every step is computed from the subscription's own dates, never from
//! the time the job runs, so a server that was down for a month catches up step by step
//! (renewing once per missed term, each with its invoice line).

use crate::{
    auth::kinds::OrgRole,
    billing::{LineKind, NewLine},
    error::AppError,
    services::types::{Status, DISABLED_DAYS, GRACE_DAYS, REMINDER_DAYS},
    state::{now, Db},
};
use sqlx::Row;
use std::time::Duration;

const DAY: i64 = 86_400;
/// Due subscriptions one pass takes.
const BATCH: i64 = 100;
/// How often a server looks for due subscriptions.
const EVERY: Duration = Duration::from_secs(60);

/// The end of a term of `months` starting at `start` (same day of month, or the month's last).
pub fn term_end(start: i64, months: i64) -> i64 {
    use time::{Month, OffsetDateTime};
    let Ok(at) = OffsetDateTime::from_unix_timestamp(start) else {
        return start + months * 30 * DAY;
    };
    let total = i64::from(at.year()) * 12 + i64::from(u8::from(at.month())) - 1 + months;
    let (year, month) = ((total / 12) as i32, (total % 12) as u8 + 1);
    let month = Month::try_from(month).unwrap_or(Month::January);
    let day = at.day().min(month.length(year));
    at.replace_day(1)
        .and_then(|d| d.replace_year(year))
        .and_then(|d| d.replace_month(month))
        .and_then(|d| d.replace_day(day))
        .map(|d| d.unix_timestamp())
        .unwrap_or(start + months * 30 * DAY)
}

/// The next moment the job has something to do for a subscription in `status` whose trial or
/// term ends at `ends_at`: the reminder (unless it was sent for this end), then the end itself,
/// then the ends of the grace and disabled periods. None: nothing is ever due.
pub fn next_due(status: Status, ends_at: i64, reminded_for: Option<i64>) -> Option<i64> {
    match status {
        Status::Trial | Status::Active if reminded_for != Some(ends_at) => {
            Some(ends_at - REMINDER_DAYS * DAY)
        }
        Status::Trial | Status::Active => Some(ends_at),
        Status::Pending => Some(ends_at),
        Status::Expired => Some(ends_at + GRACE_DAYS * DAY),
        Status::Disabled => Some(ends_at + (GRACE_DAYS + DISABLED_DAYS) * DAY),
        Status::Cancelled | Status::Deleted => None,
    }
}

struct Due {
    id: i64,
    organization_id: i64,
    status: Status,
    ends_at: i64,
    due_at: i64,
    reminded_for: Option<i64>,
    recurring: bool,
    quantity: i64,
    offer: String,
    service: String,
    price_minor: i64,
    currency: String,
    period_months: i64,
}

/// What one step does to a due subscription.
enum Step {
    Remind,
    Renew { ends_at: i64 },
    Become(Status),
}

/// The step due for `sub` at `at`. A reminder is sent only while the end is still ahead: a
/// server that was down past the end goes straight to the end's step.
fn step(sub: &Due, at: i64) -> Step {
    let reminder_due = matches!(sub.status, Status::Trial | Status::Active)
        && sub.reminded_for != Some(sub.ends_at)
        && at < sub.ends_at;
    match sub.status {
        _ if reminder_due => Step::Remind,
        Status::Active if sub.recurring => Step::Renew {
            ends_at: term_end(sub.ends_at, sub.period_months),
        },
        Status::Trial | Status::Active => Step::Become(Status::Expired),
        Status::Pending => Step::Become(Status::Active),
        Status::Expired => Step::Become(Status::Disabled),
        _ => Step::Become(Status::Deleted),
    }
}

/// Runs every step due at `at` (the clock, or a test's); answers how many steps it made.
pub async fn run_due(db: &Db, at: i64) -> Result<usize, AppError> {
    let mut made = 0;
    loop {
        let due = take_due(db, at).await?;
        if due.is_empty() {
            return Ok(made);
        }
        let mut moved = 0;
        for sub in &due {
            if apply(db, sub, at).await? {
                moved += 1;
            }
        }
        made += moved;
        // Every row of this batch was moved by another server: what is left is theirs.
        if moved == 0 {
            return Ok(made);
        }
    }
}

async fn take_due(db: &Db, at: i64) -> Result<Vec<Due>, AppError> {
    let rows = sqlx::query(
        "SELECT s.id, s.organization_id, s.status, s.ends_at, s.due_at, s.reminded_for, \
           s.recurring, s.quantity, o.name AS offer, sv.name AS service, o.price_minor, \
           o.currency, o.period_months \
         FROM subscriptions s JOIN offers o ON o.id = s.offer_id \
         JOIN services sv ON sv.id = s.service_id \
         WHERE s.due_at <= $1 ORDER BY s.due_at, s.id LIMIT $2",
    )
    .bind(at)
    .bind(BATCH)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Due {
                id: r.try_get("id")?,
                organization_id: r.try_get("organization_id")?,
                status: crate::db::column(r, "status", Status::parse)?,
                ends_at: r.try_get("ends_at")?,
                due_at: r.try_get("due_at")?,
                reminded_for: r.try_get("reminded_for")?,
                recurring: r.try_get::<i64, _>("recurring")? != 0,
                quantity: r.try_get("quantity")?,
                offer: r.try_get("offer")?,
                service: r.try_get("service")?,
                price_minor: r.try_get("price_minor")?,
                currency: r.try_get("currency")?,
                period_months: r.try_get("period_months")?,
            })
        })
        .collect()
}

/// Makes one step in its own transaction; false when another server made it first.
async fn apply(db: &Db, sub: &Due, at: i64) -> Result<bool, AppError> {
    let step = step(sub, at);
    let (status, ends_at, reminded_for) = match step {
        Step::Remind => (sub.status, sub.ends_at, Some(sub.ends_at)),
        Step::Renew { ends_at } => (Status::Active, ends_at, sub.reminded_for),
        Step::Become(status) => (status, sub.ends_at, sub.reminded_for),
    };
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "UPDATE subscriptions SET status = $1, ends_at = $2, reminded_for = $3, due_at = $4, \
           starts_at = CASE WHEN $5 = 1 THEN ends_at ELSE starts_at END, updated_at = $6 \
         WHERE id = $7 AND status = $8 AND due_at = $9 AND recurring = $10",
    )
    .bind(status.as_str())
    .bind(ends_at)
    .bind(reminded_for)
    .bind(next_due(status, ends_at, reminded_for))
    .bind(i64::from(matches!(step, Step::Renew { .. })))
    .bind(now())
    .bind(sub.id)
    .bind(sub.status.as_str())
    .bind(sub.due_at)
    // Recurring billing turned on or off since the row was read: the step is decided again.
    .bind(i64::from(sub.recurring))
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() != 1 {
        return Ok(false);
    }
    match step {
        Step::Remind => {
            let to = crate::auth::organization::admin_addresses(
                &mut tx,
                sub.organization_id,
                &[OrgRole::Global, OrgRole::Billing],
            )
            .await?;
            let (subject, body) = reminder(sub);
            crate::mail::enqueue_many(&mut tx, &to, &subject, &body).await?;
        }
        Step::Renew { .. } => {
            let line = NewLine {
                kind: LineKind::Renewal,
                description: format!("{} — renewed automatically", sub.offer),
                quantity: sub.quantity,
                unit_price_minor: sub.price_minor,
            };
            crate::billing::issue(
                &mut tx,
                sub.organization_id,
                sub.id,
                &sub.currency,
                vec![line],
            )
            .await?;
        }
        Step::Become(_) => {}
    }
    tx.commit().await?;
    tracing::info!(
        subscription = sub.id,
        from = sub.status.as_str(),
        to = status.as_str(),
        "subscription step"
    );
    Ok(true)
}

fn reminder(sub: &Due) -> (String, String) {
    let when = crate::components::format_date(Some(sub.ends_at));
    let (subject, what) = match (sub.status, sub.recurring) {
        (Status::Trial, _) => (
            format!("Your trial of {} ends on {when}", sub.service),
            format!("The trial of {} ({}) ends on {when}. Upgrade it on the Services page to keep using it; otherwise it expires then.", sub.service, sub.offer),
        ),
        (_, true) => (
            format!("{} renews on {when}", sub.service),
            format!("The subscription {} renews on {when} and is invoiced then. Turn recurring billing off on the Services page if you do not want it to renew.", sub.offer),
        ),
        (_, false) => (
            format!("{} ends on {when}", sub.service),
            format!("The subscription {} ends on {when} and recurring billing is off. Renew it or turn recurring billing on, on the Services page; after it ends, users keep access for {GRACE_DAYS} days.", sub.offer),
        ),
    };
    (subject, format!("{what}\n\nServices Hub\n"))
}

/// The job on every server: one pass a minute, until `stop` changes (the server's graceful
/// shutdown lets a pass under way finish). Several servers may run it at once.
pub fn spawn(db: Db, mut stop: tokio::sync::watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(error) = run_due(&db, now()).await {
                tracing::warn!(%error, "subscription lifecycle pass failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(EVERY) => {}
                _ = stop.changed() => break,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_keep_the_day_of_month() {
        // 2026-01-31 + 1 month = 2026-02-28; + 12 months = 2027-01-31.
        let jan31 = 1_769_817_600;
        assert_eq!(term_end(jan31, 1), 1_772_236_800);
        assert_eq!(term_end(jan31, 12), 1_801_353_600);
    }

    #[test]
    fn the_reminder_comes_before_the_end() {
        assert_eq!(next_due(Status::Trial, 100 * DAY, None), Some(93 * DAY));
        assert_eq!(
            next_due(Status::Trial, 100 * DAY, Some(100 * DAY)),
            Some(100 * DAY)
        );
        assert_eq!(next_due(Status::Expired, 0, None), Some(30 * DAY));
        assert_eq!(next_due(Status::Cancelled, 0, None), None);
    }
}
