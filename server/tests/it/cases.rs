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

on_both_engines!(a_support_contact_opens_a_case_and_others_cannot, |app| {
    let w = world(&app).await;
    let id = open_ok(&app, &w.contact, w.workspace, "Mailbox unreachable", "b").await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM cases WHERE id = {id} AND workspace_id = {} \
             AND severity = 'b' AND status = 'new' AND title = 'Mailbox unreachable'",
            w.workspace
        ))
        .await,
        1
    );
    let mail = app.latest_mail("sc@contoso.com").await;
    assert!(mail.contains("Mailbox unreachable"), "{mail}");
    assert!(
        mail.contains(&format!("/workspaces/{}/cases/{id}", w.workspace)),
        "{mail}"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'case.open' AND object_id = {id}"
        ))
        .await,
        1
    );

    // A plain member and an administrator who is no support contact: 403, nothing written.
    let before = app.count("SELECT COUNT(*) FROM outbox").await;
    for cookie in [&w.member, &w.wa] {
        let refused = open(&app, cookie, w.workspace, "Anything", "c").await;
        assert_eq!(refused.status, 403, "{}", refused.body);
        assert!(
            refused
                .body
                .contains("Only support contacts can open support cases"),
            "{}",
            refused.body
        );
    }
    // Another tenant's workspace: 404.
    let hidden = open(&app, &w.contact, w.fabrikam, "Anything", "c").await;
    assert_eq!(hidden.status, 404, "{}", hidden.body);

    // Bad input names the field and writes nothing.
    for (title, severity, field) in [
        ("", "a", "title"),
        ("Fine title", "x", "severity"),
        (&"t".repeat(201) as &str, "a", "title"),
    ] {
        let refused = open(&app, &w.contact, w.workspace, title, severity).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(
            refused.body.contains(&format!("\"{field}\"")),
            "{}",
            refused.body
        );
    }
    let title_200 = "t".repeat(200);
    open_ok(&app, &w.contact, w.workspace, &title_200, "c").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'case.open'")
            .await,
        2
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, before + 1);
});

