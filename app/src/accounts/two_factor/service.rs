//! The steps of two-step verification (server only): secrets, codes and the lockout they share
//! with passwords.

use crate::{
    accounts::{
        repo as accounts_repo, two_factor::repo, two_factor::Enrollment,
        two_factor::SecondFactorState,
    },
    auth::{guard::Authorized, session},
    error::AppError,
    state::now,
    tokens::hash_token,
};
use totp_rs::{Algorithm, TOTP};

/// One message for a wrong code, a used code and a locked account (like the password's).
pub const INCORRECT_CODE: &str = "That code is not correct. Enter the current code from your \
    authenticator app, or one of your recovery codes.";
const STEP_SECS: i64 = 30;
const ISSUER: &str = "Services Hub";
const RECOVERY_CODES: usize = 10;

fn incorrect() -> AppError {
    AppError::field("code", INCORRECT_CODE)
}

/// Sealed with the installation's key and bound to the account, so a copy of the database alone
/// gives no codes and a sealed secret moved to another account's row does not open.
fn context(account_id: i64) -> String {
    format!("second-factor:{account_id}")
}

fn totp(secret: Vec<u8>, email: &str) -> Result<TOTP, AppError> {
    // The account name may not contain ':' (otpauth label); an address never does.
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECS as u64,
        secret,
        Some(ISSUER.to_owned()),
        email.replace(':', ""),
    )
    .map_err(AppError::internal)
}

fn open_secret(who: &Authorized<()>, sealed: &str) -> Result<Vec<u8>, AppError> {
    let base32 = crate::federation::secret::open(
        &who.state.config.secret_key.0,
        &context(who.caller.account_id),
        sealed,
    )
    .map_err(AppError::internal)?;
    totp_rs::Secret::Encoded(base32)
        .to_bytes()
        .map_err(|e| AppError::internal(format!("{e:?}")))
}

/// The QR code of the otpauth:// address as inline SVG with an accessible name.
fn qr_svg(url: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(AppError::internal)?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // The renderer writes a whole document: keep the <svg> element and name it.
    let start = svg
        .find("<svg")
        .ok_or_else(|| AppError::internal("no svg"))?;
    Ok(svg[start..].replacen(
        "<svg",
        "<svg role=\"img\" aria-label=\"QR code to add Services Hub to your authenticator app\"",
        1,
    ))
}

fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

pub async fn status(who: &Authorized<()>) -> Result<SecondFactorState, AppError> {
    let (db, id) = (&who.state.db, who.caller.account_id);
    let factor = repo::factor(db, id).await?;
    let pending = match factor.as_ref().filter(|f| !f.enabled) {
        Some(f) => {
            let secret = open_secret(who, &f.sealed)?;
            let totp = totp(secret, &who.caller.email)?;
            Some(Enrollment {
                secret: grouped(&totp.get_secret_base32()),
                qr_svg: qr_svg(&totp.get_url())?,
            })
        }
        None => None,
    };
    // Codes due are made and shown on this load, once (see the migration): a cross-site load
    // can only make them appear in the owner's own browser.
    let mut new_codes = Vec::new();
    if factor.as_ref().is_some_and(|f| f.enabled && f.codes_due) {
        let (shown, hashes) = recovery_codes();
        if repo::issue_due_codes(db, id, &hashes).await? {
            new_codes = shown;
        }
    }
    Ok(SecondFactorState {
        new_recovery_codes: new_codes,
        enabled: factor.as_ref().is_some_and(|f| f.enabled),
        recovery_codes_left: repo::recovery_codes_left(db, id).await?,
        required: who.state.config.require_second_factor && who.caller.second_factor_required,
        pending,
    })
}

/// A new secret: 160 random bits (RFC 4226's recommended length), sealed before it is stored.
pub async fn start(who: &Authorized<()>) -> Result<(), AppError> {
    use rand::RngCore;
    let mut bytes = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let base32 = totp_rs::Secret::Raw(bytes).to_encoded().to_string();
    let sealed = crate::federation::secret::seal(
        &who.state.config.secret_key.0,
        &context(who.caller.account_id),
        &base32,
    )
    .map_err(AppError::internal)?;
    if !repo::begin(&who.state.db, who.caller.account_id, &sealed).await? {
        return Err(AppError::Conflict(
            "Two-step verification is already on for your account.".to_owned(),
        ));
    }
    Ok(())
}

