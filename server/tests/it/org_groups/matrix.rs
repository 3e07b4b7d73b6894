use super::*;
use crate::organizations::world;

on_both_engines!(groups_are_for_global_and_user_administrators, |app| {
    let w = world(&app).await;
    let before = snapshot(&app).await;
    // Anonymous: 401 everywhere; no role, Billing and staff: 403; nothing changes.
    assert_eq!(list(&app, None, "").await.status, 401);
    assert_eq!(create(&app, None, "Finance", "").await.status, 401);
    for cookie in [&w.nobody, &w.billing, &w.staff] {
        let refused = list(&app, Some(cookie), "").await;
        assert_eq!(refused.status, 403, "{}", refused.body);
        let refused = create(&app, Some(cookie), "Finance", "").await;
        assert_eq!(refused.status, 403, "{}", refused.body);
    }
    assert_eq!(snapshot(&app).await, before);

    // Global and User Administrators create and read.
    let finance = create_ok(&app, &w.global, "Finance").await;
    let helpdesk = create_ok(&app, &w.user_admin, "Helpdesk").await;
    for cookie in [&w.global, &w.user_admin] {
        let groups = list_of(&list(&app, Some(cookie), "").await);
        assert_eq!(groups.organization_name, "Contoso");
        let names: Vec<&str> = groups.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["Finance", "Helpdesk"]);
        assert_eq!(groups.total, 2);
    }
    // The search is the start of the name, whatever its case.
    let found = list_of(&list(&app, Some(&w.global), "hELP").await);
    assert_eq!(found.groups.len(), 1);
    assert_eq!(found.groups[0].id, helpdesk);
    assert_eq!(
        list_of(&list(&app, Some(&w.global), "nance").await).total,
        0
    );
    // Each change is in the organization's log.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'org_group.create' AND organization_id = {}",
            w.contoso
        ))
        .await,
        2
    );

    // Another organization's Global Administrator: their own list is empty, Contoso's group
    // answers like a missing one, and they may use the same name in their organization.
    let other = list_of(&list(&app, Some(&w.other_global), "").await);
    assert_eq!(other.organization_name, "Fabrikam");
    assert!(other.groups.is_empty());
    let before = snapshot(&app).await;
    for response in [
        detail(&app, Some(&w.other_global), finance).await,
        detail(&app, Some(&w.global), 999_999).await,
        edit(&app, Some(&w.other_global), finance, "Mine", "").await,
        delete(&app, Some(&w.other_global), finance).await,
        add(&app, Some(&w.other_global), finance, "kim@fabrikam.com").await,
        remove(&app, Some(&w.other_global), finance, w.kim).await,
    ] {
        assert_eq!(response.status, 404, "{}", response.body);
        assert!(!response.body.contains("Finance"), "{}", response.body);
    }
    let missing = detail(&app, Some(&w.global), 999_999).await;
    assert_eq!(
        detail(&app, Some(&w.other_global), finance).await.body,
        missing.body
    );
    assert_eq!(snapshot(&app).await, before);
    let theirs = create_ok(&app, &w.other_global, "FINANCE").await;
    assert!(
        detail_of(&detail(&app, Some(&w.other_global), theirs).await)
            .members
            .is_empty()
    );
});

