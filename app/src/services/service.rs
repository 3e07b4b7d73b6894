//! The steps between the services domain's server functions and its queries: parsing the
//! forms, the rules of DESIGN's "Subscriptions" and "Licenses", and the invoice each change
//! produces, each change in one write transaction with its audit entry.

use super::{
    repo::{self, subscriptions::SubRow},
    types::{self, Status},
    Change, ServiceData, ServicesData,
};
use crate::{
    accounts::types::EmailAddress,
    auth::{
        audit::{record, Entry},
        guard::{Authorized, OrgPermission, OrganizationScope},
    },
    billing::{LineKind, NewLine},
    error::AppError,
    state::now,
};

type Org = Authorized<OrganizationScope>;

/// The refusal for a paid purchase before the address is confirmed.
fn confirm_first(scope: &OrganizationScope) -> Result<(), AppError> {
    if scope.email_confirmed {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Confirm your email address first: open the link we mailed you when you signed up. Then you can buy."
                .to_owned(),
        ))
    }
}

pub async fn take_offer(
    who: &Org,
    offer_id: i64,
    trial: bool,
    quantity: &str,
) -> Result<i64, AppError> {
    let offer = repo::offers::listed_one(&who.state.db, offer_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let org = who.scope.organization_id;
    let mut tx = who.state.db.begin_write().await?;
    let id = if trial {
        if offer.trial_days == 0 {
            return Err(AppError::Conflict("This offer has no trial.".to_owned()));
        }
        if repo::subscriptions::has_trial(&mut tx, org, offer.id).await? {
            return Err(AppError::Conflict(
                "Your organization has already tried this offer. Buy it to keep using it."
                    .to_owned(),
            ));
        }
        repo::subscriptions::insert(&mut tx, org, &offer, Status::Trial, types::TRIAL_QUANTITY)
            .await?
    } else {
        confirm_first(&who.scope)?;
        let quantity =
            types::parse_quantity(quantity).map_err(|m| AppError::field("quantity", m))?;
        let id =
            repo::subscriptions::insert(&mut tx, org, &offer, Status::Active, quantity).await?;
        let line = NewLine {
            kind: LineKind::Purchase,
            description: format!("{} — {}", offer.name, term_words(offer.period_months)),
            quantity,
            unit_price_minor: offer.price_minor,
        };
        crate::billing::issue(&mut tx, org, id, &offer.currency, vec![line]).await?;
        id
    };
    audit(
        who,
        &mut tx,
        "subscription.buy",
        id,
        format!("{}{}", offer.name, if trial { " (trial)" } else { "" }),
    )
    .await?;
    tx.commit().await?;
    Ok(offer.service_id)
}

fn term_words(months: i64) -> &'static str {
    if months == 12 {
        "one year"
    } else {
        "one month"
    }
}

async fn audit(
    who: &Org,
    tx: &mut crate::db::Tx,
    action: &'static str,
    subscription_id: i64,
    detail: String,
) -> Result<(), AppError> {
    record(
        tx,
        Entry::in_organization(
            &who.caller,
            who.scope.organization_id,
            action,
            ("subscription", subscription_id),
            detail,
            &who.ip,
        ),
    )
    .await?;
    Ok(())
}

pub async fn overview(who: &Org) -> Result<ServicesData, AppError> {
    Ok(ServicesData {
        organization: who.scope.organization_name.clone(),
        services: repo::subscriptions::summaries(&who.state.db, who.scope.organization_id).await?,
        must_confirm: !who.scope.email_confirmed,
        can_buy: who.scope.can(OrgPermission::ManageSubscriptions),
    })
}

