//! Writing and reading the audit log (server only).

use crate::{
    audit::{AuditPage, AuditRow, PAGE_SIZE},
    auth::guard::WorkspaceScope,
    error::AppError,
    state::Db,
};
use sqlx::Row;

/// A workspace's log, newest first, one page of it: the workspace's own entries and, for the
/// agreement's Services Administrators and staff, the agreement's entries that belong to no
/// workspace (the agreement created, its contacts named). Each part is read in its index's
/// order and the two are merged (UNION ALL with ORDER BY), so a page never sorts the whole log.
pub async fn list(db: &Db, scope: &WorkspaceScope, page: i64) -> Result<AuditPage, AppError> {
    let page = page.clamp(1, crate::db::MAX_PAGE);
    let agreement_wide = i64::from(scope.is_services_admin || scope.is_staff);
    let part = |columns: &str| {
        format!(
            "SELECT {columns} FROM audit_log WHERE workspace_id = $1 \
             UNION ALL SELECT {columns} FROM audit_log \
             WHERE $3 = 1 AND agreement_id = $2 AND workspace_id IS NULL"
        )
    };
    let total: i64 = sqlx::query(&format!(
        "SELECT COUNT(*) AS n FROM ({}) entries",
        part("id")
    ))
    .bind(scope.workspace_id)
    .bind(scope.agreement_id)
    .bind(agreement_wide)
    .fetch_one(db.pool())
    .await?
    .try_get("n")?;
    let rows = sqlx::query(&format!(
        "{} ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5",
        part("id, actor_label, action, object_type, object_id, detail, ip, created_at")
    ))
    .bind(scope.workspace_id)
    .bind(scope.agreement_id)
    .bind(agreement_wide)
    .bind(PAGE_SIZE)
    .bind((page - 1) * PAGE_SIZE)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(|r| -> Result<AuditRow, AppError> {
        Ok(AuditRow {
            at: r.try_get("created_at")?,
            who: r.try_get("actor_label")?,
            action: r.try_get("action")?,
            object_type: r.try_get("object_type")?,
            object_id: r.try_get("object_id")?,
            detail: r.try_get("detail")?,
            ip: r.try_get("ip")?,
        })
    })
    .collect::<Result<Vec<_>, _>>()?;
    Ok(AuditPage {
        workspace_id: scope.workspace_id,
        workspace_name: scope.workspace_name.clone(),
        rows,
        total,
        page,
        page_size: PAGE_SIZE,
    })
}
