//! An organization's subscriptions. Every read and write names the organization, so an id of
//! another organization finds nothing.

use crate::{
    error::AppError,
    services::{repo::offers::Full, types::Status, ServiceSummary, Subscription},
    state::{now, Db},
};
use sqlx::{any::AnyRow, Row};

/// A subscription as a change needs it: with its offer's price and term.
pub struct SubRow {
    pub id: i64,
    pub service_id: i64,
    pub offer: String,
    pub status: Status,
    pub quantity: i64,
    pub assigned: i64,
    pub ends_at: i64,
    pub price_minor: i64,
    pub currency: String,
    pub period_months: i64,
}

/// Inserts a subscription that starts now: a trial for the offer's trial length, or a paid
/// term of its billing period.
pub async fn insert(
    tx: &mut crate::db::Tx,
    organization_id: i64,
    offer: &Full,
    status: Status,
    quantity: i64,
) -> Result<i64, AppError> {
    let now = now();
    let ends_at = if status == Status::Trial {
        now + offer.trial_days * 86_400
    } else {
        crate::services::lifecycle::term_end(now, offer.period_months)
    };
    let recurring = status == Status::Active;
    let due = crate::services::lifecycle::next_due(status, ends_at, None);
    let id: i64 = sqlx::query(
        "INSERT INTO subscriptions (organization_id, service_id, offer_id, status, quantity, \
         assigned, recurring, starts_at, ends_at, due_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9, $7, $7) RETURNING id",
    )
    .bind(organization_id)
    .bind(offer.service_id)
    .bind(offer.id)
    .bind(status.as_str())
    .bind(quantity)
    .bind(i64::from(recurring))
    .bind(now)
    .bind(ends_at)
    .bind(due)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    Ok(id)
}

