//! The staff console's queries: the agreements a staff member works on, the console's list and
//! one agreement's page.

use crate::{
    accounts::types::StaffRole,
    auth::{
        guard::{AgreementPermission, AgreementScope},
        session::Caller,
    },
    error::AppError,
    state::Db,
    workspaces::{
        AgreementBenefit, AgreementStatus, AgreementType, BenefitKind, ConsoleAgreement,
        ConsoleWorkspace, StaffAgreement, StaffConsole, ORGANIZATION_CHOICES,
    },
};
use sqlx::Row;

/// An agreement as the staff console lists it.
#[derive(Clone, Debug)]
pub struct AgreementRow {
    pub id: i64,
    pub organization: String,
    pub agreement_type: AgreementType,
    pub status: AgreementStatus,
    pub starts_on: String,
    pub ends_on: String,
    pub contact_limit: i64,
}

/// The agreements a staff member works on: all of them for the operator, the assigned ones for a
/// CSAM or AC.
pub async fn staff_agreements(
    db: &Db,
    caller: &Caller,
    all: bool,
) -> Result<Vec<AgreementRow>, AppError> {
    let rows = sqlx::query(
        "SELECT a.id, o.name AS organization, a.agreement_type, a.status, a.starts_on, a.ends_on, \
           a.contact_limit \
         FROM agreements a JOIN organizations o ON o.id = a.organization_id \
         WHERE $2 = 1 OR a.csam_account_id = $1 OR a.ac_account_id = $1 \
         ORDER BY a.id DESC LIMIT 200",
    )
    .bind(caller.account_id)
    .bind(i64::from(all))
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(AgreementRow {
                id: r.try_get("id")?,
                organization: r.try_get("organization")?,
                agreement_type: crate::db::column(&r, "agreement_type", AgreementType::parse)?,
                status: crate::db::column(&r, "status", AgreementStatus::parse)?,
                starts_on: r.try_get("starts_on")?,
                ends_on: r.try_get("ends_on")?,
                contact_limit: r.try_get("contact_limit")?,
            })
        })
        .collect()
}

/// The staff console: the agreements (`staff_agreements`) and the workspaces of all of them in
/// one more query.
pub async fn staff_console(
    db: &Db,
    caller: &Caller,
    role: StaffRole,
) -> Result<StaffConsole, AppError> {
    let is_operator = role == StaffRole::Operator;
    let agreements = staff_agreements(db, caller, is_operator).await?;
    let mut by_agreement: std::collections::HashMap<i64, Vec<ConsoleWorkspace>> =
        std::collections::HashMap::new();
    if !agreements.is_empty() {
        let placeholders = (1..=agreements.len())
            .map(|n| format!("${n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT id, agreement_id, name FROM workspaces WHERE agreement_id IN ({placeholders}) \
             ORDER BY agreement_id, is_default DESC, name, id"
        );
        let mut query = sqlx::query(&sql);
        for agreement in &agreements {
            query = query.bind(agreement.id);
        }
        for row in query.fetch_all(db.pool()).await? {
            by_agreement
                .entry(row.try_get("agreement_id")?)
                .or_default()
                .push(ConsoleWorkspace {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                });
        }
    }
    let (organizations, too_many_organizations) = if is_operator {
        organization_choices(db).await?
    } else {
        (Vec::new(), false)
    };
    Ok(StaffConsole {
        role: role.label().to_owned(),
        is_operator,
        is_agreement_staff: matches!(role, StaffRole::Csam | StaffRole::Ac),
        organizations,
        too_many_organizations,
        agreements: agreements
            .into_iter()
            .map(|a| ConsoleAgreement {
                workspaces: by_agreement.remove(&a.id).unwrap_or_default(),
                id: a.id,
                organization: a.organization,
                agreement_type: a.agreement_type,
                status: a.status,
                starts_on: a.starts_on,
                ends_on: a.ends_on,
                contact_limit: a.contact_limit,
            })
            .collect(),
    })
}

/// The organizations the new agreement's form offers, by name in the unique index's order; and
/// whether there are more than it offers.
async fn organization_choices(db: &Db) -> Result<(Vec<String>, bool), AppError> {
    let mut names = sqlx::query("SELECT name FROM organizations ORDER BY name_canonical LIMIT $1")
        .bind(i64::try_from(ORGANIZATION_CHOICES + 1).unwrap_or(i64::MAX))
        .fetch_all(db.pool())
        .await?
        .into_iter()
        .map(|r| r.try_get::<String, _>("name"))
        .collect::<Result<Vec<_>, _>>()?;
    let more = names.len() > ORGANIZATION_CHOICES;
    names.truncate(ORGANIZATION_CHOICES);
    Ok((names, more))
}

/// One agreement's page in the staff console (`workspaces::staff_agreement`), within the scope
/// the guard found: four queries, whatever the number of workspaces and benefits.
pub async fn staff_agreement(db: &Db, scope: &AgreementScope) -> Result<StaffAgreement, AppError> {
    let id = scope.agreement_id;
    let row = sqlx::query(
        "SELECT o.name AS organization, a.starts_on, a.ends_on, a.contact_limit, \
           c.display_name AS csam, t.display_name AS ac \
         FROM agreements a JOIN organizations o ON o.id = a.organization_id \
         LEFT JOIN accounts c ON c.id = a.csam_account_id \
         LEFT JOIN accounts t ON t.id = a.ac_account_id \
         WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    let (mut services_admins, mut support_contacts) = (Vec::new(), Vec::new());
    for contact in sqlx::query(
        "SELECT role, email FROM agreement_contacts WHERE agreement_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?
    {
        let email: String = contact.try_get("email")?;
        if contact.try_get::<String, _>("role")? == "services_admin" {
            services_admins.push(email);
        } else {
            support_contacts.push(email);
        }
    }
    let workspaces = sqlx::query(
        "SELECT id, name FROM workspaces WHERE agreement_id = $1 ORDER BY is_default DESC, name, id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(|r| -> Result<ConsoleWorkspace, AppError> {
        Ok(ConsoleWorkspace {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
        })
    })
    .collect::<Result<Vec<_>, _>>()?;
    // Unassigned benefits (a draft's) first, then by workspace in the list's order.
    let mut benefits = Vec::new();
    for r in sqlx::query(
        "SELECT workspace_id, kind, name, allotment FROM benefits WHERE agreement_id = $1 \
         ORDER BY kind, name, id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?
    {
        let workspace_id: Option<i64> = r.try_get("workspace_id")?;
        let position = workspace_id.and_then(|w| workspaces.iter().position(|x| x.id == w));
        benefits.push((
            position,
            AgreementBenefit {
                workspace: position.map(|p| workspaces[p].name.clone()),
                kind: crate::db::column(&r, "kind", BenefitKind::parse)?,
                name: r.try_get("name")?,
                allotment: r.try_get("allotment")?,
            },
        ));
    }
    benefits.sort_by_key(|(position, _)| *position);
    Ok(StaffAgreement {
        id,
        organization: row.try_get("organization")?,
        agreement_type: scope.agreement_type,
        status: scope.status,
        starts_on: row.try_get("starts_on")?,
        ends_on: row.try_get("ends_on")?,
        contact_limit: row.try_get("contact_limit")?,
        csam: row.try_get("csam")?,
        ac: row.try_get("ac")?,
        services_admins,
        support_contacts,
        workspaces,
        benefits: benefits.into_iter().map(|(_, b)| b).collect(),
        can_activate: scope.status == AgreementStatus::Draft
            && scope.can(AgreementPermission::Activate),
        can_manage: scope.can(AgreementPermission::CreateWorkspace),
    })
}
