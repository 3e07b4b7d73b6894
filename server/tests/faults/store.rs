//! What the database holds, read with a connection of the test's own (never through the portal).

use sqlx::{Connection, Executor, Row};
use std::collections::{BTreeMap, HashMap};

async fn connect(url: &str) -> sqlx::AnyConnection {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url)
        .await
        .expect("the test's own database connection");
    if url.starts_with("sqlite") {
        // The server may be writing beside us.
        conn.execute("PRAGMA busy_timeout = 10000")
            .await
            .expect("busy timeout");
    }
    conn
}

/// Runs a statement on PostgreSQL's maintenance database (create or drop a test database).
pub async fn admin_execute(sql: &str) {
    let mut admin = connect(&crate::portal::postgres_admin_url()).await;
    admin
        .execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Every case's title by id.
pub async fn cases(url: &str) -> HashMap<i64, String> {
    let mut conn = connect(url).await;
    sqlx::query("SELECT id, title FROM cases")
        .fetch_all(&mut conn)
        .await
        .expect("cases")
        .iter()
        .map(|row| (row.get::<i64, _>("id"), row.get::<String, _>("title")))
        .collect()
}

/// Asserts every acknowledged case is stored under its id with its title; returns how many
/// cases the database holds (it may hold more: a write committed whose answer was lost).
pub async fn assert_all_present(url: &str, acknowledged: &[(i64, String)]) -> usize {
    let stored = cases(url).await;
    let missing: Vec<_> = acknowledged
        .iter()
        .filter(|(id, title)| stored.get(id) != Some(title))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged cases are missing, e.g. {:?}",
        missing.len(),
        acknowledged.len(),
        missing.iter().take(5).collect::<Vec<_>>()
    );
    let mut ids: Vec<i64> = acknowledged.iter().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), acknowledged.len(), "two answers named one case");
    stored.len()
}

/// SQLite's own check of the file: "ok", or what is broken.
pub async fn integrity_check(url: &str) -> String {
    let mut conn = connect(url).await;
    let rows = sqlx::query("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await
        .expect("integrity_check");
    rows.iter()
        .map(|row| row.get::<String, _>(0))
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Debug)]
pub struct Message {
    pub id: i64,
    pub subject: String,
    pub sent: bool,
    pub attempts: i64,
}

pub async fn outbox(url: &str) -> Vec<Message> {
    let mut conn = connect(url).await;
    sqlx::query("SELECT id, subject, sent_at, attempts FROM outbox ORDER BY id")
        .fetch_all(&mut conn)
        .await
        .expect("outbox")
        .iter()
        .map(|row| Message {
            id: row.get("id"),
            subject: row.get("subject"),
            sent: row.get::<Option<i64>, _>("sent_at").is_some(),
            attempts: row.get("attempts"),
        })
        .collect()
}

/// The ids of unsent messages whose claim (lease) has not run out: the ones a killed worker held.
/// Their lease is then ended, as 300 s (`LEASE_SECS`) would: the test does not wait five minutes.
pub async fn end_leases(url: &str) -> Vec<i64> {
    let mut conn = connect(url).await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let held: Vec<i64> = sqlx::query(
        "SELECT id FROM outbox WHERE sent_at IS NULL AND claimed_until IS NOT NULL \
         AND claimed_until > $1 ORDER BY id",
    )
    .bind(now)
    .fetch_all(&mut conn)
    .await
    .expect("held messages")
    .iter()
    .map(|row| row.get::<i64, _>("id"))
    .collect();
    sqlx::query(
        "UPDATE outbox SET claimed_until = $1 WHERE sent_at IS NULL AND claimed_until > $1",
    )
    .bind(now)
    .execute(&mut conn)
    .await
    .expect("end the leases");
    held
}

/// How many `.eml` files the mail folder holds per outbox id (files are `<id>-<time>.eml`).
pub fn mail_files(dir: &std::path::Path) -> BTreeMap<i64, usize> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("mail folder") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        if let Some(id) = name
            .strip_suffix(".eml")
            .and_then(|stem| stem.split('-').next())
            .and_then(|id| id.parse::<i64>().ok())
        {
            *files.entry(id).or_insert(0) += 1;
        }
    }
    files
}
