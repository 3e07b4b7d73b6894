//! Invitations to a workspace (seeds 000 and 001): one workspace and one address each, a link
//! that "cannot be forwarded", resend and revoke, registration from the link, and the report of
//! an invitation by list or by file.

pub mod bulk;
pub mod import_page;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod mail_text;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod upload;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::workspaces::access::{require, Authorized, Permission};
use leptos::prelude::*;
pub use types::{
    BulkReport, InvitationDetails, InvitationRole, InviteOutcome, InviteReport, PreviewStatus,
    ReportLine,
};

/// What the invitation link shows before anything is accepted. The holder of the link learns
/// only the workspace and the address it was sent to.
#[server(endpoint = "invitation_preview")]
pub async fn invitation_preview(token: String) -> Result<InvitationDetails, AppError> {
    let state = crate::state::app_state()?;
    let caller = crate::accounts::session::optional_caller().await?;
    service::preview(&state, caller.as_ref(), &token).await
}

/// Accepts with the signed-in account; only an account with the invited address may.
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    let caller = crate::accounts::session::caller().await?;
    let state = crate::state::app_state()?;
    let workspace_id = service::accept(&state, &caller, &token).await?;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}"));
    Ok(())
}

/// Creates the account from the link (its address is the invited one, never typed) and accepts.
#[server(endpoint = "register_from_invitation")]
pub async fn register_from_invitation(
    token: String,
    display_name: String,
    password: String,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let (cookie, workspace_id) =
        service::register(&state, &token, &display_name, &password).await?;
    crate::accounts::service::set_cookie(&cookie)?;
    // Quick step 2: "Complete your profile", then the workspace.
    leptos_axum::redirect(&format!(
        "/profile?welcome=1&next=%2Fworkspaces%2F{workspace_id}"
    ));
    Ok(())
}

/// Invites one or more addresses (comma, semicolon or line separated) to a workspace.
#[server(endpoint = "invite_users")]
pub async fn invite_users(
    workspace_id: i64,
    emails: String,
    role: String,
    support_contact: Option<String>,
) -> Result<InviteReport, AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ..
    } = require(workspace_id, Permission::ManageMembers).await?;
    let role = InvitationRole::parse_choice(&role).ok_or_else(|| {
        AppError::field("role", "Choose Service User or Workspace Administrator.")
    })?;
    service::invite_list(
        &state,
        &caller,
        &scope,
        &emails,
        role,
        support_contact.is_some(),
    )
    .await
}

#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(workspace_id: i64, invitation_id: i64) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ..
    } = require(workspace_id, Permission::ManageMembers).await?;
    service::resend(&state, &caller, &scope, invitation_id).await?;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}/users?done=resent"));
    Ok(())
}

#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(workspace_id: i64, invitation_id: i64) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ..
    } = require(workspace_id, Permission::ManageMembers).await?;
    service::revoke(&state, &caller, &scope, invitation_id).await?;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}/users?done=revoked"));
    Ok(())
}

/// The dry run of an uploaded file: what would happen to each line, nothing sent.
#[server(endpoint = "check_bulk_file")]
pub async fn check_bulk_file(workspace_id: i64, import_id: i64) -> Result<BulkReport, AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ..
    } = require(workspace_id, Permission::ManageMembers).await?;
    service::bulk(&state, &caller, &scope, import_id, true).await
}

/// Sends the uploaded file's valid lines, all in one transaction.
#[server(endpoint = "send_bulk_invitations")]
pub async fn send_bulk_invitations(
    workspace_id: i64,
    import_id: i64,
) -> Result<BulkReport, AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ..
    } = require(workspace_id, Permission::ManageMembers).await?;
    let report = service::bulk(&state, &caller, &scope, import_id, false).await?;
    leptos_axum::redirect(&format!(
        "/workspaces/{workspace_id}/users?done=invited&count={}",
        report.invited
    ));
    Ok(report)
}
