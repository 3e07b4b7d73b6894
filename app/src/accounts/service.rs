//! The sign-in steps (server only), between the server functions and the queries.

use crate::{
    accounts::{
        repo,
        types::{AccountKind, SignInIdentifier},
        AccountChoices,
    },
    auth::guard::Authorized,
    auth::session,
    error::AppError,
    security::needs_rehash,
    state::AppState,
};

/// One message for every failed sign-in: unknown account, wrong password, locked account.
pub const INCORRECT: &str = "Your email or password is incorrect.";

fn incorrect() -> AppError {
    AppError::field("password", INCORRECT)
}

pub async fn sign_in_options(
    state: &AppState,
    identifier: &str,
    address: std::net::IpAddr,
) -> Result<AccountChoices, AppError> {
    crate::limits::check_lookup(state, address).await?;
    let identifier =
        SignInIdentifier::parse(identifier).map_err(|m| AppError::field("identifier", m))?;
    let mut kinds = repo::kinds_for(&state.db, &identifier).await?;
    if kinds.is_empty() {
        let work_domain = match &identifier {
            SignInIdentifier::Email(email) => {
                repo::organization_for_domain(&state.db, email.domain())
                    .await?
                    .is_some()
            }
            SignInIdentifier::Phone(_) => false,
        };
        kinds.push(if work_domain {
            AccountKind::Work
        } else {
            AccountKind::Personal
        });
    }
    Ok(AccountChoices { kinds })
}

/// Verifies the password and starts a session; returns the `Set-Cookie` value.
/// For a personal account none of whose workspaces accepts personal accounts.
pub const PERSONAL_REFUSED: &str = "Services Hub does not support sign in via personal accounts \
    for your workspaces: they belong to Unified Support agreements that accept only work or \
    school accounts. Sign in with your work or school account, or ask your Services \
    Administrator to allow personal accounts.";

pub async fn sign_in(
    state: &AppState,
    identifier: &str,
    kind: &str,
    password: &str,
    accepting_invitation: bool,
    address: std::net::IpAddr,
) -> Result<(String, bool), AppError> {
    crate::limits::check_address(state, address).await?;

    let identifier =
        SignInIdentifier::parse(identifier).map_err(|m| AppError::field("identifier", m))?;
    let kind = AccountKind::parse(kind).ok_or_else(|| {
        AppError::field(
            "kind",
            "Choose a work or school account or a personal account.",
        )
    })?;
    if password.is_empty() {
        return Err(AppError::field("password", "Enter your password."));
    }
    if password.chars().count() > crate::accounts::types::NewPassword::MAX_LEN {
        return Err(AppError::field(
            "password",
            "A password has at most 128 characters.",
        ));
    }

    let credentials = repo::credentials(&state.db, &identifier, kind).await?;
    // The attempt is counted before the (slow) verification. An unknown or locked account
    // still costs a (dummy) verification, so its answer looks and takes the same.
    let reserved = match &credentials {
        Some(credentials) => repo::reserve_attempt(&state.db, credentials.account_id).await?,
        None => false,
    };
    let stored = credentials
        .as_ref()
        .filter(|_| reserved)
        .map(|c| c.password_hash.clone());
    let verified = state.security.verify(stored, password).await?;
    let Some(credentials) = credentials.filter(|_| reserved && verified) else {
        tracing::info!(%address, kind = %kind, "sign-in failed");
        return Err(incorrect());
    };
    let new_hash = if needs_rehash(&credentials.password_hash) {
        Some(state.security.hash(password).await?)
    } else {
        None
    };
    // Seed 000: "Services Hub does not support sign in via personal accounts" — for a personal
    // account whose every workspace refuses them (Unified, not overridden). Told only after the
    // password is right, so it reveals nothing to a guesser; an invitation link still works.
    if kind == AccountKind::Personal
        && !accepting_invitation
        && repo::refused_everywhere(&state.db, credentials.account_id).await?
    {
        tracing::info!(%address, account = credentials.account_id, "sign-in refused by policy");
        return Err(AppError::Forbidden(PERSONAL_REFUSED.to_owned()));
    }
    // A federated domain signs its people in at the directory; its Global Administrators keep
    // their password as the way back in. Told only after the password is right, like above.
    if kind == AccountKind::Work
        && !crate::federation::password_allowed(&state.db, credentials.account_id).await?
    {
        tracing::info!(%address, account = credentials.account_id, "password refused: federated");
        return Err(AppError::Forbidden(
            crate::federation::USE_DIRECTORY.to_owned(),
        ));
    }
    // With a second factor the session starts pending (answered `true`: the browser goes to
    // the code); the counters are cleared only by the right code.
    if crate::accounts::two_factor::enabled(&state.db, credentials.account_id).await? {
        crate::accounts::two_factor::repo::store_rehash(
            &state.db,
            credentials.account_id,
            new_hash,
        )
        .await?;
        tracing::info!(%address, account = credentials.account_id, "password right, code due");
        let cookie = session::start_at_stage(
            &state.db,
            &state.config,
            credentials.account_id,
            address,
            true,
        )
        .await?;
        return Ok((cookie, true));
    }
    repo::record_success(&state.db, credentials.account_id, new_hash).await?;
    tracing::info!(%address, account = credentials.account_id, "sign-in succeeded");
    let cookie = session::start(&state.db, &state.config, credentials.account_id, address).await?;
    Ok((cookie, false))
}

