//! Invoices (DESIGN, "Account for organizations", "Invoices"): numbered in one sequence per
//! installation with no gaps and no reuse, immutable once issued (a mistake is voided, never
//! edited; the database's triggers hold it), each line saying what happened, amounts in minor
//! units with their currency. The services domain issues them inside its purchase, renewal,
//! quantity-change, conversion and cancellation transactions; Global and Billing Administrators
//! read them online and as a PDF.

pub mod pages;
mod types;

#[cfg(feature = "ssr")]
pub mod download;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod repo;

pub use types::{
    format_money, invoice_number, status_label, InvoiceLineView, InvoiceSummary, InvoiceView,
    LineKind, NewLine,
};

#[cfg(feature = "ssr")]
use crate::auth::guard::{require_org, Authorized, OrgPermission};
use crate::error::AppError;
use leptos::prelude::*;

/// Issues an invoice inside the caller's transaction (the purchase, renewal … that it bills):
/// takes the next number (a rolled-back transaction gives it back), bills the organization
/// under its name at this moment and stores the lines. Refuses an empty list of lines.
#[cfg(feature = "ssr")]
pub async fn issue(
    tx: &mut crate::db::Tx,
    organization_id: i64,
    subscription_id: i64,
    currency: &str,
    lines: Vec<NewLine>,
) -> Result<InvoiceSummary, AppError> {
    repo::issue(tx, organization_id, subscription_id, currency, lines).await
}

/// The invoices of these subscriptions of the organization, newest first (a service's detail
/// page; its caller has checked `OrgPermission::ViewInvoices`).
#[cfg(feature = "ssr")]
pub async fn of_subscriptions(
    db: &crate::state::Db,
    organization_id: i64,
    subscription_ids: &[i64],
) -> Result<Vec<InvoiceSummary>, AppError> {
    repo::of_subscriptions(db, organization_id, subscription_ids).await
}

/// One invoice of the caller's organization (Global and Billing Administrators). Another
/// organization's invoice answers exactly like a missing one.
#[server(endpoint = "invoice")]
pub async fn invoice(invoice_id: i64) -> Result<InvoiceView, AppError> {
    let Authorized { state, scope, .. } = require_org(OrgPermission::ViewInvoices).await?;
    repo::view(&state.db, &scope, invoice_id).await
}
