//! Signing an organization up (DESIGN, "Catalogue and sign-up"): everything in one transaction
//! or nothing, each bad field refused at the field, a limit per client address, and the address
//! confirmed by a mailed, single-use link before anything paid is bought.

use super::setup::*;
use crate::common::{token_in, TestApp, TestResponse, PASSWORD};
use app::services::ServicesData;

const NANCY: &str = "nancy@northwind.example";

async fn sign_up(app: &TestApp, fields: [&str; 4], offer: i64, from: Option<&str>) -> TestResponse {
    let offer = offer.to_string();
    let [organization, name, email, password] = fields;
    let headers: Vec<(&str, &str)> = from.map(|a| ("x-forwarded-for", a)).into_iter().collect();
    app.call(
        "sign_up",
        &[
            ("organization", organization),
            ("name", name),
            ("email", email),
            ("password", password),
            ("offer_id", offer.as_str()),
        ],
        None,
        &headers,
    )
    .await
}

/// What a sign-up creates, counted.
async fn created(app: &TestApp) -> [i64; 7] {
    let mut out = [0; 7];
    for (n, table) in [
        "organizations",
        "organization_domains",
        "accounts",
        "organization_roles",
        "email_confirmations",
        "subscriptions",
        "outbox",
    ]
    .iter()
    .enumerate()
    {
        out[n] = app.count(&format!("SELECT COUNT(*) FROM {table}")).await;
    }
    out
}

fn behind_proxy(config: &mut app::state::Config) {
    config.trusted_proxies = vec![[127, 0, 0, 1].into()];
}

on_both_engines!(sign_up_creates_everything_and_confirms_the_address, |app| {
    let w = world(&app).await;
    let before = created(&app).await;
    let signed = sign_up(
        &app,
        ["Northwind Traders", "Nancy Davolio", NANCY, PASSWORD],
        w.trial_offer,
        None,
    )
    .await;
    assert_eq!(signed.status, 200, "{}", signed.body);
    let cookie = signed.session_cookie().expect("signed in at once");
    let org = app
        .count("SELECT id FROM organizations WHERE name = 'Northwind Traders'")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM organization_domains WHERE organization_id = {org} \
             AND domain = 'northwind.example' AND verified_at IS NULL"
        ))
        .await,
        1,
        "the domain waits for its DNS proof"
    );
    let nancy = app
        .count(&format!(
            "SELECT id FROM accounts WHERE email = '{NANCY}' AND kind = 'work' \
             AND organization_id = {org} AND display_name = 'Nancy Davolio'"
        ))
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM organization_roles WHERE account_id = {nancy} \
             AND organization_id = {org} AND role = 'global'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM email_confirmations WHERE account_id = {nancy} \
             AND confirmed_at IS NULL"
        ))
        .await,
        1
    );
    let trial = app
        .count(&format!(
            "SELECT id FROM subscriptions WHERE organization_id = {org} AND offer_id = {}",
            w.trial_offer
        ))
        .await;
    let row = sub(&app, trial).await;
    assert_eq!((row.status.as_str(), row.quantity), ("trial", 25));
    assert_eq!(row.ends_at - row.starts_at, 30 * 86_400);
    let after = created(&app).await;
    let grew: Vec<i64> = after.iter().zip(before).map(|(a, b)| a - b).collect();
    assert_eq!(grew, [1, 1, 1, 1, 1, 1, 1], "one of each, and the mail");

    // Signed in: the Services page, which says the address waits for its link.
    let overview = app.call("services_overview", &[], Some(&cookie), &[]).await;
    assert_eq!(overview.status, 200, "{}", overview.body);
    let overview: ServicesData = serde_json::from_str(&overview.body).expect("overview");
    assert!(overview.must_confirm);
    assert_eq!(overview.services.len(), 1);

    // Nothing paid before the address is confirmed: neither a purchase nor the upgrade.
    let snap = snapshot(&app).await;
    let paid = take_offer(&app, &cookie, w.paid_offer, false, "3").await;
    assert_eq!(paid.status, 403, "{}", paid.body);
    let upgraded = on_sub(&app, "upgrade_subscription", trial, &[], Some(&cookie)).await;
    assert_eq!(upgraded.status, 403, "{}", upgraded.body);
    assert_eq!(snapshot(&app).await, snap);

    // The mailed link confirms it, once.
    let mail = app.delivered_mail(NANCY).await;
    assert!(
        mail.contains("http://127.0.0.1:3000/confirm-email?token="),
        "{mail}"
    );
    let token = token_in(&mail);
    let confirmed = app
        .call("confirm_email", &[("token", &token)], None, &[])
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM email_confirmations WHERE account_id = {nancy} \
             AND confirmed_at IS NOT NULL AND token_hash IS NULL"
        ))
        .await,
        1
    );
    let again = app
        .call("confirm_email", &[("token", &token)], None, &[])
        .await;
    assert_eq!(again.status, 409, "the link is single-use: {}", again.body);
    let forged = app
        .call("confirm_email", &[("token", &"A".repeat(43))], None, &[])
        .await;
    assert_eq!(forged.status, 409, "{}", forged.body);

    // Now the purchase goes through, with its invoice billed to the organization.
    let paid = take_offer(&app, &cookie, w.paid_offer, false, "3").await;
    assert_eq!(paid.status, 200, "{}", paid.body);
    let bought = app
        .count(&format!(
            "SELECT id FROM subscriptions WHERE organization_id = {org} AND offer_id = {}",
            w.paid_offer
        ))
        .await;
    assert_eq!(lines(&app, bought, "purchase").await, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM invoices WHERE organization_id = {org} \
             AND bill_to = 'Northwind Traders' AND total_minor = 6000"
        ))
        .await,
        1
    );
    let overview = app.call("services_overview", &[], Some(&cookie), &[]).await;
    let overview: ServicesData = serde_json::from_str(&overview.body).expect("overview");
    assert!(!overview.must_confirm);
});

