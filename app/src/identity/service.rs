//! Manage Users' changes: each one a write transaction that holds the organization (so the last
//! Global Administrator cannot be lost to two parallel changes), checks who may touch the
//! account, changes it and writes its audit entry.

use super::repo::{self, users::Target};
use crate::{
    accounts::types::{DisplayName, EmailAddress},
    auth::{
        audit::{record, Entry},
        guard::{Authorized, OrganizationScope},
        kinds::OrgRole,
    },
    db::Tx,
    error::AppError,
    identity::{types::parse_new_user, OrgUserData},
    organizations::LAST_GLOBAL,
    state::now,
};

type Org = Authorized<OrganizationScope>;

/// A User Administrator never changes an administrator's account (DESIGN: only a Global
/// Administrator touches the administrators).
fn protected_reason(who: &Org, roles: &[OrgRole]) -> Option<String> {
    (!who.scope.has(OrgRole::Global) && !roles.is_empty()).then(|| {
        "This person holds an administrative role: only a Global Administrator can change their account.".to_owned()
    })
}

/// A change's transaction, with the account it is about, once the caller may touch it.
async fn begin(who: &Org, id: i64) -> Result<(Tx, Target), AppError> {
    let org = who.scope.organization_id;
    let mut tx = who.state.db.begin_write().await?;
    repo::lock(&who.state.db, &mut tx, org).await?;
    let target = repo::users::target(&mut tx, org, id).await?;
    if let Some(reason) = protected_reason(who, &target.roles) {
        return Err(AppError::Forbidden(reason));
    }
    Ok((tx, target))
}

async fn audit(
    tx: &mut Tx,
    who: &Org,
    action: &str,
    id: i64,
    detail: String,
) -> Result<(), AppError> {
    record(
        tx,
        Entry::in_organization(
            &who.caller,
            who.scope.organization_id,
            action,
            ("account", id),
            detail,
            &who.ip,
        ),
    )
    .await?;
    Ok(())
}

/// What an added account holds until its person sets a password from the mailed link: no
/// password verifies against it ('!' is no hash format), and its random part keeps any two
/// such values different. The status column reads the '!' as "Waiting for password".
fn unusable_hash() -> String {
    format!("!unset:{}", crate::tokens::random_token())
}

