//! What a call may change (a snapshot of the counts), what each function should change, and the call itself.

use super::*;

/// Everything a call could write, and the cell's case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Snapshot {
    pub(super) cases: i64,
    pub(super) case_events: i64,
    pub(super) case_shares: i64,
    pub(super) deliveries: i64,
    pub(super) outbox: i64,
    pub(super) audit: i64,
    /// Σ case_counts.n and Σ case_months (opened + closed): Customer Activity's aggregates.
    pub(super) counted: i64,
    pub(super) months: i64,
    pub(super) memberships: i64,
    pub(super) groups: i64,
    pub(super) group_members: i64,
    pub(super) case_group_shares: i64,
    pub(super) case_status: String,
    pub(super) case_closed: i64,
}

impl Snapshot {
    /// The fields that differ from `expected`: `name: got (expected …)`.
    pub(super) fn diff(&self, expected: &Snapshot) -> String {
        let mut out = Vec::new();
        macro_rules! fields {
            ($($field:ident),*) => {$(
                if self.$field != expected.$field {
                    out.push(format!(
                        "{}: {:?} (expected {:?})",
                        stringify!($field),
                        self.$field,
                        expected.$field
                    ));
                }
            )*};
        }
        fields!(
            cases,
            case_events,
            case_shares,
            deliveries,
            outbox,
            audit,
            counted,
            months,
            memberships,
            groups,
            group_members,
            case_group_shares,
            case_status,
            case_closed
        );
        out.join(", ")
    }
}

pub(super) async fn snapshot(app: &TestApp, case: i64) -> Snapshot {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM cases) AS cases, \
           (SELECT COUNT(*) FROM case_events) AS case_events, \
           (SELECT COUNT(*) FROM case_shares) AS case_shares, \
           (SELECT COUNT(*) FROM proactive_deliveries) AS deliveries, \
           (SELECT COUNT(*) FROM outbox) AS outbox, \
           (SELECT COUNT(*) FROM audit_log) AS audit, \
           (SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM case_counts) AS counted, \
           (SELECT CAST(COALESCE(SUM(opened + closed), 0) AS BIGINT) FROM case_months) AS months, \
           (SELECT COUNT(*) FROM memberships) AS memberships, \
           (SELECT COUNT(*) FROM workspace_groups) AS groups, \
           (SELECT COUNT(*) FROM group_members) AS group_members, \
           (SELECT COUNT(*) FROM case_group_shares) AS case_group_shares, \
           (SELECT status FROM cases WHERE id = $1) AS case_status, \
           (SELECT CAST(CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END AS BIGINT) \
              FROM cases WHERE id = $1) AS case_closed",
    )
    .bind(case)
    .fetch_one(app.state.db.pool())
    .await
    .expect("snapshot");
    let n = |name: &str| row.try_get::<i64, _>(name).expect(name);
    Snapshot {
        cases: n("cases"),
        case_events: n("case_events"),
        case_shares: n("case_shares"),
        deliveries: n("deliveries"),
        outbox: n("outbox"),
        audit: n("audit"),
        counted: n("counted"),
        months: n("months"),
        memberships: n("memberships"),
        groups: n("groups"),
        group_members: n("group_members"),
        case_group_shares: n("case_group_shares"),
        case_status: row.try_get("case_status").expect("case_status"),
        case_closed: n("case_closed"),
    }
}

/// The database after a successful call, from the one before it.
pub(super) fn effect(function: Function, role: Role, before: &Snapshot) -> Snapshot {
    let mut after = before.clone();
    // The case's opener and the member it is shared with hear of a note or a status change,
    // except the one who made it; the former member, outside the workspace now, hears nothing.
    let involved = if matches!(role, Opener | SharedMember) {
        1
    } else {
        2
    };
    match function {
        OpenCase => {
            after.cases += 1;
            after.audit += 1;
            after.outbox += 1;
            after.counted += 1;
            after.months += 1;
        }
        AddCaseNote => {
            after.case_events += 1;
            after.audit += 1;
            after.outbox += involved;
        }
        CloseCase | AdvanceCase => {
            after.case_events += 1;
            after.audit += 1;
            after.outbox += involved;
            if function == CloseCase {
                after.case_status = "closed".to_owned();
                after.case_closed = 1;
                after.months += 1;
            } else {
                after.case_status = "in_progress".to_owned();
            }
        }
        RecordCaseTime => {
            after.case_events += 1;
            after.audit += 1;
        }
        ShareCase | ShareCaseOutside => {
            after.case_shares += 1;
            after.audit += 1;
            after.outbox += 1;
        }
        RecordDelivery => {
            after.deliveries += 1;
            after.audit += 1;
        }
        // The group's one member (the shared member, who may not share) is told.
        ShareCaseWithGroup | ShareCaseWithOtherGroup => {
            after.case_group_shares += 1;
            after.audit += 1;
            after.outbox += 1;
        }
        CreateGroup => {
            after.groups += 1;
            after.audit += 1;
        }
        AddGroupMember => {
            after.group_members += 1;
            after.audit += 1;
        }
        RemoveGroupMember => {
            after.group_members -= 1;
            after.audit += 1;
        }
        DeleteGroup => {
            after.groups -= 1;
            after.group_members -= 1;
            after.audit += 1;
        }
        ListCases | CaseDetail | CustomerActivity | ExportCsv | ListGroups => {}
    }
    after
}

