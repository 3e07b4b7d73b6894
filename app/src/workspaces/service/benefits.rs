//! Benefits added to one workspace.

use crate::{
    accounts::types::DisplayName,
    auth::{
        audit::{self as audit, Entry},
        guard::Authorized,
    },
    error::{AppError, FieldErrors},
    state::now,
    workspaces::{types::parse_allotment, BenefitKind},
};
use sqlx::Row;

/// An add-on (or a share of hours or credits) for one workspace.
pub async fn add_benefit(
    who: &Authorized,
    kind: &str,
    name: &str,
    allotment: &str,
) -> Result<(), AppError> {
    let (state, scope, ip) = (&who.state, &who.scope, who.ip.as_str());
    let mut errors = FieldErrors::default();
    let kind = errors.check(
        "kind",
        BenefitKind::parse(kind).ok_or_else(|| "Choose a kind of benefit.".to_owned()),
    );
    let name = errors.check("name", DisplayName::parse(name));
    let allotment = errors.check("allotment", parse_allotment(allotment));
    errors.into_result()?;
    let (Some(kind), Some(name), Some(allotment)) = (kind, name, allotment) else {
        return Err(AppError::field("form", "Incomplete benefit."));
    };
    let now = now();
    let mut tx = state.db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO benefits (agreement_id, workspace_id, kind, name, allotment, created_at, \
           updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(scope.agreement_id)
    .bind(scope.workspace_id)
    .bind(kind.as_str())
    .bind(name.as_str())
    .bind(allotment)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    audit::record(
        &mut tx,
        Entry {
            actor: who.actor(),
            action: "benefit.add",
            object_type: "benefit",
            object_id: Some(id),
            organization_id: Some(scope.organization_id),
            agreement_id: Some(scope.agreement_id),
            workspace_id: Some(scope.workspace_id),
            detail: format!("{}: {} ({allotment})", kind.label(), name.as_str()),
            ip,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
