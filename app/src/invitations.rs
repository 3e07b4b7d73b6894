//! Invitations to a workspace (README, "Workspaces and invitations"): one workspace and one address
//! each, a link that "cannot be forwarded", resend and revoke, registration from the link, and the
//! report of an invitation by list or by file.

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

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Permission};
use crate::error::AppError;
use leptos::prelude::*;
pub use types::{
    BulkReport, InvitationDetails, InvitationRole, InviteOutcome, InviteReport, PreviewStatus,
    ReportLine,
};

#[cfg(feature = "ssr")]
pub use repo::NewInvitation;

/// Invites `items` to the workspace of `scope` inside the caller's transaction (an agreement's
/// activation, a new workspace): the invitations, their mail and their audit entries are written
/// with the rest or not at all. For the workspaces domain.
#[cfg(feature = "ssr")]
pub async fn invite_within(
    tx: &mut crate::db::Tx,
    state: &crate::state::AppState,
    scope: &crate::auth::WorkspaceScope,
    inviter: Option<&crate::auth::Caller>,
    ip: &str,
    items: &[NewInvitation],
) -> Result<(), AppError> {
    let organization = repo::organization_name(tx, scope.organization_id).await?;
    let ctx = service::context(state, scope, inviter, &organization, ip).await;
    repo::insert_many(tx, &ctx, items).await
}

/// Locks the agreement's support-contact count for the rest of the transaction, so two parallel
/// changes cannot both pass the limit.
#[cfg(feature = "ssr")]
pub async fn lock_contact_count(tx: &mut crate::db::Tx, agreement_id: i64) -> Result<(), AppError> {
    repo::lock_agreement(tx, agreement_id).await
}

/// The support contacts an agreement holds now: members with the privilege in any of its
/// workspaces, plus open invitations that carry it.
#[cfg(feature = "ssr")]
pub async fn contacts_in_use(tx: &mut crate::db::Tx, agreement_id: i64) -> Result<i64, AppError> {
    repo::contacts_in_use(tx, agreement_id).await
}

/// `(sent, total)` of the workspace's invitation mails still leaving the outbox (a bulk send in
/// progress); None when all have left. For Manage Users, whose guard the caller has passed.
#[cfg(feature = "ssr")]
pub async fn mail_progress(
    db: &crate::state::Db,
    workspace_id: i64,
) -> Result<Option<(i64, i64)>, AppError> {
    repo::mail_progress(db, workspace_id).await
}

/// What the invitation link shows before anything is accepted. The holder of the link learns
/// only the workspace and the address it was sent to.
#[server(endpoint = "invitation_preview")]
pub async fn invitation_preview(token: String) -> Result<InvitationDetails, AppError> {
    let v = crate::auth::guard::visitor()?;
    service::preview(&v.state, v.caller().await?.as_ref(), &token).await
}

/// Accepts with the signed-in account; only an account with the invited address may.
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    let who = crate::auth::guard::require_user().await?;
    let workspace_id = service::accept(&who, &token).await?;
    who.state
        .events
        .publish(crate::events::Event::members(workspace_id))
        .await;
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
    let v = crate::auth::guard::visitor()?;
    let (cookie, workspace_id) =
        service::register(&v.state, &token, &display_name, &password, v.address).await?;
    v.state
        .events
        .publish(crate::events::Event::members(workspace_id))
        .await;
    crate::auth::session::set_cookie(&cookie)?;
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
    let who = require(workspace_id, Permission::ManageMembers).await?;
    let role = InvitationRole::parse_choice(&role).ok_or_else(|| {
        AppError::field("role", "Choose Service User or Workspace Administrator.")
    })?;
    let report = service::invite_list(&who, &emails, role, support_contact.is_some()).await?;
    who.state
        .events
        .publish(crate::events::Event::members(workspace_id))
        .await;
    Ok(report)
}

#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(workspace_id: i64, invitation_id: i64) -> Result<(), AppError> {
    let who = require(workspace_id, Permission::ManageMembers).await?;
    service::resend(&who, invitation_id).await?;
    who.state
        .events
        .publish(crate::events::Event::members(workspace_id))
        .await;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}/users?done=resent"));
    Ok(())
}

#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(workspace_id: i64, invitation_id: i64) -> Result<(), AppError> {
    let who = require(workspace_id, Permission::ManageMembers).await?;
    service::revoke(&who, invitation_id).await?;
    who.state
        .events
        .publish(crate::events::Event::members(workspace_id))
        .await;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}/users?done=revoked"));
    Ok(())
}

/// The dry run of an uploaded file: what would happen to each line, nothing sent.
#[server(endpoint = "check_bulk_file")]
pub async fn check_bulk_file(workspace_id: i64, import_id: i64) -> Result<BulkReport, AppError> {
    let who = require(workspace_id, Permission::ManageMembers).await?;
    service::bulk(&who, import_id, true).await
}

/// Sends the uploaded file's valid lines, all in one transaction.
#[server(endpoint = "send_bulk_invitations")]
pub async fn send_bulk_invitations(
    workspace_id: i64,
    import_id: i64,
) -> Result<BulkReport, AppError> {
    let who = require(workspace_id, Permission::ManageMembers).await?;
    let report = service::bulk(&who, import_id, false).await?;
    who.state
        .events
        .publish(crate::events::Event::members(workspace_id))
        .await;
    leptos_axum::redirect(&format!(
        "/workspaces/{workspace_id}/users?done=invited&count={}",
        report.invited
    ));
    Ok(report)
}
