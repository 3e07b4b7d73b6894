//! Queries of the Identity page (server only). Every statement names the caller's
//! organization, so an account id of another organization is simply not found.

pub mod org;
pub mod users;

use crate::{
    db::Tx,
    error::AppError,
    state::{Db, Engine},
};

/// Serializes the changes that must see each other (the last Global Administrator, a rename):
/// SQLite's write transaction holds the database's write lock already; PostgreSQL locks the
/// organization's row, as the roles domain does.
pub async fn lock(db: &Db, tx: &mut Tx, organization_id: i64) -> Result<(), AppError> {
    if db.engine() == Engine::Postgres {
        sqlx::query("SELECT id FROM organizations WHERE id = $1 FOR UPDATE")
            .bind(organization_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    Ok(())
}
