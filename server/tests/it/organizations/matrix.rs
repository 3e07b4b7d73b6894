use super::*;

on_both_engines!(roles_are_read_by_the_organizations_administrators, |app| {
    let w = world(&app).await;
    let anonymous = app.call("organization_roles", &[], None, &[]).await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.body);
    for (cookie, status) in [(&w.nobody, 403), (&w.staff, 403)] {
        let refused = app.call("organization_roles", &[], Some(cookie), &[]).await;
        assert_eq!(refused.status, status, "{}", refused.body);
    }
    for (cookie, can_manage, mine) in [
        (&w.global, true, OrgRole::Global),
        (&w.billing, false, OrgRole::Billing),
        (&w.user_admin, false, OrgRole::User),
    ] {
        let read = app.call("organization_roles", &[], Some(cookie), &[]).await;
        assert_eq!(read.status, 200, "{}", read.body);
        let roles: OrgRoles = serde_json::from_str(&read.body).expect("roles");
        assert_eq!(roles.organization_name, "Contoso");
        assert_eq!(roles.can_manage, can_manage);
        assert_eq!(roles.my_roles, vec![mine]);
        let people: Vec<(&str, Vec<OrgRole>)> = roles
            .administrators
            .iter()
            .map(|a| (a.email.as_str(), a.roles.clone()))
            .collect();
        assert_eq!(
            people,
            vec![
                ("bill@contoso.com", vec![OrgRole::Billing]),
                ("megan@contoso.com", vec![OrgRole::Global]),
                ("uma@contoso.com", vec![OrgRole::User]),
            ]
        );
    }
    // Another organization's Global Administrator sees their own people only.
    let other = app
        .call("organization_roles", &[], Some(&w.other_global), &[])
        .await;
    assert_eq!(other.status, 200, "{}", other.body);
    let roles: OrgRoles = serde_json::from_str(&other.body).expect("roles");
    assert_eq!(roles.organization_name, "Fabrikam");
    assert_eq!(roles.administrators.len(), 1);
    assert_eq!(roles.administrators[0].account_id, w.kim);
    assert!(!other.body.contains("contoso"), "{}", other.body);

    // The page: the roles and what they mean, the table, and the forms for a Global only.
    let page = app.get("/organization/roles", Some(&w.global)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for expected in [
        "Administrative roles",
        "aria-label=\"Breadcrumb\"",
        OrgRole::Global.means(),
        OrgRole::Billing.means(),
        OrgRole::User.means(),
        "Have two to four Global Administrators, so someone can always get in.",
        "Megan Bowen",
        "uma@contoso.com",
        "Assign a role",
        "<label for=\"field-email\"",
        "<label for=\"field-role\"",
        "class=\"primary\"",
        "?confirm=remove",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    let asked = app
        .get(
            &format!("/organization/roles?confirm=remove-{}-billing", w.bill),
            Some(&w.global),
        )
        .await;
    assert!(
        asked
            .body
            .contains("Remove the Billing Administrator role from Bill Payer?"),
        "{}",
        asked.body
    );
    let page = app.get("/organization/roles", Some(&w.billing)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Megan Bowen"));
    assert!(!page.body.contains("Assign a role"), "{}", page.body);
    assert!(!page.body.contains("?confirm=remove"), "{}", page.body);
    let page = app.get("/organization/roles", Some(&w.nobody)).await;
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(!page.body.contains("Megan Bowen"));
    let page = app.get("/organization/roles", Some(&w.staff)).await;
    assert_eq!(page.status, 403, "{}", page.body);
});

on_both_engines!(only_a_global_administrator_assigns_roles, |app| {
    let w = world(&app).await;
    let before = snapshot(&app).await;
    let anonymous = assign(&app, None, "nora@contoso.com", "billing").await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.body);
    for cookie in [&w.billing, &w.user_admin, &w.nobody, &w.staff] {
        let refused = assign(&app, Some(cookie), "nora@contoso.com", "billing").await;
        assert_eq!(refused.status, 403, "{}", refused.body);
    }
    // Another organization's Global Administrator: Contoso's address is not theirs.
    let refused = assign(&app, Some(&w.other_global), "nora@contoso.com", "global").await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("\"email\""), "{}", refused.body);
    assert!(refused.body.contains("No work account of Fabrikam"));
    // Nor is Fabrikam's address Contoso's; an unknown address and a bad role are refused too.
    for (email, role, field) in [
        ("kim@fabrikam.com", "billing", "email"),
        ("nobody@contoso.com", "billing", "email"),
        ("not an address", "billing", "email"),
        ("nora@contoso.com", "owner", "role"),
    ] {
        let refused = assign(&app, Some(&w.global), email, role).await;
        assert_eq!(refused.status, 422, "{email} {role}: {}", refused.body);
        assert!(
            refused.body.contains(&format!("\"field\":\"{field}\"")),
            "{}",
            refused.body
        );
    }
    // A personal account with an address of the domain is no work account of the organization.
    app.create_account("personal", "pat@contoso.com", "Pat Personal")
        .await;
    let before_personal = snapshot(&app).await;
    let refused = assign(&app, Some(&w.global), "pat@contoso.com", "user").await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(snapshot(&app).await, before_personal);
    assert_eq!(before_personal.0, before.0);

    // The Global Administrator assigns; the same role again is a no-op that says so.
    let done = assign(&app, Some(&w.global), " Nora@Contoso.com ", "billing").await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(
        done.header("location"),
        Some("/organization/roles?done=assigned")
    );
    assert!(has_role(&app, w.nora, "billing").await);
    let after = snapshot(&app).await;
    assert_eq!(after.0, before.0 + 1);
    let again = assign(&app, Some(&w.global), "nora@contoso.com", "billing").await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(
        again.header("location"),
        Some("/organization/roles?done=held")
    );
    assert_eq!(snapshot(&app).await, after);
    let page = app
        .get("/organization/roles?done=held", Some(&w.global))
        .await;
    assert!(page.body.contains("already holds that role"));
    // The new Billing Administrator reads the list at once (rights are read on every call).
    let read = app
        .call("organization_roles", &[], Some(&w.nobody), &[])
        .await;
    assert_eq!(read.status, 200, "{}", read.body);

    // A disabled account gets no role.
    app.exec("UPDATE accounts SET disabled_at = 1 WHERE email = 'uma@contoso.com'")
        .await;
    let refused = assign(&app, Some(&w.global), "uma@contoso.com", "global").await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("disabled"), "{}", refused.body);
    assert_eq!(snapshot(&app).await, after);
});

