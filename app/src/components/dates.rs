//! Dates as people read them, in one format on every page: "24 Nov 2026", "24 Nov 2026, 13:05
//! UTC", "Nov 2026". Day, month name and year cannot be misread the way 03/04 can; the machine
//! form (ISO 8601) stays in `datetime` attributes, date inputs and exports.

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// (year, month 1–12, day) of a day count since 1970-01-01: Howard Hinnant's civil-from-days,
/// so the browser needs no time zone data.
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn month_name(month: i64) -> &'static str {
    MONTHS[usize::try_from(month - 1).unwrap_or(0).min(11)]
}

/// A day for people, from Unix seconds (UTC); "—" when there is none.
pub fn format_date(seconds: Option<i64>) -> String {
    let Some(seconds) = seconds else {
        return "—".to_owned();
    };
    let (year, month, day) = civil(seconds.div_euclid(86_400));
    format!("{day} {} {year}", month_name(month))
}

/// A moment for people, from Unix seconds: the day and the time of day in UTC, to the minute.
pub fn format_date_time(seconds: i64) -> String {
    let of_day = seconds.rem_euclid(86_400);
    format!(
        "{}, {:02}:{:02} UTC",
        format_date(Some(seconds)),
        of_day / 3_600,
        of_day % 3_600 / 60
    )
}

/// A stored `YYYY-MM-DD` (agreement terms) in the same form; anything else is shown as it is.
pub fn format_iso_date(iso: &str) -> String {
    let mut parts = iso.splitn(3, '-').map(str::parse::<i64>);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(year)), Some(Ok(month @ 1..=12)), Some(Ok(day))) => {
            format!("{day} {} {year}", month_name(month))
        }
        _ => iso.to_owned(),
    }
}

/// A month of a chart or a table, from `YYYY-MM`: "Dec 2025".
pub fn format_month(year_month: &str) -> String {
    match year_month
        .split_once('-')
        .map(|(y, m)| (y, m.parse::<i64>()))
    {
        Some((year, Ok(month @ 1..=12))) => format!("{} {year}", month_name(month)),
        _ => year_month.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(format_date(Some(0)), "1 Jan 1970");
        assert_eq!(format_date(Some(1_795_478_400)), "24 Nov 2026");
        assert_eq!(format_date(Some(951_782_400)), "29 Feb 2000");
        assert_eq!(format_date(None), "—");
    }

    #[test]
    fn date_times() {
        assert_eq!(format_date_time(0), "1 Jan 1970, 00:00 UTC");
        assert_eq!(
            format_date_time(1_795_478_400 + 13 * 3_600 + 5 * 60 + 59),
            "24 Nov 2026, 13:05 UTC"
        );
        assert_eq!(format_date_time(-60), "31 Dec 1969, 23:59 UTC");
    }

    #[test]
    fn stored_dates_and_months() {
        assert_eq!(format_iso_date("2026-11-24"), "24 Nov 2026");
        assert_eq!(format_iso_date("soon"), "soon");
        assert_eq!(format_month("2025-12"), "Dec 2025");
        assert_eq!(format_month("2025-13"), "2025-13");
    }
}
