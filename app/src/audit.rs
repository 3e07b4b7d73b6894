//! The audit log: who did which administrative action to what, when and from where. Written by
//! every domain inside its own transaction (`repo::record`); read per workspace by its
//! administrators and the agreement's staff.

pub mod pages;

#[cfg(feature = "ssr")]
pub mod repo;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Authorized, Permission};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Entries per page of the audit log.
pub const PAGE_SIZE: i64 = 50;

/// One entry as the audit log page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// Unix seconds (UTC).
    pub at: i64,
    pub who: String,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    pub detail: String,
    pub ip: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub workspace_id: i64,
    pub workspace_name: String,
    pub rows: Vec<AuditRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// One page (50 entries, newest first) of a workspace's audit log: its administrators, the
/// agreement's Services Administrators and its assigned staff.
#[server(endpoint = "audit_log")]
pub async fn audit_log(workspace_id: i64, page: i64) -> Result<AuditPage, AppError> {
    let Authorized { state, scope, .. } = require(workspace_id, Permission::ViewAudit).await?;
    repo::list(&state.db, &scope, page).await
}
