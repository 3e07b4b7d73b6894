//! The three plain routes of federation. They are not server functions because each ends in a
//! navigation to or from another site: GET /federation/start (a person with an address of a
//! federated domain, no session), GET /federation/test (a Global Administrator's Test sign-in)
//! and GET /federation/callback (where the directory sends the browser back; public, since the
//! person is not signed in yet). The first two are links, not forms: the pages' policy
//! (`form-action 'self'`) stops a form whose answer redirects to another site. They change no
//! data the person has: each only begins a login, kept ten minutes. The login under way is a row keyed by the state's hash; the
//! browser also holds the state in a short cookie, so a callback URL handed to someone else's
//! browser finds no matching cookie and is refused (login CSRF).

use super::{
    identities::{self, Outcome, Refusal},
    oidc, repo, secret,
};
use crate::{
    auth::{guard::OrgPermission, organization::organization, session},
    error::AppError,
    state::AppState,
    tokens::hash_token,
};
use axum::{
    extract::{rejection::QueryRejection, Query},
    http::{header, request::Parts, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use cookie::{Cookie, SameSite};
use serde::Deserialize;

pub const CALLBACK_PATH: &str = "/federation/callback";

pub fn callback_url(state: &AppState) -> String {
    format!(
        "{}{CALLBACK_PATH}",
        state.config.base_url.trim_end_matches('/')
    )
}

fn cookie_name(state: &AppState) -> &'static str {
    if state.config.secure_cookies {
        "__Host-services-hub-federation"
    } else {
        "services-hub-federation"
    }
}

fn binding_cookie(state: &AppState, value: &str, max_age: i64) -> String {
    Cookie::build((cookie_name(state), value.to_owned()))
        .path("/")
        .http_only(true)
        // Lax: the directory's redirect back is a top-level GET, which carries it.
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies)
        .max_age(cookie::time::Duration::seconds(max_age))
        .build()
        .to_string()
}

fn cookie_in(state: &AppState, headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == cookie_name(state))
        .map(|c| c.value().to_owned())
}

fn see_other(location: &str, cookies: &[String]) -> Response {
    let mut response = (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location.to_owned())],
    )
        .into_response();
    for value in cookies {
        if let Ok(value) = header::HeaderValue::from_str(value) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

fn plain(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        error.to_string(),
    )
        .into_response()
}

/// Back to "Sign in" with a reason the page words (`federation_error`).
fn refused(state: &AppState, reason: &str) -> Response {
    let clear = binding_cookie(state, "", 0);
    see_other(&format!("/sign-in?federation_error={reason}"), &[clear])
}

/// A path of this site only (never `//host` or a URL), else the home page.
fn local_path(next: Option<&str>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .map(str::to_owned)
}

/// Discovers the directory, keeps the login under way and sends the browser there.
async fn begin(
    state: &AppState,
    connection: &repo::Connection,
    purpose: &str,
    account_id: Option<i64>,
    hint: Option<&str>,
    next: Option<&str>,
) -> Result<Response, AppError> {
    let client_secret = secret::open(
        &state.config.secret_key.0,
        &connection.domain_id.to_string(),
        &connection.secret_sealed,
    )
    .map_err(AppError::internal)?;
    let redirect = callback_url(state);
    let directory = oidc::Directory {
        issuer: &connection.issuer,
        client_id: &connection.client_id,
        client_secret: &client_secret,
        redirect_url: &redirect,
    };
    let started = match oidc::start(&directory, hint).await {
        Ok(started) => started,
        Err(reason) => {
            // The reason (no secret in it) goes to the log and to the administrator's Test
            // sign-in; a person signing in is only told the directory could not be reached.
            tracing::warn!(federation = connection.id, %reason, "directory unreachable");
            return Err(AppError::Conflict(format!(
                "The directory could not be used: {reason}"
            )));
        }
    };
    repo::insert_login(
        &state.db,
        &repo::Pending {
            state_hash: &hash_token(&started.state),
            federation_id: connection.id,
            purpose,
            account_id,
            pkce_verifier: &started.pkce_verifier,
            nonce: &started.nonce,
            next_path: next,
        },
    )
    .await?;
    let cookie = binding_cookie(state, &started.state, repo::LOGIN_TTL_SECS);
    Ok(see_other(&started.url, &[cookie]))
}

