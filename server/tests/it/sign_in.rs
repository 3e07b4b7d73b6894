//! Sign-in over HTTP against the real router, on SQLite and PostgreSQL.

use crate::common::{TestApp, PASSWORD};

const INCORRECT: &str = "Your email or password is incorrect.";

async fn contoso(app: &TestApp) {
    app.create_organization("Contoso", "contoso.com").await;
    app.create_account("work", "megan@contoso.com", "Megan Bowen")
        .await;
    app.create_account("personal", "megan@contoso.com", "Megan Personal")
        .await;
}

on_both_engines!(
    work_account_signs_in_and_gets_a_server_side_session,
    |app| {
        contoso(&app).await;
        let response = app.sign_in("Megan@CONTOSO.com", "work", PASSWORD).await;
        assert_eq!(response.status, 200, "{}", response.body);
        let set_cookie = response.header("set-cookie").expect("cookie").to_owned();
        assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
        assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
        // Served over plain HTTP here: no Secure flag, no __Host- prefix.
        assert!(!set_cookie.contains("Secure"), "{set_cookie}");
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
        let cookie = response.session_cookie().expect("session cookie");
        let me = app.call("current_user", &[], Some(&cookie), &[]).await;
        assert!(me.body.contains("Megan Bowen"), "{}", me.body);
        assert!(me.body.contains("\"kind\":\"work\""), "{}", me.body);
    }
);

