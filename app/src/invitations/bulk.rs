//! The bulk-invitation file: one address per line, optional columns name and support contact, an
//! optional header. [`parse`] is pure (no database, no I/O) so the browser can check a file before
//! upload and the server checks it again; it reports only what the file alone can tell. The caller
//! adds the outcomes that need the database (already a member, already invited, refused by the
//! workspace's policy, over the contact limit).

use crate::accounts::types::{DisplayName, EmailAddress};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// Larger files are refused before any parsing, which also bounds the memory a file can use.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// Data lines per file; the header and blank lines do not count.
pub const MAX_LINES: usize = 10_000;
/// Email, name, support contact.
pub const MAX_COLUMNS: usize = 3;

/// The first cells (trimmed, lower-cased) that mark the first row as a header.
const HEADER_CELLS: [&str; 4] = ["email", "email address", "e-mail", "address"];
/// A bad support-contact value is echoed back, so it is cut to a length a report can show.
const MAX_ECHO_CHARS: usize = 40;

/// A line that can be invited, as far as the file alone can tell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkEntry {
    /// The address as typed, normalized by [`EmailAddress::as_str`]: the one mail goes to.
    pub email: String,
    /// [`EmailAddress::canonical`]: the only form to compare addresses on.
    pub email_canonical: String,
    pub name: Option<String>,
    pub support_contact: bool,
}

/// Why a line of the file cannot be invited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineProblem {
    /// The message of [`EmailAddress::parse`].
    InvalidAddress(String),
    /// The same canonical address is on an earlier line.
    DuplicateInFile {
        first_line: usize,
    },
    /// The message of [`DisplayName::parse`].
    InvalidName(String),
    /// The value found in the third column, cut for display.
    InvalidSupportContact(String),
    TooManyColumns,
}

impl fmt::Display for LineProblem {
    /// A short reason, for a report that shows the line number and the address beside it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineProblem::InvalidAddress(_) => f.write_str("Not a valid email address."),
            LineProblem::DuplicateInFile { first_line } => {
                write!(f, "Duplicate of line {first_line}.")
            }
            LineProblem::InvalidName(message) => f.write_str(message),
            LineProblem::InvalidSupportContact(value) => write!(
                f,
                "Support contact is \"{value}\"; use yes or no, or leave it empty."
            ),
            LineProblem::TooManyColumns => f.write_str(
                "Too many columns: a line has an email address, then optionally a name and \
                 support contact (yes or no).",
            ),
        }
    }
}

/// One data line of the file and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkLine {
    /// 1-based physical line number where the row starts, so people can find it in their editor.
    pub line: usize,
    /// The email cell as typed (trimmed), cut to [`EmailAddress::MAX_LEN`] characters.
    pub input: String,
    pub outcome: Result<BulkEntry, LineProblem>,
}

impl BulkLine {
    /// The full sentence for a refused line, e.g. `Line 7: "bob@" is not a valid email address.`
    pub fn message(&self) -> Option<String> {
        let problem = self.outcome.as_ref().err()?;
        let line = self.line;
        let input = &self.input;
        Some(match problem {
            LineProblem::InvalidAddress(_) if input.is_empty() => {
                format!("Line {line}: the email address is missing.")
            }
            LineProblem::InvalidAddress(_) => {
                format!("Line {line}: \"{input}\" is not a valid email address.")
            }
            LineProblem::DuplicateInFile { first_line } => {
                format!("Line {line}: \"{input}\" is a duplicate of line {first_line}.")
            }
            other => format!("Line {line}: {other}"),
        })
    }
}

/// Why the whole file is refused; nothing in it is invited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum FileProblem {
    #[error("The file is larger than 1 MiB. Split it into smaller files.")]
    TooLarge,
    #[error("The file is not UTF-8 text. Save it as \"CSV UTF-8\" and try again.")]
    NotUtf8,
    #[error("The file has more than 10,000 lines. Split it into smaller files.")]
    TooManyLines,
    #[error("The file has no email addresses.")]
    Empty,
    /// A quote left open swallows the lines after it, so a per-line report would mislead.
    #[error("Line {line}: a quotation mark opens a field that is not closed on that line.")]
    Malformed { line: usize },
    /// The connection ended before the whole file arrived (the upload route, not the parser).
    #[error("The upload stopped before the whole file arrived, so nothing was read. Check your connection and upload the file again.")]
    Interrupted,
}

/// The code a redirect carries for a refused file (never free text: a crafted link could put
/// words on the page), and back.
impl FileProblem {
    pub fn code(&self) -> String {
        match self {
            FileProblem::TooLarge => "too_large".to_owned(),
            FileProblem::NotUtf8 => "not_utf8".to_owned(),
            FileProblem::TooManyLines => "too_many_lines".to_owned(),
            FileProblem::Empty => "empty".to_owned(),
            FileProblem::Interrupted => "interrupted".to_owned(),
            FileProblem::Malformed { line } => format!("malformed_{line}"),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "too_large" => FileProblem::TooLarge,
            "not_utf8" => FileProblem::NotUtf8,
            "too_many_lines" => FileProblem::TooManyLines,
            "empty" => FileProblem::Empty,
            "interrupted" => FileProblem::Interrupted,
            other => FileProblem::Malformed {
                line: other.strip_prefix("malformed_")?.parse().ok()?,
            },
        })
    }
}

