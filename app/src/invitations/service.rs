//! The invitation steps (server only), between the server functions and the queries.

use crate::{
    accounts::types::{AccountKind, DisplayName, EmailAddress, NewPassword},
    auth::{
        audit::Actor,
        guard::{personal_refused, Authorized, WorkspaceScope},
        session::{self, Caller},
    },
    error::AppError,
    invitations::{
        repo::{self, Existing, Found, InviteContext, NewInvitation},
        InvitationDetails, InvitationRole, InviteOutcome, InviteReport, PreviewStatus, ReportLine,
    },
    state::{now, AppState},
};
use std::collections::HashMap;

/// Takes `count` addresses from the workspace's budget for today, or says how many are left (at
/// the form's `field`, or as a conflict where there is no field).
async fn draw_budget(
    state: &AppState,
    tx: &mut repo::Tx,
    scope: &WorkspaceScope,
    count: usize,
    field: Option<&str>,
) -> Result<(), AppError> {
    let per_day = state.config.invitations_per_day;
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    match repo::draw_budget(tx, scope.workspace_id, count, per_day).await? {
        Ok(()) => Ok(()),
        Err(left) => {
            let message = format!(
                "This workspace can send {left} more invitation{s} today (at most {per_day} a \
                 day, counted per address); {count} would be too many. Send fewer, or the rest \
                 tomorrow (UTC).",
                s = if left == 1 { "" } else { "s" },
            );
            Err(match field {
                Some(field) => AppError::field(field, message),
                None => AppError::Conflict(message),
            })
        }
    }
}

fn actor(caller: &Caller) -> Actor<'_> {
    Actor::Account {
        id: caller.account_id,
        label: &caller.display_name,
    }
}

fn status_of(found: &Found) -> PreviewStatus {
    match found.status.as_str() {
        "accepted" => PreviewStatus::Used,
        "revoked" => PreviewStatus::Revoked,
        _ if found.expires_at <= now() => PreviewStatus::Expired,
        _ => PreviewStatus::Open,
    }
}

fn closed(status: PreviewStatus) -> AppError {
    AppError::Conflict(
        match status {
            PreviewStatus::Used => "This invitation has already been used.",
            PreviewStatus::Revoked => {
                "This invitation was revoked. Ask your administrator for a new one."
            }
            _ => "This invitation has expired. Ask your administrator to send it again.",
        }
        .to_owned(),
    )
}

fn forwarded(found: &Found) -> AppError {
    AppError::Forbidden(format!(
        "This invitation was sent to {} and cannot be forwarded: only an account with that \
         address can accept it. Sign out and sign in with that account.",
        found.email
    ))
}

/// Which kind an account created from the link gets: a work or school account when the address
/// is on a domain of an organization, otherwise a personal account.
async fn kind_for_new_account(
    state: &AppState,
    email: &EmailAddress,
) -> Result<(AccountKind, Option<i64>), AppError> {
    let org = crate::accounts::organization_for_domain(&state.db, email.domain()).await?;
    Ok(match org {
        Some(id) => (AccountKind::Work, Some(id)),
        None => (AccountKind::Personal, None),
    })
}

pub async fn preview(
    state: &AppState,
    caller: Option<&Caller>,
    token: &str,
) -> Result<InvitationDetails, AppError> {
    let found = repo::by_token(state.db.pool(), token)
        .await?
        .ok_or(AppError::NotFound)?;
    let email = EmailAddress::parse(&found.email).map_err(AppError::internal)?;
    let identifier = crate::accounts::types::SignInIdentifier::Email(email.clone());
    let kinds = crate::accounts::kinds_for(&state.db, &identifier).await?;
    let (new_kind, _) = kind_for_new_account(state, &email).await?;
    let matches = caller.is_some_and(|c| {
        EmailAddress::parse(&c.email).is_ok_and(|e| e.canonical() == found.email_canonical)
    });
    // The account that would accept: the signed-in one if it matches, else a new one.
    let accepting_kind = match caller {
        Some(c) if matches => c.kind,
        _ if kinds.contains(&AccountKind::Work) => AccountKind::Work,
        _ if !kinds.is_empty() => AccountKind::Personal,
        _ => new_kind,
    };
    let refused_by_policy = (accepting_kind == AccountKind::Personal && !found.allow_personal)
        .then(|| personal_refused(&found.workspace_name));
    Ok(InvitationDetails {
        workspace_name: found.workspace_name.clone(),
        organization: found.organization_name.clone(),
        email: found.email.clone(),
        status: status_of(&found),
        signed_in_as: caller.map(|c| c.email.clone()),
        matches,
        account_exists: !kinds.is_empty(),
        new_account_kind: new_kind,
        refused_by_policy,
    })
}

