//! Agreements, workspaces, invitations and Manage Users over HTTP against the real router, on
//! SQLite and PostgreSQL.

use crate::common::{TestApp, TestResponse, PASSWORD};
use app::{
    auth::audit::Actor,
    workspaces::service::{self, AgreementInput},
};
use serde_json::Value;

const BASE_LINK: &str = "http://127.0.0.1:3000/invitations/accept?token=";

/// An activated agreement and its Default Workspace.
#[derive(Clone, Copy, Debug)]
struct Deal {
    agreement: i64,
    workspace: i64,
}

/// What an agreement names; the rest is left to the defaults.
struct Terms<'a> {
    organization: &'a str,
    agreement_type: &'a str,
    services_admins: &'a [&'a str],
    support_contacts: &'a [&'a str],
    csam: Option<&'a str>,
    contact_limit: Option<&'a str>,
}

impl Default for Terms<'_> {
    fn default() -> Self {
        Self {
            organization: "Contoso",
            agreement_type: "premier",
            services_admins: &["sa@contoso.com"],
            support_contacts: &[],
            csam: None,
            contact_limit: None,
        }
    }
}

async fn draft(app: &TestApp, terms: &Terms<'_>) -> i64 {
    service::create_agreement(
        &app.state,
        AgreementInput {
            organization: terms.organization,
            agreement_type: terms.agreement_type,
            services_admins: terms.services_admins.to_vec(),
            support_contacts: terms.support_contacts.to_vec(),
            csam: terms.csam,
            contact_limit: terms.contact_limit,
            ..AgreementInput::default()
        },
        Actor::CommandLine,
        "127.0.0.1",
    )
    .await
    .expect("agreement")
}

async fn deal(app: &TestApp, terms: Terms<'_>) -> Deal {
    let agreement = draft(app, &terms).await;
    let workspace = service::activate(&app.state, agreement, Actor::CommandLine, None, "127.0.0.1")
        .await
        .expect("activate");
    Deal {
        agreement,
        workspace,
    }
}

/// Contoso with a Premier agreement naming sa@contoso.com.
async fn contoso(app: &TestApp) -> Deal {
    app.create_organization("Contoso", "contoso.com").await;
    deal(app, Terms::default()).await
}

fn json(response: &TestResponse) -> Value {
    serde_json::from_str(&response.body).unwrap_or_else(|e| panic!("{e}: {}", response.body))
}

/// Registers from the newest invitation mailed to `email`; returns the session cookie.
async fn register(app: &TestApp, email: &str) -> String {
    let token = app.token_for(email).await;
    let response = app
        .call(
            "register_from_invitation",
            &[
                ("token", &token),
                ("display_name", "Invited Person"),
                ("password", PASSWORD),
            ],
            None,
            &[],
        )
        .await;
    assert_eq!(response.status, 200, "{email}: {}", response.body);
    response.session_cookie().expect("session cookie")
}

async fn accept(app: &TestApp, cookie: &str, token: &str) -> TestResponse {
    app.call("accept_invitation", &[("token", token)], Some(cookie), &[])
        .await
}

async fn invite(
    app: &TestApp,
    cookie: &str,
    workspace: i64,
    emails: &str,
    role: &str,
    support_contact: bool,
) -> TestResponse {
    let workspace = workspace.to_string();
    let mut form = vec![
        ("workspace_id", workspace.as_str()),
        ("emails", emails),
        ("role", role),
    ];
    if support_contact {
        form.push(("support_contact", "on"));
    }
    app.call("invite_users", &form, Some(cookie), &[]).await
}

/// Invites `email` as a Service User (as `admin`) and registers from the mail.
async fn invite_and_register(app: &TestApp, admin: &str, workspace: i64, email: &str) -> String {
    let invited = invite(app, admin, workspace, email, "member", false).await;
    assert_eq!(invited.status, 200, "{email}: {}", invited.body);
    register(app, email).await
}

