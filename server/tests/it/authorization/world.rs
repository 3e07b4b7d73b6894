//! The world every cell runs in: three workspaces, fifteen roles, a fresh case and group per cell.

use super::*;

pub(super) fn json(response: &TestResponse) -> Value {
    serde_json::from_str(&response.body).unwrap_or_else(|e| panic!("{e}: {}", response.body))
}

/// An active agreement and its Default Workspace.
pub(super) async fn agreement(
    app: &TestApp,
    organization: &str,
    admin: &str,
    csam: &str,
    ac: Option<&str>,
) -> (i64, i64) {
    let agreement = service::create_agreement(
        &app.state,
        AgreementInput {
            organization,
            agreement_type: "premier",
            services_admins: vec![admin],
            csam: Some(csam),
            ac,
            contact_limit: Some("50"),
            ..AgreementInput::default()
        },
        Actor::CommandLine,
        "127.0.0.1",
    )
    .await
    .expect("agreement");
    let workspace = service::activate(&app.state, agreement, Actor::CommandLine, None, "127.0.0.1")
        .await
        .expect("activate");
    (agreement, workspace)
}

/// Makes `account` a member of `workspace` (`flags`: "admin", "contact", "view_all").
pub(super) async fn member(app: &TestApp, workspace: i64, account: i64, flags: &[&str]) {
    let flag = |f: &str| i64::from(flags.contains(&f));
    let now = app::state::now();
    app.exec(&format!(
        "INSERT INTO memberships (workspace_id, account_id, is_admin, support_contact, \
         view_all_cases, created_at, updated_at) \
         VALUES ({workspace}, {account}, {}, {}, {}, {now}, {now})",
        flag("admin"),
        flag("contact"),
        flag("view_all")
    ))
    .await;
}

pub(super) async fn rename(app: &TestApp, workspace: i64, name: &str) {
    app.exec(&format!(
        "UPDATE workspaces SET name = '{name}', name_canonical = '{}' WHERE id = {workspace}",
        name.to_lowercase()
    ))
    .await;
}

pub(super) struct World {
    pub(super) a: i64,
    pub(super) finance: i64,
    pub(super) fabrikam: i64,
    /// A group of Finance (holding its member): never usable for A's cases.
    pub(super) finance_group: i64,
    pub(super) cookies: HashMap<Role, String>,
    pub(super) accounts: HashMap<Role, i64>,
    /// The body of a 404 for a case id that does not exist (every hidden case answers this).
    pub(super) not_found: String,
    pub(super) today: String,
}

impl World {
    pub(super) fn cookie(&self, role: Role) -> Option<&str> {
        self.cookies.get(&role).map(String::as_str)
    }

    pub(super) fn account(&self, role: Role) -> i64 {
        self.accounts[&role]
    }

    /// The workspace a role names for `Target::Own`: another workspace it has a part in
    /// (Finance, where the customers of A hold the same standing), or Finance for those with
    /// none.
    pub(super) fn own(&self, role: Role) -> i64 {
        match role {
            UnassignedCsam | OtherTenantMember => self.fabrikam,
            _ => self.finance,
        }
    }

    /// Every workspace the role may open ("All Workspaces").
    pub(super) fn workspaces_of(&self, role: Role) -> Vec<i64> {
        match role {
            Anonymous | Operator => vec![],
            UnassignedCsam | OtherTenantMember => vec![self.fabrikam],
            OtherWorkspaceMember | FormerMember => vec![self.finance],
            _ => vec![self.a, self.finance],
        }
    }

    pub(super) fn is_staff_of(&self, role: Role, workspace: i64) -> bool {
        match role {
            Csam | Ac => workspace == self.a || workspace == self.finance,
            UnassignedCsam => workspace == self.fabrikam,
            _ => false,
        }
    }

