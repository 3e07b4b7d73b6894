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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_address_limit_answers_429() {
    let app = TestApp::with_config(crate::common::Engine::Sqlite, |config| {
        config.sign_in_attempts_per_minute = 3;
    })
    .await;
    for _ in 0..3 {
        assert_eq!(
            app.sign_in("nobody@example.org", "personal", "whatever12")
                .await
                .status,
            422
        );
    }
    let limited = app
        .sign_in("nobody@example.org", "personal", "whatever12")
        .await;
    assert_eq!(limited.status, 429);
    assert!(limited.body.contains("TooManyRequests"), "{}", limited.body);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_sign_ins_does_not_stall_the_health_probe() {
    let app = TestApp::new(crate::common::Engine::Sqlite).await;
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let burst: Vec<_> = (0..100)
        .map(|i| {
            let app = app.clone();
            let finished = finished.clone();
            tokio::spawn(async move {
                let email = format!("nobody{i}@example.org");
                app.sign_in(&email, "personal", "wrong password").await;
                finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            })
        })
        .collect();
    tokio::task::yield_now().await;
    // Hashing waits behind its semaphore on the blocking pool; the probe runs on the async
    // threads and answers while most of the burst is still queued.
    let health = app
        .request(
            axum::http::Request::get("/healthz")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(health.status, 200);
    assert!(
        finished.load(std::sync::atomic::Ordering::SeqCst) < 100,
        "the probe answered only after the burst"
    );
    for task in burst {
        task.await.expect("sign-in task");
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    // Without a trusted proxy the header is ignored: every "client" shares the peer's limit.
    let direct = TestApp::with_config(crate::common::Engine::Sqlite, |config| {
        config.sign_in_attempts_per_minute = 2;
    })
    .await;
    let attempt = |app: TestApp, forwarded: &'static str| async move {
        app.call(
            "sign_in",
            &[
                ("identifier", "nobody@example.org"),
                ("kind", "personal"),
                ("password", "whatever12"),
            ],
            None,
            &[("x-forwarded-for", forwarded)],
        )
        .await
        .status
    };
    assert_eq!(attempt(direct.clone(), "10.0.0.1").await, 422);
    assert_eq!(attempt(direct.clone(), "10.0.0.2").await, 422);
    assert_eq!(attempt(direct.clone(), "10.0.0.3").await, 429);
    direct.finish().await;

    // Behind a trusted proxy (the test router's peer is 127.0.0.1) each client has its own.
    let proxied = TestApp::with_config(crate::common::Engine::Sqlite, |config| {
        config.sign_in_attempts_per_minute = 2;
        config.trusted_proxies = vec![[127, 0, 0, 1].into()];
    })
    .await;
    assert_eq!(attempt(proxied.clone(), "10.0.0.1").await, 422);
    assert_eq!(attempt(proxied.clone(), "10.0.0.1").await, 422);
    assert_eq!(attempt(proxied.clone(), "10.0.0.1").await, 429);
    // The last hop is the one the proxy saw; what the client put before it is not trusted.
    assert_eq!(attempt(proxied.clone(), "10.0.0.1, 10.0.0.2").await, 422);
    proxied.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_kind_lookups_are_limited_per_address() {
    let app = TestApp::with_config(crate::common::Engine::Sqlite, |config| {
        config.sign_in_attempts_per_minute = 3;
    })
    .await;
    let lookup = || {
        app.call(
            "sign_in_options",
            &[("identifier", "megan@contoso.com")],
            None,
            &[],
        )
    };
    for _ in 0..3 {
        let allowed = lookup().await;
        assert_eq!(allowed.status, 200, "{}", allowed.body);
    }
    let limited = lookup().await;
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert!(limited.body.contains("TooManyRequests"), "{}", limited.body);
    // The page that asks it (without JavaScript) says so too.
    let page = app
        .get("/sign-in?identifier=megan%40contoso.com", None)
        .await;
    assert!(page.body.contains("Too many attempts"), "{}", page.body);
    // Looking up kinds spends no sign-in attempts of its own: signing in still gets its answer.
    assert_eq!(
        app.sign_in("nobody@example.org", "personal", "whatever12")
            .await
            .status,
        422
    );
    app.finish().await;
}
