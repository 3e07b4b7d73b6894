//! The good paths: a first sign-in creates and links the account, the next finds it by
//! (issuer, subject); an existing account is linked when the directory vouches for its address;
//! Test sign-in shows the claims and changes nothing; the secret is sealed; and the password of
//! a federated domain is kept for its Global Administrators only.

use super::*;

on_both_engines!(a_directory_user_signs_in_as_the_right_account, |app| {
    let provider = Provider::start(&[]);
    let n = northwind(&app).await;
    configure(&app, &n, &provider.issuer, true).await;

    // Switched off: the start sends the address back to the password sign-in.
    let off = start(&app, "alice@northwind.example").await;
    assert_eq!(
        off.header("location"),
        Some("/sign-in?identifier=alice%40northwind.example")
    );
    switch(&app, &n, "on").await;
    let directory = app
        .call(
            "directory_for",
            &[("identifier", "Alice@Northwind.example")],
            None,
            &[],
        )
        .await;
    assert_eq!(directory.body, "true");
    let other = app
        .call(
            "directory_for",
            &[("identifier", "a@contoso.com")],
            None,
            &[],
        )
        .await;
    assert_eq!(other.body, "false");

    let returned = log_in_at_directory(
        &provider,
        &start(&app, "alice@northwind.example").await,
        "alice",
    )
    .await;
    let landed = app.get(&returned.callback, Some(&returned.cookie)).await;
    assert_eq!(landed.status, 303, "{}", landed.body);
    assert_eq!(landed.header("location"), Some("/profile"));
    let session = landed.session_cookie().expect("a session");
    assert_eq!(
        signed_in_as(&app, &session).await,
        "alice@northwind.example"
    );
    let alice = app
        .count("SELECT id FROM accounts WHERE email_canonical = 'alice@northwind.example' AND kind = 'work'")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT organization_id FROM accounts WHERE id = {alice}"
        ))
        .await,
        n.id
    );
    assert_eq!(
        app.count(&format!(
            "SELECT account_id FROM federated_identities WHERE issuer = '{}' AND subject = 'alice'",
            provider.issuer
        ))
        .await,
        alice
    );
    // No password signs the new account in.
    let password = app
        .sign_in("alice@northwind.example", "work", crate::common::PASSWORD)
        .await;
    assert_ne!(password.status, 200, "{}", password.body);

    // The same code again: refused, whoever holds the URL.
    let replay = app.get(&returned.callback, Some(&returned.cookie)).await;
    refused_with(&replay, "expired");

    // The next sign-in finds the same account by (issuer, subject).
    let again = log_in_at_directory(
        &provider,
        &start(&app, "alice@northwind.example").await,
        "alice",
    )
    .await;
    let landed = app.get(&again.callback, Some(&again.cookie)).await;
    let session = landed.session_cookie().expect("a session");
    assert_eq!(
        signed_in_as(&app, &session).await,
        "alice@northwind.example"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM accounts WHERE email_canonical = 'alice@northwind.example'"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM federated_identities").await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM federation_logins").await, 0);
    assert!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'federation.link'")
            .await
            == 1
    );
});

