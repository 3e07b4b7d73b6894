//! Pages, profile and the security layers over HTTP against the real router.

use crate::common::{Engine, TestApp, PASSWORD};

async fn megan(app: &TestApp) -> String {
    app.create_organization("Contoso", "contoso.com").await;
    app.create_account("work", "megan@contoso.com", "Megan Bowen")
        .await;
    app.signed_in("megan@contoso.com", "work").await
}

on_both_engines!(profile_changes_persist, |app| {
    let cookie = megan(&app).await;
    let form = [
        ("display_name", "Megan B."),
        ("phone", "+49 30 1234567"),
        ("language", "de"),
        ("time_zone", "Europe/Berlin"),
        ("notification_email", "Megan.Notices@Example.ORG"),
    ];
    let saved = app.call("save_profile", &form, Some(&cookie), &[]).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let profile = app.call("my_profile", &[], Some(&cookie), &[]).await;
    for expected in [
        "Megan B.",
        "+49301234567",
        "\"de\"",
        "Europe/Berlin",
        "Megan.Notices@example.org",
    ] {
        assert!(
            profile.body.contains(expected),
            "{expected}: {}",
            profile.body
        );
    }
    // The sign-in email is not part of the profile form and stays as it was.
    assert!(
        profile.body.contains("\"email\":\"megan@contoso.com\""),
        "{}",
        profile.body
    );
    // The page renders the saved values on the server.
    let page = app.get("/profile", Some(&cookie)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("value=\"Megan B.\""), "{}", page.body);
    assert!(page.body.contains("Megan B."));
});

