//! Writing and reading the audit log (server only).

use crate::{
    audit::{AuditPage, AuditRow, PAGE_SIZE},
    error::AppError,
    state::{now, Db},
    workspaces::access::WorkspaceScope,
};
use sqlx::{Any, Row, Transaction};

/// Who acted: a signed-in account, or the operator at the command line.
pub enum Actor<'a> {
    Account {
        id: i64,
        label: &'a str,
    },
    /// A person creating their own account (from an invitation): no account id exists yet.
    Registering {
        label: &'a str,
    },
    CommandLine,
}

pub struct Entry<'a> {
    pub actor: Actor<'a>,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub agreement_id: Option<i64>,
    pub workspace_id: Option<i64>,
    /// What changed, in words an administrator reads (an address, a name); never a secret.
    pub detail: String,
    pub ip: &'a str,
}

impl<'a> Entry<'a> {
    /// An action of a signed-in account on an object of one workspace (cases, members, groups):
    /// the workspace, its agreement and organization come from the guard's scope.
    pub fn in_workspace(
        caller: &'a crate::accounts::session::Caller,
        scope: &WorkspaceScope,
        action: &'a str,
        object: (&'a str, i64),
        detail: String,
        ip: &'a str,
    ) -> Self {
        Entry {
            actor: Actor::Account {
                id: caller.account_id,
                label: &caller.display_name,
            },
            action,
            object_type: object.0,
            object_id: Some(object.1),
            organization_id: Some(scope.organization_id),
            agreement_id: Some(scope.agreement_id),
            workspace_id: Some(scope.workspace_id),
            detail,
            ip,
        }
    }
}

/// Written inside the transaction of the action itself, so the log never disagrees with it.
pub async fn record(tx: &mut Transaction<'static, Any>, entry: Entry<'_>) -> sqlx::Result<()> {
    let (actor_id, actor_label) = match entry.actor {
        Actor::Account { id, label } => (Some(id), label.to_owned()),
        Actor::Registering { label } => (None, label.to_owned()),
        Actor::CommandLine => (None, "operator (command line)".to_owned()),
    };
    tracing::info!(
        actor = %actor_label,
        action = entry.action,
        object = entry.object_type,
        object_id = ?entry.object_id,
        "audit"
    );
    sqlx::query(
        "INSERT INTO audit_log (actor_account_id, actor_label, action, object_type, object_id, \
         organization_id, agreement_id, workspace_id, detail, ip, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(actor_id)
    .bind(actor_label)
    .bind(entry.action)
    .bind(entry.object_type)
    .bind(entry.object_id)
    .bind(entry.organization_id)
    .bind(entry.agreement_id)
    .bind(entry.workspace_id)
    .bind(&entry.detail)
    .bind(entry.ip)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The highest page number a request may ask for (keeps the offset far from overflow).
const MAX_PAGE: i64 = 1_000_000;

/// A workspace's log, newest first, one page of it: the workspace's own entries and, for the
/// agreement's Services Administrators and staff, the agreement's entries that belong to no
/// workspace (the agreement created, its contacts named). Two indexed queries, whatever the size.
pub async fn list(db: &Db, scope: &WorkspaceScope, page: i64) -> Result<AuditPage, AppError> {
    let page = page.clamp(1, MAX_PAGE);
    let agreement_wide = i64::from(scope.is_services_admin || scope.is_staff);
    let filter = "WHERE workspace_id = $1 \
         OR ($3 = 1 AND agreement_id = $2 AND workspace_id IS NULL)";
    let total: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM audit_log {filter}"))
        .bind(scope.workspace_id)
        .bind(scope.agreement_id)
        .bind(agreement_wide)
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let rows = sqlx::query(&format!(
        "SELECT actor_label, action, object_type, object_id, detail, ip, created_at \
         FROM audit_log {filter} ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5"
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
