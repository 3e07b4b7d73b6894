//! The admin commands and the demo data.

use super::*;

#[test]
fn admin_commands_create_and_refuse_bad_input_without_changes() {
    let cli = Cli::new();
    let created = cli.run(
        &[
            "admin",
            "create-organization",
            "--name",
            "Contoso",
            "--domain",
            "Contoso.COM",
        ],
        "",
    );
    assert!(created.ok, "{}", created.stderr);
    assert!(created.stdout.contains("created organization"));

    assert_refused(
        &cli.run(&["admin", "create-organization", "--name", "Fabrikam"], ""),
        "--domain",
    );
    assert_refused(
        &cli.run(
            &[
                "admin",
                "create-organization",
                "--name",
                "Fabrikam",
                "--domain",
                "not a domain",
            ],
            "",
        ),
        "domain",
    );
    assert_refused(
        &cli.run(
            &[
                "admin",
                "create-organization",
                "--name",
                "contoso",
                "--domain",
                "other.com",
            ],
            "",
        ),
        "already exists",
    );
    assert_refused(&cli.run(&["admin", "frobnicate"], ""), "frobnicate");
    assert_eq!(cli.count("organizations"), 1);

    let account = [
        "admin",
        "create-account",
        "--email",
        "megan@contoso.com",
        "--kind",
        "work",
        "--name",
        "Megan Bowen",
    ];
    assert_refused(&cli.run(&account, "short\n"), "at least 8 characters");
    assert_refused(&cli.run(&account, "password123\n"), "too common");
    assert_refused(
        &cli.run(
            &[
                "admin",
                "create-account",
                "--email",
                "megan@fabrikam.com",
                "--kind",
                "work",
                "--name",
                "M",
            ],
            "a long passphrase\n",
        ),
        "domains",
    );
    assert_refused(
        &cli.run(
            &[
                "admin",
                "create-account",
                "--email",
                "megan@contoso.com",
                "--kind",
                "robot",
                "--name",
                "M",
            ],
            "a long passphrase\n",
        ),
        "robot",
    );
    assert_eq!(cli.count("accounts"), 0);
    let ok = cli.run(&account, "a long passphrase\n");
    assert!(ok.ok, "{}", ok.stderr);
    assert_refused(&cli.run(&account, "a long passphrase\n"), "already exists");
    assert_eq!(cli.count("accounts"), 1);
}

#[test]
fn demo_is_idempotent_and_prints_the_sign_in_details() {
    let cli = Cli::new();
    let first = cli.run(&["demo"], "");
    assert!(first.ok, "{}", first.stderr);
    assert!(
        first.stdout.contains("http://hub.example/sign-in"),
        "{}",
        first.stdout
    );
    assert!(first.stdout.contains("Demo-Password-2026"));
    assert!(first.stdout.contains("megan@contoso.com"));
    let accounts = cli.count("accounts");
    // Four customer accounts, Contoso's Billing and User Administrators, and two staff (an
    // operator and a CSAM).
    assert_eq!(accounts, 8);
    assert_eq!(cli.count("staff"), 2);
    // Contoso's services side: one administrator per role, a trial, an active and an expired
    // subscription, two licenses assigned and the two purchases invoiced.
    assert_eq!(cli.count("organization_roles"), 3);
    assert_eq!(cli.count("subscriptions"), 3);
    assert_eq!(cli.count("license_assignments"), 2);
    assert_eq!(cli.count("invoices"), 2);
    // Contoso's agreement is active: its Default Workspace holds Megan and Alex.
    assert_eq!(cli.count("agreements"), 1);
    assert_eq!(cli.count("workspaces"), 1);
    assert_eq!(cli.count("memberships"), 2);
    let second = cli.run(&["demo"], "");
    assert!(second.ok, "{}", second.stderr);
    assert_eq!(cli.count("accounts"), accounts);
    assert_eq!(cli.count("organizations"), 1);
    assert_eq!(cli.count("agreements"), 1);
    assert_eq!(cli.count("invitations"), 2);
    assert_eq!(cli.count("subscriptions"), 3);
    assert_eq!(cli.count("invoices"), 2);
}

