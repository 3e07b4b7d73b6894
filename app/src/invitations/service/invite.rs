//! Sending invitations: a typed list or an uploaded file, planned then sent in one
//! transaction.

use crate::{
    accounts::types::EmailAddress,
    auth::guard::Authorized,
    error::AppError,
    invitations::{repo, InvitationRole, InviteOutcome, InviteReport},
    state::now,
};

use super::{context, draw_budget, plan, Candidate};

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
        mark_sent(&mut tx, import_id).await?;
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

/// Marks the uploaded file as sent. Single use: a second confirmation of the same file sends
/// nothing.
async fn mark_sent(tx: &mut repo::Tx, import_id: i64) -> Result<(), AppError> {
    let marked = sqlx::query(
        "UPDATE bulk_imports SET committed_at = $2 WHERE id = $1 AND committed_at IS NULL",
    )
    .bind(import_id)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    if marked.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "These invitations were sent already.".to_owned(),
        ));
    }
    Ok(())
}
