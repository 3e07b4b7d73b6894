//! What both benchmarks share: requests through the real router, and the summary line.
#![allow(dead_code)]

use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use std::time::Duration;
use tower::ServiceExt;

pub struct Bench {
    pub router: Router,
}

impl Bench {
    pub async fn send(&self, request: Request<Body>) -> (u16, String, Option<String>) {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        let status = response.status().as_u16();
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.contains("services-hub-session="))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned);
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (
            status,
            String::from_utf8_lossy(&body).into_owned(),
            cookie.or(location),
        )
    }

    pub async fn call(&self, function: &str, form: &[(&str, &str)], cookie: &str) -> (u16, String) {
        let body = serde_urlencoded::to_string(form).expect("form");
        let request = Request::post(format!("/api/{function}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .header("cookie", cookie)
            .body(Body::from(body))
            .expect("request");
        let (status, body, _) = self.send(request).await;
        (status, body)
    }
}

pub fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times[times.len() / 2];
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    println!(
        "{label:<48} median {:>8.2} ms   p95 {:>8.2} ms   ({} runs)",
        ms(median),
        ms(p95),
        times.len()
    );
}

/// What both benchmarks start from: a fresh database (a SQLite file, or `BENCH_DATABASE_URL`),
/// the real router, Contoso's active Premier agreement and its Services Administrator, signed in.
pub struct Setup {
    pub bench: Bench,
    pub state: app::state::AppState,
    pub url: String,
    pub agreement: i64,
    pub workspace: i64,
    /// The Services Administrator's account.
    pub sa: i64,
    pub password: &'static str,
    pub cookie: String,
    /// Keeps the SQLite file's folder until the benchmark ends.
    pub dir: tempfile::TempDir,
}

pub async fn contoso() -> Setup {
    use app::{
        auth::audit::Actor,
        state::{AppState, Config},
        workspaces::service::{self, AgreementInput},
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.db?mode=rwc", dir.path().display()));
    let db = services_hub::open_database(&url).await.expect("database");
    let mut config = Config::new("http://127.0.0.1:3000".to_owned(), vec![]);
    config.sign_in_attempts_per_minute = 10_000;
    let state = AppState::new(db, config);
    let options = leptos::config::LeptosOptions::builder()
        .output_name("services-hub")
        .site_root("target/site")
        .build();
    let bench = Bench {
        router: services_hub::router(state.clone(), options),
    };
    let postgres = url.starts_with("postgres");
    println!("engine: {}", if postgres { "PostgreSQL" } else { "SQLite" });
    app::accounts::service::create_organization(
        &state,
        "Contoso",
        "contoso.com",
        Actor::CommandLine,
        "local",
    )
    .await
    .expect("organization");
    let agreement = service::create_agreement(
        &state,
        AgreementInput {
            organization: "Contoso",
            agreement_type: "premier",
            services_admins: vec!["sa@contoso.com"],
            contact_limit: Some("1000"),
            ..AgreementInput::default()
        },
        Actor::CommandLine,
        "bench",
    )
    .await
    .expect("agreement");
    let workspace = service::activate(&state, agreement, Actor::CommandLine, None, "bench")
        .await
        .expect("activate");
    let password = "bench password 2026";
    let sa = app::accounts::service::create_account(
        &state,
        app::accounts::service::CreateAccount {
            kind: "work",
            email: "sa@contoso.com",
            name: "Sam Admin",
            phone: None,
            organization: None,
            password,
        },
        Actor::CommandLine,
    )
    .await
    .expect("account");
    app::invitations::service::accept_for_account(&state, workspace, sa)
        .await
        .expect("accept");
    let form = serde_urlencoded::to_string([
        ("identifier", "sa@contoso.com"),
        ("kind", "work"),
        ("password", password),
        ("next", "/"),
    ])
    .expect("form");
    let (_, _, cookie) = bench
        .send(
            Request::post("/api/sign_in")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .body(Body::from(form))
                .expect("request"),
        )
        .await;
    Setup {
        bench,
        state,
        url,
        agreement,
        workspace,
        sa,
        password,
        cookie: cookie.expect("session cookie"),
        dir,
    }
}
