//! Expiry, resend and revoke.

use super::*;

on_both_engines!(expired_resent_and_revoked_invitations, |app| {
    let deal = contoso(&app).await;
    let admin = register(&app, "sa@contoso.com").await;
    let invited = invite(
        &app,
        &admin,
        deal.workspace,
        "bob@contoso.com, carol@contoso.com",
        "member",
        false,
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    app.create_account("work", "bob@contoso.com", "Bob").await;
    let bob = app.signed_in("bob@contoso.com", "work").await;
    let old = app.token_for("bob@contoso.com").await;
    let bob_id = invitation_id(&app, deal.workspace, "bob@contoso.com").await;

    // Expired: refused.
    app.exec(&format!(
        "UPDATE invitations SET expires_at = 1000 WHERE id = {bob_id}"
    ))
    .await;
    let expired = accept(&app, &bob, &old).await;
    assert_eq!(expired.status, 409, "{}", expired.body);
    assert!(expired.body.contains("expired"), "{}", expired.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM memberships").await, 1);

    // Resent: a new link; the old one is unknown, the new one works.
    let (workspace, id) = (deal.workspace.to_string(), bob_id.to_string());
    let resent = app
        .call(
            "resend_invitation",
            &[("workspace_id", &workspace), ("invitation_id", &id)],
            Some(&admin),
            &[],
        )
        .await;
    assert_eq!(resent.status, 200, "{}", resent.body);
    let new = app.token_for("bob@contoso.com").await;
    assert_ne!(old, new);
    let stale = app
        .call("invitation_preview", &[("token", &old)], None, &[])
        .await;
    assert_eq!(stale.status, 404, "{}", stale.body);
    let preview = app
        .call("invitation_preview", &[("token", &new)], None, &[])
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert_eq!(json(&preview)["status"], "Open", "{}", preview.body);
    let accepted = accept(&app, &bob, &new).await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert!(membership_id(&app, deal.workspace, "bob@contoso.com").await > 0);
    assert_eq!(invitation_status(&app, bob_id).await, "accepted");

    // Revoked: the preview says so and accepting is refused.
    app.create_account("work", "carol@contoso.com", "Carol")
        .await;
    let carol = app.signed_in("carol@contoso.com", "work").await;
    let carol_token = app.token_for("carol@contoso.com").await;
    let carol_id = invitation_id(&app, deal.workspace, "carol@contoso.com")
        .await
        .to_string();
    let revoked = app
        .call(
            "revoke_invitation",
            &[("workspace_id", &workspace), ("invitation_id", &carol_id)],
            Some(&admin),
            &[],
        )
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.body);
    let preview = app
        .call("invitation_preview", &[("token", &carol_token)], None, &[])
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert_eq!(json(&preview)["status"], "Revoked", "{}", preview.body);
    let refused = accept(&app, &carol, &carol_token).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM memberships").await, 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE status = 'revoked'")
            .await,
        1
    );
});

// 6. The account-kind policy -----------------------------------------------------------------

on_both_engines!(personal_accounts_follow_the_workspace_policy, |app| {
    app.create_organization("Contoso", "contoso.com").await;
    app.create_organization("Fabrikam", "fabrikam.com").await;
    let unified = deal(
        &app,
        Terms {
            agreement_type: "unified",
            ..Terms::default()
        },
    )
    .await;
    let premier = deal(
        &app,
        Terms {
            organization: "Fabrikam",
            services_admins: &["sa@fabrikam.com"],
            ..Terms::default()
        },
    )
    .await;
    app.create_account("personal", "pat@example.net", "Pat")
        .await;
    let pat = app.signed_in("pat@example.net", "personal").await;

    // Premier: a personal account can be invited and accept.
    let fabrikam_admin = register(&app, "sa@fabrikam.com").await;
    let invited = invite(
        &app,
        &fabrikam_admin,
        premier.workspace,
        "pat@example.net",
        "member",
        false,
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    let token = app.token_for("pat@example.net").await;
    let accepted = accept(&app, &pat, &token).await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert!(membership_id(&app, premier.workspace, "pat@example.net").await > 0);

    // Unified: refused by the policy, nothing written.
    let contoso_admin = register(&app, "sa@contoso.com").await;
    let before = app.count("SELECT COUNT(*) FROM outbox").await;
    let refused = invite(
        &app,
        &contoso_admin,
        unified.workspace,
        "pat@example.net",
        "member",
        false,
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("\"emails\""), "{}", refused.body);
    assert!(
        refused.body.contains("Refused by the workspace's policy"),
        "{}",
        refused.body
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM invitations WHERE workspace_id = {}",
            unified.workspace
        ))
        .await,
        1,
        "only the Services Administrator's"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, before);
    // With a work address next to it, the report names the refused line.
    let mixed = invite(
        &app,
        &contoso_admin,
        unified.workspace,
        "pat@example.net; worker@contoso.com",
        "member",
        false,
    )
    .await;
    assert_eq!(mixed.status, 200, "{}", mixed.body);
    let report = json(&mixed);
    assert_eq!(report["invited"], 1, "{}", mixed.body);
    assert_eq!(
        report["lines"][0]["outcome"], "RefusedByPolicy",
        "{}",
        mixed.body
    );

    // The Services Administrator allows personal accounts: the invitation goes out and works.
    let workspace = unified.workspace.to_string();
    let allowed = app
        .call(
            "set_personal_policy",
            &[("workspace_id", &workspace), ("allow", "yes")],
            Some(&contoso_admin),
            &[],
        )
        .await;
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    assert_eq!(
        app.count(&format!(
            "SELECT allow_personal FROM workspaces WHERE id = {}",
            unified.workspace
        ))
        .await,
        1
    );
    let invited = invite(
        &app,
        &contoso_admin,
        unified.workspace,
        "pat@example.net",
        "member",
        false,
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    let token = app.token_for("pat@example.net").await;
    let accepted = accept(&app, &pat, &token).await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert!(membership_id(&app, unified.workspace, "pat@example.net").await > 0);
});

