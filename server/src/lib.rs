//! The axum side of Services Hub: settings, the database with its migrations, the router with
//! its security layers, and the admin command line. Domain logic lives in the `app` crate.

pub mod cli;
pub mod layers;
pub mod site;

use app::{
    shell,
    state::{AppState, Config, Db, Engine},
    App,
};
use axum::{body::Body, extract::Request, routing::get, Router};
use leptos::prelude::*;
use leptos_axum::{
    generate_route_list, handle_server_fns_with_context, AxumRouteListing, LeptosRoutes,
};
use sqlx::migrate::Migrator;
use std::{net::IpAddr, sync::OnceLock};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/services-hub.db?mode=rwc";

/// The operator's settings (README, "Operator interface").
#[derive(Clone, Debug)]
pub struct Settings {
    pub database_url: String,
    pub base_url: String,
    pub mail_dir: String,
    pub smtp_url: Option<String>,
    pub trusted_proxies: Vec<IpAddr>,
    pub sign_in_attempts_per_minute: u32,
    pub invitations_per_day: i64,
    /// The database pool (`SERVICES_HUB_DB_MAX_CONNECTIONS`, `…_ACQUIRE_TIMEOUT_SECS`).
    pub db: DbOptions,
    /// Where domain proofs ask DNS (`ip:port`); None: the system's resolver.
    pub dns_server: Option<std::net::SocketAddr>,
    /// Staff and Global Administrators must enroll a second factor
    /// (`SERVICES_HUB_REQUIRE_SECOND_FACTOR`, true unless `false` or `0`).
    pub require_second_factor: bool,
}

/// How the pool is sized. A request that finds no free connection within `acquire_timeout`
/// answers 503 (`AppError::Unavailable`) rather than waiting: with several instances, the sum of
/// their `max_connections` must stay under PostgreSQL's `max_connections`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DbOptions {
    pub max_connections: u32,
    pub acquire_timeout: std::time::Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            max_connections: 16,
            acquire_timeout: std::time::Duration::from_secs(5),
        }
    }
}

/// A whole number from 1 to `max` in the variable `name`, or `default` when it is unset.
fn number<T: std::str::FromStr + PartialOrd + From<u8> + std::fmt::Display>(
    value: Option<String>,
    name: &str,
    default: T,
    max: T,
) -> Result<T, String> {
    match value {
        None => Ok(default),
        Some(text) => text
            .trim()
            .parse::<T>()
            .ok()
            .filter(|n| *n >= T::from(1) && *n <= max)
            .ok_or_else(|| format!("{name} must be a whole number from 1 to {max}")),
    }
}

impl Settings {
    pub fn from_env(site_addr: std::net::SocketAddr) -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let trusted_proxies = var("SERVICES_HUB_TRUSTED_PROXIES")
            .map(|list| {
                list.split(',')
                    .map(|ip| {
                        ip.trim().parse().map_err(|_| {
                            format!("SERVICES_HUB_TRUSTED_PROXIES: {ip:?} is not an IP address")
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?
            .unwrap_or_default();
        let base_url = var("SERVICES_HUB_BASE_URL")
            .unwrap_or_else(|| format!("http://{site_addr}"))
            .trim_end_matches('/')
            .to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err("SERVICES_HUB_BASE_URL must start with http:// or https://".to_owned());
        }
        Ok(Self {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            base_url,
            mail_dir: var("SERVICES_HUB_MAIL_DIR").unwrap_or_else(|| "data/mail".to_owned()),
            smtp_url: var("SERVICES_HUB_SMTP_URL"),
            trusted_proxies,
            sign_in_attempts_per_minute: number(
                var("SERVICES_HUB_SIGN_IN_ATTEMPTS_PER_MINUTE"),
                "SERVICES_HUB_SIGN_IN_ATTEMPTS_PER_MINUTE",
                app::security::DEFAULT_ATTEMPTS_PER_MINUTE,
                100_000,
            )?,
            invitations_per_day: number(
                var("SERVICES_HUB_INVITATIONS_PER_DAY"),
                "SERVICES_HUB_INVITATIONS_PER_DAY",
                app::state::DEFAULT_INVITATIONS_PER_DAY,
                10_000_000,
            )?,
            db: DbOptions {
                max_connections: number(
                    var("SERVICES_HUB_DB_MAX_CONNECTIONS"),
                    "SERVICES_HUB_DB_MAX_CONNECTIONS",
                    DbOptions::default().max_connections,
                    10_000,
                )?,
                acquire_timeout: std::time::Duration::from_secs(number(
                    var("SERVICES_HUB_DB_ACQUIRE_TIMEOUT_SECS"),
                    "SERVICES_HUB_DB_ACQUIRE_TIMEOUT_SECS",
                    DbOptions::default().acquire_timeout.as_secs(),
                    3_600,
                )?),
            },
            dns_server: var("SERVICES_HUB_DNS_SERVER")
                .map(|text| {
                    text.trim().parse().map_err(|_| {
                        format!(
                            "SERVICES_HUB_DNS_SERVER: {text:?} is not an address like 127.0.0.1:53"
                        )
                    })
                })
                .transpose()?,
            require_second_factor: match var("SERVICES_HUB_REQUIRE_SECOND_FACTOR")
                .map(|v| v.trim().to_ascii_lowercase())
                .as_deref()
            {
                None | Some("true" | "1") => true,
                Some("false" | "0") => false,
                Some(_) => {
                    return Err(
                        "SERVICES_HUB_REQUIRE_SECOND_FACTOR must be true or false".to_owned()
                    )
                }
            },
        })
    }

    pub fn config(&self) -> Config {
        let mut config = Config::new(self.base_url.clone(), self.trusted_proxies.clone());
        config.sign_in_attempts_per_minute = self.sign_in_attempts_per_minute;
        config.invitations_per_day = self.invitations_per_day;
        config.dns_server = self.dns_server;
        config.require_second_factor = self.require_second_factor;
        config
    }
}

/// Opens the database (creating a SQLite file's folder) and brings its schema up to date, with
/// the default pool.
pub async fn open_database(url: &str) -> Result<Db, String> {
    open_database_with(url, DbOptions::default()).await
}

/// `open_database` with the operator's pool settings.
pub async fn open_database_with(url: &str, pool: DbOptions) -> Result<Db, String> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or_default();
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    format!(
                        "cannot create the database folder {}: {e}",
                        parent.display()
                    )
                })?;
            }
        }
    }
    let db = Db::connect_with(url, pool.max_connections, pool.acquire_timeout)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    migrate(&db).await?;
    Ok(db)
}

