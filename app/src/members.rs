//! "Manage Users" (README, "Workspaces and invitations"): a workspace's members and pending
//! invitations, searched, sorted and paginated on the server, with the Support Contact
//! privilege, the Workspace Administrator role and removal.

pub mod pages;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod sample;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Authorized, Permission};
use crate::{accounts::types::AccountKind, error::AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: i64 = 25;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowKind {
    Member,
    Invitation,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    Invited,
    Registered,
    Expired,
    Revoked,
}

impl UserStatus {
    pub fn label(self) -> &'static str {
        match self {
            UserStatus::Invited => "Invited",
            UserStatus::Registered => "Registered",
            UserStatus::Expired => "Expired",
            UserStatus::Revoked => "Revoked",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "invited" => Some(UserStatus::Invited),
            "registered" => Some(UserStatus::Registered),
            "expired" => Some(UserStatus::Expired),
            "revoked" => Some(UserStatus::Revoked),
            _ => None,
        }
    }
}

/// One row of Manage Users: a member or an invitation not (yet) accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub kind: RowKind,
    /// The membership's or the invitation's id.
    pub id: i64,
    pub name: String,
    pub email: String,
    pub account_kind: Option<AccountKind>,
    pub roles: Vec<String>,
    pub is_workspace_admin: bool,
    pub is_services_admin: bool,
    pub support_contact: bool,
    /// "View all support requests": sees every case of the workspace.
    pub view_all_cases: bool,
    pub status: UserStatus,
    /// Unix seconds.
    pub invited_on: Option<i64>,
    pub last_sign_in: Option<i64>,
    /// The caller's own membership (or an invitation to the caller's account).
    pub is_you: bool,
}

/// The orders Manage Users offers; anything else falls back to name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    Name,
    Email,
    Status,
    InvitedOn,
    LastSignIn,
}

impl SortKey {
    pub const ALL: [SortKey; 5] = [
        SortKey::Name,
        SortKey::Email,
        SortKey::Status,
        SortKey::InvitedOn,
        SortKey::LastSignIn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Email => "email",
            SortKey::Status => "status",
            SortKey::InvitedOn => "invited",
            SortKey::LastSignIn => "last_sign_in",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Name => "Name",
            SortKey::Email => "Email",
            SortKey::Status => "Status",
            SortKey::InvitedOn => "Invited on",
            SortKey::LastSignIn => "Last sign-in",
        }
    }

    pub fn parse(value: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == value)
            .unwrap_or(SortKey::Name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub workspace_id: i64,
    pub workspace_name: String,
    pub agreement_type: crate::workspaces::AgreementType,
    pub allow_personal: bool,
    pub rows: Vec<UserRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    pub contact_limit: i64,
    pub contacts_in_use: i64,
    /// `(sent, total)` of invitation mails still leaving (a bulk send in progress).
    pub mail_progress: Option<(i64, i64)>,
}

#[server(endpoint = "list_users")]
pub async fn list_users(
    workspace_id: i64,
    search: String,
    sort: String,
    descending: bool,
    page: i64,
) -> Result<UserPage, AppError> {
    let Authorized {
        state,
        scope,
        caller,
        ..
    } = require(workspace_id, Permission::ManageMembers).await?;
    repo::list(
        &state.db,
        &scope,
        &repo::Query {
            caller: caller.account_id,
            search: search.chars().take(200).collect(),
            sort: SortKey::parse(&sort),
            descending,
            page: page.max(1),
        },
    )
    .await
}

/// Turns a member's Support Contact privilege On or Off (refused past the agreement's limit).
#[server(endpoint = "set_support_contact")]
pub async fn set_support_contact(
    workspace_id: i64,
    membership_id: i64,
    on: String,
) -> Result<(), AppError> {
    set_flag(workspace_id, membership_id, repo::Flag::SupportContact, &on).await
}

/// Makes a member Workspace Administrator, or not.
#[server(endpoint = "set_workspace_admin")]
pub async fn set_workspace_admin(
    workspace_id: i64,
    membership_id: i64,
    on: String,
) -> Result<(), AppError> {
    set_flag(workspace_id, membership_id, repo::Flag::WorkspaceAdmin, &on).await
}

/// Lets a member see every support case of the workspace ("View all support requests"), or not.
#[server(endpoint = "set_view_all_cases")]
pub async fn set_view_all_cases(
    workspace_id: i64,
    membership_id: i64,
    on: String,
) -> Result<(), AppError> {
    set_flag(workspace_id, membership_id, repo::Flag::ViewAllCases, &on).await
}

/// The one body of the three On/Off server functions: guard, change, back to Manage Users.
#[cfg(feature = "ssr")]
async fn set_flag(
    workspace_id: i64,
    membership_id: i64,
    flag: repo::Flag,
    on: &str,
) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = require(workspace_id, Permission::ManageMembers).await?;
    repo::set_flag(
        &state.db,
        &caller,
        &scope,
        membership_id,
        flag,
        on == "on",
        &ip,
    )
    .await?;
    state
        .events
        .publish(crate::events::Event::members(workspace_id))
        .await;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}/users?done=saved"));
    Ok(())
}

#[server(endpoint = "remove_member")]
pub async fn remove_member(workspace_id: i64, membership_id: i64) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = require(workspace_id, Permission::ManageMembers).await?;
    repo::remove(&state.db, &caller, &scope, membership_id, &ip).await?;
    state
        .events
        .publish(crate::events::Event::members(workspace_id))
        .await;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}/users?done=removed"));
    Ok(())
}
