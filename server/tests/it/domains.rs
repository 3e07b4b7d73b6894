//! Domains with DNS proof over HTTP, against a real DNS server on a loopback port
//! (`dns_server`): adding, the TXT record each domain must publish, the three answers of Verify,
//! one organization per verified domain, the primary domain, removal refused while accounts use
//! a domain, the daily re-check that warns the Global Administrators once, and who may do what.

mod changes;
mod dns_server;
mod matrix;
mod proof;

use crate::common::{TestApp, TestResponse};
use app::domains::{DomainEntry, DomainsData};

/// Contoso's administrators and a person with no role, Fabrikam's Global Administrator and a
/// staff member, each signed in.
pub(super) struct World {
    pub contoso: i64,
    pub fabrikam: i64,
    pub global: String,
    pub billing: String,
    pub user_admin: String,
    pub nobody: String,
    pub other_global: String,
    pub staff: String,
}

pub(super) async fn world(app: &TestApp) -> World {
    let contoso = app.create_organization("Contoso", "contoso.com").await;
    let fabrikam = app.create_organization("Fabrikam", "fabrikam.com").await;
    let mut ids = Vec::new();
    for (email, name) in [
        ("megan@contoso.com", "Megan Bowen"),
        ("bill@contoso.com", "Bill Payer"),
        ("uma@contoso.com", "Uma Users"),
        ("nora@contoso.com", "Nora Norole"),
        ("kim@fabrikam.com", "Kim Fabrikam"),
    ] {
        ids.push(app.create_account("work", email, name).await);
    }
    app.create_staff("olivia@provider.example", "operator")
        .await;
    for (account, organization, role) in [
        (ids[0], contoso, "global"),
        (ids[1], contoso, "billing"),
        (ids[2], contoso, "user"),
        (ids[4], fabrikam, "global"),
    ] {
        app.exec(&format!(
            "INSERT INTO organization_roles (account_id, organization_id, role, created_at) \
             VALUES ({account}, {organization}, '{role}', 1)"
        ))
        .await;
    }
    World {
        contoso,
        fabrikam,
        global: app.signed_in("megan@contoso.com", "work").await,
        billing: app.signed_in("bill@contoso.com", "work").await,
        user_admin: app.signed_in("uma@contoso.com", "work").await,
        nobody: app.signed_in("nora@contoso.com", "work").await,
        other_global: app.signed_in("kim@fabrikam.com", "work").await,
        staff: app.signed_in("olivia@provider.example", "work").await,
    }
}

pub(super) async fn add(app: &TestApp, cookie: Option<&str>, domain: &str) -> TestResponse {
    app.call("add_domain", &[("domain", domain)], cookie, &[])
        .await
}

pub(super) async fn on_domain(
    app: &TestApp,
    function: &str,
    cookie: Option<&str>,
    id: i64,
) -> TestResponse {
    let id = id.to_string();
    app.call(function, &[("id", id.as_str())], cookie, &[])
        .await
}

pub(super) async fn domains(app: &TestApp, cookie: &str) -> DomainsData {
    let read = app
        .call("organization_domains", &[], Some(cookie), &[])
        .await;
    assert_eq!(read.status, 200, "{}", read.body);
    serde_json::from_str(&read.body).expect("domains")
}

pub(super) async fn entry(app: &TestApp, cookie: &str, domain: &str) -> DomainEntry {
    domains(app, cookie)
        .await
        .domains
        .into_iter()
        .find(|d| d.domain == domain)
        .unwrap_or_else(|| panic!("{domain} is not listed"))
}

pub(super) async fn domain_id(app: &TestApp, organization: i64, domain: &str) -> i64 {
    app.count(&format!(
        "SELECT id FROM organization_domains WHERE organization_id = {organization} \
         AND domain = '{domain}'"
    ))
    .await
}

/// What a refused change must leave as it was: the domains and the log.
pub(super) async fn snapshot(app: &TestApp) -> (i64, i64, i64, i64) {
    (
        app.count("SELECT COUNT(*) FROM organization_domains").await,
        app.count("SELECT COUNT(*) FROM organization_domains WHERE verified_at IS NOT NULL")
            .await,
        app.count("SELECT COUNT(*) FROM organization_domains WHERE is_primary = 1")
            .await,
        app.count("SELECT COUNT(*) FROM audit_log").await,
    )
}