/// Changes the caller's own password after checking the current one (counted like a sign-in
/// attempt, so a left-open session cannot be used to guess it); ends the other sessions.
pub async fn change_password(
    who: &Authorized<()>,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    let (state, caller) = (&who.state, &who.caller);
    use crate::accounts::types::NewPassword;
    let mut errors = crate::error::FieldErrors::default();
    if current.is_empty() {
        errors.check::<()>(
            "current_password",
            Err("Enter your current password.".to_owned()),
        );
    }
    let new = errors.check("new_password", NewPassword::parse(new));
    errors.into_result()?;
    let Some(new) = new else {
        return Err(AppError::field("new_password", "Enter a new password."));
    };
    if current.chars().count() > NewPassword::MAX_LEN {
        return Err(AppError::field(
            "current_password",
            "Your current password is incorrect.",
        ));
    }
    let stored = repo::password_hash(&state.db, caller.account_id).await?;
    let reserved = repo::reserve_attempt(&state.db, caller.account_id).await?;
    let verified = state
        .security
        .verify(reserved.then_some(stored), current)
        .await?;
    if !(reserved && verified) {
        return Err(AppError::field(
            "current_password",
            "Your current password is incorrect.",
        ));
    }
    if new.expose() == current {
        return Err(AppError::field(
            "new_password",
            "Choose a password different from the current one.",
        ));
    }
    let hash = state.security.hash(new.expose()).await?;
    repo::set_password(
        &state.db,
        caller.account_id,
        &hash,
        caller.session_hash(),
        who.actor(),
        &who.ip,
    )
    .await
}

/// What the operator's `admin create-account` (and the demo data) ask for.
pub struct CreateAccount<'a> {
    pub kind: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub phone: Option<&'a str>,
    pub organization: Option<&'a str>,
    pub password: &'a str,
}

/// Creates an account after checking every rule: a work account's address must be on a domain
/// of its organization; a personal account belongs to no organization.
pub async fn create_account(
    state: &AppState,
    input: CreateAccount<'_>,
    actor: crate::auth::audit::Actor<'_>,
) -> Result<i64, AppError> {
    use crate::accounts::types::{DisplayName, EmailAddress, NewPassword, PhoneNumber};
    let mut errors = crate::error::FieldErrors::default();
    let kind = errors.check(
        "kind",
        AccountKind::parse(input.kind).ok_or_else(|| "The kind is work or personal.".to_owned()),
    );
    let email = errors.check("email", EmailAddress::parse(input.email));
    let name = errors.check("name", DisplayName::parse(input.name));
    let phone = match input.phone {
        Some(phone) => errors.check("phone", PhoneNumber::parse(phone).map(Some)),
        None => Some(None),
    };
    let password = errors.check("password", NewPassword::parse(input.password));
    errors.into_result()?;
    let (Some(kind), Some(email), Some(display_name), Some(phone), Some(password)) =
        (kind, email, name, phone, password)
    else {
        return Err(AppError::field("form", "Incomplete account."));
    };
    let organization_id = match (kind, input.organization) {
        (AccountKind::Personal, Some(_)) => {
            return Err(AppError::field(
                "organization",
                "A personal account belongs to a person, not to an organization.",
            ))
        }
        (AccountKind::Personal, None) => None,
        (AccountKind::Work, named) => {
            let by_domain = repo::organization_for_domain(&state.db, email.domain()).await?;
            let named = match named {
                Some(name) => Some(
                    repo::organization_by_name(&state.db, name)
                        .await?
                        .ok_or_else(|| {
                            AppError::field(
                                "organization",
                                format!("There is no organization named {name:?}."),
                            )
                        })?,
                ),
                None => None,
            };
            match (by_domain, named) {
                (Some(domain_org), Some(named_org)) if domain_org == named_org => Some(domain_org),
                (Some(domain_org), None) => Some(domain_org),
                _ => {
                    return Err(AppError::field(
                        "email",
                        format!(
                            "A work or school account needs an address on one of its organization's domains; {} is not one.",
                            email.domain()
                        ),
                    ))
                }
            }
        }
    };
    let password_hash = state.security.hash(password.expose()).await?;
    repo::create_account(
        &state.db,
        &repo::NewAccount {
            kind,
            email,
            display_name,
            phone,
            organization_id,
            password_hash,
        },
        actor,
    )
    .await
}

pub async fn create_organization(
    state: &AppState,
    name: &str,
    domain: &str,
    actor: crate::auth::audit::Actor<'_>,
    ip: &str,
) -> Result<i64, AppError> {
    let mut errors = crate::error::FieldErrors::default();
    let name = errors.check("name", crate::accounts::types::DisplayName::parse(name));
    let domain = errors.check(
        "domain",
        crate::accounts::types::ascii_domain(domain)
            .ok_or_else(|| "Enter a domain name like contoso.com.".to_owned()),
    );
    errors.into_result()?;
    let (Some(name), Some(domain)) = (name, domain) else {
        return Err(AppError::field("form", "Incomplete organization."));
    };
    repo::create_organization(
        &state.db,
        &repo::NewOrganization { name, domain },
        actor,
        ip,
    )
    .await
}
