//! Agreements and workspaces (server only): creating an agreement, activating it (its Default
//! Workspace and the invitations, in one transaction), additional workspaces and benefits.

use crate::{
    accounts::types::{DisplayName, EmailAddress, NewPassword, StaffRole},
    auth::{
        audit::{self as audit, Actor, Entry},
        guard::{AgreementScope, Authorized, WorkspaceScope},
        session::Caller,
    },
    error::{AppError, FieldErrors},
    invitations::{InvitationRole, NewInvitation},
    state::{now, AppState},
    workspaces::{
        types::{parse_allotment, parse_contact_limit, TermDate, WorkspaceName},
        AgreementStatus, AgreementType, BenefitKind,
    },
};
use sqlx::Row;

/// Creates a staff account (a work account of no customer organization) with its role.
pub async fn create_staff(
    state: &AppState,
    email: &str,
    name: &str,
    role: &str,
    password: &str,
) -> Result<i64, AppError> {
    let mut errors = FieldErrors::default();
    let email = errors.check("email", EmailAddress::parse(email));
    let name = errors.check("name", DisplayName::parse(name));
    let role = errors.check(
        "role",
        StaffRole::parse(role).ok_or_else(|| "The role is operator, csam or ac.".to_owned()),
    );
    let password = errors.check("password", NewPassword::parse(password));
    errors.into_result()?;
    let (Some(email), Some(name), Some(role), Some(password)) = (email, name, role, password)
    else {
        return Err(AppError::field("form", "Incomplete staff account."));
    };
    let password_hash = state.security.hash(password.expose()).await?;
    let mut tx = state.db.begin_write().await?;
    let id = crate::accounts::insert_account(
        &mut tx,
        &crate::accounts::NewAccount {
            kind: crate::accounts::types::AccountKind::Work,
            email,
            display_name: name,
            phone: None,
            organization_id: None,
            password_hash,
        },
        Actor::CommandLine,
        "local",
    )
    .await?;
    let now = now();
    sqlx::query(
        "INSERT INTO staff (account_id, role, created_at, updated_at) VALUES ($1, $2, $3, $3)",
    )
    .bind(id)
    .bind(role.as_str())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

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

fn today() -> TermDate {
    TermDate::from_date(time::OffsetDateTime::now_utc().date())
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

pub async fn create_agreement(
    state: &AppState,
    input: AgreementInput<'_>,
    actor: Actor<'_>,
    ip: &str,
) -> Result<i64, AppError> {
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
    let start = match input.start.filter(|v| !v.trim().is_empty()) {
        Some(s) => errors.check("start", TermDate::parse(s)),
        None => Some(today()),
    };
    let end = match (input.end.filter(|v| !v.trim().is_empty()), start) {
        (Some(e), _) => errors.check("end", TermDate::parse(e)),
        (None, Some(start)) => Some(start.plus_one_year()),
        (None, None) => None,
    };
    let mut benefits = Vec::new();
    for (kind, name, allotment) in &input.benefits {
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
    let mut people: Vec<(String, String, &str)> = Vec::new();
    for (role, list) in [("services_admin", &admins), ("support_contact", &contacts)] {
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
        &mut tx,
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
        &mut tx,
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

/// Activates a draft agreement: its Default Workspace is created with no further action, the
/// agreement's benefits are assigned to it, and the Services Administrators and named support
/// contacts are invited — all in one transaction; the mail leaves after commit (outbox).
/// Returns the Default Workspace's id.
pub async fn activate(
    state: &AppState,
    agreement_id: i64,
    actor: Actor<'_>,
    inviter: Option<&Caller>,
    ip: &str,
) -> Result<i64, AppError> {
    let now = now();
    let mut tx = state.db.begin_write().await?;
    let row = sqlx::query(
        "UPDATE agreements SET status = 'active', activated_at = $2, updated_at = $2 \
         WHERE id = $1 AND status = 'draft' RETURNING agreement_type, organization_id, contact_limit",
    )
    .bind(agreement_id)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        let exists = sqlx::query("SELECT status FROM agreements WHERE id = $1")
            .bind(agreement_id)
            .fetch_optional(&mut *tx)
            .await?;
        return Err(match exists {
            Some(_) => AppError::Conflict("This agreement is already active.".to_owned()),
            None => AppError::NotFound,
        });
    };
    let agreement_type = crate::db::column(&row, "agreement_type", AgreementType::parse)?;
    let organization_id: i64 = row.try_get("organization_id")?;
    let contact_limit: i64 = row.try_get("contact_limit")?;
    let name = WorkspaceName::parse("Default Workspace").map_err(AppError::internal)?;
    let workspace_id: i64 = sqlx::query(
        "INSERT INTO workspaces (agreement_id, name, name_canonical, is_default, allow_personal, \
           created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $5, $5) RETURNING id",
    )
    .bind(agreement_id)
    .bind(name.as_str())
    .bind(name.canonical())
    .bind(i64::from(agreement_type.allows_personal_by_default()))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    sqlx::query(
        "UPDATE benefits SET workspace_id = $2, updated_at = $3 \
         WHERE agreement_id = $1 AND workspace_id IS NULL",
    )
    .bind(agreement_id)
    .bind(workspace_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // One invitation per address: a Services Administrator who is also a named support contact
    // gets one invitation that carries both.
    let contacts = sqlx::query(
        "SELECT role, email FROM agreement_contacts WHERE agreement_id = $1 ORDER BY id",
    )
    .bind(agreement_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut items: Vec<NewInvitation> = Vec::new();
    for row in contacts {
        let role: String = row.try_get("role")?;
        let email =
            EmailAddress::parse(&row.try_get::<String, _>("email")?).map_err(AppError::internal)?;
        let existing = items
            .iter_mut()
            .find(|i| i.email.canonical() == email.canonical());
        match (existing, role.as_str()) {
            (Some(item), "services_admin") => item.role = InvitationRole::ServicesAdmin,
            (Some(item), _) => item.support_contact = true,
            (None, "services_admin") => items.push(NewInvitation {
                email,
                name: String::new(),
                role: InvitationRole::ServicesAdmin,
                support_contact: false,
            }),
            (None, _) => items.push(NewInvitation {
                email,
                name: String::new(),
                role: InvitationRole::Member,
                support_contact: true,
            }),
        }
    }
    let scope = WorkspaceScope {
        workspace_id,
        workspace_name: name.as_str().to_owned(),
        agreement_id,
        organization_id,
        agreement_type,
        agreement_status: AgreementStatus::Active,
        allow_personal: agreement_type.allows_personal_by_default(),
        contact_limit,
        is_member: false,
        is_workspace_admin: false,
        is_services_admin: false,
        is_staff: false,
        support_contact: false,
    };
    crate::invitations::invite_within(&mut tx, state, &scope, inviter, ip, &items).await?;
    audit::record(
        &mut tx,
        Entry {
            actor,
            action: "agreement.activate",
            object_type: "agreement",
            object_id: Some(agreement_id),
            organization_id: Some(organization_id),
            agreement_id: Some(agreement_id),
            workspace_id: Some(workspace_id),
            detail: format!("Default Workspace created; {} invited", items.len()),
            ip,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(workspace_id)
}

/// An additional workspace, created by the agreement's CSAM or AC during the term, with its
/// Workspace Administrator invited. Returns the workspace's id.
pub async fn create_workspace(
    who: &Authorized<AgreementScope>,
    name: &str,
    admin_email: &str,
) -> Result<i64, AppError> {
    let (state, caller, agreement, ip) = (&who.state, &who.caller, &who.scope, who.ip.as_str());
    let mut errors = FieldErrors::default();
    let name = errors.check("name", WorkspaceName::parse(name));
    let admin = errors.check("admin_email", EmailAddress::parse(admin_email));
    errors.into_result()?;
    let (Some(name), Some(admin)) = (name, admin) else {
        return Err(AppError::field("form", "Incomplete workspace."));
    };
    if agreement.status != AgreementStatus::Active || today().to_iso() > agreement.ends_on {
        return Err(AppError::Conflict(
            "Workspaces can be added only while the agreement is active and within its term."
                .to_owned(),
        ));
    }
    let now = now();
    let mut tx = state.db.begin_write().await?;
    let taken = sqlx::query(
        "SELECT COUNT(*) AS n FROM workspaces WHERE agreement_id = $1 AND name_canonical = $2",
    )
    .bind(agreement.agreement_id)
    .bind(name.canonical())
    .fetch_one(&mut *tx)
    .await?;
    if taken.try_get::<i64, _>("n")? > 0 {
        return Err(AppError::field(
            "name",
            "This agreement already has a workspace with this name.",
        ));
    }
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

/// The operator adds an existing account to a workspace, as a plain member or a support
/// contact, without an invitation (the command line's `admin add-member`). The same rules as an
/// invitation: the workspace's account-kind policy and the agreement's support-contact limit.
/// A work account is chosen over a personal one with the same address. Returns the membership id.
pub async fn add_member(
    state: &AppState,
    workspace_id: i64,
    email: &str,
    support_contact: bool,
    actor: Actor<'_>,
    ip: &str,
) -> Result<i64, AppError> {
    let email = EmailAddress::parse(email).map_err(|m| AppError::field("email", m))?;
    let mut tx = state.db.begin_write().await?;
    let workspace = sqlx::query(
        "SELECT w.name, w.agreement_id, w.allow_personal, a.organization_id, a.contact_limit \
         FROM workspaces w JOIN agreements a ON a.id = w.agreement_id WHERE w.id = $1",
    )
    .bind(workspace_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let workspace_name: String = workspace.try_get("name")?;
    let agreement_id: i64 = workspace.try_get("agreement_id")?;
    let organization_id: i64 = workspace.try_get("organization_id")?;
    let account = sqlx::query(
        "SELECT id, kind FROM accounts WHERE email_canonical = $1 AND disabled_at IS NULL \
         ORDER BY CASE WHEN kind = 'work' THEN 0 ELSE 1 END, id",
    )
    .bind(email.canonical())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::field(
            "email",
            format!(
                "There is no account with the address {}; create it first.",
                email.as_str()
            ),
        )
    })?;
    let account_id: i64 = account.try_get("id")?;
    if account.try_get::<String, _>("kind")? == "personal"
        && workspace.try_get::<i64, _>("allow_personal")? == 0
    {
        return Err(AppError::Forbidden(crate::auth::guard::personal_refused(
            &workspace_name,
        )));
    }
    crate::invitations::lock_contact_count(&mut tx, agreement_id).await?;
    let member = sqlx::query(
        "SELECT COUNT(*) AS n FROM memberships WHERE workspace_id = $1 AND account_id = $2",
    )
    .bind(workspace_id)
    .bind(account_id)
    .fetch_one(&mut *tx)
    .await?;
    if member.try_get::<i64, _>("n")? > 0 {
        return Err(AppError::Conflict(format!(
            "{} is already a member of the workspace \"{workspace_name}\".",
            email.as_str()
        )));
    }
    if support_contact {
        let limit: i64 = workspace.try_get("contact_limit")?;
        if crate::invitations::contacts_in_use(&mut tx, agreement_id).await? >= limit {
            return Err(AppError::Conflict(format!(
                "The agreement allows {limit} support contacts and all {limit} are in use \
                 (pending invitations count)."
            )));
        }
    }
    let now = now();
    let membership_id: i64 = sqlx::query(
        "INSERT INTO memberships (workspace_id, account_id, is_admin, support_contact, \
           created_at, updated_at) VALUES ($1, $2, 0, $3, $4, $4) RETURNING id",
    )
    .bind(workspace_id)
    .bind(account_id)
    .bind(i64::from(support_contact))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    audit::record(
        &mut tx,
        Entry {
            actor,
            action: "member.add",
            object_type: "membership",
            object_id: Some(membership_id),
            organization_id: Some(organization_id),
            agreement_id: Some(agreement_id),
            workspace_id: Some(workspace_id),
            detail: format!(
                "{} as {}",
                email.as_str(),
                if support_contact {
                    "Support Contact"
                } else {
                    "Service User"
                }
            ),
            ip,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(membership_id)
}
