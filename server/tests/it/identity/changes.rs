//! The changes of the Identity page and what each leaves in the database and the outbox.

use super::*;
use app::identity::UserStatus;

on_both_engines!(
    organization_information_is_checked_saved_and_logged,
    |app| {
        let w = world(&app).await;
        let save = |name: &'static str,
                    address: &'static str,
                    contact: &'static str,
                    language: &'static str| {
            let app = app.clone();
            let cookie = w.global.clone();
            async move {
                call(
                    &app,
                    "identity_update_organization",
                    &[
                        ("name", name),
                        ("address", address),
                        ("technical_contact", contact),
                        ("language", language),
                    ],
                    Some(&cookie),
                )
                .await
            }
        };
        let before = snapshot(&app).await;
        // Every field wrong at once: a message at each, nothing written.
        let refused = save("", "  ", "not an address", "xx").await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        for field in [
            "\"name\"",
            "\"address\"",
            "\"technical_contact\"",
            "\"language\"",
        ] {
            assert!(refused.body.contains(field), "{field}: {}", refused.body);
        }
        // Another organization's name, in any letter case.
        let taken = save("FABRIKAM", "1 Main St", "it@contoso.com", "en").await;
        assert_eq!(taken.status, 422, "{}", taken.body);
        assert!(
            taken
                .body
                .contains("Another organization already has this name"),
            "{}",
            taken.body
        );
        assert_eq!(snapshot(&app).await, before);

        let ok = save(
            "Contoso Europe",
            "Am Markt 1\r\n\r\n10115 Berlin",
            "it@contoso.com",
            "de",
        )
        .await;
        assert_eq!(ok.status, 200, "{}", ok.body);
        let saved = info(&app, &w.global).await;
        assert_eq!(saved.name, "Contoso Europe");
        assert_eq!(saved.address, "Am Markt 1\n10115 Berlin");
        assert_eq!(saved.technical_contact, "it@contoso.com");
        assert_eq!(saved.language, "de");
        // Renaming never changes a domain.
        assert_eq!(saved.domains, vec!["contoso.com".to_owned()]);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM organizations WHERE name_canonical = 'contoso europe'")
                .await,
            1
        );
        assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'organization.update' AND organization_id = {}",
            w.contoso
        ))
        .await,
        1
    );
        // The page shows the saved address in its form, escaped.
        let page = app.get("/organization", Some(&w.global)).await;
        assert!(
            page.body.contains("Am Markt 1\n10115 Berlin"),
            "{}",
            page.body
        );
    }
);

on_both_engines!(adding_a_user_queues_the_set_password_mail, |app| {
    let w = world(&app).await;
    let add = |name: &'static str, email: &'static str| {
        let app = app.clone();
        let cookie = w.user_admin.clone();
        async move {
            call(
                &app,
                "identity_add_user",
                &[("display_name", name), ("email", email)],
                Some(&cookie),
            )
            .await
        }
    };
    let before = snapshot(&app).await;
    let both = add(" ", "nobody").await;
    assert_eq!(both.status, 422);
    assert!(
        both.body.contains("\"display_name\"") && both.body.contains("\"email\""),
        "{}",
        both.body
    );
    let elsewhere = add("Ada New", "ada@fabrikam.com").await;
    assert_eq!(elsewhere.status, 422);
    assert!(
        elsewhere.body.contains("is not one of Contoso's domains"),
        "{}",
        elsewhere.body
    );
    let taken = add("Megan Again", "MEGAN@contoso.com").await;
    assert_eq!(taken.status, 422);
    assert!(taken.body.contains("already exists"), "{}", taken.body);
    assert_eq!(
        snapshot(&app).await,
        before,
        "a refused add wrote something"
    );

    let ok = add("Ada New", "ada@contoso.com").await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let ada = app
        .count(
            "SELECT id FROM accounts WHERE email_canonical = 'ada@contoso.com' AND kind = 'work'",
        )
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM accounts WHERE id = {ada} AND organization_id = {}",
            w.contoso
        ))
        .await,
        1
    );
    // The mail is queued with its link but without a token: the worker makes it as it leaves.
    let mail = app.latest_mail("ada@contoso.com").await;
    assert!(mail.contains("/set-password?token=\n"), "{mail}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM password_tokens WHERE token_hash IS NOT NULL")
            .await,
        0
    );
    // No password works until it is set; the list says so.
    let signing_in = app
        .sign_in("ada@contoso.com", "work", "correct horse battery")
        .await;
    assert!(signing_in.session_cookie().is_none());
    let page = user(&app, &w.user_admin, ada).await;
    assert_eq!(page.user.status, UserStatus::Waiting);
    assert!(page.user.roles.is_empty());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.add'")
            .await,
        1
    );
});

