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

on_both_engines!(
    figures_equal_direct_counts_and_all_is_the_callers_workspaces,
    |app| {
        let w = world(&app).await;
        random_cases(&app, &w).await;
        for (id, cookie) in [
            (w.contoso, &w.csam),
            (w.finance, &w.sa),
            (w.fabrikam, &w.csam2),
        ] {
            let data = activity_ok(&app, cookie, &id.to_string()).await;
            assert_figures(&app, &data, &id.to_string()).await;
            assert_eq!(data["selected"], id.to_string());
        }
        // The Services Administrator sees Contoso's two workspaces: "all" is their sum, not Fabrikam.
        let all = activity_ok(&app, &w.sa, "all").await;
        assert_eq!(all["can_aggregate"], true);
        assert_eq!(all["selected"], "all");
        assert_figures(&app, &all, &format!("{}, {}", w.contoso, w.finance)).await;
        let listed: Vec<i64> = all["workspaces"]
            .as_array()
            .expect("workspaces")
            .iter()
            .map(|w| w["id"].as_i64().expect("id"))
            .collect();
        assert!(
            listed.contains(&w.contoso) && listed.contains(&w.finance),
            "{listed:?}"
        );
        assert!(!listed.contains(&w.fabrikam), "{listed:?}");
        let everything = app.count("SELECT COUNT(*) FROM cases").await;
        let fabrikam = app
            .count(&format!(
                "SELECT COUNT(*) FROM cases WHERE workspace_id = {}",
                w.fabrikam
            ))
            .await;
        assert!(fabrikam > 0);
        assert_eq!(sum(&all["by_status"], "n"), everything - fabrikam);
        // The feed holds only the caller's workspaces' entries.
        for entry in all["feed"].as_array().expect("feed") {
            assert_ne!(
                entry["workspace"], "Default Workspace of Fabrikam",
                "{entry}"
            );
        }
    }
);

on_both_engines!(reactive_hours_used_can_exceed_the_allotment, |app| {
    let w = world(&app).await;
    let agreement = app
        .count(&format!(
            "SELECT agreement_id FROM workspaces WHERE id = {}",
            w.contoso
        ))
        .await;
    app.exec(&format!(
        "INSERT INTO benefits (agreement_id, workspace_id, kind, name, allotment, created_at, \
         updated_at) VALUES ({agreement}, {}, 'reactive_hours', 'Reactive support', 1, 0, 0)",
        w.contoso
    ))
    .await;
    random_cases(&app, &w).await;
    let case = app
        .count(&format!(
            "SELECT MIN(id) FROM cases WHERE workspace_id = {}",
            w.contoso
        ))
        .await;
    let response = call(
        &app,
        "record_case_time",
        &w.csam,
        &[
            ("workspace_id", w.contoso.to_string()),
            ("case_id", case.to_string()),
            ("minutes", "90".to_owned()),
            ("note", String::new()),
        ],
    )
    .await;
    assert_eq!(response.status, 200, "{}", response.body);
    let minutes = app
        .count(&format!(
            "SELECT COALESCE(CAST(SUM(e.minutes) AS BIGINT), 0) FROM case_events e \
             JOIN cases c ON c.id = e.case_id WHERE c.workspace_id = {} AND e.kind = 'time'",
            w.contoso
        ))
        .await;
    assert!(
        minutes > 60,
        "the seed records more than an hour ({minutes})"
    );
    let data = activity_ok(&app, &w.csam, &w.contoso.to_string()).await;
    let line = &data["benefits"][0];
    assert_eq!(line["allotted"].as_f64(), Some(1.0));
    let used = line["used"].as_f64().expect("used");
    assert!((used - minutes as f64 / 60.0).abs() < 1e-9, "{line}");
    assert!(
        line["remaining"].as_f64().expect("remaining") < 0.0,
        "{line}"
    );
});

on_both_engines!(
    other_tenants_get_404_and_one_workspace_users_cannot_aggregate,
    |app| {
        let w = world(&app).await;
        let refused = activity(&app, &w.stranger, &w.contoso.to_string(), "", "").await;
        assert_eq!(refused.status, 404, "{}", refused.body);
        let refused = activity(&app, &w.one, &w.finance.to_string(), "", "").await;
        assert_eq!(refused.status, 404, "{}", refused.body);
        let one = activity_ok(&app, &w.one, "all").await;
        assert_eq!(one["can_aggregate"], false);
        assert_eq!(one["selected"], w.contoso.to_string());
        assert_eq!(one["workspaces"].as_array().expect("workspaces").len(), 1);
        // Signed out: 401.
        let anonymous = app
            .call(
                "customer_activity",
                &[("workspace", "all"), ("from", ""), ("to", "")],
                None,
                &[],
            )
            .await;
        assert_eq!(anonymous.status, 401, "{}", anonymous.body);
    }
);

