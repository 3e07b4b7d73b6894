//! Finding a stored invitation, by its token or by id within a workspace.

use crate::{
    auth::audit::{Actor, Entry},
    error::AppError,
    invitations::InvitationRole,
    tokens::hash_token,
};
use sqlx::{Any, Row};

use super::Tx;

/// An invitation found by its token.
#[derive(Clone, Debug)]
pub struct Found {
    pub id: i64,
    pub workspace_id: i64,
    pub workspace_name: String,
    pub agreement_id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub allow_personal: bool,
    pub email: String,
    pub email_canonical: String,
    pub name: String,
    pub role: InvitationRole,
    pub support_contact: bool,
    pub status: String,
    pub expires_at: i64,
}

const FOUND_SELECT: &str =
    "SELECT i.id, i.workspace_id, w.name AS workspace_name, w.agreement_id, \
    a.organization_id, o.name AS organization_name, w.allow_personal, i.email, i.email_canonical, \
    i.name, i.role, i.support_contact, i.status, i.expires_at \
    FROM invitations i JOIN workspaces w ON w.id = i.workspace_id \
    JOIN agreements a ON a.id = w.agreement_id JOIN organizations o ON o.id = a.organization_id";

fn found(row: &sqlx::any::AnyRow) -> Result<Found, AppError> {
    Ok(Found {
        id: row.try_get("id")?,
        workspace_id: row.try_get("workspace_id")?,
        workspace_name: row.try_get("workspace_name")?,
        agreement_id: row.try_get("agreement_id")?,
        organization_id: row.try_get("organization_id")?,
        organization_name: row.try_get("organization_name")?,
        allow_personal: row.try_get::<i64, _>("allow_personal")? != 0,
        email: row.try_get("email")?,
        email_canonical: row.try_get("email_canonical")?,
        name: row.try_get("name")?,
        role: crate::db::column(row, "role", InvitationRole::parse)?,
        support_contact: row.try_get::<i64, _>("support_contact")? != 0,
        status: row.try_get("status")?,
        expires_at: row.try_get("expires_at")?,
    })
}

pub async fn by_token<'e, E>(executor: E, token: &str) -> Result<Option<Found>, AppError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let row = sqlx::query(&format!("{FOUND_SELECT} WHERE i.token_hash = $1"))
        .bind(hash_token(token.trim()))
        .fetch_optional(executor)
        .await?;
    row.as_ref().map(found).transpose()
}

/// An invitation of this workspace by id (another workspace's id answers like a missing one).
pub async fn in_workspace(tx: &mut Tx, workspace_id: i64, id: i64) -> Result<Found, AppError> {
    let row = sqlx::query(&format!(
        "{FOUND_SELECT} WHERE i.id = $1 AND i.workspace_id = $2"
    ))
    .bind(id)
    .bind(workspace_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    found(&row)
}

pub fn audit_entry<'a>(
    actor: Actor<'a>,
    action: &'a str,
    invitation: &Found,
    ip: &'a str,
) -> Entry<'a> {
    Entry {
        actor,
        action,
        object_type: "invitation",
        object_id: Some(invitation.id),
        organization_id: Some(invitation.organization_id),
        agreement_id: Some(invitation.agreement_id),
        workspace_id: Some(invitation.workspace_id),
        detail: invitation.email.clone(),
        ip,
    }
}
