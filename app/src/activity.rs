//! Customer Activity (README, "Support cases and Customer Activity"): per workspace or "All
//! Workspaces", the agreement summary, each benefit's allotment / used / remaining, case counts by
//! status and severity, cases opened and closed per month, proactive services delivered, users
//! joined and a recent-activity feed, for a date range; exported as CSV. Every workspace read is
//! authorized by the workspace guard; "All Workspaces" is exactly the set the caller may open.

pub mod chart;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod repo;

use crate::{
    cases::{CaseStatus, Severity},
    error::{AppError, FieldErrors},
    workspaces::{AgreementStatus, AgreementType, BenefitKind},
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The value of the workspace filter that aggregates every workspace the caller may see.
pub const ALL: &str = "all";

/// The longest range the page accepts (the chart has one bar pair per month).
pub const MAX_MONTHS: i64 = 120;

/// Entries in the recent-activity feed.
pub const FEED_SIZE: i64 = 20;

/// A validated date range, inclusive, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    pub from: time::Date,
    pub to: time::Date,
}

fn iso(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn parse_date(input: &str) -> Result<time::Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(input.trim(), &format)
        .map_err(|_| "Enter a date as YYYY-MM-DD, for example 2026-01-31.".to_owned())
}

/// Months from (year, month) to (year, month), counting both.
fn month_span(from: time::Date, to: time::Date) -> i64 {
    (i64::from(to.year()) * 12 + i64::from(u8::from(to.month())))
        - (i64::from(from.year()) * 12 + i64::from(u8::from(from.month())))
        + 1
}

impl DateRange {
    /// The last 12 months up to `today`: from the first day of the month 11 months back.
    pub fn default_for(today: time::Date) -> Self {
        let mut year = today.year();
        let mut month = i32::from(u8::from(today.month())) - 11;
        if month < 1 {
            month += 12;
            year -= 1;
        }
        let from = u8::try_from(month)
            .ok()
            .and_then(|m| time::Month::try_from(m).ok())
            .and_then(|m| time::Date::from_calendar_date(year, m, 1).ok())
            .unwrap_or(today);
        Self { from, to: today }
    }

    /// Parses the filter; an empty field takes the default (the last 12 months).
    pub fn parse(from: &str, to: &str, today: time::Date) -> Result<Self, AppError> {
        let default = Self::default_for(today);
        let mut errors = FieldErrors::default();
        let from = if from.trim().is_empty() {
            Some(default.from)
        } else {
            errors.check("from", parse_date(from))
        };
        let to = if to.trim().is_empty() {
            Some(default.to)
        } else {
            errors.check("to", parse_date(to))
        };
        errors.into_result()?;
        let (Some(from), Some(to)) = (from, to) else {
            return Err(AppError::field("from", "Enter a date as YYYY-MM-DD."));
        };
        if from > to {
            return Err(AppError::field(
                "to",
                "The end of the range must not be before its start.",
            ));
        }
        if month_span(from, to) > MAX_MONTHS {
            return Err(AppError::field(
                "from",
                format!("Choose a range of at most {MAX_MONTHS} months."),
            ));
        }
        Ok(Self { from, to })
    }

    pub fn from_iso(&self) -> String {
        iso(self.from)
    }

    pub fn to_iso(&self) -> String {
        iso(self.to)
    }

    /// Every month of the range, 'YYYY-MM'.
    pub fn months(&self) -> Vec<String> {
        let (mut year, mut month) = (self.from.year(), u8::from(self.from.month()));
        let mut months = Vec::new();
        for _ in 0..month_span(self.from, self.to).clamp(0, MAX_MONTHS) {
            months.push(format!("{year:04}-{month:02}"));
            month += 1;
            if month > 12 {
                month = 1;
                year += 1;
            }
        }
        months
    }

    /// Unix seconds of the range's first instant and of the instant after its last day (UTC).
    pub fn bounds(&self) -> (i64, i64) {
        let start = self.from.midnight().assume_utc().unix_timestamp();
        let end = self.to.midnight().assume_utc().unix_timestamp() + 86_400;
        (start, end)
    }
}

/// A workspace offered by the filter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceOption {
    pub id: i64,
    pub name: String,
    pub organization: String,
    /// Tells apart two workspaces of one organization with the same name (each agreement has
    /// its own "Default Workspace").
    pub agreement_type: AgreementType,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementLine {
    pub agreement_id: i64,
    pub organization: String,
    pub agreement_type: AgreementType,
    pub status: AgreementStatus,
    pub starts_on: String,
    pub ends_on: String,
}

