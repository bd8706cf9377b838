//! When two values of one slot agree.
//!
//! * **Dates** are intervals: a day, a month, a year; "late 2024" (mod END) is September to
//!   December, "early" January to April, "mid" May to August; seasons, quarters, weeks and
//!   decades likewise. Two dates agree when their intervals overlap ("late 2024" and
//!   "8 December 2024" agree; "December 2024" and "December 2025" do not). Dates at most three
//!   days apart are a soft conflict (reporting across midnight or time zones); more is hard.
//! * **Numbers** are intervals by qualifier: exact v is [v, v] (a round number [0.99v, 1.01v];
//!   against a figure stated to a finer digit, a round number of two or more significant digits
//!   covers what rounding or truncating gives: "$43 million" is [42.5M, 44M) and agrees with
//!   "$43,885,310", while "1.5 million" and "1.6 million" differ),
//!   approximate [0.85v, 1.15v], at least [v, inf), at most [0, v]. They agree when the intervals
//!   overlap ("about 200" and "more than 100" agree). Otherwise a gap of at most 10% of the
//!   larger value is a soft conflict ("nearly 69,000" vs "69,176"), more is hard. Two bounds of
//!   one direction that name different figures ("as many as 1.5 million", "up to 1.6 million")
//!   are a soft conflict.
//! * **Ordinals, places, statuses, propositions** agree when equal; otherwise hard.

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

/// How two values relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Compatible,
    Soft,
    Hard,
}

fn last_day(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// The interval of days a TimeML date value covers, narrowed by its mod.
pub fn date_interval(value: &str, modifier: Option<&str>) -> Option<(NaiveDate, NaiveDate)> {
    let parts: Vec<&str> = value.split('-').collect();
    let year: i32 = parts.first()?.parse().ok()?;
    let (lo, hi) = match (parts.first()?.len(), parts.get(1), parts.get(2)) {
        (3, None, None) => (
            NaiveDate::from_ymd_opt(year * 10, 1, 1)?,
            NaiveDate::from_ymd_opt(year * 10 + 9, 12, 31)?,
        ),
        (2, None, None) => (
            NaiveDate::from_ymd_opt(year * 100, 1, 1)?,
            NaiveDate::from_ymd_opt(year * 100 + 99, 12, 31)?,
        ),
        (4, None, None) => (
            NaiveDate::from_ymd_opt(year, 1, 1)?,
            NaiveDate::from_ymd_opt(year, 12, 31)?,
        ),
        (4, Some(m), None) => match *m {
            "SP" => (
                NaiveDate::from_ymd_opt(year, 3, 1)?,
                NaiveDate::from_ymd_opt(year, 5, 31)?,
            ),
            "SU" => (
                NaiveDate::from_ymd_opt(year, 6, 1)?,
                NaiveDate::from_ymd_opt(year, 8, 31)?,
            ),
            "FA" => (
                NaiveDate::from_ymd_opt(year, 9, 1)?,
                NaiveDate::from_ymd_opt(year, 11, 30)?,
            ),
            "WI" => (NaiveDate::from_ymd_opt(year, 12, 1)?, last_day(year + 1, 2)),
            q if q.starts_with('Q') => {
                let n: u32 = q[1..].parse().ok()?;
                let m0 = (n - 1) * 3 + 1;
                (
                    NaiveDate::from_ymd_opt(year, m0, 1)?,
                    last_day(year, m0 + 2),
                )
            }
            "H1" => (
                NaiveDate::from_ymd_opt(year, 1, 1)?,
                NaiveDate::from_ymd_opt(year, 6, 30)?,
            ),
            "H2" => (
                NaiveDate::from_ymd_opt(year, 7, 1)?,
                NaiveDate::from_ymd_opt(year, 12, 31)?,
            ),
            w if w.starts_with('W') => {
                let n: u32 = w[1..].parse().ok()?;
                let d = NaiveDate::from_isoywd_opt(year, n, chrono::Weekday::Mon)?;
                (d, d + chrono::Duration::days(6))
            }
            m => {
                let m: u32 = m.parse().ok()?;
                (NaiveDate::from_ymd_opt(year, m, 1)?, last_day(year, m))
            }
        },
        (4, Some(m), Some(d)) => {
            let d = NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.get(..2)?.parse().ok()?)?;
            (d, d)
        }
        _ => return None,
    };
    let span = (hi - lo).num_days();
    let (lo, hi) = match modifier {
        Some("START") | Some("EARLY") if span > 20 => (lo, lo + chrono::Duration::days(span / 3)),
        Some("MID") if span > 20 => (
            lo + chrono::Duration::days(span / 3),
            hi - chrono::Duration::days(span / 3),
        ),
        Some("END") | Some("LATE") if span > 20 => (hi - chrono::Duration::days(span / 3), hi),
        Some("BEFORE") | Some("ON_OR_BEFORE") => (NaiveDate::MIN, hi),
        Some("AFTER") | Some("ON_OR_AFTER") => (lo, NaiveDate::MAX),
        Some("APPROX") => (
            lo - chrono::Duration::days(span / 10 + 1),
            hi + chrono::Duration::days(span / 10 + 1),
        ),
        _ => (lo, hi),
    };
    Some((lo, hi))
}

