//! The organization's groups of its users (issue 14, item 2: "Manage Users and Groups"): named
//! sets of the organization's work accounts, kept by its Global and User Administrators. They
//! belong to the organization, apart from a workspace's groups (`groups`), which share cases.
//! The organization is always the caller's own: another organization's group id is missing.

pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod repo;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require_org, Authorized, OrgPermission};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How many groups, or members of a group, one page lists.
pub const PAGE_SIZE: i64 = 50;

/// One group in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgGroupRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub members: i64,
}

/// A page of the organization's groups, by name, searched by the start of the name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgGroupList {
    pub organization_name: String,
    pub groups: Vec<OrgGroupRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// A member of a group: a work account of the organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgGroupMember {
    pub account_id: i64,
    pub name: String,
    pub email: String,
}

/// A group with one page of its members, by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgGroupDetail {
    pub organization_name: String,
    pub id: i64,
    pub name: String,
    pub description: String,
    pub members: Vec<OrgGroupMember>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// The group's page after a change, with a notice of what was done.
#[cfg(feature = "ssr")]
fn back_to(group_id: i64, done: &str) {
    leptos_axum::redirect(&format!("/organization/groups/{group_id}?done={done}"));
}

/// The organization's groups (Global and User Administrators).
#[server(endpoint = "org_groups")]
pub async fn org_groups(
    #[server(default)] search: String,
    #[server(default)] page: i64,
) -> Result<OrgGroupList, AppError> {
    let Authorized { state, scope, .. } = require_org(OrgPermission::ManageUsers).await?;
    let search: String = search.chars().take(100).collect();
    repo::list(&state.db, &scope, &search, page.max(1)).await
}

/// One group and a page of its members; another organization's group is missing (404).
#[server(endpoint = "org_group")]
pub async fn org_group(
    group_id: i64,
    #[server(default)] page: i64,
) -> Result<OrgGroupDetail, AppError> {
    let Authorized { state, scope, .. } = require_org(OrgPermission::ManageUsers).await?;
    repo::detail(&state.db, &scope, group_id, page.max(1)).await
}

/// Creates a group (its name unique in the organization whatever its case) and opens it.
#[server(endpoint = "create_org_group")]
pub async fn create_org_group(
    name: String,
    #[server(default)] description: String,
) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageUsers).await?;
    let input = types::GroupInput::parse(&name, &description)?;
    let id = repo::create(&who, &input).await?;
    back_to(id, "created");
    Ok(())
}

/// Renames a group or changes its description.
#[server(endpoint = "edit_org_group")]
pub async fn edit_org_group(
    group_id: i64,
    name: String,
    #[server(default)] description: String,
) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageUsers).await?;
    let input = types::GroupInput::parse(&name, &description)?;
    let changed = repo::edit(&who, group_id, &input).await?;
    back_to(group_id, if changed { "saved" } else { "unchanged" });
    Ok(())
}

/// Deletes a group (its members keep their accounts) and goes back to the list.
#[server(endpoint = "delete_org_group")]
pub async fn delete_org_group(group_id: i64) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageUsers).await?;
    repo::delete(&who, group_id).await?;
    leptos_axum::redirect("/organization/groups?done=deleted");
    Ok(())
}

/// Adds a work account of the organization, named by its address, to a group.
#[server(endpoint = "add_org_group_member")]
pub async fn add_org_group_member(group_id: i64, email: String) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageUsers).await?;
    let email = crate::accounts::types::EmailAddress::parse(&email)
        .map_err(|m| AppError::field("email", m))?;
    let added = repo::add_member(&who, group_id, &email).await?;
    back_to(group_id, if added { "added" } else { "held" });
    Ok(())
}

/// Takes an account out of a group (the account itself stays).
#[server(endpoint = "remove_org_group_member")]
pub async fn remove_org_group_member(group_id: i64, account_id: i64) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageUsers).await?;
    let removed = repo::remove_member(&who, group_id, account_id).await?;
    back_to(group_id, if removed { "removed" } else { "unchanged" });
    Ok(())
}
