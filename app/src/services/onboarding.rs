//! Before an organization has services: the public catalogue, signing an organization up
//! (everything in one transaction), the confirmation of the new Global Administrator's
//! address, and the operator's offers.

use super::{repo, types, types::Status, CatalogueData, OfferInput};
use crate::{
    accounts::{
        types::{AccountKind, DisplayName, EmailAddress, NewPassword},
        NewAccount, NewOrganization,
    },
    auth::{
        audit::{record, Actor, Entry},
        guard::{OrgPermission, Visitor},
        kinds::OrgRole,
    },
    error::{AppError, FieldErrors},
    state::AppState,
};

pub async fn catalogue(who: &Visitor) -> Result<CatalogueData, AppError> {
    let offers = repo::offers::listed(&who.state.db).await?;
    let scope = match who.caller().await? {
        Some(caller) => Some(crate::auth::organization::standing(&who.state.db, &caller).await?),
        None => None,
    };
    let can_buy = scope
        .as_ref()
        .and_then(Option::as_ref)
        .is_some_and(|s| s.can(OrgPermission::ManageSubscriptions));
    Ok(CatalogueData {
        offers,
        can_buy,
        signed_in: scope.is_some(),
        must_confirm: scope.flatten().is_some_and(|s| !s.email_confirmed),
    })
}

pub struct SignUp {
    pub organization: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub offer_id: i64,
}

/// Sign-up: everything or nothing, in one transaction; then the new Global Administrator is
/// signed in.
pub async fn sign_up(who: &Visitor, form: SignUp) -> Result<(), AppError> {
    repo::signup::count_attempt(&who.state.db, &who.address.to_string()).await?;
    let mut errors = FieldErrors::default();
    let organization = errors.check(
        "organization",
        types::parse_organization_name(&form.organization).and_then(|n| DisplayName::parse(&n)),
    );
    let name = errors.check("name", DisplayName::parse(&form.name));
    let email = errors.check(
        "email",
        EmailAddress::parse(&form.email).and_then(|e| {
            if types::is_personal_domain(e.domain()) {
                Err(format!(
                    "{} is a personal mail service. Sign up with your work address, on your organization's own domain.",
                    e.domain()
                ))
            } else {
                Ok(e)
            }
        }),
    );
    let password = errors.check("password", NewPassword::parse(&form.password));
    errors.into_result()?;
    let (Some(organization), Some(name), Some(email), Some(password)) =
        (organization, name, email, password)
    else {
        return Err(AppError::field("form", "The form was incomplete."));
    };
    let offer = repo::offers::listed_one(&who.state.db, form.offer_id)
        .await?
        .ok_or_else(|| AppError::field("offer", "Choose an offer from the catalogue."))?;
    let password_hash = who.state.security.hash(password.expose()).await?;
    let ip = who.address.to_string();
    let label = email.as_str().to_owned();
    let mut tx = who.state.db.begin_write().await?;
    let org = NewOrganization {
        name: organization,
        domain: email.domain().to_owned(),
    };
    // The accounts domain names its fields after its own form; here they are this form's.
    let organization_id = crate::accounts::insert_organization(
        &mut tx,
        &org,
        false,
        Actor::Registering { label: &label },
        &ip,
    )
    .await
    .map_err(|e| rename_fields(e, &[("name", "organization"), ("domain", "email")]))?;
    let account_id = crate::accounts::insert_account(
        &mut tx,
        &NewAccount {
            kind: AccountKind::Work,
            email: email.clone(),
            display_name: name,
            phone: None,
            organization_id: Some(organization_id),
            password_hash,
        },
        Actor::Registering { label: &label },
        &ip,
    )
    .await?;
    crate::organizations::grant(&mut tx, organization_id, account_id, OrgRole::Global).await?;
    repo::signup::ask_confirmation(&mut tx, &who.state.config.base_url, account_id, &email).await?;
    if offer.trial_days > 0 {
        repo::subscriptions::insert(
            &mut tx,
            organization_id,
            &offer,
            Status::Trial,
            types::TRIAL_QUANTITY,
        )
        .await?;
    }
    record(
        &mut tx,
        Entry {
            actor: Actor::Account {
                id: account_id,
                label: &label,
            },
            action: "organization.sign_up",
            object_type: "organization",
            object_id: Some(organization_id),
            organization_id: Some(organization_id),
            agreement_id: None,
            workspace_id: None,
            detail: format!("{}: {}", org.name.as_str(), offer.name),
            ip: &ip,
        },
    )
    .await?;
    tx.commit().await?;
    let cookie =
        crate::auth::session::start(&who.state.db, &who.state.config, account_id, who.address)
            .await?;
    crate::auth::session::set_cookie(&cookie)
}

fn rename_fields(error: AppError, names: &[(&str, &str)]) -> AppError {
    match error {
        AppError::Validation(mut fields) => {
            for field in &mut fields {
                if let Some((_, to)) = names.iter().find(|(from, _)| *from == field.field) {
                    field.field = (*to).to_owned();
                }
            }
            AppError::Validation(fields)
        }
        other => other,
    }
}

pub async fn confirm_email(who: &Visitor, token: &str) -> Result<(), AppError> {
    repo::signup::confirm(&who.state.db, token).await
}

pub async fn create_offer(
    state: &AppState,
    input: &OfferInput,
    actor: Actor<'_>,
    ip: &str,
) -> Result<i64, AppError> {
    let mut errors = FieldErrors::default();
    let service = errors.check(
        "service",
        types::parse_text(&input.service, "the service's name", 100),
    );
    let name = errors.check(
        "name",
        types::parse_text(&input.name, "the offer's name", 100),
    );
    let description = errors.check(
        "description",
        types::parse_text(&input.description, "a description", 500),
    );
    let unit = errors.check(
        "unit",
        types::parse_text(&input.unit, "a unit, like license", 30),
    );
    let price = errors.check("price", types::parse_price(&input.price));
    let currency = errors.check("currency", types::parse_currency(&input.currency));
    let period = errors.check(
        "period",
        match input.period.as_str() {
            "monthly" => Ok(1),
            "annual" => Ok(12),
            _ => Err("Choose monthly or annual billing.".to_owned()),
        },
    );
    let trial_days = errors.check(
        "trial_days",
        match input.trial_days.trim() {
            "" => Ok(0),
            days => days
                .parse::<i64>()
                .ok()
                .filter(|d| (0..=365).contains(d))
                .ok_or_else(|| {
                    "Enter the trial's length in days, from 0 (no trial) to 365.".to_owned()
                }),
        },
    );
    errors.into_result()?;
    let (
        Some(service),
        Some(name),
        Some(description),
        Some(unit),
        Some(price),
        Some(currency),
        Some(period),
        Some(trial_days),
    ) = (
        service,
        name,
        description,
        unit,
        price,
        currency,
        period,
        trial_days,
    )
    else {
        return Err(AppError::field("form", "The form was incomplete."));
    };
    repo::offers::create(
        state,
        repo::offers::NewOffer {
            service,
            name,
            description,
            unit,
            price_minor: price,
            currency,
            period_months: period,
            trial_days,
            volume: input.volume,
        },
        actor,
        ip,
    )
    .await
}
