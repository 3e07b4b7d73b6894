//! The kinds the guard decides on, shared by the browser and the server: account kinds, staff
//! roles, and an agreement's type and status. Each is stored as its `as_str` text and read back
//! with `parse`.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountKind {
    Work,
    Personal,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Work => "work",
            AccountKind::Personal => "personal",
        }
    }

    /// The words the sign-in pages use (seed 000; see ARCHITECTURE.md, "Sources").
    pub fn label(self) -> &'static str {
        match self {
            AccountKind::Work => "Work or school account",
            AccountKind::Personal => "Personal account",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "work" => Some(AccountKind::Work),
            "personal" => Some(AccountKind::Personal),
            _ => None,
        }
    }
}

impl fmt::Display for AccountKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The provider's staff (the README's "Operator interface" names them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StaffRole {
    Operator,
    Csam,
    Ac,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Operator => "operator",
            StaffRole::Csam => "csam",
            StaffRole::Ac => "ac",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StaffRole::Operator => "Operator",
            StaffRole::Csam => "Customer Success Account Manager",
            StaffRole::Ac => "Account Coordinator",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "operator" => Some(StaffRole::Operator),
            "csam" => Some(StaffRole::Csam),
            "ac" => Some(StaffRole::Ac),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AgreementType {
    Premier,
    Unified,
}

impl AgreementType {
    pub fn as_str(self) -> &'static str {
        match self {
            AgreementType::Premier => "premier",
            AgreementType::Unified => "unified",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AgreementType::Premier => "Premier",
            AgreementType::Unified => "Unified",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "premier" => Some(AgreementType::Premier),
            "unified" => Some(AgreementType::Unified),
            _ => None,
        }
    }

    /// Seed 001: Premier workspaces accept both account kinds; Unified ones refuse personal
    /// accounts until an administrator allows them.
    pub fn allows_personal_by_default(self) -> bool {
        self == AgreementType::Premier
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AgreementStatus {
    Draft,
    Active,
    Expired,
}

impl AgreementStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AgreementStatus::Draft => "draft",
            AgreementStatus::Active => "active",
            AgreementStatus::Expired => "expired",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AgreementStatus::Draft => "Draft",
            AgreementStatus::Active => "Active",
            AgreementStatus::Expired => "Expired",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "draft" => Some(AgreementStatus::Draft),
            "active" => Some(AgreementStatus::Active),
            "expired" => Some(AgreementStatus::Expired),
            _ => None,
        }
    }
}

/// An organization's administrative roles (DESIGN, "Account for organizations"). A person may
/// hold several; a person with none uses the portal for their own account only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrgRole {
    Global,
    Billing,
    User,
}

impl OrgRole {
    pub const ALL: [OrgRole; 3] = [OrgRole::Global, OrgRole::Billing, OrgRole::User];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgRole::Global => "global",
            OrgRole::Billing => "billing",
            OrgRole::User => "user",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OrgRole::Global => "Global Administrator",
            OrgRole::Billing => "Billing Administrator",
            OrgRole::User => "User Administrator",
        }
    }

    /// What the role may do, in one sentence (the roles page says it beside each).
    pub fn means(self) -> &'static str {
        match self {
            OrgRole::Global => {
                "Everything on the Services and Identity pages; the only role that assigns administrative roles."
            }
            OrgRole::Billing => {
                "Buys and manages subscriptions, reads invoices and opens support requests; does not manage users or licenses."
            }
            OrgRole::User => {
                "Manages users, groups and license assignment; cannot change administrators."
            }
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "global" => Some(OrgRole::Global),
            "billing" => Some(OrgRole::Billing),
            "user" => Some(OrgRole::User),
            _ => None,
        }
    }
}
