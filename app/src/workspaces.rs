//! Agreements and workspaces (seed 001; ARCHITECTURE.md, "Sources"): the agreement's Default
//! Workspace, additional workspaces created by the CSAM or AC, benefits, the account-kind policy
//! and the switcher.

pub mod console;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
use crate::auth::guard::{
    require, require_agreement, require_operator, require_staff, require_user, AgreementPermission,
    Authorized, Permission,
};
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

/// What the app shell shows a signed-in person: the workspaces to switch between and the
/// tools of the current one that their roles open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Navigation {
    pub workspaces: Vec<WorkspaceLink>,
    pub current: Option<CurrentWorkspace>,
    pub is_staff: bool,
    pub is_operator: bool,
    /// The caller's organization side ("Account for organizations"), for its administrators.
    pub organization: Option<OrganizationTools>,
}

/// What the caller's administrative roles open in their organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationTools {
    pub name: String,
    /// The Services page (any administrative role).
    pub services: bool,
    /// The Identity page and its users (Global and User Administrators).
    pub identity: bool,
    /// Administrative roles and the organization's audit log (Global Administrators).
    pub manage_roles: bool,
}

/// The workspace the shell's navigation is about, with what the caller may open there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentWorkspace {
    pub id: i64,
    pub name: String,
    pub organization: String,
    pub can_manage_members: bool,
    pub can_view_audit: bool,
}

/// The workspaces `caller` may open, for other domains (Customer Activity's choice).
#[cfg(feature = "ssr")]
pub async fn open_to(
    db: &crate::state::Db,
    caller: &crate::auth::Caller,
) -> Result<WorkspaceList, AppError> {
    repo::my_workspaces(db, caller).await
}

#[server(endpoint = "my_workspaces")]
pub async fn my_workspaces() -> Result<WorkspaceList, AppError> {
    let Authorized { state, caller, .. } = require_user().await?;
    repo::my_workspaces(&state.db, &caller).await
}

/// The shell's navigation: about `workspace_id` when the page is in one the caller may open,
/// else about the workspace used last. Another tenant's id is simply not current, like a
/// missing one. Signed out: 401, like every private function (the header then shows the brand).
#[server(name = GetNavigation, endpoint = "navigation")]
pub async fn navigation(workspace_id: Option<i64>) -> Result<Navigation, AppError> {
    let Authorized { state, caller, .. } = require_user().await?;
    repo::navigation(&state.db, &caller, workspace_id).await
}

#[server(endpoint = "workspace_home")]
pub async fn workspace_home(workspace_id: i64) -> Result<WorkspaceOverview, AppError> {
    let Authorized { state, scope, .. } = require(workspace_id, Permission::View).await?;
    repo::workspace_home(&state.db, &scope).await
}

/// Opens another workspace and remembers it for the next sign-in.
#[server(endpoint = "switch_workspace")]
pub async fn switch_workspace(workspace_id: i64) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ..
    } = require(workspace_id, Permission::View).await?;
    repo::remember_workspace(&state.db, &caller, &scope).await?;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}"));
    Ok(())
}

/// The account-kind policy of a workspace: whether personal accounts may join and sign in.
#[server(endpoint = "set_personal_policy")]
pub async fn set_personal_policy(workspace_id: i64, allow: String) -> Result<(), AppError> {
    let who = require(workspace_id, Permission::ManageMembers).await?;
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
    repo::set_personal_policy(&who, allow).await?;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}/users"));
    Ok(())
}

/// A workspace of an agreement, as the staff console lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleWorkspace {
    pub id: i64,
    pub name: String,
}

/// An agreement a staff member works on, with its workspaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleAgreement {
    pub id: i64,
    pub organization: String,
    pub agreement_type: AgreementType,
    pub status: AgreementStatus,
    pub starts_on: String,
    pub ends_on: String,
    pub contact_limit: i64,
    pub workspaces: Vec<ConsoleWorkspace>,
}

/// The staff console: the caller's role and the agreements they work on (the operator: all of
/// them; a CSAM or AC: the assigned ones).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffConsole {
    pub role: String,
    /// Creates organizations and agreements, activates any agreement.
    pub is_operator: bool,
    /// An assigned CSAM or AC: activates, creates workspaces, adds benefits.
    pub is_agreement_staff: bool,
    pub agreements: Vec<ConsoleAgreement>,
    /// The organizations a new agreement may be for, by name (the operator's only; empty for
    /// anyone else), at most `ORGANIZATION_CHOICES`.
    pub organizations: Vec<String>,
    /// More organizations than a list can offer: the form asks for the name instead.
    pub too_many_organizations: bool,
}

/// How many organizations the new agreement's form offers in its list.
pub const ORGANIZATION_CHOICES: usize = 500;

#[server(name = GetStaffConsole, endpoint = "staff_console")]
pub async fn staff_console() -> Result<StaffConsole, AppError> {
    let Authorized {
        state,
        caller,
        scope: role,
        ..
    } = require_staff().await?;
    repo::staff_console(&state.db, &caller, role).await
}

/// A benefit of an agreement: assigned to a workspace, or (a draft's) waiting for the Default
/// Workspace that activation creates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementBenefit {
    pub workspace: Option<String>,
    pub kind: BenefitKind,
    pub name: String,
    pub allotment: i64,
}

