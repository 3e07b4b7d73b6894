use super::*;

on_both_engines!(two_globals_removing_each_other_at_once_leave_one, |app| {
    let w = world(&app).await;
    let ok = assign(&app, Some(&w.global), "nora@contoso.com", "global").await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let nora_global = w.nobody.clone();
    let globals = format!(
        "SELECT COUNT(*) FROM organization_roles WHERE organization_id = {} AND role = 'global'",
        w.contoso
    );
    // Rounds of both at once, on two tasks: whichever way they interleave, one removal is made
    // and the other is refused (the last Global Administrator, or no longer a Global one).
    for round in 0..8 {
        let send = |cookie: String, target: i64| {
            let app = app.clone();
            tokio::spawn(async move { remove(&app, Some(&cookie), target, "global").await })
        };
        let (first, second) = (
            send(w.global.clone(), w.nora),
            send(nora_global.clone(), w.megan),
        );
        let (first, second) = (first.await.expect("task"), second.await.expect("task"));
        let mut statuses = [first.status, second.status];
        statuses.sort_unstable();
        assert!(
            statuses == [200, 403] || statuses == [200, 409],
            "round {round}: {} {} / {} {}",
            first.status,
            first.body,
            second.status,
            second.body
        );
        assert_eq!(app.count(&globals).await, 1, "round {round}");
        // Both Global again for the next round.
        let missing = if first.status == 200 { w.nora } else { w.megan };
        app.exec(&format!(
            "INSERT INTO organization_roles (account_id, organization_id, role, created_at) \
             VALUES ({missing}, {}, 'global', 1)",
            w.contoso
        ))
        .await;
    }
});

on_both_engines!(every_change_is_in_the_organizations_audit_log, |app| {
    let w = world(&app).await;
    let ok = assign(&app, Some(&w.global), "nora@contoso.com", "user").await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let ok = remove(&app, Some(&w.global), w.bill, "billing").await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    // Fabrikam's own change, which Contoso's log never shows.
    app::organizations::grant_by_email(
        &app.state,
        "kim@fabrikam.com",
        OrgRole::Billing,
        app::auth::audit::Actor::CommandLine,
    )
    .await
    .expect("grant by email");

    let read = |cookie: Option<String>| {
        let app = app.clone();
        async move {
            app.call(
                "organization_audit_log",
                &[("page", "1")],
                cookie.as_deref(),
                &[],
            )
            .await
        }
    };
    let anonymous = read(None).await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.body);
    for cookie in [&w.billing, &w.user_admin, &w.nobody, &w.staff] {
        let refused = read(Some(cookie.clone())).await;
        assert_eq!(refused.status, 403, "{}", refused.body);
    }
    let log = read(Some(w.global.clone())).await;
    assert_eq!(log.status, 200, "{}", log.body);
    let parsed: OrganizationAuditPage = serde_json::from_str(&log.body).expect("log");
    assert_eq!(parsed.organization_name, "Contoso");
    assert_eq!(parsed.page_size, 50);
    let entries: Vec<(&str, &str, &str)> = parsed
        .rows
        .iter()
        .filter(|r| r.action.starts_with("role."))
        .map(|r| (r.action.as_str(), r.who.as_str(), r.detail.as_str()))
        .collect();
    assert_eq!(
        entries,
        vec![
            (
                "role.remove",
                "Megan Bowen",
                "bill@contoso.com: Billing Administrator"
            ),
            (
                "role.assign",
                "Megan Bowen",
                "nora@contoso.com: User Administrator"
            ),
        ]
    );
    assert!(parsed.rows.windows(2).all(|p| p[0].at >= p[1].at));
    assert!(!log.body.contains("kim@fabrikam.com"), "{}", log.body);
    // Fabrikam's Global Administrator reads Fabrikam's log: the operator's assignment only.
    let other = read(Some(w.other_global.clone())).await;
    assert_eq!(other.status, 200, "{}", other.body);
    let parsed: OrganizationAuditPage = serde_json::from_str(&other.body).expect("log");
    assert!(!other.body.contains("contoso.com:"), "{}", other.body);
    assert!(parsed.rows.iter().any(|r| r.action == "role.assign"
        && r.who == "operator (command line)"
        && r.detail == "kim@fabrikam.com: Billing Administrator"));

    // The page, with the actions in words.
    let page = app.get("/organization/audit", Some(&w.global)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for expected in [
        "Audit log",
        "Assigned an administrative role",
        "Removed an administrative role",
        "nora@contoso.com: User Administrator",
        "When (UTC)",
        "Page 1 of 1",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    let page = app.get("/organization/audit", Some(&w.billing)).await;
    assert_eq!(page.status, 403, "{}", page.body);
});

on_both_engines!(granting_from_other_code_is_idempotent_and_scoped, |app| {
    let w = world(&app).await;
    // Sign-up's and the CLI's way in: idempotent, and only for the organization's own accounts.
    let mut tx = app.state.db.begin_write().await.expect("tx");
    app::organizations::grant(&mut tx, w.contoso, w.nora, OrgRole::User)
        .await
        .expect("grant");
    app::organizations::grant(&mut tx, w.contoso, w.nora, OrgRole::User)
        .await
        .expect("grant again");
    let refused = app::organizations::grant(&mut tx, w.contoso, w.kim, OrgRole::Global).await;
    assert_eq!(refused, Err(app::error::AppError::NotFound));
    tx.commit().await.expect("commit");
    assert!(has_role(&app, w.nora, "user").await);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM organization_roles WHERE organization_id = {} AND account_id = {}",
            w.contoso, w.kim
        ))
        .await,
        0
    );
    let before = snapshot(&app).await;
    for email in ["nobody@contoso.com", "olivia@provider.example", "x"] {
        let refused = app::organizations::grant_by_email(
            &app.state,
            email,
            OrgRole::Global,
            app::auth::audit::Actor::CommandLine,
        )
        .await
        .expect_err("refused");
        assert!(
            refused.field_message("email").is_some(),
            "{email}: {refused:?}"
        );
    }
    assert_eq!(snapshot(&app).await, before);
    // Holding the role already: nothing written, not even a log entry.
    app::organizations::grant_by_email(
        &app.state,
        "megan@contoso.com",
        OrgRole::Global,
        app::auth::audit::Actor::CommandLine,
    )
    .await
    .expect("held");
    assert_eq!(snapshot(&app).await, before);
});