on_both_engines!(bad_profile_input_is_refused_at_the_field, |app| {
    let cookie = megan(&app).await;
    let long_name = "n".repeat(201);
    let cases = [
        ("notification_email", "nope", "valid email address"),
        ("display_name", "", "Enter a name."),
        ("display_name", long_name.as_str(), "at most 200 characters"),
        ("phone", "12", "country code"),
        ("language", "xx", "offered languages"),
        ("time_zone", "Mars/Olympus", "offered time zones"),
    ];
    for (field, value, message) in cases {
        let mut form = vec![
            ("display_name", "Megan Bowen"),
            ("phone", ""),
            ("language", "en"),
            ("time_zone", "UTC"),
            ("notification_email", ""),
        ];
        for entry in form.iter_mut() {
            if entry.0 == field {
                entry.1 = value;
            }
        }
        let response = app.call("save_profile", &form, Some(&cookie), &[]).await;
        assert_eq!(response.status, 422, "{field}: {}", response.body);
        assert!(
            response.body.contains(field) && response.body.contains(message),
            "{field}: {}",
            response.body
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM accounts WHERE display_name = 'Megan Bowen' AND notification_email IS NULL AND phone IS NULL").await,
        1
    );
});

on_both_engines!(signed_out_callers_are_refused_and_sent_to_sign_in, |app| {
    megan(&app).await;
    let call = app
        .call(
            "save_profile",
            &[
                ("display_name", "Mallory"),
                ("phone", ""),
                ("language", "en"),
                ("time_zone", "UTC"),
                ("notification_email", ""),
            ],
            None,
            &[],
        )
        .await;
    assert_eq!(call.status, 401);
    assert_eq!(app.call("my_profile", &[], None, &[]).await.status, 401);
    let page = app.get("/profile", None).await;
    assert_eq!(page.status, 302);
    assert_eq!(page.header("location"), Some("/sign-in?next=%2Fprofile"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM accounts WHERE display_name = 'Mallory'")
            .await,
        0
    );
});

on_both_engines!(cross_site_posts_are_refused_and_change_nothing, |app| {
    let cookie = megan(&app).await;
    let form = [
        ("display_name", "Mallory"),
        ("phone", ""),
        ("language", "en"),
        ("time_zone", "UTC"),
        ("notification_email", ""),
    ];
    let cross_site = app
        .call(
            "save_profile",
            &form,
            Some(&cookie),
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(cross_site.status, 403);
    let foreign_origin = app
        .call(
            "save_profile",
            &form,
            Some(&cookie),
            &[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000"),
            ],
        )
        .await;
    assert_eq!(foreign_origin.status, 403);
    let sign_in = app
        .call(
            "sign_in",
            &[
                ("identifier", "megan@contoso.com"),
                ("kind", "work"),
                ("password", PASSWORD),
            ],
            None,
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(sign_in.status, 403);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM accounts WHERE display_name = 'Mallory'")
            .await,
        0
    );
    // The same request from the page itself passes.
    let same_site = app
        .call(
            "save_profile",
            &form,
            Some(&cookie),
            &[
                ("sec-fetch-site", "same-origin"),
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000"),
            ],
        )
        .await;
    assert_eq!(same_site.status, 200, "{}", same_site.body);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_state_changes_over_get() {
    let app = TestApp::new(Engine::Sqlite).await;
    let response = app.get("/api/sign_out", None).await;
    assert_eq!(response.status, 405);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_the_security_headers() {
    let app = TestApp::new(Engine::Sqlite).await;
    let page = app.get("/sign-in", None).await;
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy").expect("csp");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("nonce in the policy");
    assert!(
        page.body.contains(&format!("nonce=\"{nonce}\"")),
        "inline scripts carry the nonce"
    );
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "'wasm-unsafe-eval'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("referrer-policy"), Some("same-origin"));
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert!(
        page.header("strict-transport-security").is_none(),
        "no HSTS over plain HTTP"
    );
    // A second page gets a fresh nonce.
    let again = app.get("/sign-in", None).await;
    assert_ne!(again.header("content-security-policy"), Some(csp));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_tls_cookies_are_secure_and_host_prefixed() {
    let app = TestApp::with_config(Engine::Sqlite, |config| {
        *config = app::state::Config::new("https://hub.example".to_owned(), vec![]);
    })
    .await;
    app.create_organization("Contoso", "contoso.com").await;
    app.create_account("work", "megan@contoso.com", "Megan Bowen")
        .await;
    let response = app.sign_in("megan@contoso.com", "work", PASSWORD).await;
    let cookie = response.header("set-cookie").expect("cookie");
    assert!(
        cookie.starts_with("__Host-services-hub-session="),
        "{cookie}"
    );
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain="), "{cookie}");
    let page = app.get("/sign-in", None).await;
    assert!(page.header("strict-transport-security").is_some());
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_failures_show_a_reference_never_database_text() {
    let app = TestApp::new(Engine::Sqlite).await;
    sqlx::query("DROP TABLE sessions")
        .execute(app.state.db.pool())
        .await
        .expect("drop");
    sqlx::query("DROP TABLE audit_log")
        .execute(app.state.db.pool())
        .await
        .expect("drop");
    sqlx::query("DROP TABLE accounts")
        .execute(app.state.db.pool())
        .await
        .expect("drop");
    let response = app.sign_in("megan@contoso.com", "work", PASSWORD).await;
    assert_eq!(response.status, 500);
    assert!(response.body.contains("Internal"), "{}", response.body);
    for leak in ["no such table", "accounts", "sqlx", "SELECT"] {
        assert!(
            !response.body.contains(leak),
            "{leak} leaked: {}",
            response.body
        );
    }
    let page = app
        .get("/sign-in?identifier=megan%40contoso.com", None)
        .await;
    assert!(
        page.body.contains("Something went wrong on our side"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("no such table"));
    // Not `finish`: its roster check needs the tables this test dropped.
    app.state.db.pool().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_page_walks_through_the_steps_without_javascript() {
    let app = TestApp::new(Engine::Sqlite).await;
    app.create_organization("Contoso", "contoso.com").await;
    app.create_account("work", "megan@contoso.com", "Megan Bowen")
        .await;
    app.create_account("personal", "megan@contoso.com", "Megan Personal")
        .await;
    let first = app.get("/sign-in?next=%2Fprofile", None).await;
    assert!(first.body.contains("Email address or phone number"));
    let chooser = app
        .get(
            "/sign-in?identifier=megan%40contoso.com&next=%2Fprofile",
            None,
        )
        .await;
    assert!(chooser.body.contains("more than one account"));
    assert!(
        chooser.body.contains("Work or school account")
            && chooser.body.contains("Personal account")
    );
    let password = app
        .get(
            "/sign-in?identifier=megan%40contoso.com&kind=personal&next=%2Fprofile",
            None,
        )
        .await;
    assert!(
        password.body.contains("for=\"field-password\""),
        "{}",
        password.body
    );
    assert!(password.body.contains("Personal account"));
    let invalid = app.get("/sign-in?identifier=nope", None).await;
    assert!(
        invalid.body.contains("valid email address or phone number"),
        "{}",
        invalid.body
    );

    // A plain form post: a redirect to `next` with the cookie on success …
    let post = |password: &'static str| {
        axum::http::Request::post("/api/sign_in")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header(
                "referer",
                "http://127.0.0.1:3000/sign-in?identifier=megan%40contoso.com&kind=work",
            )
            .body(axum::body::Body::from(format!(
                "identifier=megan%40contoso.com&kind=work&next=%2Fprofile&password={password}"
            )))
            .expect("request")
    };
    let ok = app.request(post("correct%20horse%20battery")).await;
    assert_eq!(ok.status, 302);
    assert_eq!(ok.header("location"), Some("/profile"));
    assert!(ok.session_cookie().is_some());
    // … and back to the form with the error in the URL on failure, which the page shows.
    let failed = app.request(post("wrong")).await;
    assert_eq!(failed.status, 302);
    let location = failed.header("location").expect("location").to_owned();
    assert!(location.contains("__err="), "{location}");
    let path = location.trim_start_matches("http://127.0.0.1:3000");
    let shown = app.get(path, None).await;
    assert!(
        shown.body.contains("Your email or password is incorrect."),
        "{}",
        shown.body
    );
    app.finish().await;
}

on_both_engines!(changing_the_password_ends_the_other_sessions, |app| {
    let here = megan(&app).await;
    let elsewhere = app.signed_in("megan@contoso.com", "work").await;
    let change = |current: &'static str, new: &'static str| {
        let app = app.clone();
        let here = here.clone();
        async move {
            app.call(
                "change_password",
                &[("current_password", current), ("new_password", new)],
                Some(&here),
                &[],
            )
            .await
        }
    };
    let wrong = change("not my password", "a brand new passphrase").await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("current_password"), "{}", wrong.body);
    let common = change(PASSWORD, "password123").await;
    assert!(common.body.contains("too common"), "{}", common.body);
    let same = change(PASSWORD, PASSWORD).await;
    assert!(
        same.body.contains("different from the current one"),
        "{}",
        same.body
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions").await,
        2,
        "nothing changed yet"
    );

    let changed = change(PASSWORD, "a brand new passphrase").await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(
        app.call("my_profile", &[], Some(&elsewhere), &[])
            .await
            .status,
        401
    );
    assert_eq!(
        app.call("my_profile", &[], Some(&here), &[]).await.status,
        200
    );
    assert_eq!(
        app.sign_in("megan@contoso.com", "work", PASSWORD)
            .await
            .status,
        422
    );
    assert_eq!(
        app.sign_in("megan@contoso.com", "work", "a brand new passphrase")
            .await
            .status,
        200
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'account.password_change'")
            .await,
        1
    );
    // Signed out, nobody changes anything.
    let anonymous = app
        .call(
            "change_password",
            &[
                ("current_password", "x"),
                ("new_password", "another passphrase"),
            ],
            None,
            &[],
        )
        .await;
    assert_eq!(anonymous.status, 401);
});

mod probe;
mod site;