on_both_engines!(the_date_range_is_validated, |app| {
    let w = world(&app).await;
    let id = w.contoso.to_string();
    for (from, to, field) in [
        ("2026-02-30", "", "from"),
        ("yesterday", "", "from"),
        ("2026-01-01", "2026-13-01", "to"),
        ("2026-05-01", "2026-04-01", "to"),
        ("1990-01-01", "2026-01-01", "from"),
    ] {
        let refused = activity(&app, &w.sa, &id, from, to).await;
        assert_eq!(refused.status, 422, "{from} {to}: {}", refused.body);
        assert!(refused.body.contains(field), "{}", refused.body);
    }
    let ok = activity(&app, &w.sa, &id, "2026-01-01", "2026-03-31").await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let months: Vec<String> = json(&ok)["months"]
        .as_array()
        .expect("months")
        .iter()
        .map(|m| m["month"].as_str().expect("month").to_owned())
        .collect();
    assert_eq!(months, ["2026-01", "2026-02", "2026-03"]);
});

on_both_engines!(
    staff_record_deliveries_and_the_csv_neutralises_formulas,
    |app| {
        let w = world(&app).await;
        let form = |name: &str, on: &str, credits: &str| {
            vec![
                ("workspace_id", w.contoso.to_string()),
                ("name", name.to_owned()),
                ("delivered_on", on.to_owned()),
                ("credits", credits.to_owned()),
            ]
        };
        let today = app::activity::DateRange::parse("", "", time::OffsetDateTime::now_utc().date())
            .expect("range")
            .to_iso();
        // Customers may not record; bad fields are named.
        for cookie in [&w.sa, &w.one, &w.contacts[0]] {
            let refused = call(
                &app,
                "record_delivery",
                cookie,
                &form("Health check", &today, "3"),
            )
            .await;
            assert_eq!(refused.status, 403, "{}", refused.body);
        }
        let refused = call(
            &app,
            "record_delivery",
            &w.csam2,
            &form("Health check", &today, "3"),
        )
        .await;
        assert_eq!(refused.status, 404, "{}", refused.body);
        let refused = call(
            &app,
            "record_delivery",
            &w.csam,
            &form("", "2026-02-30", "x"),
        )
        .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        for field in ["name", "delivered_on", "credits"] {
            assert!(refused.body.contains(field), "{}", refused.body);
        }
        let done = call(
            &app,
            "record_delivery",
            &w.csam,
            &form("=cmd()", &today, "3"),
        )
        .await;
        assert_eq!(done.status, 200, "{}", done.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'delivery.record'")
                .await,
            1
        );
        // A service measured in hours: bad hours are named, good ones kept as minutes.
        let mut by_hours = form("Workshop", &today, "0");
        by_hours.push(("hours", "two".to_owned()));
        let refused = call(&app, "record_delivery", &w.csam, &by_hours).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("\"hours\""), "{}", refused.body);
        by_hours.last_mut().expect("hours").1 = "1.5".to_owned();
        let done = call(&app, "record_delivery", &w.csam, &by_hours).await;
        assert_eq!(done.status, 200, "{}", done.body);
        assert_eq!(
            app.count("SELECT minutes FROM proactive_deliveries WHERE name = 'Workshop'")
                .await,
            90
        );
        let data = activity_ok(&app, &w.sa, &w.contoso.to_string()).await;
        let delivered = data["deliveries"].as_array().expect("deliveries");
        let cmd = delivered
            .iter()
            .find(|d| d["name"] == "=cmd()")
            .expect("=cmd()");
        assert_eq!(cmd["credits"], 3);
        assert_eq!(cmd["minutes"], 0);
        let workshop = delivered
            .iter()
            .find(|d| d["name"] == "Workshop")
            .expect("Workshop");
        assert_eq!(workshop["minutes"], 90);

        let path = format!("/activity/export.csv?workspace={}&from=&to=", w.contoso);
        let csv = app.get(&path, Some(&w.sa)).await;
        assert_eq!(csv.status, 200, "{}", csv.body);
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        assert_eq!(
            csv.header("content-disposition"),
            Some("attachment; filename=\"customer-activity.csv\"")
        );
        assert!(csv.body.contains("'=cmd()"), "{}", csv.body);
        assert!(
            csv.body
                .lines()
                .any(|l| l.contains(&format!("Workshop ({today})")) && l.ends_with(",0,1.50,")),
            "{}",
            csv.body
        );
        assert!(!csv.body.contains(",=cmd()"), "{}", csv.body);
        assert!(
            csv.body.starts_with("Section,Workspace,Item"),
            "{}",
            csv.body
        );
        // The CSV parses back (RFC 4180) with the same number of cells on every row.
        let mut reader = csv::ReaderBuilder::new().from_reader(csv.body.as_bytes());
        for record in reader.records() {
            assert_eq!(record.expect("record").len(), 6);
        }
        // A stranger and an unknown workspace: 404, no figures.
        for cookie in [&w.stranger, &w.csam2] {
            let refused = app.get(&path, Some(cookie)).await;
            assert_eq!(refused.status, 404, "{}", refused.body);
            assert!(!refused.body.contains("cmd"), "{}", refused.body);
        }
        let all = app
            .get(
                "/activity/export.csv?workspace=all&from=&to=",
                Some(&w.stranger),
            )
            .await;
        assert_eq!(all.status, 200, "{}", all.body);
        assert!(!all.body.contains("cmd"), "{}", all.body);
        let bad = app
            .get(
                &format!("/activity/export.csv?workspace={}&from=nope&to=", w.contoso),
                Some(&w.sa),
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.body);
    }
);