pub fn dates(a: &str, am: Option<&str>, b: &str, bm: Option<&str>) -> Relation {
    match (date_interval(a, am), date_interval(b, bm)) {
        (Some((a0, a1)), Some((b0, b1))) => {
            if a0 <= b1 && b0 <= a1 {
                Relation::Compatible
            } else {
                let gap = if a1 < b0 {
                    (b0 - a1).num_days()
                } else {
                    (a0 - b1).num_days()
                };
                if gap <= 3 {
                    Relation::Soft
                } else {
                    Relation::Hard
                }
            }
        }
        _ if a == b => Relation::Compatible,
        _ => Relation::Hard,
    }
}

/// The place of a round number's last significant digit, when it has two or more
/// ("43 million" is stated to the million, "1,500" to the hundred); `None` for other numbers
/// ("200", "4 million": one digit says too little of how it was rounded).
fn stated_unit(v: f64) -> Option<f64> {
    if v < 100.0 || v.fract() != 0.0 || v > 1e15 {
        return None;
    }
    let mut unit = 1.0;
    while (v / (unit * 10.0)).fract() == 0.0 {
        unit *= 10.0;
    }
    (unit >= 100.0 && v / unit >= 10.0).then_some(unit)
}

fn is_round(v: f64) -> bool {
    v >= 1000.0 && (v % 1000.0 == 0.0) || v >= 100.0 && v % 100.0 == 0.0
}

pub fn number_interval(v: f64, qualifier: Option<&str>) -> (f64, f64) {
    match qualifier {
        Some("approximate") => (v * 0.85, v * 1.15),
        Some("at_least") => (v, f64::INFINITY),
        Some("at_most") => (0.0, v),
        _ if is_round(v) => (v * 0.99, v * 1.01),
        _ => (v, v),
    }
}

fn is_exact(q: Option<&str>) -> bool {
    !matches!(q, Some("approximate" | "at_least" | "at_most"))
}

/// The intervals of two exact numbers: the coarser one, when it is stated to a coarser digit
/// than the other, covers what rounding or truncating to that digit gives ("$43 million"
/// covers $43,885,310; "1.5 million" and "1.6 million" are two figures).
fn exact_intervals(a: f64, b: f64) -> ((f64, f64), (f64, f64)) {
    let stated = |v: f64, u: f64| (v - u / 2.0, v + u - 1.0);
    let (ia, ib) = (number_interval(a, None), number_interval(b, None));
    match (stated_unit(a), stated_unit(b)) {
        (Some(u), w) if w.is_none_or(|w| u > w) => (stated(a, u), ib),
        (u, Some(w)) if u.is_none_or(|u| w > u) => (ia, stated(b, w)),
        _ => (ia, ib),
    }
}

/// What "several" and "a few" cover: more than two, fewer than ten.
const VAGUE_RANGE: (f64, f64) = (3.0, 9.0);

/// A vague count against another: compatible where the other falls in [`VAGUE_RANGE`] (or is
/// vague too), else soft (an outlet saying "several times" where another says "twice" is not
/// wrong by a figure).
fn vague_against(other: f64, oq: Option<&str>) -> Relation {
    let (lo, hi) = if oq == Some("vague") {
        VAGUE_RANGE
    } else {
        number_interval(other, oq)
    };
    if lo <= VAGUE_RANGE.1 && VAGUE_RANGE.0 <= hi {
        Relation::Compatible
    } else {
        Relation::Soft
    }
}

