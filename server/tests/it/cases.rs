//! Support cases over HTTP against the real router, on SQLite and PostgreSQL: opening (support
//! contacts only, validated), who sees a case (the visibility matrix), the timeline's writes and
//! the list's filters and pages.

use crate::common::{TestApp, TestResponse};
use app::{
    auth::audit::Actor,
    workspaces::service::{self, AgreementInput},
};
use serde_json::Value;

fn json(response: &TestResponse) -> Value {
    serde_json::from_str(&response.body).unwrap_or_else(|e| panic!("{e}: {}", response.body))
}

/// An active agreement and its Default Workspace.
async fn agreement(
    app: &TestApp,
    organization: &str,
    admin: &str,
    csam: Option<&str>,
) -> (i64, i64) {
    let agreement = service::create_agreement(
        &app.state,
        AgreementInput {
            organization,
            agreement_type: "premier",
            services_admins: vec![admin],
            csam,
            contact_limit: Some("50"),
            ..AgreementInput::default()
        },
        Actor::CommandLine,
        "127.0.0.1",
    )
    .await
    .expect("agreement");
    let workspace = service::activate(&app.state, agreement, Actor::CommandLine, None, "127.0.0.1")
        .await
        .expect("activate");
    (agreement, workspace)
}

/// A work account that is a member of `workspace` (`flags`: "admin", "contact", "view_all").
async fn member(app: &TestApp, workspace: i64, email: &str, flags: &[&str]) -> i64 {
    let account = app.create_account("work", email, "Person").await;
    let flag = |f: &str| i64::from(flags.contains(&f));
    app.exec(&format!(
        "INSERT INTO memberships (workspace_id, account_id, is_admin, support_contact, \
         view_all_cases, created_at, updated_at) VALUES ({workspace}, {account}, {}, {}, {}, 0, 0)",
        flag("admin"),
        flag("contact"),
        flag("view_all")
    ))
    .await;
    account
}

struct World {
    workspace: i64,
    finance: i64,
    fabrikam: i64,
    /// Cookies by name.
    contact: String,
    contact2: String,
    member: String,
    viewer: String,
    wa: String,
    sa: String,
    csam: String,
    other_csam: String,
    finance_member: String,
    fabrikam_member: String,
}

async fn world(app: &TestApp) -> World {
    app.create_organization("Contoso", "contoso.com").await;
    app.create_organization("Fabrikam", "fabrikam.com").await;
    app.create_staff("csam@provider.example", "csam").await;
    app.create_staff("csam2@provider.example", "csam").await;
    let (contoso, workspace) = agreement(
        app,
        "Contoso",
        "sa@contoso.com",
        Some("csam@provider.example"),
    )
    .await;
    let (_, fabrikam) = agreement(app, "Fabrikam", "sa@fabrikam.com", None).await;
    let finance = app
        .count(&format!(
            "INSERT INTO workspaces (agreement_id, name, name_canonical, is_default, \
             allow_personal, created_at, updated_at) \
             VALUES ({contoso}, 'Finance', 'finance', 0, 1, 0, 0) RETURNING id"
        ))
        .await;
    member(app, workspace, "sc@contoso.com", &["contact"]).await;
    member(app, workspace, "sc2@contoso.com", &["contact"]).await;
    member(app, workspace, "member@contoso.com", &[]).await;
    member(app, workspace, "viewer@contoso.com", &["view_all"]).await;
    member(app, workspace, "wa@contoso.com", &["admin"]).await;
    let sa = app
        .create_account("work", "sa@contoso.com", "Services Admin")
        .await;
    app.exec(&format!(
        "INSERT INTO agreement_admins (agreement_id, account_id, created_at) \
         VALUES ({contoso}, {sa}, 0)"
    ))
    .await;
    member(app, finance, "fin@contoso.com", &["contact", "admin"]).await;
    member(app, fabrikam, "member@fabrikam.com", &["contact", "admin"]).await;
    World {
        workspace,
        finance,
        fabrikam,
        contact: app.signed_in("sc@contoso.com", "work").await,
        contact2: app.signed_in("sc2@contoso.com", "work").await,
        member: app.signed_in("member@contoso.com", "work").await,
        viewer: app.signed_in("viewer@contoso.com", "work").await,
        wa: app.signed_in("wa@contoso.com", "work").await,
        sa: app.signed_in("sa@contoso.com", "work").await,
        csam: app.signed_in("csam@provider.example", "work").await,
        other_csam: app.signed_in("csam2@provider.example", "work").await,
        finance_member: app.signed_in("fin@contoso.com", "work").await,
        fabrikam_member: app.signed_in("member@fabrikam.com", "work").await,
    }
}

async fn open(
    app: &TestApp,
    cookie: &str,
    workspace: i64,
    title: &str,
    severity: &str,
) -> TestResponse {
    let workspace = workspace.to_string();
    app.call(
        "open_case",
        &[
            ("workspace_id", workspace.as_str()),
            ("title", title),
            ("description", "It does not work.\nSince this morning."),
            ("severity", severity),
            ("product_area", "Exchange"),
            ("contact_method", "email"),
        ],
        Some(cookie),
        &[],
    )
    .await
}

async fn open_ok(app: &TestApp, cookie: &str, workspace: i64, title: &str, severity: &str) -> i64 {
    let response = open(app, cookie, workspace, title, severity).await;
    assert_eq!(response.status, 200, "{}", response.body);
    json(&response).as_i64().expect("the case id")
}

async fn detail(app: &TestApp, cookie: &str, workspace: i64, case: i64) -> TestResponse {
    let (workspace, case) = (workspace.to_string(), case.to_string());
    app.call(
        "case_detail",
        &[("workspace_id", &workspace), ("case_id", &case)],
        Some(cookie),
        &[],
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn list(
    app: &TestApp,
    cookie: &str,
    workspace: i64,
    status: &str,
    severity: &str,
    mine: bool,
    search: &str,
    page: i64,
) -> Value {
    let response =
        list_response(app, cookie, workspace, status, severity, mine, search, page).await;
    assert_eq!(response.status, 200, "{}", response.body);
    json(&response)
}

#[allow(clippy::too_many_arguments)]
async fn list_response(
    app: &TestApp,
    cookie: &str,
    workspace: i64,
    status: &str,
    severity: &str,
    mine: bool,
    search: &str,
    page: i64,
) -> TestResponse {
    let (workspace, page) = (workspace.to_string(), page.to_string());
    app.call(
        "list_cases",
        &[
            ("workspace_id", &workspace),
            ("status", status),
            ("severity", severity),
            ("mine", if mine { "true" } else { "false" }),
            ("search", search),
            ("page", &page),
        ],
        Some(cookie),
        &[],
    )
    .await
}

fn ids(page: &Value) -> Vec<i64> {
    page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["id"].as_i64().expect("id"))
        .collect()
}

async fn call(
    app: &TestApp,
    function: &str,
    cookie: &str,
    form: &[(&str, String)],
) -> TestResponse {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call(function, &form, Some(cookie), &[]).await
}

mod groups;
mod visibility;
mod work;