// 7. The support-contact limit ---------------------------------------------------------------

on_both_engines!(
    the_support_contact_limit_counts_pending_invitations,
    |app| {
        app.create_organization("Contoso", "contoso.com").await;
        let deal = deal(
            &app,
            Terms {
                support_contacts: &["sc@contoso.com"],
                contact_limit: Some("2"),
                ..Terms::default()
            },
        )
        .await;
        let admin = register(&app, "sa@contoso.com").await;
        invite_and_register(&app, &admin, deal.workspace, "m1@contoso.com").await;
        invite_and_register(&app, &admin, deal.workspace, "m2@contoso.com").await;
        let workspace = deal.workspace.to_string();
        let m1 = membership_id(&app, deal.workspace, "m1@contoso.com")
            .await
            .to_string();
        let m2 = membership_id(&app, deal.workspace, "m2@contoso.com")
            .await
            .to_string();
        let set = |membership: String, on: &'static str| {
            let (app, admin, workspace) = (app.clone(), admin.clone(), workspace.clone());
            async move {
                app.call(
                    "set_support_contact",
                    &[
                        ("workspace_id", workspace.as_str()),
                        ("membership_id", membership.as_str()),
                        ("on", on),
                    ],
                    Some(&admin),
                    &[],
                )
                .await
            }
        };
        // The pending invitation of sc@ holds one place; m1 takes the second.
        let first = set(m1.clone(), "on").await;
        assert_eq!(first.status, 200, "{}", first.body);
        let over = set(m2.clone(), "on").await;
        assert_eq!(over.status, 409, "{}", over.body);
        assert!(over.body.contains('2'), "{}", over.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM memberships WHERE support_contact = 1")
                .await,
            1
        );
        // An invitation carrying the privilege is refused too.
        let invited = invite(
            &app,
            &admin,
            deal.workspace,
            "m3@contoso.com",
            "member",
            true,
        )
        .await;
        assert_eq!(invited.status, 422, "{}", invited.body);
        assert!(invited.body.contains("limit of 2"), "{}", invited.body);
        // Turning m1 Off frees a place for m2.
        let off = set(m1, "off").await;
        assert_eq!(off.status, 200, "{}", off.body);
        let second = set(m2, "on").await;
        assert_eq!(second.status, 200, "{}", second.body);
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM memberships m JOIN accounts a ON a.id = m.account_id \
             WHERE m.support_contact = 1 AND a.email_canonical = 'm2@contoso.com'"
            )
            .await,
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM memberships WHERE support_contact = 1")
                .await,
            1
        );
    }
);

// 8. The duplicate check is exact ------------------------------------------------------------

on_both_engines!(duplicate_invitations_compare_whole_addresses, |app| {
    let deal = contoso(&app).await;
    let admin = register(&app, "sa@contoso.com").await;
    for address in ["alice@contoso.com", "ice@contoso.com"] {
        let response = invite(&app, &admin, deal.workspace, address, "member", false).await;
        assert_eq!(response.status, 200, "{address}: {}", response.body);
        assert_eq!(json(&response)["lines"][0]["outcome"], "Invited");
    }
    let again = invite(
        &app,
        &admin,
        deal.workspace,
        "Alice@CONTOSO.com",
        "member",
        false,
    )
    .await;
    assert_eq!(again.status, 422, "{}", again.body);
    assert!(again.body.contains("Already invited"), "{}", again.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE email_canonical = 'alice@contoso.com'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE email_canonical = 'ice@contoso.com'")
            .await,
        1
    );
});
