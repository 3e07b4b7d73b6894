//! GET /invoices/{id}/pdf: a plain route (a download, not a server function), authorized like
//! the invoice's page.

use crate::{
    auth::{guard::OrgPermission, organization::organization, session},
    billing::{pdf::render, repo},
    error::AppError,
    state::AppState,
};
use axum::{
    extract::Path,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

fn from_error(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        error.to_string(),
    )
        .into_response()
}

/// GET /invoices/{id}/pdf: signed out, to "Sign in" and back to the invoice; without the
/// Billing or Global role 403; another organization's id 404, like a missing one.
pub async fn pdf(state: AppState, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let id = id.parse::<i64>().ok();
    let caller = match session::caller_from_headers(&state, &headers).await {
        Ok(Some(caller)) => caller,
        Ok(None) => {
            let back = id.map_or_else(String::new, |id| format!("?next=%2Finvoices%2F{id}"));
            return Redirect::to(&format!("/sign-in{back}")).into_response();
        }
        Err(error) => return from_error(&error),
    };
    let scope = match organization(&state.db, &caller, OrgPermission::ViewInvoices).await {
        Ok(scope) => scope,
        Err(error) => return from_error(&error),
    };
    let Some(id) = id else {
        return from_error(&AppError::NotFound);
    };
    let invoice = match repo::view(&state.db, &scope, id).await {
        Ok(invoice) => invoice,
        Err(error) => return from_error(&error),
    };
    // printpdf draws synchronously: an invoice is a page or two of text.
    let bytes = render(&invoice);
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.pdf\"", invoice.number),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}
