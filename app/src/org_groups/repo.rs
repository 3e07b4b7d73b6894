//! Queries of the organization's groups (server only). Every statement names the caller's
//! organization: a group id of another organization is looked up inside the caller's own, where
//! it is missing (404), and only work accounts of the same organization become members.

use crate::{
    accounts::types::EmailAddress,
    auth::{
        audit::{self as audit, Entry},
        guard::{Authorized, OrganizationScope},
    },
    db::Tx,
    error::AppError,
    org_groups::{
        types::GroupInput, OrgGroupDetail, OrgGroupList, OrgGroupMember, OrgGroupRow, PAGE_SIZE,
    },
    state::{now, Db},
};
use sqlx::Row;

const NAME_TAKEN: &str = "Your organization already has a group of that name.";
const NOT_OURS: &str = "No account of your organization has this address.";

pub async fn list(
    db: &Db,
    scope: &OrganizationScope,
    search: &str,
    page: i64,
) -> Result<OrgGroupList, AppError> {
    // A prefix of the name, read in the unique index (organization_id, name_key).
    let (low, high) = crate::db::prefix_range(search).unwrap_or_default();
    let searching = i64::from(!low.is_empty());
    let filter = "organization_id = $1 AND ($2 = 0 OR (name_key >= $3 AND name_key < $4))";
    let total: i64 = sqlx::query(&format!(
        "SELECT COUNT(*) AS n FROM org_groups WHERE {filter}"
    ))
    .bind(scope.organization_id)
    .bind(searching)
    .bind(&low)
    .bind(&high)
    .fetch_one(db.pool())
    .await?
    .try_get("n")?;
    let page = crate::db::page(page, total, PAGE_SIZE);
    let rows = sqlx::query(&format!(
        "SELECT g.id, g.name, g.description, \
           (SELECT COUNT(*) FROM org_group_members m WHERE m.group_id = g.id) AS members \
         FROM org_groups g WHERE {} ORDER BY g.name_key, g.id LIMIT $5 OFFSET $6",
        filter
            .replace("organization_id", "g.organization_id")
            .replace("name_key", "g.name_key")
    ))
    .bind(scope.organization_id)
    .bind(searching)
    .bind(&low)
    .bind(&high)
    .bind(PAGE_SIZE)
    .bind(page.offset)
    .fetch_all(db.pool())
    .await?;
    let groups = rows
        .iter()
        .map(|r| {
            Ok(OrgGroupRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                description: r.try_get("description")?,
                members: r.try_get("members")?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(OrgGroupList {
        organization_name: scope.organization_name.clone(),
        groups,
        total,
        page: page.number,
        page_size: PAGE_SIZE,
    })
}

pub async fn detail(
    db: &Db,
    scope: &OrganizationScope,
    group_id: i64,
    page: i64,
) -> Result<OrgGroupDetail, AppError> {
    let group = sqlx::query(
        "SELECT g.id, g.name, g.description, \
           (SELECT COUNT(*) FROM org_group_members m WHERE m.group_id = g.id) AS members \
         FROM org_groups g WHERE g.id = $1 AND g.organization_id = $2",
    )
    .bind(group_id)
    .bind(scope.organization_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    let total: i64 = group.try_get("members")?;
    let page = crate::db::page(page, total, PAGE_SIZE);
    let rows = sqlx::query(
        "SELECT a.id, a.display_name, a.email FROM org_group_members m \
         JOIN accounts a ON a.id = m.account_id \
         WHERE m.group_id = $1 AND a.organization_id = $2 \
         ORDER BY LOWER(a.display_name), a.id LIMIT $3 OFFSET $4",
    )
    .bind(group_id)
    .bind(scope.organization_id)
    .bind(PAGE_SIZE)
    .bind(page.offset)
    .fetch_all(db.pool())
    .await?;
    let members = rows
        .iter()
        .map(|r| {
            Ok(OrgGroupMember {
                account_id: r.try_get("id")?,
                name: r.try_get("display_name")?,
                email: r.try_get("email")?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(OrgGroupDetail {
        organization_name: scope.organization_name.clone(),
        id: group.try_get("id")?,
        name: group.try_get("name")?,
        description: group.try_get("description")?,
        members,
        total,
        page: page.number,
        page_size: PAGE_SIZE,
    })
}

/// The group's name, inside the caller's organization (else missing), for the log.
async fn group_name(tx: &mut Tx, organization_id: i64, group_id: i64) -> Result<String, AppError> {
    Ok(
        sqlx::query("SELECT name FROM org_groups WHERE id = $1 AND organization_id = $2")
            .bind(group_id)
            .bind(organization_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(AppError::NotFound)?
            .try_get("name")?,
    )
}

async fn log(
    tx: &mut Tx,
    who: &Authorized<OrganizationScope>,
    action: &str,
    group_id: i64,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        tx,
        Entry::in_organization(
            &who.caller,
            who.scope.organization_id,
            action,
            ("org_group", group_id),
            detail,
            &who.ip,
        ),
    )
    .await?;
    Ok(())
}

pub async fn create(
    who: &Authorized<OrganizationScope>,
    input: &GroupInput,
) -> Result<i64, AppError> {
    let mut tx = who.state.db.begin_write().await?;
    // The unique index decides between two people creating the same name at once.
    let id: i64 = sqlx::query(
        "INSERT INTO org_groups (organization_id, name, name_key, description, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(who.scope.organization_id)
    .bind(input.name.as_str())
    .bind(input.name.canonical())
    .bind(input.description.as_str())
    .bind(now())
    .fetch_one(&mut *tx)
    .await
    .map_err(crate::db::unique_as("name", NAME_TAKEN))?
    .try_get("id")?;
    log(
        &mut tx,
        who,
        "org_group.create",
        id,
        input.name.as_str().to_owned(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// False when the name and description were already these (nothing is logged).
pub async fn edit(
    who: &Authorized<OrganizationScope>,
    group_id: i64,
    input: &GroupInput,
) -> Result<bool, AppError> {
    let organization_id = who.scope.organization_id;
    let mut tx = who.state.db.begin_write().await?;
    let row = sqlx::query(
        "SELECT name, description FROM org_groups WHERE id = $1 AND organization_id = $2",
    )
    .bind(group_id)
    .bind(organization_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let old_name: String = row.try_get("name")?;
    let old_description: String = row.try_get("description")?;
    if old_name == input.name.as_str() && old_description == input.description.as_str() {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE org_groups SET name = $1, name_key = $2, description = $3 \
         WHERE id = $4 AND organization_id = $5",
    )
    .bind(input.name.as_str())
    .bind(input.name.canonical())
    .bind(input.description.as_str())
    .bind(group_id)
    .bind(organization_id)
    .execute(&mut *tx)
    .await
    .map_err(crate::db::unique_as("name", NAME_TAKEN))?;
    let detail = if old_name == input.name.as_str() {
        format!("{old_name}: description changed")
    } else {
        format!("{old_name} renamed {}", input.name.as_str())
    };
    log(&mut tx, who, "org_group.update", group_id, detail).await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn delete(who: &Authorized<OrganizationScope>, group_id: i64) -> Result<(), AppError> {
    let organization_id = who.scope.organization_id;
    let mut tx = who.state.db.begin_write().await?;
    let name = group_name(&mut tx, organization_id, group_id).await?;
    // Explicitly, rather than trusting the engine's cascade to be switched on.
    sqlx::query("DELETE FROM org_group_members WHERE group_id = $1")
        .bind(group_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM org_groups WHERE id = $1 AND organization_id = $2")
        .bind(group_id)
        .bind(organization_id)
        .execute(&mut *tx)
        .await?;
    log(&mut tx, who, "org_group.delete", group_id, name).await?;
    tx.commit().await?;
    Ok(())
}

/// False when the account was a member already.
pub async fn add_member(
    who: &Authorized<OrganizationScope>,
    group_id: i64,
    email: &EmailAddress,
) -> Result<bool, AppError> {
    let organization_id = who.scope.organization_id;
    let mut tx = who.state.db.begin_write().await?;
    let name = group_name(&mut tx, organization_id, group_id).await?;
    // The same message for an unknown address and another organization's: it tells nothing
    // about other organizations' people.
    let account = sqlx::query(
        "SELECT id, email FROM accounts \
         WHERE kind = 'work' AND email_canonical = $1 AND organization_id = $2",
    )
    .bind(email.canonical())
    .bind(organization_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::field("email", NOT_OURS))?;
    let account_id: i64 = account.try_get("id")?;
    let address: String = account.try_get("email")?;
    let added = sqlx::query(
        "INSERT INTO org_group_members (group_id, account_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(group_id)
    .bind(account_id)
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if added == 0 {
        return Ok(false);
    }
    log(
        &mut tx,
        who,
        "org_group.member.add",
        group_id,
        format!("{name}: {address}"),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// False when the account was not a member (any more).
pub async fn remove_member(
    who: &Authorized<OrganizationScope>,
    group_id: i64,
    account_id: i64,
) -> Result<bool, AppError> {
    let organization_id = who.scope.organization_id;
    let mut tx = who.state.db.begin_write().await?;
    let name = group_name(&mut tx, organization_id, group_id).await?;
    let address: Option<String> =
        sqlx::query("SELECT email FROM accounts WHERE id = $1 AND organization_id = $2")
            .bind(account_id)
            .bind(organization_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get("email"))
            .transpose()?;
    let Some(address) = address else {
        return Err(AppError::NotFound);
    };
    let removed =
        sqlx::query("DELETE FROM org_group_members WHERE group_id = $1 AND account_id = $2")
            .bind(group_id)
            .bind(account_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if removed == 0 {
        return Ok(false);
    }
    log(
        &mut tx,
        who,
        "org_group.member.remove",
        group_id,
        format!("{name}: {address}"),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
