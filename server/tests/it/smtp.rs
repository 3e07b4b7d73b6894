//! Mail through a real SMTP server (issue 15, item 4): Python's aiosmtpd (end2end/smtp/server.py)
//! on a loopback port, with AUTH. The outbox delivers a password-reset mail through it; the
//! stored message has the right envelope and headers and its link works through the router. A
//! wrong SMTP password, a server that answers 451 and one that drops the connection each leave
//! the message unsent with a recorded failure and a backoff, and the next due round delivers it
//! exactly once.

use crate::common::{TestApp, PASSWORD};
use app::mail::{deliver_due, from_address, Mailer};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

const USER: &str = "hub";
const SMTP_PASSWORD: &str = "s3cret-relay-pass";
const PAT: &str = "pat@home.example";
const BASE: &str = "http://127.0.0.1:3000";

/// The Python SMTP server, killed when dropped.
struct SmtpServer {
    child: Child,
    port: u16,
    folder: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmtpServer {
    /// Starts `server.py` with `flags` (`--refuse N`, `--drop N`) on a free port.
    fn start(flags: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = dir.path().join("received");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/smtp/server.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(&folder)
            .args(flags)
            .env("SMTP_USER", USER)
            .env("SMTP_PASSWORD", SMTP_PASSWORD)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 with aiosmtpd (scripts/install.sh --test)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the server's first line");
        let port = line
            .trim()
            .strip_prefix("ready ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!("the SMTP server did not start (is aiosmtpd installed?): {line:?}")
            });
        Self {
            child,
            port,
            folder,
            _dir: dir,
        }
    }

    fn mailer(&self, password: &str) -> Mailer {
        let url = format!("smtp://{USER}:{password}@127.0.0.1:{}", self.port);
        Mailer::from_settings("unused", Some(&url)).expect("mailer")
    }

    /// Every stored message: (the `.eml` as a reader sees it, the envelope).
    fn received(&self) -> Vec<(String, serde_json::Value)> {
        (1..)
            .map(|n| self.folder.join(format!("{n}.eml")))
            .take_while(|path| path.exists())
            .map(|path| {
                let raw = std::fs::read_to_string(&path).expect("eml");
                let sidecar = std::fs::read_to_string(path.with_extension("json")).expect("json");
                (
                    crate::common::decode_mail(&raw),
                    serde_json::from_str(&sidecar).expect("envelope"),
                )
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The value of a header line (`Name: value`) in a message's head.
fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    let head = message.split("\r\n\r\n").next().unwrap_or(message);
    head.lines()
        .find_map(|line| line.strip_prefix(&format!("{name}: ")))
        .map(str::trim_end)
}

/// Pat asks for a password reset: one message in the outbox, its link made at delivery.
async fn queue_reset(app: &TestApp) {
    app.create_account("personal", PAT, "Pat Doe").await;
    let asked = crate::passwords::forgot(app, PAT, &[]).await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 1);
}

async fn deliver(app: &TestApp, mailer: &Mailer) -> usize {
    deliver_due(&app.state.db, mailer, &from_address(BASE), 10)
        .await
        .expect("deliver")
}

/// The mailed link, followed through the router: the reset form, then a new password that signs in.
async fn follow_reset_link(app: &TestApp, message: &str) {
    let start = message
        .find(&format!("{BASE}/reset-password?token="))
        .unwrap_or_else(|| panic!("a link on the base URL in {message}"));
    let url: String = message[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let path = url.strip_prefix(BASE).expect("on the base URL");
    let page = app.get(path, None).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Choose a new password"), "{}", page.body);
    let token = crate::common::token_in(message);
    let new = "a passphrase from the mail";
    let set = app
        .call(
            "set_new_password",
            &[
                ("token", token.as_str()),
                ("new_password", new),
                ("confirm_password", new),
            ],
            None,
            &[],
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(app.sign_in(PAT, "personal", new).await.status, 200);
    assert_eq!(app.sign_in(PAT, "personal", PASSWORD).await.status, 422);
}

on_both_engines!(
    a_mail_arrives_through_smtp_with_its_headers_and_a_working_link,
    |app| {
        let server = SmtpServer::start(&[]);
        queue_reset(&app).await;
        let before = time::OffsetDateTime::now_utc().unix_timestamp();
        assert_eq!(deliver(&app, &server.mailer(SMTP_PASSWORD)).await, 1);

        let received = server.received();
        assert_eq!(received.len(), 1);
        let (message, envelope) = &received[0];
        assert_eq!(envelope["mail_from"], "no-reply@127.0.0.1");
        assert_eq!(envelope["rcpt_tos"], serde_json::json!([PAT]));
        assert_eq!(envelope["login"], USER, "the server required AUTH");
        assert_eq!(
            header(message, "From"),
            Some("\"Services Hub\" <no-reply@127.0.0.1>")
        );
        assert_eq!(header(message, "To"), Some(PAT));
        assert_eq!(
            header(message, "Subject"),
            Some("Reset your personal account password for Services Hub")
        );
        let date = header(message, "Date").expect("Date");
        let date =
            time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc2822)
                .unwrap_or_else(|e| panic!("Date {date:?}: {e}"))
                .unix_timestamp();
        assert!(
            (before - 5..=before + 60).contains(&date),
            "{date} vs {before}"
        );
        let id = header(message, "Message-ID").expect("Message-ID");
        assert!(
            id.starts_with('<') && id.ends_with("@127.0.0.1>") && id.len() > 20,
            "{id}"
        );

        assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts = 1 AND last_error IS NULL")
            .await,
        1
    );
        follow_reset_link(&app, message).await;
    }
);

/// Asserts the one message is unsent with a failure recorded and its retry in the future.
async fn assert_failed_once(app: &TestApp) {
    let now = app::state::now();
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND attempts = 1 \
             AND last_error IS NOT NULL AND claimed_until IS NULL AND next_attempt_at > {now}"
        ))
        .await,
        1
    );
}

