//! Benchmark (prints figures, asserts only that the answers are right): Manage Users of the
//! Identity page at 10,000 work accounts of one organization — the first page, a deep page,
//! each sort both ways, a prefix search of names and of addresses, and the page rendered on
//! the server — through the real router on a SQLite file (or PostgreSQL with
//! `BENCH_DATABASE_URL=postgres://…`, a database it may fill), signed in as the organization's
//! Global Administrator. The accounts are written with multi-row inserts.
//!
//!     cargo bench -p services-hub --bench identity_users

use app::{
    db::{insert_rows, Cell},
    identity::OrgUsersData,
    state::now,
};
use axum::{body::Body, http::Request};
use sqlx::Row;
use std::time::Instant;

mod common;
use common::summary;

const ACCOUNTS: usize = 10_000;
const RUNS: usize = 30;

#[tokio::main]
async fn main() {
    let common::Setup {
        bench,
        state,
        sa,
        cookie,
        dir: _dir,
        ..
    } = common::contoso().await;
    let db = state.db.pool();
    let organization: i64 = sqlx::query("SELECT organization_id FROM accounts WHERE id = $1")
        .bind(sa)
        .fetch_one(db)
        .await
        .expect("organization")
        .try_get("organization_id")
        .expect("organization id");
    let started = Instant::now();
    let now = now();
    let mut tx = state.db.begin_write().await.expect("tx");
    insert_rows(
        &mut tx,
        "organization_roles",
        &["account_id", "organization_id", "role", "created_at"],
        vec![vec![
            Cell::Int(sa),
            Cell::Int(organization),
            Cell::Text("global".into()),
            Cell::Int(now),
        ]],
    )
    .await
    .expect("role");
    // Names in another order than addresses and creation, so every sort reads its own index;
    // one in ten waits for a password, one in fifty is disabled.
    let accounts = (0..ACCOUNTS)
        .map(|i| {
            let email = format!("user{i:05}@contoso.com");
            vec![
                Cell::Text("work".into()),
                Cell::Text(email.clone()),
                Cell::Text(email),
                Cell::OptInt(Some(organization)),
                Cell::Text(format!("Person {:05}", (i * 7_919) % ACCOUNTS)),
                Cell::Text(if i % 10 == 0 {
                    "!unset".into()
                } else {
                    "x".into()
                }),
                Cell::OptInt((i % 50 == 0).then_some(now)),
                Cell::Int(now - i as i64),
                Cell::Int(now),
            ]
        })
        .collect();
    insert_rows(
        &mut tx,
        "accounts",
        &[
            "kind",
            "email",
            "email_canonical",
            "organization_id",
            "display_name",
            "password_hash",
            "disabled_at",
            "created_at",
            "updated_at",
        ],
        accounts,
    )
    .await
    .expect("accounts");
    tx.commit().await.expect("commit");
    println!("filled {ACCOUNTS} accounts in {:?}", started.elapsed());

    let cases: [(&str, &str, &str, &str, i64, usize); 8] = [
        ("first page by name", "", "name", "false", 1, 50),
        (
            "deep page by name (150 of 201)",
            "",
            "name",
            "false",
            150,
            50,
        ),
        ("by address, descending", "", "email", "true", 1, 50),
        ("by status, page 100", "", "status", "false", 100, 50),
        ("newest first, page 50", "", "created", "true", 50, 50),
        (
            "search a name prefix (\"person 0123\")",
            "person 0123",
            "name",
            "false",
            1,
            10,
        ),
        (
            "search an address prefix (\"user0999\")",
            "user0999",
            "email",
            "false",
            1,
            10,
        ),
        ("search with no match", "zzz", "name", "false", 1, 0),
    ];
    for (label, q, sort, desc, page, rows) in cases {
        let page = page.to_string();
        let form = [
            ("q", q),
            ("sort", sort),
            ("desc", desc),
            ("page", page.as_str()),
        ];
        let (status, body) = bench.call("identity_users", &form, &cookie).await;
        assert_eq!(status, 200, "{body}");
        let data: OrgUsersData = serde_json::from_str(&body).expect("users");
        assert_eq!(data.rows.len(), rows, "{label}");
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let started = Instant::now();
            let (status, _) = bench.call("identity_users", &form, &cookie).await;
            times.push(started.elapsed());
            assert_eq!(status, 200);
        }
        summary(&format!("identity_users: {label}"), times);
    }

    // The page as the browser gets it, rendered on the server.
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let request = Request::get("/organization/users?sort=name&page=120")
            .header("accept", "text/html")
            .header("cookie", &cookie)
            .body(Body::empty())
            .expect("request");
        let started = Instant::now();
        let (status, body, _) = bench.send(request).await;
        times.push(started.elapsed());
        assert_eq!(status, 200);
        assert!(body.contains("Page 120 of 201"), "page");
    }
    summary("GET /organization/users (page 120)", times);
}