    /// The role reads the workspace's audit log (its administrators, the agreement's staff).
    pub(super) fn reads_audit(&self, role: Role, workspace: i64) -> bool {
        self.is_staff_of(role, workspace)
            || match role {
                WorkspaceAdmin | ServicesAdmin => workspace == self.a || workspace == self.finance,
                OtherWorkspaceMember => workspace == self.finance,
                OtherTenantMember => workspace == self.fabrikam,
                _ => false,
            }
    }

    /// Checks that what Customer Activity or its export shows of the audit log is what the role
    /// may read elsewhere: each workspace's invitee exactly where the role reads its audit log.
    pub(super) fn check_audit_subset(
        &self,
        role: Role,
        target: Target,
        shown: &str,
    ) -> Result<(), String> {
        let allowed = self.allowed(role, target);
        for (i, workspace) in [self.a, self.finance, self.fabrikam]
            .into_iter()
            .enumerate()
        {
            let readable = allowed.contains(&workspace) && self.reads_audit(role, workspace);
            ensure!(
                shown.contains(SETUP_INVITEES[i]) == readable,
                "the invitation of {} is {} what {role:?} is shown",
                SETUP_INVITEES[i],
                if readable { "missing from" } else { "in" }
            );
        }
        Ok(())
    }

    /// The role sees every case of the workspace (administrators, "View all", staff).
    pub(super) fn sees_all(&self, role: Role, workspace: i64) -> bool {
        self.is_staff_of(role, workspace)
            || match role {
                ViewAll | WorkspaceAdmin | ServicesAdmin => {
                    workspace == self.a || workspace == self.finance
                }
                OtherWorkspaceMember => workspace == self.finance,
                OtherTenantMember => workspace == self.fabrikam,
                _ => false,
            }
    }

    pub(super) fn name_of(&self, workspace: i64) -> &'static str {
        let index = [self.a, self.finance, self.fabrikam]
            .iter()
            .position(|w| *w == workspace)
            .expect("a known workspace");
        NAMES[index]
    }

    /// The workspace a call names.
    pub(super) fn workspace(&self, role: Role, target: Target) -> i64 {
        match target {
            A | Missing => self.a,
            Own => self.own(role),
            All => panic!("a workspace id, not \"all\""),
        }
    }

    /// The workspaces a Customer Activity call may show.
    pub(super) fn allowed(&self, role: Role, target: Target) -> Vec<i64> {
        match target {
            All => self.workspaces_of(role),
            _ => vec![self.workspace(role, target)],
        }
    }
}

pub(super) async fn call(
    app: &TestApp,
    function: &str,
    cookie: Option<&str>,
    form: &[(&str, String)],
) -> TestResponse {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call(function, &form, cookie, &[]).await
}