#[derive(Deserialize)]
pub struct StartForm {
    pub email: String,
    pub next: Option<String>,
}

/// GET /federation/start: a person whose address is on a federated domain. Anything else goes
/// back to the password sign-in with the address filled in.
pub async fn start(state: AppState, form: Result<Query<StartForm>, QueryRejection>) -> Response {
    let Ok(Query(form)) = form else {
        return see_other("/sign-in", &[]);
    };
    let email = form.email.trim().to_ascii_lowercase();
    let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    let next = local_path(form.next.as_deref());
    let connection = match repo::enabled_for_domain(&state.db, domain).await {
        Ok(Some(connection)) => connection,
        Ok(None) => {
            return see_other(
                &format!("/sign-in?identifier={}", urlencoding::encode(&email)),
                &[],
            )
        }
        Err(error) => return plain(&error),
    };
    match begin(
        &state,
        &connection,
        "sign_in",
        None,
        Some(&email),
        next.as_deref(),
    )
    .await
    {
        Ok(response) => response,
        Err(AppError::Conflict(_)) => refused(&state, "unreachable"),
        Err(error) => plain(&error),
    }
}

#[derive(Deserialize)]
pub struct TestForm {
    pub domain_id: String,
}

/// GET /federation/test: a Global Administrator's Test sign-in for one domain of their
/// organization. Without a session to "Sign in"; another organization's domain 404; started from
/// another site (a browser says so in `Sec-Fetch-Site`) 403.
pub async fn test(
    state: AppState,
    headers: HeaderMap,
    form: Result<Query<TestForm>, QueryRejection>,
) -> Response {
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if site.is_some_and(|site| !matches!(site, "same-origin" | "none")) {
        return plain(&AppError::Forbidden(
            "Start a test sign-in from the Federation page.".to_owned(),
        ));
    }
    let caller = match session::caller_from_headers(&state, &headers).await {
        Ok(Some(caller)) => caller,
        // Signed out (the session ended meanwhile): "Sign in", then back to the page.
        Ok(None) => return see_other("/sign-in?next=%2Forganization%2Ffederation", &[]),
        Err(error) => return plain(&error),
    };
    let scope = match organization(&state.db, &caller, OrgPermission::ManageIdentity).await {
        Ok(scope) => scope,
        Err(error) => return plain(&error),
    };
    let Some(domain_id) = form
        .ok()
        .and_then(|Query(f)| f.domain_id.trim().parse::<i64>().ok())
    else {
        return plain(&AppError::NotFound);
    };
    let connection = match repo::for_domain_id(&state.db, scope.organization_id, domain_id).await {
        Ok(Some(connection)) => connection,
        Ok(None) => return plain(&AppError::NotFound),
        Err(error) => return plain(&error),
    };
    let back = format!("/organization/federation?tested={domain_id}");
    match begin(
        &state,
        &connection,
        "test",
        Some(caller.account_id),
        None,
        Some(&back),
    )
    .await
    {
        Ok(response) => response,
        Err(AppError::Conflict(message)) => {
            let _ = repo::record_test(
                &state.db,
                connection.id,
                Some(caller.account_id),
                "{}",
                Some(&message),
            )
            .await;
            see_other(&back, &[])
        }
        Err(error) => plain(&error),
    }
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// The callback's parameters from its (untrusted) address; anything unreadable, a repeated
/// key included, reads as none of them, which the callback refuses as an expired login.
fn callback_query(uri: &axum::http::Uri) -> CallbackQuery {
    Query::<CallbackQuery>::try_from_uri(uri)
        .map(|q| q.0)
        .unwrap_or(CallbackQuery {
            code: None,
            state: None,
            error: None,
        })
}

/// GET /federation/callback: the directory sends the browser back here with a code (or an
/// error). The login is taken once; its cookie must match; the ID token is verified; a test
/// only records the claims, a sign-in finds or makes the account and starts a session.
pub async fn callback(state: AppState, parts: Parts) -> Response {
    let query = callback_query(&parts.uri);
    let Some(login_state) = query.state.filter(|s| !s.is_empty()) else {
        return refused(&state, "expired");
    };
    if cookie_in(&state, &parts.headers).as_deref() != Some(login_state.as_str()) {
        tracing::info!("federation callback without its browser's cookie");
        return refused(&state, "expired");
    }
    let login = match repo::take_login(&state.db, &hash_token(&login_state)).await {
        Ok(Some(login)) => login,
        Ok(None) => return refused(&state, "expired"),
        Err(error) => return plain(&error),
    };
    let connection = match repo::by_id(&state.db, login.federation_id).await {
        Ok(Some(c)) if login.purpose == "test" || c.enabled => c,
        Ok(_) => return refused(&state, "expired"),
        Err(error) => return plain(&error),
    };
    let claims = match (&query.code, &query.error) {
        (Some(code), None) => finish(&state, &connection, code, &login).await,
        _ => Err("the directory did not sign the person in".to_owned()),
    };
    if login.purpose == "test" {
        let back = login
            .next_path
            .unwrap_or_else(|| "/organization/federation".to_owned());
        let (json, error) = match &claims {
            Ok(claims) => (serde_json::to_string(claims).unwrap_or_default(), None),
            Err(reason) => ("{}".to_owned(), Some(reason.as_str())),
        };
        if let Err(e) =
            repo::record_test(&state.db, connection.id, login.account_id, &json, error).await
        {
            return plain(&e);
        }
        return see_other(&back, &[binding_cookie(&state, "", 0)]);
    }
    let claims = match claims {
        Ok(claims) => claims,
        Err(reason) => {
            tracing::info!(federation = connection.id, %reason, "directory sign-in refused");
            return refused(&state, "refused");
        }
    };
    let account_id = match identities::resolve(&state.db, &connection, &claims).await {
        Ok(Outcome::SignedIn(id)) => id,
        Ok(Outcome::Refused(reason)) => {
            tracing::info!(
                federation = connection.id,
                ?reason,
                "directory sign-in refused"
            );
            let word = match reason {
                Refusal::OutsideDomain => "outside_domain",
                Refusal::AccountExists => "account_exists",
                Refusal::NoAccount => "no_account",
                Refusal::Disabled => "disabled",
            };
            return refused(&state, word);
        }
        Err(error) => return plain(&error),
    };
    let next = local_path(login.next_path.as_deref()).unwrap_or_else(|| "/".to_owned());
    match start_session(&state, parts, account_id).await {
        Ok(cookie) => {
            tracing::info!(
                account = account_id,
                "sign-in through the directory succeeded"
            );
            see_other(&next, &[cookie, binding_cookie(&state, "", 0)])
        }
        Err(error) => plain(&error),
    }
}

async fn finish(
    state: &AppState,
    connection: &repo::Connection,
    code: &str,
    login: &repo::TakenLogin,
) -> Result<oidc::Claims, String> {
    let client_secret = secret::open(
        &state.config.secret_key.0,
        &connection.domain_id.to_string(),
        &connection.secret_sealed,
    )?;
    let redirect = callback_url(state);
    let directory = oidc::Directory {
        issuer: &connection.issuer,
        client_id: &connection.client_id,
        client_secret: &client_secret,
        redirect_url: &redirect,
    };
    oidc::finish(&directory, code, &login.pkce_verifier, &login.nonce).await
}

/// `session::start` reads the request (the session it replaces, the client's address and
/// agent) from the leptos context; a plain route provides it for the call.
async fn start_session(
    state: &AppState,
    parts: Parts,
    account_id: i64,
) -> Result<String, AppError> {
    use leptos::prelude::{provide_context, Owner};
    use leptos::reactive::computed::ScopedFuture;
    let owner = Owner::new();
    let state = state.clone();
    owner
        .with(|| {
            ScopedFuture::new(async move {
                provide_context(parts);
                provide_context(state.clone());
                let address = session::client_address(&state.config);
                session::start(&state.db, &state.config, account_id, address).await
            })
        })
        .await
}

#[cfg(test)]
mod tests;
