//! `demo`: the demo organization, accounts and agreement, loaded through the same functions as
//! the admin commands.

use app::{
    accounts::service::{self, CreateAccount},
    auth::audit::Actor,
    state::AppState,
    workspaces::service as workspaces,
};

use super::describe;

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
pub async fn demo(state: &AppState, base_url: &str, members: usize) -> Result<String, String> {
    let db = &state.db;
    if app::accounts::repo::organization_by_name(db, "Contoso")
        .await
        .map_err(|e| describe(&e))?
        .is_none()
    {
        service::create_organization(state, "Contoso", "contoso.com", Actor::CommandLine, "local")
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
    let agreement = demo_agreement(state).await?;
    // Before the sample members: `--members` makes every work account of Contoso a member.
    let services = super::demo_services::load(state).await?;
    let mut out = if members > 0 {
        fill_demo_workspace(state, agreement, members).await?
    } else {
        String::new()
    };
    out.push_str(&format!(
        "Demo data is loaded. Open {base_url}/sign-in and sign in with password {DEMO_PASSWORD:?}:\n"
    ));
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
    out.push_str("  megan@contoso.com has both kinds, so Sign in asks which one to use.\n");
    out.push_str(&format!(
        "Staff: {DEMO_OPERATOR} (operator) and {DEMO_CSAM} (CSAM), same password.\n\
         Contoso's Premier agreement {agreement} is active: Megan (work) is its Services \
         Administrator and Alex a support contact of the Default Workspace.\n"
    ));
    out.push_str(&services);
    Ok(out)
}

const DEMO_OPERATOR: &str = "operator@provider.example";
const DEMO_CSAM: &str = "csam@provider.example";

/// Staff, an active Premier agreement for Contoso, and Megan's and Alex's invitations accepted,
/// through the same steps as the admin commands and the invitation link. Returns its id.
async fn demo_agreement(state: &AppState) -> Result<i64, String> {
    use sqlx::Row;
    let db = &state.db;
    for (email, name, role) in [
        (DEMO_OPERATOR, "Olivia Operator", "operator"),
        (DEMO_CSAM, "Casey CSAM", "csam"),
    ] {
        let identifier =
            app::accounts::types::SignInIdentifier::parse(email).map_err(|e| e.to_string())?;
        if app::accounts::repo::kinds_for(db, &identifier)
            .await
            .map_err(|e| describe(&e))?
            .is_empty()
        {
            workspaces::create_staff(state, email, name, role, DEMO_PASSWORD)
                .await
                .map_err(|e| describe(&e))?;
        }
    }
    let existing = sqlx::query(
        "SELECT a.id FROM agreements a JOIN organizations o ON o.id = a.organization_id \
         WHERE o.name_canonical = 'contoso' ORDER BY a.id LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await
    .map_err(|e| e.to_string())?;
    if let Some(row) = existing {
        return row.try_get("id").map_err(|e| e.to_string());
    }
    let id = workspaces::create_agreement(
        state,
        workspaces::AgreementInput {
            organization: "Contoso",
            agreement_type: "premier",
            services_admins: vec!["megan@contoso.com"],
            support_contacts: vec!["alex@contoso.com"],
            csam: Some(DEMO_CSAM),
            contact_limit: Some("5"),
            benefits: vec![
                ("reactive_hours", "Reactive support hours", "100"),
                ("proactive_credits", "Proactive service credits", "40"),
            ],
            ..Default::default()
        },
        Actor::CommandLine,
        "local",
    )
    .await
    .map_err(|e| describe(&e))?;
    let workspace = workspaces::activate(state, id, Actor::CommandLine, None, "local")
        .await
        .map_err(|e| describe(&e))?;
    let members =
        sqlx::query("SELECT id FROM accounts WHERE kind = 'work' AND email_canonical IN ($1, $2)")
            .bind("megan@contoso.com")
            .bind("alex@contoso.com")
            .fetch_all(db.pool())
            .await
            .map_err(|e| e.to_string())?;
    for row in members {
        let account: i64 = row.try_get("id").map_err(|e| e.to_string())?;
        app::invitations::service::accept_for_account(state, workspace, account)
            .await
            .map_err(|e| describe(&e))?;
    }
    Ok(id)
}

/// `--members N`: sample members 1..=N and N/10 pending invitations in the demo workspace, in one
/// transaction of multi-row inserts.
async fn fill_demo_workspace(
    state: &AppState,
    agreement: i64,
    members: usize,
) -> Result<String, String> {
    use sqlx::Row;
    let started = std::time::Instant::now();
    let row = sqlx::query(
        "SELECT w.id AS workspace, a.organization_id AS organization FROM workspaces w \
         JOIN agreements a ON a.id = w.agreement_id WHERE a.id = $1 AND w.is_default = 1",
    )
    .bind(agreement)
    .fetch_one(state.db.pool())
    .await
    .map_err(|e| e.to_string())?;
    let workspace: i64 = row.try_get("workspace").map_err(|e| e.to_string())?;
    let organization: i64 = row.try_get("organization").map_err(|e| e.to_string())?;
    let hash = state
        .security
        .hash(DEMO_PASSWORD)
        .await
        .map_err(|e| describe(&e))?;
    let mut tx = state.db.begin_write().await.map_err(|e| e.to_string())?;
    let (added, invited) = app::members::sample::fill(
        &mut tx,
        workspace,
        organization,
        "contoso.com",
        members,
        members / 10,
        &hash,
        app::state::now(),
    )
    .await
    .map_err(|e| describe(&e))?;
    tx.commit().await.map_err(|e| e.to_string())?;
    // Fresh planner statistics after a bulk load, as autovacuum would gather later.
    if state.db.engine() == app::state::Engine::Postgres {
        sqlx::query("ANALYZE")
            .execute(state.db.pool())
            .await
            .map_err(|e| e.to_string())?;
    }
    let (first_name, first_email) = app::members::sample::person(0, "contoso.com");
    Ok(format!(
        "Added {added} sample members and {invited} pending invitations to the Default Workspace \
         in {:.1} s (e.g. {first_name}, {first_email}).\n",
        started.elapsed().as_secs_f64()
    ))
}
