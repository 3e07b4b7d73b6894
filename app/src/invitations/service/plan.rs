//! Deciding each line of a list or file before anything is sent.

use crate::{
    accounts::types::EmailAddress,
    invitations::{
        repo::{Existing, NewInvitation},
        InvitationRole, InviteOutcome, ReportLine,
    },
};
use std::collections::HashMap;

/// One line of input to invite: its line number, what was typed, and the parsed entry.
pub struct Candidate {
    pub line: usize,
    pub input: String,
    pub parsed: Result<(EmailAddress, String, bool), InviteOutcome>,
}

/// Decides each line's outcome against the workspace as it is: the same rules for a typed list
/// and a file, for the dry run and for the real thing.
pub fn plan(
    candidates: Vec<Candidate>,
    existing: &Existing,
    allow_personal: bool,
    mut contacts_left: i64,
    contact_limit: i64,
    role: InvitationRole,
) -> (Vec<ReportLine>, Vec<NewInvitation>) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut lines = Vec::with_capacity(candidates.len());
    let mut invite = Vec::new();
    for c in candidates {
        let outcome = match c.parsed {
            Err(outcome) => outcome,
            Ok((email, name, support_contact)) => {
                let canonical = email.canonical().to_owned();
                let outcome = if let Some(first) = seen.get(&canonical) {
                    InviteOutcome::DuplicateInFile(*first)
                } else if existing.members.contains(&canonical) {
                    InviteOutcome::AlreadyMember
                } else if existing.invited.contains(&canonical) {
                    InviteOutcome::AlreadyInvited
                } else if !allow_personal && !existing.work_domains.contains(email.domain()) {
                    InviteOutcome::RefusedByPolicy
                } else if support_contact && contacts_left <= 0 {
                    InviteOutcome::OverContactLimit(contact_limit)
                } else {
                    if support_contact {
                        contacts_left -= 1;
                    }
                    invite.push(NewInvitation {
                        email,
                        name,
                        role,
                        support_contact,
                    });
                    InviteOutcome::WillInvite
                };
                seen.entry(canonical).or_insert(c.line);
                outcome
            }
        };
        lines.push(ReportLine {
            line: c.line,
            email: c.input,
            outcome,
        });
    }
    (lines, invite)
}
