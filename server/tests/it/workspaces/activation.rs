//! Activation.

use super::*;

on_both_engines!(
    activation_creates_the_default_workspace_and_one_invitation_per_address,
    |app| {
        app.create_organization("Contoso", "contoso.com").await;
        let agreement = draft(
            &app,
            &Terms {
                support_contacts: &["sa@contoso.com", "sc@contoso.com"],
                ..Terms::default()
            },
        )
        .await;
        let workspace =
            service::activate(&app.state, agreement, Actor::CommandLine, None, "127.0.0.1")
                .await
                .expect("activate");
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM workspaces WHERE agreement_id = {agreement} \
             AND is_default = 1 AND name = 'Default Workspace'"
            ))
            .await,
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM workspaces").await,
            1,
            "one workspace only"
        );
        // The Services Administrator who is also a support contact has one invitation with both.
        assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 2);
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM invitations WHERE email_canonical = 'sa@contoso.com' \
             AND role = 'services_admin' AND support_contact = 1 AND status = 'pending'"
            )
            .await,
            1
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM invitations WHERE email_canonical = 'sc@contoso.com' \
             AND role = 'member' AND support_contact = 1"
            )
            .await,
            1
        );
        // One mail per invitation, naming the workspace, not forwardable, linking to the base URL.
        assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 2);
        for address in ["sa@contoso.com", "sc@contoso.com"] {
            assert_eq!(
                app.count(&format!(
                    "SELECT COUNT(*) FROM outbox WHERE to_address = '{address}'"
                ))
                .await,
                1
            );
            let body = app.latest_mail(address).await;
            assert!(body.contains("\"Default Workspace\""), "{body}");
            assert!(body.contains("cannot be forwarded"), "{body}");
            assert!(body.contains(BASE_LINK), "{body}");
        }
        // Activating again is refused and writes nothing.
        let again = service::activate(&app.state, agreement, Actor::CommandLine, None, "127.0.0.1")
            .await
            .expect_err("second activation");
        assert_eq!(again.status(), 409, "{again:?}");
        assert_eq!(app.count("SELECT COUNT(*) FROM workspaces").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 2);
        assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 2);

        // A resend builds its link from the configured base URL, never from the Host header.
        let admin = register(&app, "sa@contoso.com").await;
        let id = invitation_id(&app, workspace, "sc@contoso.com").await;
        let (workspace_s, id_s) = (workspace.to_string(), id.to_string());
        let resent = app
            .call(
                "resend_invitation",
                &[("workspace_id", &workspace_s), ("invitation_id", &id_s)],
                Some(&admin),
                &[("host", "evil.example")],
            )
            .await;
        assert_eq!(resent.status, 200, "{}", resent.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM outbox WHERE to_address = 'sc@contoso.com'")
                .await,
            2
        );
        let body = app.latest_mail("sc@contoso.com").await;
        assert!(body.contains(BASE_LINK), "{body}");
        assert!(!body.contains("evil.example"), "{body}");
    }
);

// 2. Registration from the link ----------------------------------------------------------------