on_both_engines!(
    an_existing_account_is_linked_only_when_the_directory_vouches,
    |app| {
        let provider = Provider::start(&[]);
        let n = northwind(&app).await;
        let bob = app
            .create_account("work", "bob@northwind.example", "Bob Password")
            .await;
        app.create_account("work", "unverified@northwind.example", "Una")
            .await;
        configure(&app, &n, &provider.issuer, false).await;
        switch(&app, &n, "on").await;

        let returned = log_in_at_directory(
            &provider,
            &start(&app, "bob@northwind.example").await,
            "bob",
        )
        .await;
        let landed = app.get(&returned.callback, Some(&returned.cookie)).await;
        let session = landed.session_cookie().expect("bob is signed in");
        assert_eq!(signed_in_as(&app, &session).await, "bob@northwind.example");
        assert_eq!(
            app.count("SELECT account_id FROM federated_identities WHERE subject = 'bob'")
                .await,
            bob
        );
        // The password of a federated domain no longer signs Bob in; Nadia (Global
        // Administrator) keeps hers as the way back in.
        let password = app
            .sign_in("bob@northwind.example", "work", crate::common::PASSWORD)
            .await;
        assert_eq!(password.status, 403, "{}", password.body);
        assert!(password.body.contains("directory"), "{}", password.body);
        let nadia = app
            .sign_in("nadia@northwind.example", "work", crate::common::PASSWORD)
            .await;
        assert_eq!(nadia.status, 200, "{}", nadia.body);

        // "Sign in" offers the directory to an address of the domain, and the password only on
        // request (a Global Administrator's way back in); a refusal is worded on the page.
        let page = app
            .get("/sign-in?identifier=bob%40northwind.example", None)
            .await;
        assert!(
            page.body
                .contains("Sign in with your organization&#x27;s directory")
                || page
                    .body
                    .contains("Sign in with your organization's directory"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("/federation/start?email=bob%40northwind.example"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("current-password"), "{}", page.body);
        let page = app
            .get(
                "/sign-in?identifier=nadia%40northwind.example&kind=work&password=1",
                None,
            )
            .await;
        assert!(page.body.contains("current-password"), "{}", page.body);
        let page = app.get("/sign-in?federation_error=no_account", None).await;
        assert!(
            page.body.contains("does not create accounts at sign-in"),
            "{}",
            page.body
        );

        // email_verified false: an existing account is not linked on the directory's word.
        refused_with(
            &sign_in_through(
                &app,
                &provider,
                "unverified@northwind.example",
                "unverified",
            )
            .await,
            "account_exists",
        );
        // Accounts are not created here: someone new is refused with a sentence.
        refused_with(
            &sign_in_through(&app, &provider, "alice@northwind.example", "alice").await,
            "no_account",
        );
        // An address outside the federated domain is refused, whatever the directory says.
        refused_with(
            &sign_in_through(&app, &provider, "nadia@northwind.example", "carol").await,
            "outside_domain",
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM federated_identities").await,
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM accounts WHERE email_canonical LIKE 'alice%'")
                .await,
            0
        );
        let _ = n.nadia;
    }
);

on_both_engines!(test_sign_in_shows_the_claims_and_changes_nothing, |app| {
    let provider = Provider::start(&[]);
    let n = northwind(&app).await;
    configure(&app, &n, &provider.issuer, true).await;
    let begun = start_test(&app, &n.admin, n.domain_id).await;
    let returned = log_in_at_directory(&provider, &begun, "alice").await;
    let back = app.get(&returned.callback, Some(&returned.cookie)).await;
    assert_eq!(back.status, 303, "{}", back.body);
    assert_eq!(
        back.header("location"),
        Some(format!("/organization/federation?tested={}", n.domain_id).as_str())
    );
    assert!(back.session_cookie().is_none(), "a test starts no session");
    let page = app.call("federation_data", &[], Some(&n.admin), &[]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let data: app::federation::FederationSettings = serde_json::from_str(&page.body).expect("data");
    let test = data.domains[0].last_test.clone().expect("a test result");
    assert_eq!(test.error, None);
    let claims: Vec<(&str, &str)> = test
        .claims
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert!(
        claims.contains(&("Issuer", provider.issuer.as_str())),
        "{claims:?}"
    );
    assert!(claims.contains(&("Subject", "alice")), "{claims:?}");
    assert!(
        claims.contains(&("Email", "alice@northwind.example")),
        "{claims:?}"
    );
    assert!(claims.contains(&("Name", "Alice Directory")), "{claims:?}");
    assert_eq!(data.callback_url, CALLBACK);
    // Nothing switched on, nothing linked, nobody created.
    assert!(!data.domains[0].enabled);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM federations WHERE enabled_at IS NOT NULL")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM federated_identities").await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM accounts WHERE email_canonical = 'alice@northwind.example'"
        )
        .await,
        0
    );
    // The rendered page shows them to the administrator.
    let html = app
        .get(
            &format!("/organization/federation?tested={}", n.domain_id),
            Some(&n.admin),
        )
        .await;
    assert_eq!(html.status, 200);
    assert!(
        html.body.contains("alice@northwind.example"),
        "{}",
        html.body
    );
});

on_both_engines!(the_client_secret_is_sealed_and_never_shown, |app| {
    let provider = Provider::start(&[]);
    let n = northwind(&app).await;
    configure(&app, &n, &provider.issuer, true).await;
    let pattern = format!("%{CLIENT_SECRET}%");
    for table in ["federations", "audit_log"] {
        let rows: Vec<String> = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(app.state.db.pool())
            .await
            .expect("rows")
            .iter()
            .map(|row| {
                use sqlx::Row;
                (0..row.len())
                    .map(|i| {
                        row.try_get::<Option<String>, _>(i)
                            .ok()
                            .flatten()
                            .unwrap_or_default()
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        assert!(!rows.is_empty());
        assert!(
            rows.iter().all(|r| !r.contains(CLIENT_SECRET)),
            "{table}: {rows:?}"
        );
    }
    let sealed: String = {
        use sqlx::Row;
        sqlx::query("SELECT secret_sealed FROM federations")
            .fetch_one(app.state.db.pool())
            .await
            .expect("row")
            .try_get("secret_sealed")
            .expect("text")
    };
    assert!(sealed.starts_with("v1:") && !sealed.contains(CLIENT_SECRET));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM federations WHERE secret_sealed LIKE '{pattern}'"
        ))
        .await,
        0
    );
    let page = app.call("federation_data", &[], Some(&n.admin), &[]).await;
    assert!(!page.body.contains(CLIENT_SECRET));
    let html = app.get("/organization/federation", Some(&n.admin)).await;
    assert!(!html.body.contains(CLIENT_SECRET));
    assert!(html.body.contains("A secret is saved"), "{}", html.body);
    // Saving again without a secret keeps the sealed one: sign-in still works.
    let domain_id = n.domain_id.to_string();
    let kept = app
        .call(
            "save_federation",
            &[
                ("domain_id", &domain_id),
                ("issuer", &provider.issuer),
                ("client_id", CLIENT_ID),
                ("client_secret", ""),
            ],
            Some(&n.admin),
            &[],
        )
        .await;
    assert_eq!(kept.status, 200, "{}", kept.body);
    switch(&app, &n, "on").await;
    let returned = log_in_at_directory(
        &provider,
        &start(&app, "nadia@northwind.example").await,
        "nadia",
    )
    .await;
    let landed = app.get(&returned.callback, Some(&returned.cookie)).await;
    assert!(landed.session_cookie().is_some(), "{:?}", landed.headers);
});
