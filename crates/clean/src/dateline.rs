//! Datelines: the "PLACE (Outlet) DATE -" lead of a news story.
//!
//! Recognised shapes (the dash may be -, – or —, or a colon):
//! `MOSCOW - ...`, `KHARTOUM, Sudan (AP) — ...`, `LONDON, Nov 8 (Reuters) - ...`,
//! `Moscow (Washington Insider Magazine) 28 January 2026 – ...`. A mixed-case place only counts
//! when an outlet or a date follows it, so an ordinary sentence with a dash is not a dateline.

use std::sync::LazyLock;

use regex::Regex;

use crate::dates::parse_written_date;

/// What a dateline states.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dateline {
    /// The place, in its usual case ("Moscow", "Khartoum, Sudan").
    pub place: String,
    pub outlet: Option<String>,
    /// ISO date when the dateline gives a complete date.
    pub date: Option<String>,
    /// Byte length of the dateline prefix, the dash and the space after it included.
    pub len: usize,
}

const DATE: &str = r"(?:(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)[a-z]*\.?,?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?,?(?:\s+\d{4})?|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?)";

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    let place = r"(?P<place>[A-Z][\p{L}.'’]*(?:[ -][A-Z][\p{L}.'’]*){0,3})";
    let region = r"(?:,\s*(?P<region>[A-Z][\p{L}.]*(?:\s[A-Z][\p{L}.]*){0,2}))?";
    let outlet = r"(?:\s*\((?P<outlet>[^()]{2,60})\))?";
    Regex::new(&format!(
        r"^{place}{region}(?:,?\s+(?P<date1>{DATE}))?{outlet}(?:,?\s+(?P<date2>{DATE}))?\s*(?:[-–—]+|:)\s+\S"
    ))
    .expect("dateline regex")
});

/// Parses the dateline at the start of `para`, if any.
pub fn parse(para: &str) -> Option<Dateline> {
    let caps = DATELINE.captures(para)?;
    let place = caps.name("place")?.as_str();
    let outlet = caps.name("outlet").map(|m| m.as_str().trim().to_string());
    let date_text = caps.name("date1").or_else(|| caps.name("date2"));
    let all_caps = place.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !place.chars().any(|c| c.is_lowercase());
    if !all_caps && outlet.is_none() && date_text.is_none() {
        return None;
    }
    // A month name is a date, not a place ("January 5 -" is not a dateline place).
    if crate::dates::month_number(place.split_whitespace().next().unwrap_or("")).is_some()
        && !all_caps
    {
        return None;
    }
    let mut place = title_case_if_caps(place);
    if let Some(r) = caps.name("region") {
        place.push_str(", ");
        place.push_str(&title_case_if_caps(r.as_str()));
    }
    let whole = caps.get(0)?;
    // The match ends one character into the body; back off to the end of the dash.
    let last = para[..whole.end()].chars().next_back()?;
    Some(Dateline {
        place,
        outlet,
        date: date_text
            .and_then(|d| parse_written_date(d.as_str()))
            .map(|d| d.format("%Y-%m-%d").to_string()),
        len: whole.end() - last.len_utf8(),
    })
}

/// "MOSCOW" -> "Moscow", "NEW YORK" -> "New York"; mixed case is kept.
fn title_case_if_caps(s: &str) -> String {
    if s.chars().any(|c| c.is_lowercase()) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphabetic() && c != '\'' && c != '’';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_common_datelines() {
        let d = parse("MOSCOW - Syrian President Ahmed al-Sharaa met").unwrap();
        assert_eq!(d.place, "Moscow");
        assert_eq!(d.outlet, None);
        assert_eq!(d.date, None);
        assert_eq!(&"MOSCOW - Syrian"[d.len..], "Syrian");

        let d = parse(
            "Moscow (Washington Insider Magazine) 28 January 2026 – Russian President Vladimir Putin met",
        )
        .unwrap();
        assert_eq!(d.place, "Moscow");
        assert_eq!(d.outlet.as_deref(), Some("Washington Insider Magazine"));
        assert_eq!(d.date.as_deref(), Some("2026-01-28"));

        let d = parse("KHARTOUM, Sudan (AP) — A drone attack").unwrap();
        assert_eq!(d.place, "Khartoum, Sudan");
        assert_eq!(d.outlet.as_deref(), Some("AP"));

        let d = parse("LONDON, Nov 8 (Reuters) - Shares fell").unwrap();
        assert_eq!(d.place, "London");
        assert_eq!(d.outlet.as_deref(), Some("Reuters"));
        assert_eq!(d.date, None, "no year: never invented");

        let d = parse("WASHINGTON — Michael Steele, chairman").unwrap();
        assert_eq!(d.place, "Washington");
    }

    #[test]
    fn ordinary_sentences_are_not_datelines() {
        for s in [
            "Israel - which accuses Hezbollah of rearming - has criticized the army.",
            "Putin said: “Russia stands ready.”",
            "Hamas fighters holed up in Rafah will not surrender.",
            "- Iraq calls for repatriation -",
            "A Kurdish military source confirmed to AFP the transfer.",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }
}
