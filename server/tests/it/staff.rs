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

on_both_engines!(operator_creates_organizations_and_agreements, |app| {
    let staff = staff(&app).await;
    let mut form = agreement_form("Contoso", "megan@contoso.com");
    for entry in form.iter_mut() {
        match entry.0 {
            "support_contacts" => entry.1 = "alex@contoso.com,\nlee@contoso.com",
            "reactive_hours" => entry.1 = "40",
            _ => {}
        }
    }
    let agreement = organization_and_agreement(&app, &staff, "Contoso", "contoso.com", &form).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organizations WHERE name = 'Contoso'")
            .await,
        1
    );
    let csam_id = app
        .count(&format!("SELECT id FROM accounts WHERE email = '{CSAM}'"))
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM agreements WHERE id = {agreement} AND status = 'draft' \
             AND agreement_type = 'unified' AND contact_limit = 10 AND csam_account_id = {csam_id}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM agreement_contacts WHERE agreement_id = {agreement}"
        ))
        .await,
        3
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM benefits WHERE agreement_id = {agreement} \
             AND kind = 'reactive_hours' AND allotment = 40"
        ))
        .await,
        1
    );
    // Both were recorded under the operator's name.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE actor_label = 'Olivia Operator' \
             AND action IN ('organization.create', 'agreement.create')"
        )
        .await,
        2
    );

    // The console lists it, for the operator and for the assigned CSAM, not for another CSAM.
    let console = app
        .call("staff_console", &[], Some(&staff.operator), &[])
        .await;
    assert_eq!(console.status, 200, "{}", console.body);
    assert!(console.body.contains("Contoso") && console.body.contains("\"draft\""));
    let console = app.call("staff_console", &[], Some(&staff.csam), &[]).await;
    assert!(console.body.contains("Contoso"), "{}", console.body);
    let console = app
        .call("staff_console", &[], Some(&staff.other_csam), &[])
        .await;
    assert_eq!(console.status, 200);
    assert!(!console.body.contains("Contoso"), "{}", console.body);
    let page = app.get("/staff", Some(&staff.operator)).await;
    assert_eq!(page.status, 200);
    for expected in [
        "Staff console",
        "New organization",
        "New agreement",
        "Contoso",
    ] {
        assert!(page.body.contains(expected), "{expected}");
    }

    // Only the operator creates organizations and agreements.
    let refused = app
        .call(
            "create_organization_staff",
            &[("name", "Fabrikam"), ("domain", "fabrikam.com")],
            Some(&staff.csam),
            &[],
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let refused = app
        .call("create_agreement_staff", &form, Some(&staff.csam), &[])
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM organizations").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM agreements").await, 1);

    // Bad input is refused at the field and writes nothing.
    let mut bad = agreement_form("Contoso", "megan@contoso.com");
    for entry in bad.iter_mut() {
        if entry.0 == "contact_limit" {
            entry.1 = "0";
        }
    }
    let refused = app
        .call("create_agreement_staff", &bad, Some(&staff.operator), &[])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("contact_limit"), "{}", refused.body);
    let refused = app
        .call(
            "create_agreement_staff",
            &agreement_form("Nobody Inc", "a@nobody.example"),
            Some(&staff.operator),
            &[],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("organization"), "{}", refused.body);
    let refused = app
        .call(
            "create_organization_staff",
            &[("name", ""), ("domain", "not a domain")],
            Some(&staff.operator),
            &[],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("domain"), "{}", refused.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM agreements").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM organizations").await, 1);
});

on_both_engines!(non_staff_are_refused_the_console, |app| {
    app.create_organization("Contoso", "contoso.com").await;
    app.create_account("work", "megan@contoso.com", "Megan Bowen")
        .await;
    let cookie = app.signed_in("megan@contoso.com", "work").await;
    let console = app.call("staff_console", &[], Some(&cookie), &[]).await;
    assert_eq!(console.status, 403, "{}", console.body);
    let page = app.get("/staff", Some(&cookie)).await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("for the provider"), "{}", page.body);
    assert!(!page.body.contains("Staff console</a>"));
    let refused = app
        .call(
            "create_organization_staff",
            &[("name", "Fabrikam"), ("domain", "fabrikam.com")],
            Some(&cookie),
            &[],
        )
        .await;
    assert_eq!(refused.status, 403);
    // Staff see the link in the header.
    app::workspaces::service::create_staff(&app.state, OPERATOR, "Olivia", "operator", PASSWORD)
        .await
        .expect("operator");
    let operator = app.signed_in(OPERATOR, "work").await;
    let page = app.get("/", Some(&operator)).await;
    assert!(page.body.contains("href=\"/staff\""), "{}", page.body);
});

