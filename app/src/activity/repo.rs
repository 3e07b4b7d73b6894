//! Queries of Customer Activity (server only). The workspaces read are exactly those the guard
//! authorized; every figure comes from one query over all of them (an `IN` list of ids), and the
//! case figures from the aggregates kept by `cases::repo`, so nothing scans the cases.

use crate::db::placeholders;
use crate::{
    activity::{
        Activity, AgreementLine, DateRange, Delivery, FeedEntry, MonthCount, SeverityCount,
        StatusCount, WorkspaceOption, ALL, FEED_SIZE,
    },
    auth::{
        audit::{self as audit, Actor, Entry},
        guard::{Permission, WorkspaceScope},
        session::Caller,
    },
    cases::{CaseStatus, Severity},
    error::{AppError, FieldErrors},
    state::{now, AppState, Db},
    workspaces::{AgreementStatus, AgreementType, BenefitKind},
};
use sqlx::Row;
use std::collections::HashMap;

/// The most deliveries listed (the credits used count all of them).
const MAX_DELIVERIES: i64 = 200;

pub fn today() -> time::Date {
    time::OffsetDateTime::from_unix_timestamp(now())
        .map(|t| t.date())
        .unwrap_or(time::Date::MIN)
}

/// The workspaces a request names, before any rights are checked: one id, or "all" = every
/// workspace the caller may open (their own list, never ids from the request). The caller's
/// rights in each are the guard's to decide (`activity::authorized_load`).
pub struct Requested {
    pub ids: Vec<i64>,
    pub options: Vec<WorkspaceOption>,
    pub can_aggregate: bool,
    pub selected: String,
}

pub async fn requested(db: &Db, caller: &Caller, workspace: &str) -> Result<Requested, AppError> {
    let mine = crate::workspaces::open_to(db, caller).await?;
    let can_aggregate = mine.items.len() > 1;
    let options: Vec<WorkspaceOption> = mine
        .items
        .iter()
        .map(|w| WorkspaceOption {
            id: w.id,
            name: w.name.clone(),
            organization: w.organization.clone(),
        })
        .collect();
    let requested = workspace.trim();
    let (ids, selected): (Vec<i64>, String) = if requested == ALL && can_aggregate {
        (options.iter().map(|w| w.id).collect(), ALL.to_owned())
    } else if requested.is_empty() || requested == ALL {
        // One workspace (or none): "All Workspaces" is not offered; show the current one.
        let id = mine.current.ok_or(AppError::NotFound)?;
        (vec![id], id.to_string())
    } else {
        let id = requested.parse::<i64>().map_err(|_| AppError::NotFound)?;
        (vec![id], id.to_string())
    };
    Ok(Requested {
        ids,
        options,
        can_aggregate,
        selected,
    })
}

/// Customer Activity of the workspaces the guard authorized, for a date range.
pub async fn load(
    db: &Db,
    caller: &Caller,
    scopes: &[WorkspaceScope],
    request: Requested,
    range: &DateRange,
) -> Result<Activity, AppError> {
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    figures(
        db,
        caller,
        scopes,
        range,
        request.options,
        request.can_aggregate,
        request.selected,
    )
    .await
}

