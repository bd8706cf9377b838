//! Normalisation: turns what a rule recognised (a [`Sem`]) into a TIMEX3 value, using the
//! anchor date (publication date) and, for anaphoric expressions ("that year", "a year
//! earlier"), the last date the text mentioned.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::lexicon::{Holiday, PartDay, Unit};

/// How a year is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Y {
    /// Written out ("2024").
    Abs(i32),
    /// The anchor's year plus n ("last year", "this year's third quarter").
    Rel(i32),
    /// Not given ("Nov. 8", "in March"): the occurrence nearest the anchor, leaning as `Dir`.
    Near(Dir),
}

/// Which way an underspecified date leans from the anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dir {
    /// Reporting default: the latest occurrence on or before the anchor.
    Past,
    /// Future tense: the first occurrence on or after the anchor.
    Future,
    /// "last Friday": strictly before the anchor.
    PastStrict,
    /// "next Friday": strictly after the anchor.
    FutureStrict,
}

/// Time of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tod {
    Clock(u8, u8),
    Part(PartDay),
}

/// The meaning of a recognised expression, before the anchor is applied.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Sem {
    /// A value that needs no anchor (P3Y, PRESENT_REF, 1998-10-23, 199).
    Lit(String),
    /// Recognised, but not normalisable.
    Unknown,
    Ymd(Y, u8, u8),
    Ym(Y, u8),
    Year(Y),
    /// Season 0..=3 (SP, SU, FA, WI).
    Season(Y, u8),
    /// "last fall", "next summer": relative to the anchor's season.
    SeasonRel(u8, i32),
    Quarter(Y, u8),
    Half(Y, u8),
    /// Anchor day plus n days.
    DayOff(i32),
    Weekday(u8, Dir),
    /// "last November", "next March".
    MonthRel(u8, Dir),
    /// The unit containing the anchor, shifted by n units ("last week", "two years ago").
    Shift(Unit, i32),
    /// Like `Shift`, from the last mentioned date when there is one ("that year", "the
    /// following day"), else from the anchor.
    RefShift(Unit, i32),
    /// "a year earlier": the last mentioned date (at its own granularity) one year back.
    YearBack,
    /// "the quarter": the quarter last mentioned, else the latest completed one.
    RefQuarter,
    /// The weekend of the anchor's week plus n weeks; `None`: the latest weekend.
    Weekend(Option<i32>),
    Holiday(Holiday, Y),
    /// A date plus a time of day.
    Time(Box<Sem>, Tod),
}

/// A resolved date kept as the reference for anaphoric expressions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Point {
    Day(NaiveDate),
    Month(i32, u8),
    Quarter(i32, u8),
    Year(i32),
}

