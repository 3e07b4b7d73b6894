//! Who may change a subscription (DESIGN, "Administrative roles"; ARCHITECTURE, "Segregation
//! comes from the scope"): taking an offer, every subscription change and license assignment,
//! for seven callers against their own organization's subscription, the other organization's
//! and a missing id. Another organization's id answers exactly like a missing one (404, same
//! body); a refused call changes nothing.

use super::callers::*;
use super::setup::*;
use crate::common::TestApp;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Write {
    Upgrade,
    Quantity,
    Recurring,
    Cancel,
    Renew,
    Assign,
    Unassign,
}

const WRITES: [Write; 7] = [
    Write::Upgrade,
    Write::Quantity,
    Write::Recurring,
    Write::Cancel,
    Write::Renew,
    Write::Assign,
    Write::Unassign,
];

impl Write {
    fn endpoint(self) -> &'static str {
        match self {
            Write::Upgrade => "upgrade_subscription",
            Write::Quantity => "change_quantity",
            Write::Recurring => "set_recurring",
            Write::Cancel => "cancel_subscription",
            Write::Renew => "renew_subscription",
            Write::Assign => "assign_license",
            Write::Unassign => "unassign_license",
        }
    }

    fn allowed(self, role: Role) -> bool {
        match self {
            Write::Assign | Write::Unassign => role.assigns(),
            _ => role.manages(),
        }
    }

    /// What the caller's own subscription answers once the guard let them in: the paid,
    /// active subscription cannot be upgraded or renewed (409), cancelling without a reason is
    /// refused at the field (422), the rest is done (200).
    fn own_status(self) -> u16 {
        match self {
            Write::Upgrade | Write::Renew => 409,
            Write::Cancel => 422,
            _ => 200,
        }
    }
}

/// The form of `write` by `role` on `target`. Quantity asks for one more than the row holds;
/// recurring flips it. The caller's own unlicensed user gets the license and gives it back;
/// every other unassign names the target's holder, who must keep theirs.
async fn form(
    app: &TestApp,
    f: &Fixture,
    write: Write,
    role: Role,
    target: Target,
) -> Vec<(String, String)> {
    let row = match target {
        Target::Missing => None,
        _ => Some(sub(app, f.sub(target)).await),
    };
    let own_user = if role == Role::OtherGlobal {
        ("fay@fabrikam.com", f.fay)
    } else {
        ("ann@contoso.com", f.ann)
    };
    let pair = |k: &str, v: String| vec![(k.to_owned(), v)];
    match write {
        Write::Upgrade | Write::Renew => Vec::new(),
        Write::Quantity => pair("quantity", row.map_or(7, |r| r.quantity + 1).to_string()),
        Write::Recurring => {
            let on = row.is_some_and(|r| r.recurring == 0);
            pair("recurring", if on { "on" } else { "off" }.to_owned())
        }
        Write::Cancel => pair("reason", String::new()),
        Write::Assign => pair("email", own_user.0.to_owned()),
        Write::Unassign => {
            let account = if write.allowed(role) && role.own() == Some(target) {
                own_user.1
            } else if target == Target::Fabrikam {
                f.hank
            } else {
                f.hal
            };
            pair("account_id", account.to_string())
        }
    }
}

on_both_engines!(subscription_changes_follow_the_roles, |app| {
    let f = fixture(&app).await;
    for role in ROLES {
        // Taking an offer: Global and Billing Administrators of any organization, for their own.
        let before = snapshot(&app).await;
        let subs_before = app.count("SELECT COUNT(*) FROM subscriptions").await;
        let offer = f.w.paid_offer.to_string();
        let taken = app
            .call(
                "take_offer",
                &[("offer_id", &offer), ("trial", "false"), ("quantity", "1")],
                role.cookie(&f.w),
                &[],
            )
            .await;
        if role.manages() {
            assert_eq!(taken.status, 200, "take_offer as {role:?}: {}", taken.body);
            let org = if role == Role::OtherGlobal {
                f.w.fabrikam
            } else {
                f.w.contoso
            };
            let newest = sub(&app, app.count("SELECT MAX(id) FROM subscriptions").await).await;
            assert_eq!(
                (newest.organization_id, newest.status.as_str()),
                (org, "active")
            );
            assert_eq!(
                app.count("SELECT COUNT(*) FROM subscriptions").await,
                subs_before + 1
            );
        } else {
            assert_eq!(
                taken.status,
                role.refused(),
                "take_offer as {role:?}: {}",
                taken.body
            );
            assert_eq!(snapshot(&app).await, before, "take_offer as {role:?} wrote");
        }

        for write in WRITES {
            let mut missing_body = None;
            for target in [Target::Missing, Target::Contoso, Target::Fabrikam] {
                let id = f.sub(target);
                let before = snapshot(&app).await;
                let row_before = match target {
                    Target::Missing => None,
                    _ => Some(sub(&app, id).await),
                };
                let form = form(&app, &f, write, role, target).await;
                let form: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let answer = on_sub(&app, write.endpoint(), id, &form, role.cookie(&f.w)).await;
                let what = format!(
                    "{} as {role:?} on {target:?}: {}",
                    write.endpoint(),
                    answer.body
                );
                let expected = if !write.allowed(role) {
                    role.refused()
                } else if role.own() == Some(target) {
                    write.own_status()
                } else {
                    404
                };
                assert_eq!(answer.status, expected, "{what}");
                if expected == 404 {
                    // Another organization's subscription is exactly a missing one.
                    match &missing_body {
                        None => missing_body = Some(answer.body.clone()),
                        Some(body) => assert_eq!(&answer.body, body, "{what}"),
                    }
                }
                if expected != 200 {
                    assert_eq!(snapshot(&app).await, before, "refused, yet written: {what}");
                    if write == Write::Cancel && expected == 422 {
                        assert!(!field(&answer, "reason").is_empty());
                    }
                    continue;
                }
                let before = row_before.expect("a subscription was changed");
                let after = sub(&app, id).await;
                match write {
                    Write::Quantity => assert_eq!(after.quantity, before.quantity + 1, "{what}"),
                    Write::Recurring => assert_eq!(after.recurring, 1 - before.recurring, "{what}"),
                    Write::Assign => assert_eq!(after.assigned, before.assigned + 1, "{what}"),
                    Write::Unassign => assert_eq!(after.assigned, before.assigned - 1, "{what}"),
                    _ => unreachable!("{what}"),
                }
                assert_counted(&app, id).await;
            }
        }
    }
    // The holders kept their licenses through every refused unassign.
    for (sub_id, holder) in [(f.contoso_sub, f.hal), (f.fabrikam_sub, f.hank)] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM license_assignments WHERE subscription_id = {sub_id} AND account_id = {holder}"
            ))
            .await,
            1
        );
    }
    // Two quantity changes in Contoso (Global, Billing), one in Fabrikam: each its own line.
    assert_eq!(lines(&app, f.contoso_sub, "quantity_change").await, 2);
    assert_eq!(lines(&app, f.fabrikam_sub, "quantity_change").await, 1);
    assert_numbers_without_gaps(&app).await;
});
