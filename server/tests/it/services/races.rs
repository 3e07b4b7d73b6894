//! What parallel requests may never break: more licenses in use than bought, a count that
//! differs from the assignments, a gap in the invoice numbers.

use super::setup::*;
use crate::common::TestApp;
use futures::future::join_all;

/// `n` work accounts of Contoso that never sign in (inserted directly: no password to hash).
async fn users(app: &TestApp, org: i64, prefix: &str, n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let email = format!("{prefix}{i}@contoso.com");
        app.exec(&format!(
            "INSERT INTO accounts (kind, email, email_canonical, organization_id, display_name, \
               password_hash, created_at, updated_at) \
             VALUES ('work', '{email}', '{email}', {org}, 'User {i}', 'x', 0, 0)"
        ))
        .await;
        out.push(email);
    }
    out
}

on_both_engines!(twenty_assignments_for_five_licenses, |app| {
    let w = world(&app).await;
    let paid = buy(&app, &w.billing, w.paid_offer, 5).await;
    let people = users(&app, w.contoso, "u", 20).await;
    let calls = people
        .iter()
        .map(|email| assign(&app, &w.user_admin, paid, email));
    let answers = join_all(calls).await;
    let given = answers.iter().filter(|a| a.status == 200).count();
    let refused: Vec<_> = answers.iter().filter(|a| a.status != 200).collect();
    assert_eq!(given, 5, "exactly the five licenses");
    for answer in &refused {
        assert!(field(answer, "email").contains("in use"), "{}", answer.body);
    }
    let row = assert_counted(&app, paid).await;
    assert_eq!((row.assigned, row.quantity), (5, 5));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'license.assign'")
            .await,
        5
    );
});

on_both_engines!(a_lower_total_and_an_assignment_never_cross, |app| {
    let w = world(&app).await;
    let paid = buy(&app, &w.billing, w.paid_offer, 5).await;
    let people = users(&app, w.contoso, "r", 4).await;
    for email in &people[..3] {
        let given = assign(&app, &w.global, paid, email).await;
        assert_eq!(given.status, 200, "{}", given.body);
    }
    let fourth = account_id(&app, &people[3]).await.to_string();
    let (mut lowered, mut assigned) = (0, 0);
    for round in 0..8 {
        // Five licenses, three in use: the total goes down to three while a fourth is assigned.
        let (quantity, license) = tokio::join!(
            on_sub(
                &app,
                "change_quantity",
                paid,
                &[("quantity", "3")],
                Some(&w.billing)
            ),
            assign(&app, &w.user_admin, paid, &people[3]),
        );
        let row = assert_counted(&app, paid).await;
        match (quantity.status, license.status) {
            (200, 422) => {
                lowered += 1;
                assert_eq!((row.quantity, row.assigned), (3, 3), "round {round}");
                let back = on_sub(
                    &app,
                    "change_quantity",
                    paid,
                    &[("quantity", "5")],
                    Some(&w.billing),
                )
                .await;
                assert_eq!(back.status, 200, "{}", back.body);
            }
            (422, 200) => {
                assigned += 1;
                assert_eq!((row.quantity, row.assigned), (5, 4), "round {round}");
                let message = field(&quantity, "quantity");
                assert!(message.contains('4') && message.contains('3'), "{message}");
                let back = on_sub(
                    &app,
                    "unassign_license",
                    paid,
                    &[("account_id", &fourth)],
                    Some(&w.global),
                )
                .await;
                assert_eq!(back.status, 200, "{}", back.body);
            }
            other => panic!(
                "round {round}: {other:?}: {} / {}",
                quantity.body, license.body
            ),
        }
    }
    assert_eq!(lowered + assigned, 8);
    let row = assert_counted(&app, paid).await;
    assert_eq!((row.quantity, row.assigned), (5, 3));
    // Each lowering was credited and each raise billed; nothing else.
    assert_eq!(lines(&app, paid, "credit").await, lowered);
    assert_eq!(lines(&app, paid, "quantity_change").await, lowered);
});

