//! The organization scope: what a caller is in their own organization (the "Account for
//! organizations" side). The organization comes from the caller's account, never from the
//! request, so another organization's subscription or invoice id can only ever be looked up
//! inside the caller's own organization, where it is missing (404).

use crate::{
    auth::{kinds::OrgRole, session::Caller},
    error::AppError,
    state::Db,
};
use sqlx::Row;

/// What a caller may want to do in their organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgPermission {
    /// Their own part: the licenses they hold. Any account of the organization.
    View,
    /// The Services page and a service's detail: every administrative role.
    ViewServices,
    /// Buy, upgrade, change quantity, renew, cancel, recurring billing: Global and Billing.
    ManageSubscriptions,
    /// Invoices: Global and Billing.
    ViewInvoices,
    /// Assign licenses and take them back: Global and User.
    AssignLicenses,
    /// Assign and remove administrative roles; read the organization's audit log: Global.
    ManageRoles,
    /// The Identity page's users and groups: list, add, edit, disable, enable, delete (a User
    /// Administrator never touches an administrator's account): Global and User.
    ManageUsers,
    /// The organization's information, its domains and federation: Global.
    ManageIdentity,
}

/// The caller's standing in their organization, as the guard found it.
#[derive(Clone, Debug)]
pub struct OrganizationScope {
    pub organization_id: i64,
    pub organization_name: String,
    /// Sorted: Global, Billing, User.
    pub roles: Vec<OrgRole>,
    /// False while the address given at sign-up waits for its mailed link.
    pub email_confirmed: bool,
}

impl OrganizationScope {
    pub fn has(&self, role: OrgRole) -> bool {
        self.roles.contains(&role)
    }

    pub fn can(&self, permission: OrgPermission) -> bool {
        let global = self.has(OrgRole::Global);
        match permission {
            OrgPermission::View => true,
            OrgPermission::ViewServices => !self.roles.is_empty(),
            OrgPermission::ManageSubscriptions | OrgPermission::ViewInvoices => {
                global || self.has(OrgRole::Billing)
            }
            OrgPermission::AssignLicenses | OrgPermission::ManageUsers => {
                global || self.has(OrgRole::User)
            }
            OrgPermission::ManageRoles | OrgPermission::ManageIdentity => global,
        }
    }
}

fn denied(permission: OrgPermission) -> AppError {
    AppError::Forbidden(
        match permission {
            OrgPermission::View => "This page is for the accounts of a customer organization.",
            OrgPermission::ViewServices => {
                "Only your organization's administrators can open its services."
            }
            OrgPermission::ManageSubscriptions => {
                "Only a Global Administrator or a Billing Administrator can manage subscriptions."
            }
            OrgPermission::ViewInvoices => {
                "Only a Global Administrator or a Billing Administrator can see invoices."
            }
            OrgPermission::AssignLicenses => {
                "Only a Global Administrator or a User Administrator can assign licenses."
            }
            OrgPermission::ManageUsers => {
                "Only a Global Administrator or a User Administrator can manage users."
            }
            OrgPermission::ManageRoles | OrgPermission::ManageIdentity => {
                "Only a Global Administrator can do this."
            }
        }
        .to_owned(),
    )
}

/// The caller's organization and roles, or None for an account of no organization (the
/// provider's staff, a personal account). One query, read afresh on every call.
pub async fn standing(db: &Db, caller: &Caller) -> Result<Option<OrganizationScope>, AppError> {
    let row = sqlx::query(
        "SELECT o.id, o.name, \
           (SELECT COUNT(*) FROM email_confirmations c \
             WHERE c.account_id = a.id AND c.confirmed_at IS NULL) AS unconfirmed \
         FROM accounts a JOIN organizations o ON o.id = a.organization_id \
         WHERE a.id = $1 AND a.kind = 'work'",
    )
    .bind(caller.account_id)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let organization_id: i64 = row.try_get("id")?;
    let roles = sqlx::query(
        "SELECT role FROM organization_roles WHERE account_id = $1 AND organization_id = $2",
    )
    .bind(caller.account_id)
    .bind(organization_id)
    .fetch_all(db.pool())
    .await?;
    let mut roles = roles
        .iter()
        .map(|r| crate::db::column(r, "role", OrgRole::parse))
        .collect::<Result<Vec<_>, _>>()?;
    roles.sort_unstable();
    Ok(Some(OrganizationScope {
        organization_id,
        organization_name: row.try_get("name")?,
        roles,
        email_confirmed: row.try_get::<i64, _>("unconfirmed")? == 0,
    }))
}

/// Authorizes `permission` in the caller's own organization.
pub async fn organization(
    db: &Db,
    caller: &Caller,
    permission: OrgPermission,
) -> Result<OrganizationScope, AppError> {
    let Some(scope) = standing(db, caller).await? else {
        tracing::info!(account = caller.account_id, "refused: no organization");
        return Err(denied(OrgPermission::View));
    };
    if !scope.can(permission) {
        tracing::info!(account = caller.account_id, ?permission, "refused");
        return Err(denied(permission));
    }
    Ok(scope)
}

/// Where notices to an organization's administrators of `roles` go: each one's notification
/// address (or sign-in address), once, enabled accounts only. For the background jobs.
pub async fn admin_addresses(
    tx: &mut crate::db::Tx,
    organization_id: i64,
    roles: &[OrgRole],
) -> Result<Vec<String>, AppError> {
    if roles.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT DISTINCT COALESCE(a.notification_email, a.email) AS address \
         FROM organization_roles r JOIN accounts a ON a.id = r.account_id \
         WHERE r.organization_id = $1 AND a.disabled_at IS NULL AND r.role IN ({}) \
         ORDER BY address",
        crate::db::placeholders(2, roles.len())
    );
    let mut query = sqlx::query(&sql).bind(organization_id);
    for role in roles {
        query = query.bind(role.as_str());
    }
    let rows = query.fetch_all(&mut **tx).await?;
    rows.iter().map(|r| Ok(r.try_get("address")?)).collect()
}
