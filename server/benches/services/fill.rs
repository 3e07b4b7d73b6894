//! The organization's data for the Services benchmark, written with multi-row inserts: its
//! accounts, 20 services of two offers, 200 subscriptions, 10,000 license assignments and
//! 2,400 invoices.

use super::{
    ACCOUNTS, BIG_SERVICE, INVOICES_PER_SUBSCRIPTION, PER_SERVICE, SERVICES, STATUSES, USABLE,
};
use app::{
    db::{insert_rows, Cell},
    state::{now, AppState},
};
use sqlx::Row;
use std::{collections::HashMap, time::Instant};

/// What the measurements need of the data: the services' ids in order, and how many licenses
/// each usable subscription (service, index) holds.
pub struct Filled {
    pub services: Vec<i64>,
    pub held: HashMap<(usize, usize), i64>,
}

pub async fn fill(state: &AppState, sa: i64, organization: i64, postgres: bool) -> Filled {
    let db = state.db.pool();
    let started = Instant::now();
    let now = now();
    let day = 86_400;
    let mut tx = state.db.begin_write().await.expect("tx");
    // The signed-in account becomes the organization's Global Administrator.
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
    // 10,000 work accounts of the organization.
    let accounts = (0..ACCOUNTS)
        .map(|i| {
            let email = format!("user{i:05}@contoso.com");
            vec![
                Cell::Text("work".into()),
                Cell::Text(email.clone()),
                Cell::Text(email),
                Cell::OptInt(Some(organization)),
                Cell::Text(format!("User {i:05}")),
                Cell::Text("!".into()),
                Cell::Int(now),
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
            "created_at",
            "updated_at",
        ],
        accounts,
    )
    .await
    .expect("accounts");
    // 20 services of two offers each: a monthly one, and an annual volume one.
    let services = (0..SERVICES)
        .map(|i| {
            vec![
                Cell::Text(format!("Service {i:02}")),
                Cell::Text(format!("service {i:02}")),
                Cell::Int(now),
            ]
        })
        .collect();
    insert_rows(
        &mut tx,
        "services",
        &["name", "name_canonical", "created_at"],
        services,
    )
    .await
    .expect("services");
    tx.commit().await.expect("commit");
    let services = ids(
        &state,
        "SELECT id FROM services WHERE name_canonical LIKE 'service %' ORDER BY id",
        None,
    )
    .await;
    let users = ids(
        &state,
        "SELECT id FROM accounts WHERE organization_id = $1 AND email_canonical LIKE 'user%' \
         ORDER BY email_canonical",
        Some(organization),
    )
    .await;
    let mut tx = state.db.begin_write().await.expect("tx");
    let offers = services
        .iter()
        .enumerate()
        .flat_map(|(i, service)| {
            [("Standard", 1, 0, 800), ("Enterprise", 12, 1, 9_600)].map(
                |(plan, months, volume, price)| {
                    vec![
                        Cell::Int(*service),
                        Cell::Text(format!("Service {i:02} {plan}")),
                        Cell::Text(format!("service {i:02} {}", plan.to_lowercase())),
                        Cell::Text("Generated".into()),
                        Cell::Text("license".into()),
                        Cell::Int(price),
                        Cell::Text("EUR".into()),
                        Cell::Int(months),
                        Cell::Int(30),
                        Cell::Int(volume),
                        Cell::Int(now),
                    ]
                },
            )
        })
        .collect();
    insert_rows(
        &mut tx,
        "offers",
        &[
            "service_id",
            "name",
            "name_canonical",
            "description",
            "unit",
            "price_minor",
            "currency",
            "period_months",
            "trial_days",
            "volume",
            "created_at",
        ],
        offers,
    )
    .await
    .expect("offers");
    tx.commit().await.expect("commit");
    let offers = ids(
        &state,
        "SELECT id FROM offers WHERE name_canonical LIKE 'service %' ORDER BY id",
        None,
    )
    .await;
    // In insertion order: offers[2i] is service i's monthly offer, [2i + 1] its annual one.

    // Who holds which license: account k, in subscription `holder(k)` = (service, index).
    let holder = |k: usize| {
        if k < BIG_SERVICE {
            (0, k % USABLE)
        } else {
            let n = (k - BIG_SERVICE) % ((SERVICES - 1) * USABLE);
            (1 + n / USABLE, n % USABLE)
        }
    };
    let mut held: HashMap<(usize, usize), i64> = HashMap::new();
    for k in 0..ACCOUNTS {
        *held.entry(holder(k)).or_default() += 1;
    }
    let mut tx = state.db.begin_write().await.expect("tx");
    let subscriptions = (0..SERVICES)
        .flat_map(|s| (0..PER_SERVICE).map(move |j| (s, j)))
        .map(|(s, j)| {
            let status = STATUSES[j];
            let assigned = held.get(&(s, j)).copied().unwrap_or(0);
            let annual = j % 2 == 1;
            let ends_at = match status {
                "expired" => now - 5 * day,
                "trial" => now + 20 * day,
                _ => now + (10 + 30 * j as i64) * day,
            };
            vec![
                Cell::Int(organization),
                Cell::Int(services[s]),
                Cell::Int(offers[2 * s + usize::from(annual)]),
                Cell::Text(status.into()),
                Cell::Int(assigned + 5),
                Cell::Int(assigned),
                Cell::Int(i64::from(status == "active")),
                Cell::Int(now - 335 * day),
                Cell::Int(ends_at),
                Cell::OptInt((status != "cancelled").then_some(ends_at - 14 * day)),
                Cell::Int(now - 335 * day),
                Cell::Int(now),
            ]
        })
        .collect();
    insert_rows(
        &mut tx,
        "subscriptions",
        &[
            "organization_id",
            "service_id",
            "offer_id",
            "status",
            "quantity",
            "assigned",
            "recurring",
            "starts_at",
            "ends_at",
            "due_at",
            "created_at",
            "updated_at",
        ],
        subscriptions,
    )
    .await
    .expect("subscriptions");
    tx.commit().await.expect("commit");
    // In insertion order: subscription (s, j) is subs[s * PER_SERVICE + j].
    let subs = ids(
        &state,
        "SELECT id FROM subscriptions WHERE organization_id = $1 ORDER BY id",
        Some(organization),
    )
    .await;
    let mut tx = state.db.begin_write().await.expect("tx");
    let assignments = (0..ACCOUNTS)
        .map(|k| {
            let (s, j) = holder(k);
            vec![
                Cell::Int(subs[s * PER_SERVICE + j]),
                Cell::Int(users[k]),
                Cell::Int(organization),
                Cell::Int(now - (k as i64 % 300) * day),
            ]
        })
        .collect();
    insert_rows(
        &mut tx,
        "license_assignments",
        &[
            "subscription_id",
            "account_id",
            "organization_id",
            "assigned_at",
        ],
        assignments,
    )
    .await
    .expect("assignments");
    // Twelve invoices a subscription (the purchase and eleven renewals), one line each.
    let invoices = subs
        .iter()
        .enumerate()
        .flat_map(|(n, sub)| {
            (0..INVOICES_PER_SUBSCRIPTION).map(move |m| {
                vec![
                    Cell::Int((n * INVOICES_PER_SUBSCRIPTION + m + 1) as i64),
                    Cell::Int(organization),
                    Cell::Int(*sub),
                    Cell::Text("Contoso".into()),
                    Cell::Text("EUR".into()),
                    Cell::Int(8_000),
                    Cell::Text("issued".into()),
                    Cell::Int(now - (335 - 30 * m as i64) * day),
                ]
            })
        })
        .collect();
    insert_rows(
        &mut tx,
        "invoices",
        &[
            "number",
            "organization_id",
            "subscription_id",
            "bill_to",
            "currency",
            "total_minor",
            "status",
            "issued_at",
        ],
        invoices,
    )
    .await
    .expect("invoices");
    for sql in [
        "INSERT INTO invoice_lines (invoice_id, kind, description, quantity, unit_price_minor, \
         amount_minor) SELECT id, 'renewal', 'Generated', 10, 800, 8000 FROM invoices \
         WHERE organization_id = $1",
        "UPDATE subscriptions SET cancel_reason = 'Not needed any more' \
         WHERE organization_id = $1 AND status = 'cancelled'",
    ] {
        sqlx::query(sql)
            .bind(organization)
            .execute(&mut *tx)
            .await
            .expect("invoice lines, cancel reasons");
    }
    sqlx::query("UPDATE invoice_sequence SET last_number = (SELECT MAX(number) FROM invoices)")
        .execute(&mut *tx)
        .await
        .expect("invoice sequence");
    tx.commit().await.expect("commit");
    // Fresh statistics on PostgreSQL, as autovacuum would gather after such a load (its planner
    // otherwise plans for near-empty tables). SQLite gathers none unless asked, as in production.
    if postgres {
        sqlx::query("ANALYZE").execute(db).await.expect("analyze");
    }
    println!(
        "filled {SERVICES} services, {} subscriptions, {} invoices, {ACCOUNTS} accounts and \
         {ACCOUNTS} license assignments ({BIG_SERVICE} in Service 00) in {:.2} s",
        subs.len(),
        subs.len() * INVOICES_PER_SUBSCRIPTION,
        started.elapsed().as_secs_f64()
    );

    Filled { services, held }
}

/// Ids of one column `id`, with an optional first parameter.
async fn ids(state: &app::state::AppState, sql: &str, param: Option<i64>) -> Vec<i64> {
    let mut query = sqlx::query(sql);
    if let Some(param) = param {
        query = query.bind(param);
    }
    query
        .fetch_all(state.db.pool())
        .await
        .expect("ids")
        .iter()
        .map(|r| r.try_get::<i64, _>("id").expect("id"))
        .collect()
}
