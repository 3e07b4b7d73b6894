//! Queries of the accounts domain (server only). Every query that reads or writes an account's
//! own data takes the account id from the session (`Caller`), never from the request.

use crate::{
    accounts::{
        types::{AccountKind, DisplayName, EmailAddress, PhoneNumber, SignInIdentifier},
        Profile, ProfileUpdate,
    },
    auth::audit::{self as audit, Actor, Entry},
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

pub async fn organization_for_domain(db: &Db, domain: &str) -> Result<Option<i64>, AppError> {
    let row = sqlx::query("SELECT organization_id FROM organization_domains WHERE domain = $1")
        .bind(domain)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|r| r.try_get("organization_id")).transpose()?)
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

pub struct NewOrganization {
    pub name: DisplayName,
    pub domain: String,
}

/// Creates an organization with its first (verified) domain.
pub async fn create_organization(
    db: &Db,
    org: &NewOrganization,
    actor: Actor<'_>,
    ip: &str,
) -> Result<i64, AppError> {
    let now = now();
    let mut tx = db.begin_write().await?;
    let taken = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM organizations WHERE name_canonical = $1) AS names, \
                (SELECT COUNT(*) FROM organization_domains WHERE domain = $2) AS domains",
    )
    .bind(org.name.as_str().to_lowercase())
    .bind(&org.domain)
    .fetch_one(&mut *tx)
    .await?;
    if taken.try_get::<i64, _>("names")? > 0 {
        return Err(AppError::field(
            "name",
            "An organization with this name already exists.",
        ));
    }
    if taken.try_get::<i64, _>("domains")? > 0 {
        return Err(AppError::field(
            "domain",
            "This domain already belongs to an organization.",
        ));
    }
    let id: i64 = sqlx::query(
        "INSERT INTO organizations (name, name_canonical, created_at, updated_at) \
         VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(org.name.as_str())
    .bind(org.name.as_str().to_lowercase())
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(crate::db::unique_as(
        "name",
        "An organization with this name already exists.",
    ))?
    .try_get("id")?;
    sqlx::query(
        "INSERT INTO organization_domains (organization_id, domain, verified_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $3, $3)",
    )
    .bind(id)
    .bind(&org.domain)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(crate::db::unique_as(
        "domain",
        "This domain already belongs to an organization.",
    ))?;
    audit::record(
        &mut tx,
        Entry {
            actor,
            action: "organization.create",
            object_type: "organization",
            object_id: Some(id),
            organization_id: Some(id),
            agreement_id: None,
            workspace_id: None,
            detail: String::new(),
            ip,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn organization_by_name(db: &Db, name: &str) -> Result<Option<i64>, AppError> {
    let row = sqlx::query("SELECT id FROM organizations WHERE name_canonical = $1")
        .bind(name.trim().to_lowercase())
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|r| r.try_get("id")).transpose()?)
}

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

/// A phone number signs in to the one account that has it, of either kind: another account
/// (`except` is the caller's own) with the same number is refused at the field. Numbers are not
/// verified, so a number someone else saved first is theirs; the unique index decides races.
const PHONE_TAKEN: &str = "This phone number is already used by another account.";

async fn phone_is_free(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    phone: &PhoneNumber,
    except: Option<i64>,
) -> Result<(), AppError> {
    let clash = sqlx::query("SELECT COUNT(*) AS n FROM accounts WHERE phone = $1 AND id <> $2")
        .bind(phone.as_str())
        .bind(except.unwrap_or(0))
        .fetch_one(&mut **tx)
        .await?;
    if clash.try_get::<i64, _>("n")? > 0 {
        return Err(AppError::field("phone", PHONE_TAKEN));
    }
    Ok(())
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
