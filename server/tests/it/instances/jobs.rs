//! The background jobs on two instances at once: each item handled exactly once.

use super::*;
use app::mail::{deliver_due, enqueue, Mailer};

const DAY: i64 = 86_400;
const SUBSCRIPTIONS: i64 = 30;

/// An organization with a Global and a Billing Administrator and `SUBSCRIPTIONS` trials that
/// end at `ends`; answers their ids.
async fn trials(app: &TestApp, ends: i64) -> Vec<i64> {
    let org = app.create_organization("Contoso", "contoso.com").await;
    for (email, role) in [
        ("megan@contoso.com", "global"),
        ("bill@contoso.com", "billing"),
    ] {
        let id = app.create_account("work", email, "Admin Person").await;
        app.exec(&format!(
            "INSERT INTO organization_roles (account_id, organization_id, role, created_at) \
             VALUES ({id}, {org}, '{role}', 1)"
        ))
        .await;
    }
    let input = app::services::OfferInput {
        service: "Office".to_owned(),
        name: "Office E3".to_owned(),
        description: "Office for every user".to_owned(),
        unit: "license".to_owned(),
        price: "12.00".to_owned(),
        currency: "EUR".to_owned(),
        period: "monthly".to_owned(),
        trial_days: "30".to_owned(),
        volume: false,
    };
    let offer =
        app::services::create_offer_as(&app.state, &input, app::auth::audit::Actor::CommandLine)
            .await
            .expect("offer");
    let service = app
        .count(&format!("SELECT service_id FROM offers WHERE id = {offer}"))
        .await;
    let start = ends - 30 * DAY;
    let due = ends - 7 * DAY;
    for _ in 0..SUBSCRIPTIONS {
        app.exec(&format!(
            "INSERT INTO subscriptions (organization_id, service_id, offer_id, status, quantity, \
               recurring, starts_at, ends_at, due_at, created_at, updated_at) \
             VALUES ({org}, {service}, {offer}, 'trial', 1, 0, {start}, {ends}, {due}, {start}, {start})"
        ))
        .await;
    }
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT id FROM subscriptions ORDER BY id")
        .fetch_all(app.state.db.pool())
        .await
        .expect("subscriptions");
    rows.into_iter().map(|(id,)| id).collect()
}

/// One lifecycle pass on each instance at the same moment; answers the steps they made.
async fn passes(one: &TestApp, two: &TestApp, at: i64) -> usize {
    let (a, b) = tokio::join!(
        app::services::lifecycle::run_due(&one.state.db, at),
        app::services::lifecycle::run_due(&two.state.db, at)
    );
    a.expect("first pass") + b.expect("second pass")
}

on_both_engines!(two_instances_step_each_subscription_once, |app| {
    let other = second(&app).await;
    let ends = app::state::now() + 60 * DAY;
    let ids = trials(&app, ends).await;
    let mark = app.count("SELECT COALESCE(MAX(id), 0) FROM outbox").await;

    // The reminder: one per subscription and administrator, whichever instance sent it.
    assert_eq!(passes(&app, &other, ends - 7 * DAY).await, ids.len());
    for to in ["megan@contoso.com", "bill@contoso.com"] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM outbox WHERE id > {mark} AND to_address = '{to}'"
            ))
            .await,
            SUBSCRIPTIONS,
            "{to}"
        );
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM subscriptions WHERE reminded_for = {ends}"
        ))
        .await,
        SUBSCRIPTIONS
    );
    assert_eq!(passes(&app, &other, ends - 7 * DAY).await, 0);

    // The end: each trial expires once, with no more mail.
    assert_eq!(passes(&app, &other, ends).await, ids.len());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM subscriptions WHERE status = 'expired'")
            .await,
        SUBSCRIPTIONS
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM outbox WHERE id > {mark}"))
            .await,
        2 * SUBSCRIPTIONS
    );
    close(other).await;
});

on_both_engines!(two_instances_deliver_each_message_once, |app| {
    const MESSAGES: usize = 30;
    let other = second(&app).await;
    let folder = tempfile::tempdir().expect("mail folder");
    let mailer = Mailer::Folder(folder.path().to_path_buf());
    let mut tx = app.state.db.begin_write().await.expect("begin");
    for i in 0..MESSAGES {
        enqueue(
            &mut tx,
            &format!("user{i}@example.com"),
            "Notice",
            "Something happened.",
        )
        .await
        .expect("enqueue");
    }
    tx.commit().await.expect("commit");

    // Each instance's worker, in small batches so that their claims interleave.
    let worker = |instance: TestApp| {
        let mailer = mailer.clone();
        async move {
            let mut sent = 0;
            loop {
                let n = deliver_due(&instance.state.db, &mailer, "Hub <hub@127.0.0.1>", 3)
                    .await
                    .expect("deliver");
                if n == 0 {
                    return sent;
                }
                sent += n;
            }
        }
    };
    let (a, b) = tokio::join!(worker(app.clone()), worker(other.clone()));
    let rest = worker(app.clone()).await;
    assert_eq!(a + b + rest, MESSAGES, "a {a}, b {b}, rest {rest}");

    let mut per_id = std::collections::BTreeMap::<i64, usize>::new();
    for entry in std::fs::read_dir(folder.path()).expect("mail folder") {
        let name = entry
            .expect("entry")
            .file_name()
            .into_string()
            .expect("name");
        if let Some(stem) = name.strip_suffix(".eml") {
            let id = stem
                .split('-')
                .next()
                .expect("id")
                .parse()
                .expect("numeric id");
            *per_id.entry(id).or_default() += 1;
        }
    }
    assert_eq!(per_id.len(), MESSAGES, "{per_id:?}");
    assert!(
        per_id.values().all(|n| *n == 1),
        "delivered twice: {per_id:?}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts = 1")
            .await,
        MESSAGES as i64
    );
    close(other).await;
});
