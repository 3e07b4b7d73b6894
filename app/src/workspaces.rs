//! Agreements and workspaces (seed 001): the agreement's Default Workspace, additional
//! workspaces created by the CSAM or AC, benefits, the account-kind policy and the switcher.

pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
pub use types::{AgreementStatus, AgreementType, BenefitKind};

/// A workspace the signed-in user can open (the switcher).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceLink {
    pub id: i64,
    pub name: String,
    pub organization: String,
    pub agreement_type: AgreementType,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceList {
    pub items: Vec<WorkspaceLink>,
    /// The last one used (opens after sign-in), when it is still open to the user.
    pub current: Option<i64>,
    pub is_staff: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenefitView {
    pub kind: BenefitKind,
    pub name: String,
    pub allotment: i64,
}

/// The workspace's main page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceOverview {
    pub id: i64,
    pub name: String,
    pub organization: String,
    pub agreement_id: i64,
    pub agreement_type: AgreementType,
    pub agreement_status: AgreementStatus,
    pub starts_on: String,
    pub ends_on: String,
    pub allow_personal: bool,
    /// The caller's roles here, in the product's words.
    pub roles: Vec<String>,
    pub can_manage_members: bool,
    pub can_view_audit: bool,
    pub can_manage_benefits: bool,
    pub benefits: Vec<BenefitView>,
    pub member_count: i64,
}

#[server(endpoint = "my_workspaces")]
pub async fn my_workspaces() -> Result<WorkspaceList, AppError> {
    let caller = crate::accounts::session::caller().await?;
    let state = crate::state::app_state()?;
    repo::my_workspaces(&state.db, &caller).await
}

#[server(endpoint = "workspace_home")]
pub async fn workspace_home(workspace_id: i64) -> Result<WorkspaceOverview, AppError> {
    let caller = crate::accounts::session::caller().await?;
    let state = crate::state::app_state()?;
    let scope =
        access::workspace(&state.db, &caller, workspace_id, access::Permission::View).await?;
    repo::workspace_home(&state.db, &scope).await
}

/// Opens another workspace and remembers it for the next sign-in.
#[server(endpoint = "switch_workspace")]
pub async fn switch_workspace(workspace_id: i64) -> Result<(), AppError> {
    let caller = crate::accounts::session::caller().await?;
    let state = crate::state::app_state()?;
    let scope =
        access::workspace(&state.db, &caller, workspace_id, access::Permission::View).await?;
    repo::remember_workspace(&state.db, &caller, &scope).await?;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}"));
    Ok(())
}

/// The account-kind policy of a workspace: whether personal accounts may join and sign in.
#[server(endpoint = "set_personal_policy")]
pub async fn set_personal_policy(workspace_id: i64, allow: String) -> Result<(), AppError> {
    let caller = crate::accounts::session::caller().await?;
    let state = crate::state::app_state()?;
    let scope = access::workspace(
        &state.db,
        &caller,
        workspace_id,
        access::Permission::ManageMembers,
    )
    .await?;
    let allow = match allow.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(AppError::field(
                "allow",
                "Choose whether to allow personal accounts.",
            ))
        }
    };
    let ip = crate::accounts::session::client_address(&state.config).to_string();
    repo::set_personal_policy(&state.db, &caller, &scope, allow, &ip).await?;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}/users"));
    Ok(())
}
