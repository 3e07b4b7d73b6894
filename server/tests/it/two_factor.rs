//! Two-step verification (issue 15, item 5), over HTTP on SQLite and PostgreSQL: enrollment with
//! a sealed secret, the pending session that answers as signed out, codes used once, the shared
//! lockout, recovery codes, the requirement for staff and Global Administrators, and the audited
//! resets by a Global Administrator and by the operator.

mod resets;

use crate::common::{TestApp, PASSWORD};
use serde_json::Value;
use totp_rs::{Algorithm, Secret, TOTP};

pub const PAT: &str = "pat@home.example";

pub fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

pub fn now_step() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs()
        / 30
}

/// The code an authenticator app shows at time step `step` for the secret the page showed.
pub fn code(secret: &str, step: u64) -> String {
    let bytes = Secret::Encoded(secret.replace(' ', ""))
        .to_bytes()
        .expect("base32");
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new())
        .expect("totp")
        .generate(step * 30)
}

pub async fn status(app: &TestApp, cookie: &str) -> Value {
    let r = app.call("two_factor_status", &[], Some(cookie), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    json(&r.body)
}

/// Enrolls the signed-in account with the current step's code; returns the secret shown and the
/// recovery codes shown once.
pub async fn enroll(app: &TestApp, cookie: &str) -> (String, Vec<String>) {
    let r = app.call("start_two_factor", &[], Some(cookie), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let shown = status(app, cookie).await;
    let pending = &shown["pending"];
    let secret = pending["secret"].as_str().expect("secret").to_owned();
    let svg = pending["qr_svg"].as_str().expect("svg");
    assert!(svg.starts_with("<svg role=\"img\" aria-label=\""), "{svg}");
    let r = app
        .call(
            "confirm_two_factor",
            &[("code", &code(&secret, now_step()))],
            Some(cookie),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let shown = status(app, cookie).await;
    assert_eq!(shown["enabled"], true);
    let codes: Vec<String> = shown["new_recovery_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    // Shown once: the next load has none.
    assert_eq!(
        status(app, cookie).await["new_recovery_codes"],
        serde_json::json!([])
    );
    (secret, codes)
}

/// Signs in with the password; returns the pending session's cookie and where it was sent.
pub async fn password_step(app: &TestApp, email: &str, kind: &str) -> (String, String) {
    let r = app.sign_in(email, kind, PASSWORD).await;
    assert_eq!(r.status, 200, "{}", r.body);
    (
        r.session_cookie().expect("cookie"),
        r.header("location").unwrap_or_default().to_owned(),
    )
}

pub async fn verify(app: &TestApp, cookie: &str, code: &str) -> crate::common::TestResponse {
    app.call(
        "verify_second_factor",
        &[("code", code), ("next", "/profile")],
        Some(cookie),
        &[],
    )
    .await
}

on_both_engines!(enrolled_sign_in_needs_a_code_used_once, |app| {
    let pat = app.create_account("personal", PAT, "Pat Doe").await;
    let cookie = app.signed_in(PAT, "personal").await;
    let (secret, _) = enroll(&app, &cookie).await;
    // The secret is sealed: neither its base32 nor any part of it is in the row.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM second_factors WHERE account_id = {pat} \
             AND secret_sealed NOT LIKE '%{}%' AND secret_sealed LIKE 'v1:%'",
            &secret.replace(' ', "")[..16]
        ))
        .await,
        1
    );
    let r = app.call("sign_out", &[], Some(&cookie), &[]).await;
    assert!(r.status < 400, "{}", r.body);

    let (pending, location) = password_step(&app, PAT, "personal").await;
    assert_eq!(location, "/sign-in/verify?next=%2F");
    // Before the code, the session answers as signed out everywhere else.
    for function in ["my_profile", "two_factor_status", "my_workspaces"] {
        let r = app.call(function, &[], Some(&pending), &[]).await;
        assert_eq!(r.status, 401, "{function}: {}", r.body);
    }
    let r = app.call("current_user", &[], Some(&pending), &[]).await;
    assert_eq!(r.body, "null");
    let page = app.get("/profile", Some(&pending)).await;
    assert_eq!(
        page.header("location"),
        Some("/sign-in/verify?next=%2Fprofile")
    );
    assert_eq!(
        app.call("second_step_due", &[], Some(&pending), &[])
            .await
            .status,
        200
    );

    // The code of the next step (the enrollment used this one) lets them in, with a new id.
    let first = code(&secret, now_step() + 1);
    let r = verify(&app, &pending, &first).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("location"), Some("/profile"));
    let full = r.session_cookie().expect("new session");
    assert_ne!(full, pending);
    assert_eq!(
        app.call("my_profile", &[], Some(&full), &[]).await.status,
        200
    );
    assert_eq!(
        app.call("my_profile", &[], Some(&pending), &[])
            .await
            .status,
        401
    );
    // Verifying again with a finished session is refused as signed out.
    assert_eq!(verify(&app, &full, &first).await.status, 401);

    // The same code on a second sign-in, within its window: refused.
    let (again, _) = password_step(&app, PAT, "personal").await;
    let r = verify(&app, &again, &first).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("That code is not correct"), "{}", r.body);
    assert_eq!(
        app.call("my_profile", &[], Some(&again), &[]).await.status,
        401
    );
    // Signing out ends a pending session too.
    let r = app.call("sign_out", &[], Some(&again), &[]).await;
    assert!(r.status < 400, "{}", r.body);
    assert_eq!(
        app.call("second_step_due", &[], Some(&again), &[])
            .await
            .status,
        401
    );
});

