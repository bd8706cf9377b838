//! Parsing of publication dates as inputs state them, into ISO 8601.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Month number (1-12) of an English month name or abbreviation ("Jan", "Sept.", "January").
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let i = MONTHS.iter().position(|m| w.starts_with(m))?;
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ][i];
    // "Sept" and the three-letter forms are abbreviations; anything else must be the full name.
    (w.len() == 3 || full.starts_with(&w) || w == "sept").then_some(i as u32 + 1)
}

/// Normalises a stated publication date to ISO 8601: `YYYY-MM-DD`, or a date-time with its
/// offset when the input has a time. Returns `None` for anything that is not a complete,
/// valid date (a date is never guessed).
pub fn normalize_published(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(dt.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return Some(d.format("%Y-%m-%d").to_string());
        }
    }
    parse_written_date(s).map(|d| d.format("%Y-%m-%d").to_string())
}

/// "28 January 2026", "January 28, 2026", "Jan. 28 2026", with an optional leading weekday.
pub fn parse_written_date(s: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let words = match words.first() {
        Some(w) if is_weekday(w) => &words[1..],
        _ => &words[..],
    };
    let [a, b, c] = words else {
        return None;
    };
    let (day, month) = match (day_number(a), month_number(a)) {
        (Some(d), _) => (d, month_number(b)?),
        (None, Some(m)) => (day_number(b)?, m),
        _ => return None,
    };
    let year: i32 = c.parse().ok().filter(|y| (1000..=9999).contains(y))?;
    NaiveDate::from_ymd_opt(year, month, day)
}

fn day_number(w: &str) -> Option<u32> {
    let w = w.trim_end_matches(['.', ','].as_ref());
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn is_weekday(w: &str) -> bool {
    let w = w.trim_end_matches(['.', ','].as_ref()).to_ascii_lowercase();
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
    ]
    .contains(&w.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_common_forms() {
        assert_eq!(
            normalize_published("2010-07-02").as_deref(),
            Some("2010-07-02")
        );
        assert_eq!(
            normalize_published("2019-11-19T08:09:00Z").as_deref(),
            Some("2019-11-19T08:09:00Z")
        );
        assert_eq!(
            normalize_published("2019-11-19T08:09:00+02:00").as_deref(),
            Some("2019-11-19T08:09:00+02:00")
        );
        assert_eq!(
            normalize_published("Tue, 1 Jul 2003 10:52:37 +0200").as_deref(),
            Some("2003-07-01T10:52:37+02:00")
        );
        assert_eq!(
            normalize_published("28 January 2026").as_deref(),
            Some("2026-01-28")
        );
        assert_eq!(
            normalize_published("January 28, 2026").as_deref(),
            Some("2026-01-28")
        );
        assert_eq!(
            normalize_published("Wednesday, Jan. 28, 2026").as_deref(),
            Some("2026-01-28")
        );
    }

    #[test]
    fn never_guesses() {
        for s in [
            "",
            "yesterday",
            "January 2026",
            "31 February 2026",
            "Nov. 8",
            "2026-13-01",
        ] {
            assert_eq!(normalize_published(s), None, "{s}");
        }
    }

    #[test]
    fn month_names() {
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("January"), Some(1));
        assert_eq!(month_number("Janu"), Some(1));
        assert_eq!(month_number("Mayor"), None);
        assert_eq!(month_number("Ma"), None);
    }
}