pub(super) async fn world(app: &TestApp) -> World {
    app.create_organization("Contoso", "contoso.com").await;
    app.create_organization("Fabrikam", "fabrikam.com").await;
    let mut accounts = HashMap::new();
    for (role, email, kind) in [
        (Csam, "csam@provider.example", "csam"),
        (Ac, "ac@provider.example", "ac"),
        (UnassignedCsam, "csam2@provider.example", "csam"),
        (Operator, "operator@provider.example", "operator"),
    ] {
        accounts.insert(role, app.create_staff(email, kind).await);
    }
    let (contoso, a) = agreement(
        app,
        "Contoso",
        "sa@contoso.com",
        "csam@provider.example",
        Some("ac@provider.example"),
    )
    .await;
    let (_, fabrikam) = agreement(
        app,
        "Fabrikam",
        "sa@fabrikam.com",
        "csam2@provider.example",
        None,
    )
    .await;
    let finance = app
        .count(&format!(
            "INSERT INTO workspaces (agreement_id, name, name_canonical, is_default, \
             allow_personal, created_at, updated_at) \
             VALUES ({contoso}, 'Finance', 'finance', 0, 1, 0, 0) RETURNING id"
        ))
        .await;
    rename(app, a, NAMES[0]).await;
    rename(app, fabrikam, NAMES[2]).await;
    let sa = app
        .create_account("work", "sa@contoso.com", "Services Admin")
        .await;
    app.exec(&format!(
        "INSERT INTO agreement_admins (agreement_id, account_id, created_at) \
         VALUES ({contoso}, {sa}, 0)"
    ))
    .await;
    accounts.insert(ServicesAdmin, sa);
    // The customers of A hold the same standing in Finance, so that naming Finance with A's
    // case id passes the workspace guard and only the case's own workspace can refuse it.
    for (role, email, name, flags) in [
        (Opener, "sc@contoso.com", "Opener Person", &["contact"][..]),
        (
            OtherContact,
            "sc2@contoso.com",
            "Second Contact",
            &["contact"][..],
        ),
        (SharedMember, "shared@contoso.com", "Shared Member", &[][..]),
        (
            UnsharedMember,
            "unshared@contoso.com",
            "Unshared Member",
            &[][..],
        ),
        (
            ViewAll,
            "viewer@contoso.com",
            "Viewing Member",
            &["view_all"][..],
        ),
        (
            WorkspaceAdmin,
            "wa@contoso.com",
            "Workspace Admin",
            &["admin"][..],
        ),
        (FormerMember, "former@contoso.com", "Former Member", &[][..]),
    ] {
        let account = app.create_account("work", email, name).await;
        member(app, a, account, flags).await;
        member(app, finance, account, flags).await;
        accounts.insert(role, account);
    }
    // The former member has left A (each new case is shared with them just before).
    app.exec(&format!(
        "DELETE FROM memberships WHERE workspace_id = {a} AND account_id = {}",
        accounts[&FormerMember]
    ))
    .await;
    let fin = app
        .create_account("work", "fin@contoso.com", "Finance Person")
        .await;
    member(app, finance, fin, &["contact", "admin"]).await;
    accounts.insert(OtherWorkspaceMember, fin);
    let fab = app
        .create_account("work", "member@fabrikam.com", "Fabrikam Person")
        .await;
    member(app, fabrikam, fab, &["contact", "admin"]).await;
    accounts.insert(OtherTenantMember, fab);

    let mut cookies = HashMap::new();
    for (role, email) in [
        (Opener, "sc@contoso.com"),
        (OtherContact, "sc2@contoso.com"),
        (SharedMember, "shared@contoso.com"),
        (UnsharedMember, "unshared@contoso.com"),
        (ViewAll, "viewer@contoso.com"),
        (WorkspaceAdmin, "wa@contoso.com"),
        (ServicesAdmin, "sa@contoso.com"),
        (Csam, "csam@provider.example"),
        (Ac, "ac@provider.example"),
        (UnassignedCsam, "csam2@provider.example"),
        (Operator, "operator@provider.example"),
        (OtherWorkspaceMember, "fin@contoso.com"),
        (OtherTenantMember, "member@fabrikam.com"),
        (FormerMember, "former@contoso.com"),
    ] {
        cookies.insert(role, app.signed_in(email, "work").await);
    }
    assert_eq!(cookies.len(), ROLES.len() - 1, "every role but Anonymous");
    let today = app::activity::DateRange::parse("", "", time::OffsetDateTime::now_utc().date())
        .expect("range")
        .to_iso();
    // One proactive service delivered to each workspace: the figures of the ones a caller may
    // not see must never reach them.
    for (workspace, name, staff) in [
        (a, SETUP_DELIVERIES[0], Csam),
        (finance, SETUP_DELIVERIES[1], Csam),
        (fabrikam, SETUP_DELIVERIES[2], UnassignedCsam),
    ] {
        let response = call(
            app,
            "record_delivery",
            cookies.get(&staff).map(String::as_str),
            &[
                ("workspace_id", workspace.to_string()),
                ("name", name.to_owned()),
                ("delivered_on", today.clone()),
                ("credits", "2".to_owned()),
            ],
        )
        .await;
        assert_eq!(response.status, 200, "{}", response.body);
    }
    // One open invitation in each workspace, made by its administrator. Their audit entries are
    // moved a day ahead so that they stay among the feed's newest, whatever the cells add.
    for (i, (workspace, admin)) in [
        (a, WorkspaceAdmin),
        (finance, OtherWorkspaceMember),
        (fabrikam, OtherTenantMember),
    ]
    .into_iter()
    .enumerate()
    {
        let response = call(
            app,
            "invite_users",
            cookies.get(&admin).map(String::as_str),
            &[
                ("workspace_id", workspace.to_string()),
                ("emails", SETUP_INVITEES[i].to_owned()),
                ("role", "member".to_owned()),
            ],
        )
        .await;
        assert_eq!(response.status, 200, "{}", response.body);
    }
    app.exec(
        "UPDATE audit_log SET created_at = created_at + 86400 WHERE action = 'invitation.create'",
    )
    .await;
    let missing = call(
        app,
        "case_detail",
        cookies.get(&Opener).map(String::as_str),
        &[
            ("workspace_id", a.to_string()),
            ("case_id", MISSING_CASE.to_string()),
        ],
    )
    .await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    let finance_group = group(app, finance, "Finance group", fin).await;
    World {
        a,
        finance,
        fabrikam,
        finance_group,
        cookies,
        accounts,
        not_found: missing.body,
        today,
    }
}

