//! Writing and reading the audit log (server only).

use crate::{
    audit::{AuditPage, AuditRow, OrganizationAuditPage, PAGE_SIZE},
    auth::guard::{OrganizationScope, WorkspaceScope},
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
    .iter()
    .map(row)
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

fn row(r: &sqlx::any::AnyRow) -> Result<AuditRow, AppError> {
    Ok(AuditRow {
        at: r.try_get("created_at")?,
        who: r.try_get("actor_label")?,
        action: r.try_get("action")?,
        object_type: r.try_get("object_type")?,
        object_id: r.try_get("object_id")?,
        detail: r.try_get("detail")?,
        ip: r.try_get("ip")?,
    })
}

/// An organization's own log, newest first, one page of it: the entries of no agreement and no
/// workspace (those have their own logs), read in the order of `audit_log_organization`.
pub async fn list_organization(
    db: &Db,
    scope: &OrganizationScope,
    page: i64,
) -> Result<OrganizationAuditPage, AppError> {
    const OWN: &str = "FROM audit_log WHERE organization_id = $1 \
         AND workspace_id IS NULL AND agreement_id IS NULL";
    let page = page.clamp(1, crate::db::MAX_PAGE);
    let total: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n {OWN}"))
        .bind(scope.organization_id)
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let rows = sqlx::query(&format!(
        "SELECT id, actor_label, action, object_type, object_id, detail, ip, created_at {OWN} \
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(scope.organization_id)
    .bind(PAGE_SIZE)
    .bind((page - 1) * PAGE_SIZE)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(row)
    .collect::<Result<Vec<_>, _>>()?;
    Ok(OrganizationAuditPage {
        organization_name: scope.organization_name.clone(),
        rows,
        total,
        page,
        page_size: PAGE_SIZE,
    })
}
