//! License assignments. `subscriptions.assigned` moves with every assignment in the same
//! transaction, through one conditional update, so the number in use is the number of
//! assignments and never passes the total, whatever runs in parallel.

use crate::{
    error::AppError,
    services::{repo::subscriptions::SubRow as Sub, types::Status, Assignment, HeldLicense},
    state::{now, Db},
};
use sqlx::Row;

/// Assigns one license of `sub` to `account_id` (a user of the same organization).
pub async fn assign(
    tx: &mut crate::db::Tx,
    sub: &Sub,
    account_id: i64,
    name: &str,
) -> Result<(), AppError> {
    let held = sqlx::query(
        "SELECT COUNT(*) AS n FROM license_assignments WHERE subscription_id = $1 AND account_id = $2",
    )
    .bind(sub.id)
    .bind(account_id)
    .fetch_one(&mut **tx)
    .await?;
    if held.try_get::<i64, _>("n")? > 0 {
        return Err(AppError::field(
            "email",
            format!("{name} already has a license of {}.", sub.offer),
        ));
    }
    let counted = sqlx::query(
        "UPDATE subscriptions SET assigned = assigned + 1, updated_at = $1 \
         WHERE id = $2 AND assigned < quantity",
    )
    .bind(now())
    .bind(sub.id)
    .execute(&mut **tx)
    .await?;
    if counted.rows_affected() != 1 {
        return Err(AppError::field(
            "email",
            format!(
                "All {} licenses of {} are in use. Take one back or buy more first.",
                sub.quantity, sub.offer
            ),
        ));
    }
    sqlx::query(
        "INSERT INTO license_assignments (subscription_id, account_id, organization_id, assigned_at) \
         SELECT $1, $2, organization_id, $3 FROM subscriptions WHERE id = $1",
    )
    .bind(sub.id)
    .bind(account_id)
    .bind(now())
    .execute(&mut **tx)
    .await
    .map_err(crate::db::unique_as("email", "This user already has a license of this subscription."))?;
    Ok(())
}

/// Takes a license back; answers the holder's address, or None when they held none.
pub async fn unassign(
    tx: &mut crate::db::Tx,
    sub: &Sub,
    account_id: i64,
) -> Result<Option<String>, AppError> {
    let holder = sqlx::query(
        "SELECT a.email FROM license_assignments l JOIN accounts a ON a.id = l.account_id \
         WHERE l.subscription_id = $1 AND l.account_id = $2",
    )
    .bind(sub.id)
    .bind(account_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(holder) = holder else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM license_assignments WHERE subscription_id = $1 AND account_id = $2")
        .bind(sub.id)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE subscriptions SET assigned = assigned - 1, updated_at = $1 WHERE id = $2")
        .bind(now())
        .bind(sub.id)
        .execute(&mut **tx)
        .await?;
    Ok(Some(holder.try_get("email")?))
}

/// One page of a service's assignments, in the primary key's order (an index range).
pub async fn of_service(
    db: &Db,
    organization_id: i64,
    service_id: i64,
    offset: i64,
    limit: i64,
) -> Result<Vec<Assignment>, AppError> {
    // The page's 50 assignments are picked from the indexes first; only they are joined to
    // their accounts (a deep page would otherwise join every assignment of the service).
    let rows = sqlx::query(
        "SELECT l.subscription_id, l.account_id, a.display_name, a.email, o.name AS offer \
         FROM (SELECT l.subscription_id, l.account_id, s.offer_id \
               FROM subscriptions s JOIN license_assignments l ON l.subscription_id = s.id \
               WHERE s.organization_id = $1 AND s.service_id = $2 AND s.status <> 'deleted' \
               ORDER BY l.subscription_id, l.account_id LIMIT $3 OFFSET $4) l \
         JOIN accounts a ON a.id = l.account_id JOIN offers o ON o.id = l.offer_id \
         ORDER BY l.subscription_id, l.account_id",
    )
    .bind(organization_id)
    .bind(service_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Assignment {
                subscription_id: r.try_get("subscription_id")?,
                account_id: r.try_get("account_id")?,
                name: r.try_get("display_name")?,
                email: r.try_get("email")?,
                offer: r.try_get("offer")?,
            })
        })
        .collect()
}