async fn invitation_id(app: &TestApp, workspace: i64, email: &str) -> i64 {
    app.count(&format!(
        "SELECT MAX(id) FROM invitations WHERE workspace_id = {workspace} \
         AND email_canonical = '{email}'"
    ))
    .await
}

async fn membership_id(app: &TestApp, workspace: i64, email: &str) -> i64 {
    app.count(&format!(
        "SELECT m.id FROM memberships m JOIN accounts a ON a.id = m.account_id \
         WHERE m.workspace_id = {workspace} AND a.email_canonical = '{email}'"
    ))
    .await
}

async fn invitation_status(app: &TestApp, id: i64) -> String {
    use sqlx::Row;
    sqlx::query("SELECT status FROM invitations WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .expect("invitation")
        .try_get::<String, _>(0)
        .expect("status")
}

// 1. Activation ------------------------------------------------------------------------------

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

// 5. Expiry, resend and revoke ---------------------------------------------------------------

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

// 9. Manage Users' list ----------------------------------------------------------------------

async fn list(
    app: &TestApp,
    cookie: &str,
    workspace: i64,
    search: &str,
    sort: &str,
    descending: bool,
    page: i64,
) -> Value {
    let (workspace, page) = (workspace.to_string(), page.to_string());
    let response = app
        .call(
            "list_users",
            &[
                ("workspace_id", workspace.as_str()),
                ("search", search),
                ("sort", sort),
                ("descending", if descending { "true" } else { "false" }),
                ("page", page.as_str()),
            ],
            Some(cookie),
            &[],
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    json(&response)
}

fn emails(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["email"].as_str().expect("email").to_owned())
        .collect()
}

on_both_engines!(manage_users_lists_searches_sorts_and_pages, |app| {
    let deal = contoso(&app).await;
    let admin = register(&app, "sa@contoso.com").await;
    let addresses: Vec<String> = (1..=30)
        .map(|n| format!("user{n:02}@contoso.com"))
        .collect();
    let invited = invite(
        &app,
        &admin,
        deal.workspace,
        &addresses.join(", "),
        "member",
        false,
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    assert_eq!(json(&invited)["invited"], 30);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE status = 'pending'")
            .await,
        30
    );

    // Members and invitations together, sorted by email, descending.
    let first = list(&app, &admin, deal.workspace, "", "email", true, 1).await;
    assert_eq!(first["total"], 31, "{first}");
    assert_eq!(first["rows"].as_array().expect("rows").len(), 25);
    assert_eq!(emails(&first)[0], "user30@contoso.com");
    assert_eq!(emails(&first)[1], "user29@contoso.com");
    let second = list(&app, &admin, deal.workspace, "", "email", true, 2).await;
    assert_eq!(second["page"], 2);
    assert_eq!(
        emails(&second),
        vec![
            "user05@contoso.com",
            "user04@contoso.com",
            "user03@contoso.com",
            "user02@contoso.com",
            "user01@contoso.com",
            "sa@contoso.com",
        ]
    );
    let last = &second["rows"][5];
    assert_eq!(last["kind"], "Member", "{last}");
    assert_eq!(last["status"], "Registered", "{last}");
    assert_eq!(second["rows"][0]["kind"], "Invitation");
    assert_eq!(second["rows"][0]["status"], "Invited");
    // Past the last page answers the last page.
    let beyond = list(&app, &admin, deal.workspace, "", "email", true, 99).await;
    assert_eq!(beyond["page"], 2);

    // Search is case-insensitive; % is a character, not a wildcard.
    let found = list(&app, &admin, deal.workspace, "USER0", "email", false, 1).await;
    assert_eq!(found["total"], 9, "{found}");
    assert_eq!(emails(&found)[0], "user01@contoso.com");
    let percent = list(&app, &admin, deal.workspace, "%", "email", false, 1).await;
    assert_eq!(percent["total"], 0, "{percent}");
    app.exec(
        "UPDATE accounts SET display_name = '100% Sam' WHERE email_canonical = 'sa@contoso.com'",
    )
    .await;
    let literal = list(&app, &admin, deal.workspace, "0% s", "email", false, 1).await;
    assert_eq!(emails(&literal), vec!["sa@contoso.com"], "{literal}");
    let percent = list(&app, &admin, deal.workspace, "%", "email", false, 1).await;
    assert_eq!(emails(&percent), vec!["sa@contoso.com"], "{percent}");
    let underscore = list(&app, &admin, deal.workspace, "user_1", "email", false, 1).await;
    assert_eq!(underscore["total"], 0, "{underscore}");
    let member = list(&app, &admin, deal.workspace, "SA@", "name", false, 1).await;
    assert_eq!(emails(&member), vec!["sa@contoso.com"]);
});

// 10. Authorization matrix -------------------------------------------------------------------

/// Who calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    SignedOut,
    Operator,
    AssignedCsam,
    UnassignedCsam,
    ServicesAdmin,
    WorkspaceAdmin,
    SupportContact,
    Member,
    /// A member of Fabrikam's workspace only.
    OtherMember,
}

