//! An organization's administrative roles and its audit log over HTTP: who reads them, who
//! changes them (a Global Administrator of the same organization only), refusals that change
//! nothing, the last Global Administrator, and every change in the organization's log.

mod changes;
mod matrix;

use crate::common::{TestApp, TestResponse};
use app::{audit::OrganizationAuditPage, auth::kinds::OrgRole, organizations::OrgRoles};

/// Contoso's administrators and people, Fabrikam's Global Administrator and a staff member,
/// each signed in (session cookies) — and the account ids a test names.
pub(super) struct World {
    pub contoso: i64,
    pub megan: i64,
    pub bill: i64,
    pub nora: i64,
    pub kim: i64,
    pub global: String,
    pub billing: String,
    pub user_admin: String,
    pub nobody: String,
    pub other_global: String,
    pub staff: String,
}

pub(super) async fn world(app: &TestApp) -> World {
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
pub(super) async fn snapshot(app: &TestApp) -> (i64, i64) {
    (
        app.count("SELECT COUNT(*) FROM organization_roles").await,
        app.count("SELECT COUNT(*) FROM audit_log").await,
    )
}

pub(super) async fn assign(
    app: &TestApp,
    cookie: Option<&str>,
    email: &str,
    role: &str,
) -> TestResponse {
    app.call(
        "assign_role",
        &[("email", email), ("role", role)],
        cookie,
        &[],
    )
    .await
}

pub(super) async fn remove(
    app: &TestApp,
    cookie: Option<&str>,
    account: i64,
    role: &str,
) -> TestResponse {
    let account = account.to_string();
    app.call(
        "remove_role",
        &[("account_id", account.as_str()), ("role", role)],
        cookie,
        &[],
    )
    .await
}

pub(super) async fn has_role(app: &TestApp, account: i64, role: &str) -> bool {
    app.count(&format!(
        "SELECT COUNT(*) FROM organization_roles WHERE account_id = {account} AND role = '{role}'"
    ))
    .await
        == 1
}
