//! The lifecycle job (`services::lifecycle::run_due`) at chosen moments: a trial's reminder and
//! end, renewal or expiry of a paid term, the grace and disabled periods, each step exactly once
//! when two runners share the database, and a long gap caught up one term at a time.

use super::setup::*;
use crate::common::TestApp;
use app::services::{
    lifecycle::{run_due, term_end},
    ServicesData,
};

const DAY: i64 = 86_400;

async fn step_at(app: &TestApp, at: i64) -> usize {
    run_due(&app.state.db, at).await.expect("lifecycle pass")
}

/// Two runners on the same database at once, as two servers would; answers the steps made.
async fn run_twice_in_parallel(app: &TestApp, at: i64) -> usize {
    let (a, b) = (app.state.db.clone(), app.state.db.clone());
    let one = tokio::spawn(async move { run_due(&a, at).await });
    let two = tokio::spawn(async move { run_due(&b, at).await });
    let (one, two) = tokio::join!(one, two);
    one.expect("task").expect("pass") + two.expect("task").expect("pass")
}

async fn mails_since(app: &TestApp, outbox_id: i64) -> Vec<String> {
    use sqlx::Row;
    sqlx::query("SELECT to_address FROM outbox WHERE id > $1 ORDER BY to_address")
        .bind(outbox_id)
        .fetch_all(app.state.db.pool())
        .await
        .expect("outbox")
        .iter()
        .map(|r| r.get::<String, _>("to_address"))
        .collect()
}

async fn last_mail(app: &TestApp) -> i64 {
    app.count("SELECT COALESCE(MAX(id), 0) FROM outbox").await
}

on_both_engines!(a_trial_reminds_ends_and_goes, |app| {
    let w = world(&app).await;
    let trial = buy(&app, &w.global, w.trial_offer, 0).await;
    let ends = sub(&app, trial).await.ends_at;
    let mark = last_mail(&app).await;

    assert_eq!(step_at(&app, ends - 8 * DAY).await, 0);
    // Seven days before its end: Global and Billing Administrators are told, once.
    assert_eq!(step_at(&app, ends - 7 * DAY).await, 1);
    assert_eq!(mails_since(&app, mark).await, [BILL, MEGAN]);
    let subject = app
        .count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE id > {mark} AND subject LIKE 'Your trial of Office ends on %'"
        ))
        .await;
    assert_eq!(subject, 2);
    assert_eq!(sub(&app, trial).await.reminded_for, Some(ends));
    assert_eq!(step_at(&app, ends - 7 * DAY).await, 0);
    assert_eq!(step_at(&app, ends - 1).await, 0);
    assert_eq!(sub(&app, trial).await.status, "trial");
    assert_eq!(mails_since(&app, mark).await.len(), 2, "reminded once");

    // At its end the trial expires; 30 days later it is disabled; 90 more and it is deleted.
    for (at, status) in [
        (ends, "expired"),
        (ends + 30 * DAY, "disabled"),
        (ends + 120 * DAY, "deleted"),
    ] {
        assert_eq!(step_at(&app, at - 1).await, 0, "nothing before {status}");
        assert_eq!(step_at(&app, at).await, 1, "{status}");
        assert_eq!(sub(&app, trial).await.status, status);
    }
    let row = sub(&app, trial).await;
    assert_eq!((row.due_at, row.ends_at), (None, ends));
    assert_eq!(step_at(&app, ends + 1000 * DAY).await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invoices").await,
        0,
        "a trial is never billed"
    );
    assert_eq!(mails_since(&app, mark).await.len(), 2);
    let overview = app
        .call("services_overview", &[], Some(&w.global), &[])
        .await;
    let overview: ServicesData = serde_json::from_str(&overview.body).expect("overview");
    assert!(
        overview.services.is_empty(),
        "a deleted subscription is gone from the page"
    );
});

on_both_engines!(a_paid_term_renews_or_runs_out, |app| {
    let w = world(&app).await;
    let renewing = buy(&app, &w.billing, w.paid_offer, 3).await;
    let ending = buy(&app, &w.billing, w.paid_offer, 2).await;
    let off = on_sub(
        &app,
        "set_recurring",
        ending,
        &[("recurring", "off")],
        Some(&w.billing),
    )
    .await;
    assert_eq!(off.status, 200, "{}", off.body);
    let (a, b) = (sub(&app, renewing).await, sub(&app, ending).await);
    let at = a.ends_at.max(b.ends_at);

    assert_eq!(step_at(&app, at).await, 2);
    let renewed = sub(&app, renewing).await;
    assert_eq!(renewed.status, "active");
    assert_eq!(renewed.starts_at, a.ends_at);
    assert_eq!(renewed.ends_at, term_end(a.ends_at, 1), "moved by one term");
    assert_eq!(lines(&app, renewing, "renewal").await, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM invoices WHERE subscription_id = {renewing} AND total_minor = 6000"
        ))
        .await,
        2,
        "the purchase and the renewal"
    );
    assert_eq!(sub(&app, ending).await.status, "expired");
    assert_eq!(lines(&app, ending, "renewal").await, 0);
    assert_eq!(step_at(&app, at).await, 0, "each step once");

    // The ending one: disabled after the grace period, deleted after 90 more days.
    let e = b.ends_at;
    step_at(&app, e + 30 * DAY - 1).await;
    assert_eq!(sub(&app, ending).await.status, "expired");
    step_at(&app, e + 30 * DAY).await;
    assert_eq!(sub(&app, ending).await.status, "disabled");
    step_at(&app, e + 120 * DAY - 1).await;
    assert_eq!(sub(&app, ending).await.status, "disabled");
    step_at(&app, e + 120 * DAY).await;
    assert_eq!(sub(&app, ending).await.status, "deleted");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM invoices WHERE subscription_id = {ending}"
        ))
        .await,
        1
    );
    assert_numbers_without_gaps(&app).await;
});

