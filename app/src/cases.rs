//! Support cases (README, "Support cases and Customer Activity"): a support contact opens a case in
//! a workspace; its opener, the members it is shared with, the workspace's administrators, members
//! holding "View all support requests" and the agreement's staff see it; nobody outside the
//! workspace, ever. Server functions stay thin: authenticate, authorize through the workspace
//! guard, call `repo`, whose every read goes through one visibility predicate.

pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod repo;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Authorized, Permission};

/// What a member sees of a workspace's cases, as SQL over `c` (the cases table) with `account`
/// as the caller's placeholder: the one predicate every read of cases uses. For Customer
/// Activity's feed, so both agree on who sees a case.
#[cfg(feature = "ssr")]
pub fn member_sees(account: &str) -> String {
    repo::member_sees(account)
}

/// Whether the caller's role in this workspace shows them every case.
#[cfg(feature = "ssr")]
pub fn sees_all(scope: &crate::auth::WorkspaceScope) -> bool {
    repo::sees_all(scope) == 1
}

/// `NotFound` unless the caller sees the case (for the live-update stream, `live`).
#[cfg(feature = "ssr")]
pub async fn check_visible(
    db: &crate::state::Db,
    scope: &crate::auth::WorkspaceScope,
    caller: &crate::auth::Caller,
    case_id: i64,
) -> Result<(), AppError> {
    repo::check_visible(db, scope, caller, case_id).await
}

/// Takes back the cases shared by name with a member who leaves the workspace (inside the
/// removal's transaction), so an invitation back later starts afresh.
#[cfg(feature = "ssr")]
pub async fn forget_member(
    tx: &mut crate::db::Tx,
    workspace_id: i64,
    account_id: i64,
) -> Result<(), AppError> {
    repo::forget_member(tx, workspace_id, account_id).await
}
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
pub use types::{CaseDescription, CaseStatus, CaseTitle, ContactMethod, Severity};

/// Cases per page of the list.
pub const PAGE_SIZE: i64 = 25;

/// The most minutes one time entry may record (a day).
pub const MAX_MINUTES: i64 = 1_440;

/// One row of the case list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRow {
    pub id: i64,
    pub title: String,
    pub severity: Severity,
    pub status: CaseStatus,
    pub product_area: String,
    pub opened_by: String,
    /// Unix seconds.
    pub opened_at: i64,
    pub updated_at: i64,
}

/// The orders the case list offers; anything else is the default, newest first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseSort {
    #[default]
    Newest,
    Oldest,
    Updated,
    Severity,
    Status,
    Title,
}

impl CaseSort {
    pub const ALL: [CaseSort; 6] = [
        CaseSort::Newest,
        CaseSort::Oldest,
        CaseSort::Updated,
        CaseSort::Severity,
        CaseSort::Status,
        CaseSort::Title,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseSort::Newest => "newest",
            CaseSort::Oldest => "oldest",
            CaseSort::Updated => "updated",
            CaseSort::Severity => "severity",
            CaseSort::Status => "status",
            CaseSort::Title => "title",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseSort::Newest => "Newest first",
            CaseSort::Oldest => "Oldest first",
            CaseSort::Updated => "Recently updated",
            CaseSort::Severity => "Severity (A first)",
            CaseSort::Status => "Status (new first)",
            CaseSort::Title => "Title (A to Z)",
        }
    }

    pub fn parse(value: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == value.trim())
            .unwrap_or_default()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseList {
    pub workspace_id: i64,
    pub workspace_name: String,
    pub rows: Vec<CaseRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    /// The caller is a support contact of the workspace (may open cases).
    pub can_open: bool,
    /// The caller administers the workspace's members (can make themselves a support contact).
    pub can_manage_members: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Note,
    Status,
    Time,
}

/// One entry of a case's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    pub id: i64,
    pub author: String,
    pub kind: EventKind,
    pub body: String,
    pub status: Option<CaseStatus>,
    pub minutes: Option<i64>,
    /// Written by the provider's staff.
    pub staff: bool,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportCase {
    pub workspace_id: i64,
    pub workspace_name: String,
    pub id: i64,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub product_area: String,
    pub contact_method: ContactMethod,
    pub status: CaseStatus,
    pub opened_by: String,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    pub events: Vec<CaseEvent>,
    /// The names and addresses of the members it is shared with.
    pub shared_with: Vec<String>,
    /// The names of the groups it is shared with.
    pub shared_with_groups: Vec<String>,
    /// The workspace's groups it can be shared with (id, name), for who may share it.
    pub share_groups: Vec<(i64, String)>,
    pub total_minutes: i64,
    pub is_opener: bool,
    /// The opener or a workspace administrator: may share it.
    pub can_share: bool,
    /// The agreement's assigned staff: any status, records time.
    pub is_staff: bool,
}

/// After a change, the case's page again, with a notice of what was done.
#[cfg(feature = "ssr")]
fn back_to_case(workspace_id: i64, case_id: i64, done: &str) {
    leptos_axum::redirect(&format!(
        "/workspaces/{workspace_id}/cases/{case_id}?done={done}"
    ));
}