on_both_engines!(
    workspaces_and_benefits_come_from_the_assigned_staff,
    |app| {
        let staff = staff(&app).await;
        let agreement = organization_and_agreement(
            &app,
            &staff,
            "Contoso",
            "contoso.com",
            &agreement_form("Contoso", "megan@contoso.com"),
        )
        .await;
        let id = agreement.to_string();
        // Another CSAM cannot even see the agreement.
        let refused = app
            .call(
                "activate_agreement",
                &[("agreement_id", id.as_str())],
                Some(&staff.other_csam),
                &[],
            )
            .await;
        assert_eq!(refused.status, 404, "{}", refused.body);
        let default = activate(&app, &staff.csam, agreement).await;
        assert!(default > 0);
        let again = app
            .call(
                "activate_agreement",
                &[("agreement_id", id.as_str())],
                Some(&staff.operator),
                &[],
            )
            .await;
        assert_eq!(again.status, 409, "{}", again.body);

        let workspace_form = |name: &'static str| {
            vec![
                ("agreement_id", id.clone()),
                ("name", name.to_owned()),
                ("admin_email", "wanda@contoso.com".to_owned()),
            ]
        };
        let call = |cookie: String, form: Vec<(&'static str, String)>| {
            let app = app.clone();
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.call("create_workspace", &form, Some(&cookie), &[])
                    .await
            }
        };
        let workspaces_before = app.count("SELECT COUNT(*) FROM workspaces").await;
        let refused = call(staff.other_csam.clone(), workspace_form("Finance")).await;
        assert_eq!(refused.status, 404, "{}", refused.body);
        let refused = call(staff.operator.clone(), workspace_form("Finance")).await;
        assert_eq!(refused.status, 403, "{}", refused.body);
        let refused = call(staff.csam.clone(), workspace_form("  ")).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("\"name\""), "{}", refused.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM workspaces").await,
            workspaces_before
        );
        let outbox_before = app.count("SELECT COUNT(*) FROM outbox").await;

        let created = call(staff.csam.clone(), workspace_form("Finance")).await;
        assert_eq!(created.status, 200, "{}", created.body);
        let finance = app
            .count(&format!(
                "SELECT id FROM workspaces WHERE agreement_id = {agreement} AND name = 'Finance' \
             AND is_default = 0"
            ))
            .await;
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM invitations WHERE workspace_id = {finance} \
             AND email = 'wanda@contoso.com' AND role = 'workspace_admin' AND status = 'pending'"
            ))
            .await,
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM outbox WHERE to_address = 'wanda@contoso.com'")
                .await,
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM outbox").await,
            outbox_before + 1
        );
        // The same name twice is refused at the field.
        let refused = call(staff.csam.clone(), workspace_form("finance")).await;
        assert_eq!(refused.status, 422, "{}", refused.body);

        // Benefits: the assigned CSAM only.
        let finance_id = finance.to_string();
        let benefit = [
            ("workspace_id", finance_id.as_str()),
            ("kind", "add_on"),
            ("name", "Security assessment"),
            ("allotment", "2"),
        ];
        let refused = app
            .call("add_benefit", &benefit, Some(&staff.other_csam), &[])
            .await;
        assert_eq!(refused.status, 404, "{}", refused.body);
        let refused = app
            .call("add_benefit", &benefit, Some(&staff.operator), &[])
            .await;
        assert_eq!(refused.status, 404, "{}", refused.body);
        let mut bad = benefit;
        bad[3].1 = "-1";
        let refused = app.call("add_benefit", &bad, Some(&staff.csam), &[]).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("allotment"), "{}", refused.body);
        let added = app
            .call("add_benefit", &benefit, Some(&staff.csam), &[])
            .await;
        assert_eq!(added.status, 200, "{}", added.body);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM benefits WHERE workspace_id = {finance} AND kind = 'add_on' \
             AND allotment = 2"
            ))
            .await,
            1
        );

        // The console shows both workspaces of the agreement, and the CSAM's forms.
        let console = app.call("staff_console", &[], Some(&staff.csam), &[]).await;
        assert!(
            console.body.contains("Default Workspace") && console.body.contains("Finance"),
            "{}",
            console.body
        );
        let page = app.get("/staff?done=workspace", Some(&staff.csam)).await;
        assert_eq!(page.status, 200);
        for expected in [
            "Add a workspace",
            "Add a benefit",
            "The workspace was created",
            "Finance",
        ] {
            assert!(page.body.contains(expected), "{expected}");
        }
        assert!(!page.body.contains("New agreement"));
    }
);

