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
    app.finish().await;
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

// Issue 9: what an outside probe found ----------------------------------------------------------

on_both_engines!(same_site_and_foreign_origins_are_refused, |app| {
    let cookie = megan(&app).await;
    let form = [
        ("display_name", "Mallory"),
        ("phone", ""),
        ("language", "en"),
        ("time_zone", "UTC"),
        ("notification_email", ""),
    ];
    // A sibling subdomain is "same-site" to the browser, yet another party.
    for headers in [
        &[
            ("sec-fetch-site", "same-site"),
            ("origin", "http://evil.127.0.0.1.nip.example:3000"),
        ][..],
        &[("sec-fetch-site", "same-site")][..],
        // The browser says same-origin, but the origin is not the configured base URL's.
        &[
            ("sec-fetch-site", "same-origin"),
            ("origin", "http://sibling.127.0.0.1:3000"),
        ][..],
        // No fetch metadata (an older browser): Origin is compared with the base URL, not Host.
        &[("origin", "http://evil.example"), ("host", "evil.example")][..],
        &[("origin", "null")][..],
    ] {
        let response = app
            .call("save_profile", &form, Some(&cookie), headers)
            .await;
        assert_eq!(response.status, 403, "{headers:?}: {}", response.body);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM accounts WHERE display_name = 'Mallory'")
            .await,
        0
    );
    // The page itself: same-origin, or Origin the base URL's with the default port spelled out
    // or not, whatever Host says.
    for headers in [
        &[
            ("sec-fetch-site", "same-origin"),
            ("origin", "http://127.0.0.1:3000"),
        ][..],
        &[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "internal:8080"),
        ][..],
        &[("sec-fetch-site", "none")][..],
    ] {
        let response = app
            .call("save_profile", &form, Some(&cookie), headers)
            .await;
        assert_eq!(response.status, 200, "{headers:?}: {}", response.body);
    }
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_way_back_after_sign_in_keeps_its_query() {
    let app = TestApp::new(Engine::Sqlite).await;
    megan(&app).await;
    let page = app.get("/activity?workspace=2&from=2026-01-01", None).await;
    assert_eq!(page.status, 302);
    assert_eq!(
        page.header("location"),
        Some("/sign-in?next=%2Factivity%3Fworkspace%3D2%26from%3D2026-01-01")
    );
    // Signing in from that page lands on the same address, query and all.
    let post = axum::http::Request::post("/api/sign_in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .body(axum::body::Body::from(
            "identifier=megan%40contoso.com&kind=work&password=correct%20horse%20battery\
             &next=%2Factivity%3Fworkspace%3D2%26from%3D2026-01-01",
        ))
        .expect("request");
    let signed_in = app.request(post).await;
    assert_eq!(signed_in.status, 302, "{}", signed_in.body);
    assert_eq!(
        signed_in.header("location"),
        Some("/activity?workspace=2&from=2026-01-01")
    );
    app.finish().await;
}

/// A server-function post with a body of the test's making.
fn raw_post(
    function: &str,
    cookie: &str,
    body: axum::body::Body,
    length: Option<usize>,
) -> axum::http::Request<axum::body::Body> {
    let mut builder = axum::http::Request::post(format!("/api/{function}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("cookie", cookie);
    if let Some(length) = length {
        builder = builder.header("content-length", length.to_string());
    }
    builder.body(body).expect("request")
}

on_both_engines!(
    oversized_cut_off_and_non_utf8_bodies_get_a_sentence,
    |app| {
        let cookie = megan(&app).await;
        let form = |name: &str| {
            format!("display_name={name}&phone=&language=en&time_zone=UTC&notification_email=")
        };
        // Over the limit, declared or streamed: 413 with a sentence.
        let big = form(&"M".repeat(3 * 1024 * 1024));
        for length in [Some(big.len()), None] {
            let response = app
                .request(raw_post(
                    "save_profile",
                    &cookie,
                    big.clone().into(),
                    length,
                ))
                .await;
            assert_eq!(response.status, 413, "{length:?}: {}", response.body);
            assert!(
                response.body.contains("larger than 1 MiB"),
                "{}",
                response.body
            );
        }
        // A form that is not UTF-8, raw or percent-encoded: 400 with a sentence.
        let mut latin1 = b"display_name=Jos".to_vec();
        latin1.extend_from_slice(&[0xE9]);
        latin1.extend_from_slice(b"&phone=&language=en&time_zone=UTC&notification_email=");
        for body in [latin1, form("Jos%E9").into_bytes()] {
            let response = app
                .request(raw_post("save_profile", &cookie, body.into(), None))
                .await;
            assert_eq!(response.status, 400, "{}", response.body);
            assert!(
                response.body.contains("not sent as UTF-8"),
                "{}",
                response.body
            );
        }
        // A body that stops short: 400, saying so.
        let chunks: Vec<Result<String, std::io::Error>> = vec![
            Ok("display_name=Mallo".to_owned()),
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "reset",
            )),
        ];
        let cut = axum::body::Body::from_stream(futures::stream::iter(chunks));
        let response = app
            .request(raw_post("save_profile", &cookie, cut, None))
            .await;
        assert_eq!(response.status, 400, "{}", response.body);
        assert!(
            response.body.contains("stopped before all of it arrived"),
            "{}",
            response.body
        );
        // None of them changed anything; a good form still passes.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM accounts WHERE display_name <> 'Megan Bowen'")
                .await,
            0
        );
        let fine = app
            .request(raw_post(
                "save_profile",
                &cookie,
                form("Zo%C3%AB").into(),
                None,
            ))
            .await;
        assert_eq!(fine.status, 200, "{}", fine.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM accounts WHERE display_name = 'Zoë'")
                .await,
            1
        );
    }
);

