//! The two steps of a password link (server only): asking for one, and using it.

use super::{repo, Purpose};
use crate::{
    accounts::types::{AccountKind, EmailAddress, NewPassword},
    error::{AppError, FieldErrors},
    state::AppState,
    tokens::hash_token,
};

/// Reset requests one address (canonical email) may cause per hour. Past it the answer stays
/// the same and nothing is queued, so the limit reveals nothing about the address.
pub const REQUESTS_PER_EMAIL: i64 = 5;
/// Reset requests one client address may make per hour. Past it: 429. This limit concerns only
/// the requester's own volume (it says nothing about any account), and an honest person behind a
/// busy network is better told to wait than left waiting for a mail that will not come.
pub const REQUESTS_PER_CLIENT: i64 = 20;

/// The answer to "Forgot your password?": the same whether or not the address has an account;
/// `directory` is the address's domain when it is federated (a fact about the domain, which the
/// sign-in page reveals anyway, not about an account).
pub struct ResetAnswer {
    pub directory: Option<String>,
}

pub const EXPIRED: &str = "This link has expired or was already used. Ask for a new one.";

pub async fn request_reset(
    state: &AppState,
    email: &str,
    address: std::net::IpAddr,
) -> Result<ResetAnswer, AppError> {
    let email = EmailAddress::parse(email).map_err(|m| AppError::field("email", m))?;
    if !repo::count_request(&state.db, &format!("ip:{address}"), REQUESTS_PER_CLIENT).await? {
        tracing::info!(%address, "password reset refused: too many from this client");
        return Err(AppError::TooManyRequests);
    }
    let within = repo::count_request(
        &state.db,
        &format!("email:{}", email.canonical()),
        REQUESTS_PER_EMAIL,
    )
    .await?;
    // The same lookups whatever the address, so the answer takes about as long.
    let federated = crate::federation::is_federated(&state.db, email.domain()).await?;
    let targets = repo::targets(&state.db, email.canonical()).await?;
    let directory = federated.then(|| email.domain().to_owned());
    if !within {
        tracing::info!(%address, "password reset: address over its hourly limit, nothing sent");
        return Ok(ResetAnswer { directory });
    }
    let base = state.config.base_url.trim_end_matches('/');
    let mut tx = state.db.begin_write().await?;
    for target in targets {
        let kind = AccountKind::parse(&target.kind).unwrap_or(AccountKind::Personal);
        // A federated domain's work accounts reset their password in the directory; a Global
        // Administrator keeps a password sign-in (the way back in), so keeps this way too.
        if federated && kind == AccountKind::Work && !target.global_admin {
            continue;
        }
        let head = format!(
            "Hello {},\n\nSomeone, hopefully you, asked to reset the password of your {} \
             ({}) on Services Hub. Choose a new password here:\n\n{base}{}?token=",
            target.display_name,
            kind.label().to_lowercase(),
            target.email,
            Purpose::Reset.path()
        );
        let tail = "\n\nThe link works once, for one hour. Setting a new password signs you out \
                    everywhere. If you did not ask for this, ignore this mail: your password stays \
                    as it is.\n";
        repo::queue_link(
            &mut tx,
            target.account_id,
            Purpose::Reset,
            &target.email,
            &format!(
                "Reset your {} password for Services Hub",
                kind.label().to_lowercase()
            ),
            &head,
            tail,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ResetAnswer { directory })
}

/// Whether a link can still be used, and for what (the page shows the form or says it expired).
pub async fn link(
    state: &AppState,
    token: &str,
    address: std::net::IpAddr,
) -> Result<Option<Purpose>, AppError> {
    crate::limits::check_lookup(state, address).await?;
    if token.trim().is_empty() {
        return Ok(None);
    }
    repo::open_link(&state.db, &hash_token(token.trim())).await
}

/// Sets the password of the link's account; returns whose it was and what the link was for.
pub async fn set_password(
    state: &AppState,
    token: &str,
    new_password: &str,
    confirm_password: &str,
    address: std::net::IpAddr,
) -> Result<repo::PasswordSet, AppError> {
    crate::limits::check_address(state, address).await?;
    let token_hash = hash_token(token.trim());
    // A dead link is said first: no use choosing a password for it.
    if token.trim().is_empty() || repo::open_link(&state.db, &token_hash).await?.is_none() {
        return Err(AppError::Conflict(EXPIRED.to_owned()));
    }
    let mut errors = FieldErrors::default();
    let new = errors.check("new_password", NewPassword::parse(new_password));
    if new.is_some() && new_password != confirm_password {
        errors.check::<()>(
            "confirm_password",
            Err("The two passwords are different. Type the same one twice.".to_owned()),
        );
    }
    errors.into_result()?;
    let Some(new) = new else {
        return Err(AppError::field("new_password", "Enter a new password."));
    };
    let hash = state.security.hash(new.expose()).await?;
    match repo::set_password(&state.db, &token_hash, &hash, &address.to_string()).await? {
        Some(done) => {
            tracing::info!(%address, account = done.account_id, kind = %done.kind,
                "password set from a mailed link");
            Ok(done)
        }
        None => Err(AppError::Conflict(EXPIRED.to_owned())),
    }
}