/// What the guard answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// 401
    Out,
    /// 404, exactly like a made-up id
    Hidden,
    /// 403
    Denied,
    /// 200
    Ok,
}
use Outcome::{Denied, Hidden, Ok as Allowed, Out};

const FUNCTIONS: [&str; 9] = [
    "workspace_home",
    "list_users",
    "invite_users",
    "resend_invitation",
    "revoke_invitation",
    "set_support_contact",
    "set_workspace_admin",
    "remove_member",
    "set_personal_policy",
];

/// (caller, in Contoso's workspace: workspace_home, the manage functions; in Fabrikam's: the same)
const MATRIX: [(Who, [Outcome; 2], [Outcome; 2]); 9] = [
    (Who::SignedOut, [Out, Out], [Out, Out]),
    (Who::Operator, [Hidden, Hidden], [Hidden, Hidden]),
    (Who::AssignedCsam, [Allowed, Denied], [Hidden, Hidden]),
    (Who::UnassignedCsam, [Hidden, Hidden], [Hidden, Hidden]),
    (Who::ServicesAdmin, [Allowed, Allowed], [Hidden, Hidden]),
    (Who::WorkspaceAdmin, [Allowed, Allowed], [Hidden, Hidden]),
    (Who::SupportContact, [Allowed, Denied], [Hidden, Hidden]),
    (Who::Member, [Allowed, Denied], [Hidden, Hidden]),
    (Who::OtherMember, [Hidden, Hidden], [Allowed, Denied]),
];

/// A workspace id nobody has.
const MISSING: i64 = 999_999;

struct World {
    contoso: Deal,
    fabrikam: Deal,
    cookies: Vec<(Who, Option<String>)>,
}