on_both_engines!(names_are_checked_and_unique_per_organization, |app| {
    let w = world(&app).await;
    let finance = create_ok(&app, &w.global, "Finance").await;
    let before = snapshot(&app).await;
    for (name, description, field) in [
        (" finance ", "", "name"),
        ("", "", "name"),
        (&"g".repeat(101) as &str, "", "name"),
        ("Payroll", &"d".repeat(501) as &str, "description"),
    ] {
        let refused = create(&app, Some(&w.user_admin), name, description).await;
        assert_eq!(refused.status, 422, "{name}: {}", refused.body);
        assert!(
            refused.body.contains(&format!("\"field\":\"{field}\"")),
            "{}",
            refused.body
        );
    }
    let taken = create(&app, Some(&w.global), "FINANCE", "").await;
    assert!(
        taken
            .body
            .contains("Your organization already has a group of that name."),
        "{}",
        taken.body
    );
    // Renaming onto another group's name is refused the same way.
    let payroll = create_ok(&app, &w.global, "Payroll").await;
    let before = (before.0 + 1, before.1, before.2 + 1);
    assert_eq!(snapshot(&app).await, before);
    let refused = edit(&app, Some(&w.global), payroll, "finance", "").await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(snapshot(&app).await, before);

    // Rename and describe: saved and logged; the same again changes nothing.
    let saved = edit(
        &app,
        Some(&w.user_admin),
        finance,
        "Finance team",
        "Pays the bills",
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(
        saved.header("location"),
        Some(format!("/organization/groups/{finance}?done=saved").as_str())
    );
    let group = detail_of(&detail(&app, Some(&w.global), finance).await);
    assert_eq!(
        (group.name.as_str(), group.description.as_str()),
        ("Finance team", "Pays the bills")
    );
    let after = snapshot(&app).await;
    assert_eq!(after.2, before.2 + 1);
    let again = edit(
        &app,
        Some(&w.user_admin),
        finance,
        "Finance team",
        "Pays the bills",
    )
    .await;
    assert_eq!(
        again.header("location"),
        Some(format!("/organization/groups/{finance}?done=unchanged").as_str())
    );
    assert_eq!(snapshot(&app).await, after);
    // Only the case changes: allowed (the name is its own).
    let recased = edit(
        &app,
        Some(&w.global),
        finance,
        "FINANCE TEAM",
        "Pays the bills",
    )
    .await;
    assert_eq!(recased.status, 200, "{}", recased.body);
});

on_both_engines!(members_come_from_the_own_organization, |app| {
    let w = world(&app).await;
    let finance = create_ok(&app, &w.global, "Finance").await;
    app.create_account("personal", "pat@contoso.com", "Pat Personal")
        .await;
    let before = snapshot(&app).await;
    // Another organization's account, a personal account of the same domain and an unknown
    // address all get the same message at the field; a malformed one its own.
    for email in ["kim@fabrikam.com", "pat@contoso.com", "nobody@contoso.com"] {
        let refused = add(&app, Some(&w.user_admin), finance, email).await;
        assert_eq!(refused.status, 422, "{email}: {}", refused.body);
        assert!(
            refused
                .body
                .contains("No account of your organization has this address."),
            "{}",
            refused.body
        );
    }
    let refused = add(&app, Some(&w.user_admin), finance, "not an address").await;
    assert!(
        refused.body.contains("\"field\":\"email\""),
        "{}",
        refused.body
    );
    assert_eq!(snapshot(&app).await, before);

    for cookie in [None, Some(w.billing.as_str()), Some(w.nobody.as_str())] {
        let refused = add(&app, cookie, finance, "nora@contoso.com").await;
        assert!(matches!(refused.status, 401 | 403), "{}", refused.body);
    }
    let added = add(&app, Some(&w.user_admin), finance, " Nora@Contoso.com ").await;
    assert_eq!(added.status, 200, "{}", added.body);
    assert_eq!(
        added.header("location"),
        Some(format!("/organization/groups/{finance}?done=added").as_str())
    );
    let held = add(&app, Some(&w.global), finance, "nora@contoso.com").await;
    assert_eq!(
        held.header("location"),
        Some(format!("/organization/groups/{finance}?done=held").as_str())
    );
    add(&app, Some(&w.global), finance, "megan@contoso.com").await;
    let group = detail_of(&detail(&app, Some(&w.global), finance).await);
    let emails: Vec<&str> = group.members.iter().map(|m| m.email.as_str()).collect();
    assert_eq!(emails, ["megan@contoso.com", "nora@contoso.com"]);
    assert_eq!(
        list_of(&list(&app, Some(&w.global), "").await).groups[0].members,
        2
    );
    assert_eq!(snapshot(&app).await, (before.0, before.1 + 2, before.2 + 2));

    // Removing: another organization's account is missing; the member goes and is logged.
    let refused = remove(&app, Some(&w.global), finance, w.kim).await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    let removed = remove(&app, Some(&w.user_admin), finance, w.nora).await;
    assert_eq!(
        removed.header("location"),
        Some(format!("/organization/groups/{finance}?done=removed").as_str())
    );
    let again = remove(&app, Some(&w.user_admin), finance, w.nora).await;
    assert_eq!(
        again.header("location"),
        Some(format!("/organization/groups/{finance}?done=unchanged").as_str())
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'org_group.member.remove'")
            .await,
        1
    );

    // Deleting the group takes its memberships, never the accounts.
    let deleted = delete(&app, Some(&w.global), finance).await;
    assert_eq!(
        deleted.header("location"),
        Some("/organization/groups?done=deleted")
    );
    assert_eq!(snapshot(&app).await.0, before.0 - 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM org_group_members").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM accounts WHERE email = 'megan@contoso.com'")
            .await,
        1
    );
    assert_eq!(detail(&app, Some(&w.global), finance).await.status, 404);
});

on_both_engines!(the_group_pages, |app| {
    let w = world(&app).await;
    let finance = create_ok(&app, &w.global, "Finance").await;
    add(&app, Some(&w.global), finance, "nora@contoso.com").await;
    let page = app.get("/organization/groups", Some(&w.user_admin)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for expected in [
        "<h1>Groups",
        "aria-label=\"Groups\"",
        &format!("href=\"/organization/groups/{finance}\""),
        "1 member",
        "Create a group",
        "<label for=\"field-create-name\"",
        "<label for=\"field-q\"",
        "?confirm=delete",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    let asked = app
        .get(
            &format!("/organization/groups?confirm=delete-{finance}"),
            Some(&w.global),
        )
        .await;
    assert!(
        asked.body.contains("Delete the group Finance?"),
        "{}",
        asked.body
    );
    let page = app
        .get(
            &format!("/organization/groups/{finance}?done=added"),
            Some(&w.global),
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    for expected in [
        "<h1>Finance",
        "nora@contoso.com",
        "The member was added.",
        "Add a member",
        "<label for=\"field-add-email\"",
        "?confirm=remove",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    for (cookie, status) in [(&w.billing, 403), (&w.nobody, 403), (&w.staff, 403)] {
        let refused = app.get("/organization/groups", Some(cookie)).await;
        assert_eq!(refused.status, status, "{}", refused.body);
        assert!(!refused.body.contains("Finance"));
    }
    let refused = app
        .get(
            &format!("/organization/groups/{finance}"),
            Some(&w.other_global),
        )
        .await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    assert!(!refused.body.contains("nora@contoso.com"));
    let anonymous = app.get("/organization/groups", None).await;
    assert_eq!(anonymous.status, 302, "{}", anonymous.body);
    assert!(
        anonymous
            .header("location")
            .is_some_and(|l| l.starts_with("/sign-in")),
        "{:?}",
        anonymous.header("location")
    );
});