/// A group of `workspace` holding `member`, made directly in the database (set-up, not a call).
pub(super) async fn group(app: &TestApp, workspace: i64, name: &str, member: i64) -> i64 {
    let id = app
        .count(&format!(
            "INSERT INTO workspace_groups (workspace_id, name, name_canonical, created_at) \
             VALUES ({workspace}, '{name}', '{}', 0) RETURNING id",
            name.to_lowercase()
        ))
        .await;
    app.exec(&format!(
        "INSERT INTO group_members (group_id, account_id, created_at) VALUES ({id}, {member}, 0)"
    ))
    .await;
    id
}

/// A new case in workspace A, opened by `Opener`, shared with `SharedMember`, and shared with
/// `FormerMember` while still a member of A, who is then removed from A (as Manage Users'
/// "Remove" does: the membership row goes, nothing else).
pub(super) async fn fresh_case(app: &TestApp, w: &World, n: usize) -> i64 {
    let opened = call(
        app,
        "open_case",
        w.cookie(Opener),
        &[
            ("workspace_id", w.a.to_string()),
            ("title", format!("{TITLE} {n}")),
            ("description", "It does not work.".to_owned()),
            ("severity", "b".to_owned()),
            ("product_area", "Exchange".to_owned()),
            ("contact_method", "email".to_owned()),
        ],
    )
    .await;
    assert_eq!(opened.status, 200, "{}", opened.body);
    let case = json(&opened).as_i64().expect("the case id");
    let shared = call(
        app,
        "share_case",
        w.cookie(Opener),
        &[
            ("workspace_id", w.a.to_string()),
            ("case_id", case.to_string()),
            ("email", "shared@contoso.com".to_owned()),
        ],
    )
    .await;
    assert_eq!(shared.status, 200, "{}", shared.body);
    let former = w.account(FormerMember);
    member(app, w.a, former, &[]).await;
    let shared = call(
        app,
        "share_case",
        w.cookie(Opener),
        &[
            ("workspace_id", w.a.to_string()),
            ("case_id", case.to_string()),
            ("email", "former@contoso.com".to_owned()),
        ],
    )
    .await;
    assert_eq!(shared.status, 200, "{}", shared.body);
    app.exec(&format!(
        "DELETE FROM memberships WHERE workspace_id = {} AND account_id = {former}",
        w.a
    ))
    .await;
    case
}
