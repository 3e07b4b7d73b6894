//! The figures, their range and the benefits they use.

use super::*;

on_both_engines!(
    figures_equal_direct_counts_and_all_is_the_callers_workspaces,
    |app| {
        let w = world(&app).await;
        random_cases(&app, &w).await;
        for (id, cookie) in [
            (w.contoso, &w.csam),
            (w.finance, &w.sa),
            (w.fabrikam, &w.csam2),
        ] {
            let data = activity_ok(&app, cookie, &id.to_string()).await;
            assert_figures(&app, &data, &id.to_string()).await;
            assert_eq!(data["selected"], id.to_string());
        }
        // The Services Administrator sees Contoso's two workspaces: "all" is their sum, not Fabrikam.
        let all = activity_ok(&app, &w.sa, "all").await;
        assert_eq!(all["can_aggregate"], true);
        assert_eq!(all["selected"], "all");
        assert_figures(&app, &all, &format!("{}, {}", w.contoso, w.finance)).await;
        let listed: Vec<i64> = all["workspaces"]
            .as_array()
            .expect("workspaces")
            .iter()
            .map(|w| w["id"].as_i64().expect("id"))
            .collect();
        assert!(
            listed.contains(&w.contoso) && listed.contains(&w.finance),
            "{listed:?}"
        );
        assert!(!listed.contains(&w.fabrikam), "{listed:?}");
        let everything = app.count("SELECT COUNT(*) FROM cases").await;
        let fabrikam = app
            .count(&format!(
                "SELECT COUNT(*) FROM cases WHERE workspace_id = {}",
                w.fabrikam
            ))
            .await;
        assert!(fabrikam > 0);
        assert_eq!(sum(&all["by_status"], "n"), everything - fabrikam);
        // The feed holds only the caller's workspaces' entries.
        for entry in all["feed"].as_array().expect("feed") {
            assert_ne!(
                entry["workspace"], "Default Workspace of Fabrikam",
                "{entry}"
            );
        }
    }
);

on_both_engines!(reactive_hours_used_can_exceed_the_allotment, |app| {
    let w = world(&app).await;
    let agreement = app
        .count(&format!(
            "SELECT agreement_id FROM workspaces WHERE id = {}",
            w.contoso
        ))
        .await;
    app.exec(&format!(
        "INSERT INTO benefits (agreement_id, workspace_id, kind, name, allotment, created_at, \
         updated_at) VALUES ({agreement}, {}, 'reactive_hours', 'Reactive support', 1, 0, 0)",
        w.contoso
    ))
    .await;
    random_cases(&app, &w).await;
    let case = app
        .count(&format!(
            "SELECT MIN(id) FROM cases WHERE workspace_id = {}",
            w.contoso
        ))
        .await;
    let response = call(
        &app,
        "record_case_time",
        &w.csam,
        &[
            ("workspace_id", w.contoso.to_string()),
            ("case_id", case.to_string()),
            ("minutes", "90".to_owned()),
            ("note", String::new()),
        ],
    )
    .await;
    assert_eq!(response.status, 200, "{}", response.body);
    let minutes = app
        .count(&format!(
            "SELECT COALESCE(CAST(SUM(e.minutes) AS BIGINT), 0) FROM case_events e \
             JOIN cases c ON c.id = e.case_id WHERE c.workspace_id = {} AND e.kind = 'time'",
            w.contoso
        ))
        .await;
    assert!(
        minutes > 60,
        "the seed records more than an hour ({minutes})"
    );
    let data = activity_ok(&app, &w.csam, &w.contoso.to_string()).await;
    let line = &data["benefits"][0];
    assert_eq!(line["allotted"].as_f64(), Some(1.0));
    let used = line["used"].as_f64().expect("used");
    assert!((used - minutes as f64 / 60.0).abs() < 1e-9, "{line}");
    assert!(
        line["remaining"].as_f64().expect("remaining") < 0.0,
        "{line}"
    );
});

on_both_engines!(
    other_tenants_get_404_and_one_workspace_users_cannot_aggregate,
    |app| {
        let w = world(&app).await;
        let refused = activity(&app, &w.stranger, &w.contoso.to_string(), "", "").await;
        assert_eq!(refused.status, 404, "{}", refused.body);
        let refused = activity(&app, &w.one, &w.finance.to_string(), "", "").await;
        assert_eq!(refused.status, 404, "{}", refused.body);
        let one = activity_ok(&app, &w.one, "all").await;
        assert_eq!(one["can_aggregate"], false);
        assert_eq!(one["selected"], w.contoso.to_string());
        assert_eq!(one["workspaces"].as_array().expect("workspaces").len(), 1);
        // Signed out: 401.
        let anonymous = app
            .call(
                "customer_activity",
                &[("workspace", "all"), ("from", ""), ("to", "")],
                None,
                &[],
            )
            .await;
        assert_eq!(anonymous.status, 401, "{}", anonymous.body);
    }
);

on_both_engines!(the_date_range_is_validated, |app| {
    let w = world(&app).await;
    let id = w.contoso.to_string();
    for (from, to, field) in [
        ("2026-02-30", "", "from"),
        ("yesterday", "", "from"),
        ("2026-01-01", "2026-13-01", "to"),
        ("2026-05-01", "2026-04-01", "to"),
        ("1990-01-01", "2026-01-01", "from"),
    ] {
        let refused = activity(&app, &w.sa, &id, from, to).await;
        assert_eq!(refused.status, 422, "{from} {to}: {}", refused.body);
        assert!(refused.body.contains(field), "{}", refused.body);
    }
    let ok = activity(&app, &w.sa, &id, "2026-01-01", "2026-03-31").await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let months: Vec<String> = json(&ok)["months"]
        .as_array()
        .expect("months")
        .iter()
        .map(|m| m["month"].as_str().expect("month").to_owned())
        .collect();
    assert_eq!(months, ["2026-01", "2026-02", "2026-03"]);
});
