//! The demo organization's services side: three offers, Contoso's administrators (one per
//! role), a trial, an active and an expired subscription with their invoices, and licenses
//! assigned to Megan and Alex. Loaded once; a second run leaves it as it is.

use app::{
    auth::{audit::Actor, kinds::OrgRole},
    services::{self, repo, Status},
    state::{now, AppState},
};
use sqlx::Row;

use super::{demo::DEMO_PASSWORD, describe};

/// (email, name, role): the administrators the demo prints.
pub const DEMO_ADMINS: &[(&str, &str, OrgRole)] = &[
    ("megan@contoso.com", "Megan Bowen", OrgRole::Global),
    ("bianca@contoso.com", "Bianca Billing", OrgRole::Billing),
    ("ulrich@contoso.com", "Ulrich Users", OrgRole::User),
];

fn offer(
    service: &str,
    name: &str,
    description: &str,
    price: &str,
    period: &str,
    trial: &str,
    volume: bool,
) -> services::OfferInput {
    services::OfferInput {
        service: service.to_owned(),
        name: name.to_owned(),
        description: description.to_owned(),
        unit: "license".to_owned(),
        price: price.to_owned(),
        currency: "EUR".to_owned(),
        period: period.to_owned(),
        trial_days: trial.to_owned(),
        volume,
    }
}

pub async fn load(state: &AppState) -> Result<String, String> {
    let db = &state.db;
    let err = |e: sqlx::Error| e.to_string();
    let org: i64 = sqlx::query("SELECT id FROM organizations WHERE name_canonical = 'contoso'")
        .fetch_one(db.pool())
        .await
        .map_err(err)?
        .try_get("id")
        .map_err(err)?;
    for (email, name, role) in DEMO_ADMINS {
        let exists = sqlx::query(
            "SELECT COUNT(*) AS n FROM accounts WHERE kind = 'work' AND email_canonical = $1",
        )
        .bind(email)
        .fetch_one(db.pool())
        .await
        .map_err(err)?
        .try_get::<i64, _>("n")
        .map_err(err)?;
        if exists == 0 {
            app::accounts::service::create_account(
                state,
                app::accounts::service::CreateAccount {
                    kind: "work",
                    email,
                    name,
                    phone: None,
                    organization: None,
                    password: DEMO_PASSWORD,
                },
                Actor::CommandLine,
            )
            .await
            .map_err(|e| describe(&e))?;
        }
        app::organizations::grant_by_email(state, email, *role, Actor::CommandLine)
            .await
            .map_err(|e| describe(&e))?;
    }
    let held = sqlx::query("SELECT COUNT(*) AS n FROM subscriptions WHERE organization_id = $1")
        .bind(org)
        .fetch_one(db.pool())
        .await
        .map_err(err)?
        .try_get::<i64, _>("n")
        .map_err(err)?;
    if held > 0 {
        return Ok(summary());
    }
    let offers = [
        offer(
            "Teamwork Suite",
            "Teamwork Suite Business",
            "Mail, calendars, chat and files for teams.",
            "12.50",
            "monthly",
            "30",
            false,
        ),
        offer(
            "Secure Mail",
            "Secure Mail Standard",
            "Filtering and archiving of your organization's mail.",
            "4",
            "monthly",
            "0",
            false,
        ),
        offer(
            "Device Management",
            "Device Management Volume",
            "Enrol and manage your organization's devices.",
            "48",
            "annual",
            "0",
            true,
        ),
    ];
    let mut ids = Vec::new();
    for input in &offers {
        let id = services::create_offer_as(state, input, Actor::CommandLine)
            .await
            .map_err(|e| describe(&e))?;
        ids.push(id);
    }
    let mut tx = db.begin_write().await.map_err(err)?;
    let full = |id| repo::offers::listed_one(db, id);
    let (trial, mail, devices) = (
        full(ids[0])
            .await
            .map_err(|e| describe(&e))?
            .ok_or("no offer")?,
        full(ids[1])
            .await
            .map_err(|e| describe(&e))?
            .ok_or("no offer")?,
        full(ids[2])
            .await
            .map_err(|e| describe(&e))?
            .ok_or("no offer")?,
    );
    repo::subscriptions::insert(
        &mut tx,
        org,
        &trial,
        Status::Trial,
        services::types::TRIAL_QUANTITY,
    )
    .await
    .map_err(|e| describe(&e))?;
    let mail_id = bought(&mut tx, org, &mail, 10).await?;
    let devices_id = bought(&mut tx, org, &devices, 5).await?;
    let mail_sub = repo::subscriptions::get(&mut tx, org, mail_id)
        .await
        .map_err(|e| describe(&e))?
        .ok_or("no subscription")?;
    for email in ["megan@contoso.com", "alex@contoso.com"] {
        let (account, name, _) = app::accounts::work_account_in(&mut tx, org, email)
            .await
            .map_err(|e| describe(&e))?
            .ok_or("no account")?;
        repo::licenses::assign(&mut tx, &mail_sub, account, &name)
            .await
            .map_err(|e| describe(&e))?;
    }
    // The devices' term ended ten days ago without renewal: the lifecycle job makes it expired.
    sqlx::query("UPDATE subscriptions SET recurring = 0, starts_at = $1, ends_at = $2, due_at = $2, reminded_for = $2 WHERE id = $3")
        .bind(now() - 375 * 86_400)
        .bind(now() - 10 * 86_400)
        .bind(devices_id)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    tx.commit().await.map_err(err)?;
    services::lifecycle::run_due(db, now())
        .await
        .map_err(|e| describe(&e))?;
    Ok(summary())
}

async fn bought(
    tx: &mut app::db::Tx,
    org: i64,
    offer: &repo::offers::Full,
    quantity: i64,
) -> Result<i64, String> {
    let id = repo::subscriptions::insert(tx, org, offer, Status::Active, quantity)
        .await
        .map_err(|e| describe(&e))?;
    app::billing::issue(
        tx,
        org,
        id,
        &offer.currency,
        vec![app::billing::NewLine {
            kind: app::billing::LineKind::Purchase,
            description: format!("{} — first term", offer.name),
            quantity,
            unit_price_minor: offer.price_minor,
        }],
    )
    .await
    .map_err(|e| describe(&e))?;
    Ok(id)
}

fn summary() -> String {
    let mut out = String::from(
        "Contoso's services (Services page at /services): a Teamwork Suite trial, Secure Mail (active, 2 of 10 licenses assigned) and Device Management (expired), with invoices. Its administrators, same password:\n",
    );
    for (email, name, role) in DEMO_ADMINS {
        out.push_str(&format!("  {email:<20} {name:<15} {}\n", role.label()));
    }
    out.push_str("  alex@contoso.com holds a license and no administrative role.\n");
    out
}
