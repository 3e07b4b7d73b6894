//! Queries of administrative roles (server only). Every statement is pinned to the caller's own
//! organization; an account id of another organization answers like a missing one. A change
//! holds the organization's write lock from its checks to its commit, so two Global
//! Administrators removing each other at once cannot leave the organization with none.

use crate::{
    accounts::types::EmailAddress,
    auth::{
        audit::{self as audit, Actor, Entry},
        guard::{Authorized, OrganizationScope},
        kinds::OrgRole,
    },
    db::Tx,
    error::AppError,
    organizations::{Administrator, OrgRoles, LAST_GLOBAL},
    state::{now, Db, Engine},
};
use sqlx::Row;

pub async fn list(db: &Db, scope: &OrganizationScope) -> Result<OrgRoles, AppError> {
    // One row per role held; an account of another organization never shows, even should a
    // stray role row name it.
    let rows = sqlx::query(
        "SELECT a.id, a.display_name, a.email, r.role \
         FROM organization_roles r JOIN accounts a ON a.id = r.account_id \
         WHERE r.organization_id = $1 AND a.organization_id = $1 \
         ORDER BY LOWER(a.display_name), a.id",
    )
    .bind(scope.organization_id)
    .fetch_all(db.pool())
    .await?;
    let mut administrators: Vec<Administrator> = Vec::new();
    for r in &rows {
        let account_id: i64 = r.try_get("id")?;
        let role = crate::db::column(r, "role", OrgRole::parse)?;
        match administrators.last_mut() {
            Some(last) if last.account_id == account_id => last.roles.push(role),
            _ => administrators.push(Administrator {
                account_id,
                name: r.try_get("display_name")?,
                email: r.try_get("email")?,
                roles: vec![role],
            }),
        }
    }
    for administrator in &mut administrators {
        administrator.roles.sort_unstable();
    }
    Ok(OrgRoles {
        organization_name: scope.organization_name.clone(),
        my_roles: scope.roles.clone(),
        administrators,
        can_manage: scope.has(OrgRole::Global),
    })
}