on_both_engines!(
    a_wrong_smtp_password_is_recorded_and_nothing_is_sent,
    |app| {
        let server = SmtpServer::start(&[]);
        queue_reset(&app).await;
        assert_eq!(deliver(&app, &server.mailer("not-the-password")).await, 0);
        assert_failed_once(&app).await;
        assert!(server.received().is_empty());
        let error: String = sqlx::query_scalar("SELECT last_error FROM outbox")
            .fetch_one(app.state.db.pool())
            .await
            .expect("last error");
        assert!(!error.contains("not-the-password"), "{error}");

        // Not due yet, even with the right password; once due, it goes once.
        let right = server.mailer(SMTP_PASSWORD);
        assert_eq!(deliver(&app, &right).await, 0);
        app.exec(&format!(
            "UPDATE outbox SET next_attempt_at = {}",
            app::state::now()
        ))
        .await;
        assert_eq!(deliver(&app, &right).await, 1);
        assert_eq!(deliver(&app, &right).await, 0);
        assert_eq!(server.received().len(), 1);
    }
);

/// A server that fails the first attempt (`flag`): the failure is recorded with a backoff, and
/// when time has passed (the test moves `next_attempt_at`) the next round delivers exactly once,
/// with a link that works.
async fn retried_after(app: &TestApp, flag: &str, error_says: &str) {
    let server = SmtpServer::start(&[flag, "1"]);
    let mailer = server.mailer(SMTP_PASSWORD);
    queue_reset(app).await;
    let now = app::state::now();
    assert_eq!(deliver(app, &mailer).await, 0);
    assert_failed_once(app).await;
    let (error, next): (String, i64) =
        sqlx::query_as("SELECT last_error, next_attempt_at FROM outbox")
            .fetch_one(app.state.db.pool())
            .await
            .expect("outbox");
    assert!(error.contains(error_says), "{error}");
    assert!(next >= now + 25, "backs off: {next}, now {now}");
    assert!(server.received().is_empty());

    assert_eq!(deliver(app, &mailer).await, 0, "not due yet");
    app.exec(&format!(
        "UPDATE outbox SET next_attempt_at = {}",
        app::state::now()
    ))
    .await;
    assert_eq!(deliver(app, &mailer).await, 1);
    assert_eq!(deliver(app, &mailer).await, 0);
    let received = server.received();
    assert_eq!(received.len(), 1, "delivered exactly once");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts = 2 AND last_error IS NULL")
            .await,
        1
    );
    follow_reset_link(app, &received[0].0).await;
}

on_both_engines!(a_refusing_server_makes_the_outbox_retry, |app| {
    retried_after(
        &app,
        "--refuse",
        "transient error (451): 4.3.0 try again later",
    )
    .await;
});

on_both_engines!(a_dropped_connection_makes_the_outbox_retry, |app| {
    retried_after(&app, "--drop", "incomplete response").await;
});
