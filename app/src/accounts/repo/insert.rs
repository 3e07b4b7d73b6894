//! Creating an account.

use crate::{
    accounts::types::{AccountKind, DisplayName, EmailAddress, PhoneNumber},
    auth::audit::{self as audit, Actor, Entry},
    error::AppError,
    state::{now, Db},
};
use sqlx::Row;

use super::phone_is_free;

pub struct NewAccount {
    pub kind: AccountKind,
    pub email: EmailAddress,
    pub display_name: DisplayName,
    pub phone: Option<PhoneNumber>,
    /// Required for work accounts: the organization whose domain the address is on.
    pub organization_id: Option<i64>,
    pub password_hash: String,
}

pub async fn create_account(
    db: &Db,
    account: &NewAccount,
    actor: Actor<'_>,
) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    let id = insert_account(&mut tx, account, actor, "local").await?;
    tx.commit().await?;
    Ok(id)
}

/// Inserts an account inside the caller's transaction (registration from an invitation creates
/// the account and accepts the invitation together).
pub async fn insert_account(
    tx: &mut crate::db::Tx,
    account: &NewAccount,
    actor: Actor<'_>,
    ip: &str,
) -> Result<i64, AppError> {
    let now = now();
    let existing =
        sqlx::query("SELECT COUNT(*) AS n FROM accounts WHERE kind = $1 AND email_canonical = $2")
            .bind(account.kind.as_str())
            .bind(account.email.canonical())
            .fetch_one(&mut **tx)
            .await?;
    if existing.try_get::<i64, _>("n")? > 0 {
        return Err(AppError::field(
            "email",
            format!(
                "A {} with this email address already exists.",
                account.kind.label().to_lowercase()
            ),
        ));
    }
    if let Some(phone) = &account.phone {
        phone_is_free(tx, phone, None).await?;
    }
    let id: i64 = sqlx::query(
        "INSERT INTO accounts (kind, email, email_canonical, phone, organization_id, display_name, \
         password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(account.kind.as_str())
    .bind(account.email.as_str())
    .bind(account.email.canonical())
    .bind(account.phone.as_ref().map(|p| p.as_str()))
    .bind(account.organization_id)
    .bind(account.display_name.as_str())
    .bind(&account.password_hash)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    // A parallel registration can win between the checks above and this insert.
    .map_err(crate::db::unique_as(
        "email",
        "An account with this email address or phone number already exists.",
    ))?
    .try_get("id")?;
    audit::record(
        tx,
        Entry {
            actor,
            action: "account.create",
            object_type: "account",
            object_id: Some(id),
            organization_id: account.organization_id,
            agreement_id: None,
            workspace_id: None,
            detail: account.email.as_str().to_owned(),
            ip,
        },
    )
    .await?;
    Ok(id)
}
