//! TimeML date values (as the timex crate writes them) in words, and the calendar arithmetic
//! they need (proleptic Gregorian, days counted from 1970-01-01).

/// Month names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Days since 1970-01-01 of a date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The date `(year, month, day)` of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days in month `m` (1 to 12) of year `y`.
pub fn days_in_month(y: i64, m: u32) -> u32 {
    let next = if m == 12 {
        days_from_civil(y + 1, 1, 1)
    } else {
        days_from_civil(y, m + 1, 1)
    };
    (next - days_from_civil(y, m, 1)) as u32
}

/// The Monday (days since 1970-01-01) that starts ISO week `w` of year `y`: week 1 holds
/// 4 January.
pub fn week_monday(y: i64, w: i64) -> i64 {
    let jan4 = days_from_civil(y, 1, 4);
    // 1970-01-01 was a Thursday, so day 0 has weekday index 3 counting from Monday.
    let monday = jan4 - (jan4 + 3).rem_euclid(7);
    monday + 7 * (w - 1)
}

/// `s` as a number when it is exactly `n` ASCII digits.
fn digits(s: &str, n: usize) -> Option<i64> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// A day as a reader writes it: "19 January 2026".
fn day_text(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{d} {} {y}", MONTHS[m as usize - 1])
}

/// A TimeML value in words ("2026-01" -> "January 2026", "2026-W04" -> "the week of 19
/// January 2026", "2026-SU" -> "summer 2026", "PRESENT_REF" -> "the present"); an unknown
/// value comes back unchanged.
pub fn date(value: &str) -> String {
    words(value).unwrap_or_else(|| value.to_string())
}

fn words(value: &str) -> Option<String> {
    if let Some(w) = reference(value) {
        return Some(w.to_string());
    }
    if let Some(d) = duration(value) {
        return Some(d);
    }
    let (day, time) = match value.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (value, None),
    };
    let day_words = calendar(day)?;
    match time {
        None => Some(day_words),
        Some(t) => with_time(&day_words, t),
    }
}

/// The TimeML words for "now", "before" and "after".
fn reference(value: &str) -> Option<&'static str> {
    Some(match value {
        "PRESENT_REF" => "the present",
        "PAST_REF" => "the past",
        "FUTURE_REF" => "the future",
        _ => return None,
    })
}

/// A date part: a year, decade or century, or a year with a month, day, week, weekend,
/// quarter, half or season; `XXXX` (a year not known) gives the words without a year.
fn calendar(v: &str) -> Option<String> {
    let mut parts = v.split('-');
    let first = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    if first == "XXXX" {
        return yearless(&rest);
    }
    if rest.is_empty() {
        return era(first);
    }
    let y = digits(first, 4)?;
    match rest.as_slice() {
        [m] if m.len() == 2 && m.starts_with(|c: char| c.is_ascii_digit()) => {
            let m = digits(m, 2).filter(|m| (1..=12).contains(m))?;
            Some(format!("{} {y}", MONTHS[m as usize - 1]))
        }
        [m, d] if !m.starts_with('W') => {
            let m = digits(m, 2).filter(|m| (1..=12).contains(m))? as u32;
            let d = digits(d, 2).filter(|&d| d >= 1 && d <= days_in_month(y, m) as i64)?;
            Some(day_text(days_from_civil(y, m, d as u32)))
        }
        [w] if w.len() == 3 && w.starts_with('W') => {
            let w = digits(&w[1..], 2).filter(|w| (1..=53).contains(w))?;
            Some(format!("the week of {}", day_text(week_monday(y, w))))
        }
        [w, we] if w.starts_with('W') && *we == "WE" => {
            let w = digits(&w[1..], 2).filter(|w| (1..=53).contains(w))?;
            Some(format!(
                "the weekend of {}",
                day_text(week_monday(y, w) + 5)
            ))
        }
        [p] => part_of_year(p).map(|p| p.replace('#', &y.to_string())),
        _ => None,
    }
}

/// A year ("2026"), a decade ("199": "the 1990s") or a century ("19": "the 20th century").
fn era(v: &str) -> Option<String> {
    if let Some(y) = digits(v, 4) {
        return Some(y.to_string());
    }
    if let Some(d) = digits(v, 3) {
        return Some(format!("the {}s", d * 10));
    }
    let c = digits(v, 2)? + 1;
    Some(format!("the {} century", super::ordinal(c as f64)))
}

