//! Who must use two-step verification (staff, Global Administrators) and who may not turn it
//! off, and the resets: a Global Administrator's within their organization, the operator's for
//! anyone; both audited.

use super::{code, enroll, now_step, PAT};
use crate::common::PASSWORD;

on_both_engines!(
    global_administrators_must_enroll_plain_users_need_not,
    config = |c: &mut app::state::Config| {
        c.sign_in_attempts_per_minute = 10_000;
        c.require_second_factor = true;
    },
    |app| {
        let org = app.create_organization("Contoso", "contoso.com").await;
        let ga = app
            .create_account("work", "ga@contoso.com", "Grace Admin")
            .await;
        app.exec(&format!(
            "INSERT INTO organization_roles (account_id, organization_id, role, created_at) \
         VALUES ({ga}, {org}, 'global', 0)"
        ))
        .await;
        let user = app
            .create_account("work", "user@contoso.com", "Una User")
            .await;
        let plain = app.signed_in("user@contoso.com", "work").await;
        assert_eq!(
            app.call("my_profile", &[], Some(&plain), &[]).await.status,
            200
        );

        let cookie = app.signed_in("ga@contoso.com", "work").await;
        let r = app
            .call("identity_organization", &[], Some(&cookie), &[])
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert!(
            r.body.contains("must use two-step verification"),
            "{}",
            r.body
        );
        let page = app.get("/organization/users", Some(&cookie)).await;
        assert_eq!(
            page.header("location"),
            Some("/profile/two-factor?required=1")
        );
        // The enrollment page itself opens.
        assert_eq!(
            app.get("/profile/two-factor", Some(&cookie)).await.status,
            200
        );
        enroll(&app, &cookie).await;
        assert_eq!(
            app.call("my_profile", &[], Some(&cookie), &[]).await.status,
            200
        );

        // The user enrolls too; the Global Administrator resets it (audited), which signs them out.
        let (_, _) = enroll(&app, &plain).await;
        let id = user.to_string();
        // The button is offered to the Global Administrator, never to a User Administrator
        // (whom the server refuses anyway).
        let page = app
            .get(&format!("/organization/users/{user}"), Some(&cookie))
            .await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Reset two-step verification"));
        let helper = app
            .create_account("work", "helpdesk@contoso.com", "Hal Helpdesk")
            .await;
        app.exec(&format!(
            "INSERT INTO organization_roles (account_id, organization_id, role, created_at) \
             VALUES ({helper}, {org}, 'user', 0)"
        ))
        .await;
        let helpdesk = app.signed_in("helpdesk@contoso.com", "work").await;
        let page = app
            .get(&format!("/organization/users/{user}"), Some(&helpdesk))
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("Una User"));
        assert!(!page.body.contains("Reset two-step verification"));
        let r = app
            .call(
                "identity_reset_second_factor",
                &[("id", &id)],
                Some(&cookie),
                &[],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM second_factors WHERE account_id = {user}"
            ))
            .await,
            0
        );
        assert_eq!(
            app.call("my_profile", &[], Some(&plain), &[]).await.status,
            401
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'account.second_factor_reset' \
             AND object_id = {user} AND actor_account_id = {ga} AND organization_id = {org}"
            ))
            .await,
            1
        );
        // Another organization's user: not found.
        app.create_organization("Fabrikam", "fabrikam.com").await;
        let other = app.create_account("work", "x@fabrikam.com", "Xavier").await;
        let r = app
            .call(
                "identity_reset_second_factor",
                &[("id", &other.to_string())],
                Some(&cookie),
                &[],
            )
            .await;
        assert_eq!(r.status, 404, "{}", r.body);
        // A plain user may not reset anyone.
        let plain = app.signed_in("user@contoso.com", "work").await;
        let r = app
            .call(
                "identity_reset_second_factor",
                &[("id", &ga.to_string())],
                Some(&plain),
                &[],
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
    }
);

on_both_engines!(the_operator_resets_anyone_including_staff, |app| {
    let staff = app.create_staff("op@provider.example", "operator").await;
    let cookie = app.signed_in("op@provider.example", "work").await;
    enroll(&app, &cookie).await;
    let said = services_hub::cli::admin(
        &app.state,
        services_hub::cli::Admin::ResetSecondFactor {
            email: "OP@provider.example".to_owned(),
        },
    )
    .await
    .expect("reset");
    assert!(said.contains("reset the two-step verification"), "{said}");
    assert_eq!(app.count("SELECT COUNT(*) FROM second_factors").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM recovery_codes").await, 0);
    assert_eq!(
        app.call("my_workspaces", &[], Some(&cookie), &[])
            .await
            .status,
        401
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'account.second_factor_reset' \
             AND object_id = {staff} AND actor_account_id IS NULL"
        ))
        .await,
        1
    );
    // The password alone signs in again (no factor left).
    let r = app.sign_in("op@provider.example", "work", PASSWORD).await;
    assert_eq!(r.header("location"), Some("/"));
    let unknown = services_hub::cli::admin(
        &app.state,
        services_hub::cli::Admin::ResetSecondFactor {
            email: "nobody@provider.example".to_owned(),
        },
    )
    .await;
    assert!(unknown.is_err());
});

on_both_engines!(a_plain_user_turns_it_off_with_a_code, |app| {
    app.create_account("personal", PAT, "Pat Doe").await;
    let cookie = app.signed_in(PAT, "personal").await;
    let (secret, _) = enroll(&app, &cookie).await;
    let r = app
        .call(
            "disable_two_factor",
            &[("code", "123456")],
            Some(&cookie),
            &[],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = app
        .call(
            "disable_two_factor",
            &[("code", &code(&secret, now_step() + 1))],
            Some(&cookie),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM second_factors").await, 0);
    let r = app.sign_in(PAT, "personal", PASSWORD).await;
    assert_eq!(r.header("location"), Some("/"));
});