on_both_engines!(audit_log_is_read_by_administrators_and_staff, |app| {
    let staff = staff(&app).await;
    let mut form = agreement_form("Contoso", "megan@contoso.com");
    form[3].1 = "alex@contoso.com";
    let agreement = organization_and_agreement(&app, &staff, "Contoso", "contoso.com", &form).await;
    let default = activate(&app, &staff.csam, agreement).await;
    let default_id = default.to_string();

    // The Services Administrator and a plain member join.
    let megan = app
        .create_account("work", "megan@contoso.com", "Megan Bowen")
        .await;
    let alex = app
        .create_account("work", "alex@contoso.com", "Alex Wilber")
        .await;
    for account in [megan, alex] {
        assert!(
            app::invitations::service::accept_for_account(&app.state, default, account)
                .await
                .expect("accept")
        );
    }
    let megan = app.signed_in("megan@contoso.com", "work").await;
    let alex = app.signed_in("alex@contoso.com", "work").await;

    let read = |cookie: String, workspace: String, page: &'static str| {
        let app = app.clone();
        async move {
            app.call(
                "audit_log",
                &[("workspace_id", workspace.as_str()), ("page", page)],
                Some(&cookie),
                &[],
            )
            .await
        }
    };
    let log = read(megan.clone(), default_id.clone(), "1").await;
    assert_eq!(log.status, 200, "{}", log.body);
    for expected in [
        "invitation.accept",
        "agreement.activate",
        // Agreement-wide entries (no workspace) are shown to a Services Administrator.
        "agreement.create",
        "Carlos Csam",
    ] {
        assert!(log.body.contains(expected), "{expected}: {}", log.body);
    }
    let parsed: app::audit::AuditPage = serde_json::from_str(&log.body).expect("audit page");
    assert_eq!(parsed.page, 1);
    assert_eq!(parsed.page_size, 50);
    assert!(parsed.rows.windows(2).all(|w| w[0].at >= w[1].at));
    // The assigned CSAM reads it too; a plain member and another CSAM do not.
    let log = read(staff.csam.clone(), default_id.clone(), "1").await;
    assert_eq!(log.status, 200, "{}", log.body);
    let refused = read(alex.clone(), default_id.clone(), "1").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let refused = read(staff.other_csam.clone(), default_id.clone(), "1").await;
    assert_eq!(refused.status, 404, "{}", refused.body);

    // The page renders on the server, with the status of a refusal.
    let page = app
        .get(&format!("/workspaces/{default}/audit"), Some(&megan))
        .await;
    assert_eq!(page.status, 200);
    for expected in [
        "Audit log",
        "invitation.accept",
        "When (UTC)",
        "Page 1 of 1",
    ] {
        assert!(page.body.contains(expected), "{expected}");
    }
    let page = app
        .get(&format!("/workspaces/{default}/audit"), Some(&alex))
        .await;
    assert_eq!(page.status, 403);

    // Another organization's workspace answers like a missing one.
    let mut fabrikam = agreement_form("Fabrikam", "kim@fabrikam.com");
    fabrikam[4].1 = OTHER_CSAM;
    let other =
        organization_and_agreement(&app, &staff, "Fabrikam", "fabrikam.com", &fabrikam).await;
    let other_default = activate(&app, &staff.other_csam, other).await;
    let refused = read(megan.clone(), other_default.to_string(), "1").await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    let refused = read(staff.csam.clone(), other_default.to_string(), "1").await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    let missing = read(megan.clone(), "999999".to_owned(), "1").await;
    assert_eq!(missing.status, 404);

    // A Workspace Administrator reads the workspace's own entries only.
    let created = app
        .call(
            "create_workspace",
            &[
                ("agreement_id", agreement.to_string().as_str()),
                ("name", "Finance"),
                ("admin_email", "wanda@contoso.com"),
            ],
            Some(&staff.csam),
            &[],
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let finance = app
        .count("SELECT id FROM workspaces WHERE name = 'Finance'")
        .await;
    let wanda = app
        .create_account("work", "wanda@contoso.com", "Wanda Admin")
        .await;
    assert!(
        app::invitations::service::accept_for_account(&app.state, finance, wanda)
            .await
            .expect("accept")
    );
    let wanda = app.signed_in("wanda@contoso.com", "work").await;
    let log = read(wanda, finance.to_string(), "1").await;
    assert_eq!(log.status, 200, "{}", log.body);
    assert!(log.body.contains("workspace.create"), "{}", log.body);
    assert!(log.body.contains("invitation.accept"), "{}", log.body);
    assert!(!log.body.contains("agreement.create"), "{}", log.body);
    assert!(!log.body.contains("megan@contoso.com"), "{}", log.body);

    // 50 to a page, newest first, counted on the server.
    for n in 0..60 {
        sqlx::query(
            "INSERT INTO audit_log (actor_label, action, object_type, organization_id, \
             agreement_id, workspace_id, detail, ip, created_at) \
             VALUES ('Test', $1, 'workspace', NULL, $2, $3, '', '127.0.0.1', $4)",
        )
        .bind(format!("test.entry{n:02}"))
        .bind(agreement)
        .bind(default)
        .bind(4_000_000_000_i64 + n)
        .execute(app.state.db.pool())
        .await
        .expect("insert");
    }
    let first: app::audit::AuditPage =
        serde_json::from_str(&read(megan.clone(), default_id.clone(), "1").await.body)
            .expect("page 1");
    assert_eq!(first.rows.len(), 50);
    assert_eq!(first.rows[0].action, "test.entry59");
    assert!(first.total > 60);
    let second: app::audit::AuditPage =
        serde_json::from_str(&read(megan.clone(), default_id.clone(), "2").await.body)
            .expect("page 2");
    assert_eq!(second.page, 2);
    assert_eq!(second.rows.len() as i64, first.total - 50);
    assert_eq!(second.rows[0].action, "test.entry09");
    let page = app
        .get(&format!("/workspaces/{default}/audit?page=2"), Some(&megan))
        .await;
    assert!(page.body.contains("Page 2 of 2"), "{}", page.body);
    assert!(page.body.contains("Previous page"));
});

