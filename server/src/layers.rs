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

/// Refuses state-changing requests that a browser marks as coming from anywhere but this
/// origin, or whose `Origin` is not the configured base URL's. `same-site` is refused too: a
/// sibling subdomain is another party that the session cookie would still reach. Requests with
/// neither header come from non-browser clients, which cannot carry a victim's cookies, so they
/// pass.
pub async fn refuse_cross_site(
    State(own_origin): State<std::sync::Arc<str>>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let site_refused =
        text("sec-fetch-site").is_some_and(|site| !matches!(site, "same-origin" | "none"));
    let origin_refused = headers.get(header::ORIGIN).is_some_and(|origin| {
        origin
            .to_str()
            .map_or(true, |o| normalized_origin(o) != *own_origin)
    });
    if site_refused || origin_refused {
        tracing::warn!(path = %req.uri().path(), "refused a cross-site request");
        return (
            StatusCode::FORBIDDEN,
            "This request came from another site and was refused.",
        )
            .into_response();
    }
    next.run(req).await
}

/// `scheme://host[:port]` of a URL as a browser's `Origin` header spells it: lowercased, without
/// a path, and without the scheme's default port.
pub fn normalized_origin(url: &str) -> String {
    let url = url.trim().to_ascii_lowercase();
    let Some((scheme, rest)) = url.split_once("://") else {
        return url;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = match scheme {
        "https" => authority.strip_suffix(":443").unwrap_or(authority),
        "http" => authority.strip_suffix(":80").unwrap_or(authority),
        _ => authority,
    };
    format!("{scheme}://{authority}")
}

/// The largest body a server function takes: its forms hold text (a case description, a list of
/// 500 addresses); files go to their own routes with their own limits.
pub const MAX_SERVER_FN_BODY: usize = 1024 * 1024;

fn refuse(status: StatusCode, message: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

/// Reads a server function's body before leptos does, so what the server-function layer would
/// answer with 500 (and an error in the log) gets its own status and a sentence: a body over
/// the limit 413, one that stops short or a form that is not UTF-8 400.
pub async fn check_server_fn_body(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") || req.method() == Method::GET {
        return next.run(req).await;
    }
    const TOO_LARGE: &str =
        "This request is larger than 1 MiB and was refused. Shorten the text and try again.";
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_SERVER_FN_BODY as u64) {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE);
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, MAX_SERVER_FN_BODY).await {
        Ok(bytes) => bytes,
        Err(error) => {
            let too_large = std::error::Error::source(&error)
                .is_some_and(|e| e.is::<http_body_util::LengthLimitError>());
            return if too_large {
                refuse(StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE)
            } else {
                tracing::info!(%error, "a request body stopped short");
                refuse(
                    StatusCode::BAD_REQUEST,
                    "The request stopped before all of it arrived, so nothing was changed. Please try again.",
                )
            };
        }
    };
    if is_form && !form_is_utf8(&bytes) {
        return refuse(
            StatusCode::BAD_REQUEST,
            "The form was not sent as UTF-8 text, so nothing was changed. Please send it again from the page.",
        );
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Whether a form body, and every name and value in it once percent-decoded, is UTF-8.
fn form_is_utf8(body: &[u8]) -> bool {
    std::str::from_utf8(body).is_ok()
        && body
            .split(|b| *b == b'&')
            .flat_map(|pair| pair.split(|b| *b == b'='))
            .all(|part| std::str::from_utf8(&urlencoding::decode_binary(part)).is_ok())
}

/// What `security_headers` needs to know of the installation.
#[derive(Clone, Copy, Debug)]
pub struct Headers {
    /// Served over HTTPS: HSTS.
    pub tls: bool,
    /// The /pkg files are named by their content hash (a release build), so a browser may keep
    /// them for a year without asking again.
    pub immutable_pkg: bool,
}

/// The nonce of the page being rendered, handed by the render (`hand_nonce_to_headers`, run in
/// every render's context) to `security_headers`, which names it in the page's policy. (It was
/// set through leptos' `ResponseOptions` while rendering the shell; about one first page load in
/// fifteen after signing in came out with the default policy instead, which blocked every inline
/// script, so the page never hydrated. This path does not depend on that.)
#[derive(Clone, Default)]
pub struct PageNonce(std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl PageNonce {
    fn take(&self) -> Option<String> {
        self.0.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// Called in the context of every render: a page's nonce goes to its request's `PageNonce`.
pub fn hand_nonce_to_headers() {
    use leptos::prelude::use_context;
    if let (Some(parts), Some(nonce)) = (
        use_context::<axum::http::request::Parts>(),
        leptos::nonce::use_nonce(),
    ) {
        if let Some(slot) = parts.extensions.get::<PageNonce>() {
            if let Ok(mut slot) = slot.0.lock() {
                *slot = Some(nonce.to_string());
            }
        }
    }
}

/// A page's policy: only leptos' own inline scripts (carrying the nonce) run;
/// `'wasm-unsafe-eval'` lets the WASM bundle compile.
fn page_policy(nonce: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ))
    .ok()
}

/// Pages carry a nonce-based Content-Security-Policy (their nonce comes from the render, see
/// `PageNonce`); every other response gets the strict default here.
pub async fn security_headers(
    State(settings): State<Headers>,
    mut req: Request,
    next: Next,
) -> Response {
    let nonce = PageNonce::default();
    req.extensions_mut().insert(nonce.clone());
    let path = req.uri().path();
    let pkg = path.starts_with("/pkg/");
    // wasm-bindgen's snippets keep their names in every build: never immutable.
    let hashed = settings.immutable_pkg && pkg && !path.starts_with("/pkg/snippets/");
    let is_asset = pkg || path.starts_with("/favicon");
    let mut res = next.run(req).await;
    let success = res.status().is_success();
    let headers = res.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "same-origin");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    if let Some(policy) = nonce.take().as_deref().and_then(page_policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    } else if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        set(
            headers,
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        );
    }
    if pkg && success {
        // Brotli, gzip or plain by Accept-Encoding: shared caches must keep them apart.
        set(headers, header::VARY, "accept-encoding");
        let cache = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        set(headers, header::CACHE_CONTROL, cache);
    } else if !is_asset {
        // Pages and answers may hold a signed-in user's data: never stored by any cache.
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    if settings.tls {
        set(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    res
}

/// Seconds a client should wait before trying a 503 again.
const RETRY_AFTER_SECS: &str = "2";

/// Server functions answer errors with 500 by default; this gives each `AppError` its own
/// status (401, 403, 404, 422, …) in one place. Plain form posts are redirects and pass as
/// they are.
pub async fn status_from_app_error(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    // A busy pool or an unreachable database (`AppError::Unavailable`, a page that rendered it,
    // the health probe): tell clients and load balancers when to come back.
    if res.status() == StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut()
            .entry(header::RETRY_AFTER)
            .or_insert(HeaderValue::from_static(RETRY_AFTER_SECS));
        return res;
    }
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
        if error == AppError::Unavailable {
            parts.headers.insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECS),
            );
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// For load balancers and the operator: the process answers and the database responds.
pub async fn health(state: AppState) -> Response {
    match sqlx::query("SELECT 1").execute(state.db.pool()).await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(error) => {
            tracing::error!("health check: {error}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, RETRY_AFTER_SECS)],
                "database unavailable",
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{form_is_utf8, normalized_origin};

    #[test]
    fn forms_must_decode_to_utf8() {
        assert!(form_is_utf8(b"name=Zo%C3%AB+%C3%85&x="));
        assert!(!form_is_utf8(b"name=jos%E9"));
        assert!(!form_is_utf8(b"name=jos\xE9"));
    }

    #[test]
    fn origins_compare_as_browsers_send_them() {
        assert_eq!(
            normalized_origin("https://Hub.Example:443/portal/"),
            "https://hub.example"
        );
        assert_eq!(
            normalized_origin("http://127.0.0.1:3000"),
            "http://127.0.0.1:3000"
        );
        assert_eq!(
            normalized_origin("http://hub.example:80"),
            "http://hub.example"
        );
        assert_ne!(
            normalized_origin("https://evil.hub.example"),
            "https://hub.example"
        );
        assert_eq!(normalized_origin("null"), "null");
    }
}
