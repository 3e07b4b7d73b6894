//! The staff console: organizations, agreements, activation, workspaces and benefits.

use super::*;

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

        // The console lists the agreement with both workspaces and links to its page, which
        // holds the CSAM's forms.
        let console = app.call("staff_console", &[], Some(&staff.csam), &[]).await;
        assert!(
            console.body.contains("Default Workspace") && console.body.contains("Finance"),
            "{}",
            console.body
        );
        let page = app.get("/staff", Some(&staff.csam)).await;
        assert_eq!(page.status, 200);
        assert!(
            page.body
                .contains(&format!("href=\"/staff/agreements/{agreement}\"")),
            "{}",
            page.body
        );
        for absent in ["New agreement", "Add a workspace", "Add a benefit"] {
            assert!(!page.body.contains(absent), "{absent}");
        }
        let page = app
            .get(
                &format!("/staff/agreements/{agreement}?done=workspace"),
                Some(&staff.csam),
            )
            .await;
        assert_eq!(page.status, 200);
        for expected in [
            "Add a workspace",
            "Add a benefit",
            "The workspace was created",
            "Finance",
            "Security assessment (Add-on)",
        ] {
            assert!(page.body.contains(expected), "{expected}");
        }
        assert!(!page.body.contains("New agreement"));
    }
);
