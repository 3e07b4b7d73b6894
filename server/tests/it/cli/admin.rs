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
    // Four customer accounts and two staff (an operator and a CSAM).
    assert_eq!(accounts, 6);
    assert_eq!(cli.count("staff"), 2);
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
    // Megan, Alex and the 300; the roster and its count (what Manage Users reads) agree.
    assert_eq!(cli.count("memberships"), 302);
    assert_eq!(cli.count("roster"), 332);
    assert_eq!(cli.count("roster_counts WHERE n = 332"), 1);
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
    assert_eq!(cli.count("memberships"), 402);
}
