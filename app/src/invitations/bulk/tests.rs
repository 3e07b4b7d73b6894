use super::*;
use proptest::prelude::*;

type Outcome = Result<BulkEntry, LineProblem>;
/// (line, outcome) for each data line.
type Report = Vec<(usize, Outcome)>;

fn entry(email: &str, name: Option<&str>, support_contact: bool) -> Outcome {
    Ok(BulkEntry {
        email: email.to_owned(),
        email_canonical: email.to_lowercase(),
        name: name.map(str::to_owned),
        support_contact,
    })
}

fn outcomes(file: &str) -> Result<Report, FileProblem> {
    parse(file.as_bytes()).map(|lines| lines.into_iter().map(|l| (l.line, l.outcome)).collect())
}

fn first_outcome(file: &str) -> Outcome {
    let lines = parse(file.as_bytes()).expect("a per-line report");
    lines[0].outcome.clone()
}

#[test]
fn accepted_files() {
    let alice = || entry("alice@x.com", None, false);
    let cases: Vec<(&str, &str, Report)> = vec![
        ("one address", "alice@x.com", vec![(1, alice())]),
        (
            "no header, LF",
            "alice@x.com\nbob@x.com\n",
            vec![(1, alice()), (2, entry("bob@x.com", None, false))],
        ),
        (
            "header skipped",
            "Email,Name,Support contact\nalice@x.com\n",
            vec![(2, alice())],
        ),
        ("header e-mail", " E-Mail \nalice@x.com", vec![(2, alice())]),
        (
            "header email address",
            "email address\nalice@x.com",
            vec![(2, alice())],
        ),
        (
            "header address",
            "ADDRESS,name\nalice@x.com",
            vec![(2, alice())],
        ),
        (
            "header after blank lines",
            "\n\nemail\nalice@x.com",
            vec![(4, alice())],
        ),
        (
            "BOM then header",
            "\u{FEFF}email\nalice@x.com",
            vec![(2, alice())],
        ),
        ("BOM, no header", "\u{FEFF}alice@x.com", vec![(1, alice())]),
        (
            "CRLF",
            "email\r\nalice@x.com,Alice\r\nbob@x.com\r\n",
            vec![
                (2, entry("alice@x.com", Some("Alice"), false)),
                (3, entry("bob@x.com", None, false)),
            ],
        ),
        (
            "blank lines keep physical numbers",
            "\nalice@x.com\n\n   \n,,\n\"\",\nbob@x.com\n\n",
            vec![(2, alice()), (7, entry("bob@x.com", None, false))],
        ),
        (
            "lone CR line ends",
            "alice@x.com\r\rbob@x.com\r",
            vec![(1, alice()), (3, entry("bob@x.com", None, false))],
        ),
        (
            "quoted name with a comma",
            "alice@x.com,\"Smith, Alice\",yes",
            vec![(1, entry("alice@x.com", Some("Smith, Alice"), true))],
        ),
        (
            "quoted quote",
            "\"alice@x.com\",\"Alice \"\"Al\"\" Smith\"",
            vec![(1, entry("alice@x.com", Some("Alice \"Al\" Smith"), false))],
        ),
        (
            "cells trimmed",
            "  alice@x.com ,  Alice  , YES ",
            vec![(1, entry("alice@x.com", Some("Alice"), true))],
        ),
        (
            "empty name is none",
            "alice@x.com,,on",
            vec![(1, entry("alice@x.com", None, true))],
        ),
        (
            "trailing empty columns",
            "alice@x.com,Alice,no,,,",
            vec![(1, entry("alice@x.com", Some("Alice"), false))],
        ),
        (
            "domain normalized, local part kept",
            "Alice@X.COM",
            vec![(
                1,
                Ok(BulkEntry {
                    email: "Alice@x.com".into(),
                    email_canonical: "alice@x.com".into(),
                    name: None,
                    support_contact: false,
                }),
            )],
        ),
        (
            "header word later is data",
            "alice@x.com\nemail",
            vec![
                (1, alice()),
                (
                    2,
                    Err(LineProblem::InvalidAddress(
                        "Enter a valid email address, like name@example.com.".into(),
                    )),
                ),
            ],
        ),
    ];
    for (label, file, expected) in cases {
        assert_eq!(outcomes(file), Ok(expected), "{label}");
    }
}

#[test]
fn support_contact_values() {
    for (value, expected) in [
        ("", false),
        ("no", false),
        ("N", false),
        ("False", false),
        ("OFF", false),
        ("0", false),
        ("yes", true),
        ("Y", true),
        ("TRUE", true),
        ("on", true),
        ("1", true),
    ] {
        let file = format!("alice@x.com,,{value}");
        assert_eq!(
            first_outcome(&file),
            entry("alice@x.com", None, expected),
            "{value:?}"
        );
    }
    assert_eq!(
        first_outcome("alice@x.com,,maybe"),
        Err(LineProblem::InvalidSupportContact("maybe".into()))
    );
    let long = format!("alice@x.com,,{}", "x".repeat(100));
    let Err(LineProblem::InvalidSupportContact(echo)) = first_outcome(&long) else {
        panic!("refused")
    };
    assert_eq!(echo.chars().count(), MAX_ECHO_CHARS);
}

