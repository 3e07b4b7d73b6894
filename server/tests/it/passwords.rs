//! "Forgot your password?" and the set-password link (issue 14, item 5), over HTTP on SQLite and
//! PostgreSQL: the mail is queued without its token, the mailed link works once within its hour,
//! the stored hash opens nothing, every session ends and the lockout clears.

mod limits;

use crate::common::{token_in, TestApp, TestResponse, PASSWORD};

const PAT: &str = "pat@home.example";
const NEW_PASSWORD: &str = "a brand new passphrase";

pub async fn forgot(app: &TestApp, email: &str, headers: &[(&str, &str)]) -> TestResponse {
    app.call("request_password_reset", &[("email", email)], None, headers)
        .await
}

async fn set(app: &TestApp, token: &str, new: &str, again: &str) -> TestResponse {
    app.call(
        "set_new_password",
        &[
            ("token", token),
            ("new_password", new),
            ("confirm_password", again),
        ],
        None,
        &[],
    )
    .await
}

async fn link(app: &TestApp, token: &str) -> String {
    let response = app
        .call("password_link", &[("token", token)], None, &[])
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    response.body
}

/// Where the answer sends the browser (the server function's redirect).
pub fn redirect(response: &TestResponse) -> String {
    response.header("location").unwrap_or_default().to_owned()
}

async fn text(app: &TestApp, sql: &str) -> String {
    use sqlx::Row;
    sqlx::query(sql)
        .fetch_one(app.state.db.pool())
        .await
        .expect(sql)
        .try_get::<String, _>(0)
        .expect("text")
}

on_both_engines!(a_reset_link_works_once_and_ends_every_session, |app| {
    let pat = app.create_account("personal", PAT, "Pat Doe").await;
    let first = app.signed_in(PAT, "personal").await;
    let second = app.signed_in(PAT, "personal").await;
    app.exec(&format!(
        "UPDATE accounts SET failed_attempts = 3, lockouts = 2, locked_until = 9999999999 WHERE id = {pat}"
    ))
    .await;

    let asked = forgot(&app, PAT, &[]).await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    assert_eq!(redirect(&asked), "/forgot-password?sent=1");
    // Queued without its token: the link ends where the worker will put it.
    let queued = app.latest_mail(PAT).await;
    assert!(queued.contains("/reset-password?token=\n"), "{queued}");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM password_tokens WHERE token_hash IS NULL AND purpose = 'reset'"
        )
        .await,
        1
    );

    let mail = app.delivered_mail(PAT).await;
    assert!(
        mail.contains("Subject: Reset your personal account password"),
        "{mail}"
    );
    assert!(
        mail.contains("http://127.0.0.1:3000/reset-password?token="),
        "{mail}"
    );
    let token = token_in(&mail);
    // The database's copy opens nothing.
    let stored = text(&app, "SELECT token_hash FROM password_tokens").await;
    assert_ne!(stored, token);
    assert_eq!(link(&app, &stored).await, "null");
    let with_hash = set(&app, &stored, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(with_hash.status, 409, "{}", with_hash.body);

    // Opening the link (GET, or a mail scanner) uses nothing up.
    assert_eq!(link(&app, &token).await, "\"Reset\"");
    let page = app
        .get(&format!("/reset-password?token={token}"), None)
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Choose a new password"), "{}", page.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM password_tokens WHERE used_at IS NULL")
            .await,
        1
    );

    // The new password's rules, all fields at once; nothing changes.
    let bad = set(&app, &token, "password", "other").await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("new_password"), "{}", bad.body);
    let differ = set(&app, &token, NEW_PASSWORD, "something else entirely").await;
    assert_eq!(differ.status, 422, "{}", differ.body);
    assert!(differ.body.contains("confirm_password"), "{}", differ.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 2);

    let done = set(&app, &token, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(
        redirect(&done),
        "/reset-password?done=1&identifier=pat%40home.example&kind=personal"
    );
    // Every session ended, the lockout cleared, the audit log says so.
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    for cookie in [&first, &second] {
        let me = app.call("current_user", &[], Some(cookie), &[]).await;
        assert_eq!(me.body, "null", "{}", me.body);
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM accounts WHERE id = {pat} AND failed_attempts = 0 \
             AND lockouts = 0 AND locked_until IS NULL"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'password.reset' AND object_id = {pat}"
        ))
        .await,
        1
    );

    // Once only.
    let again = set(
        &app,
        &token,
        "yet another passphrase",
        "yet another passphrase",
    )
    .await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(
        again.body.contains("expired or was already used"),
        "{}",
        again.body
    );
    assert_eq!(link(&app, &token).await, "null");
    let dead = app
        .get(&format!("/reset-password?token={token}"), None)
        .await;
    assert!(dead.body.contains("Ask for a new link"), "{}", dead.body);

    // The old password no longer works; the new one does.
    let old = app.sign_in(PAT, "personal", PASSWORD).await;
    assert_eq!(old.status, 422, "{}", old.body);
    let new = app.sign_in(PAT, "personal", NEW_PASSWORD).await;
    assert_eq!(new.status, 200, "{}", new.body);
});

