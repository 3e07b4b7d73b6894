//! The password tokens and the reset limits (server only). A token row is made when its mail is
//! queued; its hash is written by the mail worker as the message leaves (mail::worker), so the
//! database never holds a usable link.

use crate::{error::AppError, state::now};
use sqlx::Row;

use super::Purpose;

/// Records a password token for `account_id` and queues its mail, whose link ends in
/// `<base_url><path>?token=` followed by the token the worker makes.
pub async fn queue_link(
    tx: &mut crate::db::Tx,
    account_id: i64,
    purpose: Purpose,
    to: &str,
    subject: &str,
    head: &str,
    tail: &str,
) -> Result<(), AppError> {
    let now = now();
    let id: i64 = sqlx::query(
        "INSERT INTO password_tokens (account_id, purpose, expires_at, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(account_id)
    .bind(purpose.as_str())
    .bind(now + purpose.valid_secs())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    let token_at = head.chars().count() as i64;
    crate::mail::enqueue_password_link(tx, to, subject, &format!("{head}{tail}"), id, token_at)
        .await?;
    Ok(())
}

/// Counts one reset request of `subject` ('ip:…' or 'email:…') in the current hour; true while
/// the count is within `limit`. The count and the check are one upsert, so parallel requests
/// cannot both take the last slot.
pub async fn count_request(
    db: &crate::state::Db,
    subject: &str,
    limit: i64,
) -> Result<bool, AppError> {
    let window = now() / 3600 * 3600;
    let mut tx = db.begin_write().await?;
    let used: i64 = sqlx::query(
        "INSERT INTO password_reset_attempts (subject, window_start, used) VALUES ($1, $2, 1) \
         ON CONFLICT (subject, window_start) DO UPDATE SET used = password_reset_attempts.used + 1 \
         RETURNING used",
    )
    .bind(subject)
    .bind(window)
    .fetch_one(&mut *tx)
    .await?
    .try_get("used")?;
    // Old windows are of no use: keep the table small.
    sqlx::query("DELETE FROM password_reset_attempts WHERE window_start < $1")
        .bind(window - 3600)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(used <= limit)
}

/// An enabled account of the address a reset was asked for.
pub struct Target {
    pub account_id: i64,
    pub kind: String,
    pub email: String,
    pub display_name: String,
    /// A Global Administrator of their organization: keeps a password sign-in under federation.
    pub global_admin: bool,
}

/// The enabled accounts (work and personal) of this canonical address.
pub async fn targets(
    db: &crate::state::Db,
    email_canonical: &str,
) -> Result<Vec<Target>, AppError> {
    let rows = sqlx::query(
        "SELECT a.id, a.kind, a.email, a.display_name, \
           (SELECT COUNT(*) FROM organization_roles r WHERE r.account_id = a.id \
              AND r.organization_id = a.organization_id AND r.role = 'global') AS global_admin \
         FROM accounts a WHERE a.email_canonical = $1 AND a.disabled_at IS NULL ORDER BY a.id",
    )
    .bind(email_canonical)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Target {
                account_id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                email: r.try_get("email")?,
                display_name: r.try_get("display_name")?,
                global_admin: r.try_get::<i64, _>("global_admin")? > 0,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()
        .map_err(AppError::from)
}

/// The purpose of the link whose token hashes to `token_hash`, while it can still be used: not
/// used, not expired, its account enabled. Reads only (a mail scanner's GET changes nothing).
pub async fn open_link(
    db: &crate::state::Db,
    token_hash: &str,
) -> Result<Option<Purpose>, AppError> {
    let row = sqlx::query(
        "SELECT t.purpose FROM password_tokens t JOIN accounts a ON a.id = t.account_id \
         WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2 \
         AND a.disabled_at IS NULL",
    )
    .bind(token_hash)
    .bind(now())
    .fetch_optional(db.pool())
    .await?;
    Ok(row
        .map(|r| r.try_get::<String, _>("purpose"))
        .transpose()?
        .and_then(|p| Purpose::parse(&p)))
}

/// Whose password was set, for the page and the audit log.
pub struct PasswordSet {
    pub account_id: i64,
    pub purpose: Purpose,
    pub email: String,
    pub kind: String,
}

/// Uses the token and sets the password in one transaction: the token and every other open
/// token of the account end, every session ends, the lockout is cleared, and the audit log says
/// so. None when the link is unknown, used, expired or its account disabled (nothing changes).
pub async fn set_password(
    db: &crate::state::Db,
    token_hash: &str,
    new_hash: &str,
    ip: &str,
) -> Result<Option<PasswordSet>, AppError> {
    let now = now();
    let mut tx = db.begin_write().await?;
    // The conditional update is the single-use check: of two parallel posts one wins.
    let used = sqlx::query(
        "UPDATE password_tokens SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
         AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = password_tokens.account_id \
                     AND a.disabled_at IS NULL) \
         RETURNING account_id, purpose",
    )
    .bind(now)
    .bind(token_hash)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(used) = used else {
        return Ok(None);
    };
    let account_id: i64 = used.try_get("account_id")?;
    let purpose = Purpose::parse(&used.try_get::<String, _>("purpose")?).unwrap_or(Purpose::Reset);
    let account = sqlx::query(
        "UPDATE accounts SET password_hash = $1, failed_attempts = 0, lockouts = 0, \
         locked_until = NULL, updated_at = $2 WHERE id = $3 \
         RETURNING email, kind, display_name, organization_id",
    )
    .bind(new_hash)
    .bind(now)
    .bind(account_id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE password_tokens SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL",
    )
    .bind(now)
    .bind(account_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    let email: String = account.try_get("email")?;
    let label: String = account.try_get("display_name")?;
    crate::auth::audit::record(
        &mut tx,
        crate::auth::audit::Entry {
            actor: crate::auth::audit::Actor::Account {
                id: account_id,
                label: &label,
            },
            action: match purpose {
                Purpose::Reset => "password.reset",
                Purpose::Welcome => "password.set",
            },
            object_type: "account",
            object_id: Some(account_id),
            organization_id: account.try_get("organization_id")?,
            agreement_id: None,
            workspace_id: None,
            detail: format!("{email}: password set from a mailed link; every session ended"),
            ip,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(PasswordSet {
        account_id,
        purpose,
        email,
        kind: account.try_get("kind")?,
    }))
}