async fn world(app: &TestApp) -> World {
    app.create_organization("Contoso", "contoso.com").await;
    app.create_organization("Fabrikam", "fabrikam.com").await;
    app.create_staff("operator@provider.example", "operator")
        .await;
    app.create_staff("csam@provider.example", "csam").await;
    app.create_staff("csam2@provider.example", "csam").await;
    let contoso = deal(
        app,
        Terms {
            support_contacts: &["sc@contoso.com"],
            csam: Some("csam@provider.example"),
            contact_limit: Some("50"),
            ..Terms::default()
        },
    )
    .await;
    let fabrikam = deal(
        app,
        Terms {
            organization: "Fabrikam",
            services_admins: &["sa@fabrikam.com"],
            contact_limit: Some("50"),
            ..Terms::default()
        },
    )
    .await;
    let sa = register(app, "sa@contoso.com").await;
    register(app, "sc@contoso.com").await;
    let invited = invite(
        app,
        &sa,
        contoso.workspace,
        "wa@contoso.com",
        "workspace_admin",
        false,
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    register(app, "wa@contoso.com").await;
    invite_and_register(app, &sa, contoso.workspace, "member@contoso.com").await;
    let fabrikam_sa = register(app, "sa@fabrikam.com").await;
    invite_and_register(app, &fabrikam_sa, fabrikam.workspace, "member@fabrikam.com").await;
    // Targets in both workspaces for the calls that need one.
    for (deal, admin, domain) in [
        (contoso, &sa, "contoso.com"),
        (fabrikam, &fabrikam_sa, "fabrikam.com"),
    ] {
        let target = format!("target@{domain}");
        let response = invite(app, admin, deal.workspace, &target, "member", false).await;
        assert_eq!(response.status, 200, "{}", response.body);
    }
    let mut cookies = vec![(Who::SignedOut, None)];
    for (who, email) in [
        (Who::Operator, "operator@provider.example"),
        (Who::AssignedCsam, "csam@provider.example"),
        (Who::UnassignedCsam, "csam2@provider.example"),
        (Who::ServicesAdmin, "sa@contoso.com"),
        (Who::WorkspaceAdmin, "wa@contoso.com"),
        (Who::SupportContact, "sc@contoso.com"),
        (Who::Member, "member@contoso.com"),
        (Who::OtherMember, "member@fabrikam.com"),
    ] {
        cookies.push((who, Some(app.signed_in(email, "work").await)));
    }
    World {
        contoso,
        fabrikam,
        cookies,
    }
}

/// A throwaway member of `workspace` (for remove_member and the flags).
async fn throwaway_member(app: &TestApp, workspace: i64, n: usize) -> i64 {
    if workspace == MISSING {
        return 1;
    }
    let email = format!("throwaway{n}-{workspace}@example.org");
    let account = app
        .count(&format!(
            "INSERT INTO accounts (kind, email, email_canonical, display_name, password_hash, \
             created_at, updated_at) VALUES ('work', '{email}', '{email}', 'Throwaway', 'x', 0, 0) \
             RETURNING id"
        ))
        .await;
    app.count(&format!(
        "INSERT INTO memberships (workspace_id, account_id, created_at, updated_at) \
         VALUES ({workspace}, {account}, 0, 0) RETURNING id"
    ))
    .await
}

/// A throwaway pending invitation in `workspace` (for revoke_invitation).
async fn throwaway_invitation(app: &TestApp, workspace: i64, n: usize) -> i64 {
    if workspace == MISSING {
        return 1;
    }
    let email = format!("pending{n}-{workspace}@example.org");
    app.count(&format!(
        "INSERT INTO invitations (workspace_id, email, email_canonical, role, token_hash, status, \
         expires_at, created_at, updated_at) VALUES ({workspace}, '{email}', '{email}', 'member', \
         'hash-{n}-{workspace}', 'pending', 99999999999, 0, 0) RETURNING id"
    ))
    .await
}

/// The form of one call, with a fresh target where the call consumes one.
async fn form_for(
    app: &TestApp,
    function: &str,
    workspace: i64,
    n: usize,
) -> Vec<(String, String)> {
    let mut form = vec![("workspace_id".to_owned(), workspace.to_string())];
    let mut add = |k: &str, v: String| form.push((k.to_owned(), v));
    match function {
        "list_users" => {
            add("search", String::new());
            add("sort", "name".to_owned());
            add("descending", "false".to_owned());
            add("page", "1".to_owned());
        }
        "invite_users" => {
            add("emails", format!("new{n}@contoso.com"));
            add("role", "member".to_owned());
        }
        "resend_invitation" => {
            let id = app
                .count(&format!(
                    "SELECT COALESCE(MAX(id), 0) FROM invitations WHERE workspace_id = {workspace} \
                     AND email_canonical LIKE 'target@%'"
                ))
                .await;
            add("invitation_id", id.to_string());
        }
        "revoke_invitation" => {
            add(
                "invitation_id",
                throwaway_invitation(app, workspace, n).await.to_string(),
            );
        }
        "set_support_contact" | "set_workspace_admin" => {
            add(
                "membership_id",
                throwaway_member(app, workspace, n).await.to_string(),
            );
            add("on", "off".to_owned());
        }
        "remove_member" => {
            add(
                "membership_id",
                throwaway_member(app, workspace, n).await.to_string(),
            );
        }
        "set_personal_policy" => add("allow", "yes".to_owned()),
        _ => {}
    }
    form
}

on_both_engines!(authorization_matrix, |app| {
    let world = world(&app).await;
    let mut n = 0;
    let mut failures = Vec::new();
    for (who, cookie) in &world.cookies {
        let (_, contoso_expected, fabrikam_expected) = MATRIX
            .iter()
            .find(|(w, _, _)| w == who)
            .expect("a row for every caller");
        for (workspace, expected) in [
            (world.contoso.workspace, contoso_expected),
            (world.fabrikam.workspace, fabrikam_expected),
            (MISSING, &[Hidden, Hidden]),
        ] {
            for function in FUNCTIONS {
                n += 1;
                let expected = match (expected, *who) {
                    (_, Who::SignedOut) => Out,
                    ([home, _], _) if function == "workspace_home" => *home,
                    ([_, manage], _) => *manage,
                };
                let form = form_for(&app, function, workspace, n).await;
                let form: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let response = app.call(function, &form, cookie.as_deref(), &[]).await;
                let status = match expected {
                    Out => 401,
                    Hidden => 404,
                    Denied => 403,
                    Allowed => 200,
                };
                // A hidden workspace answers exactly like a made-up one.
                let body_ok = expected != Hidden || response.body == "\"NotFound\"";
                if response.status != status || !body_ok {
                    failures.push(format!(
                        "{who:?} {function} in {workspace}: expected {status}, got {} {}",
                        response.status, response.body
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Nothing the refused callers tried reached the database: only the allowed calls wrote.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM invitations WHERE email_canonical LIKE 'new%' \
             AND workspace_id = {}",
            world.contoso.workspace
        ))
        .await,
        2,
        "one invitation each from the Services and the Workspace Administrator"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM invitations WHERE email_canonical LIKE 'new%' \
             AND workspace_id <> {}",
            world.contoso.workspace
        ))
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invitations WHERE status = 'revoked'")
            .await,
        2
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'member.remove' AND workspace_id = {}",
            world.contoso.workspace
        ))
        .await,
        2
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'member.%' AND workspace_id = {}",
            world.fabrikam.workspace
        ))
        .await,
        0
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM invitations WHERE status = 'pending' AND workspace_id = {}",
            world.fabrikam.workspace
        ))
        .await,
        app.count(&format!(
            "SELECT COUNT(*) FROM invitations WHERE email_canonical LIKE 'pending%' \
             AND workspace_id = {}",
            world.fabrikam.workspace
        ))
        .await
            + 1,
        "Fabrikam's invitations are all still open"
    );
});

