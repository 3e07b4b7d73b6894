//! The operator's command line, run as the built binary on a fresh SQLite file.

use std::{
    io::Write,
    process::{Command, Stdio},
};

struct Cli {
    dir: tempfile::TempDir,
}

struct Outcome {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl Cli {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn url(&self) -> String {
        format!("sqlite://{}/cli.db?mode=rwc", self.dir.path().display())
    }

    fn run(&self, args: &[&str], stdin: &str) -> Outcome {
        let mut child = Command::new(env!("CARGO_BIN_EXE_services-hub"))
            .args(args)
            .env("DATABASE_URL", self.url())
            .env("SERVICES_HUB_BASE_URL", "http://hub.example")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start services-hub");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        let output = child.wait_with_output().expect("wait");
        Outcome {
            ok: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn count(&self, table: &str) -> i64 {
        self.number(&format!("SELECT COUNT(*) FROM {table}"))
    }

    /// The one number a query answers.
    fn number(&self, sql: &str) -> i64 {
        let url = self.url();
        let sql = sql.to_owned();
        tokio::runtime::Runtime::new()
            .expect("runtime")
            .block_on(async move {
                let db = services_hub::open_database(&url).await.expect("open");
                let row: (i64,) = sqlx::query_as(&sql)
                    .fetch_one(db.pool())
                    .await
                    .expect("number");
                row.0
            })
    }
}

fn assert_refused(outcome: &Outcome, reason: &str) {
    assert!(!outcome.ok, "should fail: {}", outcome.stdout);
    let lines: Vec<&str> = outcome
        .stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(lines.len(), 1, "one line: {:?}", outcome.stderr);
    assert!(lines[0].contains(reason), "{reason:?} in {:?}", lines[0]);
}

mod admin;
mod agreements;
