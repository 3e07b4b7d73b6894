//! Invoices: one gap-free sequence under parallel issuers, immutability held by the database,
//! and the online view and the PDF open to Global and Billing Administrators of the invoice's
//! own organization only.

use crate::common::TestApp;
use app::billing::{issue, LineKind, NewLine};

/// Two organizations, each with a subscription, and Contoso's people: a Global, a Billing and
/// a User Administrator, someone with no role; Fabrikam's Billing Administrator.
struct World {
    org: i64,
    subscription: i64,
    other_subscription: i64,
    global: String,
    billing: String,
    user_admin: String,
    nobody: String,
    other_billing: String,
}

async fn person(app: &TestApp, email: &str, org: i64, role: Option<&str>) -> String {
    let id = app.create_account("work", email, "Person").await;
    if let Some(role) = role {
        app.exec(&format!(
            "INSERT INTO organization_roles (account_id, organization_id, role, created_at) \
             VALUES ({id}, {org}, '{role}', 0)"
        ))
        .await;
    }
    app.signed_in(email, "work").await
}

async fn subscription(app: &TestApp, org: i64, service: &str) -> i64 {
    let canonical = service.to_lowercase();
    app.exec(&format!(
        "INSERT INTO services (name, name_canonical, created_at) VALUES ('{service}', '{canonical}', 0)"
    ))
    .await;
    let service_id = app
        .count(&format!(
            "SELECT id FROM services WHERE name_canonical = '{canonical}'"
        ))
        .await;
    app.exec(&format!(
        "INSERT INTO offers (service_id, name, name_canonical, description, unit, price_minor, \
           currency, period_months, created_at) \
         VALUES ({service_id}, '{service} E3', '{canonical} e3', 'Mail and Office', 'license', \
           1200, 'EUR', 12, 0)"
    ))
    .await;
    let offer = app
        .count(&format!(
            "SELECT id FROM offers WHERE service_id = {service_id}"
        ))
        .await;
    app.exec(&format!(
        "INSERT INTO subscriptions (organization_id, service_id, offer_id, status, quantity, \
           starts_at, ends_at, created_at, updated_at) \
         VALUES ({org}, {service_id}, {offer}, 'active', 10, 0, 31536000, 0, 0)"
    ))
    .await;
    app.count(&format!(
        "SELECT id FROM subscriptions WHERE offer_id = {offer}"
    ))
    .await
}

async fn world(app: &TestApp) -> World {
    let org = app.create_organization("Contoso", "contoso.com").await;
    let other = app.create_organization("Fabrikam", "fabrikam.com").await;
    World {
        org,
        subscription: subscription(app, org, "Contoso 365").await,
        other_subscription: subscription(app, other, "Fabrikam Cloud").await,
        global: person(app, "gina@contoso.com", org, Some("global")).await,
        billing: person(app, "bill@contoso.com", org, Some("billing")).await,
        user_admin: person(app, "uma@contoso.com", org, Some("user")).await,
        nobody: person(app, "nora@contoso.com", org, None).await,
        other_billing: person(app, "bea@fabrikam.com", other, Some("billing")).await,
    }
}

fn line(kind: LineKind, description: &str, quantity: i64, unit_price_minor: i64) -> NewLine {
    NewLine {
        kind,
        description: description.to_owned(),
        quantity,
        unit_price_minor,
    }
}

/// Issues one invoice in a transaction of its own and commits it.
async fn issued(app: &TestApp, org: i64, subscription: i64, lines: Vec<NewLine>) -> i64 {
    let mut tx = app.state.db.begin_write().await.expect("begin");
    let invoice = issue(&mut tx, org, subscription, "EUR", lines)
        .await
        .expect("issue");
    tx.commit().await.expect("commit");
    invoice.id
}

mod access;
mod ledger;
