//! The subscription changes (DESIGN, "Subscriptions" and "Licenses"): each produces its invoice
//! line, a refused change writes nothing, and the number in use is the number of assignments.

use super::setup::*;
use app::services::{lifecycle::term_end, ServiceData};

on_both_engines!(upgrade_converts_a_trial_at_once, |app| {
    let w = world(&app).await;
    let trial = buy(&app, &w.global, w.trial_offer, 0).await;
    let row = sub(&app, trial).await;
    assert_eq!(
        (row.status.as_str(), row.quantity, row.recurring),
        ("trial", 25, 0)
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invoices").await,
        0,
        "a trial is free"
    );

    // Licenses cannot be added to a trial; it is tried once.
    let before = snapshot(&app).await;
    let more = on_sub(
        &app,
        "change_quantity",
        trial,
        &[("quantity", "30")],
        Some(&w.billing),
    )
    .await;
    assert!(field(&more, "quantity").contains("trial"), "{}", more.body);
    let again = take_offer(&app, &w.billing, w.trial_offer, true, "").await;
    assert_eq!(again.status, 409, "{}", again.body);
    let renewed = on_sub(&app, "renew_subscription", trial, &[], Some(&w.billing)).await;
    assert_eq!(renewed.status, 409, "{}", renewed.body);
    assert_eq!(snapshot(&app).await, before);

    let started = app::state::now();
    let upgraded = on_sub(&app, "upgrade_subscription", trial, &[], Some(&w.billing)).await;
    assert_eq!(upgraded.status, 200, "{}", upgraded.body);
    let row = sub(&app, trial).await;
    assert_eq!(
        (row.status.as_str(), row.quantity, row.recurring),
        ("active", 25, 1)
    );
    assert!(row.starts_at >= started && row.starts_at <= app::state::now());
    assert_eq!(row.ends_at, term_end(row.starts_at, 1));
    assert_eq!(row.due_at, Some(row.ends_at - 7 * 86_400));
    assert_eq!(lines(&app, trial, "conversion").await, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id \
             WHERE i.subscription_id = {trial} AND l.quantity = 25 AND l.unit_price_minor = 1200 \
               AND l.amount_minor = 30000 AND i.total_minor = 30000 AND i.currency = 'EUR'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'subscription.upgrade'")
            .await,
        1
    );
    // Once converted, it is not a trial any more.
    let twice = on_sub(&app, "upgrade_subscription", trial, &[], Some(&w.billing)).await;
    assert_eq!(twice.status, 409, "{}", twice.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 1);
});

on_both_engines!(quantity_changes_bill_and_respect_assignments, |app| {
    let w = world(&app).await;
    let paid = buy(&app, &w.billing, w.paid_offer, 5).await;
    let raised = on_sub(
        &app,
        "change_quantity",
        paid,
        &[("quantity", "8")],
        Some(&w.billing),
    )
    .await;
    assert_eq!(raised.status, 200, "{}", raised.body);
    assert_eq!(sub(&app, paid).await.quantity, 8);
    assert_eq!(lines(&app, paid, "quantity_change").await, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id \
             WHERE i.subscription_id = {paid} AND l.kind = 'quantity_change' AND l.quantity = 3 \
               AND l.amount_minor = 6000"
        ))
        .await,
        1
    );

    for email in ["ann@contoso.com", "ben@contoso.com", "cat@contoso.com"] {
        person(&app, email, w.contoso, None).await;
        let given = assign(&app, &w.user_admin, paid, email).await;
        assert_eq!(given.status, 200, "{}", given.body);
    }
    assert_eq!(assert_counted(&app, paid).await.assigned, 3);

    // Below the number assigned: refused, naming both numbers; nothing changes.
    let before = snapshot(&app).await;
    let lowered = on_sub(
        &app,
        "change_quantity",
        paid,
        &[("quantity", "2")],
        Some(&w.global),
    )
    .await;
    let message = field(&lowered, "quantity");
    assert!(message.contains('3') && message.contains('2'), "{message}");
    for bad in ["8", "0", "abc", "1.5", "100001"] {
        let refused = on_sub(
            &app,
            "change_quantity",
            paid,
            &[("quantity", bad)],
            Some(&w.global),
        )
        .await;
        assert!(!field(&refused, "quantity").is_empty(), "{bad}");
    }
    assert_eq!(snapshot(&app).await, before);

    // Down to exactly the number assigned: allowed, and credited.
    let lowered = on_sub(
        &app,
        "change_quantity",
        paid,
        &[("quantity", "3")],
        Some(&w.global),
    )
    .await;
    assert_eq!(lowered.status, 200, "{}", lowered.body);
    assert_eq!(sub(&app, paid).await.quantity, 3);
    assert_eq!(lines(&app, paid, "credit").await, 1);

    // Every license in use: one more is refused, at the field, and nothing is written.
    person(&app, "dan@contoso.com", w.contoso, None).await;
    let before = snapshot(&app).await;
    let full = assign(&app, &w.global, paid, "dan@contoso.com").await;
    assert!(field(&full, "email").contains("in use"), "{}", full.body);
    // The same user twice, a user of another organization, an unknown address.
    let twice = assign(&app, &w.global, paid, "ann@contoso.com").await;
    assert!(!field(&twice, "email").is_empty());
    let foreign = assign(&app, &w.global, paid, KIM).await;
    assert!(!field(&foreign, "email").is_empty());
    let unknown = assign(&app, &w.global, paid, "zed@contoso.com").await;
    assert!(!field(&unknown, "email").is_empty());
    // Taking back a license nobody holds: 404.
    let dan = account_id(&app, "dan@contoso.com").await.to_string();
    let none = on_sub(
        &app,
        "unassign_license",
        paid,
        &[("account_id", &dan)],
        Some(&w.global),
    )
    .await;
    assert_eq!(none.status, 404, "{}", none.body);
    assert_eq!(snapshot(&app).await, before);

    // Taking one back frees it for someone else.
    let ann = account_id(&app, "ann@contoso.com").await.to_string();
    let back = on_sub(
        &app,
        "unassign_license",
        paid,
        &[("account_id", &ann)],
        Some(&w.user_admin),
    )
    .await;
    assert_eq!(back.status, 200, "{}", back.body);
    let given = assign(&app, &w.user_admin, paid, "dan@contoso.com").await;
    assert_eq!(given.status, 200, "{}", given.body);
    assert_eq!(assert_counted(&app, paid).await.assigned, 3);
});

