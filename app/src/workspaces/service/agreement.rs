//! Creating an agreement: the operator's input is parsed whole (every field's error at once),
//! then written in one transaction with its contacts and benefits.

use crate::{
    accounts::types::{DisplayName, EmailAddress, StaffRole},
    auth::audit::{self as audit, Actor, Entry},
    error::{AppError, FieldErrors},
    state::{now, AppState},
    workspaces::{
        types::{parse_allotment, parse_contact_limit, TermDate},
        AgreementType, BenefitKind,
    },
};
use sqlx::Row;

use super::today;

/// What the operator gives for a new agreement (command line or staff console), unparsed.
#[derive(Default)]
pub struct AgreementInput<'a> {
    pub organization: &'a str,
    pub agreement_type: &'a str,
    pub services_admins: Vec<&'a str>,
    pub support_contacts: Vec<&'a str>,
    pub csam: Option<&'a str>,
    pub ac: Option<&'a str>,
    pub contact_limit: Option<&'a str>,
    pub start: Option<&'a str>,
    pub end: Option<&'a str>,
    /// (kind, name, allotment)
    pub benefits: Vec<(&'a str, &'a str, &'a str)>,
}

/// Looks up a staff account by address and checks its role.
async fn staff_by_email(
    tx: &mut crate::db::Tx,
    field: &str,
    email: &EmailAddress,
    role: StaffRole,
) -> Result<i64, AppError> {
    let row = sqlx::query(
        "SELECT a.id, s.role FROM accounts a JOIN staff s ON s.account_id = a.id \
         WHERE a.email_canonical = $1 AND a.kind = 'work'",
    )
    .bind(email.canonical())
    .fetch_optional(&mut **tx)
    .await?;
    match row {
        Some(row) if row.try_get::<String, _>("role")? == role.as_str() => Ok(row.try_get("id")?),
        _ => Err(AppError::field(
            field,
            format!(
                "{} is not a staff account with the role {}.",
                email.as_str(),
                role.label()
            ),
        )),
    }
}

/// An agreement's input once every field has parsed.
struct Parsed {
    agreement_type: AgreementType,
    admins: Vec<EmailAddress>,
    contacts: Vec<EmailAddress>,
    csam: Option<EmailAddress>,
    ac: Option<EmailAddress>,
    limit: i64,
    start: TermDate,
    end: TermDate,
    benefits: Vec<(BenefitKind, DisplayName, i64)>,
}

/// Checks every field at once; the errors name the fields.
fn parse(input: &AgreementInput<'_>) -> Result<Parsed, AppError> {
    let mut errors = FieldErrors::default();
    let agreement_type = errors.check(
        "type",
        AgreementType::parse(input.agreement_type)
            .ok_or_else(|| "The type is premier or unified.".to_owned()),
    );
    let mut parse_list = |field: &str, list: &[&str]| -> Vec<EmailAddress> {
        list.iter()
            .filter(|e| !e.trim().is_empty())
            .filter_map(|e| errors.check(field, EmailAddress::parse(e)))
            .collect()
    };
    let admins = parse_list("services_admin", &input.services_admins);
    let contacts = parse_list("support_contact", &input.support_contacts);
    if input.services_admins.iter().all(|e| e.trim().is_empty()) {
        errors.check::<()>(
            "services_admin",
            Err("Name the Services Administrator's email address.".to_owned()),
        );
    }
    let optional_email = |errors: &mut FieldErrors, field: &str, value: Option<&str>| {
        value
            .filter(|v| !v.trim().is_empty())
            .and_then(|v| errors.check(field, EmailAddress::parse(v)))
    };
    let csam = optional_email(&mut errors, "csam", input.csam);
    let ac = optional_email(&mut errors, "ac", input.ac);
    let limit = errors.check(
        "contact_limit",
        parse_contact_limit(
            input
                .contact_limit
                .filter(|v| !v.trim().is_empty())
                .unwrap_or("5"),
        ),
    );
    let (start, end) = parse_term(&mut errors, input.start, input.end);
    let benefits = parse_benefits(&mut errors, &input.benefits);
    if let (Some(start), Some(end)) = (start, end) {
        if end <= start {
            errors.check::<()>("end", Err("The term must end after it starts.".to_owned()));
        }
    }
    if let Some(limit) = limit {
        let distinct: std::collections::HashSet<_> =
            contacts.iter().map(|c| c.canonical()).collect();
        if distinct.len() as i64 > limit {
            errors.check::<()>(
                "support_contact",
                Err(format!(
                    "The agreement allows {limit} support contacts; {} are named.",
                    distinct.len()
                )),
            );
        }
    }
    errors.into_result()?;
    let (Some(agreement_type), Some(limit), Some(start), Some(end)) =
        (agreement_type, limit, start, end)
    else {
        return Err(AppError::field("form", "Incomplete agreement."));
    };
    Ok(Parsed {
        agreement_type,
        admins,
        contacts,
        csam,
        ac,
        limit,
        start,
        end,
        benefits,
    })
}