on_both_engines!(
    a_link_is_dead_after_its_hour_and_after_another_reset,
    |app| {
        app.create_account("personal", PAT, "Pat Doe").await;
        assert_eq!(forgot(&app, PAT, &[]).await.status, 200);
        let stale = token_in(&app.delivered_mail(PAT).await);
        assert_eq!(forgot(&app, PAT, &[]).await.status, 200);
        let second = token_in(&app.delivered_mail(PAT).await);
        assert_eq!(forgot(&app, PAT, &[]).await.status, 200);
        let third = token_in(&app.delivered_mail(PAT).await);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM password_tokens WHERE expires_at - created_at = 3600")
                .await,
            3
        );

        // Past its hour: refused, and the page says to ask again.
        app.exec("UPDATE password_tokens SET expires_at = 1").await;
        let late = set(&app, &stale, NEW_PASSWORD, NEW_PASSWORD).await;
        assert_eq!(late.status, 409, "{}", late.body);
        assert_eq!(link(&app, &stale).await, "null");

        // A reset with one link ends the account's other links.
        app.exec("UPDATE password_tokens SET expires_at = 9999999999")
            .await;
        let done = set(&app, &second, NEW_PASSWORD, NEW_PASSWORD).await;
        assert_eq!(done.status, 200, "{}", done.body);
        let other = set(
            &app,
            &third,
            "yet another passphrase",
            "yet another passphrase",
        )
        .await;
        assert_eq!(other.status, 409, "{}", other.body);
        let unknown = set(&app, &"A".repeat(43), NEW_PASSWORD, NEW_PASSWORD).await;
        assert_eq!(unknown.status, 409, "{}", unknown.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM password_tokens WHERE used_at IS NULL")
                .await,
            0
        );
    }
);

on_both_engines!(an_unknown_or_disabled_address_gets_the_same_answer, |app| {
    let pat = app.create_account("personal", PAT, "Pat Doe").await;
    app.create_account("personal", "dana@home.example", "Dana")
        .await;
    app.exec("UPDATE accounts SET disabled_at = 1 WHERE email = 'dana@home.example'")
        .await;
    let known = forgot(&app, PAT, &[]).await;
    let unknown = forgot(&app, "nobody@home.example", &[]).await;
    let disabled = forgot(&app, "dana@home.example", &[]).await;
    for other in [&unknown, &disabled] {
        assert_eq!(other.status, known.status);
        assert_eq!(other.body, known.body);
        assert_eq!(redirect(other), redirect(&known));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM password_tokens WHERE account_id = {pat}"
        ))
        .await,
        1
    );
    let page = app.get("/forgot-password?sent=1", None).await;
    assert!(
        page.body.contains("If an account uses this address"),
        "{}",
        page.body
    );
    // Not an address at all: said at the field.
    let bad = forgot(&app, "not an address", &[]).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
});

on_both_engines!(a_new_user_sets_a_password_from_the_welcome_mail, |app| {
    app.create_organization("Contoso", "contoso.com").await;
    let id = app
        .create_account("work", "lee@contoso.com", "Lee Gu")
        .await;
    let mut tx = app.state.db.begin_write().await.expect("tx");
    app::accounts::passwords::ask_to_set(
        &mut tx,
        "http://127.0.0.1:3000/",
        id,
        "lee@contoso.com",
        "Lee Gu",
    )
    .await
    .expect("queued");
    tx.commit().await.expect("commit");
    assert!(app
        .latest_mail("lee@contoso.com")
        .await
        .contains("/set-password?token=\n"));

    let mail = app.delivered_mail("lee@contoso.com").await;
    assert!(
        mail.contains("Subject: Set your password for Services Hub"),
        "{mail}"
    );
    assert!(
        mail.contains("http://127.0.0.1:3000/set-password?token="),
        "{mail}"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM password_tokens WHERE purpose = 'welcome' \
                   AND expires_at - created_at = 604800"
        )
        .await,
        1
    );
    let token = token_in(&mail);
    assert_eq!(link(&app, &token).await, "\"Welcome\"");
    let page = app.get(&format!("/set-password?token={token}"), None).await;
    assert!(page.body.contains("Set your password"), "{}", page.body);
    let done = set(&app, &token, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        redirect(&done).starts_with("/set-password?done=1"),
        "{}",
        redirect(&done)
    );
    assert_eq!(
        app.sign_in("lee@contoso.com", "work", NEW_PASSWORD)
            .await
            .status,
        200
    );
    assert_eq!(
        set(&app, &token, NEW_PASSWORD, NEW_PASSWORD).await.status,
        409
    );
});

on_both_engines!(each_account_of_the_address_gets_its_own_mail, |app| {
    app.create_organization("Contoso", "contoso.com").await;
    app.create_account("work", "megan@contoso.com", "Megan Bowen")
        .await;
    app.create_account("personal", "megan@contoso.com", "Megan Personal")
        .await;
    assert_eq!(forgot(&app, "Megan@Contoso.com", &[]).await.status, 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM password_tokens").await, 2);
    let subjects = app
        .count(
            "SELECT COUNT(*) FROM outbox WHERE subject LIKE '%work or school account%' \
                OR subject LIKE '%personal account%'",
        )
        .await;
    assert_eq!(subjects, 2);
    assert_eq!(app.deliver_mail().await, 2);
});