#[test]
fn line_problems() {
    assert!(matches!(
        first_outcome("bob@"),
        Err(LineProblem::InvalidAddress(_))
    ));
    assert!(matches!(
        first_outcome("not an address,Bob"),
        Err(LineProblem::InvalidAddress(_))
    ));
    assert_eq!(
        first_outcome(",Bob"),
        Err(LineProblem::InvalidAddress(
            "Enter an email address.".into()
        ))
    );
    assert_eq!(
        first_outcome("a@x.com,b,yes,d"),
        Err(LineProblem::TooManyColumns)
    );
    assert_eq!(
        first_outcome("a@x.com,,,d"),
        Err(LineProblem::TooManyColumns)
    );
    let long_name = format!("a@x.com,{}", "n".repeat(DisplayName::MAX_LEN + 1));
    assert_eq!(
        first_outcome(&long_name),
        Err(LineProblem::InvalidName(
            "A name has at most 200 characters.".into()
        ))
    );
    let ok_name = format!("a@x.com,{}", "é".repeat(DisplayName::MAX_LEN));
    assert!(first_outcome(&ok_name).is_ok());
    assert!(matches!(
        first_outcome("a@x.com,Bo\u{7}b"),
        Err(LineProblem::InvalidName(_))
    ));
}

#[test]
fn duplicates_are_exact_on_the_canonical_address() {
    let file = "alice@x.com\nice@x.com\nAlice@X.COM\na.lice@x.com\nalice+1@x.com\n alice@x.com ,Again,yes,extra\nice@x.com";
    let got: Vec<_> = outcomes(file)
        .expect("a report")
        .into_iter()
        .map(|(l, o)| (l, o.err()))
        .collect();
    let dup = |first_line| Some(LineProblem::DuplicateInFile { first_line });
    assert_eq!(
        got,
        vec![
            (1, None),
            (2, None),
            (3, dup(1)),
            (4, None),
            (5, None),
            (6, dup(1)),
            (7, dup(2))
        ]
    );
    // An invalid first occurrence registers nothing: a bad line is not an address.
    let got = outcomes("alice@\nalice@x.com\n").expect("a report");
    assert!(got[1].1.is_ok());
    // A first occurrence refused for its name still counts: fixing it must not create two.
    let file = format!("alice@x.com,{}\nalice@x.com", "n".repeat(201));
    assert_eq!(
        outcomes(&file).expect("a report")[1].1,
        Err(LineProblem::DuplicateInFile { first_line: 1 })
    );
}

#[test]
fn file_problems() {
    let cases: Vec<(&str, Vec<u8>, FileProblem)> = vec![
        (
            "over 1 MiB",
            vec![b' '; MAX_FILE_BYTES + 1],
            FileProblem::TooLarge,
        ),
        (
            "over 1 MiB of addresses",
            "a@x.com\n".repeat(MAX_FILE_BYTES / 8 + 1).into_bytes(),
            FileProblem::TooLarge,
        ),
        ("Latin-1", b"jos\xE9@x.com\n".to_vec(), FileProblem::NotUtf8),
        (
            "UTF-16 with BOM",
            b"\xFF\xFEa\0@\0x\0.\0c\0o\0".to_vec(),
            FileProblem::NotUtf8,
        ),
        ("empty", Vec::new(), FileProblem::Empty),
        ("only a BOM", b"\xEF\xBB\xBF".to_vec(), FileProblem::Empty),
        (
            "only blank lines",
            b"\r\n\n  \n,,\n".to_vec(),
            FileProblem::Empty,
        ),
        (
            "only a header",
            b"email,name\n\n".to_vec(),
            FileProblem::Empty,
        ),
        (
            "unclosed quote",
            b"a@x.com\n\"b@x.com,Bob\nc@x.com\n".to_vec(),
            FileProblem::Malformed { line: 2 },
        ),
        (
            "line break in a quoted cell",
            b"a@x.com,\"Bob\r\nSmith\"\n".to_vec(),
            FileProblem::Malformed { line: 1 },
        ),
    ];
    for (label, bytes, expected) in cases {
        assert_eq!(parse(&bytes), Err(expected), "{label}");
    }
    // Exactly 1 MiB is still read (blank padding, then one address).
    let mut at_limit = vec![b'\n'; MAX_FILE_BYTES - 8];
    at_limit.extend_from_slice(b"a@x.com\n");
    assert_eq!(parse(&at_limit).map(|l| l.len()), Ok(1));
}

