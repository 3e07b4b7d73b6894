//! "Account for organizations", the services side (DESIGN): the provider's offers and the
//! public catalogue, signing an organization up, its subscriptions and their lifecycle, and the
//! assignment of their licenses. Invoices are the `billing` domain's; administrative roles the
//! `organizations` domain's. Every function here runs in the caller's own organization
//! (`require_org`), so another organization's subscription id answers like a missing one.

pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod lifecycle;
#[cfg(feature = "ssr")]
mod onboarding;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
mod service;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require_operator, require_org, require_user, visitor, OrgPermission};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
pub use types::Status;

/// An offer of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub id: i64,
    pub service: String,
    pub name: String,
    pub description: String,
    pub unit: String,
    pub price_minor: i64,
    pub currency: String,
    pub period_months: i64,
    pub trial_days: i64,
    pub volume: bool,
}

impl Offer {
    /// "€12.00 per license a month".
    pub fn price_label(&self) -> String {
        format!(
            "{} per {} {}",
            crate::billing::format_money(self.price_minor, &self.currency),
            self.unit,
            if self.period_months == 12 {
                "a year"
            } else {
                "a month"
            }
        )
    }
}

/// The public catalogue, with what the visitor may do with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueData {
    pub offers: Vec<Offer>,
    /// Signed in as a Global or Billing Administrator: offers are taken here directly.
    pub can_buy: bool,
    pub signed_in: bool,
    /// The signed-in administrator's address still waits for its confirmation link.
    pub must_confirm: bool,
}

/// One service the organization holds, summed over its subscriptions (the Services page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSummary {
    pub service_id: i64,
    pub name: String,
    pub total: i64,
    pub in_use: i64,
    pub nearest_expiry: Option<i64>,
    pub status: Status,
    pub volume: bool,
}

impl ServiceSummary {
    /// Remaining licenses: total − in use, never negative.
    pub fn remaining(&self) -> i64 {
        (self.total - self.in_use).max(0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicesData {
    pub organization: String,
    pub services: Vec<ServiceSummary>,
    pub must_confirm: bool,
    pub can_buy: bool,
}

/// A subscription on its service's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: i64,
    pub offer: String,
    pub quantity: i64,
    pub assigned: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub status: Status,
    pub recurring: bool,
    pub volume: bool,
    pub price_label: String,
    pub cancel_reason: Option<String>,
}

/// A license held by a user of the organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub subscription_id: i64,
    pub account_id: i64,
    pub name: String,
    pub email: String,
    pub offer: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceData {
    pub service_id: i64,
    pub name: String,
    pub subscriptions: Vec<Subscription>,
    /// None when the caller may not see invoices (a User Administrator).
    pub invoices: Option<Vec<crate::billing::InvoiceSummary>>,
    /// One page of the service's license assignments (shown to those who assign them).
    pub assignments: Vec<Assignment>,
    pub assignments_total: i64,
    pub page: i64,
    pub pages: i64,
    pub can_manage: bool,
    pub can_assign: bool,
    pub must_confirm: bool,
}

/// A license on the holder's own profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldLicense {
    pub service: String,
    pub offer: String,
    pub status: Status,
}

/// A license one account holds, with its subscription (the Identity page's user page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLicense {
    pub subscription_id: i64,
    pub service: String,
    pub offer: String,
    pub status: Status,
}

/// A subscription with licenses left to assign ("Assign a license" on a user's page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenSubscription {
    pub id: i64,
    pub service: String,
    pub offer: String,
    pub remaining: i64,
}

/// For the Identity page (the `identity` domain): the licenses an account of the organization
/// holds, the subscriptions with licenses left, assigning and taking back one license (the
/// same rules, counts and audit entries as the Services page), and giving back every license of
/// an account being deleted, in the caller's transaction.
#[cfg(feature = "ssr")]
pub async fn licenses_of(
    db: &crate::state::Db,
    organization_id: i64,
    account_id: i64,
) -> Result<Vec<AccountLicense>, AppError> {
    repo::licenses::of_account(db, organization_id, account_id).await
}

#[cfg(feature = "ssr")]
pub async fn open_subscriptions(
    db: &crate::state::Db,
    organization_id: i64,
) -> Result<Vec<OpenSubscription>, AppError> {
    repo::licenses::open_subscriptions(db, organization_id).await
}

#[cfg(feature = "ssr")]
pub async fn assign_to(
    who: &crate::auth::guard::Authorized<crate::auth::guard::OrganizationScope>,
    subscription_id: i64,
    email: &str,
) -> Result<(), AppError> {
    service::assign(who, subscription_id, email)
        .await
        .map(|_| ())
}

#[cfg(feature = "ssr")]
pub async fn unassign_from(
    who: &crate::auth::guard::Authorized<crate::auth::guard::OrganizationScope>,
    subscription_id: i64,
    account_id: i64,
) -> Result<(), AppError> {
    service::unassign(who, subscription_id, account_id)
        .await
        .map(|_| ())
}

#[cfg(feature = "ssr")]
pub async fn release_licenses(
    tx: &mut crate::db::Tx,
    organization_id: i64,
    account_id: i64,
) -> Result<(), AppError> {
    repo::licenses::release_all(tx, organization_id, account_id).await
}

/// Assignments shown per page of a service's detail.
pub const ASSIGNMENTS_PER_PAGE: i64 = 50;

/// The catalogue: public, so a visitor can choose before signing up.
#[server(endpoint = "catalogue")]
pub async fn catalogue() -> Result<CatalogueData, AppError> {
    let who = visitor()?;
    onboarding::catalogue(&who).await
}

