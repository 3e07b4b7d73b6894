//! SECURITY.md's "Passwords and sign-in" and "Sessions", held by tests over the real server
//! functions on SQLite and PostgreSQL (issue 15, item 6): the rules for a new password (8–128
//! characters of any kind, never truncated, not a common one), the re-hash of obsolete Argon2
//! parameters at sign-in, and a password change ending the other sessions.
//!
//! Held elsewhere: a reset through /reset-password ends every session
//! (`passwords::a_reset_link_works_once_and_ends_every_session`), disabling an account ends its
//! sessions (`identity::changes`), and the property tests of every parser of untrusted input
//! live next to the parsers in `app` (CSV, email, tokens, the OpenID callback's parameters).

use crate::common::{TestApp, TestResponse, PASSWORD};
use app::error::AppError;

const PAT: &str = "pat@home.example";

/// The message a refused answer shows at `field`.
fn message_at(response: &TestResponse, field: &str) -> String {
    assert_eq!(response.status, 422, "{}", response.body);
    let error: AppError = serde_json::from_str(&response.body).expect("an AppError");
    error
        .field_message(field)
        .unwrap_or_else(|| panic!("no message at {field}: {}", response.body))
}

/// 128 characters, most of them two or three bytes long: a byte limit would cut it.
fn longest() -> String {
    let text: String = "€uro-Pässwort 東京 ".chars().cycle().take(128).collect();
    assert_eq!(text.chars().count(), 128);
    assert!(text.len() > 160, "{} bytes", text.len());
    text
}

/// Passwords refused, with the words the field shows.
fn refused() -> Vec<(String, &'static str)> {
    vec![
        ("1234567".to_owned(), "at least 8 characters"),
        // Seven characters of four bytes each: counted as characters, not bytes.
        ("🔑🔑🔑🔑🔑🔑🔑".to_owned(), "at least 8 characters"),
        (format!("{}x", longest()), "at most 128 characters"),
        ("password123".to_owned(), "too common"),
        ("qwertyuiop".to_owned(), "too common"),
        ("PassWord123".to_owned(), "too common"),
    ]
}

/// Passwords accepted: any characters, from the shortest to the longest.
fn accepted() -> Vec<String> {
    vec![
        "🔑🔑🔑🔑🔑🔑🔑🔑".to_owned(),
        "Grüße aus Köln, 東京 ☕".to_owned(),
        "  spaces count too  ".to_owned(),
        longest(),
    ]
}

async fn sign_up(app: &TestApp, n: usize, password: &str, offer: i64) -> TestResponse {
    // The sign-up limit per address has its own test; here one address signs up many times.
    app.exec("DELETE FROM signup_attempts").await;
    let (organization, email) = (format!("Case {n} Ltd"), format!("owner@case{n}.example"));
    let offer = offer.to_string();
    app.call(
        "sign_up",
        &[
            ("organization", organization.as_str()),
            ("name", "Owner Person"),
            ("email", email.as_str()),
            ("password", password),
            ("offer_id", offer.as_str()),
        ],
        None,
        &[],
    )
    .await
}

async fn change(app: &TestApp, cookie: &str, current: &str, new: &str) -> TestResponse {
    app.call(
        "change_password",
        &[("current_password", current), ("new_password", new)],
        Some(cookie),
        &[],
    )
    .await
}

on_both_engines!(
    new_passwords_follow_the_rules_at_sign_up_and_change,
    |app| {
        let offer = app::services::create_offer_as(
            &app.state,
            &app::services::OfferInput {
                service: "Office".to_owned(),
                name: "Office E3".to_owned(),
                description: "Office for every user".to_owned(),
                unit: "license".to_owned(),
                price: "12.00".to_owned(),
                currency: "EUR".to_owned(),
                period: "monthly".to_owned(),
                trial_days: "30".to_owned(),
                volume: false,
            },
            app::auth::audit::Actor::CommandLine,
        )
        .await
        .expect("offer");
        app.create_account("personal", PAT, "Pat Doe").await;
        let cookie = app.signed_in(PAT, "personal").await;

        for (n, (password, says)) in refused().into_iter().enumerate() {
            let signed = sign_up(&app, n, &password, offer).await;
            let shown = message_at(&signed, "password");
            assert!(shown.contains(says), "{password:?} at sign-up: {shown}");
            let changed = change(&app, &cookie, PASSWORD, &password).await;
            let shown = message_at(&changed, "new_password");
            assert!(shown.contains(says), "{password:?} at change: {shown}");
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM organizations").await,
            0,
            "no refused sign-up created anything"
        );
        assert_eq!(app.sign_in(PAT, "personal", PASSWORD).await.status, 200);

        let mut current = PASSWORD.to_owned();
        for (n, password) in accepted().into_iter().enumerate() {
            let signed = sign_up(&app, 100 + n, &password, offer).await;
            assert_eq!(
                signed.status, 200,
                "{password:?} at sign-up: {}",
                signed.body
            );
            let changed = change(&app, &cookie, &current, &password).await;
            assert_eq!(
                changed.status, 200,
                "{password:?} at change: {}",
                changed.body
            );
            assert_eq!(app.sign_in(PAT, "personal", &password).await.status, 200);
            current = password;
        }

        // The last one is 128 characters, stored whole: neither its 127-character prefix nor a
        // 129th character opens the account.
        let whole = longest();
        assert_eq!(current, whole);
        let prefix: String = whole.chars().take(127).collect();
        assert_eq!(app.sign_in(PAT, "personal", &prefix).await.status, 422);
        assert_eq!(
            app.sign_in(PAT, "personal", &format!("{whole}x"))
                .await
                .status,
            422
        );
        assert_eq!(app.sign_in(PAT, "personal", &whole).await.status, 200);
    }
);