on_both_engines!(only_a_global_administrator_removes_roles, |app| {
    let w = world(&app).await;
    let before = snapshot(&app).await;
    let anonymous = remove(&app, None, w.bill, "billing").await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.body);
    for cookie in [&w.billing, &w.user_admin, &w.nobody, &w.staff] {
        let refused = remove(&app, Some(cookie), w.bill, "billing").await;
        assert_eq!(refused.status, 403, "{}", refused.body);
    }
    // Another organization's account id answers like a missing one.
    let refused = remove(&app, Some(&w.other_global), w.megan, "global").await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    let refused = remove(&app, Some(&w.global), w.kim, "global").await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    let refused = remove(&app, Some(&w.global), 999_999, "billing").await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    let refused = remove(&app, Some(&w.global), w.bill, "owner").await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    // The last Global Administrator keeps the role.
    let refused = remove(&app, Some(&w.global), w.megan, "global").await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused
            .body
            .contains("An organization needs at least one Global Administrator"),
        "{}",
        refused.body
    );
    assert_eq!(snapshot(&app).await, before);

    let done = remove(&app, Some(&w.global), w.bill, "billing").await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(
        done.header("location"),
        Some("/organization/roles?done=removed")
    );
    assert!(!has_role(&app, w.bill, "billing").await);
    let after = snapshot(&app).await;
    assert_eq!(after, (before.0 - 1, before.1 + 1));
    let again = remove(&app, Some(&w.global), w.bill, "billing").await;
    assert_eq!(
        again.header("location"),
        Some("/organization/roles?done=unchanged")
    );
    assert_eq!(snapshot(&app).await, after);
    // Bill has no role left: the list is closed to him now.
    let refused = app
        .call("organization_roles", &[], Some(&w.billing), &[])
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);

    // With a second Global Administrator, Megan may step down; a disabled Global does not count.
    let ok = assign(&app, Some(&w.global), "nora@contoso.com", "global").await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    app.exec("UPDATE accounts SET disabled_at = 1 WHERE email = 'nora@contoso.com'")
        .await;
    let refused = remove(&app, Some(&w.global), w.megan, "global").await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    app.exec("UPDATE accounts SET disabled_at = NULL WHERE email = 'nora@contoso.com'")
        .await;
    let ok = remove(&app, Some(&w.global), w.megan, "global").await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    // Having stepped down, she can change nothing more.
    let refused = assign(&app, Some(&w.global), "bill@contoso.com", "global").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM organization_roles WHERE organization_id = {} AND role = 'global'",
            w.contoso
        ))
        .await,
        1
    );
});