on_both_engines!(two_runners_make_each_step_once, |app| {
    let w = world(&app).await;
    let mut subs = Vec::new();
    for n in 1..=8 {
        subs.push(buy(&app, &w.billing, w.paid_offer, n).await);
    }
    let (renewing, ending) = subs.split_at(4);
    for id in ending {
        let off = on_sub(
            &app,
            "set_recurring",
            *id,
            &[("recurring", "off")],
            Some(&w.billing),
        )
        .await;
        assert_eq!(off.status, 200, "{}", off.body);
    }
    let mut ends = Vec::new();
    for id in &subs {
        ends.push(sub(&app, *id).await.ends_at);
    }
    let last_end = *ends.iter().max().expect("ends");
    assert!(last_end - ends.iter().min().expect("ends") < DAY);

    // The reminders: two mails per subscription (Global and Billing), whoever sends them.
    let mark = last_mail(&app).await;
    assert_eq!(run_twice_in_parallel(&app, last_end - 7 * DAY).await, 8);
    assert_eq!(mails_since(&app, mark).await.len(), 16);
    assert_eq!(run_twice_in_parallel(&app, last_end - 7 * DAY).await, 0);

    // The ends: four renewals (one invoice each), four expiries.
    let invoices = app.count("SELECT COUNT(*) FROM invoices").await;
    assert_eq!(run_twice_in_parallel(&app, last_end).await, 8);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invoices").await,
        invoices + 4
    );
    for (id, end) in renewing.iter().zip(&ends) {
        assert_eq!(lines(&app, *id, "renewal").await, 1);
        assert_eq!(sub(&app, *id).await.ends_at, term_end(*end, 1));
    }
    for id in ending {
        assert_eq!(sub(&app, *id).await.status, "expired");
    }
    assert_numbers_without_gaps(&app).await;
    assert_eq!(mails_since(&app, mark).await.len(), 16, "no more mail");

    // The renewed ones are cancelled; the rest go through grace and the disabled period.
    for id in renewing {
        let done = on_sub(
            &app,
            "cancel_subscription",
            *id,
            &[("reason", "switching")],
            Some(&w.billing),
        )
        .await;
        assert_eq!(done.status, 200, "{}", done.body);
    }
    assert_eq!(run_twice_in_parallel(&app, last_end + 30 * DAY).await, 4);
    assert_eq!(run_twice_in_parallel(&app, last_end + 120 * DAY).await, 4);
    for id in ending {
        assert_eq!(sub(&app, *id).await.status, "deleted");
    }
    assert_eq!(run_twice_in_parallel(&app, last_end + 1000 * DAY).await, 0);
    assert_eq!(mails_since(&app, mark).await.len(), 16);
});

on_both_engines!(a_long_gap_renews_once_per_missed_term, |app| {
    let w = world(&app).await;
    let paid = buy(&app, &w.billing, w.paid_offer, 2).await;
    let bought = sub(&app, paid).await;
    let purchase = app
        .count(&format!(
            "SELECT number FROM invoices WHERE subscription_id = {paid}"
        ))
        .await;
    let at = bought.starts_at + 400 * DAY;
    // What the clock owes: one renewal per term that ended by `at`.
    let (mut terms, mut start, mut end) = (0, bought.starts_at, bought.ends_at);
    while end <= at {
        terms += 1;
        start = end;
        end = term_end(end, 1);
    }
    assert!((12..=14).contains(&terms), "{terms}");
    let reminder = usize::from(end - 7 * DAY <= at);
    let mark = last_mail(&app).await;

    assert_eq!(run_twice_in_parallel(&app, at).await, terms + reminder);
    assert_eq!(lines(&app, paid, "renewal").await, terms as i64);
    let numbers: Vec<i64> = {
        use sqlx::Row;
        sqlx::query("SELECT number FROM invoices WHERE subscription_id = $1 ORDER BY number")
            .bind(paid)
            .fetch_all(app.state.db.pool())
            .await
            .expect("numbers")
            .iter()
            .map(|r| r.get::<i64, _>("number"))
            .collect()
    };
    let expected: Vec<i64> = (purchase..=purchase + terms as i64).collect();
    assert_eq!(numbers, expected, "consecutive numbers");
    let row = sub(&app, paid).await;
    assert_eq!(
        (row.status.as_str(), row.starts_at, row.ends_at),
        ("active", start, end)
    );
    assert!(
        row.ends_at > at,
        "the term runs past the moment of the catch-up"
    );
    assert_eq!(mails_since(&app, mark).await.len(), 2 * reminder);
    assert_eq!(step_at(&app, at).await, 0);
    assert_numbers_without_gaps(&app).await;
});