/// One benefit of one workspace: reactive hours in hours, proactive credits in credits.
/// `remaining` is negative when more was used than allotted (never hidden).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenefitLine {
    pub workspace_id: i64,
    pub workspace: String,
    pub kind: BenefitKind,
    pub name: String,
    pub allotted: f64,
    pub used: f64,
    pub remaining: f64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCount {
    pub status: CaseStatus,
    pub n: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCount {
    pub severity: Severity,
    pub n: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCount {
    /// 'YYYY-MM'.
    pub month: String,
    pub opened: i64,
    pub closed: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub workspace_id: i64,
    pub workspace: String,
    pub name: String,
    pub delivered_on: String,
    pub credits: i64,
    /// Hours delivered, in minutes.
    pub minutes: i64,
    pub recorded_by: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedEntry {
    pub at: i64,
    pub workspace_id: i64,
    pub workspace: String,
    pub who: String,
    /// The audit log's code ("member.add"); the page shows `audit::action_label` of it.
    pub action: String,
    pub detail: String,
}

/// Everything the Customer Activity page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// A workspace id, or "all".
    pub selected: String,
    pub selected_name: String,
    pub from: String,
    pub to: String,
    /// The caller may see more than one workspace, so "All Workspaces" is offered.
    pub can_aggregate: bool,
    pub workspaces: Vec<WorkspaceOption>,
    pub agreements: Vec<AgreementLine>,
    pub benefits: Vec<BenefitLine>,
    pub by_status: Vec<StatusCount>,
    pub by_severity: Vec<SeverityCount>,
    pub months: Vec<MonthCount>,
    pub deliveries: Vec<Delivery>,
    pub users_joined: i64,
    pub feed: Vec<FeedEntry>,
    /// The selected workspace's assigned CSAM or AC: may record proactive services.
    pub can_record: bool,
}

impl Activity {
    pub fn total_cases(&self) -> i64 {
        self.by_status.iter().map(|c| c.n).sum()
    }
}

/// The Customer Activity of one workspace (its id) or of "all" the caller may see, for a date
/// range (empty = the last 12 months).
#[server(endpoint = "customer_activity")]
pub async fn customer_activity(
    workspace: String,
    from: String,
    to: String,
) -> Result<Activity, AppError> {
    let who = crate::auth::guard::require_user().await?;
    authorized_load(&who.state, &who.caller, &workspace, &from, &to).await
}

/// Customer Activity as the page and the CSV export read it: the workspaces the request names,
/// every one authorized by the guard in one query (any refused refuses the whole request), then
/// the figures over exactly those.
#[cfg(feature = "ssr")]
pub async fn authorized_load(
    state: &crate::state::AppState,
    caller: &crate::auth::Caller,
    workspace: &str,
    from: &str,
    to: &str,
) -> Result<Activity, AppError> {
    let range = DateRange::parse(from, to, repo::today())?;
    let request = repo::requested(&state.db, caller, workspace).await?;
    let scopes = crate::auth::guard::workspaces(
        &state.db,
        caller,
        &request.ids,
        crate::auth::Permission::View,
    )
    .await?;
    repo::load(&state.db, caller, &scopes, request, &range).await
}

/// Staff record a proactive service delivered to a workspace (its assigned CSAM or AC).
#[server(endpoint = "record_delivery")]
pub async fn record_delivery(
    workspace_id: i64,
    name: String,
    delivered_on: String,
    credits: String,
    #[server(default)] hours: String,
) -> Result<(), AppError> {
    use crate::auth::guard::{require, Authorized, Permission};
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = require(workspace_id, Permission::ManageBenefits).await?;
    let input = repo::DeliveryInput {
        name: &name,
        delivered_on: &delivered_on,
        credits: &credits,
        hours: &hours,
    };
    repo::record_delivery(&state, &caller, &scope, input, &ip).await?;
    leptos_axum::redirect(&format!("/activity?workspace={workspace_id}&done=delivery"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> time::Date {
        parse_date(s).expect("date")
    }

    #[test]
    fn the_default_range_is_the_last_twelve_months() {
        let range = DateRange::parse("", "", date("2026-11-23")).expect("range");
        assert_eq!(range.from_iso(), "2025-12-01");
        assert_eq!(range.to_iso(), "2026-11-23");
        assert_eq!(range.months().len(), 12);
        assert_eq!(range.months()[0], "2025-12");
    }

    #[test]
    fn bad_dates_are_field_errors() {
        let today = date("2026-11-23");
        let e = DateRange::parse("2026-13-01", "", today).expect_err("bad");
        assert!(e.field_message("from").is_some());
        let e = DateRange::parse("2026-05-01", "2026-04-01", today).expect_err("reversed");
        assert!(e.field_message("to").is_some());
        let e = DateRange::parse("2000-01-01", "2026-01-01", today).expect_err("long");
        assert!(e.field_message("from").is_some());
    }
}