/// Serializes every change of the organization's roles: SQLite's write transaction holds the
/// database's one write lock already (`begin_write`); PostgreSQL locks the organization's row,
/// and each statement after it sees what the previous holder committed.
async fn lock(db: &Db, tx: &mut Tx, organization_id: i64) -> Result<(), AppError> {
    if db.engine() == Engine::Postgres {
        sqlx::query("SELECT id FROM organizations WHERE id = $1 FOR UPDATE")
            .bind(organization_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    Ok(())
}

/// The caller is still a Global Administrator once the lock is held: the guard read it before,
/// and a parallel change may have taken it since.
async fn still_global(tx: &mut Tx, organization_id: i64, account_id: i64) -> Result<(), AppError> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM organization_roles \
         WHERE account_id = $1 AND organization_id = $2 AND role = 'global'",
    )
    .bind(account_id)
    .bind(organization_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get("n")?;
    if n == 0 {
        return Err(AppError::Forbidden(
            "Only a Global Administrator can do this.".to_owned(),
        ));
    }
    Ok(())
}

/// A work account of the organization: (id, address, disabled).
struct Person {
    id: i64,
    email: String,
    disabled: bool,
}

fn person(row: &sqlx::any::AnyRow) -> Result<Person, AppError> {
    Ok(Person {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
    })
}

const DISABLED: &str = "That account is disabled: enable it before giving it a role.";

/// Adds the role unless it is held already: true when this call added it.
pub async fn grant(
    tx: &mut Tx,
    organization_id: i64,
    account_id: i64,
    role: OrgRole,
) -> Result<bool, AppError> {
    // Only a work account of this very organization holds its roles.
    let belongs: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM accounts \
         WHERE id = $1 AND organization_id = $2 AND kind = 'work'",
    )
    .bind(account_id)
    .bind(organization_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get("n")?;
    if belongs == 0 {
        return Err(AppError::NotFound);
    }
    let added = sqlx::query(
        "INSERT INTO organization_roles (account_id, organization_id, role, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(account_id)
    .bind(organization_id)
    .bind(role.as_str())
    .bind(now())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(added == 1)
}

/// What the log says of a role change: "megan@contoso.com: Global Administrator".
fn detail(email: &str, role: OrgRole) -> String {
    format!("{email}: {}", role.label())
}

/// The start of a change of roles: a write transaction holding the organization (so two
/// changes take turns), in which the caller is still a Global Administrator.
async fn global_change(who: &Authorized<OrganizationScope>) -> Result<Tx, AppError> {
    let organization_id = who.scope.organization_id;
    let mut tx = who.state.db.begin_write().await?;
    lock(&who.state.db, &mut tx, organization_id).await?;
    still_global(&mut tx, organization_id, who.caller.account_id).await?;
    Ok(tx)
}

/// A Global Administrator gives a work account of their organization a role: false when it
/// held the role already (nothing changes, nothing is logged).
pub async fn assign(
    who: &Authorized<OrganizationScope>,
    email: &EmailAddress,
    role: OrgRole,
) -> Result<bool, AppError> {
    let Authorized {
        caller, scope, ip, ..
    } = who;
    let organization_id = scope.organization_id;
    let mut tx = global_change(who).await?;
    // The same message whether the address is unknown or another organization's: it says
    // nothing about other organizations' people.
    let row = sqlx::query(
        "SELECT id, email, disabled_at FROM accounts \
         WHERE kind = 'work' AND email_canonical = $1 AND organization_id = $2",
    )
    .bind(email.canonical())
    .bind(organization_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::field(
            "email",
            format!(
                "No work account of {} has that address. Roles go to your organization's own accounts.",
                scope.organization_name
            ),
        )
    })?;
    let person = person(&row)?;
    if person.disabled {
        return Err(AppError::field("email", DISABLED));
    }
    if !grant(&mut tx, organization_id, person.id, role).await? {
        return Ok(false);
    }
    audit::record(
        &mut tx,
        Entry::in_organization(
            caller,
            organization_id,
            "role.assign",
            ("account", person.id),
            detail(&person.email, role),
            ip,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A Global Administrator takes a role back: false when the account did not hold it. The last
/// Global Administrator (of the enabled accounts) keeps theirs.
pub async fn remove(
    who: &Authorized<OrganizationScope>,
    account_id: i64,
    role: OrgRole,
) -> Result<bool, AppError> {
    let Authorized {
        caller, scope, ip, ..
    } = who;
    let organization_id = scope.organization_id;
    let mut tx = global_change(who).await?;
    let row = sqlx::query(
        "SELECT id, email, disabled_at FROM accounts \
         WHERE id = $1 AND organization_id = $2 AND kind = 'work'",
    )
    .bind(account_id)
    .bind(organization_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let person = person(&row)?;
    if role == OrgRole::Global {
        let others: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM organization_roles r JOIN accounts a ON a.id = r.account_id \
             WHERE r.organization_id = $1 AND r.role = 'global' AND r.account_id <> $2 \
               AND a.organization_id = $1 AND a.disabled_at IS NULL",
        )
        .bind(organization_id)
        .bind(account_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if others == 0 {
            return Err(AppError::Conflict(LAST_GLOBAL.to_owned()));
        }
    }
    let removed = sqlx::query(
        "DELETE FROM organization_roles \
         WHERE account_id = $1 AND organization_id = $2 AND role = $3",
    )
    .bind(account_id)
    .bind(organization_id)
    .bind(role.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if removed == 0 {
        return Ok(false);
    }
    audit::record(
        &mut tx,
        Entry::in_organization(
            caller,
            organization_id,
            "role.remove",
            ("account", account_id),
            detail(&person.email, role),
            ip,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The operator's assignment: the work account with this address, in its own organization.
pub async fn grant_by_email(
    db: &Db,
    email: &EmailAddress,
    role: OrgRole,
    actor: Actor<'_>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "SELECT id, email, disabled_at, organization_id FROM accounts \
         WHERE kind = 'work' AND email_canonical = $1 AND organization_id IS NOT NULL",
    )
    .bind(email.canonical())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::field(
            "email",
            "No work account of an organization has that address.",
        )
    })?;
    let person = person(&row)?;
    let organization_id: i64 = row.try_get("organization_id")?;
    if person.disabled {
        return Err(AppError::field("email", DISABLED));
    }
    lock(db, &mut tx, organization_id).await?;
    if !grant(&mut tx, organization_id, person.id, role).await? {
        return Ok(());
    }
    audit::record(
        &mut tx,
        Entry {
            actor,
            action: "role.assign",
            object_type: "account",
            object_id: Some(person.id),
            organization_id: Some(organization_id),
            agreement_id: None,
            workspace_id: None,
            detail: detail(&person.email, role),
            ip: "local",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
