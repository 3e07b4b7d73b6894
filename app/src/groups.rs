//! Groups of a workspace's members (README, "Support cases and Customer Activity": a case is shared
//! with "a named member or a group of the same workspace"). Its administrators (Workspace and
//! Services Administrators) create and delete groups and choose their members, who must be members
//! of the workspace; a case shared with a group is seen by whoever is in the group at the time.

pub mod pages;

#[cfg(feature = "ssr")]
pub mod repo;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Authorized, Permission};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The groups a case of the workspace can be shared with: (id, name). For the cases domain.
#[cfg(feature = "ssr")]
pub async fn names(
    db: &crate::state::Db,
    workspace_id: i64,
) -> Result<Vec<(i64, String)>, AppError> {
    repo::names(db, workspace_id).await
}

/// The group's name, if it is a group of this workspace (inside a write's transaction).
#[cfg(feature = "ssr")]
pub async fn name_of(
    tx: &mut crate::db::Tx,
    workspace_id: i64,
    group_id: i64,
) -> Result<String, AppError> {
    repo::name_of(tx, workspace_id, group_id).await
}

/// Takes a member who leaves the workspace out of its groups (inside the removal's transaction).
#[cfg(feature = "ssr")]
pub async fn forget_member(
    tx: &mut crate::db::Tx,
    workspace_id: i64,
    account_id: i64,
) -> Result<(), AppError> {
    repo::forget_member(tx, workspace_id, account_id).await
}

/// The most groups one workspace holds (the page lists them all).
pub const MAX_GROUPS: i64 = 100;

/// A group's name: 1 to 100 characters, no control characters; unique in its workspace
/// whatever its letter case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupName(String);

impl GroupName {
    pub const MAX_LEN: usize = 100;

    pub fn parse(input: &str) -> Result<Self, String> {
        let name = input.trim();
        if name.is_empty() {
            return Err("Enter a name for the group.".to_owned());
        }
        if name.chars().count() > Self::MAX_LEN {
            return Err(format!(
                "A group name has at most {} characters.",
                Self::MAX_LEN
            ));
        }
        if name.chars().any(char::is_control) {
            return Err("A group name cannot contain control characters.".to_owned());
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form the uniqueness check compares.
    pub fn canonical(&self) -> String {
        self.0.to_lowercase()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMember {
    pub account_id: i64,
    pub name: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub members: Vec<GroupMember>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupList {
    pub workspace_id: i64,
    pub workspace_name: String,
    pub groups: Vec<Group>,
}

/// The workspace's groups with their members (its administrators).
#[server(endpoint = "list_groups")]
pub async fn list_groups(workspace_id: i64) -> Result<GroupList, AppError> {
    let Authorized { state, scope, .. } = require(workspace_id, Permission::ManageMembers).await?;
    repo::list(&state.db, &scope).await
}

#[server(endpoint = "create_group")]
pub async fn create_group(workspace_id: i64, name: String) -> Result<(), AppError> {
    let who = require(workspace_id, Permission::ManageMembers).await?;
    let name = GroupName::parse(&name).map_err(|m| AppError::field("name", m))?;
    repo::create(&who, &name).await?;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}/groups?done=created"));
    Ok(())
}

#[server(endpoint = "delete_group")]
pub async fn delete_group(workspace_id: i64, group_id: i64) -> Result<(), AppError> {
    let who = require(workspace_id, Permission::ManageMembers).await?;
    repo::delete(&who, group_id).await?;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}/groups?done=deleted"));
    Ok(())
}

/// Adds a member of the workspace, named by their email address, to one of its groups.
#[server(endpoint = "add_group_member")]
pub async fn add_group_member(
    workspace_id: i64,
    group_id: i64,
    email: String,
) -> Result<(), AppError> {
    let who = require(workspace_id, Permission::ManageMembers).await?;
    repo::add_member(&who, group_id, &email).await?;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}/groups?done=added"));
    Ok(())
}

#[server(endpoint = "remove_group_member")]
pub async fn remove_group_member(
    workspace_id: i64,
    group_id: i64,
    account_id: i64,
) -> Result<(), AppError> {
    let who = require(workspace_id, Permission::ManageMembers).await?;
    repo::remove_member(&who, group_id, account_id).await?;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}/groups?done=removed"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names() {
        assert!(GroupName::parse("  ").is_err());
        assert!(GroupName::parse(&"g".repeat(101)).is_err());
        assert!(GroupName::parse("a\u{7}b").is_err());
        let name = GroupName::parse(" Network Team ").expect("name");
        assert_eq!(name.as_str(), "Network Team");
        assert_eq!(name.canonical(), "network team");
    }
}