on_both_engines!(visibility_matrix, |app| {
    let w = world(&app).await;
    let id = open_ok(&app, &w.contact, w.workspace, "Secret outage", "a").await;
    let sees = |cookie: String, workspace: i64| {
        let app = app.clone();
        async move {
            let response = detail(&app, &cookie, workspace, id).await;
            let listed = list_response(&app, &cookie, workspace, "", "", false, "", 1).await;
            (response.status, listed)
        }
    };
    // Who sees it in its own workspace.
    for (who, cookie) in [
        ("opener", &w.contact),
        ("workspace admin", &w.wa),
        ("services admin", &w.sa),
        ("assigned csam", &w.csam),
        ("view all", &w.viewer),
    ] {
        let (status, listed) = sees(cookie.clone(), w.workspace).await;
        assert_eq!(status, 200, "{who}");
        assert_eq!(listed.status, 200, "{who}: {}", listed.body);
        let listed = json(&listed);
        assert_eq!(ids(&listed), vec![id], "{who}");
        assert_eq!(listed["total"], 1, "{who}");
    }
    // A member it is not shared with, another support contact: 404, absent from list and count.
    for (who, cookie) in [("member", &w.member), ("other contact", &w.contact2)] {
        let (status, listed) = sees(cookie.clone(), w.workspace).await;
        assert_eq!(status, 404, "{who}");
        let listed = json(&listed);
        assert!(ids(&listed).is_empty(), "{who}");
        assert_eq!(listed["total"], 0, "{who}");
    }
    // Outside the workspace: 404 with the case id, in whichever workspace they name.
    for (who, cookie, workspace) in [
        (
            "finance member, contoso workspace",
            &w.finance_member,
            w.workspace,
        ),
        (
            "finance member, own workspace",
            &w.finance_member,
            w.finance,
        ),
        (
            "fabrikam member, contoso workspace",
            &w.fabrikam_member,
            w.workspace,
        ),
        (
            "fabrikam member, own workspace",
            &w.fabrikam_member,
            w.fabrikam,
        ),
        ("unassigned csam", &w.other_csam, w.workspace),
    ] {
        let response = detail(&app, cookie, workspace, id).await;
        assert_eq!(response.status, 404, "{who}: {}", response.body);
        let note = call(
            &app,
            "add_case_note",
            cookie,
            &[
                ("workspace_id", workspace.to_string()),
                ("case_id", id.to_string()),
                ("body", "let me in".to_owned()),
            ],
        )
        .await;
        assert_eq!(note.status, 404, "{who}: {}", note.body);
    }
    // A member may neither note nor share a case they cannot see.
    let note = call(
        &app,
        "add_case_note",
        &w.member,
        &[
            ("workspace_id", w.workspace.to_string()),
            ("case_id", id.to_string()),
            ("body", "hello".to_owned()),
        ],
    )
    .await;
    assert_eq!(note.status, 404, "{}", note.body);

    // Shared with a member of another workspace or an unknown address: a field error.
    let share = |cookie: String, email: &'static str| {
        let app = app.clone();
        let ws = w.workspace;
        async move {
            call(
                &app,
                "share_case",
                &cookie,
                &[
                    ("workspace_id", ws.to_string()),
                    ("case_id", id.to_string()),
                    ("email", email.to_owned()),
                ],
            )
            .await
        }
    };
    for email in [
        "fin@contoso.com",
        "member@fabrikam.com",
        "nobody@contoso.com",
    ] {
        let refused = share(w.contact.clone(), email).await;
        assert_eq!(refused.status, 422, "{email}: {}", refused.body);
        assert!(refused.body.contains("\"email\""), "{}", refused.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM case_shares").await, 0);
    // The opener shares it with the member, who then sees it.
    let shared = share(w.contact.clone(), "member@contoso.com").await;
    assert_eq!(shared.status, 200, "{}", shared.body);
    assert!(app
        .latest_mail("member@contoso.com")
        .await
        .contains("Secret outage"));
    let (status, listed) = sees(w.member.clone(), w.workspace).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&json(&listed)), vec![id]);
    // Only the opener and administrators share; the member it is shared with cannot.
    let refused = share(w.member.clone(), "sc2@contoso.com").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'case.share'")
            .await,
        1
    );

    // A note by the member reaches the opener, not its author.
    let outbox = app.count("SELECT COUNT(*) FROM outbox").await;
    let note = call(
        &app,
        "add_case_note",
        &w.member,
        &[
            ("workspace_id", w.workspace.to_string()),
            ("case_id", id.to_string()),
            ("body", "Same here".to_owned()),
        ],
    )
    .await;
    assert_eq!(note.status, 200, "{}", note.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, outbox + 1);
    assert!(app
        .latest_mail("sc@contoso.com")
        .await
        .contains("Same here"));
    let empty = call(
        &app,
        "add_case_note",
        &w.member,
        &[
            ("workspace_id", w.workspace.to_string()),
            ("case_id", id.to_string()),
            ("body", "  ".to_owned()),
        ],
    )
    .await;
    assert_eq!(empty.status, 422, "{}", empty.body);
    assert!(empty.body.contains("\"body\""), "{}", empty.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_events WHERE case_id = {id} AND kind = 'note'"
        ))
        .await,
        1
    );
});

