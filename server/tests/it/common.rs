//! Test harness: the real router on a fresh database, SQLite (a temp file) or PostgreSQL (a new
//! database on the server named by TEST_DATABASE_URL, dropped afterwards).
#![allow(dead_code)]

use app::state::{AppState, Config};
use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use std::sync::Arc;
use tower::ServiceExt;

mod roster;

pub const PASSWORD: &str = "correct horse battery";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

pub fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// What must be cleaned up after the test.
enum Store {
    Sqlite(#[allow(unused)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

#[derive(Clone)]
pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    store: Arc<Store>,
    /// Where `deliver_mail` puts the messages, as the mail worker does without SMTP.
    mail_dir: Arc<tempfile::TempDir>,
}

pub struct TestResponse {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `name=value` part of the session cookie this response sets.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.contains("services-hub-session="))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned)
    }
}

impl TestApp {
    pub async fn new(engine: Engine) -> Self {
        Self::with_config(engine, |_| {}).await
    }

    pub async fn with_config(engine: Engine, adjust: impl FnOnce(&mut Config)) -> Self {
        let (url, store) = match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
                (url, Store::Sqlite(dir))
            }
            Engine::Postgres => {
                let admin_url = postgres_admin_url();
                let name = format!("sh_test_{}", uuid::Uuid::new_v4().simple());
                sqlx::any::install_default_drivers();
                let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
                    .await
                    .expect("PostgreSQL must be reachable at TEST_DATABASE_URL");
                sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create test database");
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b)
                    .unwrap_or(&admin_url);
                (
                    format!("{base}/{name}"),
                    Store::Postgres { admin_url, name },
                )
            }
        };
        let db = services_hub::open_database(&url)
            .await
            .expect("open database");
        let mut config = Config::new("http://127.0.0.1:3000".to_owned(), vec![]);
        // The address limit has its own test; elsewhere many sign-ins come from one address.
        config.sign_in_attempts_per_minute = 10_000;
        // Required second factors have their own tests.
        config.require_second_factor = false;
        adjust(&mut config);
        let state = AppState::new(db, config);
        let options = LeptosOptions::builder()
            .output_name("services-hub")
            .site_root("target/site")
            .build();
        let router = services_hub::router(state.clone(), options);
        Self {
            router,
            state,
            store: Arc::new(store),
            mail_dir: Arc::new(tempfile::tempdir().expect("mail dir")),
        }
    }

    /// Drops a PostgreSQL test database (SQLite's temp dir goes with the last clone).
    pub async fn finish(self) {
        self.assert_roster_exact().await;
        self.state.db.pool().close().await;
        if let Store::Postgres { admin_url, name } = &*self.store {
            if let Ok(mut admin) =
                <sqlx::AnyConnection as sqlx::Connection>::connect(admin_url).await
            {
                let _ = sqlx::Executor::execute(
                    &mut admin,
                    format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
                )
                .await;
            }
        }
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> TestResponse {
        let mut builder = Request::get(path).header("accept", "text/html");
        if let Some(cookie) = cookie {
            builder = builder.header("cookie", cookie);
        }
        self.request(builder.body(Body::empty()).expect("request"))
            .await
    }

    /// A server-function call as the hydrated page makes it (form-encoded, JSON back).
    pub async fn call(
        &self,
        function: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let body = serde_urlencoded::to_string(form).expect("form");
        let mut builder = Request::post(format!("/api/{function}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json");
        if let Some(cookie) = cookie {
            builder = builder.header("cookie", cookie);
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        self.request(builder.body(Body::from(body)).expect("request"))
            .await
    }

    pub async fn create_organization(&self, name: &str, domain: &str) -> i64 {
        app::accounts::service::create_organization(
            &self.state,
            name,
            domain,
            app::auth::audit::Actor::CommandLine,
            "local",
        )
        .await
        .expect("organization")
    }

    pub async fn create_account(&self, kind: &str, email: &str, name: &str) -> i64 {
        app::accounts::service::create_account(
            &self.state,
            app::accounts::service::CreateAccount {
                kind,
                email,
                name,
                phone: None,
                organization: None,
                password: PASSWORD,
            },
            app::auth::audit::Actor::CommandLine,
        )
        .await
        .expect("account")
    }

    pub async fn sign_in(&self, identifier: &str, kind: &str, password: &str) -> TestResponse {
        self.call(
            "sign_in",
            &[
                ("identifier", identifier),
                ("kind", kind),
                ("password", password),
                ("next", "/"),
            ],
            None,
            &[],
        )
        .await
    }

    /// Signs in and returns the session cookie (`name=value`).
    pub async fn signed_in(&self, identifier: &str, kind: &str) -> String {
        let response = self.sign_in(identifier, kind, PASSWORD).await;
        assert_eq!(response.status, 200, "{}", response.body);
        response.session_cookie().expect("session cookie")
    }

    pub async fn count(&self, sql: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(sql)
            .fetch_one(self.state.db.pool())
            .await
            .expect("count")
            .try_get::<i64, _>(0)
            .expect("integer")
    }
}

impl TestApp {
    /// Runs one statement the test needs for its setup (values are the test's own).
    pub async fn exec(&self, sql: &str) {
        sqlx::query(sql)
            .execute(self.state.db.pool())
            .await
            .expect("statement");
    }

    /// A staff account (role operator, csam or ac) with the test password.
    pub async fn create_staff(&self, email: &str, role: &str) -> i64 {
        app::workspaces::service::create_staff(&self.state, email, "Staff Person", role, PASSWORD)
            .await
            .expect("staff")
    }

    /// The newest mail in the outbox for `to`.
    pub async fn latest_mail(&self, to: &str) -> String {
        use sqlx::Row;
        sqlx::query("SELECT body FROM outbox WHERE to_address = $1 ORDER BY id DESC")
            .bind(to.to_owned())
            .fetch_one(self.state.db.pool())
            .await
            .expect("a mail to this address")
            .try_get::<String, _>(0)
            .expect("body")
    }

    /// Delivers every due message into the test's mail folder, as the mail worker does.
    pub async fn deliver_mail(&self) -> usize {
        let folder = self.mail_dir.path().to_str().expect("utf-8 path");
        let mailer = app::mail::Mailer::from_settings(folder, None).expect("mailer");
        let mut sent = 0;
        loop {
            let n = app::mail::deliver_due(
                &self.state.db,
                &mailer,
                "Services Hub <no-reply@127.0.0.1>",
                1000,
            )
            .await
            .expect("deliver");
            if n == 0 {
                return sent;
            }
            sent += n;
        }
    }

    /// The newest delivered message to `to` as its reader sees it (after delivering what is due).
    pub async fn delivered_mail(&self, to: &str) -> String {
        self.deliver_mail().await;
        let header = format!("To: {to}");
        let mut mails: Vec<(i64, String)> = std::fs::read_dir(self.mail_dir.path())
            .expect("mail dir")
            .filter_map(|entry| {
                let path = entry.ok()?.path();
                let name = path.file_name()?.to_str()?.to_owned();
                let id = name.strip_suffix(".eml")?.split('-').next()?.parse().ok()?;
                Some((id, decode_mail(&std::fs::read_to_string(&path).ok()?)))
            })
            .filter(|(_, text)| text.lines().any(|line| line.trim_end() == header))
            .collect();
        mails.sort_by_key(|(id, _)| *id);
        mails
            .pop()
            .unwrap_or_else(|| panic!("no mail was delivered to {to}"))
            .1
    }

    /// The invitation token of the newest mail delivered to `to` (it exists nowhere else).
    pub async fn token_for(&self, to: &str) -> String {
        token_in(&self.delivered_mail(to).await)
    }
}

/// A message's text as a reader sees it: undoes quoted-printable, should the mailer choose it.
pub fn decode_mail(raw: &str) -> String {
    if !raw.contains("Content-Transfer-Encoding: quoted-printable") {
        return raw.to_owned();
    }
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `token=` of an invitation link in a mail body: 43 characters of URL-safe base64.
pub fn token_in(body: &str) -> String {
    let start = body.find("token=").expect("a link with a token") + "token=".len();
    let token: String = body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    assert_eq!(token.len(), 43, "token in {body}");
    token
}

/// Runs one test body on SQLite and on PostgreSQL.
macro_rules! on_both_engines {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: $crate::common::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::common::TestApp::new($crate::common::Engine::Sqlite).await;
                run(app.clone()).await;
                app.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::common::TestApp::new($crate::common::Engine::Postgres).await;
                run(app.clone()).await;
                app.finish().await;
            }
        }
    };
    // The same with settings of the test's own (`config = |config| { … }`).
    ($name:ident, config = $adjust:expr, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: $crate::common::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::common::TestApp::with_config($crate::common::Engine::Sqlite, $adjust).await;
                run(app.clone()).await;
                app.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::common::TestApp::with_config($crate::common::Engine::Postgres, $adjust).await;
                run(app.clone()).await;
                app.finish().await;
            }
        }
    };
}

impl TestApp {
    /// The URL of this test's database, for a second instance or a pool of the test's own.
    pub fn database_url(&self) -> String {
        match &*self.store {
            Store::Sqlite(dir) => format!("sqlite://{}/test.db?mode=rwc", dir.path().display()),
            Store::Postgres { admin_url, name } => {
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b)
                    .unwrap_or(admin_url);
                format!("{base}/{name}")
            }
        }
    }

    /// Another server instance on the same database: its own pool (sized by `pool`), state and
    /// router, the same settings and mail folder. Close its pool when done; `finish` the first.
    pub async fn instance(&self, pool: services_hub::DbOptions) -> TestApp {
        let db = services_hub::open_database_with(&self.database_url(), pool)
            .await
            .expect("open database");
        let state = AppState::new(db, (*self.state.config).clone());
        let options = LeptosOptions::builder()
            .output_name("services-hub")
            .site_root("target/site")
            .build();
        TestApp {
            router: services_hub::router(state.clone(), options),
            state,
            store: self.store.clone(),
            mail_dir: self.mail_dir.clone(),
        }
    }

    /// The mail folder `deliver_mail` writes into.
    pub fn mail_folder(&self) -> &std::path::Path {
        self.mail_dir.path()
    }
}
