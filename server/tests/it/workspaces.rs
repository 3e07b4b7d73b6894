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

mod activation;
mod lifecycle;
mod manage_users;
mod matrix;
mod navigation;
mod probe;