on_both_engines!(bad_sign_ups_create_nothing, config = behind_proxy, |app| {
    let w = world(&app).await;
    // An existing work account of another organization with the new organization's address:
    // the organization's insert succeeds, the account's fails after it, in the same transaction.
    app.exec(&format!(
        "INSERT INTO accounts (kind, email, email_canonical, organization_id, display_name, \
           password_hash, created_at, updated_at) \
         VALUES ('work', 'pat@newco.example', 'pat@newco.example', {}, 'Pat', 'x', 0, 0)",
        w.fabrikam
    ))
    .await;
    let good = |org: &'static str, email: &'static str| [org, "Nancy Davolio", email, PASSWORD];
    let cases: Vec<([&str; 4], i64, &str)> = vec![
        (good("contoso", NANCY), w.trial_offer, "organization"),
        (
            good("Northwind", "nancy@contoso.com"),
            w.trial_offer,
            "email",
        ),
        (good("Northwind", "nancy@gmail.com"), w.trial_offer, "email"),
        (good("", NANCY), w.trial_offer, "organization"),
        (good("North\u{7}wind", NANCY), w.trial_offer, "organization"),
        (["Northwind", "", NANCY, PASSWORD], w.trial_offer, "name"),
        (
            good("Northwind", "nancy.northwind.example"),
            w.trial_offer,
            "email",
        ),
        (
            ["Northwind", "Nancy", NANCY, "short"],
            w.trial_offer,
            "password",
        ),
        (
            ["Northwind", "Nancy", NANCY, "password123"],
            w.trial_offer,
            "password",
        ),
        (good("Northwind", NANCY), 999_999, "offer"),
        (good("NewCo", "pat@newco.example"), w.trial_offer, "email"),
    ];
    for (n, (fields, offer, at)) in cases.into_iter().enumerate() {
        let before = snapshot(&app).await;
        let from = format!("198.51.100.{n}");
        let refused = sign_up(&app, fields, offer, Some(&from)).await;
        let message = field(&refused, at);
        assert!(!message.is_empty(), "{fields:?}");
        assert!(refused.session_cookie().is_none(), "{fields:?}");
        assert_eq!(snapshot(&app).await, before, "{fields:?} wrote something");
        if n == 2 {
            assert!(message.contains("gmail.com"), "{message}");
        }
        if n == 8 {
            assert!(message.contains("common"), "{message}");
        }
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM organizations WHERE name_canonical IN ('newco', 'northwind')"
        )
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organization_domains WHERE domain = 'newco.example'")
            .await,
        0
    );
    // The same sign-up, corrected, goes through.
    let fixed = sign_up(
        &app,
        good("Northwind", NANCY),
        w.trial_offer,
        Some("198.51.100.99"),
    )
    .await;
    assert_eq!(fixed.status, 200, "{}", fixed.body);
});

on_both_engines!(
    sign_ups_are_limited_per_address,
    config = behind_proxy,
    |app| {
        let w = world(&app).await;
        let hour = app::state::now() / 3600;
        for n in 0..10 {
            let bad = sign_up(
                &app,
                ["Northwind", "Nancy", NANCY, "short"],
                w.trial_offer,
                Some("203.0.113.7"),
            )
            .await;
            assert_eq!(bad.status, 422, "attempt {n}: {}", bad.body);
        }
        let before = snapshot(&app).await;
        let fields = ["Northwind", "Nancy Davolio", NANCY, PASSWORD];
        let eleventh = sign_up(&app, fields, w.trial_offer, Some("203.0.113.7")).await;
        if app::state::now() / 3600 != hour {
            eprintln!("the hour turned during the test: its window was reset");
            return;
        }
        assert_eq!(eleventh.status, 429, "{}", eleventh.body);
        assert_eq!(snapshot(&app).await, before);
        // Another address is not held back by this one's attempts.
        let other = sign_up(&app, fields, w.trial_offer, Some("203.0.113.8")).await;
        assert_eq!(other.status, 200, "{}", other.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM organizations").await, 3);
    }
);

on_both_engines!(parallel_sign_ups_of_one_name_make_one_organization, |app| {
    let w = world(&app).await;
    let first = sign_up(
        &app,
        ["Tailspin", "Tia", "tia@tailspin.example", PASSWORD],
        w.trial_offer,
        None,
    );
    let second = sign_up(
        &app,
        ["TAILSPIN", "Tom", "tom@tailspin.test", PASSWORD],
        w.trial_offer,
        None,
    );
    let (a, b) = tokio::join!(first, second);
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 422], "{} / {}", a.body, b.body);
    let loser = if a.status == 422 { &a } else { &b };
    assert!(!field(loser, "organization").is_empty());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organizations WHERE name_canonical = 'tailspin'")
            .await,
        1
    );
    // The loser left no account, domain or subscription behind.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM accounts WHERE email LIKE '%tailspin%'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organization_domains WHERE domain LIKE 'tailspin.%'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM subscriptions").await,
        1,
        "the winner's trial only"
    );
});