pub async fn detail(who: &Org, service_id: i64, page: i64) -> Result<ServiceData, AppError> {
    let db = &who.state.db;
    let org = who.scope.organization_id;
    let (name, subscriptions) = repo::subscriptions::of_service(db, org, service_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let ids: Vec<i64> = subscriptions.iter().map(|s| s.id).collect();
    let invoices = if who.scope.can(OrgPermission::ViewInvoices) {
        Some(crate::billing::of_subscriptions(db, org, &ids).await?)
    } else {
        None
    };
    let can_assign = who.scope.can(OrgPermission::AssignLicenses);
    let total: i64 = subscriptions.iter().map(|s| s.assigned).sum();
    let paged = crate::db::page(page, total, super::ASSIGNMENTS_PER_PAGE);
    let assignments = if can_assign {
        repo::licenses::of_service(
            db,
            org,
            service_id,
            paged.offset,
            super::ASSIGNMENTS_PER_PAGE,
        )
        .await?
    } else {
        Vec::new()
    };
    Ok(ServiceData {
        service_id,
        name,
        subscriptions,
        invoices,
        assignments,
        assignments_total: total,
        page: paged.number,
        pages: ((total + super::ASSIGNMENTS_PER_PAGE - 1) / super::ASSIGNMENTS_PER_PAGE).max(1),
        can_manage: who.scope.can(OrgPermission::ManageSubscriptions),
        can_assign,
        must_confirm: !who.scope.email_confirmed,
    })
}

/// One change of a subscription of the caller's organization; answers its service's id.
pub async fn change(who: &Org, subscription_id: i64, change: Change) -> Result<i64, AppError> {
    let org = who.scope.organization_id;
    let mut tx = who.state.db.begin_write().await?;
    let sub = repo::subscriptions::get(&mut tx, org, subscription_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = now();
    let (action, detail, line) = match change {
        Change::Upgrade => {
            confirm_first(&who.scope)?;
            require_status(&sub, &[Status::Trial], "Only a trial can be upgraded.")?;
            let ends = super::lifecycle::term_end(now, sub.period_months);
            repo::subscriptions::set_term(&mut tx, &sub, Status::Active, now, ends).await?;
            let line = NewLine {
                kind: LineKind::Conversion,
                description: format!(
                    "{} — trial converted, {}",
                    sub.offer,
                    term_words(sub.period_months)
                ),
                quantity: sub.quantity,
                unit_price_minor: sub.price_minor,
            };
            ("subscription.upgrade", sub.offer.clone(), Some(line))
        }
        Change::Quantity(input) => {
            let quantity =
                types::parse_quantity(&input).map_err(|m| AppError::field("quantity", m))?;
            if sub.status == Status::Trial {
                return Err(AppError::field(
                    "quantity",
                    "Licenses cannot be added to a trial. Upgrade it first.",
                ));
            }
            require_status(
                &sub,
                &[Status::Active],
                "Only an active subscription changes its quantity.",
            )?;
            if quantity == sub.quantity {
                return Err(AppError::field(
                    "quantity",
                    format!("The subscription already has {quantity} licenses."),
                ));
            }
            let assigned = repo::subscriptions::set_quantity(&mut tx, &sub, quantity).await?;
            if let Some(assigned) = assigned {
                return Err(AppError::field(
                    "quantity",
                    format!(
                        "{assigned} licenses are assigned, so the total cannot go below {assigned}: you asked for {quantity}. Take licenses back first."
                    ),
                ));
            }
            let delta = quantity - sub.quantity;
            let line = NewLine {
                kind: if delta > 0 {
                    LineKind::QuantityChange
                } else {
                    LineKind::Credit
                },
                description: format!("{} — {} to {} licenses", sub.offer, sub.quantity, quantity),
                quantity: delta.abs(),
                unit_price_minor: if delta > 0 {
                    sub.price_minor
                } else {
                    -sub.price_minor
                },
            };
            (
                "subscription.quantity",
                format!("{}: {} → {}", sub.offer, sub.quantity, quantity),
                Some(line),
            )
        }
        Change::Recurring(on) => {
            require_status(
                &sub,
                &[Status::Active],
                "Recurring billing applies to an active subscription.",
            )?;
            repo::subscriptions::set_recurring(&mut tx, &sub, on).await?;
            let words = if on { "on" } else { "off" };
            (
                "subscription.recurring",
                format!("{}: recurring billing {words}", sub.offer),
                None,
            )
        }
        Change::Cancel(reason) => {
            let reason = types::parse_reason(&reason).map_err(|m| AppError::field("reason", m))?;
            require_status(
                &sub,
                &[
                    Status::Trial,
                    Status::Active,
                    Status::Expired,
                    Status::Pending,
                ],
                "This subscription cannot be cancelled any more.",
            )?;
            repo::subscriptions::cancel(&mut tx, &sub, reason).await?;
            let line = (sub.status != Status::Trial).then(|| NewLine {
                kind: LineKind::Cancellation,
                description: format!(
                    "{} — cancelled ({reason}); no charge for the rest of the term",
                    sub.offer
                ),
                quantity: sub.quantity,
                unit_price_minor: 0,
            });
            (
                "subscription.cancel",
                format!("{}: {reason}", sub.offer),
                line,
            )
        }
        Change::Renew => {
            confirm_first(&who.scope)?;
            require_status(
                &sub,
                &[Status::Expired, Status::Disabled],
                "Only an expired or disabled subscription is renewed by hand.",
            )?;
            let ends = super::lifecycle::term_end(now, sub.period_months);
            repo::subscriptions::set_term(&mut tx, &sub, Status::Active, now, ends).await?;
            let line = NewLine {
                kind: LineKind::Renewal,
                description: format!("{} — renewed, {}", sub.offer, term_words(sub.period_months)),
                quantity: sub.quantity,
                unit_price_minor: sub.price_minor,
            };
            ("subscription.renew", sub.offer.clone(), Some(line))
        }
    };
    if let Some(line) = line {
        crate::billing::issue(&mut tx, org, sub.id, &sub.currency, vec![line]).await?;
    }
    audit(who, &mut tx, action, sub.id, detail).await?;
    tx.commit().await?;
    Ok(sub.service_id)
}

fn require_status(sub: &SubRow, allowed: &[Status], message: &str) -> Result<(), AppError> {
    if allowed.contains(&sub.status) {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "{message} This one is {}.",
            sub.status.label().to_lowercase()
        )))
    }
}