on_both_engines!(recovery_codes_work_once, |app| {
    app.create_account("personal", PAT, "Pat Doe").await;
    let cookie = app.signed_in(PAT, "personal").await;
    let (_, codes) = enroll(&app, &cookie).await;
    let (pending, _) = password_step(&app, PAT, "personal").await;
    assert_eq!(verify(&app, &pending, &codes[3]).await.status, 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM recovery_codes WHERE used_at IS NOT NULL")
            .await,
        1
    );
    // Not stored in clear.
    let plain = codes[0].replace('-', "");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM recovery_codes WHERE code_hash LIKE '%{plain}%'"
        ))
        .await,
        0
    );
    let (pending, _) = password_step(&app, PAT, "personal").await;
    assert_eq!(verify(&app, &pending, &codes[3]).await.status, 422);
    assert_eq!(
        verify(&app, &pending, &codes[4].to_uppercase())
            .await
            .status,
        200
    );
});

on_both_engines!(wrong_codes_lock_the_account_like_wrong_passwords, |app| {
    let pat = app.create_account("personal", PAT, "Pat Doe").await;
    let cookie = app.signed_in(PAT, "personal").await;
    let (secret, _) = enroll(&app, &cookie).await;
    let (pending, _) = password_step(&app, PAT, "personal").await;
    for _ in 0..5 {
        assert_eq!(verify(&app, &pending, "000000").await.status, 422);
    }
    assert!(
        app.count(&format!(
            "SELECT COUNT(*) FROM accounts WHERE id = {pat} AND locked_until IS NOT NULL"
        ))
        .await
            == 1
    );
    // Locked: even the right code is refused, and so is the password.
    let r = verify(&app, &pending, &code(&secret, now_step() + 1)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(app.sign_in(PAT, "personal", PASSWORD).await.status, 422);
});

on_both_engines!(
    staff_must_enroll_first_when_required,
    config = |c: &mut app::state::Config| {
        c.sign_in_attempts_per_minute = 10_000;
        c.require_second_factor = true;
    },
    |app| {
        app.create_staff("csam@provider.example", "csam").await;
        let cookie = app.signed_in("csam@provider.example", "work").await;
        let r = app.call("my_profile", &[], Some(&cookie), &[]).await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert!(
            r.body.contains("must use two-step verification"),
            "{}",
            r.body
        );
        let page = app.get("/staff", Some(&cookie)).await;
        assert_eq!(
            page.header("location"),
            Some("/profile/two-factor?required=1")
        );
        let r = app.call("current_user", &[], Some(&cookie), &[]).await;
        assert_eq!(json(&r.body)["must_enroll"], true);
        let (secret, _) = enroll(&app, &cookie).await;
        assert_eq!(status(&app, &cookie).await["required"], true);
        assert_eq!(
            app.call("my_profile", &[], Some(&cookie), &[]).await.status,
            200
        );
        // Required: it cannot be turned off.
        let r = app
            .call(
                "disable_two_factor",
                &[("code", &code(&secret, now_step() + 1))],
                Some(&cookie),
                &[],
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
    }
);