#[test]
fn ten_thousand_lines_pass_and_one_more_is_refused() {
    let file: String = (0..MAX_LINES).map(|i| format!("user{i}@x.com\n")).collect();
    let with_header = format!("\u{FEFF}email\n\n{file}");
    let lines = parse(with_header.as_bytes()).expect("10,000 lines are allowed");
    assert_eq!(lines.len(), MAX_LINES);
    assert!(lines.iter().all(|l| l.outcome.is_ok()));
    assert_eq!(lines.last().map(|l| l.line), Some(MAX_LINES + 2));
    let over = format!("{file}one.more@x.com\n");
    assert_eq!(parse(over.as_bytes()), Err(FileProblem::TooManyLines));
}

#[test]
fn input_is_the_email_cell_cut_for_display() {
    let long = format!("{}@x.com", "a".repeat(400));
    let lines = parse(long.as_bytes()).expect("a report");
    assert_eq!(lines[0].input.chars().count(), EmailAddress::MAX_LEN);
    assert!(lines[0].input.ends_with('…'));
    assert!(matches!(
        lines[0].outcome,
        Err(LineProblem::InvalidAddress(_))
    ));
    let lines = parse(b" Bob@X.com ,Bob").expect("a report");
    assert_eq!(lines[0].input, "Bob@X.com");
}

#[test]
fn messages() {
    let report =
        parse(b"email\nalice@x.com\nbob@\n,Nobody\nALICE@x.com\na@x.com,,maybe\na@y.com,b,c,d")
            .expect("a report");
    let messages: Vec<_> = report.iter().map(BulkLine::message).collect();
    assert_eq!(
        messages,
        vec![
            None,
            Some("Line 3: \"bob@\" is not a valid email address.".to_owned()),
            Some("Line 4: the email address is missing.".to_owned()),
            Some("Line 5: \"ALICE@x.com\" is a duplicate of line 2.".to_owned()),
            Some("Line 6: Support contact is \"maybe\"; use yes or no, or leave it empty.".to_owned()),
            Some("Line 7: Too many columns: a line has an email address, then optionally a name and support contact (yes or no).".to_owned()),
        ]
    );
    assert_eq!(
        LineProblem::DuplicateInFile { first_line: 3 }.to_string(),
        "Duplicate of line 3."
    );
    assert_eq!(
        FileProblem::TooLarge.to_string(),
        "The file is larger than 1 MiB. Split it into smaller files."
    );
    assert_eq!(
        FileProblem::Malformed { line: 4 }.to_string(),
        "Line 4: a quotation mark opens a field that is not closed on that line."
    );
    for problem in [
        FileProblem::NotUtf8,
        FileProblem::TooManyLines,
        FileProblem::Empty,
    ] {
        assert!(problem.to_string().ends_with('.'));
    }
}

/// Checks what holds for every report: lines ascending and within the file, inputs bounded.
fn check_report(bytes: &[u8]) {
    if let Ok(lines) = parse(bytes) {
        let breaks = bytes
            .windows(2)
            .filter(|w| w[0] == b'\r' && w[1] != b'\n')
            .count()
            + usize::from(bytes.last() == Some(&b'\r'))
            + bytes.iter().filter(|&&b| b == b'\n').count();
        let physical = breaks + 1;
        assert!(!lines.is_empty() && lines.len() <= MAX_LINES);
        assert!(lines.windows(2).all(|w| w[0].line < w[1].line));
        assert!(lines.iter().all(|l| l.line >= 1 && l.line <= physical));
        assert!(lines
            .iter()
            .all(|l| l.input.chars().count() <= EmailAddress::MAX_LEN));
        assert!(lines
            .iter()
            .all(|l| l.message().is_some() == l.outcome.is_err()));
    }
}

proptest! {
    #[test]
    fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check_report(&bytes);
    }

    #[test]
    fn never_panics_on_csv_like_text(text in "[a-zA-Z@., \"\r\n\u{FEFF}é\u{7}]{0,400}") {
        check_report(text.as_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    // Every reported line, accepted or refused, names the row it came from: its number points at
    // that row of the file, whichever line ending the file uses.
    #[test]
    fn each_report_names_its_own_row(
        rows in proptest::collection::vec("[a-zA-Z0-9@._+ -]{0,30}", 1..40),
        crlf in any::<bool>(),
    ) {
        let text = rows.join(if crlf { "\r\n" } else { "\n" });
        if let Ok(lines) = parse(text.as_bytes()) {
            prop_assert!(lines.len() <= rows.len());
            for line in &lines {
                let row = rows[line.line - 1].trim();
                prop_assert_eq!(&line.input, &cut(row, EmailAddress::MAX_LEN));
            }
        }
    }
}
