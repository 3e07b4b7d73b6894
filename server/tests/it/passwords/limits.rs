//! The limits of "Forgot your password?" (per address asked for, per client) and the federated
//! domain, whose work accounts reset their password in their directory.

use super::{forgot, redirect};
use crate::common::TestApp;

fn behind_proxy(config: &mut app::state::Config) {
    config.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
}

on_both_engines!(
    past_five_an_hour_an_address_gets_the_same_answer_and_no_mail,
    config = behind_proxy,
    |app| {
        app.create_account("personal", "pat@home.example", "Pat Doe")
            .await;
        let mut answers = Vec::new();
        // From different clients: the address's own limit holds whoever asks.
        for i in 1..=7 {
            let client = format!("10.0.0.{i}");
            let answer = forgot(&app, "pat@home.example", &[("x-forwarded-for", &client)]).await;
            assert_eq!(answer.status, 200, "{}", answer.body);
            answers.push((answer.body.clone(), redirect(&answer)));
        }
        assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
        assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 5);
        assert_eq!(app.count("SELECT COUNT(*) FROM password_tokens").await, 5);
    }
);

on_both_engines!(
    past_twenty_an_hour_a_client_is_told_to_wait,
    config = behind_proxy,
    |app| {
        let busy = [("x-forwarded-for", "10.9.9.9")];
        for i in 0..20 {
            let answer = forgot(&app, &format!("someone{i}@home.example"), &busy).await;
            assert_eq!(answer.status, 200, "{}", answer.body);
        }
        let refused = forgot(&app, "someone@home.example", &busy).await;
        assert_eq!(refused.status, 429, "{}", refused.body);
        // Another client is not held up by this one.
        let other = forgot(
            &app,
            "someone@home.example",
            &[("x-forwarded-for", "10.9.9.10")],
        )
        .await;
        assert_eq!(other.status, 200, "{}", other.body);
    }
);

/// Contoso with contoso.com verified and federated; Megan a user, Ada a Global Administrator.
async fn federated(app: &TestApp) -> (i64, i64) {
    let org = app.create_organization("Contoso", "contoso.com").await;
    let megan = app
        .create_account("work", "megan@contoso.com", "Megan Bowen")
        .await;
    let ada = app
        .create_account("work", "ada@contoso.com", "Ada Admin")
        .await;
    app.exec(&format!(
        "INSERT INTO organization_roles (account_id, organization_id, role, created_at) \
         VALUES ({ada}, {org}, 'global', 1)"
    ))
    .await;
    app.exec("UPDATE organization_domains SET verified_at = 1 WHERE domain = 'contoso.com'")
        .await;
    app.exec(&format!(
        "INSERT INTO federations (organization_id, domain_id, issuer, client_id, secret_sealed, \
         enabled_at, created_at, updated_at) \
         SELECT {org}, id, 'https://login.contoso.com', 'hub', 'sealed', 1, 1, 1 \
         FROM organization_domains WHERE domain = 'contoso.com'"
    ))
    .await;
    (megan, ada)
}

on_both_engines!(a_federated_address_is_sent_to_its_directory, |app| {
    let (megan, ada) = federated(&app).await;
    let user = forgot(&app, "megan@contoso.com", &[]).await;
    assert_eq!(user.status, 200, "{}", user.body);
    assert_eq!(
        redirect(&user),
        "/forgot-password?sent=1&directory=contoso.com"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM password_tokens WHERE account_id = {megan}"
        ))
        .await,
        0
    );
    let page = app
        .get("/forgot-password?sent=1&directory=contoso.com", None)
        .await;
    assert!(
        page.body
            .contains("sign in through their organization&#x27;s directory")
            || page
                .body
                .contains("sign in through their organization's directory"),
        "{}",
        page.body
    );
    // The same answer for an unknown address of the domain.
    let unknown = forgot(&app, "nobody@contoso.com", &[]).await;
    assert_eq!(redirect(&unknown), redirect(&user));
    assert_eq!(unknown.body, user.body);

    // A Global Administrator keeps a password sign-in, so gets the link (same answer).
    let admin = forgot(&app, "ada@contoso.com", &[]).await;
    assert_eq!(redirect(&admin), redirect(&user));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM password_tokens WHERE account_id = {ada}"
        ))
        .await,
        1
    );
    assert!(app
        .delivered_mail("ada@contoso.com")
        .await
        .contains("/reset-password?token="));
});
