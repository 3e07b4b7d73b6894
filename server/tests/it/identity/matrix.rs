//! Who may call each function of the Identity page: a Global Administrator, a Billing
//! Administrator, a User Administrator, an account with no role, another organization's
//! Global Administrator (Contoso's ids answer 404 to them, like missing ids), staff and a
//! signed-out visitor. Refusals change nothing.

use super::*;

/// Every write, with a form naming Tess (Contoso, no role, not signed in), and who may make it.
fn writes(target: &str) -> Vec<(&'static str, Vec<(&'static str, String)>, [u16; 4])> {
    // [global, billing, user admin, no role]
    let id = || ("id", target.to_owned());
    vec![
        (
            "identity_update_organization",
            vec![
                ("name", "Contoso Ltd".to_owned()),
                ("address", "1 Main St\nRedmond".to_owned()),
                ("technical_contact", "it@contoso.com".to_owned()),
                ("language", "de".to_owned()),
            ],
            [200, 403, 403, 403],
        ),
        (
            "identity_add_user",
            vec![
                ("display_name", "Ada New".to_owned()),
                ("email", "ada@contoso.com".to_owned()),
            ],
            [200, 403, 200, 403],
        ),
        (
            "identity_edit_user",
            vec![id(), ("display_name", "Tess Renamed".to_owned())],
            [200, 403, 200, 403],
        ),
        ("identity_disable_user", vec![id()], [200, 403, 200, 403]),
        ("identity_enable_user", vec![id()], [200, 403, 200, 403]),
        (
            "identity_user_assign_role",
            vec![id(), ("role", "billing".to_owned())],
            [200, 403, 403, 403],
        ),
        (
            "identity_user_remove_role",
            vec![id(), ("role", "billing".to_owned())],
            [200, 403, 403, 403],
        ),
        (
            // No such subscription: past the guard, the subscription is not found.
            "identity_user_assign_license",
            vec![id(), ("subscription_id", "999999".to_owned())],
            [404, 403, 404, 403],
        ),
        (
            "identity_user_remove_license",
            vec![id(), ("subscription_id", "999999".to_owned())],
            [404, 403, 404, 403],
        ),
        ("identity_delete_user", vec![id()], [200, 403, 200, 403]),
    ]
}

on_both_engines!(every_function_checks_its_caller, |app| {
    let w = world(&app).await;
    let nora = w.nora.to_string();
    // Reads.
    let read_form: Vec<(&str, &str)> = vec![
        ("q", ""),
        ("sort", "name"),
        ("desc", "false"),
        ("page", "1"),
    ];
    let nora_form = [("id", nora.as_str())];
    let reads: [(&str, &[(&str, &str)], [u16; 4]); 3] = [
        ("identity_organization", &[], [200, 200, 200, 403]),
        ("identity_users", &read_form, [200, 403, 200, 403]),
        ("identity_user", &nora_form, [200, 403, 200, 403]),
    ];
    for (function, form, expected) in reads {
        let anonymous = call(&app, function, form, None).await;
        assert_eq!(anonymous.status, 401, "{function}: {}", anonymous.body);
        let staff = call(&app, function, form, Some(&w.staff)).await;
        assert_eq!(staff.status, 403, "{function} staff: {}", staff.body);
        for (cookie, status) in [&w.global, &w.billing, &w.user_admin, &w.nobody]
            .into_iter()
            .zip(expected)
        {
            let answer = call(&app, function, form, Some(cookie)).await;
            assert_eq!(answer.status, status, "{function}: {}", answer.body);
        }
    }
    // Another organization's Global Administrator reads their own organization only: Nora's id
    // is missing for them, and Contoso appears nowhere.
    let other = call(&app, "identity_user", &nora_form, Some(&w.other_global)).await;
    assert_eq!(other.status, 404, "{}", other.body);
    let missing = call(&app, "identity_user", &[("id", "999999")], Some(&w.global)).await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        other.body, missing.body,
        "another tenant's id answers like a missing one"
    );
    let theirs = users(&app, &w.other_global, "", "name", false, 1).await;
    assert_eq!(theirs.organization, "Fabrikam");
    assert!(theirs
        .rows
        .iter()
        .all(|r| r.email.ends_with("@fabrikam.com")));
    assert_eq!(info(&app, &w.other_global).await.name, "Fabrikam");

    // Writes: refused callers first, each refusal changing nothing; then the allowed one.
    let tess = app
        .create_account("work", "tess@contoso.com", "Tess Target")
        .await
        .to_string();
    for (function, form, expected) in writes(&tess) {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let before = snapshot(&app).await;
        let anonymous = call(&app, function, &form, None).await;
        assert_eq!(anonymous.status, 401, "{function}");
        let staff = call(&app, function, &form, Some(&w.staff)).await;
        assert_eq!(staff.status, 403, "{function} staff: {}", staff.body);
        let other = call(&app, function, &form, Some(&w.other_global)).await;
        let other_expected =
            if function == "identity_update_organization" || function == "identity_add_user" {
                // Their own organization: Fabrikam's name would change, or the address is not
                // on Fabrikam's domains (422): never Contoso's data.
                if function == "identity_add_user" {
                    422
                } else {
                    200
                }
            } else {
                404
            };
        assert_eq!(
            other.status, other_expected,
            "{function} other organization: {}",
            other.body
        );
        if function == "identity_update_organization" {
            // Put Fabrikam back (its name change is its own business); Contoso is unchanged.
            let info = info(&app, &w.other_global).await;
            assert_eq!(info.name, "Contoso Ltd");
            app.exec("UPDATE organizations SET name = 'Fabrikam', name_canonical = 'fabrikam', address = '' WHERE name = 'Contoso Ltd'").await;
        }
        for (i, cookie) in [&w.billing, &w.user_admin, &w.nobody]
            .into_iter()
            .enumerate()
        {
            let status = expected[i + 1];
            if status == 403 {
                let refused = call(&app, function, &form, Some(cookie)).await;
                assert_eq!(refused.status, 403, "{function} ({i}): {}", refused.body);
            }
        }
        if function != "identity_update_organization" {
            assert_eq!(
                snapshot(&app).await,
                before,
                "{function}: a refusal changed something"
            );
        }
        let allowed = call(&app, function, &form, Some(&w.global)).await;
        assert_eq!(
            allowed.status, expected[0],
            "{function} global: {}",
            allowed.body
        );
    }
    // The user administrator's own allowed calls, on a fresh account.
    let ok = call(
        &app,
        "identity_add_user",
        &[("display_name", "Ben New"), ("email", "ben@contoso.com")],
        Some(&w.user_admin),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let ben = app
        .count("SELECT id FROM accounts WHERE email_canonical = 'ben@contoso.com'")
        .await
        .to_string();
    for function in [
        "identity_disable_user",
        "identity_enable_user",
        "identity_delete_user",
    ] {
        let ok = call(&app, function, &[("id", &ben)], Some(&w.user_admin)).await;
        assert_eq!(ok.status, 200, "{function}: {}", ok.body);
    }
});

