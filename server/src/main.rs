use clap::Parser;
use leptos::config::get_configuration;
use services_hub::{cli, open_database_with, router, Settings};
use std::{net::SocketAddr, process::ExitCode};

#[tokio::main]
async fn main() -> ExitCode {
    // The server logs its requests; the admin commands print only their result.
    let serving = std::env::args().len() <= 1;
    let default_filter = if serving { "info,sqlx=warn" } else { "warn" };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| default_filter.into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(reason) => {
            eprintln!("error: {reason}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            print!("{e}");
            return Ok(());
        }
        Err(e) => {
            // One line: clap's message without its usage block.
            let rendered = e.to_string();
            let reason = rendered
                .lines()
                .take_while(|line| !line.starts_with("Usage:"))
                .map(str::trim)
                .filter(|line| !line.is_empty() && !line.starts_with("tip:"))
                .collect::<Vec<_>>()
                .join(" ");
            return Err(reason.trim_start_matches("error: ").to_owned());
        }
    };
    let addr: SocketAddr = std::env::var("LEPTOS_SITE_ADDR")
        .unwrap_or_else(|_| "127.0.0.1:3000".to_owned())
        .parse()
        .map_err(|_| "LEPTOS_SITE_ADDR must be an address like 127.0.0.1:3000".to_owned())?;
    let settings = Settings::from_env(addr)?;
    let db = open_database_with(&settings.database_url, settings.db).await?;
    let mut config = settings.config();
    // README, "Secret key": the setting, else the key file beside the database (made once).
    config.secret_key = app::state::SecretKey(app::federation::secret::load_or_create(
        std::env::var("SERVICES_HUB_SECRET_KEY").ok().as_deref(),
        &settings.database_url,
    )?);
    let state = app::state::AppState::new(db, config);

    match cli.command {
        Some(cli::Command::Admin(action)) => {
            say(&cli::admin(&state, *action).await?);
            Ok(())
        }
        Some(cli::Command::Demo { members }) => {
            say(&cli::demo(&state, &settings.base_url, members).await?);
            Ok(())
        }
        None => {
            let conf = get_configuration(None).map_err(|e| format!("configuration: {e}"))?;
            let options = services_hub::site::checked(conf.leptos_options)?;
            // Only the server delivers mail; admin commands and `demo` just queue it.
            let mailer =
                app::mail::Mailer::from_settings(&settings.mail_dir, settings.smtp_url.as_deref())?;
            let from = app::mail::from_address(&settings.base_url);
            // The jobs stop after their current round when this changes (graceful shutdown).
            let (stop, stopping) = tokio::sync::watch::channel(false);
            let jobs = [
                app::mail::spawn_worker(
                    state.db.clone(),
                    mailer,
                    from,
                    stopping.clone(),
                    state.events.clone(),
                ),
                app::services::lifecycle::spawn(state.db.clone(), stopping.clone()),
                app::domains::spawn_recheck(&state, stopping),
            ];
            let db = state.db.clone();
            let served = serve(state, options, addr).await;
            tracing::info!("shutdown: requests finished; stopping the background jobs");
            let _ = stop.send(true);
            stop_jobs(jobs).await;
            db.pool().close().await;
            tracing::info!("shutdown: database closed; exiting");
            served
        }
    }
}

/// How long the background jobs get to finish their round once the server stops serving: a mail
/// round is at most a batch of SMTP sends, and a message left half-sent is sent again after its
/// lease (at-least-once), so waiting longer than this buys nothing.
const JOBS_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Waits for the background jobs to end their round, then aborts whatever is still running.
async fn stop_jobs(mut jobs: [tokio::task::JoinHandle<()>; 3]) {
    let [mail, lifecycle, domains] = &mut jobs;
    let all = async { tokio::join!(mail, lifecycle, domains) };
    match tokio::time::timeout(JOBS_GRACE, all).await {
        Ok(_) => tracing::info!("shutdown: background jobs stopped"),
        Err(_) => {
            tracing::warn!(
                "shutdown: background jobs still running after {} s; aborting them",
                JOBS_GRACE.as_secs()
            );
            jobs.iter().for_each(tokio::task::JoinHandle::abort);
        }
    }
}

/// Prints a result; a closed pipe (`| head`) is not an error worth a panic.
fn say(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{text}");
}

async fn serve(
    state: app::state::AppState,
    options: leptos::config::LeptosOptions,
    addr: SocketAddr,
) -> Result<(), String> {
    // Open live-update streams never finish by themselves: shutting down ends them.
    let events = state.events.clone();
    let app = router(state, options);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!("Services Hub is listening on http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown().await;
        events.close();
    })
    .await
    .map_err(|e| format!("server error: {e}"))
}

/// Ctrl-C or SIGTERM: axum then stops accepting (the listener closes) and lets in-flight
/// requests finish; `run` stops the jobs and closes the pool after that.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!(
        "shutdown: signal received; no new connections, finishing the requests in flight"
    );
}
