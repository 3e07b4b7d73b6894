//! The bus: publishing (a NOTIFY on PostgreSQL, the broadcast channel on SQLite) and the one
//! LISTEN connection per process that forwards PostgreSQL's notifications into the channel.

use super::Event;
use crate::error::AppError;
use sqlx::{postgres::PgListener, AnyPool};
use std::time::Duration;
use tokio::sync::{broadcast, watch, OnceCell};

/// The PostgreSQL channel every instance of one installation shares.
pub const CHANNEL: &str = "services_hub_events";

/// Events a slow subscriber may fall behind before it is told to re-read everything.
const CAPACITY: usize = 1024;

/// The longest wait between two attempts to reach PostgreSQL again.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

pub struct Bus {
    /// Where NOTIFY is sent; the database's URL when it is PostgreSQL (None: SQLite, one
    /// process, the channel alone).
    pool: AnyPool,
    postgres_url: Option<String>,
    sender: broadcast::Sender<Event>,
    /// Started by the first subscriber on PostgreSQL, so an admin command never opens it.
    listening: OnceCell<()>,
    /// Set at shutdown: open streams end, so a graceful shutdown does not wait on them.
    closing: watch::Sender<bool>,
}

impl Bus {
    pub fn new(pool: AnyPool, postgres_url: Option<String>) -> Self {
        Self {
            pool,
            postgres_url,
            sender: broadcast::channel(CAPACITY).0,
            listening: OnceCell::new(),
            closing: watch::channel(false).0,
        }
    }

    /// Announces a committed change. Call it after the write's transaction committed, so only
    /// changes that happened are announced. A failure is logged, never the request's: the
    /// change is made, and the browsers see it on their next read.
    pub async fn publish(&self, event: Event) {
        if self.postgres_url.is_none() {
            // No subscriber is not an error.
            let _ = self.sender.send(event);
            return;
        }
        // Delivered to every LISTENing process, this one included.
        let payload = serde_json::to_string(&event).unwrap_or_default();
        // `::text`: the Any driver cannot decode pg_notify's `void`.
        let sent = sqlx::query("SELECT pg_notify($1, $2)::text")
            .bind(CHANNEL)
            .bind(payload)
            .execute(&self.pool)
            .await;
        if let Err(error) = sent {
            tracing::warn!(%error, ?event, "a live update was not announced");
        }
    }

    /// A new subscriber to every event of this process (and, on PostgreSQL, of every instance:
    /// the LISTEN connection is up before this returns, so nothing announced afterwards is
    /// missed).
    pub async fn subscribe(&self) -> Result<Subscription, AppError> {
        if let Some(url) = self.postgres_url.as_deref() {
            self.listening
                .get_or_try_init(|| async {
                    let listener = listen(url).await.map_err(AppError::internal)?;
                    tokio::spawn(forward(listener, url.to_owned(), self.sender.clone()));
                    Ok::<_, AppError>(())
                })
                .await?;
        }
        Ok(Subscription {
            events: self.sender.subscribe(),
            closing: self.closing.subscribe(),
        })
    }

    /// Ends every open stream (the server is shutting down).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }
}

pub struct Subscription {
    events: broadcast::Receiver<Event>,
    closing: watch::Receiver<bool>,
}

impl Subscription {
    /// The next event; None when the server shuts down. A subscriber that fell behind hears
    /// `Resync` instead of what it missed.
    pub async fn next(&mut self) -> Option<Event> {
        if *self.closing.borrow() {
            return None;
        }
        tokio::select! {
            received = self.events.recv() => match received {
                Ok(event) => Some(event),
                Err(broadcast::error::RecvError::Lagged(_)) => Some(Event::Resync),
                Err(broadcast::error::RecvError::Closed) => None,
            },
            _ = self.closing.changed() => None,
        }
    }
}

async fn listen(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Forwards notifications for as long as the process runs. A lost connection is made again
/// (by sqlx on a dropped socket, here with growing waits on any other failure); what was
/// announced meanwhile is lost, so subscribers are told to re-read (`Resync`).
async fn forward(mut listener: PgListener, url: String, sender: broadcast::Sender<Event>) {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => match serde_json::from_str::<Event>(notification.payload()) {
                Ok(event) => {
                    let _ = sender.send(event);
                }
                Err(error) => tracing::warn!(%error, "an unreadable live update was ignored"),
            },
            Ok(None) => {
                tracing::warn!("the live-update connection was lost and made again");
                let _ = sender.send(Event::Resync);
            }
            Err(error) => {
                tracing::warn!(%error, "the live-update connection failed; connecting again");
                let mut wait = Duration::from_millis(250);
                listener = loop {
                    tokio::time::sleep(wait).await;
                    match listen(&url).await {
                        Ok(listener) => break listener,
                        Err(error) => {
                            tracing::warn!(%error, ?wait, "live updates: PostgreSQL unreachable");
                            wait = (wait * 2).min(MAX_BACKOFF);
                        }
                    }
                };
                let _ = sender.send(Event::Resync);
            }
        }
    }
}
