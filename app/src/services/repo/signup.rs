//! Sign-up's own records: the per-address limit (in the database, so it holds across server
//! instances) and the confirmation of the new Global Administrator's address.

use crate::{
    accounts::types::EmailAddress,
    error::AppError,
    state::{now, Db},
    tokens::hash_token,
};
use sqlx::Row;

/// Sign-ups one client address may start per hour.
pub const SIGNUPS_PER_HOUR: i64 = 10;
/// How long a confirmation link stays valid.
const CONFIRMATION_SECS: i64 = 7 * 24 * 60 * 60;

/// Counts a sign-up attempt of `address` in the current hour and refuses past the limit. The
/// count and the check are one upsert, so parallel requests cannot both take the last slot.
pub async fn count_attempt(db: &Db, address: &str) -> Result<(), AppError> {
    let window = now() / 3600 * 3600;
    let mut tx = db.begin_write().await?;
    let used: i64 = sqlx::query(
        "INSERT INTO signup_attempts (address, window_start, used) VALUES ($1, $2, 1) \
         ON CONFLICT (address, window_start) DO UPDATE SET used = signup_attempts.used + 1 \
         RETURNING used",
    )
    .bind(address)
    .bind(window)
    .fetch_one(&mut *tx)
    .await?
    .try_get("used")?;
    // Old windows are of no use: keep the table small.
    sqlx::query("DELETE FROM signup_attempts WHERE window_start < $1")
        .bind(window - 3600)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    if used > SIGNUPS_PER_HOUR {
        tracing::info!(%address, used, "sign-up refused: too many from this address");
        return Err(AppError::TooManyRequests);
    }
    Ok(())
}

/// Records that `account_id`'s address waits for confirmation and queues the mail with the
/// link (its token is made by the mail worker as the message leaves).
pub async fn ask_confirmation(
    tx: &mut crate::db::Tx,
    base_url: &str,
    account_id: i64,
    email: &EmailAddress,
) -> Result<(), AppError> {
    let now = now();
    let id: i64 = sqlx::query(
        "INSERT INTO email_confirmations (account_id, expires_at, created_at) \
         VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(account_id)
    .bind(now + CONFIRMATION_SECS)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    let head = format!(
        "Welcome to Services Hub.\n\nConfirm your email address to finish signing your organization up. \
         Until you do, you can try services but not buy them.\n\n{}/confirm-email?token=",
        base_url.trim_end_matches('/')
    );
    let body =
        format!("{head}\n\nThe link works for 7 days. If you did not sign up, ignore this mail.\n");
    let token_at = head.chars().count() as i64;
    crate::mail::enqueue_confirmation(
        tx,
        email.as_str(),
        "Confirm your email address for Services Hub",
        &body,
        id,
        token_at,
    )
    .await?;
    Ok(())
}

/// Confirms the address whose link carries `token`: once, before it expires.
pub async fn confirm(db: &Db, token: &str) -> Result<(), AppError> {
    let now = now();
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE email_confirmations SET confirmed_at = $1, token_hash = NULL \
         WHERE token_hash = $2 AND confirmed_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(hash_token(token.trim()))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(AppError::Conflict(
            "This confirmation link has expired or was already used. Sign in: if your address still needs confirming, the Services page says so."
                .to_owned(),
        ))
    }
}