on_both_engines!(
    parallel_workspaces_of_one_name_give_one_and_a_field_message,
    |app| {
        let staff = staff(&app).await;
        let agreement = organization_and_agreement(
            &app,
            &staff,
            "Contoso",
            "contoso.com",
            &agreement_form("Contoso", "megan@contoso.com"),
        )
        .await;
        activate(&app, &staff.csam, agreement).await;
        // Rounds of two staff sessions adding the same name at once, on two tasks: whichever way
        // they interleave, one workspace is made and the other request gets the field message —
        // from the check, or from the unique constraint when both passed the check.
        for round in 0..5 {
            let name = format!("Finance {round}");
            let send = |name: String| {
                let (app, cookie, agreement) =
                    (app.clone(), staff.csam.clone(), agreement.to_string());
                tokio::spawn(async move {
                    app.call(
                        "create_workspace",
                        &[
                            ("agreement_id", agreement.as_str()),
                            ("name", name.as_str()),
                            ("admin_email", "wanda@contoso.com"),
                        ],
                        Some(&cookie),
                        &[],
                    )
                    .await
                })
            };
            let (first, second) = (send(name.clone()), send(name.clone()));
            let (first, second) = (first.await.expect("task"), second.await.expect("task"));
            let mut statuses = [first.status, second.status];
            statuses.sort_unstable();
            assert_eq!(statuses, [200, 422], "{} / {}", first.body, second.body);
            let refused = if first.status == 422 { &first } else { &second };
            assert!(
                refused
                    .body
                    .contains("already has a workspace with this name"),
                "{}",
                refused.body
            );
            assert_eq!(
                app.count(&format!(
                    "SELECT COUNT(*) FROM workspaces WHERE name = '{name}'"
                ))
                .await,
                1
            );
        }
    }
);