on_both_engines!(
    registration_from_the_link_creates_the_account_and_membership,
    |app| {
        let deal = contoso(&app).await;
        let token = app.token_for("sa@contoso.com").await;
        // A weak password is refused at its field and nothing is written.
        let weak = app
            .call(
                "register_from_invitation",
                &[
                    ("token", &token),
                    ("display_name", "Sam Admin"),
                    ("password", "short"),
                ],
                None,
                &[],
            )
            .await;
        assert_eq!(weak.status, 422, "{}", weak.body);
        assert!(weak.body.contains("\"password\""), "{}", weak.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM accounts WHERE email_canonical = 'sa@contoso.com'")
                .await,
            0
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM memberships").await, 0);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM invitations WHERE status = 'pending'")
                .await,
            1
        );

        let response = app
            .call(
                "register_from_invitation",
                &[
                    ("token", &token),
                    ("display_name", "Sam Admin"),
                    ("password", PASSWORD),
                    // Not a parameter: the address comes from the invitation, never the form.
                    ("email", "mallory@evil.example"),
                ],
                None,
                &[],
            )
            .await;
        assert_eq!(response.status, 200, "{}", response.body);
        let cookie = response.session_cookie().expect("a session starts");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM accounts a JOIN organizations o ON o.id = a.organization_id \
             WHERE a.email_canonical = 'sa@contoso.com' AND a.kind = 'work' AND o.name = 'Contoso'"
            )
            .await,
            1
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM accounts").await, 1);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM accounts WHERE email_canonical LIKE '%evil%'")
                .await,
            0
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM memberships m JOIN accounts a ON a.id = m.account_id \
             WHERE m.workspace_id = {} AND a.email_canonical = 'sa@contoso.com'",
                deal.workspace
            ))
            .await,
            1
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM agreement_admins WHERE agreement_id = {}",
                deal.agreement
            ))
            .await,
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM invitations WHERE status = 'accepted'")
                .await,
            1
        );
        // The new account is recorded as creating itself (it has no id before it exists).
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'account.create' \
                 AND actor_account_id IS NULL AND actor_label = 'Sam Admin'"
            )
            .await,
            1
        );
        // The session works and the link is used up.
        let workspace = deal.workspace.to_string();
        let home = app
            .call(
                "workspace_home",
                &[("workspace_id", &workspace)],
                Some(&cookie),
                &[],
            )
            .await;
        assert_eq!(home.status, 200, "{}", home.body);
        assert!(
            home.body.contains("Services Administrator"),
            "{}",
            home.body
        );
        let again = app
            .call(
                "register_from_invitation",
                &[
                    ("token", &token),
                    ("display_name", "Someone Else"),
                    ("password", PASSWORD),
                ],
                None,
                &[],
            )
            .await;
        assert_eq!(again.status, 409, "{}", again.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM accounts").await, 1);
    }
);

// 3. A forwarded link ------------------------------------------------------------------------

on_both_engines!(a_forwarded_link_is_refused_for_another_account, |app| {
    app.create_organization("Contoso", "contoso.com").await;
    let deal = deal(
        &app,
        Terms {
            support_contacts: &["sc@contoso.com"],
            ..Terms::default()
        },
    )
    .await;
    app.create_account("work", "mallory@contoso.com", "Mallory")
        .await;
    let mallory = app.signed_in("mallory@contoso.com", "work").await;
    let token = app.token_for("sc@contoso.com").await;
    let response = accept(&app, &mallory, &token).await;
    assert_eq!(response.status, 403, "{}", response.body);
    assert!(
        response.body.contains("sc@contoso.com"),
        "{}",
        response.body
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM memberships").await, 0);
    let id = invitation_id(&app, deal.workspace, "sc@contoso.com").await;
    assert_eq!(invitation_status(&app, id).await, "pending");
});

// 4. Single use under parallel accepts ---------------------------------------------------------

on_both_engines!(parallel_accepts_consume_the_invitation_once, |app| {
    let deal = contoso(&app).await;
    app.create_account("work", "sa@contoso.com", "Sam Admin")
        .await;
    let cookie = app.signed_in("sa@contoso.com", "work").await;
    let token = app.token_for("sa@contoso.com").await;
    let calls = (0..10).map(|_| accept(&app, &cookie, &token));
    let responses = futures::future::join_all(calls).await;
    let ok = responses.iter().filter(|r| r.status == 200).count();
    let conflicts = responses.iter().filter(|r| r.status == 409).count();
    let statuses: Vec<u16> = responses.iter().map(|r| r.status).collect();
    assert_eq!((ok, conflicts), (1, 9), "{statuses:?}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM memberships WHERE workspace_id = {}",
            deal.workspace
        ))
        .await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM agreement_admins").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'invitation.accept'")
            .await,
        1
    );
});
