//! Validated values of the services domain, shared by the browser and the server.

use serde::{Deserialize, Serialize};

/// A subscription's state (DESIGN: trial → active → expired (grace) → disabled → deleted;
/// cancelled; a future start is pending).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Trial,
    Expired,
    Pending,
    Disabled,
    Cancelled,
    Deleted,
}

/// Days an expired subscription keeps working before it is disabled.
pub const GRACE_DAYS: i64 = 30;
/// Days a disabled subscription keeps its data (for administrators) before it is deleted.
pub const DISABLED_DAYS: i64 = 90;
/// Days before a trial or a term ends when the administrators get a mail.
pub const REMINDER_DAYS: i64 = 7;
/// Licenses a trial comes with (licenses cannot be added to a trial).
pub const TRIAL_QUANTITY: i64 = 25;
/// The most licenses one subscription holds.
pub const MAX_QUANTITY: i64 = 100_000;

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Trial => "trial",
            Status::Active => "active",
            Status::Expired => "expired",
            Status::Disabled => "disabled",
            Status::Cancelled => "cancelled",
            Status::Deleted => "deleted",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            Status::Pending,
            Status::Trial,
            Status::Active,
            Status::Expired,
            Status::Disabled,
            Status::Cancelled,
            Status::Deleted,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Pending => "Pending",
            Status::Trial => "Trial",
            Status::Active => "Active",
            Status::Expired => "Expired",
            Status::Disabled => "Disabled",
            Status::Cancelled => "Cancelled",
            Status::Deleted => "Deleted",
        }
    }

    /// What the state means for the organization, in one sentence.
    pub fn means(self) -> &'static str {
        match self {
            Status::Pending => "Bought with a later start: it begins on its start date.",
            Status::Trial => "Free to try until the trial ends; upgrade to keep it.",
            Status::Active => "Paid and working.",
            Status::Expired => {
                "The term has ended: users keep access for 30 days while an administrator renews it."
            }
            Status::Disabled => {
                "Users have lost access; only administrators see its data, for 90 days, until it is deleted."
            }
            Status::Cancelled => "Cancelled by an administrator: it is not renewed and cannot be used.",
            Status::Deleted => "Deleted with its data.",
        }
    }

    /// Whether its licenses can be assigned and used.
    pub fn usable(self) -> bool {
        matches!(self, Status::Trial | Status::Active | Status::Expired)
    }
}

/// A number of licenses typed into a form: a whole number from 1 to `MAX_QUANTITY`.
pub fn parse_quantity(input: &str) -> Result<i64, String> {
    let n: i64 = input
        .trim()
        .parse()
        .map_err(|_| "Enter the number of licenses as a whole number, like 10.".to_owned())?;
    if !(1..=MAX_QUANTITY).contains(&n) {
        return Err(format!(
            "Enter a number of licenses from 1 to {MAX_QUANTITY}."
        ));
    }
    Ok(n)
}

/// Why a subscription is cancelled: one of a short list, as admin centres ask.
pub const CANCEL_REASONS: [(&str, &str); 5] = [
    ("too_expensive", "It costs too much"),
    ("not_needed", "We no longer need it"),
    ("switching", "We are moving to another product"),
    ("missing_features", "It lacks something we need"),
    ("other", "Another reason"),
];

pub fn parse_reason(input: &str) -> Result<&'static str, String> {
    CANCEL_REASONS
        .iter()
        .find(|(key, _)| *key == input)
        .map(|(_, label)| *label)
        .ok_or_else(|| "Choose why you are cancelling.".to_owned())
}

/// An organization's name at sign-up: 2 to 100 characters, no control characters.
pub fn parse_organization_name(input: &str) -> Result<String, String> {
    let name = input.trim();
    if name.chars().count() < 2 {
        return Err("Enter your organization's name.".to_owned());
    }
    if name.chars().count() > 100 {
        return Err("An organization's name has at most 100 characters.".to_owned());
    }
    if name.chars().any(char::is_control) {
        return Err("An organization's name cannot contain control characters.".to_owned());
    }
    Ok(name.to_owned())
}

/// Mail providers whose addresses belong to people, not organizations: a work sign-up from
/// one of them is refused (its domain could never be proven the organization's).
const PERSONAL_DOMAINS: &[&str] = &[
    "aol.com",
    "gmail.com",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "googlemail.com",
    "hotmail.com",
    "hotmail.co.uk",
    "icloud.com",
    "live.com",
    "mail.com",
    "mail.ru",
    "me.com",
    "msn.com",
    "outlook.com",
    "proton.me",
    "protonmail.com",
    "qq.com",
    "web.de",
    "yahoo.com",
    "yahoo.co.uk",
    "yandex.ru",
    "zoho.com",
];

pub fn is_personal_domain(domain: &str) -> bool {
    PERSONAL_DOMAINS.contains(&domain)
}

/// An offer's price typed by the operator: "12", "12.5" or "12.50" in the currency's major
/// unit, into minor units.
pub fn parse_price(input: &str) -> Result<i64, String> {
    let bad = || "Enter a price like 12.50 (at most two decimals).".to_owned();
    let input = input.trim();
    let (whole, fraction) = input.split_once('.').unwrap_or((input, ""));
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || fraction.len() > 2 {
        return Err(bad());
    }
    if !fraction.chars().all(|c| c.is_ascii_digit()) || whole.len() > 9 {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    Ok(whole * 100 + cents)
}

/// A currency code: three capital letters (ISO 4217).
pub fn parse_currency(input: &str) -> Result<String, String> {
    let code = input.trim().to_ascii_uppercase();
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err("Enter a three-letter currency code, like EUR or USD.".to_owned())
    }
}

/// A short text of an offer (its name, service, unit): 1 to `max` characters, one line.
pub fn parse_text(input: &str, what: &str, max: usize) -> Result<String, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err(format!("Enter {what}."));
    }
    if text.chars().count() > max {
        return Err(format!("At most {max} characters."));
    }
    if text.chars().any(char::is_control) {
        return Err("No control characters or line breaks.".to_owned());
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_become_minor_units() {
        assert_eq!(parse_price("12"), Ok(1200));
        assert_eq!(parse_price("12.5"), Ok(1250));
        assert_eq!(parse_price("0.99"), Ok(99));
        for bad in ["", "-1", "1.234", "1,50", "abc", ".5", "1e3"] {
            assert!(parse_price(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn quantities_are_bounded() {
        assert_eq!(parse_quantity(" 10 "), Ok(10));
        for bad in ["0", "-3", "1.5", "", "100001"] {
            assert!(parse_quantity(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn personal_mail_is_refused() {
        assert!(is_personal_domain("gmail.com"));
        assert!(!is_personal_domain("contoso.com"));
    }
}