on_both_engines!(pages_open_for_their_roles, |app| {
    let w = world(&app).await;
    let identity = app.get("/organization", Some(&w.global)).await;
    assert_eq!(identity.status, 200, "{}", identity.body);
    for expected in [
        "Organization information",
        "href=\"/organization/users\"",
        "href=\"/organization/groups\"",
        "href=\"/organization/domains\"",
        "href=\"/organization/federation\"",
        "href=\"/organization/roles\"",
        "Change the information",
        "<label for=\"field-address\"",
        "contoso.com",
    ] {
        assert!(identity.body.contains(expected), "{expected}");
    }
    let billing = app.get("/organization", Some(&w.billing)).await;
    assert_eq!(billing.status, 200);
    assert!(!billing.body.contains("Change the information"));
    assert!(billing.body.contains("Only a Global Administrator changes"));
    let nobody = app.get("/organization/users", Some(&w.nobody)).await;
    assert_eq!(nobody.status, 403);
    let list = app.get("/organization/users", Some(&w.user_admin)).await;
    assert_eq!(list.status, 200, "{}", list.body);
    for expected in [
        "Nora Norole",
        "Add a user",
        "aria-label=\"Users of your organization\"",
        "aria-sort=\"ascending\"",
    ] {
        assert!(list.body.contains(expected), "{expected}");
    }
    let page = app
        .get(&format!("/organization/users/{}", w.nora), Some(&w.global))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    for expected in [
        "nora@contoso.com",
        "Disable the account",
        "Administrative roles",
        "Assign the role",
        "Licenses",
    ] {
        assert!(page.body.contains(expected), "{expected}");
    }
    // Delete asks first, naming the person (the question is a link away, so it works without
    // JavaScript).
    let asking = app
        .get(
            &format!("/organization/users/{0}?confirm=delete-{0}", w.nora),
            Some(&w.global),
        )
        .await;
    assert!(
        asking.body.contains("Delete the account of Nora Norole?"),
        "{}",
        asking.body
    );
    let other = app
        .get(
            &format!("/organization/users/{}", w.nora),
            Some(&w.other_global),
        )
        .await;
    assert_eq!(other.status, 404);
    // The navigation: Identity for Global and User Administrators.
    assert!(list.body.contains("href=\"/organization\""));
    let services = app.get("/services", Some(&w.billing)).await;
    assert!(!services.body.contains("href=\"/organization/users\""));
});
