//! Database helpers every domain shares (server only): the transaction type, multi-row inserts
//! and link rows, placeholder lists, LIKE patterns, page arithmetic, constraint violations as
//! field messages, and stored enums read back one way. The pool itself is `state::Db`.

use crate::{error::AppError, state::now};
use sqlx::{Any, Transaction};

/// A transaction on either engine (`state::Db::begin_write` starts one).
pub type Tx = Transaction<'static, Any>;

/// `$first, $first+1, …` for `n` parameters: the placeholders of an `IN (…)` list.
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `%text%` for `LOWER(column) LIKE $n ESCAPE '\\'`, with LIKE's own wildcards escaped and the
/// text lower-cased (LIKE's case rules differ between the engines; LOWER on both sides makes them
/// agree). Empty input gives an empty pattern, which the queries read as "no search".
pub fn like_pattern(search: &str) -> String {
    let search = search.trim().to_lowercase();
    if search.is_empty() {
        return String::new();
    }
    let escaped = search
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The index range of a prefix search: keys from the lower-cased term up to, not including,
/// the term followed by the highest character. Keys compare bytewise on both engines (SQLite's
/// BINARY, PostgreSQL's "C" collation on the key columns), so every key starting with the term
/// is inside and `%` or `_` are plain characters. None for a blank search.
pub fn prefix_range(search: &str) -> Option<(String, String)> {
    let term = search.trim().to_lowercase();
    (!term.is_empty()).then(|| (term.clone(), format!("{term}{}", char::MAX)))
}

/// The highest page number a request may ask for (keeps the offset far from overflow).
pub const MAX_PAGE: i64 = 1_000_000;

/// One page of a list: its number (clamped to the pages there are) and its row offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub number: i64,
    pub offset: i64,
}

/// Page `requested` of `total` rows, `size` a page: never before the first or after the last.
pub fn page(requested: i64, total: i64, size: i64) -> Page {
    let last = ((total + size - 1) / size).max(1);
    let number = requested.clamp(1, last.min(MAX_PAGE));
    Page {
        number,
        offset: (number - 1) * size,
    }
}

/// Maps a unique-constraint violation to a message at `field` (a check-then-insert can lose a
/// race to a parallel request; the constraint decides, and the person reads why); any other
/// database error stays internal.
pub fn unique_as(field: &'static str, message: &'static str) -> impl Fn(sqlx::Error) -> AppError {
    move |error| match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => AppError::field(field, message),
        _ => AppError::from(error),
    }
}

/// Reads a stored enum back, strictly: its text must be one `parse` knows. The database only
/// ever holds values the code wrote (the columns have CHECKs), so anything else is a fault to log
/// under a reference, never a value to guess (a guess could widen someone's rights).
pub fn column<T>(
    row: &sqlx::any::AnyRow,
    name: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, AppError> {
    let text: String = sqlx::Row::try_get(row, name)?;
    parse(&text).ok_or_else(|| AppError::internal(format!("unknown value {text:?} in {name}")))
}

/// The same for a column that may be NULL.
pub fn optional_column<T>(
    row: &sqlx::any::AnyRow,
    name: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, AppError> {
    let text: Option<String> = sqlx::Row::try_get(row, name)?;
    text.map(|text| {
        parse(&text).ok_or_else(|| AppError::internal(format!("unknown value {text:?} in {name}")))
    })
    .transpose()
}

/// A value for `insert_rows`.
pub enum Cell {
    Text(String),
    Int(i64),
    OptInt(Option<i64>),
}

/// Links two rows in a link table (`table (columns[0], columns[1], created_at)`, whose key is the
/// pair) unless they are linked already: true when this call added the link. `table` and
/// `columns` are constants of the caller, never input.
pub async fn link(
    tx: &mut Tx,
    table: &str,
    columns: [&str; 2],
    pair: (i64, i64),
) -> Result<bool, sqlx::Error> {
    let added = sqlx::query(&format!(
        "INSERT INTO {table} ({}, {}, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        columns[0], columns[1]
    ))
    .bind(pair.0)
    .bind(pair.1)
    .bind(now())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(added == 1)
}

/// Inserts many rows with multi-row `INSERT … VALUES (…), (…)` statements of a few thousand
/// parameters each (both engines' limits are far above), instead of one statement per row.
pub async fn insert_rows(
    tx: &mut Tx,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Cell>>,
) -> Result<(), sqlx::Error> {
    const MAX_PARAMETERS: usize = 4000;
    let per_statement = (MAX_PARAMETERS / columns.len().max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<Vec<Cell>> = rows.by_ref().take(per_statement).collect();
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, row) in batch.iter().enumerate() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for j in 0..row.len() {
                n += 1;
                sql.push_str(&format!("{}${n}", if j == 0 { "" } else { ", " }));
            }
            sql.push(')');
        }
        let mut query = sqlx::query(&sql);
        for cell in batch.into_iter().flatten() {
            query = match cell {
                Cell::Text(value) => query.bind(value),
                Cell::Int(value) => query.bind(value),
                Cell::OptInt(value) => query.bind(value),
            };
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_stay_within_the_list() {
        assert_eq!(
            page(0, 0, 50),
            Page {
                number: 1,
                offset: 0
            }
        );
        assert_eq!(
            page(3, 120, 50),
            Page {
                number: 3,
                offset: 100
            }
        );
        assert_eq!(
            page(9, 120, 50),
            Page {
                number: 3,
                offset: 100
            }
        );
        assert_eq!(page(i64::MAX, i64::MAX / 2, 1).number, MAX_PAGE);
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("  "), "");
        assert_eq!(like_pattern("A_b%"), "%a\\_b\\%%");
        assert_eq!(placeholders(3, 2), "$3, $4");
        assert_eq!(prefix_range(" \t"), None);
        assert_eq!(
            prefix_range(" Ab% "),
            Some(("ab%".to_owned(), "ab%\u{10FFFF}".to_owned()))
        );
    }
}
