//! Layers every response passes through: cross-site request refusal, security headers, and the
//! HTTP status of server-function errors.

use app::{error::AppError, state::AppState};
use axum::{
    body::{to_bytes, Body},
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Refuses state-changing requests that a browser marks as cross-site, or whose `Origin` is not
/// this host. Requests with neither header come from non-browser clients, which cannot carry a
/// victim's cookies, so they pass.
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let refused = match fetch_site {
        Some(site) => site == "cross-site",
        None => match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            Some(origin) => {
                let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
                let origin_host = origin
                    .strip_prefix("https://")
                    .or_else(|| origin.strip_prefix("http://"));
                origin_host.is_none() || origin_host != host
            }
            None => false,
        },
    };
    if refused {
        tracing::warn!(path = %req.uri().path(), "refused a cross-site request");
        return (
            StatusCode::FORBIDDEN,
            "This request came from another site and was refused.",
        )
            .into_response();
    }
    next.run(req).await
}

/// The pages carry a nonce-based Content-Security-Policy set while rendering (`app::shell`);
/// every other response gets the strict default here.
pub async fn security_headers(State(tls): State<bool>, req: Request, next: Next) -> Response {
    let is_asset =
        req.uri().path().starts_with("/pkg/") || req.uri().path().starts_with("/favicon");
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "same-origin");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        set(
            headers,
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        );
    }
    if !is_asset {
        // Pages and answers may hold a signed-in user's data: never stored by any cache.
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    if tls {
        set(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    res
}

/// Server functions answer errors with 500 by default; this gives each `AppError` its own
/// status (401, 403, 404, 422, …) in one place. Plain form posts are redirects and pass as
/// they are.
pub async fn status_from_app_error(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "error").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// For load balancers and the operator: the process answers and the database responds.
pub async fn health(state: AppState) -> Response {
    match sqlx::query("SELECT 1").execute(state.db.pool()).await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(error) => {
            tracing::error!("health check: {error}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
