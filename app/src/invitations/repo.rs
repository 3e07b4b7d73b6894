//! Queries of invitations (server only). Writes happen inside the caller's transaction, so an
//! invitation, its mail in the outbox and its audit entry are written together or not at all.

mod found;
mod insert;
mod lifecycle;
mod limits;
mod progress;

pub use found::{audit_entry, by_token, in_workspace, Found};
pub use insert::insert_many;
pub use lifecycle::{consume, grant, renew, revoke};
pub use limits::{contacts_in_use, draw_budget, existing, lock_agreement, Existing};
pub use progress::mail_progress;

use crate::{
    accounts::types::EmailAddress,
    auth::audit::{self as audit, Entry},
    error::AppError,
    invitations::InvitationRole,
};
use sqlx::Row;

pub use crate::db::Tx;

/// Where invitations are being sent from.
pub struct InviteContext<'a> {
    pub workspace_id: i64,
    pub workspace_name: &'a str,
    pub agreement_id: i64,
    pub organization_id: i64,
    pub organization_name: &'a str,
    pub invited_by: Option<i64>,
    pub inviter_label: &'a str,
    pub base_url: &'a str,
    pub expires_at: i64,
    pub ip: &'a str,
}

pub struct NewInvitation {
    pub email: EmailAddress,
    pub name: String,
    pub role: InvitationRole,
    pub support_contact: bool,
}

pub async fn record(tx: &mut Tx, entry: Entry<'_>) -> Result<(), AppError> {
    audit::record(tx, entry).await?;
    Ok(())
}

pub async fn organization_name(tx: &mut Tx, organization_id: i64) -> Result<String, AppError> {
    Ok(sqlx::query("SELECT name FROM organizations WHERE id = $1")
        .bind(organization_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("name")?)
}
