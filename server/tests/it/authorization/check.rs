//! What a successful read must show and a successful write must have done.

use super::*;

/// `Err` with a message unless `cond`.
pub(super) fn in_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        "NULL".to_owned()
    } else {
        ids.iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What a successful read shows the caller.
#[allow(clippy::too_many_arguments)]
pub(super) async fn check_read(
    app: &TestApp,
    w: &World,
    role: Role,
    function: Function,
    target: Target,
    case: i64,
    expect: Expect,
    response: &TestResponse,
) -> Result<(), String> {
    match function {
        ListCases => {
            let page = json(response);
            let workspace = w.workspace(role, target);
            let ids: Vec<i64> = page["rows"]
                .as_array()
                .ok_or("rows")?
                .iter()
                .map(|r| r["id"].as_i64().unwrap_or(-1))
                .collect();
            ensure!(
                ids.contains(&case) == (expect == OK),
                "the case is {} the list {ids:?}",
                if expect == OK { "missing from" } else { "in" }
            );
            ensure!(
                page["workspace_id"] == workspace,
                "workspace_id {}",
                page["workspace_id"]
            );
            let elsewhere = app
                .count(&format!(
                    "SELECT COUNT(*) FROM cases WHERE id IN ({}) AND workspace_id <> {workspace}",
                    in_list(&ids)
                ))
                .await;
            ensure!(
                elsewhere == 0,
                "{elsewhere} listed cases are in another workspace"
            );
            let me = w.account(role);
            let visible = if w.sees_all(role, workspace) {
                app.count(&format!(
                    "SELECT COUNT(*) FROM cases WHERE workspace_id = {workspace}"
                ))
                .await
            } else {
                app.count(&format!(
                    "SELECT COUNT(*) FROM cases c WHERE c.workspace_id = {workspace} \
                     AND (c.opened_by = {me} OR EXISTS (SELECT 1 FROM case_shares s \
                       WHERE s.case_id = c.id AND s.account_id = {me}))"
                ))
                .await
            };
            ensure!(
                page["total"] == visible,
                "total {} but the caller may see {visible}",
                page["total"]
            );
            ensure!(
                page["can_open"] == (expected(OpenCase, target, role) == OK),
                "can_open {} disagrees with the open_case row",
                page["can_open"]
            );
        }
        CaseDetail => {
            let seen = json(response);
            ensure!(seen["id"] == case, "id {}", seen["id"]);
            ensure!(
                seen["workspace_id"] == w.a,
                "workspace {}",
                seen["workspace_id"]
            );
            ensure!(
                seen["title"].as_str().is_some_and(|t| t.starts_with(TITLE)),
                "title {}",
                seen["title"]
            );
            ensure!(
                seen["shared_with"]
                    .to_string()
                    .contains("shared@contoso.com"),
                "shared_with {}",
                seen["shared_with"]
            );
            ensure!(
                seen["is_opener"] == (role == Opener),
                "is_opener {}",
                seen["is_opener"]
            );
            ensure!(
                seen["can_share"] == (expected(ShareCase, target, role) == OK),
                "can_share {} disagrees with the share_case row",
                seen["can_share"]
            );
            ensure!(
                seen["is_staff"] == (expected(RecordCaseTime, target, role) == OK),
                "is_staff {} disagrees with the record_case_time row",
                seen["is_staff"]
            );
        }
        CustomerActivity => {
            let data = json(response);
            let allowed = w.allowed(role, target);
            let mut offered: Vec<i64> = data["workspaces"]
                .as_array()
                .ok_or("workspaces")?
                .iter()
                .map(|o| o["id"].as_i64().unwrap_or(-1))
                .collect();
            offered.sort_unstable();
            let mut mine = w.workspaces_of(role);
            mine.sort_unstable();
            ensure!(
                offered == mine,
                "offers {offered:?}, the caller's are {mine:?}"
            );
            let selected = match (target, allowed.as_slice()) {
                (All, [one]) => one.to_string(),
                (All, _) => "all".to_owned(),
                (_, [one]) => one.to_string(),
                _ => return Err(format!("one workspace expected, not {allowed:?}")),
            };
            ensure!(
                data["selected"] == selected,
                "selected {}",
                data["selected"]
            );
            let ids = in_list(&allowed);
            let total: i64 = data["by_status"]
                .as_array()
                .ok_or("by_status")?
                .iter()
                .map(|c| c["n"].as_i64().unwrap_or(0))
                .sum();
            let cases = app
                .count(&format!(
                    "SELECT COUNT(*) FROM cases WHERE workspace_id IN ({ids})"
                ))
                .await;
            ensure!(
                total == cases,
                "{total} cases counted, {cases} in {allowed:?}"
            );
            let joined = app
                .count(&format!(
                    "SELECT COUNT(*) FROM memberships WHERE workspace_id IN ({ids})"
                ))
                .await;
            ensure!(
                data["users_joined"] == joined,
                "users_joined {}",
                data["users_joined"]
            );
            let delivered: Vec<&str> = data["deliveries"]
                .as_array()
                .ok_or("deliveries")?
                .iter()
                .filter_map(|d| d["name"].as_str())
                .filter(|n| n.starts_with("Setup"))
                .collect();
            for (i, workspace) in [w.a, w.finance, w.fabrikam].into_iter().enumerate() {
                ensure!(
                    delivered.contains(&SETUP_DELIVERIES[i]) == allowed.contains(&workspace),
                    "deliveries {delivered:?} over {allowed:?}"
                );
            }
            let names: Vec<&str> = allowed.iter().map(|id| w.name_of(*id)).collect();
            for entry in data["feed"].as_array().ok_or("feed")? {
                ensure!(
                    entry["workspace"]
                        .as_str()
                        .is_some_and(|n| names.contains(&n)),
                    "feed entry of another workspace: {entry}"
                );
                // Beyond the audit log's readers, only what this page or the case shows anyway.
                let workspace = allowed
                    .iter()
                    .find(|id| entry["workspace"].as_str() == Some(w.name_of(**id)))
                    .copied()
                    .unwrap_or_default();
                let action = entry["action"].as_str().unwrap_or_default();
                ensure!(
                    w.reads_audit(role, workspace)
                        || action.starts_with("case.")
                        || matches!(action, "delivery.record" | "benefit.add"),
                    "{role:?} reads the audit entry {entry}"
                );
            }
            w.check_audit_subset(role, target, &response.body)?;
            let can_record = matches!(allowed.as_slice(), [one] if w.is_staff_of(role, *one));
            ensure!(
                data["can_record"] == can_record,
                "can_record {}",
                data["can_record"]
            );
        }
        ExportCsv => {
            ensure!(
                response.header("content-type") == Some("text/csv; charset=utf-8"),
                "content-type {:?}",
                response.header("content-type")
            );
            let allowed = w.allowed(role, target);
            for (i, workspace) in [w.a, w.finance, w.fabrikam].into_iter().enumerate() {
                let shown = allowed.contains(&workspace);
                ensure!(
                    response.body.contains(NAMES[i]) == shown,
                    "the workspace \"{}\" is {} the export:\n{}",
                    NAMES[i],
                    if shown { "missing from" } else { "in" },
                    response.body
                );
                ensure!(
                    response.body.contains(SETUP_DELIVERIES[i]) == shown,
                    "the delivery \"{}\" is {} the export",
                    SETUP_DELIVERIES[i],
                    if shown { "missing from" } else { "in" }
                );
            }
            w.check_audit_subset(role, target, &response.body)?;
        }
        ListGroups => {
            let data = json(response);
            let workspace = w.workspace(role, target);
            let ids: Vec<i64> = data["groups"]
                .as_array()
                .ok_or("groups")?
                .iter()
                .map(|g| g["id"].as_i64().unwrap_or(-1))
                .collect();
            let theirs = app
                .count(&format!(
                    "SELECT COUNT(*) FROM workspace_groups WHERE workspace_id = {workspace}"
                ))
                .await;
            let elsewhere = app
                .count(&format!(
                    "SELECT COUNT(*) FROM workspace_groups WHERE id IN ({}) \
                     AND workspace_id <> {workspace}",
                    in_list(&ids)
                ))
                .await;
            ensure!(
                elsewhere == 0 && i64::try_from(ids.len()).ok() == Some(theirs),
                "lists {ids:?}: {elsewhere} of another workspace, {theirs} in this one"
            );
        }
        _ => {}
    }
    Ok(())
}

/// What a successful write did beyond the counts.
pub(super) async fn check_write(
    app: &TestApp,
    w: &World,
    role: Role,
    function: Function,
    target: Target,
    case: i64,
    response: &TestResponse,
) -> Result<(), String> {
    if target == All {
        return Ok(());
    }
    let workspace = w.workspace(role, target);
    let me = w.account(role);
    let sql = match function {
        OpenCase => {
            let id = json(response).as_i64().ok_or("the case id")?;
            format!(
                "SELECT COUNT(*) FROM cases WHERE id = {id} AND workspace_id = {workspace} \
                 AND opened_by = {me}"
            )
        }
        AddCaseNote => format!(
            "SELECT COUNT(*) FROM case_events WHERE case_id = {case} AND kind = 'note' \
             AND author = {me}"
        ),
        RecordCaseTime => format!(
            "SELECT COUNT(*) FROM case_events WHERE case_id = {case} AND kind = 'time' \
             AND minutes = 30 AND staff = 1 AND author = {me}"
        ),
        ShareCase => format!(
            "SELECT COUNT(*) FROM case_shares WHERE case_id = {case} AND account_id = {}",
            w.account(UnsharedMember)
        ),
        RecordDelivery => format!(
            "SELECT COUNT(*) FROM proactive_deliveries WHERE workspace_id = {workspace} \
             AND name = 'Matrix delivery' AND recorded_by = {me}"
        ),
        ShareCaseWithGroup => format!(
            "SELECT COUNT(*) FROM case_group_shares s JOIN workspace_groups g ON g.id = s.group_id \
             WHERE s.case_id = {case} AND g.workspace_id = {}",
            w.a
        ),
        CreateGroup => format!(
            "SELECT COUNT(*) FROM workspace_groups WHERE workspace_id = {workspace} \
             AND name = 'Created {case}'"
        ),
        AddGroupMember => format!(
            "SELECT COUNT(*) FROM group_members gm JOIN workspace_groups g ON g.id = gm.group_id \
             WHERE g.workspace_id = {workspace} AND gm.account_id = {}",
            w.account(UnsharedMember)
        ),
        _ => return Ok(()),
    };
    let n = app.count(&sql).await;
    ensure!(n == 1, "the write is not where it belongs ({n} rows)");
    Ok(())
}