on_both_engines!(
    personal_sign_in_refused_where_every_workspace_refuses_them,
    |app| {
        app.create_organization("Contoso", "contoso.com").await;
        let unified = deal(
            &app,
            Terms {
                agreement_type: "unified",
                ..Terms::default()
            },
        )
        .await;
        let pat = app
            .create_account("personal", "pat@example.net", "Pat Personal")
            .await;
        // No workspace yet: a personal account signs in (it may have an invitation to accept).
        assert_eq!(
            app.sign_in("pat@example.net", "personal", PASSWORD)
                .await
                .status,
            200
        );
        // A member of the Unified workspace while it allowed personal accounts …
        app.exec(&format!(
            "UPDATE workspaces SET allow_personal = 1 WHERE id = {}",
            unified.workspace
        ))
        .await;
        app.exec(&format!(
        "INSERT INTO memberships (workspace_id, account_id, created_at, updated_at) VALUES ({}, {pat}, 0, 0)",
        unified.workspace
    ))
    .await;
        assert_eq!(
            app.sign_in("pat@example.net", "personal", PASSWORD)
                .await
                .status,
            200
        );
        // … and no longer: refused, with the seed's words, after the right password only.
        app.exec(&format!(
            "UPDATE workspaces SET allow_personal = 0 WHERE id = {}",
            unified.workspace
        ))
        .await;
        let refused = app.sign_in("pat@example.net", "personal", PASSWORD).await;
        assert_eq!(refused.status, 403, "{}", refused.body);
        assert!(
            refused
                .body
                .contains("does not support sign in via personal accounts"),
            "{}",
            refused.body
        );
        assert!(refused.session_cookie().is_none());
        let wrong = app
            .sign_in("pat@example.net", "personal", "wrong password!")
            .await;
        assert_eq!(wrong.status, 422, "{}", wrong.body);
        // An invitation link still lets them sign in to accept it.
        let to_accept = app
            .call(
                "sign_in",
                &[
                    ("identifier", "pat@example.net"),
                    ("kind", "personal"),
                    ("password", PASSWORD),
                    ("next", "/invitations/accept?token=abc"),
                ],
                None,
                &[],
            )
            .await;
        assert_eq!(to_accept.status, 200, "{}", to_accept.body);
        // Opening the workspace names the policy.
        let cookie = to_accept.session_cookie().expect("cookie");
        let home = app
            .call(
                "workspace_home",
                &[("workspace_id", &unified.workspace.to_string())],
                Some(&cookie),
                &[],
            )
            .await;
        assert_eq!(home.status, 403, "{}", home.body);
        assert!(
            home.body.contains("does not accept personal accounts"),
            "{}",
            home.body
        );
    }
);

