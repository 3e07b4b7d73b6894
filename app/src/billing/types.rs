//! The shapes of invoices, shared by the server and the browser, and money as people read it.

use serde::{Deserialize, Serialize};

/// What a line of an invoice says happened (DESIGN, "Invoices").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineKind {
    Purchase,
    Renewal,
    QuantityChange,
    Conversion,
    Cancellation,
    Credit,
}

impl LineKind {
    pub const ALL: [LineKind; 6] = [
        LineKind::Purchase,
        LineKind::Renewal,
        LineKind::QuantityChange,
        LineKind::Conversion,
        LineKind::Cancellation,
        LineKind::Credit,
    ];

    /// The stored form (`invoice_lines.kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Purchase => "purchase",
            LineKind::Renewal => "renewal",
            LineKind::QuantityChange => "quantity_change",
            LineKind::Conversion => "conversion",
            LineKind::Cancellation => "cancellation",
            LineKind::Credit => "credit",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            LineKind::Purchase => "Purchase",
            LineKind::Renewal => "Renewal",
            LineKind::QuantityChange => "Quantity change",
            LineKind::Conversion => "Conversion",
            LineKind::Cancellation => "Cancellation",
            LineKind::Credit => "Credit",
        }
    }
}

/// A line to issue. Its amount is `quantity * unit_price_minor`; a credit carries a negative
/// unit price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLine {
    pub kind: LineKind,
    pub description: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
}

/// An invoice in a list (a service's detail page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceSummary {
    pub id: i64,
    /// "SH-000042".
    pub number: String,
    pub issued_at: i64,
    pub total_minor: i64,
    pub currency: String,
    /// "Issued" or "Void".
    pub status: String,
    /// "€1,234.50", "CHF 1,234.50".
    pub total_label: String,
}

/// One line of an invoice as the page and the PDF show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLineView {
    pub kind: LineKind,
    pub kind_label: String,
    pub description: String,
    pub quantity: i64,
    pub unit_price_label: String,
    pub amount_label: String,
}

/// A whole invoice: what the online view and the PDF show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub id: i64,
    pub number: String,
    pub issued_at: i64,
    pub bill_to: String,
    /// "Issued" or "Void".
    pub status: String,
    pub currency: String,
    pub lines: Vec<InvoiceLineView>,
    pub total_minor: i64,
    pub total_label: String,
    pub service_id: i64,
    pub service_name: String,
    pub offer_name: String,
}

/// The invoice number people read: the installation's counter with its prefix.
pub fn invoice_number(number: i64) -> String {
    format!("SH-{number:06}")
}

/// The stored status as people read it.
pub fn status_label(status: &str) -> &'static str {
    if status == "void" {
        "Void"
    } else {
        "Issued"
    }
}

/// Currencies whose minor unit is the unit itself (ISO 4217 exponent 0).
const WHOLE_UNITS: &[&str] = &["JPY", "KRW", "ISK", "CLP", "VND"];

/// An amount in minor units as people read it: "€1,234.50", "$12.00", "£12.00", otherwise the
/// code first ("CHF 12.00"); a negative amount with a minus sign ("−€5.00").
pub fn format_money(minor: i64, currency: &str) -> String {
    let code = currency.trim().to_uppercase();
    let symbol = match code.as_str() {
        "EUR" => "€".to_owned(),
        "USD" => "$".to_owned(),
        "GBP" => "£".to_owned(),
        _ => format!("{code} "),
    };
    let decimals = if WHOLE_UNITS.contains(&code.as_str()) {
        0
    } else {
        2
    };
    let magnitude = minor.unsigned_abs();
    let scale = 10u64.pow(decimals);
    let (units, cents) = (magnitude / scale, magnitude % scale);
    let digits = units.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if minor < 0 { "\u{2212}" } else { "" };
    if decimals == 0 {
        format!("{sign}{symbol}{grouped}")
    } else {
        format!("{sign}{symbol}{grouped}.{cents:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_like_money() {
        assert_eq!(format_money(1200, "EUR"), "€12.00");
        assert_eq!(format_money(1200, "usd"), "$12.00");
        assert_eq!(format_money(1200, "GBP"), "£12.00");
        assert_eq!(format_money(1200, "CHF"), "CHF 12.00");
        assert_eq!(format_money(-500, "EUR"), "\u{2212}€5.00");
        assert_eq!(format_money(123_450, "EUR"), "€1,234.50");
        assert_eq!(format_money(123_456_789_01, "USD"), "$123,456,789.01");
        assert_eq!(format_money(5, "EUR"), "€0.05");
        assert_eq!(format_money(0, "EUR"), "€0.00");
        assert_eq!(format_money(1_000_000, "JPY"), "JPY 1,000,000");
        assert_eq!(format_money(i64::MIN, "EUR"), "−€92,233,720,368,547,758.08");
    }

    #[test]
    fn kinds_round_trip() {
        for kind in LineKind::ALL {
            assert_eq!(LineKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(LineKind::parse("Purchase"), None);
        assert_eq!(LineKind::QuantityChange.label(), "Quantity change");
        assert_eq!(invoice_number(42), "SH-000042");
        assert_eq!(invoice_number(1_234_567), "SH-1234567");
    }
}
