//! Validated values of agreements and workspaces, shared by the browser and the server.

use serde::{Deserialize, Serialize};

pub use crate::auth::kinds::{AgreementStatus, AgreementType};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BenefitKind {
    ReactiveHours,
    ProactiveCredits,
    AddOn,
}

impl BenefitKind {
    /// A benefit as pages show it: its kind said once — as its name, or after a name of its
    /// own ("Proactive service credits", "Security assessment (Add-on)").
    pub fn with_name(self, name: &str) -> String {
        let kind = self.label();
        let name = name.trim();
        if name.is_empty() || name.eq_ignore_ascii_case(kind) {
            kind.to_owned()
        } else {
            format!("{name} ({kind})")
        }
    }

    pub const ALL: [BenefitKind; 3] = [
        BenefitKind::ReactiveHours,
        BenefitKind::ProactiveCredits,
        BenefitKind::AddOn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BenefitKind::ReactiveHours => "reactive_hours",
            BenefitKind::ProactiveCredits => "proactive_credits",
            BenefitKind::AddOn => "add_on",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BenefitKind::ReactiveHours => "Reactive support hours",
            BenefitKind::ProactiveCredits => "Proactive service credits",
            BenefitKind::AddOn => "Add-on",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// A workspace's name: 1 to 100 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceName(String);

impl WorkspaceName {
    pub const MAX_LEN: usize = 100;

    pub fn parse(input: &str) -> Result<Self, String> {
        let name = input.trim();
        if name.is_empty() {
            return Err("Enter a name for the workspace.".to_owned());
        }
        if name.chars().count() > Self::MAX_LEN {
            return Err(format!(
                "A workspace name has at most {} characters.",
                Self::MAX_LEN
            ));
        }
        if name.chars().any(char::is_control) {
            return Err("A workspace name cannot contain control characters.".to_owned());
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn canonical(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A date of an agreement's term, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TermDate(time::Date);

impl TermDate {
    pub fn parse(input: &str) -> Result<Self, String> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        time::Date::parse(input.trim(), &format)
            .map(TermDate)
            .map_err(|_| "Enter a date as YYYY-MM-DD, for example 2027-01-31.".to_owned())
    }

    pub fn from_date(date: time::Date) -> Self {
        Self(date)
    }

    /// The same day a year later (28 February for 29 February).
    pub fn plus_one_year(self) -> Self {
        let date = self.0;
        let next = date
            .replace_year(date.year() + 1)
            .or_else(|_| {
                date.replace_day(28)
                    .and_then(|d| d.replace_year(date.year() + 1))
            })
            .unwrap_or(date);
        Self(next)
    }

    pub fn to_iso(self) -> String {
        let (y, m, d) = (self.0.year(), u8::from(self.0.month()), self.0.day());
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// How many support contacts an agreement allows: 1 to 1,000.
pub fn parse_contact_limit(input: &str) -> Result<i64, String> {
    match input.trim().parse::<i64>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(n),
        _ => Err("Enter a number of support contacts from 1 to 1000.".to_owned()),
    }
}

/// A benefit's allotment: a whole number of hours, credits or units, 0 to 100,000.
pub fn parse_allotment(input: &str) -> Result<i64, String> {
    match input.trim().parse::<i64>() {
        Ok(n) if (0..=100_000).contains(&n) => Ok(n),
        _ => Err("Enter a whole number from 0 to 100000.".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_benefit_is_named_once() {
        let credits = BenefitKind::ProactiveCredits;
        assert_eq!(
            credits.with_name("Proactive service credits"),
            "Proactive service credits"
        );
        assert_eq!(credits.with_name(""), "Proactive service credits");
        assert_eq!(
            BenefitKind::AddOn.with_name("Security assessment"),
            "Security assessment (Add-on)"
        );
    }

    #[test]
    fn term_dates() {
        assert_eq!(
            TermDate::parse("2027-01-31").map(|d| d.to_iso()),
            Ok("2027-01-31".into())
        );
        for bad in ["2027-02-30", "27-01-01", "", "2027/01/01", "tomorrow"] {
            assert!(TermDate::parse(bad).is_err(), "{bad}");
        }
        let leap = TermDate::parse("2028-02-29").expect("leap day");
        assert_eq!(leap.plus_one_year().to_iso(), "2029-02-28");
        assert!(TermDate::parse("2027-01-01") < TermDate::parse("2027-12-31"));
    }

    #[test]
    fn names_limits_and_kinds() {
        assert!(WorkspaceName::parse("  ").is_err());
        assert!(WorkspaceName::parse(&"w".repeat(101)).is_err());
        assert_eq!(
            WorkspaceName::parse(" Finance ").map(|n| n.canonical()),
            Ok("finance".into())
        );
        assert_eq!(parse_contact_limit("20"), Ok(20));
        assert!(parse_contact_limit("0").is_err() && parse_contact_limit("x").is_err());
        assert!(parse_allotment("-1").is_err());
        assert_eq!(
            AgreementType::parse("Unified"),
            Some(AgreementType::Unified)
        );
        assert!(!AgreementType::Unified.allows_personal_by_default());
        assert_eq!(BenefitKind::parse("add_on"), Some(BenefitKind::AddOn));
    }
}