on_both_engines!(time_and_status, |app| {
    let w = world(&app).await;
    let id = open_ok(&app, &w.contact, w.workspace, "Slow queries", "b").await;
    let form = |minutes: &str| {
        vec![
            ("workspace_id", w.workspace.to_string()),
            ("case_id", id.to_string()),
            ("minutes", minutes.to_owned()),
            ("note", "Looked at the plans".to_owned()),
        ]
    };
    for cookie in [&w.contact, &w.member, &w.wa, &w.sa] {
        let refused = call(&app, "record_case_time", cookie, &form("30")).await;
        assert!(
            refused.status == 403 || refused.status == 404,
            "{}",
            refused.body
        );
    }
    let refused = call(&app, "record_case_time", &w.contact, &form("30")).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    for bad in ["0", "1441", "abc"] {
        let refused = call(&app, "record_case_time", &w.csam, &form(bad)).await;
        assert_eq!(refused.status, 422, "{bad}: {}", refused.body);
        assert!(refused.body.contains("\"minutes\""), "{}", refused.body);
    }
    let hidden = call(&app, "record_case_time", &w.other_csam, &form("30")).await;
    assert_eq!(hidden.status, 404, "{}", hidden.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM case_events").await, 0);
    let recorded = call(&app, "record_case_time", &w.csam, &form("45")).await;
    assert_eq!(recorded.status, 200, "{}", recorded.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_events WHERE case_id = {id} AND kind = 'time' \
             AND minutes = 45 AND staff = 1"
        ))
        .await,
        1
    );
    let seen = json(&detail(&app, &w.contact, w.workspace, id).await);
    assert_eq!(seen["total_minutes"], 45);

    let status = |cookie: String, status: &'static str| {
        let app = app.clone();
        let ws = w.workspace;
        async move {
            call(
                &app,
                "set_case_status",
                &cookie,
                &[
                    ("workspace_id", ws.to_string()),
                    ("case_id", id.to_string()),
                    ("status", status.to_owned()),
                ],
            )
            .await
        }
    };
    // Staff move it along; the opener may not, except to close or reopen.
    let moved = status(w.csam.clone(), "in_progress").await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert!(app
        .latest_mail("sc@contoso.com")
        .await
        .contains("In progress"));
    let refused = status(w.contact.clone(), "resolved").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let refused = status(w.wa.clone(), "closed").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let bad = status(w.csam.clone(), "open").await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let closed = status(w.contact.clone(), "closed").await;
    assert_eq!(closed.status, 200, "{}", closed.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM cases WHERE id = {id} AND status = 'closed' \
             AND closed_at IS NOT NULL"
        ))
        .await,
        1
    );
    let reopened = status(w.contact.clone(), "new").await;
    assert_eq!(reopened.status, 200, "{}", reopened.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM cases WHERE id = {id} AND status = 'new' AND closed_at IS NULL"
        ))
        .await,
        1
    );
    let seen = json(&detail(&app, &w.contact, w.workspace, id).await);
    let kinds: Vec<&str> = seen["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["time", "status", "status", "status"]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('case.status', 'case.time')")
            .await,
        4
    );
});