pub async fn assign(who: &Org, subscription_id: i64, email: &str) -> Result<i64, AppError> {
    let email = EmailAddress::parse(email).map_err(|m| AppError::field("email", m))?;
    let org = who.scope.organization_id;
    let mut tx = who.state.db.begin_write().await?;
    let sub = repo::subscriptions::get(&mut tx, org, subscription_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !sub.status.usable() {
        return Err(AppError::Conflict(format!(
            "Licenses of a {} subscription cannot be assigned.",
            sub.status.label().to_lowercase()
        )));
    }
    let (account_id, name, _) = crate::accounts::work_account_in(&mut tx, org, email.canonical())
        .await?
        .ok_or_else(|| {
            AppError::field(
                "email",
                "No user of your organization has this address. Licenses go to your organization's work accounts.",
            )
        })?;
    repo::licenses::assign(&mut tx, &sub, account_id, &name).await?;
    record(
        &mut tx,
        Entry::in_organization(
            &who.caller,
            org,
            "license.assign",
            ("subscription", sub.id),
            format!("{}: {}", sub.offer, email.as_str()),
            &who.ip,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(sub.service_id)
}

pub async fn unassign(who: &Org, subscription_id: i64, account_id: i64) -> Result<i64, AppError> {
    let org = who.scope.organization_id;
    let mut tx = who.state.db.begin_write().await?;
    let sub = repo::subscriptions::get(&mut tx, org, subscription_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let email = repo::licenses::unassign(&mut tx, &sub, account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    record(
        &mut tx,
        Entry::in_organization(
            &who.caller,
            org,
            "license.unassign",
            ("subscription", sub.id),
            format!("{}: {email}", sub.offer),
            &who.ip,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(sub.service_id)
}
