//! The operator's command line: `admin …` subcommands and `demo`. Each one goes through the same
//! domain functions as the portal, and fails with a one-line reason without changing anything.

use app::{
    accounts::service::{self, CreateAccount},
    auth::audit::Actor,
    error::AppError,
    state::AppState,
    workspaces::service as workspaces,
};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::BufRead;

mod demo;
mod demo_services;
mod offers;

pub use demo::{demo, DEMO_PASSWORD};

#[derive(Parser, Debug)]
#[command(
    name = "services-hub",
    version,
    about = "Services Hub: the support agreement portal"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Administrative actions of the operator. (Boxed: one parse per run, and the variants
    /// differ much in size.)
    #[command(subcommand)]
    Admin(Box<Admin>),
    /// Loads the demo data (idempotent) and prints the demo sign-in details.
    Demo {
        /// Also fill the demo workspace with this many sample members (and a tenth as many
        /// pending invitations), to try Manage Users at scale; all sign in with the demo password.
        #[arg(long, default_value_t = 0)]
        members: usize,
    },
}

#[derive(Subcommand, Debug)]
pub enum Admin {
    /// Creates an organization with its first domain.
    CreateOrganization {
        #[arg(long)]
        name: String,
        #[arg(long)]
        domain: String,
    },
    /// Creates an account; the password is read from standard input.
    CreateAccount {
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        kind: Kind,
        #[arg(long)]
        name: String,
        #[arg(long)]
        organization: Option<String>,
        /// A phone number the account can also sign in with, e.g. "+1 425 555 0100".
        #[arg(long)]
        phone: Option<String>,
    },
    /// Creates a staff account (operator, CSAM or AC); the password is read from standard input.
    CreateStaff {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: Role,
    },
    /// Creates a draft agreement for an organization and prints its id.
    CreateAgreement {
        #[arg(long)]
        organization: String,
        #[arg(long = "type", value_enum)]
        agreement_type: AgreementKind,
        /// The Services Administrator's email address (repeatable).
        #[arg(long = "services-admin", required = true)]
        services_admin: Vec<String>,
        /// A named support contact's email address (repeatable).
        #[arg(long = "support-contact")]
        support_contact: Vec<String>,
        #[arg(long)]
        csam: Option<String>,
        #[arg(long)]
        ac: Option<String>,
        /// How many support contacts the agreement allows (default 5).
        #[arg(long = "contact-limit")]
        contact_limit: Option<String>,
        /// First day of the term, YYYY-MM-DD (default today).
        #[arg(long)]
        start: Option<String>,
        /// Last day of the term, YYYY-MM-DD (default a year after the start).
        #[arg(long)]
        end: Option<String>,
        /// Reactive support hours in the agreement.
        #[arg(long = "reactive-hours")]
        reactive_hours: Option<String>,
        /// Proactive service credits in the agreement.
        #[arg(long = "proactive-credits")]
        proactive_credits: Option<String>,
    },
    /// Activates a draft agreement: creates its Default Workspace and sends the invitations.
    ActivateAgreement {
        #[arg(long)]
        agreement: i64,
    },
    /// Adds an offer to the catalogue (and its service, if new); prints the offer's id.
    CreateOffer(offers::OfferArgs),
    /// Gives a work account an administrative role in its organization.
    AssignRole(offers::RoleArgs),
    /// Adds an existing account to a workspace, without an invitation.
    AddMember {
        #[arg(long)]
        workspace: i64,
        #[arg(long)]
        email: String,
        /// Makes the member a support contact (counts against the agreement's limit).
        #[arg(long = "support-contact")]
        support_contact: bool,
    },
    /// Removes an account's two-step verification (a lost device) and ends its sessions; the
    /// person sets it up again after signing in. Written to the audit log.
    ResetSecondFactor {
        #[arg(long)]
        email: String,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Role {
    Operator,
    Csam,
    Ac,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Csam => "csam",
            Role::Ac => "ac",
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum AgreementKind {
    Premier,
    Unified,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Kind {
    Work,
    Personal,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Work => "work",
            Kind::Personal => "personal",
        }
    }
}

/// One line for the operator: the field and its message, never a stack of details.
pub fn describe(error: &AppError) -> String {
    match error {
        AppError::Validation(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field.replace('_', "-"), f.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

fn read_password() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    // Only the line ending is removed: spaces are part of a password.
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

pub async fn admin(state: &AppState, action: Admin) -> Result<String, String> {
    match action {
        Admin::CreateOrganization { name, domain } => {
            let id =
                service::create_organization(state, &name, &domain, Actor::CommandLine, "local")
                    .await
                    .map_err(|e| describe(&e))?;
            Ok(format!("created organization {id}: {}", name.trim()))
        }
        Admin::CreateAccount {
            email,
            kind,
            name,
            organization,
            phone,
        } => {
            let password = read_password()?;
            let id = service::create_account(
                state,
                CreateAccount {
                    kind: kind.as_str(),
                    email: &email,
                    name: &name,
                    phone: phone.as_deref(),
                    organization: organization.as_deref(),
                    password: &password,
                },
                Actor::CommandLine,
            )
            .await
            .map_err(|e| describe(&e))?;
            Ok(format!(
                "created {} account {id}: {}",
                kind.as_str(),
                email.trim()
            ))
        }
        Admin::CreateStaff { email, name, role } => {
            let password = read_password()?;
            let id = workspaces::create_staff(state, &email, &name, role.as_str(), &password)
                .await
                .map_err(|e| describe(&e))?;
            Ok(format!(
                "created {} account {id}: {}",
                role.as_str(),
                email.trim()
            ))
        }
        Admin::CreateAgreement {
            organization,
            agreement_type,
            services_admin,
            support_contact,
            csam,
            ac,
            contact_limit,
            start,
            end,
            reactive_hours,
            proactive_credits,
        } => {
            let mut benefits = Vec::new();
            if let Some(hours) = reactive_hours.as_deref() {
                benefits.push(("reactive_hours", "Reactive support hours", hours));
            }
            if let Some(credits) = proactive_credits.as_deref() {
                benefits.push(("proactive_credits", "Proactive service credits", credits));
            }
            let id = workspaces::create_agreement(
                state,
                workspaces::AgreementInput {
                    organization: &organization,
                    agreement_type: match agreement_type {
                        AgreementKind::Premier => "premier",
                        AgreementKind::Unified => "unified",
                    },
                    services_admins: services_admin.iter().map(String::as_str).collect(),
                    support_contacts: support_contact.iter().map(String::as_str).collect(),
                    csam: csam.as_deref(),
                    ac: ac.as_deref(),
                    contact_limit: contact_limit.as_deref(),
                    start: start.as_deref(),
                    end: end.as_deref(),
                    benefits,
                },
                Actor::CommandLine,
                "local",
            )
            .await
            .map_err(|e| describe(&e))?;
            // The id alone, so scripts can capture it.
            Ok(id.to_string())
        }
        Admin::ActivateAgreement { agreement } => {
            let workspace =
                workspaces::activate(state, agreement, Actor::CommandLine, None, "local")
                    .await
                    .map_err(|e| describe(&e))?;
            Ok(format!(
                "activated agreement {agreement}: Default Workspace {workspace} created, invitations queued"
            ))
        }
        Admin::CreateOffer(args) => offers::create_offer(state, args).await,
        Admin::AssignRole(args) => offers::assign_role(state, args).await,
        Admin::AddMember {
            workspace,
            email,
            support_contact,
        } => {
            workspaces::add_member(
                state,
                workspace,
                &email,
                support_contact,
                Actor::CommandLine,
                "local",
            )
            .await
            .map_err(|e| describe(&e))?;
            Ok(format!(
                "added {} to workspace {workspace}{}",
                email.trim(),
                if support_contact {
                    " as a support contact"
                } else {
                    ""
                }
            ))
        }
        Admin::ResetSecondFactor { email } => reset_second_factor(state, &email).await,
    }
}

/// `admin reset-second-factor`: every account with the address (a work and a personal account
/// may share one), each with its audit entry.
async fn reset_second_factor(state: &AppState, email: &str) -> Result<String, String> {
    use app::accounts::{two_factor, types::EmailAddress};
    let email = EmailAddress::parse(email)?;
    let accounts = two_factor::accounts_with_email(&state.db, email.canonical())
        .await
        .map_err(|e| describe(&e))?;
    if accounts.is_empty() {
        return Err(format!(
            "there is no account with the address {}",
            email.as_str()
        ));
    }
    let mut lines = Vec::new();
    for (id, name) in accounts {
        let entry = app::auth::audit::Entry {
            actor: Actor::CommandLine,
            action: "account.second_factor_reset",
            object_type: "account",
            object_id: Some(id),
            organization_id: None,
            agreement_id: None,
            workspace_id: None,
            detail: format!("Reset the two-step verification of {name}"),
            ip: "local",
        };
        let had = two_factor::reset(&state.db, id, entry)
            .await
            .map_err(|e| describe(&e))?;
        lines.push(if had {
            format!("reset the two-step verification of account {id} ({name}); its sessions ended")
        } else {
            format!("account {id} ({name}) had no two-step verification; its sessions ended")
        });
    }
    Ok(lines.join("\n"))
}
