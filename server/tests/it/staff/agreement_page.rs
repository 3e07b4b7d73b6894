//! An agreement's own page in the staff console: who may open it, what it shows, the question
//! Activate asks first, and where its forms land.

use super::*;

on_both_engines!(an_agreement_has_a_page_for_its_staff, |app| {
    let staff = staff(&app).await;
    let created = app
        .call(
            "create_organization_staff",
            &[("name", "Contoso"), ("domain", "contoso.com")],
            Some(&staff.operator),
            &[],
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    // The console's form offers the organizations in a list, by name; the name is what it sends.
    let console = app.get("/staff", Some(&staff.operator)).await;
    assert!(
        console.body.contains("Choose an organization")
            && console.body.contains("<option value=\"Contoso\">Contoso"),
        "{}",
        console.body
    );
    let mut form = agreement_form("Contoso", "megan@contoso.com");
    for entry in form.iter_mut() {
        match entry.0 {
            "support_contacts" => entry.1 = "alex@contoso.com",
            "start" => entry.1 = "2026-01-01",
            "end" => entry.1 = "2026-12-31",
            "proactive_credits" => entry.1 = "40",
            _ => {}
        }
    }
    // No choice made: the field says so, and nothing is written.
    let mut blank = form.clone();
    blank[0].1 = " ";
    let refused = app
        .call("create_agreement_staff", &blank, Some(&staff.operator), &[])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("Choose the organization"),
        "{}",
        refused.body
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM agreements").await, 0);
    // A new agreement lands on its own page.
    let created = app
        .call("create_agreement_staff", &form, Some(&staff.operator), &[])
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let id = app.count("SELECT MAX(id) FROM agreements").await;
    let page_path = format!("/staff/agreements/{id}");
    assert_eq!(
        created.header("location"),
        Some(format!("{page_path}?done=agreement").as_str())
    );
    let title = format!("Contoso — Unified agreement #{id}");

    // The console lists it with a link to its page, and no agreement's forms.
    let console = app.get("/staff", Some(&staff.operator)).await;
    assert!(
        console.body.contains(&format!("href=\"{page_path}\""))
            && console.body.contains(&title)
            && console.body.contains("1 Jan 2026 to 31 Dec 2026"),
        "{}",
        console.body
    );
    assert!(!console.body.contains("Activate agreement"));

    // The operator's view: facts, dates for people, each benefit named once, Activate as a
    // question to ask, no workspace forms (those are the CSAM's), no customer's words.
    let page = app
        .get(
            &format!("{page_path}?done=agreement"),
            Some(&staff.operator),
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    for expected in [
        title.as_str(),
        "href=\"/staff\"",
        "The agreement was created as a draft",
        "Draft",
        "1 Jan 2026 to 31 Dec 2026",
        "Carlos Csam",
        "megan@contoso.com",
        "alex@contoso.com",
        "Proactive service credits",
        "Activating the agreement assigns these benefits to its Default Workspace.",
        // (The component encodes the key's "-" in the query.)
        &format!("{page_path}?confirm=activate"),
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    for absent in [
        "Proactive service credits (Proactive service credits)",
        "Add a workspace",
        "Add a benefit",
        "your organization",
        // The question waits until it is asked.
        "invitations are emailed",
    ] {
        assert!(!page.body.contains(absent), "{absent}");
    }

    // Asked: the question names the organization and the agreement and says what follows; the
    // form that activates is inside it, with a way out that changes nothing.
    let asked = app
        .get(
            &format!("{page_path}?confirm=activate-{id}"),
            Some(&staff.operator),
        )
        .await;
    assert_eq!(asked.status, 200);
    for expected in [
        format!("Activate the Unified agreement #{id} of Contoso?"),
        "invitations are emailed to its 1 Services Administrator and 1 named support contact."
            .to_owned(),
        format!("name=\"agreement_id\" value=\"{id}\""),
        format!("href=\"{page_path}\""),
        "Cancel".to_owned(),
    ] {
        assert!(asked.body.contains(&expected), "{expected}: {}", asked.body);
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM agreements WHERE id = {id} AND status = 'draft'"
        ))
        .await,
        1
    );

    // Another CSAM, a customer and a missing id: the same 404, from the function and the page.
    app.create_account("work", "megan@contoso.com", "Megan Bowen")
        .await;
    let customer = app.signed_in("megan@contoso.com", "work").await;
    let agreement_id = id.to_string();
    let missing = app
        .call(
            "staff_agreement",
            &[("agreement_id", "999999")],
            Some(&staff.other_csam),
            &[],
        )
        .await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    for cookie in [&staff.other_csam, &customer] {
        let refused = app
            .call(
                "staff_agreement",
                &[("agreement_id", agreement_id.as_str())],
                Some(cookie),
                &[],
            )
            .await;
        assert_eq!(
            (refused.status, refused.body.as_str()),
            (404, missing.body.as_str())
        );
        let page = app.get(&page_path, Some(cookie)).await;
        assert_eq!(page.status, 404);
        assert!(page.body.contains("Agreement not found"), "{}", page.body);
        assert!(!page.body.contains("Contoso —"), "{}", page.body);
    }
    let page = app.get("/staff/agreements/999999", Some(&staff.csam)).await;
    assert_eq!(page.status, 404);
    let page = app.get("/staff/agreements/x", Some(&staff.csam)).await;
    assert_eq!(page.status, 404);

    // The assigned CSAM activates it; the page says so and now offers the workspace forms.
    let activated = app
        .call(
            "activate_agreement",
            &[("agreement_id", agreement_id.as_str())],
            Some(&staff.csam),
            &[],
        )
        .await;
    assert_eq!(activated.status, 200, "{}", activated.body);
    assert_eq!(
        activated.header("location"),
        Some(format!("{page_path}?done=activated").as_str())
    );
    let page = app
        .get(&format!("{page_path}?done=activated"), Some(&staff.csam))
        .await;
    assert_eq!(page.status, 200);
    for expected in [
        "The agreement is active",
        "Active",
        "Default Workspace",
        "Add a workspace",
        "Add a benefit",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    assert!(!page.body.contains("confirm=activate"), "{}", page.body);

    // The workspace and benefit forms land back here.
    let created = app
        .call(
            "create_workspace",
            &[
                ("agreement_id", agreement_id.as_str()),
                ("name", "Finance"),
                ("admin_email", "wanda@contoso.com"),
            ],
            Some(&staff.csam),
            &[],
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(
        created.header("location"),
        Some(format!("{page_path}?done=workspace").as_str())
    );
    let finance = app
        .count(&format!(
            "SELECT id FROM workspaces WHERE agreement_id = {id} AND name = 'Finance'"
        ))
        .await
        .to_string();
    let added = app
        .call(
            "add_benefit",
            &[
                ("workspace_id", finance.as_str()),
                ("kind", "reactive_hours"),
                ("name", "Reactive support hours"),
                ("allotment", "8"),
            ],
            Some(&staff.csam),
            &[],
        )
        .await;
    assert_eq!(added.status, 200, "{}", added.body);
    assert_eq!(
        added.header("location"),
        Some(format!("{page_path}?done=benefit").as_str())
    );
    let page = app.get(&page_path, Some(&staff.csam)).await;
    assert!(
        page.body
            .contains(&format!("href=\"/workspaces/{finance}\""))
            && !page
                .body
                .contains("Reactive support hours (Reactive support hours)"),
        "{}",
        page.body
    );
});
