//! The Identity page of an organization (DESIGN, "Account for organizations", seed 002): the
//! organization's information (a Global Administrator edits it) and Manage Users — its work
//! accounts, added with a mailed link to set a password, edited, disabled (every session ends at
//! once), enabled and deleted, with their administrative roles and licenses. A User
//! Administrator manages the people but never touches an administrator's account. Everything
//! runs in the caller's own organization (`require_org`): another organization's account id
//! answers like a missing one.

pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
mod service;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require_org, OrgPermission};
use crate::{
    auth::kinds::OrgRole,
    error::AppError,
    services::{AccountLicense, OpenSubscription},
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
pub use types::{UserSort, UserStatus};

/// Users shown per page of Manage Users.
pub const USERS_PER_PAGE: i64 = 50;

/// The organization's information (the Identity page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgInfo {
    pub name: String,
    pub address: String,
    pub technical_contact: String,
    pub language: String,
    pub domains: Vec<String>,
    /// A Global Administrator: the page shows the form.
    pub can_edit: bool,
    /// A Global or User Administrator: the page links to Users.
    pub can_manage_users: bool,
}

/// One row of Manage Users.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUserRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub status: UserStatus,
    pub roles: Vec<OrgRole>,
    pub licenses: i64,
    pub created_at: i64,
}

/// One page of Manage Users, with what the add form needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUsersData {
    pub organization: String,
    pub rows: Vec<OrgUserRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    /// The organization's domains: a new user's address is on one of them.
    pub domains: Vec<String>,
}

/// A user's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUserData {
    pub organization: String,
    pub user: OrgUserRow,
    pub licenses: Vec<AccountLicense>,
    pub open_subscriptions: Vec<OpenSubscription>,
    /// The caller is this person (no disabling or deleting themselves).
    pub is_self: bool,
    /// The caller is a Global Administrator (roles, and any account).
    pub caller_is_global: bool,
    /// Why the caller may not change this account, if so (a User Administrator and an
    /// administrator's account).
    pub protected: Option<String>,
}

/// The organization's information (any of its administrators).
#[server(endpoint = "identity_organization")]
pub async fn organization_info() -> Result<OrgInfo, AppError> {
    let who = require_org(OrgPermission::ViewServices).await?;
    repo::org::info(&who.state.db, &who.scope).await
}

/// Changes the organization's information (Global Administrators only). The name stays unique
/// whatever its letter case; its domains never change with it.
#[server(endpoint = "identity_update_organization")]
pub async fn update_organization(
    name: String,
    address: String,
    technical_contact: String,
    language: String,
) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageIdentity).await?;
    let input = types::OrgInput::parse(&name, &address, &technical_contact, &language)?;
    repo::org::update(&who, &input).await?;
    leptos_axum::redirect("/organization?done=saved");
    Ok(())
}

/// One page of the organization's work accounts: a prefix of the name or address, a sort and a
/// page, read in an index's order.
#[server(endpoint = "identity_users")]
pub async fn org_users(
    q: String,
    sort: String,
    desc: bool,
    page: i64,
) -> Result<OrgUsersData, AppError> {
    let who = require_org(OrgPermission::ManageUsers).await?;
    repo::users::page(&who, &q, UserSort::parse(&sort), desc, page).await
}

/// Adds a work account on one of the organization's domains; its person gets a mail with a
/// link to set a password.
#[server(endpoint = "identity_add_user")]
pub async fn add_org_user(display_name: String, email: String) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageUsers).await?;
    let id = service::add(&who, &display_name, &email).await?;
    leptos_axum::redirect(&format!("/organization/users/{id}?done=added"));
    Ok(())
}

/// A user's page.
#[server(endpoint = "identity_user")]
pub async fn org_user(id: i64) -> Result<OrgUserData, AppError> {
    let who = require_org(OrgPermission::ManageUsers).await?;
    service::detail(&who, id).await
}

/// Renames a user (the address stays).
#[server(endpoint = "identity_edit_user")]
pub async fn edit_org_user(id: i64, display_name: String) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageUsers).await?;
    service::rename(&who, id, &display_name).await?;
    leptos_axum::redirect(&format!("/organization/users/{id}?done=saved"));
    Ok(())
}

/// Disables a user and ends every session of theirs at once.
#[server(endpoint = "identity_disable_user")]
pub async fn disable_org_user(id: i64) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageUsers).await?;
    service::set_disabled(&who, id, true).await?;
    leptos_axum::redirect(&format!("/organization/users/{id}?done=disabled"));
    Ok(())
}

#[server(endpoint = "identity_enable_user")]
pub async fn enable_org_user(id: i64) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageUsers).await?;
    service::set_disabled(&who, id, false).await?;
    leptos_axum::redirect(&format!("/organization/users/{id}?done=enabled"));
    Ok(())
}

/// Deletes a user, giving their licenses back; refused with the reason while the account is
/// part of records the organization keeps (the support cases it opened).
#[server(endpoint = "identity_delete_user")]
pub async fn delete_org_user(id: i64) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageUsers).await?;
    service::delete(&who, id).await?;
    leptos_axum::redirect("/organization/users?done=deleted");
    Ok(())
}

/// Gives a user an administrative role (Global Administrators only).
#[server(endpoint = "identity_user_assign_role")]
pub async fn user_assign_role(id: i64, role: String) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageRoles).await?;
    let role = crate::organizations::parse_role(&role)?;
    service::assign_role(&who, id, role).await?;
    leptos_axum::redirect(&format!("/organization/users/{id}?done=role-assigned"));
    Ok(())
}

/// Takes a role back from a user (Global Administrators only; never the last Global's).
#[server(endpoint = "identity_user_remove_role")]
pub async fn user_remove_role(id: i64, role: String) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageRoles).await?;
    let role = crate::organizations::parse_role(&role)?;
    service::remove_role(&who, id, role).await?;
    leptos_axum::redirect(&format!("/organization/users/{id}?done=role-removed"));
    Ok(())
}

/// Assigns the user one license of a subscription with licenses left.
#[server(endpoint = "identity_user_assign_license")]
pub async fn user_assign_license(id: i64, subscription_id: i64) -> Result<(), AppError> {
    let who = require_org(OrgPermission::AssignLicenses).await?;
    service::assign_license(&who, id, subscription_id).await?;
    leptos_axum::redirect(&format!("/organization/users/{id}?done=license-assigned"));
    Ok(())
}

#[server(endpoint = "identity_user_remove_license")]
pub async fn user_remove_license(id: i64, subscription_id: i64) -> Result<(), AppError> {
    let who = require_org(OrgPermission::AssignLicenses).await?;
    service::remove_license(&who, id, subscription_id).await?;
    leptos_axum::redirect(&format!("/organization/users/{id}?done=license-removed"));
    Ok(())
}