on_both_engines!(the_page_renders_the_chart_and_the_nav_links_to_it, |app| {
    let w = world(&app).await;
    random_cases(&app, &w).await;
    let page = app.get("/activity?workspace=all", Some(&w.sa)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("role=\"img\""), "{}", page.body);
    assert!(page.body.contains("<title>"), "{}", page.body);
    assert!(page.body.contains("All Workspaces"), "{}", page.body);
    assert!(page.body.contains("Export to CSV"), "{}", page.body);
    // The agreement's CSAM gets the form recording a proactive service; a customer does not.
    let staff = app
        .get(
            &format!("/activity?workspace={}&done=delivery", w.contoso),
            Some(&w.csam),
        )
        .await;
    assert_eq!(staff.status, 200, "{}", staff.body);
    assert!(
        staff.body.contains("Record a proactive service"),
        "{}",
        staff.body
    );
    assert!(staff.body.contains("was recorded"), "{}", staff.body);
    let customer = app
        .get(&format!("/activity?workspace={}", w.contoso), Some(&w.sa))
        .await;
    assert!(!customer.body.contains("Record a proactive service"));
    let bad = app
        .get(
            &format!("/activity?workspace={}&from=nope", w.contoso),
            Some(&w.sa),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("YYYY-MM-DD"), "{}", bad.body);
    let hidden = app
        .get(&format!("/activity?workspace={}", w.fabrikam), Some(&w.sa))
        .await;
    assert_eq!(hidden.status, 404);
    let home = app
        .get(&format!("/workspaces/{}", w.contoso), Some(&w.sa))
        .await;
    assert!(
        home.body
            .contains(&format!("/activity?workspace={}", w.contoso)),
        "{}",
        home.body
    );
});

on_both_engines!(
    case_figures_follow_the_range_and_the_feed_hides_unseen_cases,
    |app| {
        let w = world(&app).await;
        random_cases(&app, &w).await;
        let ws = w.contoso.to_string();
        let now = activity_ok(&app, &w.sa, &ws).await;
        let cases = app
            .count(&format!(
                "SELECT COUNT(*) FROM cases WHERE workspace_id = {ws}"
            ))
            .await;
        assert!(cases > 0);
        assert_eq!(sum(&now["by_status"], "n"), cases);
        // The random data reopened a closed case and closed it again: it counts once as closed.
        let reclosed = app
            .count(
                "SELECT COUNT(*) FROM cases c WHERE c.status = 'closed' AND (SELECT COUNT(*) \
                 FROM case_events e WHERE e.case_id = c.id AND e.status = 'closed') > 1",
            )
            .await;
        assert!(reclosed > 0, "the data should hold a case closed twice");
        let closed = app
            .count("SELECT COUNT(*) FROM cases WHERE closed_at IS NOT NULL")
            .await;
        let fabrikam = activity_ok(&app, &w.csam2, &w.fabrikam.to_string()).await;
        let contoso = activity_ok(&app, &w.sa, "all").await;
        assert_eq!(
            sum(&contoso["months"], "closed") + sum(&fabrikam["months"], "closed"),
            closed
        );
        // A range before any case was opened: no case counted, by status, severity or month.
        let past = activity(&app, &w.sa, &ws, "2024-01-01", "2024-12-31").await;
        assert_eq!(past.status, 200, "{}", past.body);
        let past = json(&past);
        assert_eq!(sum(&past["by_status"], "n"), 0);
        assert_eq!(sum(&past["by_severity"], "n"), 0);
        assert_eq!(sum(&past["months"], "opened"), 0);

        // A plain member sees the workspace's figures, but the feed names none of its cases (they
        // see none of them); the Services Administrator's feed does.
        let member = activity_ok(&app, &w.one, &ws).await;
        assert_eq!(sum(&member["by_status"], "n"), cases);
        let actions = |data: &Value| -> Vec<String> {
            data["feed"]
                .as_array()
                .expect("feed")
                .iter()
                .map(|e| e["action"].as_str().unwrap_or_default().to_owned())
                .collect()
        };
        assert!(
            actions(&now).iter().any(|a| a.starts_with("case.")),
            "{:?}",
            actions(&now)
        );
        assert!(
            !actions(&member).iter().any(|a| a.starts_with("case.")),
            "{:?}",
            actions(&member)
        );
        assert!(!member.to_string().contains("Case number"), "{member}");
    }
);
