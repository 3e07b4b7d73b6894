//! The world the services tests share: two organizations with their administrators (one of each
//! role in Contoso, a Global Administrator in Fabrikam), a user with no role, the provider's
//! operator, and three offers of the catalogue; plus the helpers that buy, call and read rows.

use crate::common::{TestApp, TestResponse};
use app::{auth::audit::Actor, error::AppError, services::OfferInput};
use sqlx::Row;

pub const MEGAN: &str = "megan@contoso.com";
pub const BILL: &str = "bill@contoso.com";
pub const UMA: &str = "uma@contoso.com";
pub const NORA: &str = "nora@contoso.com";
pub const KIM: &str = "kim@fabrikam.com";
pub const OLIVIA: &str = "olivia@provider.example";

pub struct World {
    pub contoso: i64,
    pub fabrikam: i64,
    /// The "Office" service (both offers below) and the "Storage" service.
    pub office: i64,
    pub storage: i64,
    /// Office E3: €12.00 a month, a 30-day trial.
    pub trial_offer: i64,
    /// Office E5: €20.00 a month, no trial.
    pub paid_offer: i64,
    /// Storage 1 TB: €50.00 a year, no trial.
    pub storage_offer: i64,
    /// Session cookies: Contoso's Global, Billing and User Administrators, Contoso's user with no
    /// role, Fabrikam's Global Administrator, the provider's operator.
    pub global: String,
    pub billing: String,
    pub user_admin: String,
    pub nobody: String,
    pub other_global: String,
    pub staff: String,
}

pub async fn offer(
    app: &TestApp,
    service: &str,
    name: &str,
    price: &str,
    period: &str,
    trial_days: &str,
) -> i64 {
    let input = OfferInput {
        service: service.to_owned(),
        name: name.to_owned(),
        description: format!("{name} for every user"),
        unit: "license".to_owned(),
        price: price.to_owned(),
        currency: "EUR".to_owned(),
        period: period.to_owned(),
        trial_days: trial_days.to_owned(),
        volume: false,
    };
    app::services::create_offer_as(&app.state, &input, Actor::CommandLine)
        .await
        .expect("offer")
}

/// A work account of the organization its domain names, with an administrative role or none.
pub async fn person(app: &TestApp, email: &str, org: i64, role: Option<&str>) -> i64 {
    let name = email.split('@').next().expect("local part").to_owned() + " Person";
    let id = app.create_account("work", email, &name).await;
    if let Some(role) = role {
        app.exec(&format!(
            "INSERT INTO organization_roles (account_id, organization_id, role, created_at) \
             VALUES ({id}, {org}, '{role}', 1)"
        ))
        .await;
    }
    id
}

pub async fn world(app: &TestApp) -> World {
    let contoso = app.create_organization("Contoso", "contoso.com").await;
    let fabrikam = app.create_organization("Fabrikam", "fabrikam.com").await;
    let trial_offer = offer(app, "Office", "Office E3", "12.00", "monthly", "30").await;
    let paid_offer = offer(app, "Office", "Office E5", "20", "monthly", "").await;
    let storage_offer = offer(app, "Storage", "Storage 1 TB", "50", "annual", "0").await;
    for (email, org, role) in [
        (MEGAN, contoso, Some("global")),
        (BILL, contoso, Some("billing")),
        (UMA, contoso, Some("user")),
        (NORA, contoso, None),
        (KIM, fabrikam, Some("global")),
    ] {
        person(app, email, org, role).await;
    }
    app.create_staff(OLIVIA, "operator").await;
    World {
        contoso,
        fabrikam,
        office: service_of(app, trial_offer).await,
        storage: service_of(app, storage_offer).await,
        trial_offer,
        paid_offer,
        storage_offer,
        global: app.signed_in(MEGAN, "work").await,
        billing: app.signed_in(BILL, "work").await,
        user_admin: app.signed_in(UMA, "work").await,
        nobody: app.signed_in(NORA, "work").await,
        other_global: app.signed_in(KIM, "work").await,
        staff: app.signed_in(OLIVIA, "work").await,
    }
}

pub async fn service_of(app: &TestApp, offer: i64) -> i64 {
    app.count(&format!("SELECT service_id FROM offers WHERE id = {offer}"))
        .await
}

pub async fn account_id(app: &TestApp, email: &str) -> i64 {
    app.count(&format!("SELECT id FROM accounts WHERE email = '{email}'"))
        .await
}

/// A server function of one subscription: `subscription_id` and the form's other fields.
pub async fn on_sub(
    app: &TestApp,
    endpoint: &str,
    subscription: i64,
    extra: &[(&str, &str)],
    cookie: Option<&str>,
) -> TestResponse {
    let id = subscription.to_string();
    let mut form = vec![("subscription_id", id.as_str())];
    form.extend_from_slice(extra);
    app.call(endpoint, &form, cookie, &[]).await
}

pub async fn take_offer(
    app: &TestApp,
    cookie: &str,
    offer: i64,
    trial: bool,
    quantity: &str,
) -> TestResponse {
    let offer = offer.to_string();
    let trial = trial.to_string();
    app.call(
        "take_offer",
        &[
            ("offer_id", offer.as_str()),
            ("trial", trial.as_str()),
            ("quantity", quantity),
        ],
        Some(cookie),
        &[],
    )
    .await
}