pub fn numbers(a: f64, aq: Option<&str>, b: f64, bq: Option<&str>) -> Relation {
    match (aq, bq) {
        (Some("vague"), _) => return vague_against(b, bq),
        (_, Some("vague")) => return vague_against(a, aq),
        _ => {}
    }
    // Two bounds in one direction name the figure each outlet gives: "as many as 1.5
    // million" and "up to 1.6 million" both hold for 1.2 million, yet they disagree.
    let bounds = matches!(
        (aq, bq),
        (Some("at_most"), Some("at_most")) | (Some("at_least"), Some("at_least"))
    );
    if bounds && a != b {
        return Relation::Soft;
    }
    let ((a0, a1), (b0, b1)) = if is_exact(aq) && is_exact(bq) {
        exact_intervals(a, b)
    } else {
        (number_interval(a, aq), number_interval(b, bq))
    };
    if a0 <= b1 && b0 <= a1 {
        return Relation::Compatible;
    }
    let gap = if a1 < b0 { b0 - a1 } else { a0 - b1 };
    if gap <= 0.10 * a.abs().max(b.abs()) {
        Relation::Soft
    } else {
        Relation::Hard
    }
}

/// Compares two values of a slot of `kind`.
pub fn relate(kind: &str, a: &Value, aq: Option<&str>, b: &Value, bq: Option<&str>) -> Relation {
    match (kind, a, b) {
        ("date", Value::String(x), Value::String(y)) => dates(x, aq, y, bq),
        ("number", _, _) => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => numbers(x, aq, y, bq),
            _ => Relation::Hard,
        },
        // A superlative in two scopes ("the country's largest" / "the world's largest") may
        // hold in both: the outlets disagree on what was said, softly.
        ("scope", _, _) if a != b => Relation::Soft,
        _ if a == b => Relation::Compatible,
        _ => Relation::Hard,
    }
}

/// The year of a date value, for labels.
pub fn year_of(value: &str) -> Option<i32> {
    date_interval(value, None).map(|(lo, _)| lo.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples() {
        assert_eq!(
            dates("2024", Some("END"), "2024-12-08", None),
            Relation::Compatible
        );
        assert_eq!(dates("2024-12", None, "2025-12", None), Relation::Hard);
        assert_eq!(
            dates("2024-12", None, "2024-12-08", None),
            Relation::Compatible
        );
        assert_eq!(
            dates("2024", Some("START"), "2024-12-08", None),
            Relation::Hard
        );
        assert_eq!(
            dates("2025-11-08", None, "2025-11-09", None),
            Relation::Soft
        );
        assert_eq!(
            dates("2026-SU", None, "2026-07-14", None),
            Relation::Compatible
        );
        assert_eq!(
            numbers(200.0, Some("approximate"), 100.0, Some("at_least")),
            Relation::Compatible
        );
        assert_eq!(
            numbers(69000.0, Some("at_most"), 69176.0, Some("exact")),
            Relation::Soft
        );
        assert_eq!(
            numbers(24.0, Some("exact"), 40.0, Some("exact")),
            Relation::Hard
        );
        assert_eq!(
            numbers(2225.0, Some("exact"), 2200.0, Some("at_least")),
            Relation::Compatible
        );
        assert_eq!(
            numbers(43e6, Some("exact"), 43_885_310.0, Some("exact")),
            Relation::Compatible
        );
        assert_eq!(
            numbers(43e6, Some("exact"), 45_100_000.0, Some("exact")),
            Relation::Soft
        );
        assert_eq!(
            numbers(43e6, Some("exact"), 52e6, Some("exact")),
            Relation::Hard
        );
        assert_eq!(
            numbers(1.5e6, Some("at_most"), 1.6e6, Some("at_most")),
            Relation::Soft
        );
        assert_eq!(
            numbers(1.5e6, Some("at_most"), 1.5e6, Some("at_most")),
            Relation::Compatible
        );
        assert_eq!(
            numbers(2.0, Some("exact"), 3.0, Some("vague")),
            Relation::Soft
        );
        assert_eq!(
            numbers(3.0, Some("vague"), 4.0, Some("exact")),
            Relation::Compatible
        );
        assert_eq!(
            numbers(3.0, Some("vague"), 3.0, Some("vague")),
            Relation::Compatible
        );
        assert_eq!(
            numbers(200.0, Some("exact"), 250.0, Some("exact")),
            Relation::Hard
        );
        assert_ne!(
            numbers(2.5e6, Some("exact"), 2.6e6, Some("exact")),
            Relation::Compatible
        );
        assert_eq!(
            relate("ordinal", &Value::from(2), None, &Value::from(1), None),
            Relation::Hard
        );
    }
}
