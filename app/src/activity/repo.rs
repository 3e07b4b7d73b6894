//! Queries of Customer Activity (server only). The workspaces read are exactly those the guard
//! authorized; every figure comes from one query over all of them (an `IN` list of ids), and the
//! case figures from the aggregates kept by `cases::repo`, so nothing scans the cases.

mod case_figures;
mod delivery;
mod feed;
mod figures;

pub use delivery::{parse_hours, record_delivery, DeliveryInput};
pub use figures::figures;

use crate::{
    activity::{Activity, DateRange, WorkspaceOption, ALL},
    auth::{guard::WorkspaceScope, session::Caller},
    error::AppError,
    state::{now, Db},
};

pub fn today() -> time::Date {
    time::OffsetDateTime::from_unix_timestamp(now())
        .map(|t| t.date())
        .unwrap_or(time::Date::MIN)
}

/// The workspaces a request names, before any rights are checked: one id, or "all" = every
/// workspace the caller may open (their own list, never ids from the request). The caller's
/// rights in each are the guard's to decide (`activity::authorized_load`).
pub struct Requested {
    pub ids: Vec<i64>,
    pub options: Vec<WorkspaceOption>,
    pub can_aggregate: bool,
    pub selected: String,
}

pub async fn requested(db: &Db, caller: &Caller, workspace: &str) -> Result<Requested, AppError> {
    let mine = crate::workspaces::open_to(db, caller).await?;
    let can_aggregate = mine.items.len() > 1;
    let options: Vec<WorkspaceOption> = mine
        .items
        .iter()
        .map(|w| WorkspaceOption {
            id: w.id,
            name: w.name.clone(),
            organization: w.organization.clone(),
            agreement_type: w.agreement_type,
        })
        .collect();
    let requested = workspace.trim();
    let (ids, selected): (Vec<i64>, String) = if requested == ALL && can_aggregate {
        (options.iter().map(|w| w.id).collect(), ALL.to_owned())
    } else if requested.is_empty() || requested == ALL {
        // One workspace (or none): "All Workspaces" is not offered; show the current one.
        let id = mine.current.ok_or(AppError::NotFound)?;
        (vec![id], id.to_string())
    } else {
        let id = requested.parse::<i64>().map_err(|_| AppError::NotFound)?;
        (vec![id], id.to_string())
    };
    Ok(Requested {
        ids,
        options,
        can_aggregate,
        selected,
    })
}

/// Customer Activity of the workspaces the guard authorized, for a date range.
pub async fn load(
    db: &Db,
    caller: &Caller,
    scopes: &[WorkspaceScope],
    request: Requested,
    range: &DateRange,
) -> Result<Activity, AppError> {
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    figures(
        db,
        caller,
        scopes,
        range,
        request.options,
        request.can_aggregate,
        request.selected,
    )
    .await
}
