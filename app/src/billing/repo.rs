//! Queries of invoices (server only). Reads are pinned to the organization the guard found (or
//! the caller named, for another domain): an invoice id of another organization answers like a
//! missing one.

use crate::{
    auth::guard::OrganizationScope,
    billing::{
        format_money, invoice_number, status_label, InvoiceLineView, InvoiceSummary, InvoiceView,
        LineKind, NewLine,
    },
    db::{insert_rows, placeholders, Cell, Tx},
    error::AppError,
    state::{now, Db},
};
use sqlx::{any::AnyRow, Row};

/// The stored status, read strictly.
fn status(row: &AnyRow) -> Result<&'static str, AppError> {
    crate::db::column(row, "status", |s| {
        matches!(s, "issued" | "void").then(|| status_label(s))
    })
}

fn summary(row: &AnyRow) -> Result<InvoiceSummary, AppError> {
    let total_minor: i64 = row.try_get("total_minor")?;
    let currency: String = row.try_get("currency")?;
    Ok(InvoiceSummary {
        id: row.try_get("id")?,
        number: invoice_number(row.try_get("number")?),
        issued_at: row.try_get("issued_at")?,
        total_minor,
        total_label: format_money(total_minor, &currency),
        currency,
        status: status(row)?.to_owned(),
    })
}

/// See `billing::issue`. Three statements whatever the number of lines: the counter, the
/// invoice, its lines.
pub async fn issue(
    tx: &mut Tx,
    organization_id: i64,
    subscription_id: i64,
    currency: &str,
    lines: Vec<NewLine>,
) -> Result<InvoiceSummary, AppError> {
    // The caller's mistakes, not the customer's: logged under a reference.
    if lines.is_empty() {
        return Err(AppError::internal("an invoice needs at least one line"));
    }
    let currency = currency.trim().to_uppercase();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(AppError::internal(format!(
            "{currency:?} is not a currency code"
        )));
    }
    let overflow = || AppError::internal("an invoice amount is out of range");
    let mut amounts = Vec::with_capacity(lines.len());
    let mut total: i64 = 0;
    for line in &lines {
        let amount = line
            .quantity
            .checked_mul(line.unit_price_minor)
            .ok_or_else(overflow)?;
        total = total.checked_add(amount).ok_or_else(overflow)?;
        amounts.push(amount);
    }
    // The one counter row: PostgreSQL's row lock (and SQLite's BEGIN IMMEDIATE) make every
    // other issuer wait until this transaction ends, so numbers follow each other with no gap,
    // and a rollback gives this one back.
    let number: i64 = sqlx::query(
        "UPDATE invoice_sequence SET last_number = last_number + 1 WHERE id = 1 \
         RETURNING last_number",
    )
    .fetch_one(&mut **tx)
    .await?
    .try_get("last_number")?;
    let issued_at = now();
    // Billed to the organization's name at this moment; the subscription must be its own.
    let id: i64 = sqlx::query(
        "INSERT INTO invoices (number, organization_id, subscription_id, bill_to, currency, \
           total_minor, status, issued_at) \
         SELECT $1, o.id, s.id, o.name, $2, $3, 'issued', $4 \
         FROM subscriptions s JOIN organizations o ON o.id = s.organization_id \
         WHERE s.id = $5 AND o.id = $6 \
         RETURNING id",
    )
    .bind(number)
    .bind(currency.clone())
    .bind(total)
    .bind(issued_at)
    .bind(subscription_id)
    .bind(organization_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?
    .try_get("id")?;
    let rows = lines
        .into_iter()
        .zip(amounts)
        .map(|(line, amount)| {
            vec![
                Cell::Int(id),
                Cell::Text(line.kind.as_str().to_owned()),
                Cell::Text(line.description),
                Cell::Int(line.quantity),
                Cell::Int(line.unit_price_minor),
                Cell::Int(amount),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "invoice_lines",
        &[
            "invoice_id",
            "kind",
            "description",
            "quantity",
            "unit_price_minor",
            "amount_minor",
        ],
        rows,
    )
    .await?;
    Ok(InvoiceSummary {
        id,
        number: invoice_number(number),
        issued_at,
        total_minor: total,
        total_label: format_money(total, &currency),
        currency,
        status: status_label("issued").to_owned(),
    })
}

/// See `billing::of_subscriptions`: one query, newest first.
pub async fn of_subscriptions(
    db: &Db,
    organization_id: i64,
    subscription_ids: &[i64],
) -> Result<Vec<InvoiceSummary>, AppError> {
    if subscription_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, number, issued_at, total_minor, currency, status FROM invoices \
         WHERE organization_id = $1 AND subscription_id IN ({}) \
         ORDER BY number DESC",
        placeholders(2, subscription_ids.len())
    );
    let mut query = sqlx::query(&sql).bind(organization_id);
    for id in subscription_ids {
        query = query.bind(*id);
    }
    query
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(summary)
        .collect()
}

/// One invoice of the scope's organization with its lines, its subscription's offer and
/// service: one query (a row per line; every invoice has at least one).
pub async fn view(
    db: &Db,
    scope: &OrganizationScope,
    invoice_id: i64,
) -> Result<InvoiceView, AppError> {
    let rows = sqlx::query(
        "SELECT i.id, i.number, i.issued_at, i.bill_to, i.status, i.currency, i.total_minor, \
           s.service_id, sv.name AS service_name, o.name AS offer_name, \
           l.kind, l.description, l.quantity, l.unit_price_minor, l.amount_minor \
         FROM invoices i \
         JOIN subscriptions s ON s.id = i.subscription_id \
         JOIN offers o ON o.id = s.offer_id \
         JOIN services sv ON sv.id = s.service_id \
         JOIN invoice_lines l ON l.invoice_id = i.id \
         WHERE i.id = $1 AND i.organization_id = $2 \
         ORDER BY l.id",
    )
    .bind(invoice_id)
    .bind(scope.organization_id)
    .fetch_all(db.pool())
    .await?;
    let first = rows.first().ok_or(AppError::NotFound)?;
    let head = summary(first)?;
    let lines = rows
        .iter()
        .map(|r| {
            let kind = crate::db::column(r, "kind", LineKind::parse)?;
            Ok(InvoiceLineView {
                kind,
                kind_label: kind.label().to_owned(),
                description: r.try_get("description")?,
                quantity: r.try_get("quantity")?,
                unit_price_label: format_money(r.try_get("unit_price_minor")?, &head.currency),
                amount_label: format_money(r.try_get("amount_minor")?, &head.currency),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(InvoiceView {
        id: head.id,
        number: head.number,
        issued_at: head.issued_at,
        bill_to: first.try_get("bill_to")?,
        status: head.status,
        currency: head.currency,
        lines,
        total_minor: head.total_minor,
        total_label: head.total_label,
        service_id: first.try_get("service_id")?,
        service_name: first.try_get("service_name")?,
        offer_name: first.try_get("offer_name")?,
    })
}
