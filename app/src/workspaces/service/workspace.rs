//! Additional workspaces of an agreement, added by its staff during the term.

use crate::{
    accounts::types::EmailAddress,
    auth::{
        audit::{self as audit, Actor, Entry},
        guard::{AgreementScope, Authorized, WorkspaceScope},
    },
    error::{AppError, FieldErrors},
    invitations::{InvitationRole, NewInvitation},
    state::now,
    workspaces::{types::WorkspaceName, AgreementStatus},
};
use sqlx::Row;

use super::today;

/// An additional workspace, created by the agreement's CSAM or AC during the term, with its
/// Workspace Administrator invited. Returns the workspace's id.
pub async fn create_workspace(
    who: &Authorized<AgreementScope>,
    name: &str,
    admin_email: &str,
) -> Result<i64, AppError> {
    let (state, caller, agreement, ip) = (&who.state, &who.caller, &who.scope, who.ip.as_str());
    let (name, admin) = parse(name, admin_email)?;
    if agreement.status != AgreementStatus::Active || today().to_iso() > agreement.ends_on {
        return Err(AppError::Conflict(
            "Workspaces can be added only while the agreement is active and within its term."
                .to_owned(),
        ));
    }
    let now = now();
    let mut tx = state.db.begin_write().await?;
    refuse_taken_name(&mut tx, agreement.agreement_id, &name).await?;
    let allow_personal = agreement.agreement_type.allows_personal_by_default();
    let workspace_id: i64 = sqlx::query(
        "INSERT INTO workspaces (agreement_id, name, name_canonical, is_default, allow_personal, \
           created_at, updated_at) VALUES ($1, $2, $3, 0, $4, $5, $5) RETURNING id",
    )
    .bind(agreement.agreement_id)
    .bind(name.as_str())
    .bind(name.canonical())
    .bind(i64::from(allow_personal))
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    // Two staff members adding the same name at once: the constraint decides, at the field.
    .map_err(crate::db::unique_as(
        "name",
        "This agreement already has a workspace with this name.",
    ))?
    .try_get("id")?;
    let scope = WorkspaceScope {
        workspace_id,
        workspace_name: name.as_str().to_owned(),
        agreement_id: agreement.agreement_id,
        organization_id: agreement.organization_id,
        agreement_type: agreement.agreement_type,
        agreement_status: agreement.status,
        allow_personal,
        contact_limit: 0,
        is_member: false,
        is_workspace_admin: false,
        is_services_admin: false,
        is_staff: true,
        support_contact: false,
    };
    crate::invitations::invite_within(
        &mut tx,
        state,
        &scope,
        Some(caller),
        ip,
        &[NewInvitation {
            email: admin,
            name: String::new(),
            role: InvitationRole::WorkspaceAdmin,
            support_contact: false,
        }],
    )
    .await?;
    audit::record(
        &mut tx,
        Entry {
            actor: Actor::Account {
                id: caller.account_id,
                label: &caller.display_name,
            },
            action: "workspace.create",
            object_type: "workspace",
            object_id: Some(workspace_id),
            organization_id: Some(agreement.organization_id),
            agreement_id: Some(agreement.agreement_id),
            workspace_id: Some(workspace_id),
            detail: name.as_str().to_owned(),
            ip,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(workspace_id)
}

/// Checks both fields at once; the errors name the fields.
fn parse(name: &str, admin_email: &str) -> Result<(WorkspaceName, EmailAddress), AppError> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", WorkspaceName::parse(name));
    let admin = errors.check("admin_email", EmailAddress::parse(admin_email));
    errors.into_result()?;
    match (name, admin) {
        (Some(name), Some(admin)) => Ok((name, admin)),
        _ => Err(AppError::field("form", "Incomplete workspace.")),
    }
}

/// Refuses a name another workspace of the agreement already has.
async fn refuse_taken_name(
    tx: &mut crate::db::Tx,
    agreement_id: i64,
    name: &WorkspaceName,
) -> Result<(), AppError> {
    let taken = sqlx::query(
        "SELECT COUNT(*) AS n FROM workspaces WHERE agreement_id = $1 AND name_canonical = $2",
    )
    .bind(agreement_id)
    .bind(name.canonical())
    .fetch_one(&mut **tx)
    .await?;
    if taken.try_get::<i64, _>("n")? > 0 {
        return Err(AppError::field(
            "name",
            "This agreement already has a workspace with this name.",
        ));
    }
    Ok(())
}
