//! The mail outbox: mail exists only if its transaction commits, each message goes out once,
//! failures are retried later, and two workers never deliver the same message twice.

use app::mail::{deliver_due, enqueue, Mailer};
use std::path::Path;

const FROM: &str = "Services Hub <no-reply@127.0.0.1>";

/// The `.eml` files in a folder, sorted by name.
fn eml_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The outbox id a file was named after (`<id>-<timestamp>.eml`).
fn file_id(path: &Path) -> i64 {
    let name = path.file_name().and_then(|n| n.to_str()).expect("name");
    name.split('-')
        .next()
        .expect("id")
        .parse()
        .expect("numeric id")
}

async fn queue(app: &crate::common::TestApp, messages: &[(&str, &str, &str)]) {
    let mut tx = app.state.db.begin_write().await.expect("begin");
    for (to, subject, body) in messages {
        enqueue(&mut tx, to, subject, body).await.expect("enqueue");
    }
    tx.commit().await.expect("commit");
}

on_both_engines!(committed_mail_is_delivered_once, |app| {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("mail");
    let mailer = Mailer::from_settings(folder.to_str().expect("utf-8"), None).expect("mailer");

    queue(
        &app,
        &[
            (
                "alice@example.com",
                "Welcome Alice",
                "Hello Alice,\nyour account is ready.",
            ),
            (
                "bob@example.com",
                "Welcome Bob",
                "Hello Bob,\nyour account is ready.",
            ),
            (
                "carol@example.com",
                "Welcome Carol",
                "Hello Carol,\nyour account is ready.",
            ),
        ],
    )
    .await;
    let mut rolled_back = app.state.db.begin_write().await.expect("begin");
    enqueue(&mut rolled_back, "mallory@example.com", "Never", "Not sent")
        .await
        .expect("enqueue");
    rolled_back.rollback().await.expect("rollback");

    let sent = deliver_due(&app.state.db, &mailer, FROM, 10)
        .await
        .expect("deliver");
    assert_eq!(sent, 3);
    let files = eml_files(&folder);
    assert_eq!(files.len(), 3, "{files:?}");
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read eml"))
        .collect();
    for name in ["Alice", "Bob", "Carol"] {
        let lower = name.to_lowercase();
        let text = texts
            .iter()
            .find(|t| t.contains(&format!("To: {lower}@example.com")))
            .unwrap_or_else(|| panic!("no message to {lower}: {texts:?}"));
        assert!(text.contains(&format!("Subject: Welcome {name}")), "{text}");
        assert!(text.contains(&format!("Hello {name},")), "{text}");
        assert!(text.contains("your account is ready."), "{text}");
        assert!(
            text.contains("From: \"Services Hub\" <no-reply@127.0.0.1>"),
            "{text}"
        );
    }
    assert!(texts.iter().all(|t| !t.contains("mallory")));
    // No half-written temp file is left behind.
    assert_eq!(std::fs::read_dir(&folder).expect("folder").count(), 3);

    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 3);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND claimed_until IS NULL"
        )
        .await,
        3
    );

    let again = deliver_due(&app.state.db, &mailer, FROM, 10)
        .await
        .expect("deliver");
    assert_eq!(again, 0);
    assert_eq!(eml_files(&folder).len(), 3);
});