on_both_engines!(cancel_asks_for_a_reason_and_recurring_flips, |app| {
    let w = world(&app).await;
    let paid = buy(&app, &w.billing, w.paid_offer, 4).await;
    assert_eq!(
        sub(&app, paid).await.recurring,
        1,
        "a purchase renews by default"
    );

    for (value, expected) in [
        ("off", 0),
        ("on", 1),
        ("off", 0),
        ("anything", 0),
        ("on", 1),
    ] {
        let flipped = on_sub(
            &app,
            "set_recurring",
            paid,
            &[("recurring", value)],
            Some(&w.billing),
        )
        .await;
        assert_eq!(flipped.status, 200, "{}", flipped.body);
        assert_eq!(sub(&app, paid).await.recurring, expected, "{value}");
    }
    assert_eq!(lines(&app, paid, "purchase").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invoices").await,
        1,
        "recurring is not billed"
    );

    let before = snapshot(&app).await;
    for reason in ["", "because", "Other"] {
        let refused = on_sub(
            &app,
            "cancel_subscription",
            paid,
            &[("reason", reason)],
            Some(&w.billing),
        )
        .await;
        assert!(
            field(&refused, "reason").contains("why"),
            "{}",
            refused.body
        );
    }
    assert_eq!(snapshot(&app).await, before);

    let cancelled = on_sub(
        &app,
        "cancel_subscription",
        paid,
        &[("reason", "not_needed")],
        Some(&w.billing),
    )
    .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);
    let row = sub(&app, paid).await;
    assert_eq!(row.status, "cancelled");
    assert_eq!(row.cancel_reason.as_deref(), Some("We no longer need it"));
    assert_eq!((row.recurring, row.due_at), (0, None));
    assert_eq!(lines(&app, paid, "cancellation").await, 1);
    let office = w.office.to_string();
    let detail = app
        .call(
            "service_detail",
            &[("service_id", &office), ("page", "1")],
            Some(&w.billing),
            &[],
        )
        .await;
    let detail: ServiceData = serde_json::from_str(&detail.body).expect("detail");
    assert_eq!(
        detail.subscriptions[0].cancel_reason.as_deref(),
        Some("We no longer need it")
    );

    // A cancelled subscription is done: no second cancel, no renewal, no recurring billing.
    let before = snapshot(&app).await;
    for (endpoint, extra) in [
        ("cancel_subscription", ("reason", "other")),
        ("renew_subscription", ("x", "")),
        ("set_recurring", ("recurring", "on")),
        ("change_quantity", ("quantity", "9")),
    ] {
        let extra: &[(&str, &str)] = if extra.0 == "x" {
            &[]
        } else {
            std::slice::from_ref(&extra)
        };
        let refused = on_sub(&app, endpoint, paid, extra, Some(&w.billing)).await;
        assert_eq!(refused.status, 409, "{endpoint}: {}", refused.body);
    }
    let licensed = assign(&app, &w.global, paid, UMA).await;
    assert_eq!(licensed.status, 409, "{}", licensed.body);
    assert_eq!(snapshot(&app).await, before);
});

on_both_engines!(renew_brings_back_an_expired_subscription, |app| {
    let w = world(&app).await;
    let paid = buy(&app, &w.billing, w.paid_offer, 2).await;
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

    // The User Administrator may not renew; the Billing Administrator does.
    let before = snapshot(&app).await;
    let refused = on_sub(&app, "renew_subscription", paid, &[], Some(&w.user_admin)).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(snapshot(&app).await, before);
    let started = app::state::now();
    let renewed = on_sub(&app, "renew_subscription", paid, &[], Some(&w.billing)).await;
    assert_eq!(renewed.status, 200, "{}", renewed.body);
    let row = sub(&app, paid).await;
    assert_eq!((row.status.as_str(), row.recurring), ("active", 1));
    assert!(row.starts_at >= started);
    assert_eq!(row.ends_at, term_end(row.starts_at, 1));
    assert!(row.ends_at > app::state::now());
    assert_eq!(lines(&app, paid, "renewal").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'subscription.renew'")
            .await,
        1
    );
    assert_numbers_without_gaps(&app).await;
});
