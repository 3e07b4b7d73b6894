//! Manage Users' list: a prefix search of names and addresses, four sorts both ways, pages of
//! 50, and only the caller's organization.

use super::*;
use app::identity::UserStatus;

/// 120 more people of Contoso, "Person 000" … "Person 119", added in that order, after the
/// world's people (created_at).
async fn crowd(app: &TestApp, contoso: i64) {
    let values: Vec<String> = (0..120)
        .map(|i| {
            format!(
                "('work', 'p{i:03}@contoso.com', 'p{i:03}@contoso.com', {contoso}, 'Person {i:03}', 'x', {}, 1)",
                4_000_000_000_i64 + i
            )
        })
        .collect();
    app.exec(&format!(
        "INSERT INTO accounts (kind, email, email_canonical, organization_id, display_name, \
         password_hash, created_at, updated_at) VALUES {}",
        values.join(", ")
    ))
    .await;
}

on_both_engines!(search_sort_and_pages_read_the_right_rows, |app| {
    let w = world(&app).await;
    crowd(&app, w.contoso).await;
    app.exec("UPDATE accounts SET disabled_at = 5 WHERE email_canonical = 'p007@contoso.com'")
        .await;
    // Contoso: Megan, Bill, Uma, Nora and the crowd; Fabrikam's Kim never shows.
    let first = users(&app, &w.global, "", "name", false, 1).await;
    assert_eq!(first.total, 124);
    assert_eq!(first.rows.len(), 50);
    assert_eq!(first.page, 1);
    let names: Vec<&str> = first.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        &names[..4],
        &["Bill Payer", "Megan Bowen", "Nora Norole", "Person 000"]
    );
    assert!(first.rows.iter().all(|r| r.email.ends_with("@contoso.com")));
    let bill = first
        .rows
        .iter()
        .find(|r| r.name == "Bill Payer")
        .expect("bill");
    assert_eq!(bill.roles, vec![app::auth::kinds::OrgRole::Billing]);
    assert_eq!(bill.licenses, 0);
    // The last page holds the rest; a page past the end is the last one.
    let last = users(&app, &w.global, "", "name", false, 9).await;
    assert_eq!(last.page, 3);
    assert_eq!(last.rows.len(), 24);
    assert_eq!(last.rows.last().map(|r| r.name.as_str()), Some("Uma Users"));
    // Descending by address.
    let by_email = users(&app, &w.global, "", "email", true, 1).await;
    let emails: Vec<&str> = by_email
        .rows
        .iter()
        .take(3)
        .map(|r| r.email.as_str())
        .collect();
    assert_eq!(
        emails,
        ["uma@contoso.com", "p119@contoso.com", "p118@contoso.com"]
    );
    // Newest first.
    let newest = users(&app, &w.global, "", "created", true, 1).await;
    assert_eq!(newest.rows[0].name, "Person 119");
    // By status: Active first, the disabled one after all of them.
    let by_status = users(&app, &w.global, "", "status", false, 3).await;
    let last_row = by_status.rows.last().expect("a row");
    assert_eq!(
        (last_row.name.as_str(), last_row.status),
        ("Person 007", UserStatus::Disabled)
    );
    // Search: the start of a name or of an address, any letter case, wildcards as text.
    let found = users(&app, &w.global, "PERSON 01", "name", false, 1).await;
    assert_eq!(found.total, 10);
    assert_eq!(found.rows[0].name, "Person 010");
    let by_address = users(&app, &w.global, "p11", "name", false, 1).await;
    assert_eq!(by_address.total, 10);
    let middle = users(&app, &w.global, "Bowen", "name", false, 1).await;
    assert_eq!(middle.total, 0, "a prefix search, not a substring one");
    let wildcard = users(&app, &w.global, "%", "name", false, 1).await;
    assert_eq!(wildcard.total, 0);
    // Another organization's Global Administrator lists their own people.
    let theirs = users(&app, &w.other_global, "p0", "name", false, 1).await;
    assert_eq!(theirs.total, 0);
    // The page: search form, sortable headings, pager.
    let page = app
        .get(
            "/organization/users?q=person&sort=email&desc=1&page=2",
            Some(&w.global),
        )
        .await;
    assert_eq!(page.status, 200);
    for expected in [
        "Page 2 of 3",
        "role=\"search\"",
        "aria-sort=\"descending\"",
        "Person 069",
    ] {
        assert!(page.body.contains(expected), "{expected}");
    }
});
