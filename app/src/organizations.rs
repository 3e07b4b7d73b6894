//! An organization's administrative roles (DESIGN, "Account for organizations"): Global, Billing
//! and User Administrators. Every administrator reads who holds which role; only a Global
//! Administrator assigns and removes them, to work accounts of their own organization, and the
//! last Global Administrator is never removed. The organization is always the caller's own.

pub mod audit_page;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod repo;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require_org, Authorized, OrgPermission};
use crate::auth::kinds::OrgRole;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The refusal to remove the last Global Administrator (DESIGN: "never removed").
pub const LAST_GLOBAL: &str = "An organization needs at least one Global Administrator: assign the role to someone else first.";

/// Gives `account_id` (a work account of `organization_id`) `role`, inside the caller's
/// transaction; holding it already is fine. Sign-up makes its first user Global Administrator
/// with it. Writes no audit entry: the caller's action is what the log records.
#[cfg(feature = "ssr")]
pub async fn grant(
    tx: &mut crate::db::Tx,
    organization_id: i64,
    account_id: i64,
    role: OrgRole,
) -> Result<(), AppError> {
    repo::grant(tx, organization_id, account_id, role)
        .await
        .map(|_| ())
}

/// The operator's `admin assign-role`: the work account with this address, in its own
/// organization, gets `role` (audited; holding it already changes nothing).
#[cfg(feature = "ssr")]
pub async fn grant_by_email(
    state: &crate::state::AppState,
    email: &str,
    role: OrgRole,
    actor: crate::auth::audit::Actor<'_>,
) -> Result<(), AppError> {
    let email = crate::accounts::types::EmailAddress::parse(email)
        .map_err(|m| AppError::field("email", m))?;
    repo::grant_by_email(&state.db, &email, role, actor).await
}

/// For the Identity page's user page: a Global Administrator gives the account with this
/// address a role, or takes one back (the same checks, lock and audit entries as the roles
/// page; the last Global Administrator stays). False when nothing changed.
#[cfg(feature = "ssr")]
pub async fn assign_to(
    who: &Authorized<crate::auth::guard::OrganizationScope>,
    email: &crate::accounts::types::EmailAddress,
    role: OrgRole,
) -> Result<bool, AppError> {
    repo::assign(who, email, role).await
}

#[cfg(feature = "ssr")]
pub async fn remove_from(
    who: &Authorized<crate::auth::guard::OrganizationScope>,
    account_id: i64,
    role: OrgRole,
) -> Result<bool, AppError> {
    repo::remove(who, account_id, role).await
}

/// One administrator of the organization and the roles they hold (Global first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Administrator {
    pub account_id: i64,
    pub name: String,
    pub email: String,
    pub roles: Vec<OrgRole>,
}

/// The roles page: the organization, the caller's own roles and every administrator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRoles {
    pub organization_name: String,
    pub my_roles: Vec<OrgRole>,
    pub administrators: Vec<Administrator>,
    /// The caller is a Global Administrator: the page shows the forms.
    pub can_manage: bool,
}

const CHOOSE_ROLE: &str = "Choose one of the three administrative roles.";

/// A role as a form sends it ("global", "billing", "user").
pub fn parse_role(value: &str) -> Result<OrgRole, AppError> {
    OrgRole::parse(value.trim()).ok_or_else(|| AppError::field("role", CHOOSE_ROLE))
}

/// Who administers the caller's organization (any of its administrators).
#[server(endpoint = "organization_roles")]
pub async fn organization_roles() -> Result<OrgRoles, AppError> {
    let Authorized { state, scope, .. } = require_org(OrgPermission::View).await?;
    if !scope.can(OrgPermission::ViewServices) {
        return Err(AppError::Forbidden(
            "Only your organization's administrators can see its administrative roles.".to_owned(),
        ));
    }
    repo::list(&state.db, &scope).await
}

/// Gives a work account of the caller's organization, named by its address, a role (Global
/// Administrators only).
#[server(endpoint = "assign_role")]
pub async fn assign_role(email: String, role: String) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageRoles).await?;
    let mut errors = crate::error::FieldErrors::default();
    let email = errors.check("email", crate::accounts::types::EmailAddress::parse(&email));
    let role = errors.check(
        "role",
        OrgRole::parse(role.trim()).ok_or_else(|| CHOOSE_ROLE.to_owned()),
    );
    errors.into_result()?;
    let (Some(email), Some(role)) = (email, role) else {
        return Err(AppError::field(
            "form",
            "The form was incomplete. Please try again.",
        ));
    };
    let changed = repo::assign(&who, &email, role).await?;
    leptos_axum::redirect(if changed {
        "/organization/roles?done=assigned"
    } else {
        "/organization/roles?done=held"
    });
    Ok(())
}

/// Takes a role back from an account of the caller's organization (Global Administrators
/// only); never the last Global Administrator's.
#[server(endpoint = "remove_role")]
pub async fn remove_role(account_id: i64, role: String) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageRoles).await?;
    let role = parse_role(&role)?;
    let changed = repo::remove(&who, account_id, role).await?;
    leptos_axum::redirect(if changed {
        "/organization/roles?done=removed"
    } else {
        "/organization/roles?done=unchanged"
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_from_forms() {
        assert_eq!(parse_role("global").ok(), Some(OrgRole::Global));
        assert_eq!(parse_role(" billing ").ok(), Some(OrgRole::Billing));
        let refused = parse_role("owner").expect_err("not a role");
        assert!(refused.field_message("role").is_some());
    }
}