/// Accepts with an existing, signed-in account. Returns the workspace id.
pub async fn accept(who: &Authorized<()>, token: &str) -> Result<i64, AppError> {
    let (state, caller, ip) = (&who.state, &who.caller, who.ip.as_str());
    let mut tx = state.db.begin_write().await?;
    let found = repo::by_token(&mut *tx, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = status_of(&found);
    if status != PreviewStatus::Open {
        return Err(closed(status));
    }
    let caller_email = EmailAddress::parse(&caller.email).map_err(AppError::internal)?;
    if caller_email.canonical() != found.email_canonical {
        tracing::warn!(
            account = caller.account_id,
            invitation = found.id,
            "refused a forwarded invitation"
        );
        return Err(forwarded(&found));
    }
    if caller.kind == AccountKind::Personal && !found.allow_personal {
        return Err(AppError::Forbidden(personal_refused(&found.workspace_name)));
    }
    if !repo::consume(&mut tx, found.id, caller.account_id).await? {
        return Err(closed(PreviewStatus::Used));
    }
    repo::grant(&mut tx, &found, caller.account_id).await?;
    repo::record(
        &mut tx,
        repo::audit_entry(actor(caller), "invitation.accept", &found, &ip),
    )
    .await?;
    tx.commit().await?;
    Ok(found.workspace_id)
}

/// Creates the account from the link, accepts, and starts a session. Returns the `Set-Cookie`
/// value and the workspace id.
pub async fn register(
    state: &AppState,
    token: &str,
    display_name: &str,
    password: &str,
    address: std::net::IpAddr,
) -> Result<(String, i64), AppError> {
    state.security.check_address(address)?;
    let mut errors = crate::error::FieldErrors::default();
    let name = errors.check("display_name", DisplayName::parse(display_name));
    let password = errors.check("password", NewPassword::parse(password));
    errors.into_result()?;
    let (Some(name), Some(password)) = (name, password) else {
        return Err(AppError::field(
            "form",
            "The form was incomplete. Please try again.",
        ));
    };
    let found = repo::by_token(state.db.pool(), token)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = status_of(&found);
    if status != PreviewStatus::Open {
        return Err(closed(status));
    }
    // The address is the invited one: the link fixes it, the form cannot change it.
    let email = EmailAddress::parse(&found.email).map_err(AppError::internal)?;
    let (kind, organization_id) = kind_for_new_account(state, &email).await?;
    if kind == AccountKind::Personal && !found.allow_personal {
        return Err(AppError::Forbidden(personal_refused(&found.workspace_name)));
    }
    let password_hash = state.security.hash(password.expose()).await?;
    let ip = address.to_string();
    let mut tx = state.db.begin_write().await?;
    let account_id = crate::accounts::insert_account(
        &mut tx,
        &crate::accounts::NewAccount {
            kind,
            email,
            display_name: name.clone(),
            phone: None,
            organization_id,
            password_hash,
        },
        Actor::Registering {
            label: name.as_str(),
        },
        &ip,
    )
    .await
    .map_err(|e| match e {
        AppError::Validation(_) => AppError::Conflict(
            "An account with this address exists already: sign in to accept the invitation."
                .to_owned(),
        ),
        other => other,
    })?;
    if !repo::consume(&mut tx, found.id, account_id).await? {
        return Err(closed(PreviewStatus::Used));
    }
    repo::grant(&mut tx, &found, account_id).await?;
    repo::record(
        &mut tx,
        repo::audit_entry(
            Actor::Account {
                id: account_id,
                label: name.as_str(),
            },
            "invitation.accept",
            &found,
            &ip,
        ),
    )
    .await?;
    tx.commit().await?;
    let cookie = session::start(&state.db, &state.config, account_id, address).await?;
    Ok((cookie, found.workspace_id))
}

/// One line of input to invite: its line number, what was typed, and the parsed entry.
pub struct Candidate {
    pub line: usize,
    pub input: String,
    pub parsed: Result<(EmailAddress, String, bool), InviteOutcome>,
}

/// Decides each line's outcome against the workspace as it is: the same rules for a typed list
/// and a file, for the dry run and for the real thing.
pub fn plan(
    candidates: Vec<Candidate>,
    existing: &Existing,
    allow_personal: bool,
    mut contacts_left: i64,
    contact_limit: i64,
    role: InvitationRole,
) -> (Vec<ReportLine>, Vec<NewInvitation>) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut lines = Vec::with_capacity(candidates.len());
    let mut invite = Vec::new();
    for c in candidates {
        let outcome = match c.parsed {
            Err(outcome) => outcome,
            Ok((email, name, support_contact)) => {
                let canonical = email.canonical().to_owned();
                let outcome = if let Some(first) = seen.get(&canonical) {
                    InviteOutcome::DuplicateInFile(*first)
                } else if existing.members.contains(&canonical) {
                    InviteOutcome::AlreadyMember
                } else if existing.invited.contains(&canonical) {
                    InviteOutcome::AlreadyInvited
                } else if !allow_personal && !existing.work_domains.contains(email.domain()) {
                    InviteOutcome::RefusedByPolicy
                } else if support_contact && contacts_left <= 0 {
                    InviteOutcome::OverContactLimit(contact_limit)
                } else {
                    if support_contact {
                        contacts_left -= 1;
                    }
                    invite.push(NewInvitation {
                        email,
                        name,
                        role,
                        support_contact,
                    });
                    InviteOutcome::WillInvite
                };
                seen.entry(canonical).or_insert(c.line);
                outcome
            }
        };
        lines.push(ReportLine {
            line: c.line,
            email: c.input,
            outcome,
        });
    }
    (lines, invite)
}

