//! Resending and revoking a pending invitation.

use crate::{auth::guard::Authorized, error::AppError, invitations::repo};

use super::{actor, context, draw_budget};

pub async fn resend(who: &Authorized, invitation_id: i64) -> Result<(), AppError> {
    let (state, caller, scope, ip) = (&who.state, &who.caller, &who.scope, who.ip.as_str());
    state
        .invite_limits
        .check(caller.account_id, scope.workspace_id)?;
    let mut tx = state.db.begin_write().await?;
    let found = repo::in_workspace(&mut tx, scope.workspace_id, invitation_id).await?;
    draw_budget(state, &mut tx, scope, 1, None).await?;
    let organization = repo::organization_name(&mut tx, scope.organization_id).await?;
    let ctx = context(state, scope, Some(caller), &organization, ip).await;
    repo::renew(&mut tx, &found, &ctx).await?;
    repo::record(
        &mut tx,
        repo::audit_entry(actor(caller), "invitation.resend", &found, ip),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn revoke(who: &Authorized, invitation_id: i64) -> Result<(), AppError> {
    let (state, caller, scope, ip) = (&who.state, &who.caller, &who.scope, who.ip.as_str());
    let mut tx = state.db.begin_write().await?;
    let found = repo::in_workspace(&mut tx, scope.workspace_id, invitation_id).await?;
    repo::revoke(&mut tx, &found).await?;
    repo::record(
        &mut tx,
        repo::audit_entry(actor(caller), "invitation.revoke", &found, ip),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