/// The message for a refusal code, if it is one.
pub fn problem_message(code: &str) -> Option<String> {
    FileProblem::from_code(code).map(|p| p.to_string())
}

/// Parses a bulk-invitation file: comma-delimited, RFC 4180 quoting, LF or CRLF, UTF-8 with or
/// without a BOM. Blank lines and a header row are skipped; every other row gets a [`BulkLine`],
/// in file order.
pub fn parse(bytes: &[u8]) -> Result<Vec<BulkLine>, FileProblem> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileProblem::TooLarge);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| FileProblem::NotUtf8)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());

    let mut lines = Vec::new();
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut physical = PhysicalLines::new(text.as_bytes());
    let mut seen_a_row = false;
    loop {
        let more = reader.read_record(&mut record).map_err(|error| {
            let line =
                physical.line_at(error.position().map_or(usize::MAX, |p| to_usize(p.byte())));
            FileProblem::Malformed { line }
        })?;
        if !more {
            break;
        }
        let line = physical.line_at(record.position().map_or(usize::MAX, |p| to_usize(p.byte())));
        if record.iter().all(str::is_empty) {
            continue;
        }
        // No cell of this file may span lines, so a line break inside one is an unclosed quote.
        if record.iter().any(|cell| cell.contains(['\n', '\r'])) {
            return Err(FileProblem::Malformed { line });
        }
        let is_first_row = !seen_a_row;
        seen_a_row = true;
        let first_cell = record.get(0).unwrap_or_default();
        if is_first_row && HEADER_CELLS.contains(&first_cell.to_lowercase().as_str()) {
            continue;
        }
        if lines.len() == MAX_LINES {
            return Err(FileProblem::TooManyLines);
        }
        let outcome = check_row(&record, line, &mut first_seen);
        lines.push(BulkLine {
            line,
            input: cut(first_cell, EmailAddress::MAX_LEN),
            outcome,
        });
    }
    if lines.is_empty() {
        return Err(FileProblem::Empty);
    }
    Ok(lines)
}

/// One problem per line, the address first: a duplicate is reported as such whatever else is
/// wrong with it, so fixing the first line never turns the later one into a second invitation.
fn check_row(
    record: &csv::StringRecord,
    line: usize,
    first_seen: &mut HashMap<String, usize>,
) -> Result<BulkEntry, LineProblem> {
    let cell = |i: usize| record.get(i).unwrap_or_default();
    let email = EmailAddress::parse(cell(0)).map_err(LineProblem::InvalidAddress)?;
    let first_line = *first_seen
        .entry(email.canonical().to_owned())
        .or_insert(line);
    if first_line != line {
        return Err(LineProblem::DuplicateInFile { first_line });
    }
    // Empty trailing cells (spreadsheets pad rows) are fine; data past the third column is not.
    if record.iter().skip(MAX_COLUMNS).any(|c| !c.is_empty()) {
        return Err(LineProblem::TooManyColumns);
    }
    let name = match cell(1) {
        "" => None,
        typed => Some(
            DisplayName::parse(typed)
                .map_err(LineProblem::InvalidName)?
                .as_str()
                .to_owned(),
        ),
    };
    let support_contact = support_contact(cell(2))
        .ok_or_else(|| LineProblem::InvalidSupportContact(cut(cell(2), MAX_ECHO_CHARS)))?;
    Ok(BulkEntry {
        email: email.as_str().to_owned(),
        email_canonical: email.canonical().to_owned(),
        name,
        support_contact,
    })
}

/// The third column: what spreadsheets and people commonly write for a yes/no; empty means no.
fn support_contact(cell: &str) -> Option<bool> {
    match cell.to_ascii_lowercase().as_str() {
        "" | "no" | "n" | "false" | "off" | "0" => Some(false),
        "yes" | "y" | "true" | "on" | "1" => Some(true),
        _ => None,
    }
}

/// At most `max` characters, the last one an ellipsis when something was cut.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some(_) => {
            let keep: String = text.chars().take(max.saturating_sub(1)).collect();
            keep + "…"
        }
    }
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// Line numbers as an editor shows them. The csv crate's own are off for this report: it counts
/// only LF (old Mac exports end lines with a lone CR) and places a record before the blank lines
/// it skipped on the way to it.
struct PhysicalLines<'a> {
    bytes: &'a [u8],
    counted_to: usize,
    line: usize,
}

impl<'a> PhysicalLines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            counted_to: 0,
            line: 1,
        }
    }

    /// The line of the first byte at or after `start` that is not a line break. Calls come in
    /// file order, so the whole file is scanned once.
    fn line_at(&mut self, start: usize) -> usize {
        let mut start = start.min(self.bytes.len());
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        while self.counted_to < start {
            let lone_cr = self.bytes.get(self.counted_to) == Some(&b'\r')
                && self.bytes.get(self.counted_to + 1) != Some(&b'\n');
            if lone_cr || self.bytes.get(self.counted_to) == Some(&b'\n') {
                self.line += 1;
            }
            self.counted_to += 1;
        }
        self.line
    }
}

#[cfg(test)]
mod tests;
