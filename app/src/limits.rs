//! Per-client-address limits on sign-in and on the account look-up, counted in the database
//! (`rate_limits`) so that every instance on it shares one count.

use crate::{
    error::AppError,
    state::{now, AppState},
};
use std::net::IpAddr;

/// The limits count in fixed windows of this many seconds.
const WINDOW_SECS: i64 = 60;
/// Every this many checks, an instance deletes the windows that have run out (an indexed range
/// delete), so `rate_limits` holds about one row per address seen in the last minute.
const SWEEP_EVERY: u64 = 100;

/// Refuses an address that has used up its sign-in attempts for now (`sign-in:<ip>`).
pub async fn check_address(state: &AppState, address: IpAddr) -> Result<(), AppError> {
    count(state, &format!("sign-in:{address}")).await
}

/// Refuses an address that has used up its account-kind look-ups for now (`lookup:<ip>`).
/// "Which kinds of account has this address or phone?" tells whether accounts exist, so it is
/// limited like sign-in, in a count of its own (each sign-in asks it once or twice, and must
/// not spend the attempts themselves).
pub async fn check_lookup(state: &AppState, address: IpAddr) -> Result<(), AppError> {
    count(state, &format!("lookup:{address}")).await
}

/// Counts one use of `key` and refuses it past the quota. The count and the window move in
/// one upsert (a window that has run out starts again at 1), so parallel requests on any
/// number of instances never both take the last slot. A fixed window lets an address spend
/// up to twice the quota across a window's edge; that is the price of one statement.
async fn count(state: &AppState, key: &str) -> Result<(), AppError> {
    let at = now();
    let db = &state.db;
    let count: i64 = sqlx::query_scalar(
        "INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
           count = CASE WHEN rate_limits.window_start <= $3 THEN 1 \
                        ELSE rate_limits.count + 1 END, \
           window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 \
                               ELSE rate_limits.window_start END \
         RETURNING count",
    )
    .bind(key)
    .bind(at)
    .bind(at - WINDOW_SECS)
    .fetch_one(db.pool())
    .await?;
    if state.security.count_limit_check() % SWEEP_EVERY == 0 {
        // Housekeeping only: a failure here must not refuse the request.
        if let Err(error) = sqlx::query("DELETE FROM rate_limits WHERE window_start <= $1")
            .bind(at - WINDOW_SECS)
            .execute(db.pool())
            .await
        {
            tracing::warn!(%error, "could not delete expired rate-limit windows");
        }
    }
    if count > i64::from(state.config.sign_in_attempts_per_minute.max(1)) {
        return Err(AppError::TooManyRequests);
    }
    Ok(())
}