on_both_engines!(disabling_signs_the_person_out_at_once, |app| {
    let w = world(&app).await;
    let nora = w.nora.to_string();
    let mine = call(&app, "my_licenses", &[], Some(&w.nobody)).await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    let ok = call(
        &app,
        "identity_disable_user",
        &[("id", &nora)],
        Some(&w.user_admin),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sessions WHERE account_id = {nora}"
        ))
        .await,
        0
    );
    // The browser's next request: signed out.
    let next = call(&app, "my_licenses", &[], Some(&w.nobody)).await;
    assert_eq!(next.status, 401, "{}", next.body);
    let page = app.get("/profile", Some(&w.nobody)).await;
    assert_eq!(page.status, 302);
    assert!(page
        .header("location")
        .is_some_and(|l| l.starts_with("/sign-in")));
    // And no new sign-in while disabled.
    let again = app
        .sign_in("nora@contoso.com", "work", "correct horse battery")
        .await;
    assert!(again.session_cookie().is_none());
    assert_eq!(
        user(&app, &w.global, w.nora).await.user.status,
        UserStatus::Disabled
    );

    let ok = call(
        &app,
        "identity_enable_user",
        &[("id", &nora)],
        Some(&w.user_admin),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(
        user(&app, &w.global, w.nora).await.user.status,
        UserStatus::Active
    );
    let back = app
        .sign_in("nora@contoso.com", "work", "correct horse battery")
        .await;
    assert!(back.session_cookie().is_some(), "{}", back.body);
    for action in ["user.disable", "user.enable"] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await,
            1
        );
    }
});

on_both_engines!(a_user_administrator_never_touches_an_administrator, |app| {
    let w = world(&app).await;
    let before = snapshot(&app).await;
    for target in [w.megan, w.bill] {
        let id = target.to_string();
        for (function, extra) in [
            ("identity_edit_user", Some(("display_name", "Renamed"))),
            ("identity_disable_user", None),
            ("identity_enable_user", None),
            ("identity_delete_user", None),
        ] {
            let mut form = vec![("id", id.as_str())];
            form.extend(extra);
            let refused = call(&app, function, &form, Some(&w.user_admin)).await;
            assert_eq!(refused.status, 403, "{function}: {}", refused.body);
            assert!(
                refused
                    .body
                    .contains("only a Global Administrator can change their account"),
                "{}",
                refused.body
            );
        }
        let refused = call(
            &app,
            "identity_user_remove_role",
            &[("id", &id), ("role", "global")],
            Some(&w.user_admin),
        )
        .await;
        assert_eq!(refused.status, 403);
        // The page says why, and offers no buttons.
        let page = user(&app, &w.user_admin, target).await;
        assert!(page.protected.is_some());
    }
    assert_eq!(snapshot(&app).await, before, "a refusal changed something");
    let page = app
        .get(
            &format!("/organization/users/{}", w.megan),
            Some(&w.user_admin),
        )
        .await;
    assert!(page
        .body
        .contains("only a Global Administrator can change their account"));
    assert!(!page.body.contains("Disable the account"));

    // Once Nora is made a User Administrator by Megan, Uma cannot disable her either.
    let nora = w.nora.to_string();
    let ok = call(
        &app,
        "identity_user_assign_role",
        &[("id", &nora), ("role", "user")],
        Some(&w.global),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(
        user(&app, &w.global, w.nora).await.user.roles,
        vec![app::auth::kinds::OrgRole::User]
    );
    let refused = call(
        &app,
        "identity_disable_user",
        &[("id", &nora)],
        Some(&w.user_admin),
    )
    .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM accounts WHERE disabled_at IS NOT NULL")
            .await,
        0
    );
});

on_both_engines!(the_last_global_administrator_stays, |app| {
    let w = world(&app).await;
    let megan = w.megan.to_string();
    let before = snapshot(&app).await;
    for function in ["identity_disable_user", "identity_delete_user"] {
        let refused = call(&app, function, &[("id", &megan)], Some(&w.global)).await;
        assert_eq!(refused.status, 409, "{function}: {}", refused.body);
        assert!(
            refused.body.contains("your own account"),
            "{}",
            refused.body
        );
    }
    let refused = call(
        &app,
        "identity_user_remove_role",
        &[("id", &megan), ("role", "global")],
        Some(&w.global),
    )
    .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.body.contains("at least one Global Administrator"),
        "{}",
        refused.body
    );
    assert_eq!(snapshot(&app).await, before);

    // Nora becomes Global too; then a disabled Megan leaves Nora the last one, whom nobody can
    // disable or delete (checked in the same transaction as the change).
    let nora = w.nora.to_string();
    let ok = call(
        &app,
        "identity_user_assign_role",
        &[("id", &nora), ("role", "global")],
        Some(&w.global),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let ok = call(
        &app,
        "identity_disable_user",
        &[("id", &megan)],
        Some(&w.nobody),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    // Megan re-enabled by Nora (a Global Administrator manages another one).
    let ok = call(
        &app,
        "identity_enable_user",
        &[("id", &megan)],
        Some(&w.nobody),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    // With Megan disabled (here by the database), Nora is the last enabled Global
    // Administrator: her role stays.
    app.exec(&format!(
        "UPDATE accounts SET disabled_at = 1 WHERE id = {}",
        w.megan
    ))
    .await;
    let refused = call(
        &app,
        "identity_user_remove_role",
        &[("id", &nora), ("role", "global")],
        Some(&w.nobody),
    )
    .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
});
