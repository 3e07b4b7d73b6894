//! The case figures, read from the aggregates `cases::repo` keeps (`case_counts`,
//! `case_months`), so nothing scans the cases.

use crate::db::placeholders;
use crate::{
    activity::{DateRange, MonthCount, SeverityCount, StatusCount},
    cases::{CaseStatus, Severity},
    error::AppError,
};
use sqlx::Row;
use std::collections::HashMap;

use super::figures::Selection;

/// The first and last month of the range, as the aggregates key them.
fn month_bounds(month_keys: &[String]) -> (String, String) {
    (
        month_keys.first().cloned().unwrap_or_default(),
        month_keys.last().cloned().unwrap_or_default(),
    )
}

/// Cases opened in the range's months, by their current status and severity, from the
/// maintained aggregate.
pub(super) async fn case_counts(
    on: &Selection<'_>,
    range: &DateRange,
) -> Result<(Vec<StatusCount>, Vec<SeverityCount>), AppError> {
    let (first_month, last_month) = month_bounds(&range.months());
    let sql = format!(
        "SELECT status, severity, CAST(SUM(n) AS BIGINT) AS n FROM case_counts \
         WHERE month >= $1 AND month <= $2 AND workspace_id IN ({}) GROUP BY status, severity",
        placeholders(3, on.ids.len())
    );
    let mut query = sqlx::query(&sql).bind(&first_month).bind(&last_month);
    for id in &on.ids {
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
    for r in query.fetch_all(on.db.pool()).await? {
        let count: i64 = r.try_get("n")?;
        let status = crate::db::column(&r, "status", |s| CaseStatus::parse(s).ok())?;
        let severity = crate::db::column(&r, "severity", |s| Severity::parse(s).ok())?;
        if let Some(line) = by_status.iter_mut().find(|c| c.status == status) {
            line.n += count;
        }
        if let Some(line) = by_severity.iter_mut().find(|c| c.severity == severity) {
            line.n += count;
        }
    }
    Ok((by_status, by_severity))
}

/// Opened and closed per month of the range.
pub(super) async fn months(
    on: &Selection<'_>,
    range: &DateRange,
) -> Result<Vec<MonthCount>, AppError> {
    let month_keys = range.months();
    let (first_month, last_month) = month_bounds(&month_keys);
    let sql = format!(
        "SELECT month, CAST(SUM(opened) AS BIGINT) AS opened, CAST(SUM(closed) AS BIGINT) AS closed \
         FROM case_months WHERE month >= $1 AND month <= $2 AND workspace_id IN ({}) \
         GROUP BY month",
        placeholders(3, on.ids.len())
    );
    let mut query = sqlx::query(&sql).bind(&first_month).bind(&last_month);
    for id in &on.ids {
        query = query.bind(*id);
    }
    let found: HashMap<String, (i64, i64)> = query
        .fetch_all(on.db.pool())
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("month")?,
                (r.try_get("opened")?, r.try_get("closed")?),
            ))
        })
        .collect::<Result<_, AppError>>()?;
    Ok(month_keys
        .into_iter()
        .map(|month| {
            let (opened, closed) = found.get(&month).copied().unwrap_or((0, 0));
            MonthCount {
                month,
                opened,
                closed,
            }
        })
        .collect())
}