/// A visitor signs an organization up (DESIGN, "Catalogue and sign-up"): the organization,
/// its first (unverified) domain, the first user as Global Administrator and, for a trial, the
/// trial itself, in one transaction; then they are signed in and land on the Services page.
#[server(endpoint = "sign_up")]
pub async fn sign_up(
    organization: String,
    name: String,
    email: String,
    password: String,
    offer_id: i64,
) -> Result<(), AppError> {
    let who = visitor()?;
    let form = onboarding::SignUp {
        organization,
        name,
        email,
        password,
        offer_id,
    };
    onboarding::sign_up(&who, form).await?;
    leptos_axum::redirect("/services?welcome=1");
    Ok(())
}

/// The link of the confirmation mail.
#[server(endpoint = "confirm_email")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    let who = visitor()?;
    onboarding::confirm_email(&who, &token).await?;
    leptos_axum::redirect("/services?confirmed=1");
    Ok(())
}

/// Takes an offer for the caller's organization: its trial, or `quantity` paid licenses.
#[server(endpoint = "take_offer")]
pub async fn take_offer(offer_id: i64, trial: bool, quantity: String) -> Result<(), AppError> {
    let who = require_org(OrgPermission::ManageSubscriptions).await?;
    let service_id = service::take_offer(&who, offer_id, trial, &quantity).await?;
    leptos_axum::redirect(&format!("/services/{service_id}?done=bought"));
    Ok(())
}

#[server(endpoint = "services_overview")]
pub async fn services_overview() -> Result<ServicesData, AppError> {
    let who = require_org(OrgPermission::ViewServices).await?;
    service::overview(&who).await
}

#[server(endpoint = "service_detail")]
pub async fn service_detail(service_id: i64, page: i64) -> Result<ServiceData, AppError> {
    let who = require_org(OrgPermission::ViewServices).await?;
    service::detail(&who, service_id, page).await
}

/// The change a subscription's "Manage" form asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Upgrade,
    Quantity(String),
    Recurring(bool),
    Cancel(String),
    Renew,
}

/// One server function per form, each the same three lines: guard, change, back to the page.
macro_rules! subscription_change {
    ($name:ident, $endpoint:literal, ($($arg:ident: $ty:ty),*), $change:expr, $done:literal) => {
        #[server(endpoint = $endpoint)]
        pub async fn $name(subscription_id: i64, $($arg: $ty),*) -> Result<(), AppError> {
            let who = require_org(OrgPermission::ManageSubscriptions).await?;
            let service_id = service::change(&who, subscription_id, $change).await?;
            leptos_axum::redirect(&format!("/services/{service_id}?done={}", $done));
            Ok(())
        }
    };
}

subscription_change!(
    upgrade,
    "upgrade_subscription",
    (),
    Change::Upgrade,
    "upgraded"
);
subscription_change!(
    change_quantity,
    "change_quantity",
    (quantity: String),
    Change::Quantity(quantity),
    "quantity"
);
subscription_change!(
    set_recurring,
    "set_recurring",
    (recurring: String),
    Change::Recurring(recurring == "on"),
    "recurring"
);
subscription_change!(
    cancel_subscription,
    "cancel_subscription",
    (reason: String),
    Change::Cancel(reason),
    "cancelled"
);
subscription_change!(renew, "renew_subscription", (), Change::Renew, "renewed");

/// Assigns one of the subscription's licenses to the user of the organization with `email`.
#[server(endpoint = "assign_license")]
pub async fn assign_license(subscription_id: i64, email: String) -> Result<(), AppError> {
    let who = require_org(OrgPermission::AssignLicenses).await?;
    let service_id = service::assign(&who, subscription_id, &email).await?;
    leptos_axum::redirect(&format!("/services/{service_id}?done=assigned"));
    Ok(())
}

#[server(endpoint = "unassign_license")]
pub async fn unassign_license(subscription_id: i64, account_id: i64) -> Result<(), AppError> {
    let who = require_org(OrgPermission::AssignLicenses).await?;
    let service_id = service::unassign(&who, subscription_id, account_id).await?;
    leptos_axum::redirect(&format!("/services/{service_id}?done=unassigned"));
    Ok(())
}

/// The licenses the caller holds (their profile). Any signed-in account: an account of no
/// organization holds none.
#[server(endpoint = "my_licenses")]
pub async fn my_licenses() -> Result<Vec<HeldLicense>, AppError> {
    let who = require_user().await?;
    repo::licenses::held_by(&who.state.db, who.caller.account_id).await
}

/// The operator's offers (the staff console's Offers page).
#[server(endpoint = "list_offers")]
pub async fn list_offers() -> Result<Vec<Offer>, AppError> {
    let who = require_operator().await?;
    repo::offers::all(&who.state.db).await
}

/// An offer as the operator types it (the staff console's form and `admin create-offer`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferInput {
    pub service: String,
    pub name: String,
    pub description: String,
    pub unit: String,
    pub price: String,
    pub currency: String,
    /// "monthly" or "annual".
    pub period: String,
    pub trial_days: String,
    /// A checkbox: absent from the form when it is not ticked.
    #[serde(default)]
    pub volume: bool,
}

#[server(endpoint = "create_offer")]
pub async fn create_offer(offer: OfferInput) -> Result<(), AppError> {
    let who = require_operator().await?;
    onboarding::create_offer(&who.state, &offer, who.actor(), &who.ip).await?;
    leptos_axum::redirect("/staff/offers?done=created");
    Ok(())
}

/// For the command line (`admin create-offer`): the same checks as the staff console's form.
#[cfg(feature = "ssr")]
pub async fn create_offer_as(
    state: &crate::state::AppState,
    offer: &OfferInput,
    actor: crate::auth::audit::Actor<'_>,
) -> Result<i64, AppError> {
    onboarding::create_offer(state, offer, actor, "local").await
}
