//! The staff console and the audit log over HTTP: organizations and agreements by the operator,
//! activation, workspaces and benefits by the assigned CSAM, and who may read a workspace's log.

use crate::common::{TestApp, PASSWORD};

const OPERATOR: &str = "olivia@provider.example";
const CSAM: &str = "carlos@provider.example";
const OTHER_CSAM: &str = "nadia@provider.example";

struct Staff {
    operator: String,
    csam: String,
    other_csam: String,
}

async fn staff(app: &TestApp) -> Staff {
    for (email, name, role) in [
        (OPERATOR, "Olivia Operator", "operator"),
        (CSAM, "Carlos Csam", "csam"),
        (OTHER_CSAM, "Nadia Csam", "csam"),
    ] {
        app::workspaces::service::create_staff(&app.state, email, name, role, PASSWORD)
            .await
            .expect("staff account");
    }
    Staff {
        operator: app.signed_in(OPERATOR, "work").await,
        csam: app.signed_in(CSAM, "work").await,
        other_csam: app.signed_in(OTHER_CSAM, "work").await,
    }
}

fn agreement_form<'a>(organization: &'a str, admin: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("organization", organization),
        ("agreement_type", "unified"),
        ("services_admins", admin),
        ("support_contacts", ""),
        ("csam", CSAM),
        ("ac", ""),
        ("contact_limit", "10"),
        ("start", ""),
        ("end", ""),
        ("reactive_hours", ""),
        ("proactive_credits", ""),
    ]
}

/// The operator creates an organization and an agreement through the console's server
/// functions; returns the agreement's id.
async fn organization_and_agreement(
    app: &TestApp,
    staff: &Staff,
    name: &str,
    domain: &str,
    form: &[(&str, &str)],
) -> i64 {
    let created = app
        .call(
            "create_organization_staff",
            &[("name", name), ("domain", domain)],
            Some(&staff.operator),
            &[],
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let created = app
        .call("create_agreement_staff", form, Some(&staff.operator), &[])
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    app.count("SELECT MAX(id) FROM agreements").await
}

async fn activate(app: &TestApp, cookie: &str, agreement: i64) -> i64 {
    let id = agreement.to_string();
    let activated = app
        .call(
            "activate_agreement",
            &[("agreement_id", id.as_str())],
            Some(cookie),
            &[],
        )
        .await;
    assert_eq!(activated.status, 200, "{}", activated.body);
    app.count(&format!(
        "SELECT id FROM workspaces WHERE agreement_id = {agreement} AND is_default = 1"
    ))
    .await
}

mod agreement_page;
mod audit_log;
mod console;
mod races;