on_both_engines!(each_kind_signs_in_as_its_own_account, |app| {
    contoso(&app).await;
    let personal = app.signed_in("megan@contoso.com", "personal").await;
    let me = app.call("current_user", &[], Some(&personal), &[]).await;
    assert!(me.body.contains("Megan Personal"), "{}", me.body);
    let options = app
        .call(
            "sign_in_options",
            &[("identifier", "megan@contoso.com")],
            None,
            &[],
        )
        .await;
    assert!(
        options.body.contains("work") && options.body.contains("personal"),
        "{}",
        options.body
    );
    // An unknown address on the organization's domain looks like a work account, elsewhere
    // like a personal one: the answer never says whether the account exists.
    let unknown = app
        .call(
            "sign_in_options",
            &[("identifier", "nobody@contoso.com")],
            None,
            &[],
        )
        .await;
    assert_eq!(unknown.body, r#"{"kinds":["work"]}"#);
    let elsewhere = app
        .call(
            "sign_in_options",
            &[("identifier", "nobody@example.org")],
            None,
            &[],
        )
        .await;
    assert_eq!(elsewhere.body, r#"{"kinds":["personal"]}"#);
});

on_both_engines!(every_failure_gets_the_same_answer, |app| {
    contoso(&app).await;
    let wrong = app
        .sign_in("megan@contoso.com", "work", "not the password")
        .await;
    let unknown = app
        .sign_in("nobody@contoso.com", "work", "not the password")
        .await;
    let wrong_kind = app
        .sign_in("alex@example.org", "personal", "whatever12")
        .await;
    for response in [&wrong, &unknown, &wrong_kind] {
        assert_eq!(response.status, 422);
        assert!(response.body.contains(INCORRECT), "{}", response.body);
        assert!(response.session_cookie().is_none());
    }
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
});

on_both_engines!(bad_input_gets_a_field_message_and_changes_nothing, |app| {
    contoso(&app).await;
    let long_email = format!("{}@contoso.com", "a".repeat(250));
    let long_password = "p".repeat(129);
    let cases: Vec<(&str, &str, &str, &str)> = vec![
        (
            "",
            "work",
            PASSWORD,
            "Enter your email address or phone number.",
        ),
        (
            "not-an-email",
            "work",
            PASSWORD,
            "valid email address or phone number",
        ),
        (
            "megan@",
            "work",
            PASSWORD,
            "valid email address or phone number",
        ),
        (&long_email, "work", PASSWORD, "at most 254 characters"),
        (
            "megan@contoso.com",
            "work",
            &long_password,
            "at most 128 characters",
        ),
        ("megan@contoso.com", "work", "", "Enter your password."),
        (
            "megan@contoso.com",
            "admin",
            PASSWORD,
            "work or school account or a personal account",
        ),
    ];
    for (identifier, kind, password, message) in cases {
        let response = app.sign_in(identifier, kind, password).await;
        assert_eq!(response.status, 422, "{identifier:?}: {}", response.body);
        assert!(
            response.body.contains(message),
            "{identifier:?}: {}",
            response.body
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM accounts WHERE failed_attempts > 0")
            .await,
        0
    );
});

on_both_engines!(parallel_guesses_cannot_pass_the_lockout, |app| {
    contoso(&app).await;
    let before = app.state.security.verifications();
    let attempts = (0..50).map(|_| {
        let app = app.clone();
        async move {
            app.sign_in("megan@contoso.com", "work", "wrong password")
                .await
        }
    });
    let responses = futures::future::join_all(attempts).await;
    assert!(responses
        .iter()
        .all(|r| r.status == 422 && r.body.contains(INCORRECT)));
    // Every attempt costs a verification, but only reserved ones test the real hash: at most
    // MAX_FAILED_ATTEMPTS, whatever the interleaving; the rest run the dummy.
    let real = app.state.security.verifications() - before;
    assert!(
        real <= app::accounts::repo::MAX_FAILED_ATTEMPTS as u64,
        "{real} real verifications"
    );
    assert_eq!(
        app.count("SELECT lockouts FROM accounts WHERE kind = 'work'")
            .await,
        1
    );
    // Locked: even the right password is refused, with the same answer.
    let locked = app.sign_in("megan@contoso.com", "work", PASSWORD).await;
    assert_eq!(locked.status, 422);
    assert!(locked.body.contains(INCORRECT));
    // The lock is per account: the personal account with the same address is not locked.
    let other = app.sign_in("megan@contoso.com", "personal", PASSWORD).await;
    assert_eq!(other.status, 200);
});

on_both_engines!(a_lock_ends_and_success_resets_the_counter, |app| {
    contoso(&app).await;
    for _ in 0..5 {
        app.sign_in("megan@contoso.com", "work", "wrong password")
            .await;
    }
    assert_eq!(
        app.sign_in("megan@contoso.com", "work", PASSWORD)
            .await
            .status,
        422
    );
    // Let the lock expire.
    sqlx::query("UPDATE accounts SET locked_until = 1 WHERE kind = 'work'")
        .execute(app.state.db.pool())
        .await
        .expect("update");
    assert_eq!(
        app.sign_in("megan@contoso.com", "work", PASSWORD)
            .await
            .status,
        200
    );
    assert_eq!(
        app.count("SELECT failed_attempts + lockouts FROM accounts WHERE kind = 'work'")
            .await,
        0
    );
});

on_both_engines!(
    sign_in_issues_a_new_session_id_and_ends_the_old_one,
    |app| {
        contoso(&app).await;
        let first = app.signed_in("megan@contoso.com", "work").await;
        let again = app
            .call(
                "sign_in",
                &[
                    ("identifier", "megan@contoso.com"),
                    ("kind", "work"),
                    ("password", PASSWORD),
                ],
                Some(&first),
                &[],
            )
            .await;
        let second = again.session_cookie().expect("new cookie");
        assert_ne!(first, second);
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
        assert_eq!(
            app.call("my_profile", &[], Some(&first), &[]).await.status,
            401
        );
        assert_eq!(
            app.call("my_profile", &[], Some(&second), &[]).await.status,
            200
        );
    }
);

on_both_engines!(sign_out_ends_the_session_server_side, |app| {
    contoso(&app).await;
    let cookie = app.signed_in("megan@contoso.com", "work").await;
    let out = app.call("sign_out", &[], Some(&cookie), &[]).await;
    assert_eq!(out.status, 200);
    assert!(out
        .header("set-cookie")
        .is_some_and(|c| c.contains("Max-Age=0")));
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    // The old cookie, replayed, is worth nothing.
    assert_eq!(
        app.call("my_profile", &[], Some(&cookie), &[]).await.status,
        401
    );
});

on_both_engines!(tampered_and_expired_sessions_are_refused, |app| {
    contoso(&app).await;
    let cookie = app.signed_in("megan@contoso.com", "work").await;
    let tampered = format!("{cookie}x");
    assert_eq!(
        app.call("my_profile", &[], Some(&tampered), &[])
            .await
            .status,
        401
    );
    assert_eq!(
        app.call("my_profile", &[], Some("services-hub-session=forged"), &[])
            .await
            .status,
        401
    );
    // Idle too long.
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 3 * 60 * 60")
        .execute(app.state.db.pool())
        .await
        .expect("update");
    assert_eq!(
        app.call("my_profile", &[], Some(&cookie), &[]).await.status,
        401
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    // Past the absolute limit, however active.
    let cookie = app.signed_in("megan@contoso.com", "work").await;
    sqlx::query("UPDATE sessions SET created_at = created_at - 13 * 60 * 60")
        .execute(app.state.db.pool())
        .await
        .expect("update");
    assert_eq!(
        app.call("my_profile", &[], Some(&cookie), &[]).await.status,
        401
    );
    // A disabled account's sessions end at once.
    let cookie = app.signed_in("megan@contoso.com", "work").await;
    sqlx::query("UPDATE accounts SET disabled_at = 1 WHERE kind = 'work'")
        .execute(app.state.db.pool())
        .await
        .expect("update");
    assert_eq!(
        app.call("my_profile", &[], Some(&cookie), &[]).await.status,
        401
    );
});

on_both_engines!(phone_numbers_sign_in_too, |app| {
    app::accounts::service::create_account(
        &app.state,
        app::accounts::service::CreateAccount {
            kind: "personal",
            email: "pat@example.net",
            name: "Pat",
            phone: Some("+1 425 555 0100"),
            organization: None,
            password: PASSWORD,
        },
        app::auth::audit::Actor::CommandLine,
    )
    .await
    .expect("account");
    let response = app.sign_in("+1 (425) 555-0100", "personal", PASSWORD).await;
    assert_eq!(response.status, 200, "{}", response.body);
});

mod limits;
