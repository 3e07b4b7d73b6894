//! The Customer Activity CSV export: a plain GET route (a download, not a server function),
//! authorized exactly like the page. RFC 4180 through the `csv` crate; a cell that a spreadsheet
//! would read as a formula is prefixed with `'`.

use crate::{activity::Activity, auth::session, error::AppError, state::AppState};
use axum::{
    extract::Query,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    pub workspace: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

/// A cell as a spreadsheet may open it safely: one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return is prefixed with `'` so it is never taken for a formula.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

/// The activity as CSV: one header row, then one row per figure.
pub fn to_csv(activity: &Activity) -> Result<String, AppError> {
    let mut rows: Vec<[String; 6]> = vec![[
        "Section".into(),
        "Workspace".into(),
        "Item".into(),
        "Value".into(),
        "Used or closed".into(),
        "Remaining".into(),
    ]];
    let scope = activity.selected_name.clone();
    rows.push([
        "Range".into(),
        scope.clone(),
        "From – to".into(),
        activity.from.clone(),
        activity.to.clone(),
        String::new(),
    ]);
    for a in &activity.agreements {
        rows.push([
            "Agreement".into(),
            a.organization.clone(),
            a.agreement_type.label().into(),
            format!("{} – {}", a.starts_on, a.ends_on),
            a.status.label().into(),
            String::new(),
        ]);
    }
    for b in &activity.benefits {
        rows.push([
            "Benefit".into(),
            b.workspace.clone(),
            format!("{} ({})", b.name, b.kind.label()),
            number(b.allotted),
            number(b.used),
            number(b.remaining),
        ]);
    }
    for c in &activity.by_status {
        rows.push([
            "Cases by status".into(),
            scope.clone(),
            c.status.label().into(),
            c.n.to_string(),
            String::new(),
            String::new(),
        ]);
    }
    for c in &activity.by_severity {
        rows.push([
            "Cases by severity".into(),
            scope.clone(),
            c.severity.label().into(),
            c.n.to_string(),
            String::new(),
            String::new(),
        ]);
    }
    for m in &activity.months {
        rows.push([
            "Cases per month (opened, closed)".into(),
            scope.clone(),
            m.month.clone(),
            m.opened.to_string(),
            m.closed.to_string(),
            String::new(),
        ]);
    }
    for d in &activity.deliveries {
        rows.push([
            "Proactive service delivered (credits; hours)".into(),
            d.workspace.clone(),
            format!("{} ({})", d.name, d.delivered_on),
            d.credits.to_string(),
            number(d.minutes as f64 / 60.0),
            String::new(),
        ]);
    }
    rows.push([
        "Users joined".into(),
        scope.clone(),
        String::new(),
        activity.users_joined.to_string(),
        String::new(),
        String::new(),
    ]);
    for f in &activity.feed {
        rows.push([
            "Recent activity".into(),
            f.workspace.clone(),
            f.action.clone(),
            f.detail.clone(),
            f.who.clone(),
            crate::components::format_date_time(f.at),
        ]);
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| neutralise(cell)))
            .map_err(AppError::internal)?;
    }
    let bytes = writer.into_inner().map_err(AppError::internal)?;
    String::from_utf8(bytes).map_err(AppError::internal)
}

fn from_error(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        error.to_string(),
    )
        .into_response()
}

/// GET /activity/export.csv?workspace=…&from=…&to=…
pub async fn export(state: AppState, query: Query<ExportQuery>, headers: HeaderMap) -> Response {
    let caller = match session::caller_from_headers(&state, &headers).await {
        Ok(Some(caller)) => caller,
        Ok(None) => return Redirect::to("/sign-in?next=%2Factivity").into_response(),
        Err(error) => return from_error(&error),
    };
    let activity = match crate::activity::authorized_load(
        &state,
        &caller,
        &query.workspace,
        &query.from,
        &query.to,
    )
    .await
    .and_then(|a| to_csv(&a))
    {
        Ok(csv) => csv,
        Err(error) => return from_error(&error),
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"customer-activity.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        activity,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise("=cmd()"), "'=cmd()");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@x"), "'@x");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("\rx"), "'\rx");
        assert_eq!(neutralise("plain"), "plain");
    }
}