on_both_engines!(list_filters_searches_and_pages, |app| {
    let w = world(&app).await;
    let mut mine = Vec::new();
    for n in 0..27 {
        let severity = ["a", "b", "c"][n % 3];
        mine.push(
            open_ok(
                &app,
                &w.contact,
                w.workspace,
                &format!("Issue {n}"),
                severity,
            )
            .await,
        );
    }
    let other = open_ok(&app, &w.contact2, w.workspace, "Printer 100%_done", "a").await;
    app.exec(&format!(
        "UPDATE cases SET status = 'resolved' WHERE id IN ({}, {})",
        mine[0], mine[1]
    ))
    .await;
    // The administrator sees all 28, 25 on the first page, 3 on the second.
    let first = list(&app, &w.wa, w.workspace, "", "", false, "", 1).await;
    assert_eq!(first["total"], 28);
    assert_eq!(ids(&first).len(), 25);
    let second = list(&app, &w.wa, w.workspace, "", "", false, "", 2).await;
    assert_eq!(ids(&second).len(), 3);
    assert_eq!(second["page"], 2);
    let past = list(&app, &w.wa, w.workspace, "", "", false, "", 99).await;
    assert_eq!(past["page"], 2);
    // Filters.
    let resolved = list(&app, &w.wa, w.workspace, "resolved", "", false, "", 1).await;
    let mut got = ids(&resolved);
    got.sort_unstable();
    assert_eq!(got, vec![mine[0], mine[1]]);
    let severe = list(&app, &w.wa, w.workspace, "", "a", false, "", 1).await;
    assert_eq!(severe["total"], 10);
    let own = list(&app, &w.contact2, w.workspace, "", "", true, "", 1).await;
    assert_eq!(ids(&own), vec![other]);
    let own = list(&app, &w.wa, w.workspace, "", "", true, "", 1).await;
    assert_eq!(own["total"], 0);
    let contact_all = list(&app, &w.contact, w.workspace, "", "", false, "", 1).await;
    assert_eq!(
        contact_all["total"], 27,
        "the other contact's case is not theirs"
    );
    // Search on titles, wildcards taken literally.
    let found = list(&app, &w.wa, w.workspace, "", "", false, "100%_", 1).await;
    assert_eq!(ids(&found), vec![other]);
    let found = list(&app, &w.wa, w.workspace, "", "", false, "issue 2", 1).await;
    assert_eq!(found["total"], 8, "Issue 2 and Issue 20..26");
    let none = list(&app, &w.wa, w.workspace, "", "", false, "%", 1).await;
    assert_eq!(none["total"], 1, "only the title with a literal %");
    // The pages render on the server for a signed-in member.
    let page = app
        .get(
            &format!("/workspaces/{}/cases", w.workspace),
            Some(&w.contact),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Open a case"),
        "support contacts see the form"
    );
    let page = app
        .get(
            &format!("/workspaces/{}/cases", w.workspace),
            Some(&w.member),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Only support contacts can open"));
    let page = app
        .get(
            &format!("/workspaces/{}/cases/{}", w.workspace, mine[2]),
            Some(&w.contact),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Issue 2"));
    let page = app
        .get(
            &format!("/workspaces/{}/cases/{}", w.workspace, mine[2]),
            Some(&w.member),
        )
        .await;
    assert_eq!(page.status, 404);
    let page = app
        .get(&format!("/workspaces/{}", w.workspace), Some(&w.member))
        .await;
    assert!(page
        .body
        .contains(&format!("/workspaces/{}/cases", w.workspace)));
});

on_both_engines!(
    view_all_support_requests_is_granted_in_manage_users,
    |app| {
        let w = world(&app).await;
        let case = open_ok(&app, &w.contact, w.workspace, "Disk full", "c").await;
        assert_eq!(detail(&app, &w.member, w.workspace, case).await.status, 404);
        let membership = app
            .count(&format!(
                "SELECT m.id FROM memberships m JOIN accounts a ON a.id = m.account_id \
             WHERE a.email = 'member@contoso.com' AND m.workspace_id = {}",
                w.workspace
            ))
            .await;
        let grant = |cookie: String, on: &'static str| {
            let app = app.clone();
            async move {
                call(
                    &app,
                    "set_view_all_cases",
                    &cookie,
                    &[
                        ("workspace_id", w.workspace.to_string()),
                        ("membership_id", membership.to_string()),
                        ("on", on.to_owned()),
                    ],
                )
                .await
            }
        };
        // A plain member cannot grant it to themselves; another organization's admin gets 404.
        assert_eq!(grant(w.member.clone(), "on").await.status, 403);
        assert_eq!(grant(w.fabrikam_member.clone(), "on").await.status, 404);
        assert_eq!(detail(&app, &w.member, w.workspace, case).await.status, 404);
        // The Workspace Administrator grants it: the member now sees every case, and the
        // change is in the audit log; taking it back hides the case again.
        assert_eq!(grant(w.wa.clone(), "on").await.status, 200);
        assert_eq!(detail(&app, &w.member, w.workspace, case).await.status, 200);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'member.view_all_cases_on'")
                .await,
            1
        );
        assert_eq!(grant(w.sa.clone(), "off").await.status, 200);
        assert_eq!(detail(&app, &w.member, w.workspace, case).await.status, 404);
    }
);

/// `call` for functions whose answer is checked by status: the form's values as (name, value).
async fn post(app: &TestApp, function: &str, cookie: &str, form: &[(&str, &str)]) -> TestResponse {
    app.call(function, form, Some(cookie), &[]).await
}

