//! Authorization matrix.

use super::*;

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
