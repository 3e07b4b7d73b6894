//! The bulk-invitation upload: a plain multipart POST handled by axum, not a server function.
//! leptos 0.8's multipart server functions panic on a missing boundary and stream past
//! `DefaultBodyLimit`; here the size is checked before the body is read, axum's extractor answers
//! a malformed form with 400, and the file is only stored for the dry run — nothing is sent
//! before the person confirms.

use crate::{
    auth::{
        guard::{self as access, Permission},
        session,
    },
    error::AppError,
    invitations::bulk,
    state::{now, AppState},
};
use axum::{
    extract::{
        multipart::{MultipartError, MultipartRejection},
        Multipart, Path,
    },
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use sqlx::Row;

/// The request may carry the form's other fields and multipart framing beside the file.
pub const MAX_BODY_BYTES: usize = bulk::MAX_FILE_BYTES + 64 * 1024;

fn refuse(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message.to_owned(),
    )
        .into_response()
}

fn from_error(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    refuse(status, &error.to_string())
}

/// What a body that could not be read gets: the body limit (on the route) ends an oversize body
/// while it streams (413 from axum); a connection that ends mid-way fails the stream itself
/// (axum's 500, which is not the server's fault here); anything else is bad framing (400).
fn read_failure(back: &str, error: &MultipartError) -> Response {
    let problem = match error.status() {
        StatusCode::PAYLOAD_TOO_LARGE => bulk::FileProblem::TooLarge,
        StatusCode::INTERNAL_SERVER_ERROR => {
            tracing::info!(%error, "an upload stopped short");
            bulk::FileProblem::Interrupted
        }
        _ => {
            tracing::info!(%error, "refused a malformed upload");
            return refuse(StatusCode::BAD_REQUEST, "The upload could not be read.");
        }
    };
    Redirect::to(&format!("{back}?import_error={}", problem.code())).into_response()
}

pub async fn upload(
    state: AppState,
    Path(workspace_id): Path<i64>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let back = format!("/workspaces/{workspace_id}/users");
    let caller = match session::caller_from_headers(&state, &headers).await {
        Ok(Some(caller)) => caller,
        Ok(None) => {
            return Redirect::to(&format!("/sign-in?next={}", urlencoding::encode(&back)))
                .into_response()
        }
        Err(error) => return from_error(&error),
    };
    let scope = match access::workspace(&state.db, &caller, workspace_id, Permission::ManageMembers)
        .await
    {
        Ok(scope) => scope,
        Err(error) => return from_error(&error),
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Redirect::to(&format!("{back}?import_error=too_large")).into_response();
    }
    let mut multipart = match multipart {
        Ok(m) => m,
        Err(rejection) => {
            tracing::info!(%rejection, "refused a malformed upload");
            return refuse(
                StatusCode::BAD_REQUEST,
                "The upload was not a valid file form (multipart/form-data with a boundary).",
            );
        }
    };
    let mut file: Option<Vec<u8>> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => match field.bytes().await {
                Ok(bytes) => file = Some(bytes.to_vec()),
                Err(error) => return read_failure(&back, &error),
            },
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(error) => return read_failure(&back, &error),
        }
    }
    let Some(file) = file else {
        return Redirect::to(&format!("{back}?import_error=empty")).into_response();
    };
    if let Err(problem) = bulk::parse(&file) {
        return Redirect::to(&format!("{back}?import_error={}", problem.code())).into_response();
    }
    // parse() accepted it, so it is UTF-8 (a BOM included).
    let content = String::from_utf8_lossy(&file).into_owned();
    let stored = sqlx::query(
        "INSERT INTO bulk_imports (workspace_id, account_id, content, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(scope.workspace_id)
    .bind(caller.account_id)
    .bind(content)
    .bind(now())
    .fetch_one(state.db.pool())
    .await
    .and_then(|row| row.try_get::<i64, _>("id"));
    match stored {
        Ok(id) => {
            Redirect::to(&format!("/workspaces/{workspace_id}/users/import/{id}")).into_response()
        }
        Err(error) => from_error(&AppError::internal(error)),
    }
}
