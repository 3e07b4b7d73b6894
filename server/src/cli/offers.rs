//! The organization side's admin commands: `create-offer` (the catalogue) and `assign-role`
//! (an organization's administrative roles).

use app::{auth::audit::Actor, auth::kinds::OrgRole, state::AppState};
use clap::{Args, ValueEnum};

use super::describe;

#[derive(Args, Debug)]
pub struct OfferArgs {
    /// The service it gives; offers of one service are summed on the Services page.
    #[arg(long)]
    service: String,
    #[arg(long)]
    name: String,
    #[arg(long)]
    description: String,
    /// What a license counts, e.g. "license" or "user".
    #[arg(long, default_value = "license")]
    unit: String,
    /// Price per unit and billing period, e.g. 12.50.
    #[arg(long)]
    price: String,
    /// ISO 4217 code, e.g. EUR.
    #[arg(long, default_value = "EUR")]
    currency: String,
    #[arg(long, value_enum, default_value = "monthly")]
    period: Period,
    /// Length of the free trial in days (0: none).
    #[arg(long = "trial-days", default_value = "0")]
    trial_days: String,
    /// Sold as a volume license agreement.
    #[arg(long)]
    volume: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Period {
    Monthly,
    Annual,
}

#[derive(Args, Debug)]
pub struct RoleArgs {
    #[arg(long)]
    email: String,
    #[arg(long, value_enum)]
    role: RoleArg,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum RoleArg {
    Global,
    Billing,
    User,
}

/// Prints the new offer's id alone, so scripts can capture it.
pub async fn create_offer(state: &AppState, args: OfferArgs) -> Result<String, String> {
    let offer = app::services::OfferInput {
        service: args.service,
        name: args.name,
        description: args.description,
        unit: args.unit,
        price: args.price,
        currency: args.currency,
        period: match args.period {
            Period::Monthly => "monthly",
            Period::Annual => "annual",
        }
        .to_owned(),
        trial_days: args.trial_days,
        volume: args.volume,
    };
    let id = app::services::create_offer_as(state, &offer, Actor::CommandLine)
        .await
        .map_err(|e| describe(&e))?;
    Ok(id.to_string())
}

pub async fn assign_role(state: &AppState, args: RoleArgs) -> Result<String, String> {
    let role = match args.role {
        RoleArg::Global => OrgRole::Global,
        RoleArg::Billing => OrgRole::Billing,
        RoleArg::User => OrgRole::User,
    };
    app::organizations::grant_by_email(state, &args.email, role, Actor::CommandLine)
        .await
        .map_err(|e| describe(&e))?;
    Ok(format!("{} is now {}", args.email.trim(), role.label()))
}