/// One agreement's page in the staff console: its facts, its people, its workspaces and
/// benefits, and what the caller may do there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAgreement {
    pub id: i64,
    pub organization: String,
    pub agreement_type: AgreementType,
    pub status: AgreementStatus,
    pub starts_on: String,
    pub ends_on: String,
    pub contact_limit: i64,
    /// The assigned CSAM's and AC's display names.
    pub csam: Option<String>,
    pub ac: Option<String>,
    /// The addresses named when the agreement was created: invited when it is activated.
    pub services_admins: Vec<String>,
    pub support_contacts: Vec<String>,
    pub workspaces: Vec<ConsoleWorkspace>,
    pub benefits: Vec<AgreementBenefit>,
    /// A draft, and the caller is the operator or its CSAM or AC.
    pub can_activate: bool,
    /// Its CSAM or AC: creates workspaces and adds benefits.
    pub can_manage: bool,
}

/// One agreement for its page in the staff console: the agreement's guard first (another
/// agreement answers 404 like a missing one), then staff only (its Services Administrators
/// have their workspaces' pages).
#[server(name = GetStaffAgreement, endpoint = "staff_agreement")]
pub async fn staff_agreement(agreement_id: i64) -> Result<StaffAgreement, AppError> {
    let who = require_agreement(agreement_id, AgreementPermission::View).await?;
    crate::auth::guard::staff_only(&who.caller)?;
    repo::staff_agreement(&who.state.db, &who.scope).await
}

/// The address of an agreement's page, with the notice of what was just done.
pub fn agreement_page(agreement_id: i64, done: &str) -> String {
    format!("/staff/agreements/{agreement_id}?done={done}")
}

/// Splits an address list typed into a form: commas, semicolons or line breaks.
pub fn split_addresses(list: &str) -> Vec<&str> {
    list.split([',', ';', '\n', '\r'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect()
}

/// A customer organization and its (first) email domain: the operator only.
#[server(endpoint = "create_organization_staff")]
pub async fn create_organization_staff(name: String, domain: String) -> Result<(), AppError> {
    let who = require_operator().await?;
    crate::accounts::service::create_organization(&who.state, &name, &domain, who.actor(), &who.ip)
        .await?;
    leptos_axum::redirect("/staff?done=organization");
    Ok(())
}

/// A draft agreement: the operator only. `organization` is the organization's name (the form's
/// list offers the existing ones). Address lists are separated by commas or line breaks; an
/// empty benefit field means the agreement has none of that benefit. Lands on its page.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "create_agreement_staff")]
pub async fn create_agreement_staff(
    organization: String,
    agreement_type: String,
    services_admins: String,
    support_contacts: String,
    csam: String,
    ac: String,
    contact_limit: String,
    start: String,
    end: String,
    reactive_hours: String,
    proactive_credits: String,
) -> Result<(), AppError> {
    let who = require_operator().await?;
    // The form offers a list; a blank choice is named here rather than as an unknown name.
    if organization.trim().is_empty() {
        return Err(AppError::field(
            "organization",
            "Choose the organization the agreement is for.",
        ));
    }
    let mut benefits = Vec::new();
    for (kind, value) in [
        (BenefitKind::ReactiveHours, reactive_hours.as_str()),
        (BenefitKind::ProactiveCredits, proactive_credits.as_str()),
    ] {
        if !value.trim().is_empty() {
            benefits.push((kind.as_str(), kind.label(), value));
        }
    }
    let input = service::AgreementInput {
        organization: &organization,
        agreement_type: &agreement_type,
        services_admins: split_addresses(&services_admins),
        support_contacts: split_addresses(&support_contacts),
        csam: Some(csam.as_str()),
        ac: Some(ac.as_str()),
        contact_limit: Some(contact_limit.as_str()),
        start: Some(start.as_str()),
        end: Some(end.as_str()),
        benefits,
    };
    let id = service::create_agreement(&who.state, input, who.actor(), &who.ip).await?;
    leptos_axum::redirect(&agreement_page(id, "agreement"));
    Ok(())
}

/// Activates a draft agreement (its Default Workspace, its invitations): the operator or the
/// agreement's CSAM or AC.
#[server(endpoint = "activate_agreement")]
pub async fn activate_agreement(agreement_id: i64) -> Result<(), AppError> {
    let who = require_agreement(agreement_id, AgreementPermission::Activate).await?;
    service::activate(
        &who.state,
        agreement_id,
        who.actor(),
        Some(&who.caller),
        &who.ip,
    )
    .await?;
    leptos_axum::redirect(&agreement_page(agreement_id, "activated"));
    Ok(())
}

/// An additional workspace with its Workspace Administrator invited: the agreement's CSAM or AC.
#[server(endpoint = "create_workspace")]
pub async fn create_workspace(
    agreement_id: i64,
    name: String,
    admin_email: String,
) -> Result<(), AppError> {
    let who = require_agreement(agreement_id, AgreementPermission::CreateWorkspace).await?;
    service::create_workspace(&who, &name, &admin_email).await?;
    leptos_axum::redirect(&agreement_page(agreement_id, "workspace"));
    Ok(())
}

/// A benefit for one workspace: the agreement's CSAM or AC.
#[server(endpoint = "add_benefit")]
pub async fn add_benefit(
    workspace_id: i64,
    kind: String,
    name: String,
    allotment: String,
) -> Result<(), AppError> {
    let who = require(workspace_id, Permission::ManageBenefits).await?;
    service::add_benefit(&who, &kind, &name, &allotment).await?;
    leptos_axum::redirect(&agreement_page(who.scope.agreement_id, "benefit"));
    Ok(())
}
