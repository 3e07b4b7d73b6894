//! The operator's command line: `admin …` subcommands and `demo`. Each one goes through the same
//! domain functions as the portal, and fails with a one-line reason without changing anything.

use app::{
    accounts::service::{self, CreateAccount},
    audit::repo::Actor,
    error::AppError,
    state::AppState,
};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::BufRead;

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
    /// Administrative actions of the operator.
    #[command(subcommand)]
    Admin(Admin),
    /// Loads the demo data (idempotent) and prints the demo sign-in details.
    Demo,
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
            let id = service::create_organization(state, &name, &domain, Actor::CommandLine)
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
    }
}

pub const DEMO_PASSWORD: &str = "Demo-Password-2026";

/// (kind, email, name, phone)
const DEMO_ACCOUNTS: &[(&str, &str, &str, Option<&str>)] = &[
    ("work", "megan@contoso.com", "Megan Bowen", None),
    ("personal", "megan@contoso.com", "Megan Personal", None),
    ("work", "alex@contoso.com", "Alex Wilber", None),
    (
        "personal",
        "pat@example.net",
        "Pat Personal",
        Some("+1 425 555 0100"),
    ),
];

/// Loads the demo organization and accounts through the same code as the admin commands;
/// whatever exists already is left as it is.
pub async fn demo(state: &AppState, base_url: &str) -> Result<String, String> {
    let db = &state.db;
    if app::accounts::repo::organization_by_name(db, "Contoso")
        .await
        .map_err(|e| describe(&e))?
        .is_none()
    {
        service::create_organization(state, "Contoso", "contoso.com", Actor::CommandLine)
            .await
            .map_err(|e| describe(&e))?;
    }
    for (kind, email, name, phone) in DEMO_ACCOUNTS {
        let identifier =
            app::accounts::types::SignInIdentifier::parse(email).map_err(|e| e.to_string())?;
        let existing = app::accounts::repo::kinds_for(db, &identifier)
            .await
            .map_err(|e| describe(&e))?;
        if existing.iter().any(|k| k.as_str() == *kind) {
            continue;
        }
        service::create_account(
            state,
            CreateAccount {
                kind,
                email,
                name,
                phone: *phone,
                organization: None,
                password: DEMO_PASSWORD,
            },
            Actor::CommandLine,
        )
        .await
        .map_err(|e| describe(&e))?;
    }
    let mut out = format!(
        "Demo data is loaded. Open {base_url}/sign-in and sign in with password {DEMO_PASSWORD:?}:\n"
    );
    for (kind, email, name, phone) in DEMO_ACCOUNTS {
        let label = if *kind == "work" {
            "work or school"
        } else {
            "personal"
        };
        out.push_str(&format!("  {email:<20} {label:<15} {name}"));
        if let Some(phone) = phone {
            out.push_str(&format!(" (or phone {phone})"));
        }
        out.push('\n');
    }
    out.push_str("  megan@contoso.com has both kinds, so Sign in asks which one to use.");
    Ok(out)
}
