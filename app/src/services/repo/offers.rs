//! The provider's offers and the services they give.

use crate::{
    auth::audit::{record, Actor, Entry},
    error::AppError,
    services::Offer,
    state::{now, AppState, Db},
};
use sqlx::{any::AnyRow, Row};

const OFFER_COLUMNS: &str = "o.id, o.service_id, s.name AS service, o.name, o.description, \
     o.unit, o.price_minor, o.currency, o.period_months, o.trial_days, o.volume";

/// An offer with the service it gives (what a subscription is made from).
pub struct Full {
    pub offer: Offer,
    pub service_id: i64,
}

impl std::ops::Deref for Full {
    type Target = Offer;
    fn deref(&self) -> &Offer {
        &self.offer
    }
}

fn offer(row: &AnyRow) -> Result<Offer, AppError> {
    Ok(Offer {
        id: row.try_get("id")?,
        service: row.try_get("service")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        unit: row.try_get("unit")?,
        price_minor: row.try_get("price_minor")?,
        currency: row.try_get("currency")?,
        period_months: row.try_get("period_months")?,
        trial_days: row.try_get("trial_days")?,
        volume: row.try_get::<i64, _>("volume")? != 0,
    })
}

/// The catalogue: listed offers, by service then name.
pub async fn listed(db: &Db) -> Result<Vec<Offer>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {OFFER_COLUMNS} FROM offers o JOIN services s ON s.id = o.service_id \
         WHERE o.listed = 1 ORDER BY s.name_canonical, o.name_canonical"
    ))
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(offer).collect()
}

/// Every offer (the operator's list).
pub async fn all(db: &Db) -> Result<Vec<Offer>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {OFFER_COLUMNS} FROM offers o JOIN services s ON s.id = o.service_id \
         ORDER BY s.name_canonical, o.name_canonical"
    ))
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(offer).collect()
}

pub async fn listed_one(db: &Db, offer_id: i64) -> Result<Option<Full>, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {OFFER_COLUMNS} FROM offers o JOIN services s ON s.id = o.service_id \
         WHERE o.id = $1 AND o.listed = 1"
    ))
    .bind(offer_id)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(Full {
            offer: offer(&r)?,
            service_id: r.try_get("service_id")?,
        })
    })
    .transpose()
}

pub struct NewOffer {
    pub service: String,
    pub name: String,
    pub description: String,
    pub unit: String,
    pub price_minor: i64,
    pub currency: String,
    pub period_months: i64,
    pub trial_days: i64,
    pub volume: bool,
}

/// Creates an offer, and its service when it is the first offer of that name.
pub async fn create(
    state: &AppState,
    new: NewOffer,
    actor: Actor<'_>,
    ip: &str,
) -> Result<i64, AppError> {
    let now = now();
    let mut tx = state.db.begin_write().await?;
    let existing = sqlx::query("SELECT id FROM services WHERE name_canonical = $1")
        .bind(new.service.to_lowercase())
        .fetch_optional(&mut *tx)
        .await?;
    let service_id: i64 = match existing {
        Some(row) => row.try_get("id")?,
        None => sqlx::query(
            "INSERT INTO services (name, name_canonical, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(&new.service)
        .bind(new.service.to_lowercase())
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(crate::db::unique_as("service", "A service of this name was just created. Try again."))?
        .try_get("id")?,
    };
    let id: i64 = sqlx::query(
        "INSERT INTO offers (service_id, name, name_canonical, description, unit, price_minor, \
         currency, period_months, trial_days, volume, listed, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11) RETURNING id",
    )
    .bind(service_id)
    .bind(&new.name)
    .bind(new.name.to_lowercase())
    .bind(&new.description)
    .bind(&new.unit)
    .bind(new.price_minor)
    .bind(&new.currency)
    .bind(new.period_months)
    .bind(new.trial_days)
    .bind(i64::from(new.volume))
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(crate::db::unique_as(
        "name",
        "An offer with this name already exists.",
    ))?
    .try_get("id")?;
    record(
        &mut tx,
        Entry {
            actor,
            action: "offer.create",
            object_type: "offer",
            object_id: Some(id),
            organization_id: None,
            agreement_id: None,
            workspace_id: None,
            detail: format!("{}: {}", new.service, new.name),
            ip,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