on_both_engines!(a_phone_number_signs_in_to_its_one_account, |app| {
    let cookie = megan(&app).await;
    let pat = |kind: &'static str, email: &'static str| app::accounts::service::CreateAccount {
        kind,
        email,
        name: "Pat",
        phone: Some("+1 425 555 0100"),
        organization: None,
        password: PASSWORD,
    };
    app::accounts::service::create_account(
        &app.state,
        pat("personal", "pat@example.net"),
        app::auth::audit::Actor::CommandLine,
    )
    .await
    .expect("pat");
    // Megan (a work account) cannot put Pat's number on her profile …
    let form = [
        ("display_name", "Megan Bowen"),
        ("phone", "+1 (425) 555-0100"),
        ("language", "en"),
        ("time_zone", "UTC"),
        ("notification_email", ""),
    ];
    let taken = app.call("save_profile", &form, Some(&cookie), &[]).await;
    assert_eq!(taken.status, 422, "{}", taken.body);
    assert!(
        taken.body.contains("already used by another account"),
        "{}",
        taken.body
    );
    // … nor can an operator create a work account with it …
    app.create_organization("Fabrikam", "fabrikam.com").await;
    let refused = app::accounts::service::create_account(
        &app.state,
        app::accounts::service::CreateAccount {
            organization: Some("Fabrikam"),
            ..pat("work", "pat@fabrikam.com")
        },
        app::auth::audit::Actor::CommandLine,
    )
    .await
    .expect_err("the number is Pat's");
    assert_eq!(
        refused.field_message("phone").as_deref(),
        Some("This phone number is already used by another account.")
    );
    // … so the number offers exactly Pat's account, and the database holds it once.
    let options = app
        .call(
            "sign_in_options",
            &[("identifier", "+1 425 555 0100")],
            None,
            &[],
        )
        .await;
    assert_eq!(options.status, 200, "{}", options.body);
    assert!(
        options.body.contains("\"kinds\":[\"personal\"]"),
        "{}",
        options.body
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM accounts WHERE phone IS NOT NULL")
            .await,
        1
    );
    // Parallel saves of one number by two accounts: one wins, the other gets the field message.
    app.create_account("work", "alex@contoso.com", "Alex").await;
    let alex = app.signed_in("alex@contoso.com", "work").await;
    let with_phone = |name: &'static str| {
        [
            ("display_name", name),
            ("phone", "+1 425 555 0199"),
            ("language", "en"),
            ("time_zone", "UTC"),
            ("notification_email", ""),
        ]
    };
    let (megan_form, alex_form) = (with_phone("Megan Bowen"), with_phone("Alex"));
    let (first, second) = tokio::join!(
        app.call("save_profile", &megan_form, Some(&cookie), &[]),
        app.call("save_profile", &alex_form, Some(&alex), &[]),
    );
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [200, 422], "{} / {}", first.body, second.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM accounts WHERE phone = '+14255550199'")
            .await,
        1
    );
});
