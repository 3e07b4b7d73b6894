//! `GET /events?topic=…`: a Server-Sent Events stream of live updates (`events`). The topic is
//! authorized first, exactly as reading that thing is: a case through the workspace guard and
//! the case visibility predicate (another workspace's case answers like a missing one, 404),
//! the case list through the workspace guard, Manage Users with its permission. Then the stream
//! carries ids only; the browser re-reads through the guarded server functions, so nothing is
//! checked again per event.

use crate::{
    auth::{
        guard::{self as access, Permission},
        session,
    },
    error::AppError,
    events::Topic,
    state::AppState,
};
use axum::{
    extract::Query,
    http::{header, HeaderMap, StatusCode},
    response::{
        sse::{Event as SseEvent, KeepAlive, Sse},
        IntoResponse, Response,
    },
};
use futures::StreamExt;
use serde::Deserialize;
use std::{convert::Infallible, time::Duration};

/// A stream ends after this long; the browser's EventSource opens it again by itself, which
/// authorizes the topic afresh (a member removed meanwhile gets 404 and stops).
const MAX_STREAM: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Default, Deserialize)]
pub struct EventsQuery {
    #[serde(default)]
    pub topic: String,
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

/// Authorizes `topic` for the caller of `headers` as its page's read does.
async fn authorize(state: &AppState, headers: &HeaderMap, topic: &str) -> Result<Topic, AppError> {
    let caller = session::caller_from_headers(state, headers)
        .await?
        .ok_or(AppError::Unauthorized)?;
    // An unreadable topic names nothing the caller could read.
    let topic = Topic::parse(topic).ok_or(AppError::NotFound)?;
    match topic {
        Topic::Case {
            workspace_id,
            case_id,
        } => {
            let scope =
                access::workspace(&state.db, &caller, workspace_id, Permission::View).await?;
            crate::cases::check_visible(&state.db, &scope, &caller, case_id).await?;
        }
        Topic::Cases { workspace_id } => {
            access::workspace(&state.db, &caller, workspace_id, Permission::View).await?;
        }
        Topic::Members { workspace_id } => {
            access::workspace(&state.db, &caller, workspace_id, Permission::ManageMembers).await?;
        }
    }
    Ok(topic)
}

/// GET /events?topic=case:<workspace>:<case> | cases:<workspace> | members:<workspace>
pub async fn events(state: AppState, query: Query<EventsQuery>, headers: HeaderMap) -> Response {
    let topic = match authorize(&state, &headers, &query.topic).await {
        Ok(topic) => topic,
        Err(error) => return from_error(&error),
    };
    let subscription = match state.events.subscribe().await {
        Ok(subscription) => subscription,
        Err(error) => return from_error(&error),
    };
    let stream = futures::stream::unfold(subscription, move |mut subscription| async move {
        loop {
            let event = subscription.next().await?;
            if let Some(data) = topic.message(&event) {
                let message = SseEvent::default().data(data);
                return Some((Ok::<_, Infallible>(message), subscription));
            }
        }
    })
    .take_until(tokio::time::sleep(MAX_STREAM));
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