#[test]
fn demo_fills_the_workspace_at_scale_once() {
    let cli = Cli::new();
    let filled = cli.run(&["demo", "--members", "300"], "");
    assert!(filled.ok, "{}", filled.stderr);
    assert!(
        filled
            .stdout
            .contains("Added 300 sample members and 30 pending invitations"),
        "{}",
        filled.stdout
    );
    // Megan, Alex, Contoso's Billing and User Administrators (every work account of Contoso
    // joins) and the 300; the roster and its count (what Manage Users reads) agree.
    assert_eq!(cli.count("memberships"), 304);
    assert_eq!(cli.count("roster"), 334);
    assert_eq!(cli.count("roster_counts WHERE n = 334"), 1);
    // Again: nothing more, and a larger number adds only the difference.
    let again = cli.run(&["demo", "--members", "300"], "");
    assert!(
        again.stdout.contains("Added 0 sample members and 0"),
        "{}",
        again.stdout
    );
    let more = cli.run(&["demo", "--members", "400"], "");
    assert!(
        more.stdout.contains("Added 100 sample members"),
        "{}",
        more.stdout
    );
    assert_eq!(cli.count("memberships"), 404);
}

#[test]
fn create_offer_prints_its_id_and_refuses_bad_input_changing_nothing() {
    let cli = Cli::new();
    let offer = |price: &str, period: &str| {
        vec![
            "admin".to_owned(),
            "create-offer".to_owned(),
            "--service".to_owned(),
            "Secure Mail".to_owned(),
            "--name".to_owned(),
            "Secure Mail Standard".to_owned(),
            "--description".to_owned(),
            "Filtering and archiving.".to_owned(),
            "--price".to_owned(),
            price.to_owned(),
            "--period".to_owned(),
            period.to_owned(),
            "--trial-days".to_owned(),
            "30".to_owned(),
        ]
    };
    let run = |args: Vec<String>| cli.run(&args.iter().map(String::as_str).collect::<Vec<_>>(), "");
    assert_refused(&run(offer("12,50", "monthly")), "price like 12.50");
    assert_refused(&run(offer("12.50", "weekly")), "weekly");
    assert_eq!(cli.count("offers"), 0);
    assert_eq!(cli.count("services"), 0);
    let ok = run(offer("12.50", "annual"));
    assert!(ok.ok, "{}", ok.stderr);
    assert!(ok.stdout.trim().parse::<i64>().is_ok(), "{}", ok.stdout);
    assert_eq!(
        cli.number("SELECT price_minor * 100 + period_months FROM offers"),
        1250 * 100 + 12
    );
    assert_refused(&run(offer("12.50", "annual")), "already exists");
    assert_eq!(cli.count("offers"), 1);
}

#[test]
fn assign_role_gives_a_work_account_of_an_organization_its_role() {
    let cli = Cli::new();
    let org = cli.run(
        &[
            "admin",
            "create-organization",
            "--name",
            "Contoso",
            "--domain",
            "contoso.com",
        ],
        "",
    );
    assert!(org.ok, "{}", org.stderr);
    let role = |email: &str, role: &str| {
        cli.run(
            &["admin", "assign-role", "--email", email, "--role", role],
            "",
        )
    };
    assert_refused(&role("nobody@contoso.com", "billing"), "work account");
    assert_refused(&role("megan@contoso.com", "owner"), "owner");
    let account = cli.run(
        &[
            "admin",
            "create-account",
            "--email",
            "megan@contoso.com",
            "--kind",
            "work",
            "--name",
            "Megan Bowen",
        ],
        "a long passphrase\n",
    );
    assert!(account.ok, "{}", account.stderr);
    let ok = role("megan@contoso.com", "global");
    assert!(ok.ok, "{}", ok.stderr);
    assert!(ok.stdout.contains("Global Administrator"), "{}", ok.stdout);
    assert_eq!(
        cli.number("SELECT COUNT(*) FROM organization_roles WHERE role = 'global'"),
        1
    );
    assert_eq!(
        cli.number("SELECT COUNT(*) FROM audit_log WHERE action = 'role.assign'"),
        1
    );
}
