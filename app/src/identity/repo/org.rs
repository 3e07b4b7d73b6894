//! The organization's information.

use crate::{
    auth::{
        audit::{record, Entry},
        guard::{Authorized, OrgPermission, OrganizationScope},
    },
    error::AppError,
    identity::{types::OrgInput, OrgInfo},
    state::{now, Db},
};
use sqlx::Row;

pub async fn domains(db: &Db, organization_id: i64) -> Result<Vec<String>, AppError> {
    let rows = sqlx::query(
        "SELECT domain FROM organization_domains WHERE organization_id = $1 ORDER BY domain",
    )
    .bind(organization_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|r| Ok(r.try_get("domain")?)).collect()
}

pub async fn info(db: &Db, scope: &OrganizationScope) -> Result<OrgInfo, AppError> {
    let row = sqlx::query(
        "SELECT name, address, technical_contact, language FROM organizations WHERE id = $1",
    )
    .bind(scope.organization_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(OrgInfo {
        name: row.try_get("name")?,
        address: row.try_get("address")?,
        technical_contact: row.try_get("technical_contact")?,
        language: row.try_get("language")?,
        domains: domains(db, scope.organization_id).await?,
        can_edit: scope.can(OrgPermission::ManageIdentity),
        can_manage_users: scope.can(OrgPermission::ManageUsers),
    })
}

const NAME_TAKEN: &str = "Another organization already has this name. Choose another one.";

/// Saves the information; the organization's domains are another table and never change here.
pub async fn update(who: &Authorized<OrganizationScope>, input: &OrgInput) -> Result<(), AppError> {
    let org = who.scope.organization_id;
    let canonical = input.name.to_lowercase();
    let mut tx = who.state.db.begin_write().await?;
    super::lock(&who.state.db, &mut tx, org).await?;
    let taken: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM organizations WHERE name_canonical = $1 AND id <> $2",
    )
    .bind(&canonical)
    .bind(org)
    .fetch_one(&mut *tx)
    .await?
    .try_get("n")?;
    if taken > 0 {
        return Err(AppError::field("name", NAME_TAKEN));
    }
    sqlx::query(
        "UPDATE organizations SET name = $1, name_canonical = $2, address = $3, \
         technical_contact = $4, language = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(&input.name)
    .bind(&canonical)
    .bind(&input.address)
    .bind(input.technical_contact.as_str())
    .bind(&input.language)
    .bind(now())
    .bind(org)
    .execute(&mut *tx)
    .await
    // A parallel rename of another organization can win between the check and this update.
    .map_err(crate::db::unique_as("name", NAME_TAKEN))?;
    record(
        &mut tx,
        Entry::in_organization(
            &who.caller,
            org,
            "organization.update",
            ("organization", org),
            format!("{} ({})", input.name, input.technical_contact.as_str()),
            &who.ip,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