/// The term: from today and for a year unless given.
fn parse_term(
    errors: &mut FieldErrors,
    start: Option<&str>,
    end: Option<&str>,
) -> (Option<TermDate>, Option<TermDate>) {
    let start = match start.filter(|v| !v.trim().is_empty()) {
        Some(s) => errors.check("start", TermDate::parse(s)),
        None => Some(today()),
    };
    let end = match (end.filter(|v| !v.trim().is_empty()), start) {
        (Some(e), _) => errors.check("end", TermDate::parse(e)),
        (None, Some(start)) => Some(start.plus_one_year()),
        (None, None) => None,
    };
    (start, end)
}

fn parse_benefits(
    errors: &mut FieldErrors,
    input: &[(&str, &str, &str)],
) -> Vec<(BenefitKind, DisplayName, i64)> {
    let mut benefits = Vec::new();
    for (kind, name, allotment) in input {
        let kind = errors.check(
            "benefit_kind",
            BenefitKind::parse(kind).ok_or_else(|| "Choose a kind of benefit.".to_owned()),
        );
        let name = errors.check("benefit_name", DisplayName::parse(name));
        let allotment = errors.check("benefit_allotment", parse_allotment(allotment));
        if let (Some(k), Some(n), Some(a)) = (kind, name, allotment) {
            benefits.push((k, n, a));
        }
    }
    benefits
}

pub async fn create_agreement(
    state: &AppState,
    input: AgreementInput<'_>,
    actor: Actor<'_>,
    ip: &str,
) -> Result<i64, AppError> {
    let Parsed {
        agreement_type,
        admins,
        contacts,
        csam,
        ac,
        limit,
        start,
        end,
        benefits,
    } = parse(&input)?;
    let organization_id = crate::accounts::organization_by_name(&state.db, input.organization)
        .await?
        .ok_or_else(|| {
            AppError::field(
                "organization",
                format!(
                    "There is no organization named {:?}.",
                    input.organization.trim()
                ),
            )
        })?;
    let now = now();
    let mut tx = state.db.begin_write().await?;
    let csam_id = match &csam {
        Some(e) => Some(staff_by_email(&mut tx, "csam", e, StaffRole::Csam).await?),
        None => None,
    };
    let ac_id = match &ac {
        Some(e) => Some(staff_by_email(&mut tx, "ac", e, StaffRole::Ac).await?),
        None => None,
    };
    let id: i64 = sqlx::query(
        "INSERT INTO agreements (organization_id, agreement_type, status, starts_on, ends_on, \
           csam_account_id, ac_account_id, contact_limit, created_at, updated_at) \
         VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(organization_id)
    .bind(agreement_type.as_str())
    .bind(start.to_iso())
    .bind(end.to_iso())
    .bind(csam_id)
    .bind(ac_id)
    .bind(limit)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    insert_contacts(&mut tx, id, &admins, &contacts, now).await?;
    insert_benefits(&mut tx, id, benefits, now).await?;
    audit::record(
        &mut tx,
        Entry {
            actor,
            action: "agreement.create",
            object_type: "agreement",
            object_id: Some(id),
            organization_id: Some(organization_id),
            agreement_id: Some(id),
            workspace_id: None,
            detail: format!("{} agreement", agreement_type.label()),
            ip,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The named Services Administrators and support contacts, each (address, role) once.
async fn insert_contacts(
    tx: &mut crate::db::Tx,
    id: i64,
    admins: &[EmailAddress],
    contacts: &[EmailAddress],
    now: i64,
) -> Result<(), AppError> {
    let mut people: Vec<(String, String, &str)> = Vec::new();
    for (role, list) in [("services_admin", admins), ("support_contact", contacts)] {
        for email in list.iter() {
            let key = (email.canonical().to_owned(), role);
            if !people
                .iter()
                .any(|(c, _, r)| (c.as_str(), *r) == (key.0.as_str(), key.1))
            {
                people.push((key.0, email.as_str().to_owned(), role));
            }
        }
    }
    let rows = people
        .into_iter()
        .map(|(canonical, email, role)| {
            use crate::db::Cell;
            vec![
                Cell::Int(id),
                Cell::Text(role.to_owned()),
                Cell::Text(email),
                Cell::Text(canonical),
                Cell::Int(now),
            ]
        })
        .collect();
    crate::db::insert_rows(
        tx,
        "agreement_contacts",
        &[
            "agreement_id",
            "role",
            "email",
            "email_canonical",
            "created_at",
        ],
        rows,
    )
    .await?;
    Ok(())
}

async fn insert_benefits(
    tx: &mut crate::db::Tx,
    id: i64,
    benefits: Vec<(BenefitKind, DisplayName, i64)>,
    now: i64,
) -> Result<(), AppError> {
    let benefit_rows = benefits
        .into_iter()
        .map(|(kind, name, allotment)| {
            use crate::db::Cell;
            vec![
                Cell::Int(id),
                Cell::Text(kind.as_str().to_owned()),
                Cell::Text(name.as_str().to_owned()),
                Cell::Int(allotment),
                Cell::Int(now),
                Cell::Int(now),
            ]
        })
        .collect();
    crate::db::insert_rows(
        tx,
        "benefits",
        &[
            "agreement_id",
            "kind",
            "name",
            "allotment",
            "created_at",
            "updated_at",
        ],
        benefit_rows,
    )
    .await?;
    Ok(())
}
