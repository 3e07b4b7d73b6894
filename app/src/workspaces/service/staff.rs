//! Staff accounts, and the operator's direct add of an account to a workspace.

use crate::{
    accounts::types::{DisplayName, EmailAddress, NewPassword, StaffRole},
    auth::audit::{self as audit, Actor, Entry},
    error::{AppError, FieldErrors},
    state::{now, AppState},
};
use sqlx::Row;

/// Creates a staff account (a work account of no customer organization) with its role.
pub async fn create_staff(
    state: &AppState,
    email: &str,
    name: &str,
    role: &str,
    password: &str,
) -> Result<i64, AppError> {
    let mut errors = FieldErrors::default();
    let email = errors.check("email", EmailAddress::parse(email));
    let name = errors.check("name", DisplayName::parse(name));
    let role = errors.check(
        "role",
        StaffRole::parse(role).ok_or_else(|| "The role is operator, csam or ac.".to_owned()),
    );
    let password = errors.check("password", NewPassword::parse(password));
    errors.into_result()?;
    let (Some(email), Some(name), Some(role), Some(password)) = (email, name, role, password)
    else {
        return Err(AppError::field("form", "Incomplete staff account."));
    };
    let password_hash = state.security.hash(password.expose()).await?;
    let mut tx = state.db.begin_write().await?;
    let id = crate::accounts::insert_account(
        &mut tx,
        &crate::accounts::NewAccount {
            kind: crate::accounts::types::AccountKind::Work,
            email,
            display_name: name,
            phone: None,
            organization_id: None,
            password_hash,
        },
        Actor::CommandLine,
        "local",
    )
    .await?;
    let now = now();
    sqlx::query(
        "INSERT INTO staff (account_id, role, created_at, updated_at) VALUES ($1, $2, $3, $3)",
    )
    .bind(id)
    .bind(role.as_str())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The operator adds an existing account to a workspace, as a plain member or a support
/// contact, without an invitation (the command line's `admin add-member`). The same rules as an
/// invitation: the workspace's account-kind policy and the agreement's support-contact limit.
/// A work account is chosen over a personal one with the same address. Returns the membership id.
pub async fn add_member(
    state: &AppState,
    workspace_id: i64,
    email: &str,
    support_contact: bool,
    actor: Actor<'_>,
    ip: &str,
) -> Result<i64, AppError> {
    let email = EmailAddress::parse(email).map_err(|m| AppError::field("email", m))?;
    let mut tx = state.db.begin_write().await?;
    let workspace = sqlx::query(
        "SELECT w.name, w.agreement_id, w.allow_personal, a.organization_id, a.contact_limit \
         FROM workspaces w JOIN agreements a ON a.id = w.agreement_id WHERE w.id = $1",
    )
    .bind(workspace_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let workspace_name: String = workspace.try_get("name")?;
    let agreement_id: i64 = workspace.try_get("agreement_id")?;
    let organization_id: i64 = workspace.try_get("organization_id")?;
    let account = account_by_email(&mut tx, &email).await?;
    let account_id: i64 = account.try_get("id")?;
    if account.try_get::<String, _>("kind")? == "personal"
        && workspace.try_get::<i64, _>("allow_personal")? == 0
    {
        return Err(AppError::Forbidden(crate::auth::guard::personal_refused(
            &workspace_name,
        )));
    }
    crate::invitations::lock_contact_count(&mut tx, agreement_id).await?;
    refuse_if_member(&mut tx, workspace_id, account_id, &email, &workspace_name).await?;
    if support_contact {
        let limit: i64 = workspace.try_get("contact_limit")?;
        if crate::invitations::contacts_in_use(&mut tx, agreement_id).await? >= limit {
            return Err(AppError::Conflict(format!(
                "The agreement allows {limit} support contacts and all {limit} are in use \
                 (pending invitations count)."
            )));
        }
    }
    let now = now();
    let membership_id: i64 = sqlx::query(
        "INSERT INTO memberships (workspace_id, account_id, is_admin, support_contact, \
           created_at, updated_at) VALUES ($1, $2, 0, $3, $4, $4) RETURNING id",
    )
    .bind(workspace_id)
    .bind(account_id)
    .bind(i64::from(support_contact))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    audit::record(
        &mut tx,
        Entry {
            actor,
            action: "member.add",
            object_type: "membership",
            object_id: Some(membership_id),
            organization_id: Some(organization_id),
            agreement_id: Some(agreement_id),
            workspace_id: Some(workspace_id),
            detail: format!(
                "{} as {}",
                email.as_str(),
                if support_contact {
                    "Support Contact"
                } else {
                    "Service User"
                }
            ),
            ip,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(membership_id)
}

/// The account with this address, a work account before a personal one.
async fn account_by_email(
    tx: &mut crate::db::Tx,
    email: &EmailAddress,
) -> Result<sqlx::any::AnyRow, AppError> {
    sqlx::query(
        "SELECT id, kind FROM accounts WHERE email_canonical = $1 AND disabled_at IS NULL \
         ORDER BY CASE WHEN kind = 'work' THEN 0 ELSE 1 END, id",
    )
    .bind(email.canonical())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| {
        AppError::field(
            "email",
            format!(
                "There is no account with the address {}; create it first.",
                email.as_str()
            ),
        )
    })
}

/// Refuses an account that is already a member of the workspace.
async fn refuse_if_member(
    tx: &mut crate::db::Tx,
    workspace_id: i64,
    account_id: i64,
    email: &EmailAddress,
    workspace_name: &str,
) -> Result<(), AppError> {
    let member = sqlx::query(
        "SELECT COUNT(*) AS n FROM memberships WHERE workspace_id = $1 AND account_id = $2",
    )
    .bind(workspace_id)
    .bind(account_id)
    .fetch_one(&mut **tx)
    .await?;
    if member.try_get::<i64, _>("n")? > 0 {
        return Err(AppError::Conflict(format!(
            "{} is already a member of the workspace \"{workspace_name}\".",
            email.as_str()
        )));
    }
    Ok(())
}
