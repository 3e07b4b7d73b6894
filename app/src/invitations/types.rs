//! Values of the invitations domain, shared by the browser and the server.

use crate::accounts::types::AccountKind;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationRole {
    Member,
    WorkspaceAdmin,
    ServicesAdmin,
}

impl InvitationRole {
    pub fn as_str(self) -> &'static str {
        match self {
            InvitationRole::Member => "member",
            InvitationRole::WorkspaceAdmin => "workspace_admin",
            InvitationRole::ServicesAdmin => "services_admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            InvitationRole::Member => "Service User",
            InvitationRole::WorkspaceAdmin => "Workspace Administrator",
            InvitationRole::ServicesAdmin => "Services Administrator",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "member" => Some(InvitationRole::Member),
            "workspace_admin" => Some(InvitationRole::WorkspaceAdmin),
            "services_admin" => Some(InvitationRole::ServicesAdmin),
            _ => None,
        }
    }

    /// The roles an administrator may give in Manage Users (Services Administrators are named
    /// on the agreement, not invited from a workspace).
    pub fn parse_choice(value: &str) -> Option<Self> {
        Self::parse(value).filter(|r| *r != InvitationRole::ServicesAdmin)
    }
}

/// What became (or, in a dry run, would become) of one address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteOutcome {
    WillInvite,
    Invited,
    AlreadyMember,
    AlreadyInvited,
    InvalidAddress(String),
    DuplicateInFile(usize),
    /// The workspace refuses personal accounts and this address would be one.
    RefusedByPolicy,
    /// Turning Support Contact on for this address would pass the agreement's limit.
    OverContactLimit(i64),
    Invalid(String),
}

impl InviteOutcome {
    pub fn label(&self) -> String {
        match self {
            InviteOutcome::WillInvite => "Will invite".to_owned(),
            InviteOutcome::Invited => "Invited".to_owned(),
            InviteOutcome::AlreadyMember => "Already a member".to_owned(),
            InviteOutcome::AlreadyInvited => "Already invited".to_owned(),
            InviteOutcome::InvalidAddress(m) => format!("Invalid address: {m}"),
            InviteOutcome::DuplicateInFile(line) => format!("Duplicate of line {line}"),
            InviteOutcome::RefusedByPolicy => {
                "Refused by the workspace's policy: personal accounts are not allowed".to_owned()
            }
            InviteOutcome::OverContactLimit(limit) => {
                format!("Over the support contact limit of {limit}")
            }
            InviteOutcome::Invalid(m) => m.clone(),
        }
    }

    /// The outcome without its detail: what a summary counts.
    pub fn category(&self) -> &'static str {
        match self {
            InviteOutcome::WillInvite => "Will invite",
            InviteOutcome::Invited => "Invited",
            InviteOutcome::AlreadyMember => "Already a member",
            InviteOutcome::AlreadyInvited => "Already invited",
            InviteOutcome::InvalidAddress(_) => "Invalid address",
            InviteOutcome::DuplicateInFile(_) => "Duplicate in file",
            InviteOutcome::RefusedByPolicy => "Refused by the workspace's policy",
            InviteOutcome::OverContactLimit(_) => "Over the support contact limit",
            InviteOutcome::Invalid(_) => "Invalid line",
        }
    }

    pub fn is_ok(&self) -> bool {
        matches!(self, InviteOutcome::WillInvite | InviteOutcome::Invited)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    pub line: usize,
    pub email: String,
    pub outcome: InviteOutcome,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteReport {
    pub lines: Vec<ReportLine>,
    /// How many invitations were sent (0 in a dry run).
    pub invited: usize,
    pub dry_run: bool,
}

/// The report of an uploaded file: counts per outcome and the lines that are not invited (at
/// most `PROBLEMS_SHOWN`; a 10,000-line file is summarised, not listed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkReport {
    pub import_id: i64,
    pub dry_run: bool,
    pub lines: usize,
    pub will_invite: usize,
    pub invited: usize,
    pub counts: Vec<(String, usize)>,
    pub problems: Vec<ReportLine>,
}

impl BulkReport {
    pub const PROBLEMS_SHOWN: usize = 1000;

    pub fn from_report(import_id: i64, report: InviteReport) -> Self {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for line in &report.lines {
            let category = line.outcome.category();
            match counts.iter_mut().find(|(c, _)| c == category) {
                Some((_, n)) => *n += 1,
                None => counts.push((category.to_owned(), 1)),
            }
        }
        let will_invite = report.lines.iter().filter(|l| l.outcome.is_ok()).count();
        Self {
            import_id,
            dry_run: report.dry_run,
            lines: report.lines.len(),
            will_invite,
            invited: report.invited,
            counts,
            problems: report
                .lines
                .into_iter()
                .filter(|l| !l.outcome.is_ok())
                .take(Self::PROBLEMS_SHOWN)
                .collect(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PreviewStatus {
    Open,
    Expired,
    Revoked,
    Used,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationDetails {
    pub workspace_name: String,
    pub organization: String,
    /// The address the invitation was sent to (and the only one that can accept it).
    pub email: String,
    pub status: PreviewStatus,
    /// The signed-in account's address, if someone is signed in.
    pub signed_in_as: Option<String>,
    /// Whether the signed-in account has the invited address.
    pub matches: bool,
    /// Whether an account with the invited address exists (then: sign in, not register).
    pub account_exists: bool,
    /// The kind an account created from this link would have.
    pub new_account_kind: AccountKind,
    /// Set when the workspace's policy refuses the account that would accept.
    pub refused_by_policy: Option<String>,
}

/// Splits a typed list of addresses on commas, semicolons and line breaks.
pub fn split_addresses(input: &str) -> Vec<String> {
    input
        .split([',', ';', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_lists_split_on_commas_semicolons_and_lines() {
        assert_eq!(
            split_addresses(" a@x.com, b@x.com;\r\nc@x.com\n\n,"),
            vec!["a@x.com", "b@x.com", "c@x.com"]
        );
        assert_eq!(InvitationRole::parse_choice("services_admin"), None);
        assert_eq!(
            InvitationRole::parse_choice("workspace_admin"),
            Some(InvitationRole::WorkspaceAdmin)
        );
    }
}
