//! Benchmark (prints figures, asserts nothing): the Services pages at one organization's scale —
//! 20 services, 200 subscriptions, 2,400 invoices and 10,000 license assignments over 10,000
//! work accounts — through the real router on a SQLite file (or on PostgreSQL with
//! `BENCH_DATABASE_URL=postgres://…`, a database it may fill), signed in as a Global
//! Administrator of the organization. The rows are written with multi-row inserts, not through
//! the server functions; each subscription's `assigned` is the count of its assignments.
//!
//!     cargo bench -p services-hub --bench services

use axum::{body::Body, http::Request};
use sqlx::Row;
use std::time::Instant;

mod common;
#[path = "services/fill.rs"]
mod fill;
use common::summary;

const SERVICES: usize = 20;
/// Subscriptions per service (200 in all): 7 active, a trial, an expired one, a cancelled one.
const PER_SERVICE: usize = 10;
const STATUSES: [&str; PER_SERVICE] = [
    "active",
    "active",
    "active",
    "active",
    "active",
    "active",
    "active",
    "trial",
    "expired",
    "cancelled",
];
/// The usable subscriptions of a service hold its licenses (the first nine).
const USABLE: usize = 9;
const ACCOUNTS: usize = 10_000;
/// Of the 10,000 assignments, this many are the first service's (page 100 of its detail is
/// then a deep page, offset 4,950); the rest are spread over the 19 others.
const BIG_SERVICE: usize = 6_000;
const INVOICES_PER_SUBSCRIPTION: usize = 12;
const RUNS: usize = 30;

#[tokio::main]
async fn main() {
    let common::Setup {
        bench,
        state,
        url,
        sa,
        cookie,
        dir: _dir,
        ..
    } = common::contoso().await;
    let postgres = url.starts_with("postgres");
    let db = state.db.pool();
    let organization: i64 = sqlx::query("SELECT organization_id FROM accounts WHERE id = $1")
        .bind(sa)
        .fetch_one(db)
        .await
        .expect("organization")
        .try_get("organization_id")
        .expect("organization id");

    let fill::Filled { services, held } = fill::fill(&state, sa, organization, postgres).await;

    // The Services page: its data, then the page rendered on the server.
    let (status, body) = bench.call("services_overview", &[], &cookie).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Service 19"), "{body}");
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let (status, _) = bench.call("services_overview", &[], &cookie).await;
        times.push(started.elapsed());
        assert_eq!(status, 200);
    }
    summary("services_overview (20 services, 200 subs)", times);
    page(
        &bench,
        "/services",
        &cookie,
        "Service 19",
        "Services page rendered on the server",
    )
    .await;

    // One service's detail: the big one (6,000 licenses, 120 invoices), its first and its
    // 100th page of assignments; and a small one (216 licenses) for comparison.
    let big = services[0].to_string();
    let small = services[1].to_string();
    let in_small: i64 = (0..USABLE).map(|j| held[&(1, j)]).sum();
    for (label, service, number) in [
        (
            format!("service_detail, {BIG_SERVICE} licenses, page 1"),
            big.as_str(),
            "1",
        ),
        (
            format!("service_detail, {BIG_SERVICE} licenses, page 100"),
            &big,
            "100",
        ),
        (
            format!("service_detail, {in_small} licenses, page 1"),
            &small,
            "1",
        ),
    ] {
        let form = [("service_id", service), ("page", number)];
        let (status, body) = bench.call("service_detail", &form, &cookie).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains(&format!("\"page\":{number},")), "{body}");
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let started = Instant::now();
            let (status, _) = bench.call("service_detail", &form, &cookie).await;
            times.push(started.elapsed());
            assert_eq!(status, 200);
        }
        summary(&label, times);
    }
    page(
        &bench,
        &format!("/services/{big}"),
        &cookie,
        "Page 1 of 120",
        "service page rendered, page 1",
    )
    .await;
    page(
        &bench,
        &format!("/services/{big}?page=100"),
        &cookie,
        "Page 100 of 120",
        "service page rendered, page 100",
    )
    .await;
}

/// A whole page rendered on the server (`SsrMode::Async`: its data resolved first), RUNS times.
async fn page(bench: &common::Bench, path: &str, cookie: &str, expect: &str, label: &str) {
    let get = || {
        Request::get(path)
            .header("accept", "text/html")
            .header("cookie", cookie)
            .body(Body::empty())
            .expect("request")
    };
    let (status, body, _) = bench.send(get()).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(expect), "{expect:?} not in {body}");
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let (status, _, _) = bench.send(get()).await;
        times.push(started.elapsed());
        assert_eq!(status, 200);
    }
    summary(label, times);
}