pub async fn context<'a>(
    state: &'a AppState,
    scope: &'a WorkspaceScope,
    inviter: Option<&'a Caller>,
    organization_name: &'a str,
    ip: &'a str,
) -> InviteContext<'a> {
    InviteContext {
        workspace_id: scope.workspace_id,
        workspace_name: &scope.workspace_name,
        agreement_id: scope.agreement_id,
        organization_id: scope.organization_id,
        organization_name,
        invited_by: inviter.map(|c| c.account_id),
        inviter_label: inviter.map_or("Your Services Hub administrator", |c| &c.display_name),
        base_url: &state.config.base_url,
        expires_at: now() + state.config.invitation_ttl.as_secs() as i64,
        ip,
    }
}

/// Plans and (unless `dry_run`) sends invitations in one transaction: the valid lines are all
/// invited or, on any failure, none is.
pub async fn invite(
    who: &Authorized,
    candidates: Vec<Candidate>,
    role: InvitationRole,
    dry_run: bool,
    import_id: Option<i64>,
) -> Result<InviteReport, AppError> {
    let (state, caller, scope, ip) = (&who.state, &who.caller, &who.scope, who.ip.as_str());
    if !dry_run {
        state
            .invite_limits
            .check(caller.account_id, scope.workspace_id)?;
    }
    let mut tx = state.db.begin_write().await?;
    repo::lock_agreement(&mut tx, scope.agreement_id).await?;
    let existing = repo::existing(&mut tx, scope.workspace_id).await?;
    let used = repo::contacts_in_use(&mut tx, scope.agreement_id).await?;
    let (mut lines, items) = plan(
        candidates,
        &existing,
        scope.allow_personal,
        scope.contact_limit - used,
        scope.contact_limit,
        role,
    );
    if dry_run || items.is_empty() {
        return Ok(InviteReport {
            lines,
            invited: 0,
            dry_run,
        });
    }
    let field = if import_id.is_some() {
        "file"
    } else {
        "emails"
    };
    draw_budget(state, &mut tx, scope, items.len(), Some(field)).await?;
    let organization = repo::organization_name(&mut tx, scope.organization_id).await?;
    let ctx = context(state, scope, Some(caller), &organization, ip).await;
    repo::insert_many(&mut tx, &ctx, &items).await?;
    if let Some(import_id) = import_id {
        // Single use: a second confirmation of the same file sends nothing.
        let marked = sqlx::query(
            "UPDATE bulk_imports SET committed_at = $2 WHERE id = $1 AND committed_at IS NULL",
        )
        .bind(import_id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        if marked.rows_affected() != 1 {
            return Err(AppError::Conflict(
                "These invitations were sent already.".to_owned(),
            ));
        }
    }
    tx.commit().await?;
    for line in lines.iter_mut() {
        if line.outcome == InviteOutcome::WillInvite {
            line.outcome = InviteOutcome::Invited;
        }
    }
    Ok(InviteReport {
        lines,
        invited: items.len(),
        dry_run: false,
    })
}

/// The typed list of Manage Users.
pub async fn invite_list(
    who: &Authorized,
    emails: &str,
    role: InvitationRole,
    support_contact: bool,
) -> Result<InviteReport, AppError> {
    let addresses = crate::invitations::types::split_addresses(emails);
    if addresses.is_empty() {
        return Err(AppError::field(
            "emails",
            "Enter one or more email addresses.",
        ));
    }
    if addresses.len() > 500 {
        return Err(AppError::field(
            "emails",
            "Enter at most 500 addresses here; use a file for more.",
        ));
    }
    let candidates = addresses
        .into_iter()
        .enumerate()
        .map(|(i, input)| Candidate {
            line: i + 1,
            parsed: EmailAddress::parse(&input)
                .map(|e| (e, String::new(), support_contact))
                .map_err(InviteOutcome::InvalidAddress),
            input,
        })
        .collect();
    let report = invite(who, candidates, role, false, None).await?;
    if report.invited == 0 && report.lines.iter().all(|l| !l.outcome.is_ok()) {
        // Nothing was sent: say why at the field, one line per address.
        let message = report
            .lines
            .iter()
            .map(|l| format!("{}: {}", l.email, l.outcome.label()))
            .collect::<Vec<_>>()
            .join("; ");
        return Err(AppError::field("emails", message));
    }
    Ok(report)
}

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
        repo::audit_entry(actor(caller), "invitation.revoke", &found, &ip),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Accepts the open invitation of `workspace_id` addressed to the account's own address, for
/// the operator's demo data (the same consume-and-grant steps as the link).
pub async fn accept_for_account(
    state: &AppState,
    workspace_id: i64,
    account_id: i64,
) -> Result<bool, AppError> {
    let mut tx = state.db.begin_write().await?;
    let id: Option<i64> = sqlx::query(
        "SELECT i.id FROM invitations i JOIN accounts a ON a.email_canonical = i.email_canonical \
         WHERE i.workspace_id = $1 AND a.id = $2 AND i.status = 'pending'",
    )
    .bind(workspace_id)
    .bind(account_id)
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| sqlx::Row::try_get(&r, "id"))
    .transpose()?;
    let Some(id) = id else {
        return Ok(false);
    };
    let found = repo::in_workspace(&mut tx, workspace_id, id).await?;
    if !repo::consume(&mut tx, found.id, account_id).await? {
        return Ok(false);
    }
    repo::grant(&mut tx, &found, account_id).await?;
    repo::record(
        &mut tx,
        repo::audit_entry(Actor::CommandLine, "invitation.accept", &found, "local"),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The dry run (`dry_run`) or the sending of an uploaded file. Only its uploader, in its
/// workspace, can see or send it; another's import answers like a missing one.
pub async fn bulk(
    who: &Authorized,
    import_id: i64,
    dry_run: bool,
) -> Result<crate::invitations::BulkReport, AppError> {
    let (state, caller, scope) = (&who.state, &who.caller, &who.scope);
    use crate::invitations::bulk::{self, LineProblem};
    let row = sqlx::query(
        "SELECT content, committed_at FROM bulk_imports \
         WHERE id = $1 AND workspace_id = $2 AND account_id = $3",
    )
    .bind(import_id)
    .bind(scope.workspace_id)
    .bind(caller.account_id)
    .fetch_optional(state.db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    let content: String = sqlx::Row::try_get(&row, "content")?;
    let committed: Option<i64> = sqlx::Row::try_get(&row, "committed_at")?;
    if committed.is_some() {
        return Err(AppError::Conflict(
            "These invitations were sent already.".to_owned(),
        ));
    }
    let lines = bulk::parse(content.as_bytes())
        .map_err(|problem| AppError::field("file", problem.to_string()))?;
    let candidates = lines
        .into_iter()
        .map(|l| Candidate {
            line: l.line,
            input: l.input,
            parsed: match l.outcome {
                Ok(entry) => EmailAddress::parse(&entry.email)
                    .map(|e| (e, entry.name.unwrap_or_default(), entry.support_contact))
                    .map_err(InviteOutcome::InvalidAddress),
                Err(LineProblem::InvalidAddress(m)) => Err(InviteOutcome::InvalidAddress(m)),
                Err(LineProblem::DuplicateInFile { first_line }) => {
                    Err(InviteOutcome::DuplicateInFile(first_line))
                }
                Err(other) => Err(InviteOutcome::Invalid(other.to_string())),
            },
        })
        .collect();
    let report = invite(
        who,
        candidates,
        InvitationRole::Member,
        dry_run,
        (!dry_run).then_some(import_id),
    )
    .await?;
    Ok(crate::invitations::BulkReport::from_report(
        import_id, report,
    ))
}