const SEASONS: [&str; 4] = ["SP", "SU", "FA", "WI"];

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn fmt_day(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn fmt_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

fn month_index(y: i32, m: u32) -> i32 {
    y * 12 + m as i32 - 1
}

fn from_month_index(k: i32) -> (i32, u32) {
    (k.div_euclid(12), (k.rem_euclid(12) + 1) as u32)
}

/// The season (0..=3) a date falls in and the year that labels it: a winter is labelled by
/// the year it starts in, so December 2025 and January 2026 are both 2025-WI.
fn season_of(d: NaiveDate) -> (i32, u8) {
    match d.month() {
        3..=5 => (d.year(), 0),
        6..=8 => (d.year(), 1),
        9..=11 => (d.year(), 2),
        12 => (d.year(), 3),
        _ => (d.year() - 1, 3),
    }
}

/// Year for a month-day without a year: the occurrence nearest the anchor, where a date in
/// the future counts as twice as far away as one in the past (news reports mostly look back).
fn near_year_md(anchor: NaiveDate, m: u32, d: u32, dir: Dir) -> Option<i32> {
    let y = anchor.year();
    let mut best: Option<(i64, i32)> = None;
    for cy in [y - 1, y, y + 1] {
        let Some(date) = ymd(cy, m, d).or_else(|| ymd(cy, m, 28)) else {
            continue;
        };
        let diff = (date - anchor).num_days();
        let cost = match dir {
            Dir::Past | Dir::PastStrict => {
                if diff > 0 {
                    diff * 2
                } else {
                    -diff
                }
            }
            Dir::Future | Dir::FutureStrict => {
                if diff < 0 {
                    -diff * 2
                } else {
                    diff
                }
            }
        };
        if best.is_none_or(|(c, _)| cost < c) {
            best = Some((cost, cy));
        }
    }
    best.map(|(_, cy)| cy)
}

/// Year for a month without a year ("in March"): the same nearest rule at month level.
fn near_year_m(anchor: NaiveDate, m: u32, dir: Dir) -> i32 {
    let a = month_index(anchor.year(), anchor.month());
    let y = anchor.year();
    let mut best = (i32::MAX, y);
    for cy in [y - 1, y, y + 1] {
        let diff = month_index(cy, m) - a;
        let cost = match dir {
            Dir::Past | Dir::PastStrict => {
                if diff > 0 {
                    diff * 2
                } else {
                    -diff
                }
            }
            Dir::Future | Dir::FutureStrict => {
                if diff < 0 {
                    -diff * 2
                } else {
                    diff
                }
            }
        };
        if cost < best.0 {
            best = (cost, cy);
        }
    }
    best.1
}

fn year_of(y: Y, anchor: Option<NaiveDate>) -> Option<i32> {
    match y {
        Y::Abs(v) => Some(v),
        Y::Rel(n) => anchor.map(|a| a.year() + n),
        Y::Near(_) => anchor.map(|a| a.year()),
    }
}

fn weekday_from(n: u8) -> Weekday {
    match n {
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        _ => Weekday::Sun,
    }
}

fn resolve_weekday(anchor: NaiveDate, wd: u8, dir: Dir) -> NaiveDate {
    let target = weekday_from(wd).num_days_from_monday() as i64;
    let cur = anchor.weekday().num_days_from_monday() as i64;
    let back = (cur - target).rem_euclid(7);
    let fwd = (target - cur).rem_euclid(7);
    match dir {
        Dir::Past => anchor - Duration::days(back),
        Dir::PastStrict => anchor - Duration::days(if back == 0 { 7 } else { back }),
        Dir::Future => anchor + Duration::days(fwd),
        Dir::FutureStrict => anchor + Duration::days(if fwd == 0 { 7 } else { fwd }),
    }
}

fn nth_weekday(y: i32, m: u32, wd: Weekday, n: u32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(y, m, wd, n as u8)
}

fn last_weekday(y: i32, m: u32, wd: Weekday) -> Option<NaiveDate> {
    let first_next = if m == 12 {
        ymd(y + 1, 1, 1)?
    } else {
        ymd(y, m + 1, 1)?
    };
    let mut d = first_next - Duration::days(1);
    while d.weekday() != wd {
        d -= Duration::days(1);
    }
    Some(d)
}

/// Western Easter (anonymous Gregorian computus).
fn easter(y: i32) -> Option<NaiveDate> {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(y, month as u32, day as u32)
}

fn holiday_date(h: Holiday, y: i32) -> Option<NaiveDate> {
    match h {
        Holiday::Christmas => ymd(y, 12, 25),
        Holiday::NewYear => ymd(y, 1, 1),
        Holiday::Halloween => ymd(y, 10, 31),
        Holiday::Independence => ymd(y, 7, 4),
        Holiday::Valentine => ymd(y, 2, 14),
        Holiday::Veterans => ymd(y, 11, 11),
        Holiday::Thanksgiving => nth_weekday(y, 11, Weekday::Thu, 4),
        Holiday::Labor => nth_weekday(y, 9, Weekday::Mon, 1),
        Holiday::Columbus => nth_weekday(y, 10, Weekday::Mon, 2),
        Holiday::Memorial => last_weekday(y, 5, Weekday::Mon),
        // US general elections: the Tuesday after the first Monday of November.
        Holiday::Election => nth_weekday(y, 11, Weekday::Mon, 1).map(|d| d + Duration::days(1)),
        Holiday::Easter => easter(y),
        Holiday::Hanukkah => None,
    }
}

/// Shifts the unit containing `base` by `n` units and formats it at that unit's granularity.
fn shift(base: NaiveDate, unit: Unit, n: i32) -> Option<(String, Option<Point>)> {
    Some(match unit {
        Unit::Day => {
            let d = base + Duration::days(n as i64);
            (fmt_day(d), Some(Point::Day(d)))
        }
        Unit::Week | Unit::Fortnight => {
            let d = base + Duration::days(7 * n as i64);
            (fmt_week(d), None)
        }
        Unit::Weekend => {
            let d = base + Duration::days(7 * n as i64);
            (format!("{}-WE", fmt_week(d)), None)
        }
        Unit::Month => {
            let (y, m) = from_month_index(month_index(base.year(), base.month()) + n);
            (format!("{y:04}-{m:02}"), Some(Point::Month(y, m as u8)))
        }
        Unit::Quarter => {
            let q0 = base.year() * 4 + (base.month() as i32 - 1) / 3 + n;
            let (y, q) = (q0.div_euclid(4), q0.rem_euclid(4) + 1);
            (format!("{y:04}-Q{q}"), Some(Point::Quarter(y, q as u8)))
        }
        Unit::Year => {
            let y = base.year() + n;
            (format!("{y:04}"), Some(Point::Year(y)))
        }
        Unit::Decade => (format!("{:03}", base.year().div_euclid(10) + n), None),
        Unit::Century => (format!("{:02}", base.year().div_euclid(100) + n), None),
        Unit::Millennium => (format!("{}", base.year().div_euclid(1000) + n), None),
        Unit::Hour | Unit::Minute | Unit::Second => (fmt_day(base), Some(Point::Day(base))),
    })
}

/// A representative day for a reference point (used to shift it).
fn point_day(p: Point) -> Option<NaiveDate> {
    match p {
        Point::Day(d) => Some(d),
        Point::Month(y, m) => ymd(y, m as u32, 1),
        Point::Quarter(y, q) => ymd(y, (q as u32 - 1) * 3 + 1, 1),
        Point::Year(y) => ymd(y, 1, 1),
    }
}

fn point_rank(p: Point) -> u8 {
    match p {
        Point::Day(_) => 0,
        Point::Month(..) => 1,
        Point::Quarter(..) => 2,
        Point::Year(_) => 3,
    }
}

fn unit_rank(u: Unit) -> u8 {
    match u {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day | Unit::Week | Unit::Weekend => 0,
        Unit::Fortnight | Unit::Month => 1,
        Unit::Quarter => 2,
        _ => 3,
    }
}

/// Result of normalising one expression.
pub(crate) struct Resolved {
    pub value: Option<String>,
    /// The value depends on the anchor (or on the text's last date).
    pub relative: bool,
    /// A date later anaphoric expressions may refer to.
    pub point: Option<Point>,
}

pub(crate) fn resolve(sem: &Sem, anchor: Option<NaiveDate>, reference: Option<Point>) -> Resolved {
    let relative = match sem {
        Sem::Lit(_) | Sem::Unknown => false,
        Sem::Ymd(Y::Abs(_), ..)
        | Sem::Ym(Y::Abs(_), _)
        | Sem::Year(Y::Abs(_))
        | Sem::Season(Y::Abs(_), _)
        | Sem::Quarter(Y::Abs(_), _)
        | Sem::Half(Y::Abs(_), _)
        | Sem::Holiday(_, Y::Abs(_)) => false,
        Sem::Time(d, _) => !matches!(**d, Sem::Ymd(Y::Abs(_), ..)),
        _ => true,
    };
    let (value, point) = match value_of(sem, anchor, reference) {
        Some((v, p)) => (Some(v), p),
        None => (None, None),
    };
    Resolved {
        value,
        relative,
        point,
    }
}

fn value_of(
    sem: &Sem,
    anchor: Option<NaiveDate>,
    reference: Option<Point>,
) -> Option<(String, Option<Point>)> {
    match *sem {
        Sem::Lit(ref s) => Some((s.clone(), None)),
        Sem::Unknown => None,
        Sem::Ymd(y, m, d) => {
            let year = match y {
                Y::Near(dir) => near_year_md(anchor?, m as u32, d as u32, dir)?,
                _ => year_of(y, anchor)?,
            };
            let date = ymd(year, m as u32, d as u32)?;
            Some((fmt_day(date), Some(Point::Day(date))))
        }
        Sem::Ym(y, m) => {
            let year = match y {
                Y::Near(dir) => near_year_m(anchor?, m as u32, dir),
                _ => year_of(y, anchor)?,
            };
            Some((format!("{year:04}-{m:02}"), Some(Point::Month(year, m))))
        }
        Sem::Year(y) => {
            let year = year_of(y, anchor)?;
            Some((format!("{year:04}"), Some(Point::Year(year))))
        }
        Sem::Season(y, s) => {
            let year = year_of(y, anchor)?;
            Some((format!("{year:04}-{}", SEASONS[s as usize]), None))
        }
        Sem::SeasonRel(s, n) => {
            let a = anchor?;
            let (cy, cs) = season_of(a);
            let year = match n.cmp(&0) {
                std::cmp::Ordering::Equal => {
                    // "this summer": the anchor's year (winter: the one under way or coming).
                    if cs == 3 && s == 3 { cy } else { a.year() }
                }
                std::cmp::Ordering::Less => {
                    // The latest such season that is over or under way, not the current one.
                    let k = cy * 4 + cs as i32;
                    let mut t = cy * 4 + s as i32;
                    while t >= k {
                        t -= 4;
                    }
                    t += 4 * (n + 1);
                    t.div_euclid(4)
                }
                std::cmp::Ordering::Greater => {
                    let k = cy * 4 + cs as i32;
                    let mut t = cy * 4 + s as i32;
                    while t <= k {
                        t += 4;
                    }
                    t += 4 * (n - 1);
                    t.div_euclid(4)
                }
            };
            Some((format!("{year:04}-{}", SEASONS[s as usize]), None))
        }
        Sem::Quarter(y, q) => {
            let year = match y {
                // A quarter without a year: the latest one that has begun (or begins within
                // a month): "the fourth quarter" in January is last year's.
                Y::Near(_) => {
                    let a = anchor?;
                    let start = ymd(a.year(), (q as u32 - 1) * 3 + 1, 1)?;
                    if (start - a).num_days() > 31 {
                        a.year() - 1
                    } else {
                        a.year()
                    }
                }
                _ => year_of(y, anchor)?,
            };
            Some((format!("{year:04}-Q{q}"), Some(Point::Quarter(year, q))))
        }
        Sem::Half(y, h) => {
            let year = year_of(y, anchor)?;
            Some((format!("{year:04}-H{h}"), None))
        }
        Sem::DayOff(n) => {
            let d = anchor? + Duration::days(n as i64);
            Some((fmt_day(d), Some(Point::Day(d))))
        }
        Sem::Weekday(wd, dir) => {
            let d = resolve_weekday(anchor?, wd, dir);
            Some((fmt_day(d), Some(Point::Day(d))))
        }
        Sem::MonthRel(m, dir) => {
            let a = anchor?;
            let cur = month_index(a.year(), a.month());
            let mut t = month_index(a.year(), m as u32);
            match dir {
                Dir::PastStrict | Dir::Past => {
                    while t >= cur {
                        t -= 12;
                    }
                }
                Dir::FutureStrict | Dir::Future => {
                    while t <= cur {
                        t += 12;
                    }
                }
            }
            let (y, mm) = from_month_index(t);
            Some((format!("{y:04}-{mm:02}"), Some(Point::Month(y, mm as u8))))
        }
        Sem::Shift(unit, n) => shift(anchor?, unit, n),
        Sem::RefShift(unit, n) => {
            let base = reference
                .filter(|p| point_rank(*p) <= unit_rank(unit))
                .and_then(point_day)
                .or(anchor)?;
            shift(base, unit, n)
        }
        Sem::RefQuarter => match reference {
            Some(Point::Quarter(y, q)) => Some((format!("{y:04}-Q{q}"), None)),
            // Without a quarter in the text, the latest completed one (what results report).
            _ => shift(anchor?, Unit::Quarter, -1),
        },
        // Only a quarter or month under discussion gives its granularity; a day mentioned
        // before ("ended Sept. 30") is not what "a year earlier" compares with.
        Sem::YearBack => match reference {
            Some(Point::Month(y, m)) => Some((format!("{:04}-{m:02}", y - 1), None)),

            Some(Point::Quarter(y, q)) => Some((format!("{:04}-Q{q}", y - 1), None)),
            _ => shift(anchor?, Unit::Year, -1),
        },
        Sem::Weekend(n) => {
            let a = anchor?;
            match n {
                Some(k) => shift(a, Unit::Weekend, k),
                None => {
                    // The latest weekend: this week's if the anchor is on it, else last week's.
                    let k = if a.weekday().number_from_monday() >= 6 {
                        0
                    } else {
                        -1
                    };
                    shift(a, Unit::Weekend, k)
                }
            }
        }
        Sem::Holiday(h, y) => {
            let d = match y {
                Y::Near(dir) => {
                    let a = anchor?;
                    let cands = [a.year() - 1, a.year(), a.year() + 1].map(|y| holiday_date(h, y));
                    let mut best: Option<(i64, NaiveDate)> = None;
                    for c in cands.into_iter().flatten() {
                        let diff = (c - a).num_days();
                        // Same weighting as month-days; strict directions exclude the anchor.
                        let cost = match dir {
                            Dir::PastStrict if diff >= 0 => continue,
                            Dir::FutureStrict if diff <= 0 => continue,
                            Dir::Past | Dir::PastStrict => {
                                if diff > 0 {
                                    diff * 2
                                } else {
                                    -diff
                                }
                            }
                            Dir::Future | Dir::FutureStrict => {
                                if diff < 0 {
                                    -diff * 2
                                } else {
                                    diff
                                }
                            }
                        };
                        if best.is_none_or(|(b, _)| cost < b) {
                            best = Some((cost, c));
                        }
                    }
                    best?.1
                }
                _ => holiday_date(h, year_of(y, anchor)?)?,
            };
            Some((fmt_day(d), Some(Point::Day(d))))
        }
        Sem::Time(ref date, tod) => {
            let (day, _) = value_of(date, anchor, reference)?;
            let t = match tod {
                Tod::Clock(h, m) => format!("{h:02}:{m:02}"),
                Tod::Part(p) => p.code().to_string(),
            };
            Some((format!("{day}T{t}"), None))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn weekdays() {
        let a = d(2026, 1, 28); // a Wednesday
        assert_eq!(resolve_weekday(a, 3, Dir::Past), a);
        assert_eq!(resolve_weekday(a, 6, Dir::Past), d(2026, 1, 24));
        assert_eq!(resolve_weekday(a, 7, Dir::Future), d(2026, 2, 1));
        assert_eq!(resolve_weekday(a, 3, Dir::PastStrict), d(2026, 1, 21));
        assert_eq!(resolve_weekday(a, 3, Dir::FutureStrict), d(2026, 2, 4));
    }

    #[test]
    fn month_day_year_choice() {
        let a = d(2026, 1, 28);
        assert_eq!(near_year_md(a, 11, 8, Dir::Past), Some(2025));
        assert_eq!(near_year_md(a, 2, 3, Dir::Past), Some(2026));
        assert_eq!(near_year_m(a, 12, Dir::Past), 2025);
        assert_eq!(near_year_m(a, 3, Dir::Future), 2026);
    }

    #[test]
    fn holidays_and_seasons() {
        assert_eq!(holiday_date(Holiday::Easter, 2024), Some(d(2024, 3, 31)));
        assert_eq!(
            holiday_date(Holiday::Thanksgiving, 1999),
            Some(d(1999, 11, 25))
        );
        assert_eq!(holiday_date(Holiday::Election, 1998), Some(d(1998, 11, 3)));
        let r = resolve(&Sem::SeasonRel(2, -1), Some(d(1998, 10, 1)), None);
        assert_eq!(r.value.as_deref(), Some("1997-FA"));
        let r = resolve(&Sem::SeasonRel(0, -1), Some(d(1989, 7, 1)), None);
        assert_eq!(r.value.as_deref(), Some("1989-SP"));
    }
}