on_both_engines!(failures_are_recorded_and_retried, |app| {
    // Port 9 (discard) on loopback is closed here: the connection is refused at once.
    let broken = Mailer::from_settings("unused", Some("smtp://127.0.0.1:9")).expect("mailer");
    assert!(matches!(broken, Mailer::Smtp(_)));
    queue(
        &app,
        &[("dave@example.com", "Retry me", "Second time lucky.")],
    )
    .await;

    let before = app.state.db.pool().clone();
    let sent = deliver_due(&app.state.db, &broken, FROM, 10)
        .await
        .expect("deliver");
    assert_eq!(sent, 0);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND attempts = 1 \
                   AND last_error IS NOT NULL AND claimed_until IS NULL"
        )
        .await,
        1
    );
    let now = app::state::now();
    let next: i64 = sqlx::query_scalar("SELECT next_attempt_at FROM outbox")
        .fetch_one(&before)
        .await
        .expect("next attempt");
    assert!(
        next >= now + 25 && next <= now + 60,
        "next attempt at {next}, now {now}"
    );

    // Not due yet: nothing is claimed, not even by a working mailer.
    let dir = tempfile::tempdir().expect("temp dir");
    let working = Mailer::Folder(dir.path().to_path_buf());
    assert_eq!(
        deliver_due(&app.state.db, &working, FROM, 10)
            .await
            .expect("deliver"),
        0
    );
    assert_eq!(app.count("SELECT attempts FROM outbox").await, 1);

    // A mail folder that is a regular file fails too, and counts as a second attempt.
    let not_a_folder = dir.path().join("file");
    std::fs::write(&not_a_folder, "x").expect("file");
    sqlx::query("UPDATE outbox SET next_attempt_at = 0")
        .execute(&before)
        .await
        .expect("make due");
    let sent = deliver_due(&app.state.db, &Mailer::Folder(not_a_folder), FROM, 10)
        .await
        .expect("deliver");
    assert_eq!(sent, 0);
    assert_eq!(app.count("SELECT attempts FROM outbox").await, 2);
    let next: i64 = sqlx::query_scalar("SELECT next_attempt_at FROM outbox")
        .fetch_one(&before)
        .await
        .expect("next attempt");
    assert!(next >= now + 55, "backs off further: {next}, now {now}");

    // Time passes; the mailer works again.
    sqlx::query("UPDATE outbox SET next_attempt_at = 0")
        .execute(&before)
        .await
        .expect("make due");
    assert_eq!(
        deliver_due(&app.state.db, &working, FROM, 10)
            .await
            .expect("deliver"),
        1
    );
    let files = eml_files(dir.path());
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(&files[0]).expect("read eml");
    assert!(text.contains("Subject: Retry me") && text.contains("Second time lucky."));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts = 3 \
                   AND last_error IS NULL"
        )
        .await,
        1
    );
});

on_both_engines!(gives_up_after_the_last_attempt, |app| {
    queue(&app, &[("erin@example.com", "Doomed", "Never arrives.")]).await;
    sqlx::query("UPDATE outbox SET attempts = $1")
        .bind(app::mail::MAX_ATTEMPTS - 1)
        .execute(app.state.db.pool())
        .await
        .expect("attempts");
    let broken = Mailer::from_settings("unused", Some("smtp://127.0.0.1:9")).expect("mailer");
    assert_eq!(
        deliver_due(&app.state.db, &broken, FROM, 10)
            .await
            .expect("deliver"),
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND last_error IS NOT NULL \
                   AND next_attempt_at > 4000000000"
        )
        .await,
        1
    );
});

on_both_engines!(concurrent_workers_deliver_each_message_once, |app| {
    const MESSAGES: usize = 20;
    let dir = tempfile::tempdir().expect("temp dir");
    let mailer = Mailer::Folder(dir.path().to_path_buf());
    let addresses: Vec<String> = (0..MESSAGES)
        .map(|i| format!("user{i}@example.com"))
        .collect();
    let messages: Vec<(&str, &str, &str)> = addresses
        .iter()
        .map(|a| (a.as_str(), "Notice", "Something happened."))
        .collect();
    queue(&app, &messages).await;

    // Two workers in small batches, so their claims interleave.
    let worker = || async {
        let mut sent = 0;
        for _ in 0..8 {
            sent += deliver_due(&app.state.db, &mailer, FROM, 2)
                .await
                .expect("deliver");
        }
        sent
    };
    let (a, b) = tokio::join!(worker(), worker());
    // Whatever both left (each saw the other's claims) goes now.
    let rest = deliver_due(&app.state.db, &mailer, FROM, 100)
        .await
        .expect("deliver");
    assert_eq!(a + b + rest, MESSAGES, "a {a}, b {b}, rest {rest}");

    let files = eml_files(dir.path());
    assert_eq!(files.len(), MESSAGES, "{files:?}");
    let mut ids: Vec<i64> = files.iter().map(|f| file_id(f)).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), MESSAGES, "a message was delivered twice");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts = 1")
            .await,
        MESSAGES as i64
    );
});

// The SMTP connection pool starts a task, so even building a mailer needs the runtime.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_smtp_url_is_a_one_line_error() {
    let error = Mailer::from_settings("unused", Some("ftp://user:secret@mail.example.com"))
        .expect_err("bad scheme");
    assert!(
        !error.contains('\n') && !error.contains("secret"),
        "{error}"
    );
    assert!(error.starts_with("SERVICES_HUB_SMTP_URL"), "{error}");
    assert!(Mailer::from_settings("unused", Some("not a url")).is_err());
    assert!(matches!(
        Mailer::from_settings("unused", Some("smtps://user:pass@mail.example.com")),
        Ok(Mailer::Smtp(_))
    ));
}