pub async fn figures(
    db: &Db,
    caller: &Caller,
    scopes: &[WorkspaceScope],
    range: &DateRange,
    workspaces: Vec<WorkspaceOption>,
    can_aggregate: bool,
    selected: String,
) -> Result<Activity, AppError> {
    let ids: Vec<i64> = scopes.iter().map(|s| s.workspace_id).collect();
    let names: HashMap<i64, String> = scopes
        .iter()
        .map(|s| (s.workspace_id, s.workspace_name.clone()))
        .collect();
    let name_of = |id: i64| names.get(&id).cloned().unwrap_or_default();
    let n = ids.len();
    let (start, end) = range.bounds();
    let (from_iso, to_iso) = (range.from_iso(), range.to_iso());

    // The agreements, one line each.
    let mut agreement_ids: Vec<i64> = scopes.iter().map(|s| s.agreement_id).collect();
    agreement_ids.sort_unstable();
    agreement_ids.dedup();
    let sql = format!(
        "SELECT a.id, a.agreement_type, a.status, a.starts_on, a.ends_on, o.name AS organization \
         FROM agreements a JOIN organizations o ON o.id = a.organization_id \
         WHERE a.id IN ({}) ORDER BY o.name, a.id",
        placeholders(1, agreement_ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in &agreement_ids {
        query = query.bind(*id);
    }
    let agreements = query
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| -> Result<AgreementLine, AppError> {
            Ok(AgreementLine {
                agreement_id: r.try_get("id")?,
                organization: r.try_get("organization")?,
                agreement_type: crate::db::column(&r, "agreement_type", AgreementType::parse)?,
                status: crate::db::column(&r, "status", AgreementStatus::parse)?,
                starts_on: r.try_get("starts_on")?,
                ends_on: r.try_get("ends_on")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;

    // Staff time on the workspaces' cases in the range, per workspace.
    let sql = format!(
        "SELECT c.workspace_id, CAST(COALESCE(SUM(e.minutes), 0) AS BIGINT) AS minutes \
         FROM case_events e JOIN cases c ON c.id = e.case_id \
         WHERE e.kind = 'time' AND e.created_at >= $1 AND e.created_at < $2 \
           AND c.workspace_id IN ({}) GROUP BY c.workspace_id",
        placeholders(3, n)
    );
    let mut query = sqlx::query(&sql).bind(start).bind(end);
    for id in &ids {
        query = query.bind(*id);
    }
    let minutes: HashMap<i64, i64> = query
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("workspace_id")?, r.try_get("minutes")?)))
        .collect::<Result<_, AppError>>()?;

    // Proactive credits delivered in the range, per workspace.
    let sql = format!(
        "SELECT workspace_id, CAST(COALESCE(SUM(credits), 0) AS BIGINT) AS credits \
         FROM proactive_deliveries \
         WHERE delivered_on >= $1 AND delivered_on <= $2 AND workspace_id IN ({}) \
         GROUP BY workspace_id",
        placeholders(3, n)
    );
    let mut query = sqlx::query(&sql).bind(&from_iso).bind(&to_iso);
    for id in &ids {
        query = query.bind(*id);
    }
    let credits: HashMap<i64, i64> = query
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("workspace_id")?, r.try_get("credits")?)))
        .collect::<Result<_, AppError>>()?;

    // The benefits assigned to the workspaces: allotted, used, remaining (negative = over).
    let sql = format!(
        "SELECT workspace_id, kind, name, allotment FROM benefits WHERE workspace_id IN ({}) \
         ORDER BY workspace_id, kind, name, id",
        placeholders(1, n)
    );
    let mut query = sqlx::query(&sql);
    for id in &ids {
        query = query.bind(*id);
    }
    let benefit_rows = query.fetch_all(db.pool()).await?;
    let mut benefits = Vec::with_capacity(benefit_rows.len());
    for r in &benefit_rows {
        let workspace_id: i64 = r.try_get("workspace_id")?;
        let kind = crate::db::column(&r, "kind", BenefitKind::parse)?;
        let allotted = r.try_get::<i64, _>("allotment")? as f64;
        let used = match kind {
            BenefitKind::ReactiveHours => {
                minutes.get(&workspace_id).copied().unwrap_or(0) as f64 / 60.0
            }
            BenefitKind::ProactiveCredits => {
                credits.get(&workspace_id).copied().unwrap_or(0) as f64
            }
            BenefitKind::AddOn => 0.0,
        };
        benefits.push(crate::activity::BenefitLine {
            workspace: name_of(workspace_id),
            kind,
            name: r.try_get("name")?,
            allotted,
            used,
            remaining: allotted - used,
        });
    }

    // Cases opened in the range's months, by their current status and severity, from the
    // maintained aggregate.
    let month_keys = range.months();
    let (first_month, last_month) = (
        month_keys.first().cloned().unwrap_or_default(),
        month_keys.last().cloned().unwrap_or_default(),
    );
    let sql = format!(
        "SELECT status, severity, CAST(SUM(n) AS BIGINT) AS n FROM case_counts \
         WHERE month >= $1 AND month <= $2 AND workspace_id IN ({}) GROUP BY status, severity",
        placeholders(3, n)
    );
    let mut query = sqlx::query(&sql).bind(&first_month).bind(&last_month);
    for id in &ids {
        query = query.bind(*id);
    }
    let mut by_status: Vec<StatusCount> = CaseStatus::ALL
        .into_iter()
        .map(|status| StatusCount { status, n: 0 })
        .collect();
    let mut by_severity: Vec<SeverityCount> = Severity::ALL
        .into_iter()
        .map(|severity| SeverityCount { severity, n: 0 })
        .collect();
    for r in query.fetch_all(db.pool()).await? {
        let count: i64 = r.try_get("n")?;
        let status = CaseStatus::parse(&r.try_get::<String, _>("status")?).ok();
        let severity = Severity::parse(&r.try_get::<String, _>("severity")?).ok();
        if let Some(line) = by_status.iter_mut().find(|c| Some(c.status) == status) {
            line.n += count;
        }
        if let Some(line) = by_severity
            .iter_mut()
            .find(|c| Some(c.severity) == severity)
        {
            line.n += count;
        }
    }

    // Opened and closed per month of the range.
    let sql = format!(
        "SELECT month, CAST(SUM(opened) AS BIGINT) AS opened, CAST(SUM(closed) AS BIGINT) AS closed \
         FROM case_months WHERE month >= $1 AND month <= $2 AND workspace_id IN ({}) \
         GROUP BY month",
        placeholders(3, n)
    );
    let mut query = sqlx::query(&sql).bind(&first_month).bind(&last_month);
    for id in &ids {
        query = query.bind(*id);
    }
    let found: HashMap<String, (i64, i64)> = query
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("month")?,
                (r.try_get("opened")?, r.try_get("closed")?),
            ))
        })
        .collect::<Result<_, AppError>>()?;
    let months = month_keys
        .into_iter()
        .map(|month| {
            let (opened, closed) = found.get(&month).copied().unwrap_or((0, 0));
            MonthCount {
                month,
                opened,
                closed,
            }
        })
        .collect();

    // Proactive services delivered in the range.
    let sql = format!(
        "SELECT d.workspace_id, d.name, d.delivered_on, d.credits, d.minutes, \
           COALESCE(a.display_name, '') AS recorded_by \
         FROM proactive_deliveries d LEFT JOIN accounts a ON a.id = d.recorded_by \
         WHERE d.delivered_on >= $1 AND d.delivered_on <= $2 AND d.workspace_id IN ({}) \
         ORDER BY d.delivered_on DESC, d.id DESC LIMIT {MAX_DELIVERIES}",
        placeholders(3, n)
    );
    let mut query = sqlx::query(&sql).bind(&from_iso).bind(&to_iso);
    for id in &ids {
        query = query.bind(*id);
    }
    let deliveries = query
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| -> Result<Delivery, AppError> {
            Ok(Delivery {
                workspace: name_of(r.try_get("workspace_id")?),
                name: r.try_get("name")?,
                delivered_on: r.try_get("delivered_on")?,
                credits: r.try_get("credits")?,
                minutes: r.try_get("minutes")?,
                recorded_by: r.try_get("recorded_by")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;

    // Users who joined in the range.
    let sql = format!(
        "SELECT COUNT(*) AS n FROM memberships \
         WHERE created_at >= $1 AND created_at < $2 AND workspace_id IN ({})",
        placeholders(3, n)
    );
    let mut query = sqlx::query(&sql).bind(start).bind(end);
    for id in &ids {
        query = query.bind(*id);
    }
    let users_joined: i64 = query.fetch_one(db.pool()).await?.try_get("n")?;

    // The latest entries of the workspaces' audit log, each only to who may read it elsewhere:
    // where the caller reads the audit log (administrators, the agreement's staff), everything;
    // elsewhere the deliveries and benefits this page shows anyway, and an entry about a case
    // only to who sees that case (in workspaces where the caller sees every case by role, all
    // of them; elsewhere those `member_sees`). Invitations, members and groups stay with the
    // audit log's readers.
    let in_list = |first: usize, ids: &[i64]| {
        if ids.is_empty() {
            "1 = 0".to_owned()
        } else {
            format!("al.workspace_id IN ({})", placeholders(first, ids.len()))
        }
    };
    let audit_readers: Vec<i64> = scopes
        .iter()
        .filter(|s| s.can(Permission::ViewAudit))
        .map(|s| s.workspace_id)
        .collect();
    let all_cases: Vec<i64> = scopes
        .iter()
        .filter(|s| crate::cases::sees_all(s))
        .map(|s| s.workspace_id)
        .collect();
    let sql = format!(
        "SELECT al.workspace_id, al.actor_label, al.action, al.detail, al.created_at \
         FROM audit_log al WHERE al.workspace_id IN ({}) AND ({} \
           OR al.object_type IN ('proactive_delivery', 'benefit') \
           OR (al.object_type = 'case' AND ({} \
             OR EXISTS (SELECT 1 FROM cases c WHERE c.id = al.object_id \
               AND c.workspace_id = al.workspace_id AND {})))) \
         ORDER BY al.created_at DESC, al.id DESC LIMIT {FEED_SIZE}",
        placeholders(2, n),
        in_list(2 + n, &audit_readers),
        in_list(2 + n + audit_readers.len(), &all_cases),
        crate::cases::member_sees("$1")
    );
    let mut query = sqlx::query(&sql).bind(caller.account_id);
    for id in ids.iter().chain(&audit_readers).chain(&all_cases) {
        query = query.bind(*id);
    }
    let feed = query
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| -> Result<FeedEntry, AppError> {
            Ok(FeedEntry {
                at: r.try_get("created_at")?,
                workspace: name_of(r.try_get::<Option<i64>, _>("workspace_id")?.unwrap_or(0)),
                who: r.try_get("actor_label")?,
                action: r.try_get("action")?,
                detail: r.try_get("detail")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;

    let single = scopes.first().filter(|_| scopes.len() == 1);
    Ok(Activity {
        selected_name: match single {
            Some(scope) if selected != ALL => scope.workspace_name.clone(),
            _ => "All Workspaces".to_owned(),
        },
        selected,
        from: from_iso,
        to: to_iso,
        can_aggregate,
        workspaces,
        agreements,
        benefits,
        by_status,
        by_severity,
        months,
        deliveries,
        users_joined,
        feed,
        can_record: single.is_some_and(|s| s.can(Permission::ManageBenefits)),
    })
}

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
    let (Some(name), Some(delivered_on), Some(credits), Some(minutes)) =
        (name, delivered_on, credits, minutes)
    else {
        return Err(AppError::field("form", "The form was incomplete."));
    };
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
