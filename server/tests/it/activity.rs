//! Customer Activity over HTTP against the real router, on SQLite and PostgreSQL: the figures
//! equal direct counts, "All Workspaces" is exactly the caller's workspaces, other tenants get
//! 404, the CSV export is an attachment with formula cells neutralised, and the date range is
//! validated.

use crate::common::{TestApp, TestResponse};
use app::{
    auth::audit::Actor,
    workspaces::service::{self, AgreementInput},
};
use serde_json::Value;

fn json(response: &TestResponse) -> Value {
    serde_json::from_str(&response.body).unwrap_or_else(|e| panic!("{e}: {}", response.body))
}

async fn agreement(app: &TestApp, organization: &str, admin: &str, csam: &str) -> (i64, i64) {
    let agreement = service::create_agreement(
        &app.state,
        AgreementInput {
            organization,
            agreement_type: "premier",
            services_admins: vec![admin],
            csam: Some(csam),
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

async fn member(app: &TestApp, workspace: i64, email: &str, contact: bool) -> i64 {
    let account = app.create_account("work", email, "Person").await;
    let now = app::state::now();
    app.exec(&format!(
        "INSERT INTO memberships (workspace_id, account_id, is_admin, support_contact, \
         created_at, updated_at) VALUES ({workspace}, {account}, 0, {}, {now}, {now})",
        i64::from(contact)
    ))
    .await;
    account
}

struct World {
    contoso: i64,
    finance: i64,
    fabrikam: i64,
    sa: String,
    csam: String,
    csam2: String,
    one: String,
    stranger: String,
    /// The support contact of each workspace, in the order above.
    contacts: [String; 3],
}

async fn world(app: &TestApp) -> World {
    app.create_organization("Contoso", "contoso.com").await;
    app.create_organization("Fabrikam", "fabrikam.com").await;
    app.create_staff("csam@provider.example", "csam").await;
    app.create_staff("csam2@provider.example", "csam").await;
    let (contoso_agreement, contoso) =
        agreement(app, "Contoso", "sa@contoso.com", "csam@provider.example").await;
    let (_, fabrikam) =
        agreement(app, "Fabrikam", "sa@fabrikam.com", "csam2@provider.example").await;
    let finance = app
        .count(&format!(
            "INSERT INTO workspaces (agreement_id, name, name_canonical, is_default, \
             allow_personal, created_at, updated_at) \
             VALUES ({contoso_agreement}, 'Finance', 'finance', 0, 1, 0, 0) RETURNING id"
        ))
        .await;
    let sa = app
        .create_account("work", "sa@contoso.com", "Services Admin")
        .await;
    app.exec(&format!(
        "INSERT INTO agreement_admins (agreement_id, account_id, created_at) \
         VALUES ({contoso_agreement}, {sa}, 0)"
    ))
    .await;
    member(app, contoso, "sc@contoso.com", true).await;
    member(app, contoso, "one@contoso.com", false).await;
    member(app, finance, "fin@contoso.com", true).await;
    member(app, fabrikam, "sc@fabrikam.com", true).await;
    World {
        contoso,
        finance,
        fabrikam,
        sa: app.signed_in("sa@contoso.com", "work").await,
        csam: app.signed_in("csam@provider.example", "work").await,
        csam2: app.signed_in("csam2@provider.example", "work").await,
        one: app.signed_in("one@contoso.com", "work").await,
        stranger: app.signed_in("sc@fabrikam.com", "work").await,
        contacts: [
            app.signed_in("sc@contoso.com", "work").await,
            app.signed_in("fin@contoso.com", "work").await,
            app.signed_in("sc@fabrikam.com", "work").await,
        ],
    }
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

async fn activity(
    app: &TestApp,
    cookie: &str,
    workspace: &str,
    from: &str,
    to: &str,
) -> TestResponse {
    call(
        app,
        "customer_activity",
        cookie,
        &[
            ("workspace", workspace.to_owned()),
            ("from", from.to_owned()),
            ("to", to.to_owned()),
        ],
    )
    .await
}

async fn activity_ok(app: &TestApp, cookie: &str, workspace: &str) -> Value {
    let response = activity(app, cookie, workspace, "", "").await;
    assert_eq!(response.status, 200, "{}", response.body);
    json(&response)
}

/// A small deterministic generator (no seed file to keep).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Opens cases at random in the three workspaces, moves some through their statuses (staff) and
/// records staff time on some.
async fn random_cases(app: &TestApp, w: &World) {
    let mut rng = Lcg(7);
    let workspaces = [w.contoso, w.finance, w.fabrikam];
    let staff = [&w.csam, &w.csam, &w.csam2];
    for i in 0..18 {
        let k = usize::try_from(rng.next(3)).expect("index");
        let severity = ["a", "b", "c"][usize::try_from(rng.next(3)).expect("index")];
        let response = call(
            app,
            "open_case",
            &w.contacts[k],
            &[
                ("workspace_id", workspaces[k].to_string()),
                ("title", format!("Case number {i}")),
                ("description", "It does not work.".to_owned()),
                ("severity", severity.to_owned()),
                ("product_area", "Exchange".to_owned()),
                ("contact_method", "email".to_owned()),
            ],
        )
        .await;
        assert_eq!(response.status, 200, "{}", response.body);
        let case = json(&response).as_i64().expect("case id");
        let moves = rng.next(4);
        for step in 0..moves {
            let status =
                ["in_progress", "resolved", "closed"][usize::try_from(step).expect("step")];
            let response = call(
                app,
                "set_case_status",
                staff[k],
                &[
                    ("workspace_id", workspaces[k].to_string()),
                    ("case_id", case.to_string()),
                    ("status", status.to_owned()),
                ],
            )
            .await;
            assert_eq!(response.status, 200, "{}", response.body);
        }
        // Some closed cases are reopened, and some of those closed again: each still counts
        // once as closed, in the month of its last closing.
        if moves == 3 {
            let again = if i % 2 == 0 { 2 } else { 1 };
            for status in ["in_progress", "closed"].into_iter().take(again) {
                let response = call(
                    app,
                    "set_case_status",
                    staff[k],
                    &[
                        ("workspace_id", workspaces[k].to_string()),
                        ("case_id", case.to_string()),
                        ("status", status.to_owned()),
                    ],
                )
                .await;
                assert_eq!(response.status, 200, "{}", response.body);
            }
        }
        if rng.next(2) == 0 {
            let response = call(
                app,
                "record_case_time",
                staff[k],
                &[
                    ("workspace_id", workspaces[k].to_string()),
                    ("case_id", case.to_string()),
                    ("minutes", "45".to_owned()),
                    ("note", String::new()),
                ],
            )
            .await;
            assert_eq!(response.status, 200, "{}", response.body);
        }
    }
}

fn sum(values: &Value, field: &str) -> i64 {
    values
        .as_array()
        .expect("array")
        .iter()
        .map(|v| v[field].as_i64().expect("number"))
        .sum()
}

fn count_of(values: &Value, key: &str, value: &str) -> i64 {
    values
        .as_array()
        .expect("array")
        .iter()
        .find(|v| v[key] == value)
        .map(|v| v["n"].as_i64().expect("n"))
        .unwrap_or_else(|| panic!("{key} {value} in {values}"))
}

async fn assert_figures(app: &TestApp, data: &Value, ids: &str) {
    for status in [
        "new",
        "in_progress",
        "waiting_on_customer",
        "resolved",
        "closed",
    ] {
        let direct = app
            .count(&format!(
                "SELECT COUNT(*) FROM cases WHERE workspace_id IN ({ids}) AND status = '{status}'"
            ))
            .await;
        assert_eq!(
            count_of(&data["by_status"], "status", status),
            direct,
            "{status}"
        );
    }
    for severity in ["a", "b", "c"] {
        let direct = app
            .count(&format!(
                "SELECT COUNT(*) FROM cases WHERE workspace_id IN ({ids}) AND severity = '{severity}'"
            ))
            .await;
        assert_eq!(count_of(&data["by_severity"], "severity", severity), direct);
    }
    let opened = app
        .count(&format!(
            "SELECT COUNT(*) FROM cases WHERE workspace_id IN ({ids})"
        ))
        .await;
    let closed = app
        .count(&format!(
            "SELECT COUNT(*) FROM cases WHERE workspace_id IN ({ids}) AND closed_at IS NOT NULL"
        ))
        .await;
    assert_eq!(sum(&data["months"], "opened"), opened);
    assert_eq!(sum(&data["months"], "closed"), closed);
    assert_eq!(data["months"].as_array().expect("months").len(), 12);
    let joined = app
        .count(&format!(
            "SELECT COUNT(*) FROM memberships WHERE workspace_id IN ({ids})"
        ))
        .await;
    assert_eq!(data["users_joined"].as_i64(), Some(joined));
}

mod deliveries;
mod figures;
