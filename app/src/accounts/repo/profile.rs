//! The caller's own profile and password.

use crate::{
    accounts::{types::AccountKind, Profile, ProfileUpdate},
    auth::audit::{self as audit, Actor, Entry},
    error::AppError,
    state::{now, Db},
};
use sqlx::Row;

use super::{phone_is_free, PHONE_TAKEN};

pub async fn profile(db: &Db, account_id: i64) -> Result<Profile, AppError> {
    let row = sqlx::query(
        "SELECT kind, email, display_name, phone, language, time_zone, notification_email \
         FROM accounts WHERE id = $1",
    )
    .bind(account_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    let kind: String = row.try_get("kind")?;
    Ok(Profile {
        kind: AccountKind::parse(&kind).unwrap_or(AccountKind::Personal),
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        phone: row
            .try_get::<Option<String>, _>("phone")?
            .unwrap_or_default(),
        language: row.try_get("language")?,
        time_zone: row.try_get("time_zone")?,
        notification_email: row
            .try_get::<Option<String>, _>("notification_email")?
            .unwrap_or_default(),
    })
}

/// Saves the caller's own profile; the phone number must be no other account's.
pub async fn update_profile(
    db: &Db,
    account_id: i64,
    update: &ProfileUpdate,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    if let Some(phone) = &update.phone {
        phone_is_free(&mut tx, phone, Some(account_id)).await?;
    }
    let updated = sqlx::query(
        "UPDATE accounts SET display_name = $2, phone = $3, language = $4, time_zone = $5, \
         notification_email = $6, updated_at = $7 WHERE id = $1",
    )
    .bind(account_id)
    .bind(update.display_name.as_str())
    .bind(update.phone.as_ref().map(|p| p.as_str()))
    .bind(&update.language)
    .bind(&update.time_zone)
    .bind(update.notification_email.as_ref().map(|e| e.as_str()))
    .bind(now())
    .execute(&mut *tx)
    .await
    .map_err(crate::db::unique_as("phone", PHONE_TAKEN))?;
    if updated.rows_affected() != 1 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

pub async fn password_hash(db: &Db, account_id: i64) -> Result<String, AppError> {
    let row = sqlx::query("SELECT password_hash FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(row.try_get("password_hash")?)
}

/// Replaces the password, clears the failure counters and ends every other session of the
/// account, in one transaction: a stolen session does not outlive a password change.
pub async fn set_password(
    db: &Db,
    account_id: i64,
    password_hash: &str,
    keep_session: &str,
    actor: Actor<'_>,
    ip: &str,
) -> Result<(), AppError> {
    let now = now();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE accounts SET password_hash = $2, failed_attempts = 0, lockouts = 0, \
         locked_until = NULL, updated_at = $3 WHERE id = $1",
    )
    .bind(account_id)
    .bind(password_hash)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2")
        .bind(account_id)
        .bind(keep_session)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Entry {
            actor,
            action: "account.password_change",
            object_type: "account",
            object_id: Some(account_id),
            organization_id: None,
            agreement_id: None,
            workspace_id: None,
            detail: String::new(),
            ip,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