/// Checks a six-digit code against the steps around now (one each side for clock drift) and
/// accepts its step once. The attempt is counted first, with the password's counter: a locked
/// account checks nothing, so even a right code is refused.
async fn check_code(
    who: &Authorized<()>,
    code: &str,
    allow_recovery: bool,
) -> Result<bool, AppError> {
    let (db, id) = (&who.state.db, who.caller.account_id);
    if !accounts_repo::reserve_attempt(db, id).await? {
        tracing::info!(account = id, "second factor refused: account locked");
        return Ok(false);
    }
    let code: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) {
        let Some(factor) = repo::factor(db, id).await? else {
            return Ok(false);
        };
        let totp = totp(open_secret(who, &factor.sealed)?, &who.caller.email)?;
        let current = now() / STEP_SECS;
        for step in [current - 1, current, current + 1] {
            if step <= factor.last_step {
                continue;
            }
            let expected = totp.generate((step * STEP_SECS) as u64);
            if constant_time_eq(expected.as_bytes(), code.as_bytes()) {
                return repo::accept_step(db, id, step).await;
            }
        }
        return Ok(false);
    }
    if allow_recovery && code.len() == 10 && code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return repo::use_recovery_code(db, id, &hash_token(&code.to_ascii_lowercase())).await;
    }
    Ok(false)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Ten codes of ten characters (a–z, 2–9, no look-alikes): about 50 bits each, single use,
/// stored as SHA-256 only.
fn recovery_codes() -> (Vec<String>, Vec<String>) {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            (0..10)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect()
        })
        .collect();
    let hashes = codes.iter().map(|c| hash_token(c)).collect();
    let shown = codes
        .into_iter()
        .map(|c| format!("{}-{}", &c[..5], &c[5..]))
        .collect();
    (shown, hashes)
}

/// The first code confirms the app has the secret; the recovery codes are then due.
pub async fn confirm(who: &Authorized<()>, code: &str) -> Result<(), AppError> {
    let factor = repo::factor(&who.state.db, who.caller.account_id).await?;
    match factor {
        None => {
            return Err(AppError::field(
                "code",
                "Choose \"Set up\" first to get a new secret.",
            ))
        }
        Some(f) if f.enabled => {
            return Err(AppError::Conflict(
                "Two-step verification is already on for your account.".to_owned(),
            ))
        }
        Some(_) => {}
    }
    if !check_code(who, code, false).await? {
        return Err(incorrect());
    }
    if !repo::enable(&who.state.db, who.caller.account_id).await? {
        return Err(AppError::Conflict(
            "Two-step verification is already on for your account.".to_owned(),
        ));
    }
    accounts_repo::record_success(&who.state.db, who.caller.account_id, None).await?;
    tracing::info!(account = who.caller.account_id, "second factor enabled");
    Ok(())
}

async fn require_enabled(who: &Authorized<()>) -> Result<(), AppError> {
    if !repo::enabled(&who.state.db, who.caller.account_id).await? {
        return Err(AppError::Conflict(
            "Two-step verification is not on for your account.".to_owned(),
        ));
    }
    Ok(())
}

pub async fn disable(who: &Authorized<()>, code: &str) -> Result<(), AppError> {
    if who.state.config.require_second_factor && who.caller.second_factor_required {
        return Err(AppError::Forbidden(
            "Your account administers others, so two-step verification stays on. An \
             administrator can reset it if you lose your device."
                .to_owned(),
        ));
    }
    require_enabled(who).await?;
    if !check_code(who, code, true).await? {
        return Err(incorrect());
    }
    repo::remove(&who.state.db, who.caller.account_id).await?;
    accounts_repo::record_success(&who.state.db, who.caller.account_id, None).await?;
    tracing::info!(account = who.caller.account_id, "second factor turned off");
    Ok(())
}

pub async fn new_recovery_codes(who: &Authorized<()>, code: &str) -> Result<(), AppError> {
    require_enabled(who).await?;
    if !check_code(who, code, false).await? {
        return Err(incorrect());
    }
    repo::renew_recovery_codes(&who.state.db, who.caller.account_id).await?;
    accounts_repo::record_success(&who.state.db, who.caller.account_id, None).await?;
    Ok(())
}

/// The second step of sign-in; a right code clears the lock counters and starts a fresh
/// session (a new id), ending the pending one. Returns the `Set-Cookie` value.
pub async fn verify_sign_in(who: &Authorized<()>, code: &str) -> Result<String, AppError> {
    if code.trim().is_empty() {
        return Err(AppError::field(
            "code",
            "Enter the code from your authenticator app.",
        ));
    }
    if code.chars().count() > 64 || !check_code(who, code, true).await? {
        tracing::info!(ip = %who.ip, account = who.caller.account_id, "second factor failed");
        return Err(incorrect());
    }
    let state = &who.state;
    accounts_repo::record_success(&state.db, who.caller.account_id, None).await?;
    tracing::info!(ip = %who.ip, account = who.caller.account_id, "second factor succeeded");
    let address = who.ip.parse().map_err(AppError::internal)?;
    session::start(&state.db, &state.config, who.caller.account_id, address).await
}