/// A hash of `password` with the given algorithm and parameters, as an older release stored it.
fn old_hash(password: &str, algorithm: argon2::Algorithm, m: u32, t: u32) -> String {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let params = argon2::Params::new(m, t, 1, None).expect("params");
    let salt = SaltString::encode_b64(b"sixteen byte sal").expect("salt");
    argon2::Argon2::new(algorithm, argon2::Version::V0x13, params)
        .hash_password(password.as_bytes(), &salt)
        .expect("hash")
        .to_string()
}

async fn stored_hash(app: &TestApp, account: i64) -> String {
    sqlx::query_scalar(&format!(
        "SELECT password_hash FROM accounts WHERE id = {account}"
    ))
    .fetch_one(app.state.db.pool())
    .await
    .expect("hash")
}

on_both_engines!(obsolete_argon2_parameters_are_rehashed_at_sign_in, |app| {
    let pat = app.create_account("personal", PAT, "Pat Doe").await;
    for old in [
        old_hash(PASSWORD, argon2::Algorithm::Argon2id, 4096, 1),
        old_hash(PASSWORD, argon2::Algorithm::Argon2i, 19456, 2),
    ] {
        app.exec(&format!(
            "UPDATE accounts SET password_hash = '{old}' WHERE id = {pat}"
        ))
        .await;
        // A wrong password re-hashes nothing.
        assert_eq!(
            app.sign_in(PAT, "personal", "not the password")
                .await
                .status,
            422
        );
        assert_eq!(stored_hash(&app, pat).await, old);

        assert_eq!(app.sign_in(PAT, "personal", PASSWORD).await.status, 200);
        let stored = stored_hash(&app, pat).await;
        assert_ne!(stored, old);
        let parsed = argon2::PasswordHash::new(&stored).expect("a PHC string");
        assert_eq!(
            parsed.algorithm,
            argon2::Algorithm::Argon2id.ident(),
            "{stored}"
        );
        let params = argon2::Params::try_from(&parsed).expect("params");
        assert!(
            params.m_cost() >= 19456 && params.t_cost() >= 2 && params.p_cost() >= 1,
            "{stored}"
        );
        // The new hash opens the account; a current one is left alone.
        assert_eq!(app.sign_in(PAT, "personal", PASSWORD).await.status, 200);
        assert_eq!(stored_hash(&app, pat).await, stored);
    }
});

on_both_engines!(a_password_change_ends_the_other_sessions_only, |app| {
    app.create_account("personal", PAT, "Pat Doe").await;
    let here = app.signed_in(PAT, "personal").await;
    let phone = app.signed_in(PAT, "personal").await;
    let laptop = app.signed_in(PAT, "personal").await;
    for cookie in [&here, &phone, &laptop] {
        assert_eq!(app.get("/profile", Some(cookie)).await.status, 200);
    }
    let changed = change(&app, &here, PASSWORD, "a brand new passphrase").await;
    assert_eq!(changed.status, 200, "{}", changed.body);

    assert_eq!(app.get("/profile", Some(&here)).await.status, 200);
    for cookie in [&phone, &laptop] {
        let page = app.get("/profile", Some(cookie)).await;
        assert_eq!(page.status, 302, "the old session still opens the page");
        assert_eq!(page.header("location"), Some("/sign-in?next=%2Fprofile"));
        assert_eq!(
            app.call("my_profile", &[], Some(cookie), &[]).await.status,
            401
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
});
