//! Who sees a case, decided in one place: every read (list, count, detail, the check before a
//! write) pins the case to the workspace the guard authorized and applies `VISIBLE`.

use crate::{
    auth::{guard::WorkspaceScope, session::Caller},
    cases::CaseStatus,
    db::Tx,
    error::AppError,
};
use sqlx::Row;

use super::read::status_of;

/// What a member sees of the workspace's cases, by person rather than by role: the cases they
/// opened, those shared with them or with a group of theirs, and all of them when they hold
/// "View all support requests". `account` is the caller's parameter (`$2`, …). Customer
/// Activity's feed uses it too, so both agree on who sees a case.
pub fn member_sees(account: &str) -> String {
    format!(
        "(c.opened_by = {account} \
  OR EXISTS (SELECT 1 FROM case_shares s WHERE s.case_id = c.id AND s.account_id = {account}) \
  OR EXISTS (SELECT 1 FROM case_group_shares gs \
    JOIN group_members gm ON gm.group_id = gs.group_id \
    WHERE gs.case_id = c.id AND gm.account_id = {account}) \
  OR EXISTS (SELECT 1 FROM memberships vm WHERE vm.workspace_id = c.workspace_id \
    AND vm.account_id = {account} AND vm.view_all_cases = 1))"
    )
}

/// The visibility of case `c`: $1 the workspace, $2 the caller's account, $3 1 when the caller
/// sees every case of the workspace by role (its administrators, the agreement's staff),
/// otherwise what `member_sees` allows.
pub(super) static VISIBLE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!("c.workspace_id = $1 AND ($3 = 1 OR {})", member_sees("$2"))
});

/// 1 when the caller's role shows them every case of the workspace.
pub fn sees_all(scope: &WorkspaceScope) -> i64 {
    i64::from(scope.is_workspace_admin || scope.is_services_admin || scope.is_staff)
}

pub(super) fn is_admin(scope: &WorkspaceScope) -> bool {
    scope.is_workspace_admin || scope.is_services_admin
}

/// The case as the write needs it, if the caller may see it (inside the write's transaction).
pub(super) struct Visible {
    pub(super) title: String,
    pub(super) severity: String,
    pub(super) opened_by: i64,
    pub(super) status: CaseStatus,
    pub(super) opened_at: i64,
    pub(super) closed_at: Option<i64>,
}

pub(super) async fn visible(
    tx: &mut Tx,
    scope: &WorkspaceScope,
    caller: &Caller,
    case_id: i64,
) -> Result<Visible, AppError> {
    let row = sqlx::query(&format!(
        "SELECT c.title, c.severity, c.opened_by, c.status, c.opened_at, c.closed_at \
         FROM cases c WHERE c.id = $4 AND {}",
        VISIBLE.as_str()
    ))
    .bind(scope.workspace_id)
    .bind(caller.account_id)
    .bind(sees_all(scope))
    .bind(case_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Visible {
        title: row.try_get("title")?,
        severity: row.try_get("severity")?,
        opened_by: row.try_get("opened_by")?,
        status: status_of(&row)?,
        opened_at: row.try_get("opened_at")?,
        closed_at: row.try_get("closed_at")?,
    })
}

/// `NotFound` unless the caller sees case `case_id` of the scope's workspace: the live-update
/// stream's check before it opens, the same predicate as every read.
pub async fn check_visible(
    db: &crate::state::Db,
    scope: &WorkspaceScope,
    caller: &Caller,
    case_id: i64,
) -> Result<(), AppError> {
    sqlx::query(&format!(
        "SELECT c.id FROM cases c WHERE c.id = $4 AND {}",
        VISIBLE.as_str()
    ))
    .bind(scope.workspace_id)
    .bind(caller.account_id)
    .bind(sees_all(scope))
    .bind(case_id)
    .fetch_optional(db.pool())
    .await?
    .map(|_| ())
    .ok_or(AppError::NotFound)
}