/// The licenses one account holds (their profile).
pub async fn held_by(db: &Db, account_id: i64) -> Result<Vec<HeldLicense>, AppError> {
    let rows = sqlx::query(
        "SELECT sv.name AS service, o.name AS offer, s.status \
         FROM license_assignments l JOIN subscriptions s ON s.id = l.subscription_id \
         JOIN offers o ON o.id = s.offer_id JOIN services sv ON sv.id = s.service_id \
         WHERE l.account_id = $1 AND s.organization_id = l.organization_id \
           AND s.status <> 'deleted' ORDER BY sv.name_canonical, o.name_canonical",
    )
    .bind(account_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(HeldLicense {
                service: r.try_get("service")?,
                offer: r.try_get("offer")?,
                status: crate::db::column(r, "status", Status::parse)?,
            })
        })
        .collect()
}

/// The licenses one account of `organization_id` holds, with their subscriptions (the Identity
/// page's user page).
pub async fn of_account(
    db: &Db,
    organization_id: i64,
    account_id: i64,
) -> Result<Vec<crate::services::AccountLicense>, AppError> {
    let rows = sqlx::query(
        "SELECT s.id, sv.name AS service, o.name AS offer, s.status \
         FROM license_assignments l JOIN subscriptions s ON s.id = l.subscription_id \
         JOIN offers o ON o.id = s.offer_id JOIN services sv ON sv.id = s.service_id \
         WHERE l.account_id = $1 AND l.organization_id = $2 AND s.organization_id = $2 \
           AND s.status <> 'deleted' ORDER BY sv.name_canonical, o.name_canonical, s.id",
    )
    .bind(account_id)
    .bind(organization_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(crate::services::AccountLicense {
                subscription_id: r.try_get("id")?,
                service: r.try_get("service")?,
                offer: r.try_get("offer")?,
                status: crate::db::column(r, "status", Status::parse)?,
            })
        })
        .collect()
}

/// The organization's subscriptions whose licenses can be assigned and that have some left.
pub async fn open_subscriptions(
    db: &Db,
    organization_id: i64,
) -> Result<Vec<crate::services::OpenSubscription>, AppError> {
    let rows = sqlx::query(
        "SELECT s.id, sv.name AS service, o.name AS offer, s.quantity - s.assigned AS remaining \
         FROM subscriptions s JOIN offers o ON o.id = s.offer_id \
         JOIN services sv ON sv.id = s.service_id \
         WHERE s.organization_id = $1 AND s.status IN ('trial', 'active', 'expired') \
           AND s.assigned < s.quantity ORDER BY sv.name_canonical, o.name_canonical, s.id",
    )
    .bind(organization_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(crate::services::OpenSubscription {
                id: r.try_get("id")?,
                service: r.try_get("service")?,
                offer: r.try_get("offer")?,
                remaining: r.try_get("remaining")?,
            })
        })
        .collect()
}

/// Gives back every license an account holds, inside the caller's transaction (the account is
/// being deleted): each subscription's count goes down with its assignment.
pub async fn release_all(
    tx: &mut crate::db::Tx,
    organization_id: i64,
    account_id: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE subscriptions SET assigned = assigned - 1, updated_at = $3 \
         WHERE organization_id = $2 AND id IN (SELECT subscription_id FROM license_assignments \
           WHERE account_id = $1 AND organization_id = $2)",
    )
    .bind(account_id)
    .bind(organization_id)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM license_assignments WHERE account_id = $1 AND organization_id = $2")
        .bind(account_id)
        .bind(organization_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