// 9. Issue 9: what an outside probe found ------------------------------------------------------

/// Every value of every row of `table`, as text.
async fn every_value(app: &TestApp, table: &str) -> Vec<String> {
    use sqlx::{Column, Row};
    let rows = sqlx::query(&format!("SELECT * FROM {table}"))
        .fetch_all(app.state.db.pool())
        .await
        .expect("rows");
    let mut values = Vec::new();
    for row in &rows {
        for column in row.columns() {
            let i = column.ordinal();
            if let Ok(Some(text)) = row.try_get::<Option<String>, _>(i) {
                values.push(text);
            } else if let Ok(Some(n)) = row.try_get::<Option<i64>, _>(i) {
                values.push(n.to_string());
            }
        }
    }
    values
}

on_both_engines!(no_string_in_the_database_opens_an_invitation, |app| {
    let deal = contoso(&app).await;
    let admin = register(&app, "sa@contoso.com").await;
    let invited = invite(
        &app,
        &admin,
        deal.workspace,
        "bob@contoso.com",
        "member",
        false,
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    // The mail that left carries a link that opens the invitation…
    let token = app.token_for("bob@contoso.com").await;
    let preview = app
        .call("invitation_preview", &[("token", &token)], None, &[])
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE to_address = 'bob@contoso.com' AND sent_at IS NOT NULL")
            .await,
        1
    );
    // …and nothing the database holds does: not the token, not any token-shaped run of
    // characters, not any whole value, in the outbox or the invitations.
    let mut candidates = std::collections::BTreeSet::new();
    for table in ["outbox", "invitations"] {
        for value in every_value(&app, table).await {
            assert!(!value.contains(&token), "{table} holds the token: {value}");
            for run in value.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')) {
                if run.len() >= 16 {
                    candidates.insert(run.to_owned());
                }
            }
            candidates.insert(value);
        }
    }
    assert!(candidates.len() > 10, "{candidates:?}");
    for candidate in &candidates {
        let opened = app
            .call("invitation_preview", &[("token", candidate)], None, &[])
            .await;
        assert_ne!(opened.status, 200, "{candidate:?} opens an invitation");
    }
    // The mail text the outbox keeps still says where the link goes, without its token.
    let stored = app.latest_mail("bob@contoso.com").await;
    assert!(stored.contains(BASE_LINK), "{stored}");
});

