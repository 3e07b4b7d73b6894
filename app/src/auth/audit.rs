//! Writing the audit log: who did which administrative action to what, from where. Every
//! domain writes its entries inside the transaction of the action itself; the audit domain
//! (`crate::audit`) reads them back.

use crate::{
    auth::{guard::WorkspaceScope, session::Caller},
    state::now,
};
use sqlx::{Any, Transaction};

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
    /// An action of a signed-in account on an object of its organization (roles, subscriptions,
    /// licenses): no workspace, so the organization's Global Administrators read it.
    pub fn in_organization(
        caller: &'a Caller,
        organization_id: i64,
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
            organization_id: Some(organization_id),
            agreement_id: None,
            workspace_id: None,
            detail,
            ip,
        }
    }

    /// An action of a signed-in account on an object of one workspace (cases, members, groups):
    /// the workspace, its agreement and organization come from the guard's scope.
    pub fn in_workspace(
        caller: &'a Caller,
        scope: &WorkspaceScope,
        action: &'a str,
        object: (&'a str, i64),
        detail: String,
        ip: &'a str,
    ) -> Self {
        Entry {
            agreement_id: Some(scope.agreement_id),
            workspace_id: Some(scope.workspace_id),
            ..Self::in_organization(caller, scope.organization_id, action, object, detail, ip)
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