/// Buys `quantity` paid licenses (or the trial, with quantity 0); answers the new subscription.
pub async fn buy(app: &TestApp, cookie: &str, offer: i64, quantity: i64) -> i64 {
    let bought = take_offer(app, cookie, offer, quantity == 0, &quantity.to_string()).await;
    assert_eq!(bought.status, 200, "{}", bought.body);
    app.count("SELECT MAX(id) FROM subscriptions").await
}

pub async fn assign(app: &TestApp, cookie: &str, subscription: i64, email: &str) -> TestResponse {
    on_sub(
        app,
        "assign_license",
        subscription,
        &[("email", email)],
        Some(cookie),
    )
    .await
}

pub fn error(response: &TestResponse) -> AppError {
    serde_json::from_str(&response.body)
        .unwrap_or_else(|e| panic!("{e}: not an AppError: {}", response.body))
}

/// The message at `field` of a 422 answer.
pub fn field(response: &TestResponse, name: &str) -> String {
    assert_eq!(response.status, 422, "{}", response.body);
    error(response)
        .field_message(name)
        .unwrap_or_else(|| panic!("no message at {name}: {}", response.body))
}

/// A subscription's row, as the tests compare it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sub {
    pub organization_id: i64,
    pub status: String,
    pub quantity: i64,
    pub assigned: i64,
    pub recurring: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub due_at: Option<i64>,
    pub reminded_for: Option<i64>,
    pub cancel_reason: Option<String>,
}

const SUB_COLUMNS: &str = "id, organization_id, status, quantity, assigned, recurring, \
     starts_at, ends_at, due_at, reminded_for, cancel_reason";

fn sub_from(row: &sqlx::any::AnyRow) -> Sub {
    Sub {
        organization_id: row.get("organization_id"),
        status: row.get("status"),
        quantity: row.get("quantity"),
        assigned: row.get("assigned"),
        recurring: row.get("recurring"),
        starts_at: row.get("starts_at"),
        ends_at: row.get("ends_at"),
        due_at: row.get("due_at"),
        reminded_for: row.get("reminded_for"),
        cancel_reason: row.get("cancel_reason"),
    }
}

pub async fn sub(app: &TestApp, id: i64) -> Sub {
    let row = sqlx::query(&format!(
        "SELECT {SUB_COLUMNS} FROM subscriptions WHERE id = $1"
    ))
    .bind(id)
    .fetch_one(app.state.db.pool())
    .await
    .expect("subscription");
    sub_from(&row)
}

/// Everything a services call may write: every subscription row and the size of each table.
pub async fn snapshot(app: &TestApp) -> Vec<String> {
    let rows = sqlx::query(&format!(
        "SELECT {SUB_COLUMNS} FROM subscriptions ORDER BY id"
    ))
    .fetch_all(app.state.db.pool())
    .await
    .expect("subscriptions");
    let mut out: Vec<String> = rows
        .iter()
        .map(|r| format!("{}: {:?}", r.get::<i64, _>("id"), sub_from(r)))
        .collect();
    for table in [
        "organizations",
        "organization_domains",
        "accounts",
        "organization_roles",
        "email_confirmations",
        "services",
        "offers",
        "subscriptions",
        "license_assignments",
        "invoices",
        "invoice_lines",
        "outbox",
        "audit_log",
    ] {
        let n = app.count(&format!("SELECT COUNT(*) FROM {table}")).await;
        out.push(format!("{table}: {n}"));
    }
    out
}

/// Invoice lines of `kind` billed for a subscription.
pub async fn lines(app: &TestApp, subscription: i64, kind: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id \
         WHERE i.subscription_id = {subscription} AND l.kind = '{kind}'"
    ))
    .await
}

/// `subscriptions.assigned` is the number of assignments, and never above the total.
pub async fn assert_counted(app: &TestApp, subscription: i64) -> Sub {
    let row = sub(app, subscription).await;
    let held = app
        .count(&format!(
            "SELECT COUNT(*) FROM license_assignments WHERE subscription_id = {subscription}"
        ))
        .await;
    assert_eq!(row.assigned, held, "assigned vs assignments: {row:?}");
    assert!(row.assigned <= row.quantity, "over the total: {row:?}");
    row
}

/// Every invoice number from 1 to the counter, once: no gap, no reuse.
pub async fn assert_numbers_without_gaps(app: &TestApp) -> i64 {
    let numbers: Vec<i64> = sqlx::query("SELECT number FROM invoices ORDER BY number")
        .fetch_all(app.state.db.pool())
        .await
        .expect("numbers")
        .iter()
        .map(|r| r.get::<i64, _>("number"))
        .collect();
    let expected: Vec<i64> = (1..=numbers.len() as i64).collect();
    assert_eq!(numbers, expected, "invoice numbers");
    let last = app
        .count("SELECT last_number FROM invoice_sequence WHERE id = 1")
        .await;
    assert_eq!(last, numbers.len() as i64);
    last
}
