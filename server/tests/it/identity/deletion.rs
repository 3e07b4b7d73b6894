//! Licenses from a user's page, and deleting a user: clean (sessions, roles and licenses go,
//! each license back to its subscription) or refused with the reason while the organization's
//! records name the person.

use super::*;

/// A subscription of Contoso with two licenses (id 900), straight into the tables.
async fn subscription(app: &TestApp, contoso: i64) {
    for sql in [
        "INSERT INTO services (id, name, name_canonical, created_at) VALUES (900, 'Mail', 'mail', 1)".to_owned(),
        "INSERT INTO offers (id, service_id, name, name_canonical, description, unit, price_minor, \
         currency, period_months, created_at) VALUES (900, 900, 'Mail Basic', 'mail basic', 'Mail', \
         'user', 100, 'USD', 1, 1)"
            .to_owned(),
        format!(
            "INSERT INTO subscriptions (id, organization_id, service_id, offer_id, status, quantity, \
             assigned, starts_at, ends_at, created_at, updated_at) \
             VALUES (900, {contoso}, 900, 900, 'active', 2, 0, 1, 9999999999, 1, 1)"
        ),
    ] {
        app.exec(&sql).await;
    }
}

on_both_engines!(
    licenses_are_assigned_and_given_back_from_the_user_page,
    |app| {
        let w = world(&app).await;
        subscription(&app, w.contoso).await;
        let nora = w.nora.to_string();
        let form = [("id", nora.as_str()), ("subscription_id", "900")];
        let ok = call(
            &app,
            "identity_user_assign_license",
            &form,
            Some(&w.user_admin),
        )
        .await;
        assert_eq!(ok.status, 200, "{}", ok.body);
        let page = user(&app, &w.user_admin, w.nora).await;
        assert_eq!(page.user.licenses, 1);
        assert_eq!(page.licenses.len(), 1);
        assert_eq!(page.licenses[0].offer, "Mail Basic");
        assert_eq!(page.open_subscriptions[0].remaining, 1);
        // Twice is refused by the services domain; another organization cannot see it at all.
        let again = call(
            &app,
            "identity_user_assign_license",
            &form,
            Some(&w.user_admin),
        )
        .await;
        assert!(again.status >= 400, "{}", again.body);
        let other = call(
            &app,
            "identity_user_assign_license",
            &form,
            Some(&w.other_global),
        )
        .await;
        assert_eq!(other.status, 404);
        let ok = call(&app, "identity_user_remove_license", &form, Some(&w.global)).await;
        assert_eq!(ok.status, 200, "{}", ok.body);
        assert_eq!(
            app.count("SELECT assigned FROM subscriptions WHERE id = 900")
                .await,
            0
        );
        for action in ["license.assign", "license.unassign"] {
            assert_eq!(
                app.count(&format!(
                    "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
                ))
                .await,
                1
            );
        }

        // Deleting Nora with a license gives it back, and ends her sessions.
        let ok = call(&app, "identity_user_assign_license", &form, Some(&w.global)).await;
        assert_eq!(ok.status, 200, "{}", ok.body);
        assert_eq!(
            app.count("SELECT assigned FROM subscriptions WHERE id = 900")
                .await,
            1
        );
        let ok = call(
            &app,
            "identity_delete_user",
            &[("id", &nora)],
            Some(&w.global),
        )
        .await;
        assert_eq!(ok.status, 200, "{}", ok.body);
        assert_eq!(
            app.count("SELECT assigned FROM subscriptions WHERE id = 900")
                .await,
            0
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM license_assignments").await,
            0
        );
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM accounts WHERE id = {nora}"))
                .await,
            0
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM sessions WHERE account_id = {nora}"
            ))
            .await,
            0
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.delete'")
                .await,
            1
        );
        let gone = call(&app, "identity_user", &[("id", &nora)], Some(&w.global)).await;
        assert_eq!(gone.status, 404);
        // Another organization's account: missing too, and untouched.
        let kim = w.kim.to_string();
        let refused = call(
            &app,
            "identity_delete_user",
            &[("id", &kim)],
            Some(&w.global),
        )
        .await;
        assert_eq!(refused.status, 404);
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM accounts WHERE id = {kim}"))
                .await,
            1
        );
    }
);

on_both_engines!(a_person_who_opened_a_case_is_disabled_not_deleted, |app| {
    use app::workspaces::service::{self, AgreementInput};
    let w = world(&app).await;
    let agreement = service::create_agreement(
        &app.state,
        AgreementInput {
            organization: "Contoso",
            agreement_type: "premier",
            services_admins: vec!["megan@contoso.com"],
            contact_limit: Some("50"),
            ..AgreementInput::default()
        },
        app::auth::audit::Actor::CommandLine,
        "127.0.0.1",
    )
    .await
    .expect("agreement");
    let workspace = service::activate(
        &app.state,
        agreement,
        app::auth::audit::Actor::CommandLine,
        None,
        "127.0.0.1",
    )
    .await
    .expect("activate");
    app.exec(&format!(
        "INSERT INTO cases (workspace_id, opened_by, title, description, severity, contact_method, \
         opened_at, created_at, updated_at) VALUES ({workspace}, {}, 'Mail down', 'x', 'b', 'email', 1, 1, 1)",
        w.nora
    ))
    .await;
    let before = snapshot(&app).await;
    let refused = call(
        &app,
        "identity_delete_user",
        &[("id", &w.nora.to_string())],
        Some(&w.global),
    )
    .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused
            .body
            .contains("Nora Norole cannot be deleted: they opened or wrote in support cases")
            && refused.body.contains("Disable the account instead."),
        "{}",
        refused.body
    );
    assert_eq!(snapshot(&app).await, before);
});