/// Makes the call of one cell.
pub(super) async fn perform(
    app: &TestApp,
    w: &World,
    role: Role,
    function: Function,
    target: Target,
    (case, group): (i64, i64),
) -> TestResponse {
    let cookie = w.cookie(role);
    let case_id = if target == Missing {
        MISSING_CASE
    } else {
        case
    }
    .to_string();
    let on_case = |extra: &[(&'static str, &str)]| {
        let mut form = vec![
            ("workspace_id", w.workspace(role, target).to_string()),
            ("case_id", case_id.clone()),
        ];
        form.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        form
    };
    let activity_workspace = || match target {
        All => "all".to_owned(),
        _ => w.workspace(role, target).to_string(),
    };
    match function {
        OpenCase => {
            let form = [
                ("workspace_id", w.workspace(role, target).to_string()),
                ("title", "Opened in the matrix".to_owned()),
                ("description", "Something is broken.".to_owned()),
                ("severity", "c".to_owned()),
                ("product_area", "Exchange".to_owned()),
                ("contact_method", "email".to_owned()),
            ];
            call(app, "open_case", cookie, &form).await
        }
        ListCases => {
            let form = [
                ("workspace_id", w.workspace(role, target).to_string()),
                ("status", String::new()),
                ("severity", String::new()),
                ("mine", "false".to_owned()),
                ("search", String::new()),
                ("page", "1".to_owned()),
            ];
            call(app, "list_cases", cookie, &form).await
        }
        CaseDetail => call(app, "case_detail", cookie, &on_case(&[])).await,
        AddCaseNote => {
            let form = on_case(&[("body", "A note from the matrix")]);
            call(app, "add_case_note", cookie, &form).await
        }
        CloseCase => {
            let form = on_case(&[("status", "closed")]);
            call(app, "set_case_status", cookie, &form).await
        }
        AdvanceCase => {
            let form = on_case(&[("status", "in_progress")]);
            call(app, "set_case_status", cookie, &form).await
        }
        RecordCaseTime => {
            let form = on_case(&[("minutes", "30"), ("note", "")]);
            call(app, "record_case_time", cookie, &form).await
        }
        ShareCase => {
            let form = on_case(&[("email", "unshared@contoso.com")]);
            call(app, "share_case", cookie, &form).await
        }
        ShareCaseOutside => {
            let form = on_case(&[("email", "fin@contoso.com")]);
            call(app, "share_case", cookie, &form).await
        }
        CustomerActivity => {
            let form = [
                ("workspace", activity_workspace()),
                ("from", String::new()),
                ("to", String::new()),
            ];
            call(app, "customer_activity", cookie, &form).await
        }
        RecordDelivery => {
            let form = [
                ("workspace_id", w.workspace(role, target).to_string()),
                ("name", "Matrix delivery".to_owned()),
                ("delivered_on", w.today.clone()),
                ("credits", "1".to_owned()),
            ];
            call(app, "record_delivery", cookie, &form).await
        }
        ExportCsv => {
            let path = format!(
                "/activity/export.csv?workspace={}&from=&to=",
                activity_workspace()
            );
            app.get(&path, cookie).await
        }
        ShareCaseWithGroup => {
            let form = on_case(&[("group_id", &group.to_string())]);
            call(app, "share_case_with_group", cookie, &form).await
        }
        ShareCaseWithOtherGroup => {
            let form = on_case(&[("group_id", &w.finance_group.to_string())]);
            call(app, "share_case_with_group", cookie, &form).await
        }
        ListGroups | CreateGroup | AddGroupMember | RemoveGroupMember | DeleteGroup => {
            let mut form = vec![("workspace_id", w.workspace(role, target).to_string())];
            let on_group = [("group_id", group.to_string())];
            let (name, extra): (&str, Vec<(&str, String)>) = match function {
                ListGroups => ("list_groups", vec![]),
                CreateGroup => ("create_group", vec![("name", format!("Created {case}"))]),
                AddGroupMember => (
                    "add_group_member",
                    vec![
                        on_group[0].clone(),
                        ("email", "unshared@contoso.com".to_owned()),
                    ],
                ),
                RemoveGroupMember => (
                    "remove_group_member",
                    vec![
                        on_group[0].clone(),
                        ("account_id", w.account(SharedMember).to_string()),
                    ],
                ),
                _ => ("delete_group", vec![on_group[0].clone()]),
            };
            form.extend(extra);
            call(app, name, cookie, &form).await
        }
    }
}
