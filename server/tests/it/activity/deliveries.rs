//! Deliveries, the CSV, the page and the feed.

use super::*;

on_both_engines!(
    staff_record_deliveries_and_the_csv_neutralises_formulas,
    |app| {
        let w = world(&app).await;
        let form = |name: &str, on: &str, credits: &str| {
            vec![
                ("workspace_id", w.contoso.to_string()),
                ("name", name.to_owned()),
                ("delivered_on", on.to_owned()),
                ("credits", credits.to_owned()),
            ]
        };
        let today = app::activity::DateRange::parse("", "", time::OffsetDateTime::now_utc().date())
            .expect("range")
            .to_iso();
        // Customers may not record; bad fields are named.
        for cookie in [&w.sa, &w.one, &w.contacts[0]] {
            let refused = call(
                &app,
                "record_delivery",
                cookie,
                &form("Health check", &today, "3"),
            )
            .await;
            assert_eq!(refused.status, 403, "{}", refused.body);
        }
        let refused = call(
            &app,
            "record_delivery",
            &w.csam2,
            &form("Health check", &today, "3"),
        )
        .await;
        assert_eq!(refused.status, 404, "{}", refused.body);
        let refused = call(
            &app,
            "record_delivery",
            &w.csam,
            &form("", "2026-02-30", "x"),
        )
        .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        for field in ["name", "delivered_on", "credits"] {
            assert!(refused.body.contains(field), "{}", refused.body);
        }
        let done = call(
            &app,
            "record_delivery",
            &w.csam,
            &form("=cmd()", &today, "3"),
        )
        .await;
        assert_eq!(done.status, 200, "{}", done.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'delivery.record'")
                .await,
            1
        );
        // A service measured in hours: bad hours are named, good ones kept as minutes.
        let mut by_hours = form("Workshop", &today, "0");
        by_hours.push(("hours", "two".to_owned()));
        let refused = call(&app, "record_delivery", &w.csam, &by_hours).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("\"hours\""), "{}", refused.body);
        by_hours.last_mut().expect("hours").1 = "1.5".to_owned();
        let done = call(&app, "record_delivery", &w.csam, &by_hours).await;
        assert_eq!(done.status, 200, "{}", done.body);
        assert_eq!(
            app.count("SELECT minutes FROM proactive_deliveries WHERE name = 'Workshop'")
                .await,
            90
        );
        let data = activity_ok(&app, &w.sa, &w.contoso.to_string()).await;
        let delivered = data["deliveries"].as_array().expect("deliveries");
        let cmd = delivered
            .iter()
            .find(|d| d["name"] == "=cmd()")
            .expect("=cmd()");
        assert_eq!(cmd["credits"], 3);
        assert_eq!(cmd["minutes"], 0);
        let workshop = delivered
            .iter()
            .find(|d| d["name"] == "Workshop")
            .expect("Workshop");
        assert_eq!(workshop["minutes"], 90);

        let path = format!("/activity/export.csv?workspace={}&from=&to=", w.contoso);
        let csv = app.get(&path, Some(&w.sa)).await;
        assert_eq!(csv.status, 200, "{}", csv.body);
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        assert_eq!(
            csv.header("content-disposition"),
            Some("attachment; filename=\"customer-activity.csv\"")
        );
        assert!(csv.body.contains("'=cmd()"), "{}", csv.body);
        assert!(
            csv.body
                .lines()
                .any(|l| l.contains(&format!("Workshop ({today})")) && l.ends_with(",0,1.50,")),
            "{}",
            csv.body
        );
        assert!(!csv.body.contains(",=cmd()"), "{}", csv.body);
        assert!(
            csv.body.starts_with("Section,Workspace,Item"),
            "{}",
            csv.body
        );
        // The CSV parses back (RFC 4180) with the same number of cells on every row.
        let mut reader = csv::ReaderBuilder::new().from_reader(csv.body.as_bytes());
        for record in reader.records() {
            assert_eq!(record.expect("record").len(), 6);
        }
        // A stranger and an unknown workspace: 404, no figures.
        for cookie in [&w.stranger, &w.csam2] {
            let refused = app.get(&path, Some(cookie)).await;
            assert_eq!(refused.status, 404, "{}", refused.body);
            assert!(!refused.body.contains("cmd"), "{}", refused.body);
        }
        let all = app
            .get(
                "/activity/export.csv?workspace=all&from=&to=",
                Some(&w.stranger),
            )
            .await;
        assert_eq!(all.status, 200, "{}", all.body);
        assert!(!all.body.contains("cmd"), "{}", all.body);
        let bad = app
            .get(
                &format!("/activity/export.csv?workspace={}&from=nope&to=", w.contoso),
                Some(&w.sa),
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.body);
    }
);

