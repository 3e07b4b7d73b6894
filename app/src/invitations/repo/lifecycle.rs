//! What happens to an invitation after it is sent: accepted (consumed, then granted), sent
//! again, or revoked.

use crate::{error::AppError, invitations::InvitationRole, state::now};

use super::{
    insert::{mail_row, unusable_hash},
    Found, InviteContext, Tx,
};

/// Consumes the invitation in one conditional update: of two parallel accepts, one wins.
pub async fn consume(tx: &mut Tx, id: i64, account_id: i64) -> Result<bool, AppError> {
    let now = now();
    let done = sqlx::query(
        "UPDATE invitations SET status = 'accepted', accepted_by = $2, accepted_at = $3, \
         updated_at = $3 WHERE id = $1 AND status = 'pending' AND expires_at > $3",
    )
    .bind(id)
    .bind(account_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Grants what the stored invitation says (never what the request says).
pub async fn grant(tx: &mut Tx, invitation: &Found, account_id: i64) -> Result<(), AppError> {
    let now = now();
    let is_admin = i64::from(invitation.role == InvitationRole::WorkspaceAdmin);
    sqlx::query(
        "INSERT INTO memberships (workspace_id, account_id, is_admin, support_contact, invited_at, \
           created_at, updated_at) \
         SELECT $1, $2, $3, $4, created_at, $5, $5 FROM invitations WHERE id = $6 \
         ON CONFLICT (workspace_id, account_id) DO UPDATE SET \
           is_admin = CASE WHEN excluded.is_admin > memberships.is_admin \
             THEN excluded.is_admin ELSE memberships.is_admin END, \
           support_contact = CASE WHEN excluded.support_contact > memberships.support_contact \
             THEN excluded.support_contact ELSE memberships.support_contact END, \
           updated_at = excluded.updated_at",
    )
    .bind(invitation.workspace_id)
    .bind(account_id)
    .bind(is_admin)
    .bind(i64::from(invitation.support_contact))
    .bind(now)
    .bind(invitation.id)
    .execute(&mut **tx)
    .await?;
    if invitation.role == InvitationRole::ServicesAdmin {
        sqlx::query(
            "INSERT INTO agreement_admins (agreement_id, account_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (agreement_id, account_id) DO NOTHING",
        )
        .bind(invitation.agreement_id)
        .bind(account_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("UPDATE accounts SET last_workspace_id = $2 WHERE id = $1")
        .bind(account_id)
        .bind(invitation.workspace_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A new expiry and a new mail for an open invitation: the old link stops working at once, and
/// the new one is made when the mail leaves.
pub async fn renew(
    tx: &mut Tx,
    invitation: &Found,
    ctx: &InviteContext<'_>,
) -> Result<(), AppError> {
    let now = now();
    let updated = sqlx::query(
        "UPDATE invitations SET token_hash = $2, expires_at = $3, updated_at = $4 \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(invitation.id)
    .bind(unusable_hash())
    .bind(ctx.expires_at)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "Only an open invitation can be sent again; invite the address anew.".to_owned(),
        ));
    }
    crate::mail::enqueue_all(
        tx,
        vec![mail_row(
            ctx,
            invitation.id,
            &invitation.email,
            &invitation.name,
        )],
    )
    .await?;
    Ok(())
}

pub async fn revoke(tx: &mut Tx, invitation: &Found) -> Result<(), AppError> {
    let now = now();
    let updated = sqlx::query(
        "UPDATE invitations SET status = 'revoked', revoked_at = $2, updated_at = $2 \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(invitation.id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "This invitation is no longer open.".to_owned(),
        ));
    }
    Ok(())
}
