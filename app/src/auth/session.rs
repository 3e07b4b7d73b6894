//! Server-side sessions. A session is a row keyed by the SHA-256 of a random 256-bit token; the
//! browser holds only the token. Rows (not opaque blobs) let sign-out, a password change or a
//! disabled account end every session of an account at once.

use crate::tokens::{hash_token, random_token};
use crate::{
    auth::kinds::{AccountKind, StaffRole},
    error::AppError,
    state::{app_state, now, Config, Db},
};
use cookie::{Cookie, SameSite};
use sqlx::Row;
use std::net::{IpAddr, SocketAddr};

/// Who is calling: the signed-in account, read from the session on every request, so a change
/// of rights takes effect on the next call.
#[derive(Clone, Debug)]
pub struct Caller {
    pub account_id: i64,
    pub kind: AccountKind,
    pub email: String,
    pub display_name: String,
    /// The provider-side role, if this is a staff account.
    pub staff_role: Option<StaffRole>,
    /// Whether a second factor is enrolled (and switched on).
    pub has_second_factor: bool,
    /// A staff account or a Global Administrator of their organization: the accounts that must
    /// enroll a second factor when the installation requires it (read per request, like roles).
    pub second_factor_required: bool,
    /// The password was right but the second step is still due: every guard but the
    /// verification and sign-out treats this session as signed out.
    second_factor_pending: bool,
    session_hash: String,
}

/// Every server function that needs a signed-in user starts here (SSR calls bypass any
/// middleware, so the check must live in the function itself).
impl Caller {
    /// Identifies this session among the account's others (the stored hash, not the token).
    pub fn session_hash(&self) -> &str {
        &self.session_hash
    }

    pub fn second_factor_pending(&self) -> bool {
        self.second_factor_pending
    }

    /// Must enroll before anything else: required here and not yet enrolled.
    pub fn must_enroll(&self, config: &Config) -> bool {
        config.require_second_factor && self.second_factor_required && !self.has_second_factor
    }
}

pub async fn caller() -> Result<Caller, AppError> {
    optional_caller().await?.ok_or_else(|| {
        let path = request_parts()
            .map(|p| p.uri.path().to_owned())
            .unwrap_or_default();
        tracing::info!(%path, "refused a call without a valid session");
        AppError::Unauthorized
    })
}

/// The fully signed-in caller: a session still waiting for its second step counts as none.
pub async fn optional_caller() -> Result<Option<Caller>, AppError> {
    Ok(session_caller().await?.filter(|c| !c.second_factor_pending))
}

/// The session's account whatever its stage: only for the second step itself and sign-out.
pub async fn session_caller() -> Result<Option<Caller>, AppError> {
    let state = app_state()?;
    let Some(token) = request_token(&state.config) else {
        return Ok(None);
    };
    lookup(&state.db, &state.config, &token).await
}

fn request_parts() -> Option<http::request::Parts> {
    leptos::prelude::use_context::<http::request::Parts>()
}

/// The session token the request carries, if any.
fn request_token(config: &Config) -> Option<String> {
    token_in(&request_parts()?.headers, config)
}

fn token_in(headers: &http::HeaderMap, config: &Config) -> Option<String> {
    let name = config.session_cookie_name();
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_owned())
}

/// The caller of a plain axum route (the bulk upload), which has no leptos context: the same
/// session lookup as `caller()`.
pub async fn caller_from_headers(
    state: &crate::state::AppState,
    headers: &http::HeaderMap,
) -> Result<Option<Caller>, AppError> {
    let Some(token) = token_in(headers, &state.config) else {
        return Ok(None);
    };
    Ok(lookup(&state.db, &state.config, &token)
        .await?
        .filter(|c| !c.second_factor_pending && !c.must_enroll(&state.config)))
}

/// The client's address: the peer, or the last `X-Forwarded-For` hop when the peer is a proxy
/// the operator trusts (anything else could be forged by the client).
pub fn client_address(config: &Config) -> IpAddr {
    let parts = request_parts();
    let peer = parts
        .as_ref()
        .and_then(|p| p.extensions.get::<axum::extract::ConnectInfo<SocketAddr>>())
        .map(|info| info.0.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    if !config.trusted_proxies.contains(&peer) {
        return peer;
    }
    parts
        .as_ref()
        .and_then(|p| p.headers.get("x-forwarded-for"))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|hop| hop.trim().parse().ok())
        .unwrap_or(peer)
}

pub fn user_agent() -> String {
    request_parts()
        .and_then(|p| p.headers.get(http::header::USER_AGENT).cloned())
        .and_then(|v| v.to_str().ok().map(|s| s.chars().take(200).collect()))
        .unwrap_or_default()
}

