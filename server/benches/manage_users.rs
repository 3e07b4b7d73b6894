//! Benchmark (prints figures, asserts nothing): Manage Users at 10,000 members and a 10,000-line
//! bulk invitation, through the real router on a SQLite file (or on PostgreSQL with
//! `BENCH_DATABASE_URL=postgres://…`, a database it may fill).
//!
//!     cargo bench -p services-hub --bench manage_users

use app::state::now;
use axum::{body::Body, http::Request};
use std::time::{Duration, Instant};

mod common;
use common::summary;

const MEMBERS: usize = 10_000;
const RUNS: usize = 30;

#[tokio::main]
async fn main() {
    let common::Setup {
        bench,
        state,
        url,
        workspace,
        password,
        cookie,
        dir: _dir,
        ..
    } = common::contoso().await;

    // 10,000 members and 1,000 pending invitations, through the same multi-row inserts as
    // `services-hub demo --members`.
    let started = Instant::now();
    let hash = state.security.hash(password).await.expect("hash");
    let mut tx = state.db.begin_write().await.expect("tx");
    app::members::sample::fill(
        &mut tx,
        workspace,
        1,
        "contoso.com",
        MEMBERS,
        MEMBERS / 10,
        &hash,
        now(),
    )
    .await
    .expect("sample members");
    tx.commit().await.expect("commit");
    // Fresh statistics on PostgreSQL, as autovacuum would gather after such a load (its planner
    // otherwise plans for near-empty tables). SQLite gathers none unless asked, as in production.
    if url.starts_with("postgres") {
        sqlx::query("ANALYZE")
            .execute(state.db.pool())
            .await
            .expect("analyze");
    }
    println!(
        "filled {MEMBERS} members in {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let ws = workspace.to_string();
    for (label, search, sort, descending, page) in [
        (
            "Manage Users: first page, by name",
            "",
            "name",
            "false",
            "1",
        ),
        (
            "Manage Users: page 200, by email descending",
            "",
            "email",
            "true",
            "200",
        ),
        (
            "Manage Users: by last sign-in",
            "",
            "last_sign_in",
            "true",
            "1",
        ),
        (
            "Manage Users: search \"patti.archie\"",
            "patti.archie",
            "name",
            "false",
            "1",
        ),
    ] {
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let started = Instant::now();
            let (status, body) = bench
                .call(
                    "list_users",
                    &[
                        ("workspace_id", &ws),
                        ("search", search),
                        ("sort", sort),
                        ("descending", descending),
                        ("page", page),
                    ],
                    &cookie,
                )
                .await;
            times.push(started.elapsed());
            assert_eq!(status, 200, "{body}");
        }
        summary(label, times);
    }
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let (status, _, _) = bench
            .send(
                Request::get(format!("/workspaces/{workspace}/users"))
                    .header("accept", "text/html")
                    .header("cookie", &cookie)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await;
        times.push(started.elapsed());
        assert_eq!(status, 200);
    }
    summary("Manage Users: whole page rendered on the server", times);

    // A 10,000-line file: upload (stored), dry run, send.
    let file: String = (0..10_000)
        .map(|i| format!("new{i:05}@contoso.com,New {i}\n"))
        .collect();
    let boundary = "bench-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file.as_bytes());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let started = Instant::now();
    let (status, _, location) = bench
        .send(
            Request::post(format!("/workspaces/{workspace}/users/import"))
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header("cookie", &cookie)
                .body(Body::from(body))
                .expect("request"),
        )
        .await;
    let upload = started.elapsed();
    assert_eq!(status, 303);
    let import = location
        .and_then(|l| l.rsplit('/').next().map(str::to_owned))
        .expect("import id");
    let started = Instant::now();
    let (status, body) = bench
        .call(
            "check_bulk_file",
            &[("workspace_id", &ws), ("import_id", &import)],
            &cookie,
        )
        .await;
    let dry_run = started.elapsed();
    assert_eq!(status, 200, "{body}");
    let started = Instant::now();
    let (status, body) = bench
        .call(
            "send_bulk_invitations",
            &[("workspace_id", &ws), ("import_id", &import)],
            &cookie,
        )
        .await;
    let send = started.elapsed();
    assert_eq!(status, 200, "{body}");
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "bulk import of 10,000 lines: upload + parse {:.0} ms, dry run {:.0} ms, send (one transaction, 10,000 invitations + mails) {:.0} ms, total {:.0} ms",
        ms(upload),
        ms(dry_run),
        ms(send),
        ms(upload + dry_run + send)
    );
}
