//! Agreements and members from the command line.

use super::*;

#[test]
fn agreements_are_created_and_activated_from_the_command_line() {
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
    let staff = cli.run(
        &[
            "admin",
            "create-staff",
            "--email",
            "csam@provider.example",
            "--name",
            "Casey",
            "--role",
            "csam",
        ],
        "a long passphrase\n",
    );
    assert!(staff.ok, "{}", staff.stderr);
    let base = [
        "admin",
        "create-agreement",
        "--organization",
        "Contoso",
        "--type",
        "unified",
        "--services-admin",
        "sa@contoso.com",
        "--support-contact",
        "sc@contoso.com",
        "--csam",
        "csam@provider.example",
    ];
    // Bad input: a one-line reason, a non-zero exit, nothing written.
    for (extra, reason) in [
        (&["--contact-limit", "0"][..], "contact-limit"),
        (&["--start", "2027-02-30"][..], "YYYY-MM-DD"),
        (
            &["--start", "2027-06-01", "--end", "2027-01-01"][..],
            "end after",
        ),
        (
            &["--ac", "csam@provider.example"][..],
            "Account Coordinator",
        ),
    ] {
        let args: Vec<&str> = base.iter().copied().chain(extra.iter().copied()).collect();
        assert_refused(&cli.run(&args, ""), reason);
    }
    let mut unknown: Vec<&str> = base.to_vec();
    unknown[3] = "Nobody Inc";
    assert_refused(&cli.run(&unknown, ""), "no organization");
    assert_eq!(cli.count("agreements"), 0);

    let created = cli.run(&base, "");
    assert!(created.ok, "{}", created.stderr);
    let id = created.stdout.trim().to_owned();
    assert!(
        id.parse::<i64>().is_ok(),
        "prints the id alone: {}",
        created.stdout
    );
    assert_eq!(cli.count("agreement_contacts"), 2);
    assert_eq!(cli.count("workspaces"), 0);

    let activated = cli.run(&["admin", "activate-agreement", "--agreement", &id], "");
    assert!(activated.ok, "{}", activated.stderr);
    assert_eq!(cli.count("workspaces"), 1);
    assert_eq!(cli.count("invitations"), 2);
    assert_eq!(cli.count("outbox"), 2);
    assert_refused(
        &cli.run(&["admin", "activate-agreement", "--agreement", &id], ""),
        "already active",
    );
    assert_refused(
        &cli.run(&["admin", "activate-agreement", "--agreement", "999"], ""),
        "could not find",
    );
    assert_eq!(cli.count("invitations"), 2);
}

#[test]
fn add_member_puts_an_existing_account_in_a_workspace_within_the_agreement_rules() {
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
    for (email, kind) in [
        ("ann@contoso.com", "work"),
        ("bob@contoso.com", "work"),
        ("cid@contoso.com", "work"),
        ("pat@example.net", "personal"),
    ] {
        let made = cli.run(
            &[
                "admin",
                "create-account",
                "--email",
                email,
                "--kind",
                kind,
                "--name",
                "Someone",
            ],
            "a long passphrase\n",
        );
        assert!(made.ok, "{}", made.stderr);
    }
    // A Unified agreement (no personal accounts) allowing one support contact.
    let created = cli.run(
        &[
            "admin",
            "create-agreement",
            "--organization",
            "Contoso",
            "--type",
            "unified",
            "--services-admin",
            "sa@contoso.com",
            "--contact-limit",
            "1",
        ],
        "",
    );
    assert!(created.ok, "{}", created.stderr);
    let agreement = created.stdout.trim().to_owned();
    let activated = cli.run(
        &["admin", "activate-agreement", "--agreement", &agreement],
        "",
    );
    assert!(activated.ok, "{}", activated.stderr);
    let workspace = cli
        .number("SELECT id FROM workspaces ORDER BY id DESC LIMIT 1")
        .to_string();
    let add = |email: &str, contact: bool| {
        let mut args = vec![
            "admin",
            "add-member",
            "--workspace",
            &workspace,
            "--email",
            email,
        ];
        if contact {
            args.push("--support-contact");
        }
        cli.run(&args, "")
    };

    let ann = add("Ann@Contoso.com", true);
    assert!(ann.ok, "{}", ann.stderr);
    assert!(
        ann.stdout.contains("as a support contact"),
        "{}",
        ann.stdout
    );
    let bob = add("bob@contoso.com", false);
    assert!(bob.ok, "{}", bob.stderr);
    assert_eq!(cli.count("memberships"), 2);
    assert_eq!(
        cli.number("SELECT COUNT(*) FROM memberships WHERE support_contact = 1"),
        1
    );
    assert_eq!(
        cli.number(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'member.add' \
             AND workspace_id = {workspace} AND actor_label = 'operator (command line)'"
        )),
        2
    );

    // Refused with a one-line reason, nothing written.
    assert_refused(&add("ann@contoso.com", false), "already a member");
    assert_refused(&add("cid@contoso.com", true), "allows 1 support contacts");
    assert_refused(&add("nobody@contoso.com", false), "no account");
    assert_refused(&add("not an address", false), "email");
    assert_refused(&add("pat@example.net", false), "personal accounts");
    assert_refused(
        &cli.run(
            &[
                "admin",
                "add-member",
                "--workspace",
                "999",
                "--email",
                "cid@contoso.com",
            ],
            "",
        ),
        "could not find",
    );
    assert_eq!(cli.count("memberships"), 2);
    assert_eq!(
        cli.number("SELECT COUNT(*) FROM audit_log WHERE action = 'member.add'"),
        2
    );
}
