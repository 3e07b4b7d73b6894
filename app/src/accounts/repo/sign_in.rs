//! What signing in reads and writes: the accounts behind an identifier, their credentials,
//! and the failed-attempt lock.

use crate::{
    accounts::types::{AccountKind, SignInIdentifier},
    error::AppError,
    state::{now, Db},
};
use sqlx::Row;

/// Failed attempts that lock an account, and how long the first lock lasts; each further lock
/// lasts one step longer (1, 2, 3 … minutes, at most an hour).
pub const MAX_FAILED_ATTEMPTS: i64 = 5;
pub const LOCK_STEP_SECS: i64 = 60;

fn identifier_column(identifier: &SignInIdentifier) -> (&'static str, &str) {
    match identifier {
        SignInIdentifier::Email(email) => ("email_canonical", email.canonical()),
        SignInIdentifier::Phone(phone) => ("phone", phone.as_str()),
    }
}

/// Which kinds of account this email address or phone number has.
pub async fn kinds_for(
    db: &Db,
    identifier: &SignInIdentifier,
) -> Result<Vec<AccountKind>, AppError> {
    let (column, value) = identifier_column(identifier);
    let rows = sqlx::query(&format!(
        "SELECT kind FROM accounts WHERE {column} = $1 AND disabled_at IS NULL ORDER BY kind DESC"
    ))
    .bind(value)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .filter_map(|row| row.try_get::<String, _>("kind").ok())
        .filter_map(|kind| AccountKind::parse(&kind))
        .collect())
}

pub struct Credentials {
    pub account_id: i64,
    pub password_hash: String,
}

pub async fn credentials(
    db: &Db,
    identifier: &SignInIdentifier,
    kind: AccountKind,
) -> Result<Option<Credentials>, AppError> {
    let (column, value) = identifier_column(identifier);
    let row = sqlx::query(&format!(
        "SELECT id, password_hash FROM accounts \
         WHERE {column} = $1 AND kind = $2 AND disabled_at IS NULL"
    ))
    .bind(value)
    .bind(kind.as_str())
    .fetch_optional(db.pool())
    .await?;
    Ok(row
        .map(|r| -> sqlx::Result<Credentials> {
            Ok(Credentials {
                account_id: r.try_get("id")?,
                password_hash: r.try_get("password_hash")?,
            })
        })
        .transpose()?)
}

/// Counts an attempt *before* the password is verified, in one atomic statement, and locks the
/// account when the limit is reached. Returns false when the account is locked: then no
/// verification may run, so parallel guesses cannot exceed the limit.
pub async fn reserve_attempt(db: &Db, account_id: i64) -> Result<bool, AppError> {
    let reserved = sqlx::query(
        "UPDATE accounts SET \
           failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END, \
           lockouts = CASE WHEN failed_attempts + 1 >= $2 THEN lockouts + 1 ELSE lockouts END, \
           locked_until = CASE WHEN failed_attempts + 1 >= $2 \
             THEN $3 + $4 * (CASE WHEN lockouts >= 59 THEN 60 ELSE lockouts + 1 END) \
             ELSE locked_until END \
         WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $3) \
         RETURNING id",
    )
    .bind(account_id)
    .bind(MAX_FAILED_ATTEMPTS)
    .bind(now())
    .bind(LOCK_STEP_SECS)
    .fetch_optional(db.pool())
    .await?;
    Ok(reserved.is_some())
}

/// A successful sign-in clears the counters (and the lock the reservation may have set).
pub async fn record_success(
    db: &Db,
    account_id: i64,
    new_hash: Option<String>,
) -> Result<(), AppError> {
    let now = now();
    sqlx::query(
        "UPDATE accounts SET failed_attempts = 0, lockouts = 0, locked_until = NULL, \
         last_sign_in_at = $2, password_hash = COALESCE($3, password_hash), updated_at = $2 \
         WHERE id = $1",
    )
    .bind(account_id)
    .bind(now)
    .bind(new_hash)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Whether the account belongs to workspaces and every one of them refuses personal accounts.
pub async fn refused_everywhere(db: &Db, account_id: i64) -> Result<bool, AppError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS member_of, \
           COALESCE(SUM(CASE WHEN w.allow_personal = 1 THEN 1 ELSE 0 END), 0) AS accepting \
         FROM memberships m JOIN workspaces w ON w.id = m.workspace_id WHERE m.account_id = $1",
    )
    .bind(account_id)
    .fetch_one(db.pool())
    .await?;
    let member_of: i64 = row.try_get("member_of")?;
    let accepting: i64 = row.try_get("accepting")?;
    Ok(member_of > 0 && accepting == 0)
}