on_both_engines!(sharing_with_a_group_of_the_workspace, |app| {
    let w = world(&app).await;
    let ws = w.workspace.to_string();
    let id = open_ok(&app, &w.contact, w.workspace, "VPN drops", "b").await;
    let case = id.to_string();
    // Only the workspace's administrators make groups.
    for (cookie, status) in [(&w.member, 403), (&w.contact, 403), (&w.csam, 403)] {
        let refused = post(
            &app,
            "create_group",
            cookie,
            &[("workspace_id", &ws), ("name", "Network")],
        )
        .await;
        assert_eq!(refused.status, status, "{}", refused.body);
    }
    let refused = post(
        &app,
        "create_group",
        &w.finance_member,
        &[("workspace_id", &ws), ("name", "Network")],
    )
    .await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM workspace_groups").await, 0);
    let blank = post(
        &app,
        "create_group",
        &w.wa,
        &[("workspace_id", &ws), ("name", "  ")],
    )
    .await;
    assert_eq!(blank.status, 422, "{}", blank.body);
    assert!(blank.body.contains("\"name\""), "{}", blank.body);
    let made = post(
        &app,
        "create_group",
        &w.wa,
        &[("workspace_id", &ws), ("name", "Network")],
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let taken = post(
        &app,
        "create_group",
        &w.sa,
        &[("workspace_id", &ws), ("name", "NETWORK")],
    )
    .await;
    assert_eq!(taken.status, 422, "{}", taken.body);
    let group = app
        .count("SELECT id FROM workspace_groups WHERE name = 'Network'")
        .await
        .to_string();
    // The Finance workspace's own group, which a Contoso Default Workspace case cannot use.
    let fin = w.finance.to_string();
    let made = post(
        &app,
        "create_group",
        &w.finance_member,
        &[("workspace_id", &fin), ("name", "Finance team")],
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let finance_group = app
        .count("SELECT id FROM workspace_groups WHERE name = 'Finance team'")
        .await
        .to_string();

    // Members: only members of the workspace, by address; another workspace's group is missing.
    for (email, status) in [
        ("fin@contoso.com", 422),
        ("nobody@contoso.com", 422),
        ("member@contoso.com", 200),
        ("member@contoso.com", 422),
    ] {
        let added = post(
            &app,
            "add_group_member",
            &w.wa,
            &[
                ("workspace_id", &ws),
                ("group_id", &group),
                ("email", email),
            ],
        )
        .await;
        assert_eq!(added.status, status, "{email}: {}", added.body);
    }
    let smuggled = post(
        &app,
        "add_group_member",
        &w.wa,
        &[
            ("workspace_id", &ws),
            ("group_id", &finance_group),
            ("email", "member@contoso.com"),
        ],
    )
    .await;
    assert_eq!(smuggled.status, 404, "{}", smuggled.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM group_members").await, 1);
    let listed = post(&app, "list_groups", &w.sa, &[("workspace_id", &ws)]).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let listed = json(&listed);
    assert_eq!(listed["groups"][0]["name"], "Network");
    assert_eq!(
        listed["groups"][0]["members"][0]["email"],
        "member@contoso.com"
    );
    assert!(!listed.to_string().contains("Finance team"), "{listed}");

    // Before sharing, the member does not see the case.
    assert_eq!(detail(&app, &w.member, w.workspace, id).await.status, 404);
    // Who may share: the opener or an administrator; never with another workspace's group.
    let refused = post(
        &app,
        "share_case_with_group",
        &w.contact2,
        &[
            ("workspace_id", &ws),
            ("case_id", &case),
            ("group_id", &group),
        ],
    )
    .await;
    assert_eq!(
        refused.status, 404,
        "not visible to another contact: {}",
        refused.body
    );
    let refused = post(
        &app,
        "share_case_with_group",
        &w.contact,
        &[
            ("workspace_id", &ws),
            ("case_id", &case),
            ("group_id", &finance_group),
        ],
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("\"group_id\""), "{}", refused.body);
    let refused = post(
        &app,
        "share_case_with_group",
        &w.contact,
        &[("workspace_id", &ws), ("case_id", &case), ("group_id", "")],
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM case_group_shares").await, 0);
    let outbox = app.count("SELECT COUNT(*) FROM outbox").await;
    let shared = post(
        &app,
        "share_case_with_group",
        &w.contact,
        &[
            ("workspace_id", &ws),
            ("case_id", &case),
            ("group_id", &group),
        ],
    )
    .await;
    assert_eq!(shared.status, 200, "{}", shared.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, outbox + 1);
    assert!(app
        .latest_mail("member@contoso.com")
        .await
        .contains("VPN drops"));
    let again = post(
        &app,
        "share_case_with_group",
        &w.wa,
        &[
            ("workspace_id", &ws),
            ("case_id", &case),
            ("group_id", &group),
        ],
    )
    .await;
    assert_eq!(again.status, 422, "{}", again.body);

    // Now the group's member sees it (page and list); the other members still do not.
    let seen = detail(&app, &w.member, w.workspace, id).await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    assert_eq!(json(&seen)["shared_with_groups"][0], "Network");
    assert_eq!(
        ids(&list(&app, &w.member, w.workspace, "", "", false, "", 1).await),
        vec![id]
    );
    assert_eq!(detail(&app, &w.contact2, w.workspace, id).await.status, 404);
    assert_eq!(
        list(&app, &w.contact2, w.workspace, "", "", false, "", 1).await["total"],
        0
    );
    // A note reaches the group's member as a watcher.
    let outbox = app.count("SELECT COUNT(*) FROM outbox").await;
    let note = post(
        &app,
        "add_case_note",
        &w.contact,
        &[
            ("workspace_id", &ws),
            ("case_id", &case),
            ("body", "Router replaced"),
        ],
    )
    .await;
    assert_eq!(note.status, 200, "{}", note.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, outbox + 1);
    assert!(app
        .latest_mail("member@contoso.com")
        .await
        .contains("Router replaced"));

    // Taken out of the group, the member no longer sees it.
    let member_id = app
        .count("SELECT id FROM accounts WHERE email = 'member@contoso.com'")
        .await
        .to_string();
    let out = post(
        &app,
        "remove_group_member",
        &w.wa,
        &[
            ("workspace_id", &ws),
            ("group_id", &group),
            ("account_id", &member_id),
        ],
    )
    .await;
    assert_eq!(out.status, 200, "{}", out.body);
    assert_eq!(detail(&app, &w.member, w.workspace, id).await.status, 404);
    // Removed from the workspace, a member leaves its groups too.
    let added = post(
        &app,
        "add_group_member",
        &w.wa,
        &[
            ("workspace_id", &ws),
            ("group_id", &group),
            ("email", "member@contoso.com"),
        ],
    )
    .await;
    assert_eq!(added.status, 200, "{}", added.body);
    // Also shared with them by name: removal forgets that too.
    let named = post(
        &app,
        "share_case",
        &w.contact,
        &[
            ("workspace_id", &ws),
            ("case_id", &case),
            ("email", "member@contoso.com"),
        ],
    )
    .await;
    assert_eq!(named.status, 200, "{}", named.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM case_shares").await, 1);
    let membership = app
        .count(&format!(
            "SELECT id FROM memberships WHERE workspace_id = {ws} AND account_id = {member_id}"
        ))
        .await
        .to_string();
    let removed = post(
        &app,
        "remove_member",
        &w.wa,
        &[("workspace_id", &ws), ("membership_id", &membership)],
    )
    .await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM group_members").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM case_shares").await, 0);
    // Deleting the group takes its shares with it; every step is in the audit log.
    let deleted = post(
        &app,
        "delete_group",
        &w.sa,
        &[("workspace_id", &ws), ("group_id", &group)],
    )
    .await;
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM case_group_shares").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'group.%'")
            .await,
        6
    );
});

on_both_engines!(the_list_sorts_on_the_server, |app| {
    let w = world(&app).await;
    let b = open_ok(&app, &w.contact, w.workspace, "beta", "c").await;
    let a = open_ok(&app, &w.contact, w.workspace, "Alpha", "b").await;
    let c = open_ok(&app, &w.contact, w.workspace, "charlie", "a").await;
    // The CSAM moves "beta" on, so it is the most recently updated and not "new".
    let moved = post(
        &app,
        "set_case_status",
        &w.csam,
        &[
            ("workspace_id", &w.workspace.to_string()),
            ("case_id", &b.to_string()),
            ("status", "in_progress"),
        ],
    )
    .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let ws = w.workspace.to_string();
    for (sort, expected) in [
        ("", vec![c, a, b]),
        ("newest", vec![c, a, b]),
        ("oldest", vec![b, a, c]),
        ("title", vec![a, b, c]),
        ("severity", vec![c, a, b]),
        ("status", vec![c, a, b]),
        ("'; DROP TABLE cases; --", vec![c, a, b]),
    ] {
        let listed = post(
            &app,
            "list_cases",
            &w.contact,
            &[
                ("workspace_id", &ws),
                ("status", ""),
                ("severity", ""),
                ("mine", "false"),
                ("search", ""),
                ("page", "1"),
                ("sort", sort),
            ],
        )
        .await;
        assert_eq!(listed.status, 200, "{sort}: {}", listed.body);
        assert_eq!(ids(&json(&listed)), expected, "sort {sort:?}");
    }
    // Recently updated: "beta" changed a minute later (the test runs within one second).
    app.exec(&format!(
        "UPDATE cases SET updated_at = updated_at + 60 WHERE id = {b}"
    ))
    .await;
    let listed = post(
        &app,
        "list_cases",
        &w.contact,
        &[
            ("workspace_id", &ws),
            ("status", ""),
            ("severity", ""),
            ("mine", "false"),
            ("search", ""),
            ("page", "1"),
            ("sort", "updated"),
        ],
    )
    .await;
    assert_eq!(ids(&json(&listed))[0], b);
});
