//! What happens to an open case: notes, status changes and recorded time, each an event on
//! the case.

use crate::{
    auth::{
        audit,
        guard::{Authorized, WorkspaceScope},
        session::Caller,
    },
    cases::{CaseDescription, CaseStatus, MAX_MINUTES},
    db::Tx,
    error::{AppError, FieldErrors},
    state::now,
};

use super::{
    counts::recount,
    entry,
    notify::{case_link, involved, mail_all},
    visibility::{visible, Visible},
};

#[allow(clippy::too_many_arguments)]
async fn insert_event(
    tx: &mut Tx,
    case_id: i64,
    caller: &Caller,
    scope: &WorkspaceScope,
    kind: &str,
    body: &str,
    status: Option<CaseStatus>,
    minutes: Option<i64>,
) -> Result<(), AppError> {
    let now = now();
    sqlx::query(
        "INSERT INTO case_events (case_id, author, kind, body, status, minutes, staff, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(case_id)
    .bind(caller.account_id)
    .bind(kind)
    .bind(body)
    .bind(status.map(CaseStatus::as_str))
    .bind(minutes)
    .bind(i64::from(scope.is_staff))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE cases SET updated_at = $2 WHERE id = $1")
        .bind(case_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn add_note(
    who: &Authorized,
    case_id: i64,
    body: &CaseDescription,
) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = who;
    let mut tx = state.db.begin_write().await?;
    let case = visible(&mut tx, scope, caller, case_id).await?;
    insert_event(
        &mut tx,
        case_id,
        caller,
        scope,
        "note",
        body.as_str(),
        None,
        None,
    )
    .await?;
    audit::record(
        &mut tx,
        entry(
            caller,
            scope,
            "case.note",
            case_id,
            format!("Case {case_id}: note added"),
            ip,
        ),
    )
    .await?;
    let to = involved(&mut tx, case_id, caller.account_id).await?;
    let subject = format!("Case {case_id}: a new note on {}", case.title);
    let body = format!(
        "{} added a note to case {case_id} ({}):\n\n{}\n\nReply on the case: {}\n",
        caller.display_name,
        case.title,
        body.as_str(),
        case_link(state, scope, case_id)
    );
    mail_all(&mut tx, &to, &subject, &body).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_status(
    who: &Authorized,
    case_id: i64,
    status: CaseStatus,
) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = who;
    let mut tx = state.db.begin_write().await?;
    let case = visible(&mut tx, scope, caller, case_id).await?;
    may_set_status(scope, caller, &case, case_id, status)?;
    let now = now();
    let closed_at = (status == CaseStatus::Closed).then_some(now);
    sqlx::query("UPDATE cases SET status = $2, closed_at = $3, updated_at = $4 WHERE id = $1")
        .bind(case_id)
        .bind(status.as_str())
        .bind(closed_at)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    recount(&mut tx, scope.workspace_id, &case, status, now).await?;
    let text = format!("{} → {}", case.status.label(), status.label());
    insert_event(
        &mut tx,
        case_id,
        caller,
        scope,
        "status",
        &text,
        Some(status),
        None,
    )
    .await?;
    audit::record(
        &mut tx,
        entry(
            caller,
            scope,
            "case.status",
            case_id,
            format!("Case {case_id}: {text}"),
            ip,
        ),
    )
    .await?;
    let to = involved(&mut tx, case_id, caller.account_id).await?;
    let subject = format!("Case {case_id} is now {}: {}", status.label(), case.title);
    let body = format!(
        "{} changed the status of case {case_id} ({}) from {} to {}.\n\nSee the case: {}\n",
        caller.display_name,
        case.title,
        case.status.label(),
        status.label(),
        case_link(state, scope, case_id)
    );
    mail_all(&mut tx, &to, &subject, &body).await?;
    tx.commit().await?;
    Ok(())
}

/// Staff change any status; the opener only closes their case or reopens it.
fn may_set_status(
    scope: &WorkspaceScope,
    caller: &Caller,
    case: &Visible,
    case_id: i64,
    status: CaseStatus,
) -> Result<(), AppError> {
    let opener = case.opened_by == caller.account_id;
    // The opener closes their case, or reopens a resolved or closed one.
    let opener_may = opener
        && (status == CaseStatus::Closed
            || (status == CaseStatus::New
                && matches!(case.status, CaseStatus::Closed | CaseStatus::Resolved)));
    if !(scope.is_staff || opener_may) {
        tracing::info!(
            account = caller.account_id,
            case_id,
            "refused: status change"
        );
        return Err(AppError::Forbidden(
            "Only the agreement's staff can change a case's status; its opener can close or \
             reopen it."
                .to_owned(),
        ));
    }
    if status == case.status {
        return Err(AppError::field(
            "status",
            format!("The case is already {}.", status.label()),
        ));
    }
    Ok(())
}

pub async fn record_time(
    who: &Authorized,
    case_id: i64,
    minutes: &str,
    note: &str,
) -> Result<(), AppError> {
    let Authorized {
        state,
        caller,
        scope,
        ip,
    } = who;
    if !scope.is_staff {
        tracing::info!(account = caller.account_id, case_id, "refused: record time");
        return Err(AppError::Forbidden(
            "Only the agreement's Customer Success Account Manager or Account Coordinator can \
             record time on a case."
                .to_owned(),
        ));
    }
    let mut errors = FieldErrors::default();
    let minutes = errors.check(
        "minutes",
        minutes
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|m| (1..=MAX_MINUTES).contains(m))
            .ok_or_else(|| format!("Enter a whole number of minutes from 1 to {MAX_MINUTES}.")),
    );
    let note = errors.check(
        "note",
        if note.trim().is_empty() {
            Ok(String::new())
        } else {
            CaseDescription::parse_note(note).map(|n| n.as_str().to_owned())
        },
    );
    errors.into_result()?;
    let (Some(minutes), Some(note)) = (minutes, note) else {
        return Err(AppError::field("form", "The form was incomplete."));
    };
    let mut tx = state.db.begin_write().await?;
    visible(&mut tx, scope, caller, case_id).await?;
    insert_event(
        &mut tx,
        case_id,
        caller,
        scope,
        "time",
        &note,
        None,
        Some(minutes),
    )
    .await?;
    audit::record(
        &mut tx,
        entry(
            caller,
            scope,
            "case.time",
            case_id,
            format!("Case {case_id}: {minutes} minutes recorded"),
            ip,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
