//! One cell at a time, and the matrix on both engines.

use super::*;

/// Runs one cell; `Err` names what went wrong.
pub(super) async fn cell(
    app: &TestApp,
    w: &World,
    role: Role,
    function: Function,
    target: Target,
    expect: Expect,
    n: usize,
) -> Result<(), String> {
    let case = fresh_case(app, w, n).await;
    // The groups of earlier cells go (a workspace holds at most 100), so the cell's group is
    // A's only one.
    app.exec(&format!(
        "DELETE FROM workspace_groups WHERE workspace_id = {} OR name LIKE 'Created %'",
        w.a
    ))
    .await;
    let group = group(app, w.a, &format!("Group {n}"), w.account(SharedMember)).await;
    let before = snapshot(app, case).await;
    let response = perform(app, w, role, function, target, (case, group)).await;
    let after = snapshot(app, case).await;
    let wanted = match expect {
        Expect::Ok | Expect::Hidden => 200,
        Expect::Status(status) => status,
    };
    ensure!(
        response.status == wanted,
        "expected {wanted}, got {}: {}",
        response.status,
        response.body
    );
    if wanted == 200 {
        let wanted = effect(function, role, &before);
        ensure!(
            after == wanted,
            "the database after the call differs: {}",
            after.diff(&wanted)
        );
        check_read(app, w, role, function, target, case, expect, &response).await?;
        check_write(app, w, role, function, target, case, &response).await?;
        return Ok(());
    }
    // Refused: nothing written, nothing of the case shown.
    ensure!(
        after == before,
        "a refused call changed the database: {}",
        after.diff(&before)
    );
    ensure!(
        !response.body.contains(TITLE),
        "a refusal shows the case: {}",
        response.body
    );
    match (wanted, function) {
        (303, _) => ensure!(
            response
                .header("location")
                .is_some_and(|l| l.starts_with("/sign-in")),
            "redirects to {:?}",
            response.header("location")
        ),
        // A case or workspace the caller may not see answers exactly like a missing one.
        (404, ExportCsv) => ensure!(
            response.body == "We could not find that.",
            "404 body {}",
            response.body
        ),
        (404, _) => ensure!(
            response.body == w.not_found,
            "404 body {} differs from a missing case's {}",
            response.body,
            w.not_found
        ),
        (422, ShareCaseWithOtherGroup) => ensure!(
            response.body.contains("\"group_id\""),
            "the field error names no field: {}",
            response.body
        ),
        (422, _) => ensure!(
            response.body.contains("\"email\""),
            "the field error names no field: {}",
            response.body
        ),
        _ => {}
    }
    Ok(())
}

on_both_engines!(authorization_matrix, |app| {
    let w = world(&app).await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for (function, target, row) in MATRIX {
        for (role, expect) in ROLES.iter().zip(row) {
            cells += 1;
            if let Err(message) = cell(&app, &w, *role, *function, *target, *expect, cells).await {
                failures.push(format!(
                    "{role:?} × {function:?} × {target:?} (expected {expect:?}): {message}"
                ));
            }
        }
    }
    assert_eq!(cells, MATRIX.len() * ROLES.len());
    assert!(
        failures.is_empty(),
        "{} of {cells} cells failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
});