on_both_engines!(an_older_queued_mail_cannot_undo_a_resend, |app| {
    let deal = contoso(&app).await;
    let admin = register(&app, "sa@contoso.com").await;
    let invited = invite(
        &app,
        &admin,
        deal.workspace,
        "bob@contoso.com",
        "member",
        false,
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    // Sent again before the first mail left: only the second one goes out, and it works.
    let id = invitation_id(&app, deal.workspace, "bob@contoso.com")
        .await
        .to_string();
    let workspace = deal.workspace.to_string();
    let resent = app
        .call(
            "resend_invitation",
            &[("workspace_id", &workspace), ("invitation_id", &id)],
            Some(&admin),
            &[],
        )
        .await;
    assert_eq!(resent.status, 200, "{}", resent.body);
    let token = app.token_for("bob@contoso.com").await;
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE to_address = 'bob@contoso.com' \
             AND sent_at IS NULL AND last_error IS NOT NULL"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE to_address = 'bob@contoso.com' AND sent_at IS NOT NULL")
            .await,
        1
    );
    let preview = app
        .call("invitation_preview", &[("token", &token)], None, &[])
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
});

on_both_engines!(
    invitations_draw_on_a_daily_budget_of_addresses,
    config = |config| config.invitations_per_day = 5,
    |app| {
        let deal = contoso(&app).await;
        let admin = register(&app, "sa@contoso.com").await;
        // One request of six addresses is over the budget of five: refused at the field, and
        // nothing is written.
        let before = app.count("SELECT COUNT(*) FROM invitations").await;
        let six = "a@contoso.com, b@contoso.com, c@contoso.com, d@contoso.com, e@contoso.com, f@contoso.com";
        let refused = invite(&app, &admin, deal.workspace, six, "member", false).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(
            refused.body.contains("can send 5 more invitations today"),
            "{}",
            refused.body
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, before);
        // Four pass; a resend draws one more; then two addresses are one too many.
        let four = "a@contoso.com, b@contoso.com, c@contoso.com, d@contoso.com";
        let sent = invite(&app, &admin, deal.workspace, four, "member", false).await;
        assert_eq!(sent.status, 200, "{}", sent.body);
        let id = invitation_id(&app, deal.workspace, "a@contoso.com")
            .await
            .to_string();
        let workspace = deal.workspace.to_string();
        let resend = |app: TestApp| {
            let (admin, workspace, id) = (admin.clone(), workspace.clone(), id.clone());
            async move {
                app.call(
                    "resend_invitation",
                    &[("workspace_id", &workspace), ("invitation_id", &id)],
                    Some(&admin),
                    &[],
                )
                .await
            }
        };
        assert_eq!(resend(app.clone()).await.status, 200);
        let two = invite(
            &app,
            &admin,
            deal.workspace,
            "e@contoso.com, f@contoso.com",
            "member",
            false,
        )
        .await;
        assert_eq!(two.status, 422, "{}", two.body);
        assert!(
            two.body.contains("can send 0 more invitations today"),
            "{}",
            two.body
        );
        let again = resend(app.clone()).await;
        assert_eq!(again.status, 409, "{}", again.body);
        assert!(
            again.body.contains("0 more invitations today"),
            "{}",
            again.body
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM invitations").await,
            before + 4
        );
        // Another workspace has a budget of its own.
        let other = self::deal(
            &app,
            Terms {
                services_admins: &["sa2@contoso.com"],
                ..Terms::default()
            },
        )
        .await;
        let admin2 = register(&app, "sa2@contoso.com").await;
        let there = invite(
            &app,
            &admin2,
            other.workspace,
            "e@contoso.com",
            "member",
            false,
        )
        .await;
        assert_eq!(there.status, 200, "{}", there.body);
    }
);
