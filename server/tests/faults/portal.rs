//! The real server binary as a child process on a database of its own (a SQLite file in a temp
//! folder, or a fresh PostgreSQL database dropped afterwards), set up through its admin command
//! line as an operator would, and called over HTTP as a browser would.

use std::{
    io::Write,
    path::PathBuf,
    process::{Child, Command, ExitStatus, Stdio},
    time::{Duration, Instant},
};

const BIN: &str = env!("CARGO_BIN_EXE_services-hub");
pub const PASSWORD: &str = "Faults-Test-Password-2026";
pub const OPENER: &str = "opener@contoso.com";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

pub fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

pub struct Portal {
    pub database_url: String,
    pub port: u16,
    pub workspace: i64,
    dir: tempfile::TempDir,
    /// The PostgreSQL database to drop at the end.
    postgres: Option<String>,
    child: Option<Child>,
    /// Settings of this test's own for the server (`set`).
    settings: Vec<(&'static str, String)>,
}

impl Portal {
    /// A fresh database with one organization and a workspace whose support contact is
    /// `OPENER`; the server is not started yet.
    pub async fn new(engine: Engine) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, postgres) = match engine {
            Engine::Sqlite => (
                format!("sqlite://{}/faults.db?mode=rwc", dir.path().display()),
                None,
            ),
            Engine::Postgres => {
                let name = format!("sh_faults_{}", uuid::Uuid::new_v4().simple());
                crate::store::admin_execute(&format!("CREATE DATABASE {name}")).await;
                let admin = postgres_admin_url();
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
                (format!("{base}/{name}"), Some(name))
            }
        };
        // The binary refuses to start without the site files a page names; empty ones do here
        // (no test loads them), so the test needs no WASM build.
        let pkg = dir.path().join("site/pkg");
        std::fs::create_dir_all(&pkg).expect("site folder");
        for file in ["services-hub.js", "services-hub.wasm", "services-hub.css"] {
            std::fs::write(pkg.join(file), b"").expect("site file");
        }
        std::fs::create_dir_all(dir.path().join("mail")).expect("mail folder");
        let port = free_port();
        let mut portal = Self {
            database_url,
            port,
            workspace: 0,
            dir,
            postgres,
            child: None,
            settings: Vec::new(),
        };
        portal.set_up();
        portal
    }

    fn set_up(&mut self) {
        self.admin(&[
            "create-organization",
            "--name",
            "Contoso",
            "--domain",
            "contoso.com",
        ]);
        self.admin_with_input(
            &[
                "create-account",
                "--email",
                OPENER,
                "--kind",
                "work",
                "--name",
                "Olivia Opener",
            ],
            PASSWORD,
        );
        let agreement = self.admin(&[
            "create-agreement",
            "--organization",
            "Contoso",
            "--type",
            "unified",
            "--services-admin",
            "sa@contoso.com",
            "--contact-limit",
            "3",
        ]);
        let activated = self.admin(&["activate-agreement", "--agreement", agreement.trim()]);
        self.workspace = activated
            .split("Default Workspace ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("no workspace id in {activated:?}"));
        let workspace = self.workspace.to_string();
        self.admin(&[
            "add-member",
            "--workspace",
            &workspace,
            "--email",
            OPENER,
            "--support-contact",
        ]);
    }

    /// A setting for the server's next start.
    pub fn set(&mut self, name: &'static str, value: impl Into<String>) {
        self.settings.push((name, value.into()));
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.dir.path().join("mail")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// The binary with this portal's settings and nothing from the caller's environment that
    /// could send it elsewhere (an SMTP server, proxies, a DNS server).
    fn command(&self) -> Command {
        let mut command = Command::new(BIN);
        for name in [
            "SERVICES_HUB_SMTP_URL",
            "SERVICES_HUB_TRUSTED_PROXIES",
            "SERVICES_HUB_DNS_SERVER",
            "SERVICES_HUB_SECRET_KEY",
            "RUST_LOG",
        ] {
            command.env_remove(name);
        }
        command
            .current_dir(self.dir.path())
            .env("DATABASE_URL", &self.database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", self.port))
            .env("SERVICES_HUB_BASE_URL", self.base_url())
            .env("SERVICES_HUB_MAIL_DIR", self.mail_dir())
            .env("SERVICES_HUB_SIGN_IN_ATTEMPTS_PER_MINUTE", "100000")
            .env("LEPTOS_OUTPUT_NAME", "services-hub")
            .env("LEPTOS_SITE_ROOT", self.dir.path().join("site"))
            // A release build has cargo-leptos' hash file beside it; these files are unhashed.
            .env("LEPTOS_HASH_FILE_NAME", "no-hash-file-in-fault-tests.txt")
            .envs(self.settings.iter().map(|(name, value)| (name, value)));
        command
    }

    /// Runs `services-hub admin …` and returns what it printed; panics with its reason if it fails.
    pub fn admin(&self, args: &[&str]) -> String {
        self.admin_with_input(args, "")
    }

    fn admin_with_input(&self, args: &[&str], stdin: &str) -> String {
        let mut child = self
            .command()
            .arg("admin")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start services-hub admin");
        let mut input = child.stdin.take().expect("stdin");
        writeln!(input, "{stdin}").expect("write stdin");
        drop(input);
        let output = child.wait_with_output().expect("wait for admin");
        assert!(
            output.status.success(),
            "admin {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// Starts the server (its log goes to `server.log`, kept across restarts) and waits until
    /// its health probe answers.
    pub async fn start(&mut self) {
        assert!(self.child.is_none(), "the server is already running");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("server.log"))
            .expect("log file");
        let child = self
            .command()
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start services-hub");
        self.child = Some(child);
        let client = client();
        let started = Instant::now();
        loop {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!("the server exited at start ({status}):\n{}", self.log());
            }
            let health = client
                .get(format!("{}/healthz", self.base_url()))
                .send()
                .await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server did not answer its health probe within a minute:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("a running server").id()
    }

    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| c.try_wait().ok().flatten().is_none())
    }

    /// SIGKILL: no shutdown of any kind.
    pub fn kill_9(&mut self) {
        let mut child = self.child.take().expect("a running server");
        child.kill().expect("SIGKILL");
        child.wait().expect("reap the killed server");
    }

    /// Sends SIGTERM (the signal a service manager stops a service with).
    pub fn sigterm(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM failed");
    }

    /// Waits for the server to exit (after `sigterm`), at most a minute.
    pub async fn exited(&mut self) -> ExitStatus {
        let started = Instant::now();
        loop {
            let child = self.child.as_mut().expect("a server");
            if let Some(status) = child.try_wait().expect("wait") {
                self.child = None;
                return status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server did not exit within a minute of SIGTERM:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Stops the server with SIGTERM and checks it exits 0 after logging each shutdown stage.
    pub async fn stop(&mut self) {
        self.sigterm();
        let status = self.exited().await;
        assert!(status.success(), "SIGTERM: exit {status}\n{}", self.log());
        let log = self.log();
        for stage in [
            "shutdown: signal received",
            "shutdown: requests finished",
            "shutdown: background jobs stopped",
            "shutdown: database closed",
        ] {
            assert!(log.contains(stage), "no {stage:?} in the log:\n{log}");
        }
    }

    /// Stops the server if it runs and drops a PostgreSQL database.
    pub async fn finish(mut self) {
        if self.is_running() {
            self.stop().await;
        }
        if let Some(name) = self.postgres.take() {
            crate::store::admin_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }

    /// Signs `email` in through the sign-in server function; the `name=value` of its cookie.
    pub async fn sign_in(&self, email: &str) -> String {
        let response = client()
            .post(format!("{}/api/sign_in", self.base_url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .header("origin", self.base_url())
            .body(
                serde_urlencoded::to_string([
                    ("identifier", email),
                    ("kind", "work"),
                    ("password", PASSWORD),
                    ("next", "/"),
                ])
                .expect("form"),
            )
            .send()
            .await
            .expect("sign in");
        assert!(
            response.status().is_success(),
            "sign in: {}",
            response.status()
        );
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.contains("services-hub-session="))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned)
            .expect("a session cookie")
    }
}

impl Drop for Portal {
    /// A failed test leaves no server running.
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A port nobody listens on now (the server binds it a moment later).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// An HTTP client that follows no redirects (a redirect is an answer, as a browser's form sees it).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(64)
        .build()
        .expect("HTTP client")
}

/// A server-function call as the hydrated page makes it: form-encoded, JSON back, same origin.
pub async fn call(
    client: &reqwest::Client,
    base_url: &str,
    cookie: &str,
    function: &str,
    form: &[(&str, &str)],
) -> reqwest::Result<(u16, String)> {
    let response = client
        .post(format!("{base_url}/api/{function}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("origin", base_url)
        .header("cookie", cookie)
        .body(serde_urlencoded::to_string(form).expect("form"))
        .send()
        .await?;
    let status = response.status().as_u16();
    let body = response.text().await?;
    Ok((status, body))
}
