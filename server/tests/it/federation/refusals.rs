//! What the callback refuses: a tampered nonce, a token that has expired, a directory that names
//! another issuer, a callback without its browser's cookie, a replayed code — and the same
//! address from another issuer, which is another identity, never the linked account.

use super::*;

on_both_engines!(
    a_wrong_nonce_an_expired_token_and_a_stolen_callback_are_refused,
    |app| {
        let provider = Provider::start(&[]);
        let n = northwind(&app).await;
        configure(&app, &n, &provider.issuer, true).await;
        switch(&app, &n, "on").await;

        // The nonce the login expects is not the one the directory put in the ID token.
        let returned = log_in_at_directory(
            &provider,
            &start(&app, "alice@northwind.example").await,
            "alice",
        )
        .await;
        app.exec("UPDATE federation_logins SET nonce = 'not-the-nonce-that-was-sent'")
            .await;
        refused_with(
            &app.get(&returned.callback, Some(&returned.cookie)).await,
            "refused",
        );

        // A callback URL opened in another browser (no cookie, or another login's): refused, and
        // the login stays unusable.
        let returned = log_in_at_directory(
            &provider,
            &start(&app, "alice@northwind.example").await,
            "alice",
        )
        .await;
        refused_with(&app.get(&returned.callback, None).await, "expired");
        refused_with(
            &app.get(
                &returned.callback,
                Some("services-hub-federation=someone-elses-state"),
            )
            .await,
            "expired",
        );
        // A login older than ten minutes has expired.
        app.exec("UPDATE federation_logins SET expires_at = 1")
            .await;
        refused_with(
            &app.get(&returned.callback, Some(&returned.cookie)).await,
            "expired",
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM federated_identities").await,
            0
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM sessions").await,
            1,
            "only Nadia's"
        );

        // A directory whose clock is two hours behind signs tokens that expired long ago.
        let late = Provider::start(&["--clock-offset", "-7200"]);
        configure(&app, &n, &late.issuer, true).await;
        refused_with(
            &sign_in_through(&app, &late, "alice@northwind.example", "alice").await,
            "refused",
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
        // Test sign-in says why: the token had expired.
        let returned = log_in_at_directory(
            &late,
            &start_test(&app, &n.admin, n.domain_id).await,
            "alice",
        )
        .await;
        assert_eq!(
            app.get(&returned.callback, Some(&returned.cookie))
                .await
                .status,
            303
        );
        let page = app.call("federation_data", &[], Some(&n.admin), &[]).await;
        let data: app::federation::FederationSettings =
            serde_json::from_str(&page.body).expect("data");
        let error = data.domains[0]
            .last_test
            .clone()
            .and_then(|t| t.error)
            .expect("an error");
        assert!(error.to_lowercase().contains("expired"), "{error}");
        let _ = provider;
    }
);

on_both_engines!(a_directory_naming_another_issuer_is_refused, |app| {
    // Reached at its own address, it says it is http://127.0.0.1:9 (in discovery and tokens).
    let impostor = Provider::start(&["--issuer", "http://127.0.0.1:9"]);
    assert_eq!(impostor.issuer, "http://127.0.0.1:9");
    let n = northwind(&app).await;
    configure(&app, &n, &impostor.url, true).await;
    switch(&app, &n, "on").await;
    let refused = start(&app, "alice@northwind.example").await;
    refused_with(&refused, "unreachable");
    assert_eq!(app.count("SELECT COUNT(*) FROM federation_logins").await, 0);
    // Test sign-in tells the administrator why.
    let tested = start_test(&app, &n.admin, n.domain_id).await;
    assert_eq!(tested.status, 303, "{}", tested.body);
    let page = app.call("federation_data", &[], Some(&n.admin), &[]).await;
    let data: app::federation::FederationSettings = serde_json::from_str(&page.body).expect("data");
    let error = data.domains[0]
        .last_test
        .clone()
        .and_then(|t| t.error)
        .expect("an error");
    assert!(
        error.contains("could not be used") && error.contains("issuer"),
        "{error}"
    );
});

on_both_engines!(
    the_same_address_from_another_issuer_is_another_identity,
    |app| {
        let first = Provider::start(&[]);
        let second = Provider::start(&[]);
        assert_ne!(first.issuer, second.issuer);
        let n = northwind(&app).await;
        configure(&app, &n, &first.issuer, true).await;
        switch(&app, &n, "on").await;
        let returned = log_in_at_directory(
            &first,
            &start(&app, "alice@northwind.example").await,
            "alice",
        )
        .await;
        let landed = app.get(&returned.callback, Some(&returned.cookie)).await;
        assert!(landed.session_cookie().is_some());
        let alice = app
            .count("SELECT id FROM accounts WHERE email_canonical = 'alice@northwind.example'")
            .await;

        // The domain now points at another directory with a user of the same address and subject:
        // it is not Alice's account, and nothing is linked to it.
        configure(&app, &n, &second.issuer, true).await;
        refused_with(
            &sign_in_through(&app, &second, "alice@northwind.example", "alice").await,
            "account_exists",
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM federated_identities").await,
            1
        );
        assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM federated_identities WHERE account_id = {alice} AND issuer = '{}'",
            first.issuer
        ))
        .await,
        1
    );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM accounts WHERE email_canonical = 'alice@northwind.example'"
            )
            .await,
            1
        );

        // Back on the first directory Alice signs in as before; disabled, she is refused.
        configure(&app, &n, &first.issuer, true).await;
        app.exec(&format!(
            "UPDATE accounts SET disabled_at = 1 WHERE id = {alice}"
        ))
        .await;
        refused_with(
            &sign_in_through(&app, &first, "alice@northwind.example", "alice").await,
            "disabled",
        );
    }
);
