//! The per-month aggregates of cases that Customer Activity reads (`case_counts`,
//! `case_months`), kept inside the transaction of each case change.

use crate::{cases::CaseStatus, db::Tx, error::AppError};

use super::visibility::Visible;

/// The calendar month (UTC) of a Unix time, as `case_months` keys it: 'YYYY-MM'.
pub fn month_of(at: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at)
        .map(|d| format!("{:04}-{:02}", d.year(), u8::from(d.month())))
        .unwrap_or_else(|_| "1970-01".to_owned())
}

/// Adds `delta` to the count of cases opened in the month of `opened_at` with one status and
/// severity (Customer Activity), inside the transaction of the case change itself.
pub(super) async fn bump_count(
    tx: &mut Tx,
    workspace_id: i64,
    opened_at: i64,
    status: CaseStatus,
    severity: &str,
    delta: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO case_counts (workspace_id, month, status, severity, n) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (workspace_id, month, status, severity) \
         DO UPDATE SET n = case_counts.n + excluded.n",
    )
    .bind(workspace_id)
    .bind(month_of(opened_at))
    .bind(status.as_str())
    .bind(severity)
    .bind(delta)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds to the cases opened and closed in the month of `at`.
pub(super) async fn bump_month(
    tx: &mut Tx,
    workspace_id: i64,
    at: i64,
    opened: i64,
    closed: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO case_months (workspace_id, month, opened, closed) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (workspace_id, month) DO UPDATE SET opened = case_months.opened + excluded.opened, \
           closed = case_months.closed + excluded.closed",
    )
    .bind(workspace_id)
    .bind(month_of(at))
    .bind(opened)
    .bind(closed)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves a case from its stored status to `status` in the aggregates, `now` being the change.
pub(super) async fn recount(
    tx: &mut Tx,
    workspace_id: i64,
    case: &Visible,
    status: CaseStatus,
    now: i64,
) -> Result<(), AppError> {
    let (ws, opened) = (workspace_id, case.opened_at);
    bump_count(tx, ws, opened, case.status, &case.severity, -1).await?;
    bump_count(tx, ws, opened, status, &case.severity, 1).await?;
    // A case counts as closed once, in the month of its current closing: reopening takes it
    // out of the month it was closed in.
    if let Some(closed_at) = case.closed_at.filter(|_| case.status == CaseStatus::Closed) {
        bump_month(tx, ws, closed_at, 0, -1).await?;
    }
    if status == CaseStatus::Closed {
        bump_month(tx, ws, now, 0, 1).await?;
    }
    Ok(())
}
