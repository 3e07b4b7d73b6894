//! An organization's administrative roles and its audit log over HTTP: who reads them, who
//! changes them (a Global Administrator of the same organization only), refusals that change
//! nothing, the last Global Administrator, and every change in the organization's log.

use crate::common::{TestApp, TestResponse};
use app::{audit::OrganizationAuditPage, auth::kinds::OrgRole, organizations::OrgRoles};

/// Contoso's administrators and people, Fabrikam's Global Administrator and a staff member,
/// each signed in (session cookies) — and the account ids a test names.
struct World {
    contoso: i64,
    megan: i64,
    bill: i64,
    nora: i64,
    kim: i64,
    global: String,
    billing: String,
    user_admin: String,
    nobody: String,
    other_global: String,
    staff: String,
}

async fn world(app: &TestApp) -> World {
    let contoso = app.create_organization("Contoso", "contoso.com").await;
    let fabrikam = app.create_organization("Fabrikam", "fabrikam.com").await;
    let megan = app
        .create_account("work", "megan@contoso.com", "Megan Bowen")
        .await;
    let bill = app
        .create_account("work", "bill@contoso.com", "Bill Payer")
        .await;
    let uma = app
        .create_account("work", "uma@contoso.com", "Uma Users")
        .await;
    let nora = app
        .create_account("work", "nora@contoso.com", "Nora Norole")
        .await;
    let kim = app
        .create_account("work", "kim@fabrikam.com", "Kim Fabrikam")
        .await;
    app.create_staff("olivia@provider.example", "operator")
        .await;
    for (account, organization, role) in [
        (megan, contoso, "global"),
        (bill, contoso, "billing"),
        (uma, contoso, "user"),
        (kim, fabrikam, "global"),
    ] {
        app.exec(&format!(
            "INSERT INTO organization_roles (account_id, organization_id, role, created_at) \
             VALUES ({account}, {organization}, '{role}', 1)"
        ))
        .await;
    }
    World {
        contoso,
        megan,
        bill,
        nora,
        kim,
        global: app.signed_in("megan@contoso.com", "work").await,
        billing: app.signed_in("bill@contoso.com", "work").await,
        user_admin: app.signed_in("uma@contoso.com", "work").await,
        nobody: app.signed_in("nora@contoso.com", "work").await,
        other_global: app.signed_in("kim@fabrikam.com", "work").await,
        staff: app.signed_in("olivia@provider.example", "work").await,
    }
}

/// What a refused write must leave as it was: every role and every log entry.
async fn snapshot(app: &TestApp) -> (i64, i64) {
    (
        app.count("SELECT COUNT(*) FROM organization_roles").await,
        app.count("SELECT COUNT(*) FROM audit_log").await,
    )
}

async fn assign(app: &TestApp, cookie: Option<&str>, email: &str, role: &str) -> TestResponse {
    app.call(
        "assign_role",
        &[("email", email), ("role", role)],
        cookie,
        &[],
    )
    .await
}

async fn remove(app: &TestApp, cookie: Option<&str>, account: i64, role: &str) -> TestResponse {
    let account = account.to_string();
    app.call(
        "remove_role",
        &[("account_id", account.as_str()), ("role", role)],
        cookie,
        &[],
    )
    .await
}

async fn has_role(app: &TestApp, account: i64, role: &str) -> bool {
    app.count(&format!(
        "SELECT COUNT(*) FROM organization_roles WHERE account_id = {account} AND role = '{role}'"
    ))
    .await
        == 1
}

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
