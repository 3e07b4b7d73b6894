//! What two-step verification reads and writes. The account id always comes from the session
//! (or, for a reset, from a scope the caller's guard checked).

use crate::{
    auth::audit::{self, Entry},
    error::AppError,
    state::{now, Db},
};
use sqlx::Row;

pub struct Factor {
    pub sealed: String,
    pub enabled: bool,
    pub last_step: i64,
    pub codes_due: bool,
}

pub async fn factor(db: &Db, account_id: i64) -> Result<Option<Factor>, AppError> {
    let row = sqlx::query(
        "SELECT secret_sealed, enabled_at, last_step, recovery_codes_due FROM second_factors WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row
        .map(|r| -> sqlx::Result<Factor> {
            Ok(Factor {
                sealed: r.try_get("secret_sealed")?,
                enabled: r.try_get::<Option<i64>, _>("enabled_at")?.is_some(),
                last_step: r.try_get("last_step")?,
                codes_due: r.try_get::<i64, _>("recovery_codes_due")? != 0,
            })
        })
        .transpose()?)
}

pub async fn enabled(db: &Db, account_id: i64) -> Result<bool, AppError> {
    Ok(factor(db, account_id).await?.is_some_and(|f| f.enabled))
}

pub async fn recovery_codes_left(db: &Db, account_id: i64) -> Result<i64, AppError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM recovery_codes WHERE account_id = $1 AND used_at IS NULL",
    )
    .bind(account_id)
    .fetch_one(db.pool())
    .await?;
    Ok(row.try_get("n")?)
}

/// Keeps a new pending secret, replacing an unconfirmed one; an enabled factor stays untouched
/// (the statement changes nothing then, and the caller is told).
pub async fn begin(db: &Db, account_id: i64, sealed: &str) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM second_factors WHERE account_id = $1 AND enabled_at IS NULL")
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    let exists = sqlx::query("SELECT account_id FROM second_factors WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_some() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO second_factors (account_id, secret_sealed, enabled_at, last_step, created_at) \
         VALUES ($1, $2, NULL, 0, $3)",
    )
    .bind(account_id)
    .bind(sealed)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Accepts time step `step` once: one conditional update, so the same code (or an older one)
/// used twice, even in parallel, passes only once.
pub async fn accept_step(db: &Db, account_id: i64, step: i64) -> Result<bool, AppError> {
    let row = sqlx::query(
        "UPDATE second_factors SET last_step = $2 WHERE account_id = $1 AND last_step < $2 \
         RETURNING account_id",
    )
    .bind(account_id)
    .bind(step)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.is_some())
}

/// Switches the pending factor on; its recovery codes are due.
pub async fn enable(db: &Db, account_id: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE second_factors SET enabled_at = $2, recovery_codes_due = 1 \
         WHERE account_id = $1 AND enabled_at IS NULL RETURNING account_id",
    )
    .bind(account_id)
    .bind(now())
    .fetch_optional(db.pool())
    .await?;
    Ok(done.is_some())
}

/// Asks for new recovery codes; the old ones stop working at once.
pub async fn renew_recovery_codes(db: &Db, account_id: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE second_factors SET recovery_codes_due = 1 WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Stores due recovery codes if this call wins the claim (one conditional update, so two
/// loads at once cannot show two different sets). True when `code_hashes` were stored.
pub async fn issue_due_codes(
    db: &Db,
    account_id: i64,
    code_hashes: &[String],
) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "UPDATE second_factors SET recovery_codes_due = 0 \
         WHERE account_id = $1 AND recovery_codes_due = 1 AND enabled_at IS NOT NULL \
         RETURNING account_id",
    )
    .bind(account_id)
    .fetch_optional(&mut *tx)
    .await?;
    if claimed.is_none() {
        return Ok(false);
    }
    store_codes(&mut tx, account_id, code_hashes).await?;
    tx.commit().await?;
    Ok(true)
}

async fn store_codes(
    tx: &mut crate::db::Tx,
    account_id: i64,
    code_hashes: &[String],
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    let now = now();
    for hash in code_hashes {
        sqlx::query(
            "INSERT INTO recovery_codes (account_id, code_hash, used_at, created_at) \
             VALUES ($1, $2, NULL, $3)",
        )
        .bind(account_id)
        .bind(hash)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Uses a recovery code: one conditional update, so each works once.
pub async fn use_recovery_code(db: &Db, account_id: i64, hash: &str) -> Result<bool, AppError> {
    let row = sqlx::query(
        "UPDATE recovery_codes SET used_at = $3 \
         WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id",
    )
    .bind(account_id)
    .bind(hash)
    .bind(now())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.is_some())
}

/// The owner turning it off (after a code): the factor and its recovery codes go.
pub async fn remove(db: &Db, account_id: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    delete_all(&mut tx, account_id).await?;
    tx.commit().await?;
    Ok(())
}

async fn delete_all(tx: &mut crate::db::Tx, account_id: i64) -> Result<(), AppError> {
    for sql in [
        "DELETE FROM recovery_codes WHERE account_id = $1",
        "DELETE FROM second_factors WHERE account_id = $1",
    ] {
        sqlx::query(sql).bind(account_id).execute(&mut **tx).await?;
    }
    Ok(())
}

/// An administrator's reset: the factor, the codes and every session of the account go (a
/// session may have been opened with the lost device), with the audit entry in the same
/// transaction. False when the account had no factor.
pub async fn reset(db: &Db, account_id: i64, entry: Entry<'_>) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    let had = sqlx::query("SELECT account_id FROM second_factors WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
    delete_all(&mut tx, account_id).await?;
    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(had)
}

/// The password was right but the sign-in waits for its code: only a re-hash of obsolete
/// parameters is kept now; the failed-attempt counter is cleared by the code, so a guesser who
/// knows the password cannot reset it between wrong codes.
pub async fn store_rehash(
    db: &Db,
    account_id: i64,
    new_hash: Option<String>,
) -> Result<(), AppError> {
    if let Some(hash) = new_hash {
        sqlx::query("UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE id = $1")
            .bind(account_id)
            .bind(hash)
            .bind(now())
            .execute(db.pool())
            .await?;
    }
    Ok(())
}

/// A work account of the organization, by id: (id, name); None for anyone else's.
pub async fn work_account(
    db: &Db,
    organization_id: i64,
    account_id: i64,
) -> Result<Option<(i64, String)>, AppError> {
    let row = sqlx::query(
        "SELECT id, display_name FROM accounts \
         WHERE id = $1 AND organization_id = $2 AND kind = 'work'",
    )
    .bind(account_id)
    .bind(organization_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row
        .map(|r| -> sqlx::Result<(i64, String)> {
            Ok((r.try_get("id")?, r.try_get("display_name")?))
        })
        .transpose()?)
}

/// The account with this canonical address (the operator's reset): (id, name).
pub async fn account_by_email(
    db: &Db,
    email_canonical: &str,
) -> Result<Vec<(i64, String)>, AppError> {
    let rows =
        sqlx::query("SELECT id, display_name FROM accounts WHERE email_canonical = $1 ORDER BY id")
            .bind(email_canonical)
            .fetch_all(db.pool())
            .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("display_name")?)))
        .collect()
}
