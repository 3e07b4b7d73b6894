//! Server-only plumbing shared by every domain: the database handle, configuration and the
//! per-request context (`AppState`), provided once to rendering and server functions.

use crate::error::AppError;
use leptos::prelude::use_context;
use sqlx::{any::AnyPoolOptions, Any, AnyPool, Transaction};
use std::{net::IpAddr, sync::Arc, time::Duration};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The one pool. Queries are runtime-bound, written once in portable SQL (`$1` placeholders work
/// on both engines), so the same code runs on the embedded SQLite file and on PostgreSQL.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    engine: Engine,
    url: DatabaseUrl,
}

/// The address the pool was opened with, kept for the one connection that LISTENs for live
/// updates on PostgreSQL (`events`). It may hold a password, so `Debug` never prints it.
#[derive(Clone)]
struct DatabaseUrl(Arc<str>);

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseUrl(…)")
    }
}

impl Db {
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, sqlx::Error> {
        Self::connect_with(url, max_connections, Duration::from_secs(5)).await
    }

    /// `connect` with the acquire timeout chosen by the operator
    /// (`SERVICES_HUB_DB_ACQUIRE_TIMEOUT_SECS`).
    pub async fn connect_with(
        url: &str,
        max_connections: u32,
        acquire_timeout: Duration,
    ) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("postgres") {
            Engine::Postgres
        } else if url.starts_with("sqlite") {
            Engine::Sqlite
        } else {
            return Err(sqlx::Error::Configuration(
                "DATABASE_URL must start with sqlite:// or postgres://".into(),
            ));
        };
        let options = AnyPoolOptions::new()
            .max_connections(max_connections)
            // An exhausted pool answers quickly (503) instead of queueing requests for ever.
            .acquire_timeout(acquire_timeout);
        let options = match engine {
            Engine::Sqlite => options.after_connect(sqlite_pragmas),
            Engine::Postgres => options,
        };
        let pool = options.connect(url).await?;
        Ok(Self {
            pool,
            engine,
            url: DatabaseUrl(url.into()),
        })
    }

    /// The address the pool was opened with (for `events`' LISTEN connection).
    pub fn url(&self) -> &str {
        &self.url.0
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Starts a write transaction. On SQLite it takes the write lock up front (`BEGIN
    /// IMMEDIATE`), so two writers never deadlock upgrading a read lock.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => self.pool.begin().await,
        }
    }
}

/// WAL lets readers run beside the one writer; the busy timeout makes a writer wait for the
/// lock instead of failing with SQLITE_BUSY; SQLite enforces foreign keys only when asked.
fn sqlite_pragmas<'c>(
    conn: &'c mut sqlx::AnyConnection,
    _meta: sqlx::pool::PoolConnectionMetadata,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), sqlx::Error>> + Send + 'c>> {
    Box::pin(async move {
        for pragma in [
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA busy_timeout = 10000",
            "PRAGMA foreign_keys = ON",
        ] {
            sqlx::Executor::execute(&mut *conn, pragma).await?;
        }
        Ok(())
    })
}

/// Addresses a workspace may invite per UTC day unless the operator says otherwise
/// (`SERVICES_HUB_INVITATIONS_PER_DAY`): two full files of 10,000 lines.
pub const DEFAULT_INVITATIONS_PER_DAY: i64 = 20_000;

/// Installation settings (see the README's operator interface).
#[derive(Clone, Debug)]
pub struct Config {
    /// Public URL; every link in mail is built from it, never from the Host header.
    pub base_url: String,
    /// Whether cookies get `Secure` and the `__Host-` prefix (the base URL is https).
    pub secure_cookies: bool,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    /// Client addresses whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    pub sign_in_attempts_per_minute: u32,
    /// How long an invitation link stays valid.
    pub invitation_ttl: Duration,
    /// Addresses a workspace's administrators may invite (or invite again) per UTC day.
    pub invitations_per_day: i64,
    /// The name server that domain proofs ask (`SERVICES_HUB_DNS_SERVER`); None: the system's.
    pub dns_server: Option<std::net::SocketAddr>,
    /// Seals secrets kept in the database (directory client secrets): `SERVICES_HUB_SECRET_KEY`
    /// or the key file beside the database; a random key per process until the server sets it.
    pub secret_key: SecretKey,
    /// Staff and Global Administrators must enroll a second factor before anything else
    /// (`SERVICES_HUB_REQUIRE_SECOND_FACTOR`, default true).
    pub require_second_factor: bool,
}

/// A 32-byte key that never appears in a log (its `Debug` prints no byte).
#[derive(Clone)]
pub struct SecretKey(pub [u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl Config {
    pub fn new(base_url: String, trusted_proxies: Vec<IpAddr>) -> Self {
        let secure_cookies = base_url.starts_with("https://");
        Self {
            base_url,
            secure_cookies,
            session_idle: Duration::from_secs(2 * 60 * 60),
            session_absolute: Duration::from_secs(12 * 60 * 60),
            trusted_proxies,
            sign_in_attempts_per_minute: crate::security::DEFAULT_ATTEMPTS_PER_MINUTE,
            invitation_ttl: Duration::from_secs(14 * 24 * 60 * 60),
            invitations_per_day: DEFAULT_INVITATIONS_PER_DAY,
            dns_server: None,
            secret_key: SecretKey(rand::random()),
            require_second_factor: true,
        }
    }

    pub fn session_cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-services-hub-session"
        } else {
            "services-hub-session"
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub security: Arc<crate::security::SignInGuards>,
    pub invite_limits: Arc<crate::security::InviteLimits>,
    /// Live updates: where changes are announced and browsers' streams listen (`events`).
    pub events: Arc<crate::events::Bus>,
}

impl AppState {
    pub fn new(db: Db, config: Config) -> Self {
        let security = crate::security::SignInGuards::new();
        let events = crate::events::Bus::new(
            db.pool().clone(),
            (db.engine() == Engine::Postgres).then(|| db.url().to_owned()),
        );
        Self {
            db,
            config: Arc::new(config),
            security: Arc::new(security),
            invite_limits: Arc::default(),
            events: Arc::new(events),
        }
    }
}

/// The state provided to this request (rendering or server function).
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState was not provided"))
}

/// Seconds since the Unix epoch: every timestamp column holds this, portable across engines.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}
