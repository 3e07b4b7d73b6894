//! What each caller reads (the catalogue, the Services page, a service's detail, their own
//! licenses) and the operator's offers: the same seven callers as the matrix.

use super::callers::*;
use super::setup::*;
use app::services::{CatalogueData, HeldLicense, Offer, ServiceData, ServicesData};

on_both_engines!(reads_follow_the_roles, |app| {
    let f = fixture(&app).await;
    let storage = f.w.storage.to_string();
    let office = f.w.office.to_string();
    for role in ROLES {
        let cookie = role.cookie(&f.w);
        // The catalogue is public; buying from it is for Global and Billing Administrators.
        let catalogue = app.call("catalogue", &[], cookie, &[]).await;
        assert_eq!(catalogue.status, 200, "{}", catalogue.body);
        let catalogue: CatalogueData = serde_json::from_str(&catalogue.body).expect("catalogue");
        assert_eq!(catalogue.offers.len(), 3);
        assert_eq!(catalogue.can_buy, role.manages(), "{role:?}");
        assert_eq!(catalogue.signed_in, role != Role::Anonymous, "{role:?}");

        let overview = app.call("services_overview", &[], cookie, &[]).await;
        let detail = |service: &str| {
            let service = service.to_owned();
            let app = app.clone();
            let cookie = cookie.map(str::to_owned);
            async move {
                app.call(
                    "service_detail",
                    &[("service_id", &service), ("page", "1")],
                    cookie.as_deref(),
                    &[],
                )
                .await
            }
        };
        let office_detail = detail(&office).await;
        let storage_detail = detail(&storage).await;
        let missing_detail = detail("999999").await;
        if !role.views() {
            for answer in [&overview, &office_detail, &storage_detail, &missing_detail] {
                assert_eq!(answer.status, role.refused(), "{role:?}: {}", answer.body);
            }
            continue;
        }
        assert_eq!(overview.status, 200, "{}", overview.body);
        let overview: ServicesData = serde_json::from_str(&overview.body).expect("overview");
        let names: Vec<&str> = overview.services.iter().map(|s| s.name.as_str()).collect();
        // Each name links to its own service's page.
        assert_eq!(overview.services[0].service_id, f.w.office, "{role:?}");
        let own_sub = if role == Role::OtherGlobal {
            assert_eq!(overview.organization, "Fabrikam");
            assert_eq!(names, ["Office", "Storage"]);
            f.fabrikam_sub
        } else {
            assert_eq!(overview.organization, "Contoso");
            assert_eq!(names, ["Office"]);
            assert_eq!(
                (overview.services[0].total, overview.services[0].in_use),
                (5, 1)
            );
            f.contoso_sub
        };
        assert_eq!(overview.can_buy, role.manages());

        // Office, which both hold: only the caller's own subscription, its invoices for those
        // who may see invoices, its assignments for those who assign.
        assert_eq!(office_detail.status, 200, "{}", office_detail.body);
        let detail: ServiceData = serde_json::from_str(&office_detail.body).expect("detail");
        let ids: Vec<i64> = detail.subscriptions.iter().map(|s| s.id).collect();
        assert_eq!(ids, [own_sub], "{role:?}");
        assert_eq!(detail.invoices.is_some(), role.manages(), "{role:?}");
        if let Some(invoices) = &detail.invoices {
            assert_eq!(invoices.len(), 1, "the purchase's invoice only");
        }
        let holders: Vec<&str> = detail
            .assignments
            .iter()
            .map(|a| a.email.as_str())
            .collect();
        let expected: &[&str] = match role {
            Role::OtherGlobal => &["hank@fabrikam.com"],
            Role::Billing => &[],
            _ => &["hal@contoso.com"],
        };
        assert_eq!(holders, expected, "{role:?}");
        assert_eq!(
            (detail.can_manage, detail.can_assign),
            (role.manages(), role.assigns())
        );

        // Storage is Fabrikam's only: for Contoso it is a missing service, byte for byte.
        assert_eq!(missing_detail.status, 404);
        if role == Role::OtherGlobal {
            assert_eq!(storage_detail.status, 200, "{}", storage_detail.body);
        } else {
            assert_eq!(storage_detail.status, 404, "{}", storage_detail.body);
            assert_eq!(storage_detail.body, missing_detail.body);
        }
    }

    // One's own licenses: any signed-in account; a license holder sees theirs.
    for role in ROLES {
        let mine = app.call("my_licenses", &[], role.cookie(&f.w), &[]).await;
        if role == Role::Anonymous {
            assert_eq!(mine.status, 401);
        } else {
            assert_eq!(mine.status, 200, "{}", mine.body);
            let held: Vec<HeldLicense> = serde_json::from_str(&mine.body).expect("licenses");
            assert!(held.is_empty(), "{role:?} holds no license");
        }
    }
    let hal = app.signed_in("hal@contoso.com", "work").await;
    let mine = app.call("my_licenses", &[], Some(&hal), &[]).await;
    let held: Vec<HeldLicense> = serde_json::from_str(&mine.body).expect("licenses");
    assert_eq!(held.len(), 1);
    assert_eq!(
        (held[0].service.as_str(), held[0].offer.as_str()),
        ("Office", "Office E5")
    );
});

fn offer_form(name: &str) -> Vec<(String, String)> {
    [
        ("service", "Security"),
        ("name", name),
        ("description", "Threat protection"),
        ("unit", "license"),
        ("price", "7.50"),
        ("currency", "usd"),
        ("period", "annual"),
        ("trial_days", "14"),
        ("volume", "false"),
    ]
    .iter()
    .map(|(k, v)| (format!("offer[{k}]"), (*v).to_owned()))
    .collect()
}

on_both_engines!(offers_are_the_operators, |app| {
    let f = fixture(&app).await;
    for role in ROLES {
        let cookie = role.cookie(&f.w);
        let listed = app.call("list_offers", &[], cookie, &[]).await;
        let name = format!("Defender {role:?}");
        let form = offer_form(&name);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let before = snapshot(&app).await;
        let created = app.call("create_offer", &form, cookie, &[]).await;
        if role == Role::Staff {
            assert_eq!(listed.status, 200, "{}", listed.body);
            let offers: Vec<Offer> = serde_json::from_str(&listed.body).expect("offers");
            assert_eq!(offers.len(), 3);
            assert_eq!(created.status, 200, "{}", created.body);
            assert_eq!(
                app.count(&format!(
                    "SELECT COUNT(*) FROM offers WHERE name = '{name}' AND price_minor = 750 \
                     AND currency = 'USD' AND period_months = 12 AND trial_days = 14 AND listed = 1"
                ))
                .await,
                1
            );
            // Bad input: a message at the field, nothing written.
            let before = snapshot(&app).await;
            let mut bad = offer_form("Defender Plan 2");
            bad[4].1 = "7,50".to_owned();
            let bad: Vec<(&str, &str)> =
                bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let refused = app.call("create_offer", &bad, cookie, &[]).await;
            assert!(field(&refused, "price").contains("12.50"));
            assert_eq!(snapshot(&app).await, before);
        } else {
            assert_eq!(listed.status, role.refused(), "{role:?}: {}", listed.body);
            assert_eq!(created.status, role.refused(), "{role:?}: {}", created.body);
            assert_eq!(snapshot(&app).await, before, "{role:?}");
        }
    }
});