/// A quarter, half or season of year `#`: "the first quarter of #", "summer #".
fn part_of_year(p: &str) -> Option<String> {
    let season = match p {
        "SP" => Some("spring"),
        "SU" => Some("summer"),
        "FA" | "AU" => Some("autumn"),
        "WI" => Some("winter"),
        _ => None,
    };
    if let Some(s) = season {
        return Some(format!("{s} #"));
    }
    let (unit, count) = match p.as_bytes().first()? {
        b'Q' => ("quarter", 4),
        b'H' => ("half", 2),
        _ => return None,
    };
    let n = digits(&p[1..], 1).filter(|n| (1..=count).contains(n))?;
    Some(format!("the {} {unit} of #", super::ordinal(n as f64)))
}

/// Values without a year (a weekday, a month, a season: also the values of sets).
fn yearless(rest: &[&str]) -> Option<String> {
    match rest {
        ["WXX", d] => {
            let d = digits(d, 1).filter(|d| (1..=7).contains(d))?;
            Some(WEEKDAYS[d as usize - 1].to_string())
        }
        ["XX", "XX"] => Some("a day".to_string()),
        [m] => match digits(m, 2).filter(|m| (1..=12).contains(m)) {
            Some(m) => Some(MONTHS[m as usize - 1].to_string()),
            None => part_of_year(m).map(|p| p.replace(" #", "").replace(" of", "")),
        },
        _ => None,
    }
}

/// A day's words with a time of day: a clock time ("19 January 2026, 14:30") or a part of
/// the day ("the morning of 19 January 2026").
fn with_time(day: &str, t: &str) -> Option<String> {
    let part = match t {
        "MO" => "the morning",
        "AF" => "the afternoon",
        "EV" => "the evening",
        "NI" => "the night",
        "DT" => "the daytime",
        _ => return clock(t).map(|c| format!("{day}, {c}")),
    };
    // "a day" is what a weekday-less set gives: "the morning", not "the morning of a day".
    Some(if day == "a day" {
        part.to_string()
    } else {
        format!("{part} of {day}")
    })
}

/// A clock time "HH:MM", with seconds (dropped: news times are to the minute) and a zone
/// ("Z" as UTC, an offset kept): "14:30", "14:30 UTC", "14:30 UTC+02:00".
fn clock(t: &str) -> Option<String> {
    let at = t.find(['Z', '+', '-']).unwrap_or(t.len());
    let (time, zone) = t.split_at(at);
    let mut parts = time.split(':');
    let h = digits(parts.next()?, 2).filter(|h| *h < 24)?;
    let m = digits(parts.next()?, 2).filter(|m| *m < 60)?;
    let seconds_ok = match parts.next() {
        None => true,
        Some(sec) => {
            let whole = sec.split('.').next().unwrap_or("");
            digits(whole, 2).is_some_and(|s| s < 61) && parts.next().is_none()
        }
    };
    let zone = match zone {
        "" => String::new(),
        "Z" => " UTC".to_string(),
        z if z.len() == 6
            && z.is_ascii()
            && &z[3..4] == ":"
            && digits(&z[1..3], 2).is_some()
            && digits(&z[4..], 2).is_some() =>
        {
            format!(" UTC{z}")
        }
        _ => return None,
    };
    seconds_ok.then(|| format!("{h:02}:{m:02}{zone}"))
}

/// A simple TimeML duration: "P3Y" -> "3 years", "PT2H" -> "2 hours", "PXY" -> "years".
fn duration(v: &str) -> Option<String> {
    let body = v.strip_prefix('P').filter(|b| b.is_ascii())?;
    let (clock, body) = match body.strip_prefix('T') {
        Some(b) => (true, b),
        None => (false, body),
    };
    let code = body
        .get(body.len().checked_sub(2)?..)
        .filter(|c| *c == "DE" || *c == "CE");
    let (n, code) = match code {
        Some(c) => (&body[..body.len() - 2], c),
        None => body.split_at(body.len().checked_sub(1)?),
    };
    let unit = match (clock, code) {
        (false, "Y") => "year",
        (false, "M") => "month",
        (false, "W") => "week",
        (false, "D") => "day",
        (false, "Q") => "quarter",
        (false, "DE") => "decade",
        (false, "CE") => "century",
        (true, "H") => "hour",
        (true, "M") => "minute",
        (true, "S") => "second",
        _ => return None,
    };
    let plural = |u: &str| match u {
        "century" => "centuries".to_string(),
        u => format!("{u}s"),
    };
    if n == "X" {
        return Some(plural(unit));
    }
    let whole = (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then_some(n)?;
    let n: u64 = whole.parse().ok()?;
    Some(if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{} {}", super::number(n as f64), plural(unit))
    })
}
