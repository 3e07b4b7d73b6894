//! Following the link: the preview, accepting with an account or registering one, and the
//! operator's accept for demo data.

use crate::{
    accounts::types::{AccountKind, DisplayName, EmailAddress, NewPassword},
    auth::{
        audit::Actor,
        guard::{personal_refused, Authorized},
        session::{self, Caller},
    },
    error::AppError,
    invitations::{
        repo::{self, Found},
        InvitationDetails, PreviewStatus,
    },
    state::{now, AppState},
};

use super::actor;

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
        repo::audit_entry(actor(caller), "invitation.accept", &found, ip),
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
    crate::limits::check_address(state, address).await?;
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
