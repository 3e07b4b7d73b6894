//! The sequence and the ledger: parallel issuers, refusals, the list of a service's invoices,
//! immutability and voiding.

use super::*;
use app::billing::of_subscriptions;

on_both_engines!(parallel_issuers_take_consecutive_numbers, |app| {
    let w = world(&app).await;
    let mut tasks = Vec::new();
    for i in 0..20_i64 {
        let (db, org, subscription) = (app.state.db.clone(), w.org, w.subscription);
        tasks.push(tokio::spawn(async move {
            let mut tx = db.begin_write().await.expect("begin");
            let mut lines = vec![line(
                LineKind::Renewal,
                "Contoso 365 E3, 12 months",
                10,
                1200,
            )];
            if i % 2 == 0 {
                lines.push(line(LineKind::Credit, "Goodwill", 1, -500));
            }
            let invoice = issue(&mut tx, org, subscription, "EUR", lines)
                .await
                .expect("issue");
            // Hold the counter a moment, so the others queue behind this transaction.
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            if i % 5 == 3 {
                tx.rollback().await.expect("rollback");
                None
            } else {
                tx.commit().await.expect("commit");
                Some(invoice.number)
            }
        }));
    }
    let mut numbers = Vec::new();
    for task in tasks {
        numbers.extend(task.await.expect("task"));
    }
    let mut numbers: Vec<i64> = numbers
        .iter()
        .map(|n| {
            n.strip_prefix("SH-")
                .expect("prefix")
                .parse()
                .expect("number")
        })
        .collect();
    numbers.sort_unstable();
    // 16 committed, 4 rolled back: 1 to 16, each once, the rolled-back numbers reused.
    assert_eq!(numbers, (1..=16).collect::<Vec<_>>());
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 16);
    assert_eq!(app.count("SELECT MAX(number) FROM invoices").await, 16);
    assert_eq!(
        app.count("SELECT last_number FROM invoice_sequence").await,
        16
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invoice_lines").await,
        16 + 8
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM invoices \
             WHERE bill_to = 'Contoso' AND currency = 'EUR' AND status = 'issued'"
        )
        .await,
        16
    );
    // A credit line lowers the total: 10 × €12.00 − €5.00.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invoices WHERE total_minor = 11500")
            .await,
        8
    );

    // No lines, or another organization's subscription: refused, and no number is used.
    let mut tx = app.state.db.begin_write().await.expect("begin");
    assert!(issue(&mut tx, w.org, w.subscription, "EUR", vec![])
        .await
        .is_err());
    drop(tx);
    let mut tx = app.state.db.begin_write().await.expect("begin");
    let lines = vec![line(LineKind::Purchase, "x", 1, 100)];
    let other = issue(&mut tx, w.org, w.other_subscription, "EUR", lines).await;
    assert_eq!(other.expect_err("not ours"), app::error::AppError::NotFound);
    drop(tx);
    assert_eq!(
        app.count("SELECT last_number FROM invoice_sequence").await,
        16
    );

    // A service's page lists them newest first, for its own organization only.
    let list = of_subscriptions(
        &app.state.db,
        w.org,
        &[w.subscription, w.other_subscription],
    )
    .await
    .expect("list");
    assert_eq!(list.len(), 16);
    assert_eq!(list[0].number, "SH-000016");
    assert_eq!(list[15].number, "SH-000001");
    assert!(list
        .iter()
        .all(|i| i.status == "Issued" && i.total_label.starts_with('€')));
    let none = of_subscriptions(&app.state.db, w.org, &[w.other_subscription]).await;
    assert_eq!(none.expect("list"), vec![]);
});

on_both_engines!(issued_invoices_are_immutable, |app| {
    let w = world(&app).await;
    let lines = vec![
        line(LineKind::Purchase, "Contoso 365 E3", 10, 1200),
        line(LineKind::Credit, "Welcome credit", 1, -500),
    ];
    let id = issued(&app, w.org, w.subscription, lines).await;
    let pool = app.state.db.pool();
    for sql in [
        "UPDATE invoices SET total_minor = 1 WHERE id = $1",
        "UPDATE invoices SET bill_to = 'Someone else' WHERE id = $1",
        "UPDATE invoice_lines SET amount_minor = 0 WHERE invoice_id = $1",
        "DELETE FROM invoice_lines WHERE invoice_id = $1",
        "DELETE FROM invoices WHERE id = $1",
    ] {
        let result = sqlx::query(sql).bind(id).execute(pool).await;
        assert!(result.is_err(), "{sql} was allowed");
    }
    let total = format!("SELECT total_minor FROM invoices WHERE id = {id} AND bill_to = 'Contoso'");
    assert_eq!(app.count(&total).await, 11500);
    let lines = format!(
        "SELECT CAST(SUM(amount_minor) AS BIGINT) FROM invoice_lines WHERE invoice_id = {id}"
    );
    assert_eq!(app.count(&lines).await, 11500);
    // A mistake is voided; a void invoice stays void.
    sqlx::query("UPDATE invoices SET status = 'void' WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await
        .expect("void");
    let back = sqlx::query("UPDATE invoices SET status = 'issued' WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await;
    assert!(back.is_err());
    let view = app
        .call(
            "invoice",
            &[("invoice_id", &id.to_string())],
            Some(&w.billing),
            &[],
        )
        .await;
    assert_eq!(view.status, 200, "{}", view.body);
    assert!(view.body.contains(r#""status":"Void""#), "{}", view.body);
});
