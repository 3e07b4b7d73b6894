//! Parallel writes of one name.

use super::*;

on_both_engines!(
    parallel_workspaces_of_one_name_give_one_and_a_field_message,
    |app| {
        let staff = staff(&app).await;
        let agreement = organization_and_agreement(
            &app,
            &staff,
            "Contoso",
            "contoso.com",
            &agreement_form("Contoso", "megan@contoso.com"),
        )
        .await;
        activate(&app, &staff.csam, agreement).await;
        // Rounds of two staff sessions adding the same name at once, on two tasks: whichever way
        // they interleave, one workspace is made and the other request gets the field message —
        // from the check, or from the unique constraint when both passed the check.
        for round in 0..5 {
            let name = format!("Finance {round}");
            let send = |name: String| {
                let (app, cookie, agreement) =
                    (app.clone(), staff.csam.clone(), agreement.to_string());
                tokio::spawn(async move {
                    app.call(
                        "create_workspace",
                        &[
                            ("agreement_id", agreement.as_str()),
                            ("name", name.as_str()),
                            ("admin_email", "wanda@contoso.com"),
                        ],
                        Some(&cookie),
                        &[],
                    )
                    .await
                })
            };
            let (first, second) = (send(name.clone()), send(name.clone()));
            let (first, second) = (first.await.expect("task"), second.await.expect("task"));
            let mut statuses = [first.status, second.status];
            statuses.sort_unstable();
            assert_eq!(statuses, [200, 422], "{} / {}", first.body, second.body);
            let refused = if first.status == 422 { &first } else { &second };
            assert!(
                refused
                    .body
                    .contains("already has a workspace with this name"),
                "{}",
                refused.body
            );
            assert_eq!(
                app.count(&format!(
                    "SELECT COUNT(*) FROM workspaces WHERE name = '{name}'"
                ))
                .await,
                1
            );
        }
    }
);