on_both_engines!(the_page_renders_the_chart_and_the_nav_links_to_it, |app| {
    let w = world(&app).await;
    random_cases(&app, &w).await;
    let page = app.get("/activity?workspace=all", Some(&w.sa)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("role=\"img\""), "{}", page.body);
    assert!(page.body.contains("<title>"), "{}", page.body);
    // The chart scales to its box (a viewBox, no fixed width) and has a legend of its colours.
    assert!(page.body.contains("viewBox=\"0 0 "), "{}", page.body);
    assert!(!page.body.contains("<svg width"), "{}", page.body);
    assert!(page.body.contains("swatch opened"), "{}", page.body);
    assert!(page.body.contains("All Workspaces"), "{}", page.body);
    assert!(page.body.contains("Export to CSV"), "{}", page.body);
    // The agreement's CSAM gets the form recording a proactive service; a customer does not.
    let staff = app
        .get(
            &format!("/activity?workspace={}&done=delivery", w.contoso),
            Some(&w.csam),
        )
        .await;
    assert_eq!(staff.status, 200, "{}", staff.body);
    assert!(
        staff.body.contains("Record a proactive service"),
        "{}",
        staff.body
    );
    assert!(staff.body.contains("was recorded"), "{}", staff.body);
    let customer = app
        .get(&format!("/activity?workspace={}", w.contoso), Some(&w.sa))
        .await;
    assert!(!customer.body.contains("Record a proactive service"));
    let bad = app
        .get(
            &format!("/activity?workspace={}&from=nope", w.contoso),
            Some(&w.sa),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("YYYY-MM-DD"), "{}", bad.body);
    let hidden = app
        .get(&format!("/activity?workspace={}", w.fabrikam), Some(&w.sa))
        .await;
    assert_eq!(hidden.status, 404);
    let home = app
        .get(&format!("/workspaces/{}", w.contoso), Some(&w.sa))
        .await;
    assert!(
        home.body
            .contains(&format!("/activity?workspace={}", w.contoso)),
        "{}",
        home.body
    );
});

on_both_engines!(
    case_figures_follow_the_range_and_the_feed_hides_unseen_cases,
    |app| {
        let w = world(&app).await;
        random_cases(&app, &w).await;
        let ws = w.contoso.to_string();
        let now = activity_ok(&app, &w.sa, &ws).await;
        let cases = app
            .count(&format!(
                "SELECT COUNT(*) FROM cases WHERE workspace_id = {ws}"
            ))
            .await;
        assert!(cases > 0);
        assert_eq!(sum(&now["by_status"], "n"), cases);
        // The random data reopened a closed case and closed it again: it counts once as closed.
        let reclosed = app
            .count(
                "SELECT COUNT(*) FROM cases c WHERE c.status = 'closed' AND (SELECT COUNT(*) \
                 FROM case_events e WHERE e.case_id = c.id AND e.status = 'closed') > 1",
            )
            .await;
        assert!(reclosed > 0, "the data should hold a case closed twice");
        let closed = app
            .count("SELECT COUNT(*) FROM cases WHERE closed_at IS NOT NULL")
            .await;
        let fabrikam = activity_ok(&app, &w.csam2, &w.fabrikam.to_string()).await;
        let contoso = activity_ok(&app, &w.sa, "all").await;
        assert_eq!(
            sum(&contoso["months"], "closed") + sum(&fabrikam["months"], "closed"),
            closed
        );
        // A range before any case was opened: no case counted, by status, severity or month.
        let past = activity(&app, &w.sa, &ws, "2024-01-01", "2024-12-31").await;
        assert_eq!(past.status, 200, "{}", past.body);
        let past = json(&past);
        assert_eq!(sum(&past["by_status"], "n"), 0);
        assert_eq!(sum(&past["by_severity"], "n"), 0);
        assert_eq!(sum(&past["months"], "opened"), 0);

        // A plain member sees the workspace's figures, but the feed names none of its cases (they
        // see none of them); the Services Administrator's feed does.
        let member = activity_ok(&app, &w.one, &ws).await;
        assert_eq!(sum(&member["by_status"], "n"), cases);
        let actions = |data: &Value| -> Vec<String> {
            data["feed"]
                .as_array()
                .expect("feed")
                .iter()
                .map(|e| e["action"].as_str().unwrap_or_default().to_owned())
                .collect()
        };
        assert!(
            actions(&now).iter().any(|a| a.starts_with("case.")),
            "{:?}",
            actions(&now)
        );
        assert!(
            !actions(&member).iter().any(|a| a.starts_with("case.")),
            "{:?}",
            actions(&member)
        );
        assert!(!member.to_string().contains("Case number"), "{member}");
    }
);