on_both_engines!(parallel_purchases_take_consecutive_numbers, |app| {
    let w = world(&app).await;
    buy(&app, &w.global, w.storage_offer, 1).await;
    let first = assert_numbers_without_gaps(&app).await;
    let calls = (0..20).map(|_| take_offer(&app, &w.billing, w.paid_offer, false, "2"));
    let answers = join_all(calls).await;
    for answer in &answers {
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
    let last = assert_numbers_without_gaps(&app).await;
    assert_eq!(last, first + 20);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM subscriptions WHERE offer_id = {} AND status = 'active'",
            w.paid_offer
        ))
        .await,
        20
    );
    // One invoice per purchase, each of its own subscription, each with one purchase line.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(DISTINCT i.subscription_id) FROM invoices i JOIN invoice_lines l \
               ON l.invoice_id = i.id JOIN subscriptions s ON s.id = i.subscription_id \
             WHERE s.offer_id = {} AND l.kind = 'purchase' AND i.total_minor = 4000",
            w.paid_offer
        ))
        .await,
        20
    );
    assert_eq!(
        app.count(&format!(
            "SELECT MIN(number) FROM invoices i JOIN subscriptions s ON s.id = i.subscription_id \
             WHERE s.offer_id = {}",
            w.paid_offer
        ))
        .await,
        first + 1
    );
});

/// The signed quantities of a subscription's quantity lines: what it was billed for, in licenses.
async fn billed_change(app: &TestApp, subscription: i64) -> i64 {
    app.count(&format!(
        "SELECT CAST(COALESCE(SUM(CASE WHEN l.kind = 'credit' THEN -l.quantity ELSE l.quantity END), 0) AS BIGINT) \
         FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id \
         WHERE i.subscription_id = {subscription} AND l.kind IN ('quantity_change', 'credit')"
    ))
    .await
}

on_both_engines!(parallel_changes_of_one_subscription_bill_once, |app| {
    let w = world(&app).await;
    // Two upgrades of one trial: one converts it, with one conversion line.
    let trial = buy(&app, &w.global, w.trial_offer, 0).await;
    let (a, b) = tokio::join!(
        on_sub(&app, "upgrade_subscription", trial, &[], Some(&w.global)),
        on_sub(&app, "upgrade_subscription", trial, &[], Some(&w.billing)),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{} / {}", a.body, b.body);
    assert_eq!(lines(&app, trial, "conversion").await, 1);

    // Two new totals at once: what was billed is what changed.
    let paid = buy(&app, &w.billing, w.paid_offer, 5).await;
    for (round, (x, y)) in [("8", "10"), ("6", "3"), ("12", "2")]
        .into_iter()
        .enumerate()
    {
        let before = sub(&app, paid).await.quantity;
        let billed = billed_change(&app, paid).await;
        let (x, y) = ([("quantity", x)], [("quantity", y)]);
        let (a, b) = tokio::join!(
            on_sub(&app, "change_quantity", paid, &x, Some(&w.global)),
            on_sub(&app, "change_quantity", paid, &y, Some(&w.billing)),
        );
        assert!(
            a.status == 200 || b.status == 200,
            "{} / {}",
            a.body,
            b.body
        );
        let after = sub(&app, paid).await.quantity;
        assert_eq!(
            billed_change(&app, paid).await - billed,
            after - before,
            "round {round}: {before} → {after}, {} / {}",
            a.body,
            b.body
        );
    }

    // Two renewals of one expired subscription: one renewal line.
    let off = on_sub(
        &app,
        "set_recurring",
        paid,
        &[("recurring", "off")],
        Some(&w.billing),
    )
    .await;
    assert_eq!(off.status, 200, "{}", off.body);
    let ends = sub(&app, paid).await.ends_at;
    app::services::lifecycle::run_due(&app.state.db, ends)
        .await
        .expect("run");
    assert_eq!(sub(&app, paid).await.status, "expired");
    let (a, b) = tokio::join!(
        on_sub(&app, "renew_subscription", paid, &[], Some(&w.global)),
        on_sub(&app, "renew_subscription", paid, &[], Some(&w.billing)),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{} / {}", a.body, b.body);
    assert_eq!(lines(&app, paid, "renewal").await, 1);
    assert_numbers_without_gaps(&app).await;
});

on_both_engines!(an_offer_is_tried_once_even_in_parallel, |app| {
    let w = world(&app).await;
    for round in 0..4 {
        let name = format!("Project Plan {round}");
        let offer = offer(&app, "Project", &name, "10", "monthly", "14").await;
        let (a, b) = tokio::join!(
            take_offer(&app, &w.global, offer, true, ""),
            take_offer(&app, &w.billing, offer, true, ""),
        );
        let mut statuses = [a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [200, 409],
            "round {round}: {} / {}",
            a.body,
            b.body
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM subscriptions WHERE organization_id = {} \
                 AND offer_id = {offer} AND status = 'trial'",
                w.contoso
            ))
            .await,
            1
        );
    }
});