pub async fn has_trial(
    tx: &mut crate::db::Tx,
    organization_id: i64,
    offer_id: i64,
) -> Result<bool, AppError> {
    // Any subscription of the offer that began as a trial or still is one: a converted trial
    // was a trial too, so the offer is not tried twice. The organization's row is locked first
    // (a no-op update; SQLite's BEGIN IMMEDIATE serializes already), so two parallel requests
    // on PostgreSQL are checked one after the other, not both against the same empty count.
    sqlx::query("UPDATE organizations SET updated_at = updated_at WHERE id = $1")
        .bind(organization_id)
        .execute(&mut **tx)
        .await?;
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM subscriptions \
         WHERE organization_id = $1 AND offer_id = $2",
    )
    .bind(organization_id)
    .bind(offer_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// The Services page: one row per service the organization holds (deleted subscriptions
/// aside). The total counts licenses that can be used; the status is the best of its
/// subscriptions' (the order of `Status`).
pub async fn summaries(db: &Db, organization_id: i64) -> Result<Vec<ServiceSummary>, AppError> {
    let rows = sqlx::query(
        "SELECT s.service_id, sv.name, s.status, s.quantity, s.assigned, s.ends_at, o.volume \
         FROM subscriptions s JOIN services sv ON sv.id = s.service_id \
         JOIN offers o ON o.id = s.offer_id \
         WHERE s.organization_id = $1 AND s.status <> 'deleted' \
         ORDER BY sv.name_canonical, s.service_id",
    )
    .bind(organization_id)
    .fetch_all(db.pool())
    .await?;
    let mut out: Vec<ServiceSummary> = Vec::new();
    for row in &rows {
        let service_id: i64 = row.try_get("service_id")?;
        let status = crate::db::column(row, "status", Status::parse)?;
        let usable = status.usable();
        let quantity: i64 = row.try_get("quantity")?;
        let assigned: i64 = row.try_get("assigned")?;
        let ends_at: i64 = row.try_get("ends_at")?;
        let volume = row.try_get::<i64, _>("volume")? != 0;
        let live = !matches!(status, Status::Cancelled | Status::Deleted);
        match out.last_mut().filter(|s| s.service_id == service_id) {
            Some(summary) => {
                if usable {
                    summary.total += quantity;
                    summary.in_use += assigned;
                }
                if live {
                    summary.nearest_expiry =
                        Some(summary.nearest_expiry.map_or(ends_at, |e| e.min(ends_at)));
                }
                summary.status = summary.status.min(status);
                summary.volume |= volume;
            }
            None => out.push(ServiceSummary {
                service_id,
                name: row.try_get("name")?,
                total: if usable { quantity } else { 0 },
                in_use: if usable { assigned } else { 0 },
                nearest_expiry: live.then_some(ends_at),
                status,
                volume,
            }),
        }
    }
    Ok(out)
}

fn subscription(row: &AnyRow) -> Result<Subscription, AppError> {
    let price_minor: i64 = row.try_get("price_minor")?;
    let currency: String = row.try_get("currency")?;
    let unit: String = row.try_get("unit")?;
    let months: i64 = row.try_get("period_months")?;
    Ok(Subscription {
        id: row.try_get("id")?,
        offer: row.try_get("offer")?,
        quantity: row.try_get("quantity")?,
        assigned: row.try_get("assigned")?,
        starts_at: row.try_get("starts_at")?,
        ends_at: row.try_get("ends_at")?,
        status: crate::db::column(row, "status", Status::parse)?,
        recurring: row.try_get::<i64, _>("recurring")? != 0,
        volume: row.try_get::<i64, _>("volume")? != 0,
        price_label: format!(
            "{} per {unit} {}",
            crate::billing::format_money(price_minor, &currency),
            if months == 12 { "a year" } else { "a month" }
        ),
        cancel_reason: row.try_get("cancel_reason")?,
    })
}

/// A service of the organization with its subscriptions, or None when it holds none of it.
pub async fn of_service(
    db: &Db,
    organization_id: i64,
    service_id: i64,
) -> Result<Option<(String, Vec<Subscription>)>, AppError> {
    let rows = sqlx::query(
        "SELECT s.id, o.name AS offer, s.quantity, s.assigned, s.starts_at, s.ends_at, s.status, \
           s.recurring, o.volume, o.price_minor, o.currency, o.unit, o.period_months, \
           s.cancel_reason, sv.name AS service \
         FROM subscriptions s JOIN offers o ON o.id = s.offer_id \
         JOIN services sv ON sv.id = s.service_id \
         WHERE s.organization_id = $1 AND s.service_id = $2 AND s.status <> 'deleted' \
         ORDER BY s.id",
    )
    .bind(organization_id)
    .bind(service_id)
    .fetch_all(db.pool())
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let name: String = first.try_get("service")?;
    Ok(Some((
        name,
        rows.iter().map(subscription).collect::<Result<_, _>>()?,
    )))
}

/// One subscription of the organization, inside a change's transaction, locked until it ends.
/// The no-op update takes the row's lock first (PostgreSQL; SQLite's BEGIN IMMEDIATE already
/// serializes writers), so the SELECT below reads what a parallel change committed: two
/// upgrades, renewals or quantity changes of one subscription cannot both bill from one state.
pub async fn get(
    tx: &mut crate::db::Tx,
    organization_id: i64,
    subscription_id: i64,
) -> Result<Option<SubRow>, AppError> {
    sqlx::query(
        "UPDATE subscriptions SET updated_at = updated_at WHERE id = $1 AND organization_id = $2",
    )
    .bind(subscription_id)
    .bind(organization_id)
    .execute(&mut **tx)
    .await?;
    let row = sqlx::query(
        "SELECT s.id, s.service_id, o.name AS offer, s.status, s.quantity, s.assigned, s.ends_at, \
           o.price_minor, o.currency, o.period_months \
         FROM subscriptions s JOIN offers o ON o.id = s.offer_id \
         WHERE s.id = $1 AND s.organization_id = $2 AND s.status <> 'deleted'",
    )
    .bind(subscription_id)
    .bind(organization_id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| {
        Ok(SubRow {
            id: r.try_get("id")?,
            service_id: r.try_get("service_id")?,
            offer: r.try_get("offer")?,
            status: crate::db::column(&r, "status", Status::parse)?,
            quantity: r.try_get("quantity")?,
            assigned: r.try_get("assigned")?,
            ends_at: r.try_get("ends_at")?,
            price_minor: r.try_get("price_minor")?,
            currency: r.try_get("currency")?,
            period_months: r.try_get("period_months")?,
        })
    })
    .transpose()
}

/// A new term (upgrade, renewal by hand): status, start and end, and what is due next.
pub async fn set_term(
    tx: &mut crate::db::Tx,
    sub: &SubRow,
    status: Status,
    starts_at: i64,
    ends_at: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE subscriptions SET status = $1, starts_at = $2, ends_at = $3, due_at = $4, \
         recurring = 1, reminded_for = NULL, updated_at = $5 WHERE id = $6 AND status = $7",
    )
    .bind(status.as_str())
    .bind(starts_at)
    .bind(ends_at)
    .bind(crate::services::lifecycle::next_due(status, ends_at, None))
    .bind(now())
    .bind(sub.id)
    .bind(sub.status.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets the total, unless more licenses than that are assigned: one conditional update, so a
/// parallel assignment cannot slip between a check and the change. Answers the number
/// assigned when it refused.
pub async fn set_quantity(
    tx: &mut crate::db::Tx,
    sub: &SubRow,
    quantity: i64,
) -> Result<Option<i64>, AppError> {
    let changed = sqlx::query(
        "UPDATE subscriptions SET quantity = $1, updated_at = $2 \
         WHERE id = $3 AND assigned <= $1",
    )
    .bind(quantity)
    .bind(now())
    .bind(sub.id)
    .execute(&mut **tx)
    .await?;
    if changed.rows_affected() == 1 {
        return Ok(None);
    }
    let row = sqlx::query("SELECT assigned FROM subscriptions WHERE id = $1")
        .bind(sub.id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(Some(row.try_get("assigned")?))
}

pub async fn set_recurring(tx: &mut crate::db::Tx, sub: &SubRow, on: bool) -> Result<(), AppError> {
    sqlx::query("UPDATE subscriptions SET recurring = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(on))
        .bind(now())
        .bind(sub.id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn cancel(tx: &mut crate::db::Tx, sub: &SubRow, reason: &str) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE subscriptions SET status = 'cancelled', recurring = 0, cancel_reason = $1, \
         due_at = NULL, updated_at = $2 WHERE id = $3",
    )
    .bind(reason)
    .bind(now())
    .bind(sub.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
