//! Issue 9: what an outside probe found.

use super::*;

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