/// Brings the schema up to date. Several instances may start at once: on PostgreSQL sqlx's
/// migrator holds an advisory lock (also through the `Any` driver), so the others wait and then
/// find every version applied. SQLite has no such lock: a second migrator fails on a table the
/// first just made, or on the write lock, so it tries again, and finds more applied each time.
async fn migrate(db: &Db) -> Result<(), String> {
    let migrator = match db.engine() {
        Engine::Sqlite => &SQLITE_MIGRATIONS,
        Engine::Postgres => &POSTGRES_MIGRATIONS,
    };
    let attempts = match db.engine() {
        Engine::Sqlite => 50,
        Engine::Postgres => 1,
    };
    let mut attempt = 1;
    loop {
        match migrator.run(db.pool()).await {
            Ok(()) => return Ok(()),
            Err(error) if attempt < attempts => {
                tracing::info!(attempt, "migration collided with another instance: {error}");
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(error) => return Err(format!("cannot migrate the database: {error}")),
        }
    }
}

/// The app's routes, listed once per process. Listing them runs the app with resource loading
/// suppressed through a flag that is global to the process (leptos_server 0.8.8): a page whose
/// resource first polls on another thread meanwhile waits forever (leptos issue #4773, fixed
/// after 0.8). One server builds its router once, before it serves; the test binary builds a
/// router per test while other tests render pages, and one page in a few hundred runs hung.
pub fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application: pages, server functions, static files and the security layers.
pub fn router(state: AppState, options: LeptosOptions) -> Router {
    let routes = routes();
    let hashed_names = options.hash_files;
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            layers::hand_nonce_to_headers();
        }
    };
    let server_fns = {
        let context = context.clone();
        move |req: Request<Body>| {
            let context = context.clone();
            async move { handle_server_fns_with_context(context, req).await }
        }
    };
    let health_state = state.clone();
    let upload_state = state.clone();
    let export_state = state.clone();
    let invoice_state = state.clone();
    Router::new()
        // Server functions change state only through POST; a GET is answered 405 by axum.
        .route("/api/{*fn_name}", axum::routing::post(server_fns))
        // The bulk-invitation file: a plain multipart route with its own body limit (see
        // app::invitations::upload for why it is not a server function).
        .route(
            "/workspaces/{id}/users/import",
            axum::routing::post(move |path, headers, multipart| {
                let state = upload_state.clone();
                async move { app::invitations::upload::upload(state, path, headers, multipart).await }
            })
            .layer(axum::extract::DefaultBodyLimit::max(
                app::invitations::upload::MAX_BODY_BYTES,
            )),
        )
        // The Customer Activity CSV: a download, authorized like the page.
        .route(
            "/activity/export.csv",
            get(move |query, headers| {
                let state = export_state.clone();
                async move { app::activity::export::export(state, query, headers).await }
            }),
        )
        // An invoice as PDF: a download, authorized like its page.
        .route(
            "/invoices/{id}/pdf",
            get(move |path, headers| {
                let state = invoice_state.clone();
                async move { app::billing::download::pdf(state, path, headers).await }
            }),
        )
        // Federation (app::federation::routes): plain routes, since each leaves for or comes
        // back from the organization's directory.
        .route(
            "/federation/start",
            get({
                let state = state.clone();
                move |form| app::federation::routes::start(state.clone(), form)
            }),
        )
        .route(
            "/federation/test",
            get({
                let state = state.clone();
                move |headers, form| app::federation::routes::test(state.clone(), headers, form)
            }),
        )
        .route(
            "/federation/callback",
            get({
                let state = state.clone();
                move |parts| app::federation::routes::callback(state.clone(), parts)
            }),
        )
        // Live updates: a Server-Sent Events stream, authorized like the thing it watches.
        .route(
            "/events",
            get({
                let state = state.clone();
                move |query, headers| app::live::events(state.clone(), query, headers)
            }),
        )
        .route(
            "/healthz",
            get(move || {
                let state = health_state.clone();
                async move { layers::health(state).await }
            }),
        )
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            LeptosOptions,
            _,
        >(context, shell))
        .with_state(options)
        .layer(axum::middleware::from_fn(layers::status_from_app_error))
        // leptos_axum registers each server function at its own path, so this sits on the whole
        // router and picks out /api/ itself.
        .layer(axum::middleware::from_fn(layers::check_server_fn_body))
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::<str>::from(layers::normalized_origin(&state.config.base_url)),
            layers::refuse_cross_site,
        ))
        .layer(axum::middleware::from_fn_with_state(
            layers::Headers {
                tls: state.config.secure_cookies,
                immutable_pkg: hashed_names,
            },
            layers::security_headers,
        ))
}