/// Every case function's guard: a part in the workspace; `repo` decides what of it they see.
#[cfg(feature = "ssr")]
async fn guard(workspace_id: i64) -> Result<Authorized, AppError> {
    require(workspace_id, Permission::View).await
}

/// Opens a case (support contacts only) and goes to its page. Returns its id.
#[server(endpoint = "open_case")]
pub async fn open_case(
    workspace_id: i64,
    title: String,
    description: String,
    severity: String,
    product_area: String,
    contact_method: String,
) -> Result<i64, AppError> {
    let who = guard(workspace_id).await?;
    let input = repo::NewCase::parse(
        &title,
        &description,
        &severity,
        &product_area,
        &contact_method,
    )?;
    let id = repo::open(&who, input).await?;
    who.state
        .events
        .publish(crate::events::Event::cases(workspace_id))
        .await;
    leptos_axum::redirect(&format!("/workspaces/{workspace_id}/cases/{id}"));
    Ok(id)
}

/// One page of the cases the caller may see, filtered ("" = any), searched by title and sorted
/// (`CaseSort`; absent = newest first).
#[server(endpoint = "list_cases")]
pub async fn list_cases(
    workspace_id: i64,
    status: String,
    severity: String,
    mine: bool,
    search: String,
    page: i64,
    #[server(default)] sort: String,
) -> Result<CaseList, AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ..
    } = guard(workspace_id).await?;
    repo::list(
        &state.db,
        &scope,
        &caller,
        &repo::Filter {
            status: CaseStatus::parse(&status).ok(),
            severity: Severity::parse(&severity).ok(),
            mine,
            search: search.chars().take(200).collect(),
            page: page.max(1),
            sort: CaseSort::parse(&sort),
        },
    )
    .await
}

/// A case with its timeline; a case the caller may not see answers like a missing one.
#[server(endpoint = "case_detail")]
pub async fn case_detail(workspace_id: i64, case_id: i64) -> Result<SupportCase, AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ..
    } = guard(workspace_id).await?;
    repo::detail(&state.db, &scope, &caller, case_id).await
}

#[server(endpoint = "add_case_note")]
pub async fn add_case_note(workspace_id: i64, case_id: i64, body: String) -> Result<(), AppError> {
    let who = guard(workspace_id).await?;
    let body = CaseDescription::parse_note(&body).map_err(|m| AppError::field("body", m))?;
    repo::add_note(&who, case_id, &body).await?;
    who.state
        .events
        .publish(crate::events::Event::case(workspace_id, case_id))
        .await;
    back_to_case(workspace_id, case_id, "note");
    Ok(())
}

/// Staff set any status; the opener may close their case or reopen it.
#[server(endpoint = "set_case_status")]
pub async fn set_case_status(
    workspace_id: i64,
    case_id: i64,
    status: String,
) -> Result<(), AppError> {
    let who = guard(workspace_id).await?;
    let status = CaseStatus::parse(&status).map_err(|m| AppError::field("status", m))?;
    repo::set_status(&who, case_id, status).await?;
    who.state
        .events
        .publish(crate::events::Event::case(workspace_id, case_id))
        .await;
    back_to_case(workspace_id, case_id, "status");
    Ok(())
}

/// Staff record time spent on a case (1 to 1,440 minutes), with an optional note.
#[server(endpoint = "record_case_time")]
pub async fn record_case_time(
    workspace_id: i64,
    case_id: i64,
    minutes: String,
    note: String,
) -> Result<(), AppError> {
    let who = guard(workspace_id).await?;
    repo::record_time(&who, case_id, &minutes, &note).await?;
    who.state
        .events
        .publish(crate::events::Event::case(workspace_id, case_id))
        .await;
    back_to_case(workspace_id, case_id, "time");
    Ok(())
}

/// Shares a case with a group of the same workspace (its opener or an administrator).
#[server(endpoint = "share_case_with_group")]
pub async fn share_case_with_group(
    workspace_id: i64,
    case_id: i64,
    group_id: String,
) -> Result<(), AppError> {
    let who = guard(workspace_id).await?;
    let group_id = group_id
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::field("group_id", "Choose a group."))?;
    repo::share_group(&who, case_id, group_id).await?;
    who.state
        .events
        .publish(crate::events::Event::case(workspace_id, case_id))
        .await;
    back_to_case(workspace_id, case_id, "shared");
    Ok(())
}

/// Shares a case with another member of the same workspace (its opener or an administrator).
#[server(endpoint = "share_case")]
pub async fn share_case(workspace_id: i64, case_id: i64, email: String) -> Result<(), AppError> {
    let who = guard(workspace_id).await?;
    repo::share(&who, case_id, &email).await?;
    who.state
        .events
        .publish(crate::events::Event::case(workspace_id, case_id))
        .await;
    back_to_case(workspace_id, case_id, "shared");
    Ok(())
}