async fn lookup(db: &Db, config: &Config, token: &str) -> Result<Option<Caller>, AppError> {
    let hash = hash_token(token);
    let row = sqlx::query(
        "SELECT s.account_id, s.created_at, s.last_seen_at, s.second_factor_pending, a.kind, \
         a.email, a.display_name, st.role AS staff_role, \
         (SELECT COUNT(*) FROM second_factors f \
           WHERE f.account_id = a.id AND f.enabled_at IS NOT NULL) AS has_factor, \
         (SELECT COUNT(*) FROM organization_roles r WHERE r.account_id = a.id \
           AND r.organization_id = a.organization_id AND r.role = 'global') AS global_admin \
         FROM sessions s JOIN accounts a ON a.id = s.account_id \
         LEFT JOIN staff st ON st.account_id = a.id \
         WHERE s.id_hash = $1 AND a.disabled_at IS NULL",
    )
    .bind(&hash)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let now = now();
    let created_at: i64 = row.try_get("created_at")?;
    let last_seen_at: i64 = row.try_get("last_seen_at")?;
    let expired = now - created_at > config.session_absolute.as_secs() as i64
        || now - last_seen_at > config.session_idle.as_secs() as i64;
    if expired {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(&hash)
            .execute(db.pool())
            .await?;
        return Ok(None);
    }
    // Touch at most once a minute: the idle timeout needs no finer grain, and it spares writes.
    if now - last_seen_at >= 60 {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(db.pool())
            .await?;
    }
    let staff_role = crate::db::optional_column(&row, "staff_role", StaffRole::parse)?;
    Ok(Some(Caller {
        account_id: row.try_get("account_id")?,
        kind: crate::db::column(&row, "kind", AccountKind::parse)?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        has_second_factor: row.try_get::<i64, _>("has_factor")? > 0,
        second_factor_required: staff_role.is_some() || row.try_get::<i64, _>("global_admin")? > 0,
        second_factor_pending: row.try_get::<i64, _>("second_factor_pending")? != 0,
        staff_role,
        session_hash: hash,
    }))
}

/// Starts a fresh session (a new id at every sign-in) and ends the one the request carried.
/// Returns the `Set-Cookie` value.
pub async fn start(
    db: &Db,
    config: &Config,
    account_id: i64,
    address: IpAddr,
) -> Result<String, AppError> {
    start_at_stage(db, config, account_id, address, false).await
}

/// `start`, with the second step still due when `pending` (a password was right and the
/// account has a second factor). Passing the second step starts a fresh session again, so the
/// id changes at each stage.
pub async fn start_at_stage(
    db: &Db,
    config: &Config,
    account_id: i64,
    address: IpAddr,
    pending: bool,
) -> Result<String, AppError> {
    let token = random_token();
    let now = now();
    let previous = request_token(config).map(|t| hash_token(&t));
    let mut tx = db.begin_write().await?;
    if let Some(previous) = previous {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(previous)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, ip, user_agent, \
         second_factor_pending) VALUES ($1, $2, $3, $3, $4, $5, $6)",
    )
    .bind(hash_token(&token))
    .bind(account_id)
    .bind(now)
    .bind(address.to_string())
    .bind(user_agent())
    .bind(i64::from(pending))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(session_cookie(
        config,
        &token,
        config.session_absolute.as_secs() as i64,
    ))
}

/// Ends the caller's session server-side; returns the `Set-Cookie` value that clears it.
pub async fn end(db: &Db, config: &Config, caller: &Caller) -> Result<String, AppError> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(&caller.session_hash)
        .execute(db.pool())
        .await?;
    Ok(session_cookie(config, "", 0))
}

fn session_cookie(config: &Config, value: &str, max_age_secs: i64) -> String {
    Cookie::build((config.session_cookie_name(), value.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.secure_cookies)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build()
        .to_string()
}

/// Adds a `Set-Cookie` header to the response of the current server function.
pub fn set_cookie(value: &str) -> Result<(), AppError> {
    let header = http::HeaderValue::from_str(value).map_err(AppError::internal)?;
    let response = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        .ok_or_else(|| AppError::internal("ResponseOptions was not provided"))?;
    response.append_header(http::header::SET_COOKIE, header);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn headers(values: &[Vec<u8>]) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for value in values {
            if let Ok(value) = http::HeaderValue::from_bytes(value) {
                map.append(http::header::COOKIE, value);
            }
        }
        map
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        // Cookie headers are the client's: any bytes never panic the reader, and what it finds
        // is only ever the value of the session cookie's own name.
        #[test]
        fn any_cookie_header_reads_safely(values in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..200), 0..4)) {
            let config = Config::new("http://127.0.0.1:3000".to_owned(), vec![]);
            let _ = token_in(&headers(&values), &config);
        }

        #[test]
        fn the_session_cookie_is_found_among_others(
            token in "[A-Za-z0-9_-]{43}",
            before in "[a-z]{1,10}=[a-z0-9]{0,10}",
            after in "[a-z]{1,10}=[a-z0-9]{0,10}",
        ) {
            let config = Config::new("http://127.0.0.1:3000".to_owned(), vec![]);
            let name = config.session_cookie_name();
            prop_assume!(!before.starts_with(&format!("{name}=")) && !after.starts_with(&format!("{name}=")));
            let line = format!("{before}; {name}={token}; {after}");
            prop_assert_eq!(token_in(&headers(&[line.into_bytes()]), &config), Some(token));
        }
    }
}
