//! Benchmark (prints figures, asserts nothing): Customer Activity at 100 workspaces and
//! 1,000,000 cases, through the real router on a SQLite file (or on PostgreSQL with
//! `BENCH_DATABASE_URL=postgres://…`, a database it may fill). The cases are written with
//! multi-row inserts and their aggregates computed once with INSERT … SELECT, as the migration
//! backfills them.
//!
//!     cargo bench -p services-hub --bench activity

use app::{
    db::{insert_rows, Cell},
    state::now,
};
use axum::{body::Body, http::Request};
use sqlx::Row;
use std::time::Instant;

mod common;
use common::summary;

const WORKSPACES: usize = 100;
const CASES: usize = 1_000_000;
const CHUNK: usize = 50_000;
const RUNS: usize = 30;

#[tokio::main]
async fn main() {
    let common::Setup {
        bench,
        state,
        url,
        agreement,
        sa,
        cookie,
        dir: _dir,
        ..
    } = common::contoso().await;
    let postgres = url.starts_with("postgres");

    // 99 more workspaces (100 in all), then 1,000,000 cases spread over them.
    let started = Instant::now();
    let now = now();
    let mut tx = state.db.begin_write().await.expect("tx");
    let rows = (1..WORKSPACES)
        .map(|i| {
            vec![
                Cell::Int(agreement),
                Cell::Text(format!("Workspace {i:03}")),
                Cell::Text(format!("workspace {i:03}")),
                Cell::Int(0),
                Cell::Int(1),
                Cell::Int(now),
                Cell::Int(now),
            ]
        })
        .collect();
    insert_rows(
        &mut tx,
        "workspaces",
        &[
            "agreement_id",
            "name",
            "name_canonical",
            "is_default",
            "allow_personal",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    .await
    .expect("workspaces");
    tx.commit().await.expect("commit");
    let ids: Vec<i64> =
        sqlx::query("SELECT id FROM workspaces WHERE agreement_id = $1 ORDER BY id")
            .bind(agreement)
            .fetch_all(state.db.pool())
            .await
            .expect("ids")
            .iter()
            .map(|r| r.try_get::<i64, _>("id").expect("id"))
            .collect();
    let statuses = [
        "new",
        "in_progress",
        "waiting_on_customer",
        "resolved",
        "closed",
    ];
    let mut written = 0;
    while written < CASES {
        let mut tx = state.db.begin_write().await.expect("tx");
        let rows = (written..(written + CHUNK).min(CASES))
            .map(|i| {
                let opened = now - (i as i64 % 730) * 86_400;
                let status = statuses[i % statuses.len()];
                vec![
                    Cell::Int(ids[i % ids.len()]),
                    Cell::Int(sa),
                    Cell::Text(format!("Case {i}")),
                    Cell::Text("Generated".into()),
                    Cell::Text(["a", "b", "c"][i % 3].into()),
                    Cell::Text("Exchange".into()),
                    Cell::Text("email".into()),
                    Cell::Text(status.into()),
                    Cell::Int(opened),
                    Cell::OptInt((status == "closed").then_some(opened + 3_600)),
                    Cell::Int(opened),
                    Cell::Int(opened),
                ]
            })
            .collect();
        insert_rows(
            &mut tx,
            "cases",
            &[
                "workspace_id",
                "opened_by",
                "title",
                "description",
                "severity",
                "product_area",
                "contact_method",
                "status",
                "opened_at",
                "closed_at",
                "created_at",
                "updated_at",
            ],
            rows,
        )
        .await
        .expect("cases");
        tx.commit().await.expect("commit");
        written = (written + CHUNK).min(CASES);
    }
    println!(
        "setup: {WORKSPACES} workspaces, {CASES} cases in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // The aggregates, computed once as the migration backfills them.
    let started = Instant::now();
    let month = |column: &str| {
        if postgres {
            format!("to_char(to_timestamp({column}) AT TIME ZONE 'UTC', 'YYYY-MM')")
        } else {
            format!("strftime('%Y-%m', {column}, 'unixepoch')")
        }
    };
    let mut tx = state.db.begin_write().await.expect("tx");
    for sql in [
        "DELETE FROM case_counts".to_owned(),
        "DELETE FROM case_months".to_owned(),
        format!(
            "INSERT INTO case_counts (workspace_id, month, status, severity, n) \
             SELECT workspace_id, {0}, status, severity, COUNT(*) FROM cases \
             GROUP BY workspace_id, {0}, status, severity",
            month("opened_at")
        ),
        format!(
            "INSERT INTO case_months (workspace_id, month, opened, closed) \
             SELECT workspace_id, month, CAST(SUM(opened) AS BIGINT), CAST(SUM(closed) AS BIGINT) \
             FROM (SELECT workspace_id, {} AS month, 1 AS opened, 0 AS closed FROM cases \
               UNION ALL SELECT workspace_id, {} AS month, 0 AS opened, 1 AS closed FROM cases \
               WHERE closed_at IS NOT NULL) t GROUP BY workspace_id, month",
            month("opened_at"),
            month("closed_at")
        ),
    ] {
        sqlx::query(&sql)
            .execute(&mut *tx)
            .await
            .expect("aggregate");
    }
    tx.commit().await.expect("commit");
    sqlx::query("ANALYZE")
        .execute(state.db.pool())
        .await
        .expect("analyze");
    println!(
        "aggregates (INSERT … SELECT) in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let one = ids[0].to_string();
    for (label, workspace) in [
        ("customer_activity, one workspace", one.as_str()),
        ("customer_activity, All Workspaces (100)", "all"),
    ] {
        let form = [("workspace", workspace), ("from", ""), ("to", "")];
        let (status, body) = bench.call("customer_activity", &form, &cookie).await;
        assert_eq!(status, 200, "{body}");
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let started = Instant::now();
            let (status, _) = bench.call("customer_activity", &form, &cookie).await;
            times.push(started.elapsed());
            assert_eq!(status, 200);
        }
        summary(label, times);
    }
    let started = Instant::now();
    let (status, body, _) = bench
        .send(
            Request::get("/activity/export.csv?workspace=all&from=&to=")
                .header("cookie", &cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    println!(
        "CSV export, All Workspaces: {status}, {} bytes in {:.2} ms",
        body.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
}