pub async fn add(who: &Org, name: &str, email: &str) -> Result<i64, AppError> {
    let (name, email) = parse_new_user(name, email)?;
    let org = who.scope.organization_id;
    // The same rule as every other way in: an address names this organization only when its
    // domain is verified here (or came with the organization at its creation). A domain merely
    // added on the Domains page proves nothing, so it cannot capture someone else's address.
    let owner = crate::accounts::organization_for_domain(&who.state.db, email.domain()).await?;
    if owner != Some(org) {
        return Err(AppError::field(
            "email",
            format!(
                "{} is not one of {}'s domains. Use an address on one of your organization's domains (a domain you added counts once it is verified).",
                email.domain(),
                who.scope.organization_name
            ),
        ));
    }
    let mut tx = who.state.db.begin_write().await?;
    let id = crate::accounts::insert_account(
        &mut tx,
        &crate::accounts::NewAccount {
            kind: crate::accounts::types::AccountKind::Work,
            email: email.clone(),
            display_name: name.clone(),
            phone: None,
            organization_id: Some(org),
            password_hash: unusable_hash(),
        },
        who.actor(),
        &who.ip,
    )
    .await?;
    crate::accounts::passwords::ask_to_set(
        &mut tx,
        &who.state.config.base_url,
        id,
        email.as_str(),
        name.as_str(),
    )
    .await?;
    audit(&mut tx, who, "user.add", id, email.as_str().to_owned()).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn detail(who: &Org, id: i64) -> Result<OrgUserData, AppError> {
    let db = &who.state.db;
    let org = who.scope.organization_id;
    let user = repo::users::one(db, org, id).await?;
    Ok(OrgUserData {
        organization: who.scope.organization_name.clone(),
        licenses: crate::services::licenses_of(db, org, id).await?,
        open_subscriptions: crate::services::open_subscriptions(db, org).await?,
        is_self: id == who.caller.account_id,
        caller_is_global: who.scope.has(OrgRole::Global),
        protected: protected_reason(who, &user.roles),
        user,
    })
}

pub async fn rename(who: &Org, id: i64, name: &str) -> Result<(), AppError> {
    let name = DisplayName::parse(name).map_err(|m| AppError::field("display_name", m))?;
    let (mut tx, target) = begin(who, id).await?;
    if target.name == name.as_str() {
        return Ok(());
    }
    sqlx::query("UPDATE accounts SET display_name = $1, updated_at = $2 WHERE id = $3")
        .bind(name.as_str())
        .bind(now())
        .bind(target.id)
        .execute(&mut *tx)
        .await?;
    let detail = format!("{}: {} → {}", target.email, target.name, name.as_str());
    audit(&mut tx, who, "user.rename", id, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Refuses to lose the organization's last enabled Global Administrator.
async fn keeps_a_global(tx: &mut Tx, who: &Org, target: &Target) -> Result<(), AppError> {
    if target.roles.contains(&OrgRole::Global)
        && repo::users::other_globals(tx, who.scope.organization_id, target.id).await? == 0
    {
        return Err(AppError::Conflict(LAST_GLOBAL.to_owned()));
    }
    Ok(())
}

fn not_yourself(who: &Org, id: i64, what: &str) -> Result<(), AppError> {
    if id == who.caller.account_id {
        return Err(AppError::Conflict(format!(
            "You cannot {what} your own account: ask another administrator."
        )));
    }
    Ok(())
}

/// Disabling ends every session of the account in the same transaction: its browser's next
/// request finds no session (and the session query refuses disabled accounts anyway).
pub async fn set_disabled(who: &Org, id: i64, disable: bool) -> Result<(), AppError> {
    if disable {
        not_yourself(who, id, "disable")?;
    }
    let (mut tx, target) = begin(who, id).await?;
    if target.disabled == disable {
        return Ok(());
    }
    if disable {
        keeps_a_global(&mut tx, who, &target).await?;
    }
    let now = now();
    sqlx::query("UPDATE accounts SET disabled_at = $1, updated_at = $2 WHERE id = $3")
        .bind(disable.then_some(now))
        .bind(now)
        .bind(target.id)
        .execute(&mut *tx)
        .await?;
    if disable {
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(target.id)
            .execute(&mut *tx)
            .await?;
    }
    let action = if disable {
        "user.disable"
    } else {
        "user.enable"
    };
    audit(&mut tx, who, action, id, target.email.clone()).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes the account with its sessions, roles, memberships and licenses (given back to their
/// subscriptions). An account that support cases or an agreement name stays, disabled instead:
/// the organization's records keep their author.
pub async fn delete(who: &Org, id: i64) -> Result<(), AppError> {
    not_yourself(who, id, "delete")?;
    let (mut tx, target) = begin(who, id).await?;
    keeps_a_global(&mut tx, who, &target).await?;
    if let Some(reason) = repo::users::kept_records(&mut tx, id).await? {
        return Err(AppError::Conflict(format!(
            "{} cannot be deleted: {reason}. Disable the account instead.",
            target.name
        )));
    }
    crate::services::release_licenses(&mut tx, who.scope.organization_id, id).await?;
    audit(&mut tx, who, "user.delete", id, target.email.clone()).await?;
    sqlx::query("DELETE FROM accounts WHERE id = $1 AND organization_id = $2")
        .bind(id)
        .bind(who.scope.organization_id)
        .execute(&mut *tx)
        .await
        .map_err(|e| match &e {
            // A record of another part of the portal that keeps its author: refuse, say why.
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => AppError::Conflict(format!(
                "{} cannot be deleted: records of your organization still name them. Disable the account instead.",
                target.name
            )),
            _ => AppError::from(e),
        })?;
    tx.commit().await?;
    Ok(())
}

pub async fn assign_role(who: &Org, id: i64, role: OrgRole) -> Result<(), AppError> {
    let email = {
        let user = repo::users::one(&who.state.db, who.scope.organization_id, id).await?;
        EmailAddress::parse(&user.email).map_err(AppError::internal)?
    };
    crate::organizations::assign_to(who, &email, role)
        .await
        .map(|_| ())
}

pub async fn remove_role(who: &Org, id: i64, role: OrgRole) -> Result<(), AppError> {
    repo::users::one(&who.state.db, who.scope.organization_id, id).await?;
    crate::organizations::remove_from(who, id, role)
        .await
        .map(|_| ())
}

pub async fn assign_license(who: &Org, id: i64, subscription_id: i64) -> Result<(), AppError> {
    let user = repo::users::one(&who.state.db, who.scope.organization_id, id).await?;
    crate::services::assign_to(who, subscription_id, &user.email).await
}

pub async fn remove_license(who: &Org, id: i64, subscription_id: i64) -> Result<(), AppError> {
    repo::users::one(&who.state.db, who.scope.organization_id, id).await?;
    crate::services::unassign_from(who, subscription_id, id).await
}
