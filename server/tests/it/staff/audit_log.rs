//! Who reads a workspace's audit log.

use super::*;

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
        // The action in words, its code beside it in small print.
        "Invitation accepted",
        "Agreement activated",
        "When (UTC)",
        "Page 1 of 1",
        // The breadcrumb back to the workspace.
        "aria-label=\"Breadcrumb\"",
    ] {
        assert!(page.body.contains(expected), "{expected}");
    }
    assert!(
        page.body
            .contains(&format!("{} entries, newest first", parsed.total)),
        "{}",
        page.body
    );
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
    // The oldest inserted entry (4,000,000,000 s): shown for people, ISO 8601 for machines.
    assert!(
        page.body.contains("datetime=\"2096-10-02T07:06:40Z\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("2 Oct 2096, 07:06 UTC"), "{}", page.body);
});
