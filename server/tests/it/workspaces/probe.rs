//! Issue 9: what an outside probe found.

use super::*;

/// Every value of every row of `table`, as text.
async fn every_value(app: &TestApp, table: &str) -> Vec<String> {
    use sqlx::{Column, Row};
    let rows = sqlx::query(&format!("SELECT * FROM {table}"))
        .fetch_all(app.state.db.pool())
        .await
        .expect("rows");
    let mut values = Vec::new();
    for row in &rows {
        for column in row.columns() {
            let i = column.ordinal();
            if let Ok(Some(text)) = row.try_get::<Option<String>, _>(i) {
                values.push(text);
            } else if let Ok(Some(n)) = row.try_get::<Option<i64>, _>(i) {
                values.push(n.to_string());
            }
        }
    }
    values
}

on_both_engines!(no_string_in_the_database_opens_an_invitation, |app| {
    let deal = contoso(&app).await;
    let admin = register(&app, "sa@contoso.com").await;
    let invited = invite(
        &app,
        &admin,
        deal.workspace,
        "bob@contoso.com",
        "member",
        false,
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    // The mail that left carries a link that opens the invitation…
    let token = app.token_for("bob@contoso.com").await;
    let preview = app
        .call("invitation_preview", &[("token", &token)], None, &[])
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE to_address = 'bob@contoso.com' AND sent_at IS NOT NULL")
            .await,
        1
    );
    // …and nothing the database holds does: not the token, not any token-shaped run of
    // characters, not any whole value, in the outbox or the invitations.
    let mut candidates = std::collections::BTreeSet::new();
    for table in ["outbox", "invitations"] {
        for value in every_value(&app, table).await {
            assert!(!value.contains(&token), "{table} holds the token: {value}");
            for run in value.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')) {
                if run.len() >= 16 {
                    candidates.insert(run.to_owned());
                }
            }
            candidates.insert(value);
        }
    }
    assert!(candidates.len() > 10, "{candidates:?}");
    for candidate in &candidates {
        let opened = app
            .call("invitation_preview", &[("token", candidate)], None, &[])
            .await;
        assert_ne!(opened.status, 200, "{candidate:?} opens an invitation");
    }
    // The mail text the outbox keeps still says where the link goes, without its token.
    let stored = app.latest_mail("bob@contoso.com").await;
    assert!(stored.contains(BASE_LINK), "{stored}");
});

on_both_engines!(an_older_queued_mail_cannot_undo_a_resend, |app| {
    let deal = contoso(&app).await;
    let admin = register(&app, "sa@contoso.com").await;
    let invited = invite(
        &app,
        &admin,
        deal.workspace,
        "bob@contoso.com",
        "member",
        false,
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    // Sent again before the first mail left: only the second one goes out, and it works.
    let id = invitation_id(&app, deal.workspace, "bob@contoso.com")
        .await
        .to_string();
    let workspace = deal.workspace.to_string();
    let resent = app
        .call(
            "resend_invitation",
            &[("workspace_id", &workspace), ("invitation_id", &id)],
            Some(&admin),
            &[],
        )
        .await;
    assert_eq!(resent.status, 200, "{}", resent.body);
    let token = app.token_for("bob@contoso.com").await;
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE to_address = 'bob@contoso.com' \
             AND sent_at IS NULL AND last_error IS NOT NULL"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE to_address = 'bob@contoso.com' AND sent_at IS NOT NULL")
            .await,
        1
    );
    let preview = app
        .call("invitation_preview", &[("token", &token)], None, &[])
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
});

on_both_engines!(
    invitations_draw_on_a_daily_budget_of_addresses,
    config = |config| config.invitations_per_day = 5,
    |app| {
        let deal = contoso(&app).await;
        let admin = register(&app, "sa@contoso.com").await;
        // One request of six addresses is over the budget of five: refused at the field, and
        // nothing is written.
        let before = app.count("SELECT COUNT(*) FROM invitations").await;
        let six = "a@contoso.com, b@contoso.com, c@contoso.com, d@contoso.com, e@contoso.com, f@contoso.com";
        let refused = invite(&app, &admin, deal.workspace, six, "member", false).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(
            refused.body.contains("can send 5 more invitations today"),
            "{}",
            refused.body
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, before);
        // Four pass; a resend draws one more; then two addresses are one too many.
        let four = "a@contoso.com, b@contoso.com, c@contoso.com, d@contoso.com";
        let sent = invite(&app, &admin, deal.workspace, four, "member", false).await;
        assert_eq!(sent.status, 200, "{}", sent.body);
        let id = invitation_id(&app, deal.workspace, "a@contoso.com")
            .await
            .to_string();
        let workspace = deal.workspace.to_string();
        let resend = |app: TestApp| {
            let (admin, workspace, id) = (admin.clone(), workspace.clone(), id.clone());
            async move {
                app.call(
                    "resend_invitation",
                    &[("workspace_id", &workspace), ("invitation_id", &id)],
                    Some(&admin),
                    &[],
                )
                .await
            }
        };
        assert_eq!(resend(app.clone()).await.status, 200);
        let two = invite(
            &app,
            &admin,
            deal.workspace,
            "e@contoso.com, f@contoso.com",
            "member",
            false,
        )
        .await;
        assert_eq!(two.status, 422, "{}", two.body);
        assert!(
            two.body.contains("can send 0 more invitations today"),
            "{}",
            two.body
        );
        let again = resend(app.clone()).await;
        assert_eq!(again.status, 409, "{}", again.body);
        assert!(
            again.body.contains("0 more invitations today"),
            "{}",
            again.body
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM invitations").await,
            before + 4
        );
        // Another workspace has a budget of its own.
        let other = self::deal(
            &app,
            Terms {
                services_admins: &["sa2@contoso.com"],
                ..Terms::default()
            },
        )
        .await;
        let admin2 = register(&app, "sa2@contoso.com").await;
        let there = invite(
            &app,
            &admin2,
            other.workspace,
            "e@contoso.com",
            "member",
            false,
        )
        .await;
        assert_eq!(there.status, 200, "{}", there.body);
    }
);
