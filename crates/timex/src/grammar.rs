//! The rules: hand-written matchers over the token stream. Each rule starts at a token whose
//! lexicon code can begin an expression, reads as far as the expression goes and says what it
//! means ([`Sem`]); the scanner keeps the longest match at each position and moves past it.
//!
//! Rules follow the TimeML / TIMEX3 guidelines and HeidelTime's English resources: modifiers
//! such as "about", "early", "the end of" are part of the span; a determiner is part of the span
//! when it belongs to the temporal noun ("the third quarter", "the past two years") but not
//! when the expression modifies another noun ("the third-quarter results"); prepositions
//! ("on", "in", "since") never are.

use crate::TimexType;
use crate::lexicon::{DateWord, Fw, Holiday, Lex, PartDay, Unit};
use crate::resolve::{Dir, Sem, Tod, Y};
use crate::token::{Kind, Tok};

/// A recognised expression: token range `[s, e)`.
#[derive(Clone, Debug)]
pub(crate) struct Cand {
    pub s: usize,
    pub e: usize,
    pub kind: TimexType,
    pub sem: Sem,
    pub md: Option<&'static str>,
    /// A preceding "the" belongs to the expression.
    pub det: bool,
}

fn cand(s: usize, e: usize, kind: TimexType, sem: Sem) -> Cand {
    Cand {
        s,
        e,
        kind,
        sem,
        md: None,
        det: false,
    }
}

fn date(s: usize, e: usize, sem: Sem) -> Cand {
    cand(s, e, TimexType::Date, sem)
}

fn lit(s: &str) -> Sem {
    Sem::Lit(s.to_string())
}

/// A quantity in front of a unit.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Qty {
    /// An exact number, in halves (so "2 1/2" is 5).
    Halves(u32),
    /// "several", "a few", "some": unknown (X).
    Vague,
}

pub(crate) struct P<'a> {
    pub t: &'a [Tok],
    pub text: &'a str,
}

impl<'a> P<'a> {
    fn lx(&self, i: usize) -> Lex {
        self.t.get(i).map_or(Lex::None, |t| t.lex)
    }
    fn fw(&self, i: usize, f: Fw) -> bool {
        self.lx(i) == Lex::W(f)
    }
    fn punct(&self, i: usize, c: u8) -> bool {
        self.t
            .get(i)
            .is_some_and(|t| t.kind == Kind::Punct && t.ch == c)
    }
    fn word(&self, i: usize) -> &'a str {
        self.t
            .get(i)
            .map_or("", |t| &self.text[t.s as usize..t.e as usize])
    }
    fn word_is(&self, i: usize, w: &str) -> bool {
        self.t.get(i).is_some_and(|t| t.kind != Kind::Punct) && self.word(i).eq_ignore_ascii_case(w)
    }
    fn adj(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| t.adj)
    }
    fn hy(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| t.hy)
    }
    fn cap(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| t.cap)
    }
    fn is_num(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| t.kind == Kind::Num)
    }
    /// Skips an optional comma.
    fn comma(&self, i: usize) -> usize {
        if self.punct(i, b',') { i + 1 } else { i }
    }
    /// The token is "'s" (possessive), as two tokens: apostrophe and "s".
    fn poss(&self, i: usize) -> bool {
        self.punct(i, b'\'') && self.adj(i) && self.word_is(i + 1, "s") && self.adj(i + 1)
    }

    /// A plain digit run not glued to other digits by ',' '.' ':' '/'.
    fn plain_num(&self, i: usize) -> Option<u32> {
        let t = self.t.get(i)?;
        if t.kind != Kind::Num {
            return None;
        }
        for (k, c) in [(i + 1, b','), (i + 1, b'.'), (i + 1, b':'), (i + 1, b'/')] {
            if self.punct(k, c) && self.adj(k) && self.is_num(k + 1) && self.adj(k + 1) {
                return None;
            }
        }
        if i >= 2 {
            for c in [b',', b'.', b':', b'/'] {
                if self.punct(i - 1, c) && t.adj && self.adj(i - 1) && self.is_num(i - 2) {
                    return None;
                }
            }
        }
        Some(t.num)
    }

    /// A four-digit year.
    fn year4(&self, i: usize) -> Option<i32> {
        let t = self.t.get(i)?;
        if t.kind != Kind::Num || t.ndig != 4 || !(1000..=2199).contains(&t.num) {
            return None;
        }
        self.plain_num(i)?;
        // "1990s", "1990th", "2000m": not a plain year.
        if self
            .t
            .get(i + 1)
            .is_some_and(|n| n.adj && n.kind == Kind::Word)
        {
            return None;
        }
        Some(t.num as i32)
    }

    /// Token `i` makes the preceding "N years" an age: "old", "older", "-old".
    fn is_age(&self, i: usize) -> bool {
        self.fw(i, Fw::Old) || self.fw(i, Fw::Older) || self.fw(i, Fw::Younger)
    }

    /// A year in digits or in words ("nineteen ninety-six", "two thousand"): (year, next).
    fn year_at(&self, i: usize) -> Option<(i32, usize)> {
        if let Some(y) = self.year4(i) {
            return Some((y, i + 1));
        }
        match self.lx(i) {
            Lex::Num(c @ 11..=19) => {
                let (v, e) = self.number(i + 1)?;
                if !(10..=99).contains(&v) {
                    return None;
                }
                Some((c as i32 * 100 + v as i32, e))
            }
            Lex::Num(2) if self.lx(i + 1) == Lex::Num(1000) => {
                let mut e = i + 2;
                if self.fw(e, Fw::And) {
                    e += 1;
                }
                match self.number(e) {
                    Some((v, e2)) if v < 100 && !self.is_num(e) => Some((2000 + v as i32, e2)),
                    _ => Some((2000, i + 2)),
                }
            }
            _ => None,
        }
    }

    /// A capitalised word inside a sentence: part of a name or title ("This Week", "High
    /// Noon", "60 Minutes"), not a temporal expression.
    fn cap_mid(&self, i: usize) -> bool {
        self.cap(i)
            && i > 0
            && !self.boundary_before(i)
            && !matches!(self.t[i - 1].ch, b'"' | b'\'' | b'(' | b'-' | b':')
    }

    /// A day of the month: "8", "08", "8th", "eighth".
    fn day_num(&self, i: usize) -> Option<(u8, usize)> {
        let t = self.t.get(i)?;
        match t.kind {
            Kind::Num if t.ndig <= 2 && (1..=31).contains(&t.num) => {
                self.plain_num(i)?;
                let mut e = i + 1;
                if self.adj(e) && ["st", "nd", "rd", "th"].iter().any(|s| self.word_is(e, s)) {
                    e += 1;
                } else if self.t.get(e).is_some_and(|n| n.adj && n.kind == Kind::Word) {
                    return None;
                }
                Some((t.num as u8, e))
            }
            _ => self
                .ordinal(i)
                .filter(|(n, _)| (1..=31).contains(n))
                .map(|(n, e)| (n as u8, e)),
        }
    }

    /// An ordinal: "third", "twenty-first", "3rd", "19th".
    fn ordinal(&self, i: usize) -> Option<(u32, usize)> {
        match self.lx(i) {
            Lex::Ord(n) => Some((n, i + 1)),
            Lex::Num(tens) if (20..=90).contains(&tens) && tens % 10 == 0 => match self.lx(i + 1) {
                Lex::Ord(u) if u < 10 && (self.hy(i + 1) || !self.adj(i + 1)) => {
                    Some((tens + u, i + 2))
                }
                _ => None,
            },
            _ => {
                let t = self.t.get(i)?;
                if t.kind == Kind::Num
                    && t.ndig <= 3
                    && self.adj(i + 1)
                    && ["st", "nd", "rd", "th"]
                        .iter()
                        .any(|s| self.word_is(i + 1, s))
                {
                    Some((t.num, i + 2))
                } else {
                    None
                }
            }
        }
    }

    /// A cardinal number, in digits or words: "11", "1,000", "twenty-four", "two hundred".
    fn number(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.t.get(i)?;
        if t.kind == Kind::Num {
            // Thousands groups: 1,000.
            let mut v = t.num;
            let mut e = i + 1;
            while self.punct(e, b',')
                && self.adj(e)
                && self
                    .t
                    .get(e + 1)
                    .is_some_and(|n| n.kind == Kind::Num && n.ndig == 3 && n.adj)
            {
                v = v.saturating_mul(1000).saturating_add(self.t[e + 1].num);
                e += 2;
            }
            // Decimals are not handled: "2.5 years" is left alone rather than misread.
            if self.punct(e, b'.') && self.adj(e) && self.is_num(e + 1) && self.adj(e + 1) {
                return None;
            }
            if i >= 1
                && self.punct(i - 1, b'.')
                && t.adj
                && self.adj(i - 1)
                && self.is_num(i.saturating_sub(2))
            {
                return None;
            }
            return Some((v, e));
        }
        let Lex::Num(mut v) = self.lx(i) else {
            return None;
        };
        let mut e = i + 1;
        if (20..=90).contains(&v)
            && v % 10 == 0
            && let Lex::Num(u) = self.lx(e)
            && u < 10
        {
            v += u;
            e += 1;
        }
        if v < 100 {
            match self.lx(e) {
                Lex::Num(100) => {
                    v *= 100;
                    e += 1;
                }
                Lex::Num(1000) => {
                    v *= 1000;
                    e += 1;
                }
                _ => {}
            }
        }
        Some((v, e))
    }

    /// A quantity before a unit: a number (with halves), "a"/"an", or a vague quantity.
    fn qty(&self, i: usize) -> Option<(Qty, usize, bool)> {
        // Returns (quantity, next token, is the article "a"/"an").
        match self.lx(i) {
            Lex::W(Fw::A) | Lex::W(Fw::An) => {
                if self.word_is(i + 1, "couple") && self.fw(i + 2, Fw::Of) {
                    return Some((Qty::Halves(4), i + 3, false));
                }
                if self.fw(i + 1, Fw::Few) {
                    return Some((Qty::Vague, i + 2, false));
                }
                if self.lx(i + 1) == Lex::Num(100) || self.lx(i + 1) == Lex::Num(1000) {
                    let Lex::Num(v) = self.lx(i + 1) else {
                        unreachable!()
                    };
                    return Some((Qty::Halves(v * 2), i + 2, false));
                }
                if self.lx(i + 1) == Lex::Num(12) {
                    return Some((Qty::Halves(24), i + 2, false));
                }
                Some((Qty::Halves(2), i + 1, true))
            }
            Lex::W(Fw::Several) | Lex::W(Fw::Few) | Lex::W(Fw::Many) => {
                Some((Qty::Vague, i + 1, false))
            }
            Lex::W(Fw::Couple) if self.fw(i + 1, Fw::Of) => Some((Qty::Halves(4), i + 2, false)),
            _ => {
                let (v, mut e) = self.number(i)?;
                let mut h = v.saturating_mul(2);
                // "2 1/2", "five and a half"
                let fraction = self.is_num(e)
                    && self.t[e].num == 1
                    && self.punct(e + 1, b'/')
                    && self
                        .t
                        .get(e + 2)
                        .is_some_and(|n| n.kind == Kind::Num && n.num == 2);
                let and_a_half =
                    self.fw(e, Fw::And) && self.fw(e + 1, Fw::A) && self.fw(e + 2, Fw::Half);
                if fraction || and_a_half {
                    h += 1;
                    e += 3;
                }
                Some((Qty::Halves(h), e, false))
            }
        }
    }

    /// A unit word at `i`: (unit, plural).
    fn unit(&self, i: usize) -> Option<(Unit, bool)> {
        match self.lx(i) {
            Lex::Unit(u) => Some((u, false)),
            Lex::UnitPl(u) => Some((u, true)),
            Lex::Ord(2)
                if self.word_is(i, "second")
                    && !self
                        .t
                        .get(i + 1)
                        .is_some_and(|n| n.kind == Kind::Word && n.lex == Lex::None) =>
            {
                Some((Unit::Second, false))
            }
            _ => None,
        }
    }

    /// A sentence boundary between token `i - 1` and `i`.
    fn boundary_before(&self, i: usize) -> bool {
        let t = &self.t[i];
        if t.nl {
            return true;
        }
        i > 0 && {
            let p = &self.t[i - 1];
            p.kind == Kind::Punct && matches!(p.ch, b'.' | b'!' | b'?' | b';')
        }
    }

    /// Tense cue for an underspecified date at token `i`: future if a future marker ("will",
    /// "'ll", "scheduled", ...) precedes it in its clause before any past-tense verb.
    fn tense(&self, i: usize) -> Dir {
        // "Wednesday's ruling": an event named by its day is usually over.
        if self.poss(i + 1) {
            return Dir::Past;
        }
        // "until Tuesday", "as soon as Tuesday", "as early as Tuesday"
        if i > 0 && matches!(self.lx(i - 1), Lex::W(Fw::Until)) {
            return Dir::Future;
        }
        if i > 2 && self.fw(i - 1, Fw::As) && self.fw(i - 3, Fw::As) {
            return Dir::Future;
        }
        let mut k = i;
        let lo = i.saturating_sub(10);
        while k > lo {
            if self.boundary_before(k) {
                break;
            }
            k -= 1;
            let t = &self.t[k];
            if t.kind != Kind::Word {
                continue;
            }
            let future = match t.lex {
                Lex::W(Fw::Will | Fw::Would | Fw::Shall) => true,
                // "scheduled to", "expected to", "due to", "set to", "plans to", "planned to",
                // "is to": future unless a past auxiliary precedes ("had been scheduled to").
                Lex::W(
                    Fw::Scheduled | Fw::Expected | Fw::Due | Fw::Set | Fw::Plans | Fw::Planned,
                ) => self.fw(k + 1, Fw::To) || self.fw(k, Fw::Scheduled),
                Lex::W(Fw::To) => {
                    k > 0 && (self.word_is(k - 1, "is") || self.word_is(k - 1, "are"))
                }
                _ => false,
            };
            if future {
                let past_aux = (1..=2).any(|b| {
                    k >= b
                        && ["had", "was", "were", "been"]
                            .iter()
                            .any(|w| self.word_is(k - b, w))
                });
                return if past_aux { Dir::Past } else { Dir::Future };
            }
            let w = self.word(k);
            if w.eq_ignore_ascii_case("ll") && k > 0 && self.punct(k - 1, b'\'') {
                return Dir::Future;
            }
            if is_past_verb(w) {
                return Dir::Past;
            }
        }
        // "Sunday will see ...".
        for k in i + 1..(i + 3).min(self.t.len()) {
            if self.boundary_before(k) {
                break;
            }
            if self.fw(k, Fw::Will) {
                return Dir::Future;
            }
        }
        Dir::Past
    }

    // ------------------------------------------------------------------------------------
    // The scanner.

    /// Could an expression start at token `i`?
    pub(crate) fn trigger(&self, i: usize) -> bool {
        let t = &self.t[i];
        t.kind == Kind::Num || t.lex != Lex::None || (t.kind == Kind::Punct && t.ch == b'\'')
    }

    /// The longest expression starting at token `i`.
    pub(crate) fn best(&self, i: usize) -> Option<Cand> {
        self.expr(i, 0)
    }

    fn expr(&self, i: usize, depth: u8) -> Option<Cand> {
        if i >= self.t.len() || depth > 4 {
            return None;
        }
        let mut best: Option<Cand> = None;
        let mut keep = |c: Option<Cand>| {
            if let Some(c) = c
                && best.as_ref().is_none_or(|b| c.e > b.e)
            {
                best = Some(c);
            }
        };
        keep(self.core(i));
        keep(self.approx(i, depth));
        keep(self.part(i, depth));
        if self.fw(i, Fw::The) {
            keep(self.the(i, depth));
        }
        best
    }

    fn core(&self, i: usize) -> Option<Cand> {
        let mut best: Option<Cand> = None;
        let mut keep = |c: Option<Cand>| {
            if let Some(c) = c
                && best.as_ref().is_none_or(|b| c.e > b.e)
            {
                best = Some(c);
            }
        };
        match self.lx(i) {
            Lex::Month(..) => keep(self.month(i)),
            Lex::Weekday(..) => keep(self.weekday(i)),
            Lex::WeekdayPl(d) => keep(self.weekday_plural(i, d)),
            Lex::Season(_) | Lex::SeasonPl(_) => keep(self.season(i)),
            Lex::Date(_) => keep(self.dateword(i)),
            Lex::PartDay(_) | Lex::PartDayPl(_) => keep(self.part_of_day(i)),
            Lex::SetWord(_) => keep(self.setword(i)),
            Lex::Holiday(_) => keep(self.holiday(i)),
            Lex::DecadeWord(_) => keep(self.decade(i)),
            Lex::Unit(_) | Lex::UnitPl(_) => {
                keep(self.bare_unit(i));
                keep(self.year_end(i));
                keep(self.year_ago_adj(i));
            }
            Lex::W(f) => match f {
                Fw::This
                | Fw::Next
                | Fw::Last
                | Fw::Past
                | Fw::Previous
                | Fw::Coming
                | Fw::Following
                | Fw::Prior
                | Fw::Latest
                | Fw::Upcoming
                | Fw::Same
                | Fw::That
                | Fw::Final => {
                    keep(self.relative(i));
                    keep(self.span_duration(i));
                }
                Fw::Fiscal => keep(self.fiscal(i)),
                // "as soon as possible"
                Fw::As
                    if self.lx(i + 1) == Lex::Date(DateWord::Soon)
                        && self.fw(i + 2, Fw::As)
                        && self.word_is(i + 3, "possible") =>
                {
                    keep(Some(date(i, i + 4, lit("FUTURE_REF"))));
                }
                Fw::Every | Fw::Each | Fw::Per | Fw::Once | Fw::Twice => keep(self.set_every(i)),
                _ => {}
            },
            _ => {}
        }
        if matches!(self.lx(i), Lex::Num(_)) {
            keep(self.spoken_year(i));
        }
        if self.t[i].kind == Kind::Num {
            keep(self.second_day(i));
            keep(self.year(i));

            keep(self.numeric_date(i));
            keep(self.day_first(i));
            keep(self.clock(i));
            keep(self.decade(i));
        }
        if self.lx(i) == Lex::Ord(1) {
            // "the first nine months"
            keep(self.span_duration(i));
        }
        if matches!(self.lx(i), Lex::Ord(_) | Lex::Num(_)) || self.t[i].kind == Kind::Num {
            keep(self.quarter(i));
            keep(self.century(i));
            keep(self.day_first(i));
        }
        if self.punct(i, b'\'') {
            keep(self.decade(i));
        }
        // Quantities: durations, "ago" expressions, sets.
        if self.t[i].kind == Kind::Num
            || matches!(
                self.lx(i),
                Lex::Num(_)
                    | Lex::W(Fw::A | Fw::An | Fw::Several | Fw::Few | Fw::Many | Fw::Couple)
            )
        {
            keep(self.quantity(i));
        }
        best
    }

    // ------------------------------------------------------------------------------------
    // Prefixes: "the", approximators, part-of-period words.

    fn the(&self, i: usize, depth: u8) -> Option<Cand> {
        // Fixed phrases first.
        let j = i + 1;
        let fixed = |e: usize, v: &str| Some(date(i, e, lit(v)));
        match self.lx(j) {
            Lex::W(Fw::Past)
                if self.unit(j + 1).is_none()
                    && self.number(j + 1).is_none()
                    && !self.fw(j + 1, Fw::Few)
                    && !self.fw(j + 1, Fw::Several) =>
            {
                return fixed(j + 1, "PAST_REF");
            }
            Lex::Date(DateWord::Future) => return fixed(j + 1, "FUTURE_REF"),
            Lex::Date(DateWord::Present) => return fixed(j + 1, "PRESENT_REF"),
            Lex::W(Fw::Near) if self.lx(j + 1) == Lex::Date(DateWord::Future) => {
                return fixed(j + 2, "FUTURE_REF");
            }
            Lex::W(Fw::Near | Fw::Short) if self.fw(j + 1, Fw::Term) => {
                return fixed(j + 2, "FUTURE_REF");
            }
            Lex::W(Fw::Moment) if i > 0 && self.fw(i - 1, Fw::At) => {
                return fixed(j + 1, "PRESENT_REF");
            }
            Lex::Unit(Unit::Day)
                if self.fw(j + 1, Fw::Before)
                    && self.lx(j + 2) == Lex::Date(DateWord::Yesterday) =>
            {
                return Some(date(i, j + 3, Sem::DayOff(-2)));
            }
            Lex::Unit(Unit::Day)
                if self.fw(j + 1, Fw::After) && self.lx(j + 2) == Lex::Date(DateWord::Tomorrow) =>
            {
                return Some(date(i, j + 3, Sem::DayOff(2)));
            }
            Lex::Unit(Unit::Weekend) => {
                return Some(date(i, j + 1, Sem::Weekend(None)));
            }
            Lex::W(Fw::Full | Fw::Entire | Fw::Whole)
                if self.lx(j + 1) == Lex::Unit(Unit::Year) && !self.hy(j + 2) =>
            {
                let mut c = date(i, j + 2, Sem::Shift(Unit::Year, 0));
                c.det = true;
                return Some(c);
            }
            Lex::Unit(u @ (Unit::Year | Unit::Month | Unit::Week | Unit::Quarter))
                if !self.hy(j + 1) && !self.cap_mid(j) =>
            {
                // "the year", "the quarter": the period under discussion.
                let sem = match u {
                    Unit::Quarter => Sem::RefQuarter,
                    _ => Sem::Shift(u, 0),
                };
                // "the year ended Sept. 30": a fiscal year, annotated as a duration in
                // TimeBank (while "the quarter ended ..." is the quarter, a date).
                if u == Unit::Year
                    && (self.word_is(j + 1, "ended") || self.word_is(j + 1, "ending"))
                {
                    let mut c = cand(i, j + 1, TimexType::Duration, lit("P1Y"));
                    c.det = true;
                    return Some(c);
                }
                let c = date(i, j + 1, sem);
                // Longer readings ("the year-earlier period") win below.
                let inner = self.expr(j, depth + 1);
                return match inner {
                    Some(mut x) if x.det && x.e > j + 1 => {
                        x.s = i;
                        Some(x)
                    }
                    _ => Some(c),
                };
            }
            _ => {}
        }
        let mut c = self.expr(j, depth + 1)?;
        if !c.det || c.s != j {
            return None;
        }
        c.s = i;
        Some(c)
    }

    /// "about", "nearly", "more than", "at least", ... before a quantity or a date.
    fn approx(&self, i: usize, depth: u8) -> Option<Cand> {
        // (length, mod for durations, mod for dates or None if the word can't modify dates)
        let (len, dur_mod, date_mod): (usize, &str, Option<&str>) = match self.lx(i) {
            Lex::W(Fw::About | Fw::Around | Fw::Approximately | Fw::Roughly | Fw::Circa) => {
                (1, "APPROX", Some("APPROX"))
            }
            Lex::W(Fw::Some) => (1, "APPROX", None),
            Lex::W(Fw::Nearly | Fw::Almost) => (1, "LESS_THAN", Some("APPROX")),
            Lex::W(Fw::Over) => (1, "MORE_THAN", None),
            Lex::W(Fw::Under) => (1, "LESS_THAN", None),
            Lex::W(Fw::More) if self.fw(i + 1, Fw::Than) => (2, "MORE_THAN", None),
            Lex::W(Fw::Less | Fw::Fewer) if self.fw(i + 1, Fw::Than) => (2, "LESS_THAN", None),
            Lex::W(Fw::At) if self.fw(i + 1, Fw::Least) => (2, "EQUAL_OR_MORE", None),
            Lex::W(Fw::Up) if self.fw(i + 1, Fw::To) => (2, "EQUAL_OR_LESS", None),
            Lex::W(Fw::No) if self.fw(i + 1, Fw::More) && self.fw(i + 2, Fw::Than) => {
                (3, "EQUAL_OR_LESS", None)
            }
            Lex::W(Fw::No) if self.fw(i + 1, Fw::Less) && self.fw(i + 2, Fw::Than) => {
                (3, "EQUAL_OR_MORE", None)
            }
            _ => return None,
        };
        let j = i + len;
        // Only quantities follow "some", "over", "under", ...
        let mut quantity_next = self.t.get(j).is_some_and(|t| t.kind == Kind::Num)
            || matches!(self.lx(j), Lex::Num(_) | Lex::W(Fw::A | Fw::An | Fw::The));
        // "over the past year" is a preposition, not "more than".
        if self.fw(j, Fw::The) && matches!(self.lx(i), Lex::W(Fw::Over | Fw::Under | Fw::Some)) {
            quantity_next = false;
        }
        let mut c = self.expr(j, depth + 1)?;
        if c.s != j {
            return None;
        }
        match c.kind {
            TimexType::Duration if quantity_next => {
                c.md = Some(dur_mod);
            }
            TimexType::Date | TimexType::Time => {
                let m = date_mod?;
                if !quantity_next && c.kind == TimexType::Date && !matches!(c.sem, Sem::Ymd(..)) {
                    return None;
                }
                c.md = Some(m);
            }
            _ => return None,
        }
        c.s = i;
        c.det = false;
        Some(c)
    }

    /// "early", "late", "mid-", "the end of", "the beginning of", "the middle of" before a date.
    fn part(&self, i: usize, depth: u8) -> Option<Cand> {
        let (len, m, loose) = match self.lx(i) {
            Lex::W(Fw::Early) => (1, "START", false),
            Lex::W(Fw::Late) => (1, "END", false),
            Lex::W(Fw::Earlier) => (1, "START", true),
            Lex::W(Fw::Later) => (1, "END", true),
            Lex::W(Fw::Mid) => (1, "MID", false),
            Lex::W(Fw::Middle) if self.fw(i + 1, Fw::Of) => (2, "MID", false),
            Lex::W(Fw::End) if self.fw(i + 1, Fw::Of) => (2, "END", false),
            Lex::W(Fw::Beginning | Fw::Start) if self.fw(i + 1, Fw::Of) => (2, "START", false),
            Lex::W(Fw::The) => match self.lx(i + 1) {
                Lex::W(Fw::Middle) if self.fw(i + 2, Fw::Of) => (3, "MID", false),
                Lex::W(Fw::End) if self.fw(i + 2, Fw::Of) => (3, "END", false),
                Lex::W(Fw::Beginning | Fw::Start) if self.fw(i + 2, Fw::Of) => (3, "START", false),
                Lex::W(Fw::Early) => (2, "START", false),
                Lex::W(Fw::Late) => (2, "END", false),
                Lex::W(Fw::Mid) => (2, "MID", false),
                _ => return None,
            },
            _ => return None,
        };
        let j = i + len;
        let mut c = self.expr(j, depth + 1)?;
        if c.s != j || c.kind == TimexType::Duration || c.kind == TimexType::Set || c.md.is_some() {
            return None;
        }
        // "earlier"/"later" only modify deictic dates ("later this year", "earlier Sunday"),
        // not "later 1990" readings of comparatives.
        let ok = match &c.sem {
            Sem::Year(_)
            | Sem::Ym(..)
            | Sem::Season(..)
            | Sem::SeasonRel(..)
            | Sem::Quarter(..) => !loose,
            Sem::Half(..) | Sem::MonthRel(..) => !loose,
            Sem::Lit(v) => !loose && v.bytes().all(|b| b.is_ascii_digit()),
            Sem::Shift(..) | Sem::RefShift(..) | Sem::DayOff(_) | Sem::Weekday(..) => true,
            Sem::Time(_, Tod::Part(_)) => true,
            Sem::Weekend(_) => true,
            _ => false,
        };
        if !ok {
            return None;
        }
        c.md = Some(m);
        c.s = i;
        c.det = len == 1 && !loose;
        Some(c)
    }

    // ------------------------------------------------------------------------------------
    // Calendar dates.

    fn month(&self, i: usize) -> Option<Cand> {
        let Lex::Month(m, abbr) = self.lx(i) else {
            return None;
        };
        // Month names are capitalised in edited text; "may", "march" in lower case are words.
        if !self.cap(i) {
            return None;
        }
        let j = i + 1;
        // Month Day [,] [Year]
        if let Some((d, e)) = self.day_num(j)
            && !(self.punct(e, b':') && self.adj(e) && self.is_num(e + 1) && self.adj(e + 1))
            && (!self.adj(j) || self.hy(j))
        {
            let k = self.comma(e);
            if let Some(y) = self.year4(k) {
                return Some(date(i, k + 1, Sem::Ymd(Y::Abs(y), m, d)));
            }
            // "Nov. 19-20", "Nov. 19 and 20": the first day (`second_day` finds the other).
            return Some(date(i, e, Sem::Ymd(Y::Near(self.tense(i)), m, d)));
        }
        // Month [of|,] Year
        let k = if self.fw(j, Fw::Of) {
            j + 1
        } else {
            self.comma(j)
        };
        if let Some((y, e)) = self.year_at(k) {
            return Some(date(i, e, Sem::Ym(Y::Abs(y), m)));
        }
        // Month last/this/next year
        if let Lex::W(f @ (Fw::Last | Fw::This | Fw::Next)) = self.lx(j)
            && self.lx(j + 1) == Lex::Unit(Unit::Year)
        {
            let n = match f {
                Fw::Last => -1,
                Fw::Next => 1,
                _ => 0,
            };
            return Some(date(i, j + 2, Sem::Ym(Y::Rel(n), m)));
        }
        if abbr && !self.text[..self.t[i].e as usize].ends_with('.') {
            return None;
        }
        // "May" alone is far more often the verb: only with a preposition before it.
        if m == 5 || m == 3 {
            let prev_ok = i > 0
                && matches!(
                    self.lx(i - 1),
                    Lex::W(
                        Fw::In
                            | Fw::Since
                            | Fw::Until
                            | Fw::By
                            | Fw::Early
                            | Fw::Late
                            | Fw::Mid
                            | Fw::Last
                            | Fw::Next
                            | Fw::This
                            | Fw::Of
                            | Fw::Before
                            | Fw::After
                            | Fw::Past
                    )
                );
            if !prev_ok {
                return None;
            }
        }
        // A month name inside a capitalised name ("April Fool", "June Carter") is rare in
        // news; a following capitalised word that is not a date word is a hint of a name.
        if let Some(n) = self.t.get(j)
            && n.kind == Kind::Word
            && n.cap
            && n.lex == Lex::None
            && !self.boundary_before(j)
        {
            return None;
        }
        Some(date(i, j, Sem::Ym(Y::Near(self.tense(i)), m)))
    }

    /// "8 November 2025", "the 19th of November".
    fn day_first(&self, i: usize) -> Option<Cand> {
        let (d, mut j) = self.day_num(i)?;
        if self.fw(j, Fw::Of) {
            j += 1;
        }
        let Lex::Month(m, _) = self.lx(j) else {
            return None;
        };
        if !self.cap(j) {
            return None;
        }
        let k = self.comma(j + 1);
        if let Some(y) = self.year4(k) {
            return Some(date(i, k + 1, Sem::Ymd(Y::Abs(y), m, d)));
        }
        let mut c = date(i, j + 1, Sem::Ymd(Y::Near(self.tense(i)), m, d));
        c.det = !self.is_num(i);
        Some(c)
    }

    fn weekday(&self, i: usize) -> Option<Cand> {
        let Lex::Weekday(wd, abbr) = self.lx(i) else {
            return None;
        };
        if abbr && !(self.cap(i) && self.text[..self.t[i].e as usize].ends_with('.')) {
            return None;
        }
        let j = self.comma(i + 1);
        // Weekday, Month Day[, Year] / Weekday, Day Month[ Year]: the explicit date decides.
        if matches!(self.lx(j), Lex::Month(..))
            && let Some(c) = self.month(j)
            && matches!(c.sem, Sem::Ymd(..))
        {
            return Some(date(i, c.e, c.sem));
        }
        if self.is_num(j)
            && let Some(c) = self.day_first(j)
        {
            return Some(date(i, c.e, c.sem));
        }
        let dir = self.tense(i);
        let day = Sem::Weekday(wd, dir);
        match self.lx(i + 1) {
            Lex::PartDay(p) if !self.adj(i + 1) || self.hy(i + 1) => {
                return Some(cand(
                    i,
                    i + 2,
                    TimexType::Time,
                    Sem::Time(Box::new(day), Tod::Part(p)),
                ));
            }
            Lex::PartDayPl(p) => {
                return Some(cand(
                    i,
                    i + 2,
                    TimexType::Set,
                    Sem::Lit(format!("XXXX-WXX-{wd}T{}", p.code())),
                ));
            }
            _ => {}
        }
        // "Friday's": the possessive is part of the expression.
        Some(date(i, i + 1, day))
    }

    fn weekday_plural(&self, i: usize, wd: u8) -> Option<Cand> {
        if let Lex::PartDayPl(p) | Lex::PartDay(p) = self.lx(i + 1) {
            return Some(cand(
                i,
                i + 2,
                TimexType::Set,
                Sem::Lit(format!("XXXX-WXX-{wd}T{}", p.code())),
            ));
        }
        Some(cand(
            i,
            i + 1,
            TimexType::Set,
            Sem::Lit(format!("XXXX-WXX-{wd}")),
        ))
    }

    fn year(&self, i: usize) -> Option<Cand> {
        let t = &self.t[i];
        // "1990s", "1990's"
        if t.ndig == 4 && t.num.is_multiple_of(10) && (1000..=2190).contains(&t.num) {
            let s_next = self.word_is(i + 1, "s") && self.adj(i + 1);
            let s_poss = self.poss(i + 1);
            if s_next || s_poss {
                let mut c = date(
                    i,
                    if s_next { i + 2 } else { i + 3 },
                    Sem::Lit(format!("{:03}", t.num / 10)),
                );
                c.det = true;
                return Some(c);
            }
        }
        let y = self.year4(i)?;
        if !self.year_context_ok(i) {
            return None;
        }
        // "1988 third quarter", "1990 first half"
        if let Some(c) = self.quarter_after(i + 1, Y::Abs(y)) {
            let mut c = date(i, c.e, c.sem);
            c.det = true;
            return Some(c);
        }
        // "the 1988 period", "the 1988 quarter": the noun belongs to the expression.
        if self.fw(i + 1, Fw::Period) || self.lx(i + 1) == Lex::Unit(Unit::Quarter) {
            let mut c = date(i, i + 2, Sem::Year(Y::Abs(y)));
            c.det = true;
            return Some(c);
        }
        // A year range "1990-91": the first year only.
        Some(date(i, i + 1, Sem::Year(Y::Abs(y))))
    }

    /// Rejects four-digit numbers that are amounts or identifiers, not years.
    fn year_context_ok(&self, i: usize) -> bool {
        if i > 0 {
            let p = &self.t[i - 1];
            if p.kind == Kind::Punct && matches!(p.ch, b'$' | b'#') && self.t[i].adj {
                return false;
            }
            if p.kind == Kind::Word && self.t[i].adj && !self.t[i].hy {
                return false;
            }
            // Inside an identifier: "c8-1938".
            if self.t[i].hy && p.kind == Kind::Num {
                return false;
            }
            // "Orion 1980", "Expo 2000": a name with a number.
            if p.kind == Kind::Word && p.cap && p.lex == Lex::None && !self.boundary_before(i - 1) {
                return false;
            }
            let w = self.word(i - 1);
            if [
                "No",
                "no",
                "Nos",
                "number",
                "Number",
                "Flight",
                "flight",
                "Route",
                "route",
                "Room",
                "Highway",
                "Interstate",
                "Chapter",
                "Section",
                "Article",
                "page",
                "Page",
                "Resolution",
                "Act",
                "Boeing",
                "Airbus",
                "Windows",
                "Apollo",
                "Model",
                "model",
                "Pentium",
                "at",
                "At",
                "about",
                "About",
                "some",
                "Some",
                "nearly",
                "almost",
                "than",
                "over",
                "Over",
                "under",
                "to",
                "of",
                "by",
                "By",
            ]
            .contains(&w)
                && (w != "to" && w != "of" && w != "by" && w != "By" && w != "at" && w != "At"
                    || self.amount_after(i))
            {
                return false;
            }
        }
        !self.amount_after(i)
    }

    /// The number at `i` is followed by a unit of measure or a plural count noun.
    fn amount_after(&self, i: usize) -> bool {
        let j = i + 1;
        if self.punct(j, b'%') {
            return true;
        }
        let Some(n) = self.t.get(j) else {
            return false;
        };
        if n.kind != Kind::Word || n.cap {
            return false;
        }
        if n.lex != Lex::None && !matches!(n.lex, Lex::UnitPl(_)) {
            return false;
        }
        if matches!(n.lex, Lex::UnitPl(_)) {
            return true;
        }
        let w = self.word(j);
        const MEASURE: [&str; 40] = [
            "percent",
            "people",
            "persons",
            "men",
            "women",
            "children",
            "troops",
            "soldiers",
            "workers",
            "employees",
            "jobs",
            "shares",
            "points",
            "votes",
            "miles",
            "feet",
            "meters",
            "metres",
            "kilometers",
            "acres",
            "tons",
            "tonnes",
            "pounds",
            "dollars",
            "yen",
            "marks",
            "francs",
            "barrels",
            "units",
            "cars",
            "homes",
            "houses",
            "members",
            "students",
            "patients",
            "cases",
            "deaths",
            "copies",
            "sq",
            "kg",
        ];
        if MEASURE.contains(&w) {
            return true;
        }
        // A lower-case plural after a bare number is usually what is counted ("1500 rebels").
        w.len() > 3
            && w.ends_with('s')
            && !w.ends_with("ss")
            && !w.ends_with("us")
            && !w.ends_with("is")
            && !self.fw(j, Fw::Times)
            && !(i > 0
                && matches!(
                    self.lx(i - 1),
                    Lex::W(Fw::In | Fw::Since | Fw::Until | Fw::Of)
                )
                && !is_count_noun(w))
    }

    /// "2010-01-29", "09/26/1999", "9/26/99".
    fn numeric_date(&self, i: usize) -> Option<Cand> {
        let t = &self.t[i];
        let n = |k: usize| self.t.get(k).filter(|x| x.kind == Kind::Num && x.adj);
        if t.ndig == 4 {
            let (m, d) = (n(i + 1)?, n(i + 2)?);
            if self.hy(i + 1) && self.hy(i + 2) && m.ndig <= 2 && d.ndig <= 2 {
                let date_ok = chrono::NaiveDate::from_ymd_opt(t.num as i32, m.num, d.num).is_some();
                if date_ok {
                    return Some(date(
                        i,
                        i + 3,
                        Sem::Ymd(Y::Abs(t.num as i32), m.num as u8, d.num as u8),
                    ));
                }
            }
            return None;
        }
        if t.ndig <= 2 && self.punct(i + 1, b'/') && self.adj(i + 1) {
            let d = n(i + 2)?;
            if !(self.punct(i + 3, b'/') && self.adj(i + 3)) {
                return None;
            }
            let y = n(i + 4)?;
            let year = match y.ndig {
                4 => y.num as i32,
                2 => {
                    if y.num > 30 {
                        1900 + y.num as i32
                    } else {
                        2000 + y.num as i32
                    }
                }
                _ => return None,
            };
            chrono::NaiveDate::from_ymd_opt(year, t.num, d.num)?;
            return Some(date(
                i,
                i + 5,
                Sem::Ymd(Y::Abs(year), t.num as u8, d.num as u8),
            ));
        }
        None
    }

    /// Decades: "the '80s", "80s", "the eighties" (the 1990s is in `year`).
    fn decade(&self, i: usize) -> Option<Cand> {
        let (tens, e) = match self.lx(i) {
            Lex::DecadeWord(d) => (d as u32, i + 1),
            _ => {
                let k = if self.punct(i, b'\'') && self.is_num(i + 1) && self.adj(i + 1) {
                    i + 1
                } else {
                    i
                };
                let t = self.t.get(k)?;
                if t.kind != Kind::Num || t.ndig != 2 || t.num % 10 != 0 {
                    return None;
                }
                if self.word_is(k + 1, "s") && self.adj(k + 1) {
                    (t.num / 10, k + 2)
                } else if self.poss(k + 1) {
                    (t.num / 10, k + 3)
                } else {
                    return None;
                }
            }
        };
        // Ages: "in his 30s", "in their late twenties".
        let k = if i > 0 && matches!(self.lx(i - 1), Lex::W(Fw::Early | Fw::Late | Fw::Mid)) {
            i - 1
        } else {
            i
        };
        if k > 0
            && ["his", "her", "their", "its", "my", "your", "our"]
                .iter()
                .any(|w| self.word_is(k - 1, w))
        {
            return None;
        }
        // Two-digit decades are read as the 1900s (news of this corpus' era and later).
        let mut c = date(i, e, Sem::Lit(format!("19{tens}")));
        c.det = true;
        if matches!(self.lx(i), Lex::DecadeWord(_)) {
            // "the eighties" needs its article (else it is an age: "in his eighties").
            if i == 0
                || !matches!(
                    self.lx(i - 1),
                    Lex::W(Fw::The | Fw::Early | Fw::Late | Fw::Mid)
                )
            {
                return None;
            }
            if i >= 1 && self.word_is(i - 1, "his") {
                return None;
            }
        }
        Some(c)
    }

    /// "the 20th century", "the seventh century".
    fn century(&self, i: usize) -> Option<Cand> {
        let (n, e) = self.ordinal(i)?;
        if self.lx(e) != Lex::Unit(Unit::Century) || !(1..=30).contains(&n) {
            return None;
        }
        let mut c = date(i, e + 1, Sem::Lit(format!("{:02}", n - 1)));
        c.det = true;
        Some(c)
    }

    fn season(&self, i: usize) -> Option<Cand> {
        let (s, plural) = match self.lx(i) {
            Lex::Season(s) => (s, false),
            Lex::SeasonPl(s) => (s, true),
            _ => return None,
        };
        if plural {
            return None;
        }
        let j = if self.fw(i + 1, Fw::Of) { i + 2 } else { i + 1 };
        if let Some((y, e)) = self.year_at(j) {
            let mut c = date(i, e, Sem::Season(Y::Abs(y), s));
            c.det = true;
            return Some(c);
        }
        // "Spring of Life", "Arab Spring": a capitalised season inside a sentence is a name.
        if self.cap_mid(i) || self.fw(i + 1, Fw::Of) {
            return None;
        }

        // "fall" alone is mostly the noun or verb.
        if s == 2 && self.word_is(i, "fall") {
            return None;
        }
        // "summer camp", "winter storm": a season word before a noun is a modifier; still a
        // date in TimeML, but too often generic to resolve: keep only "(the) summer".
        if self
            .t
            .get(i + 1)
            .is_some_and(|n| n.kind == Kind::Word && n.lex == Lex::None && !n.cap)
        {
            return None;
        }
        let mut c = date(i, i + 1, Sem::Season(Y::Rel(0), s));
        c.det = true;
        Some(c)
    }

    /// Quarters and halves after an optional year: "third quarter", "third-quarter",
    /// "second half", "third quarter of 1990".
    fn quarter_after(&self, i: usize, y: Y) -> Option<Cand> {
        let mut j = i;
        if self.fw(j, Fw::Fiscal) {
            j += 1;
        }
        let (n, e) = self.ordinal(j)?;
        let (sem, e) = if self.lx(e) == Lex::Unit(Unit::Quarter) && (1..=4).contains(&n) {
            (Sem::Quarter(y, n as u8), e + 1)
        } else if self.fw(e, Fw::Half) && (1..=2).contains(&n) {
            (Sem::Half(y, n as u8), e + 1)
        } else {
            return None;
        };
        let hyphen = self.hy(e - 1);
        let mut c = date(i, e, sem);
        // "... of 1990", "... of this year"
        if let Y::Near(_) = y
            && self.fw(e, Fw::Of)
        {
            if let Some(yy) = self.year4(e + 1) {
                c.sem = match c.sem {
                    Sem::Quarter(_, q) => Sem::Quarter(Y::Abs(yy), q),
                    Sem::Half(_, h) => Sem::Half(Y::Abs(yy), h),
                    s => s,
                };
                c.e = e + 2;
            } else if let Lex::W(f @ (Fw::This | Fw::Last | Fw::Next)) = self.lx(e + 1)
                && self.lx(e + 2) == Lex::Unit(Unit::Year)
            {
                let k = match f {
                    Fw::Last => -1,
                    Fw::Next => 1,
                    _ => 0,
                };
                c.sem = match c.sem {
                    Sem::Quarter(_, q) => Sem::Quarter(Y::Rel(k), q),
                    Sem::Half(_, h) => Sem::Half(Y::Rel(k), h),
                    s => s,
                };
                c.e = e + 3;
            }
        }
        // "the third quarter" takes its article; "the third-quarter results" does not.
        c.det = !hyphen || c.e > e;
        Some(c)
    }

    fn quarter(&self, i: usize) -> Option<Cand> {
        self.quarter_after(i, Y::Near(Dir::Past))
    }

    /// "fiscal 1989", "fiscal year 1990", "the fiscal year", "fiscal third quarter".
    fn fiscal(&self, i: usize) -> Option<Cand> {
        let j = i + 1;
        if let Some(y) = self.year4(j) {
            if let Some(c) = self.quarter_after(j + 1, Y::Abs(y)) {
                let mut c = date(i, c.e, c.sem);
                c.det = true;
                return Some(c);
            }
            let mut c = date(i, j + 1, Sem::Year(Y::Abs(y)));
            c.det = true;
            return Some(c);
        }
        if self.lx(j) == Lex::Unit(Unit::Year) {
            if let Some(y) = self.year4(j + 1) {
                let mut c = date(i, j + 2, Sem::Year(Y::Abs(y)));
                c.det = true;
                return Some(c);
            }
            let mut c = date(i, j + 1, Sem::Shift(Unit::Year, 0));
            c.det = true;
            return Some(c);
        }
        let mut c = self.quarter_after(j, Y::Near(Dir::Past))?;
        c.s = i;
        Some(c)
    }

    /// "year-end", "year end", "year's end".
    fn year_end(&self, i: usize) -> Option<Cand> {
        if self.lx(i) != Lex::Unit(Unit::Year) {
            return None;
        }
        let e = if self.poss(i + 1) { i + 3 } else { i + 1 };
        if !self.fw(e, Fw::End) {
            return None;
        }
        let mut c = date(i, e + 1, Sem::Shift(Unit::Year, 0));

        c.md = Some("END");
        c.det = true;
        Some(c)
    }

    /// "this week", "last month", "next year", "last Friday", "this summer", "that year",
    /// "the following day", "last year's fourth quarter", "this morning", "last night".
    fn relative(&self, i: usize) -> Option<Cand> {
        let mut j = i + 1;
        let (n, anaphoric) = match self.lx(i) {
            Lex::W(Fw::This) => {
                if self.fw(j, Fw::Past) {
                    j += 1;
                    (-1, false)
                } else if self.fw(j, Fw::Coming) {
                    j += 1;
                    (1, false)
                } else {
                    (0, false)
                }
            }
            Lex::W(Fw::Next | Fw::Coming | Fw::Upcoming) => (1, false),
            Lex::W(Fw::Last | Fw::Past | Fw::Latest) => (-1, false),
            Lex::W(Fw::Previous | Fw::Prior) => (-1, true),
            Lex::W(Fw::Following) => (1, true),
            Lex::W(Fw::Same | Fw::That) => (0, true),
            _ => return None,
        };
        let that = self.fw(i, Fw::That);
        // "the current fiscal year", "last fiscal year"
        if self.fw(j, Fw::Fiscal) && matches!(self.lx(j + 1), Lex::Unit(Unit::Year)) {
            j += 1;
        }
        let mk = |e: usize, sem: Sem| {
            let mut c = date(i, e, sem);
            c.det = !that;
            c
        };
        let past_dir = |n: i32| match n {
            -1 => Dir::PastStrict,
            1 => Dir::FutureStrict,
            _ => Dir::Future,
        };
        // "the latest period": the reporting period under discussion.
        if self.fw(i, Fw::Latest) && self.fw(j, Fw::Period) {
            return Some(mk(j + 1, Sem::RefQuarter));
        }
        match self.lx(j) {
            Lex::Unit(u) => {
                if self.adj(j) && !self.hy(j) || self.cap_mid(j) {
                    return None;
                }
                // "last year's fourth quarter"
                if u == Unit::Year
                    && !anaphoric
                    && self.poss(j + 1)
                    && let Some(q) = self.quarter_after(j + 3, Y::Rel(n))
                {
                    return Some(mk(q.e, q.sem));
                }
                // An adjectival compound ("last-minute", "this-year") is not a date here.
                if self.t.get(j + 1).is_some_and(|t| t.hy) {
                    return None;
                }
                let sem = match u {
                    // "this day", "last day" are rarely dates; "the next day", "that day",
                    // "the same day", "the previous day" refer to the day under discussion.
                    Unit::Day if !anaphoric && n != 1 => return None,
                    Unit::Day => Sem::RefShift(Unit::Day, n),
                    Unit::Weekend if !anaphoric => Sem::Weekend(Some(n)),
                    Unit::Hour | Unit::Minute | Unit::Second => return None,
                    _ if anaphoric => Sem::RefShift(u, n),
                    _ => Sem::Shift(u, n),
                };
                if self.fw(i, Fw::Latest) && u != Unit::Quarter && u != Unit::Year {
                    return None;
                }
                Some(mk(j + 1, sem))
            }
            // "coming weeks", "the past years", "recent months" (vague, no number).
            Lex::UnitPl(u) if !anaphoric && !self.cap_mid(j) => {
                if matches!(u, Unit::Second | Unit::Minute | Unit::Hour | Unit::Quarter) && n < 0 {
                    return None;
                }
                match self.lx(i) {
                    // "coming weeks": a vague duration (HeidelTime, TimeBank: PXW).
                    Lex::W(Fw::Coming | Fw::Upcoming) => {
                        let mut c = cand(
                            i,
                            j + 1,
                            TimexType::Duration,
                            Sem::Lit(duration_value(Qty::Vague, u)?),
                        );
                        c.det = true;
                        Some(c)
                    }
                    Lex::W(Fw::Past) => Some(mk(j + 1, lit("PAST_REF"))),
                    _ => None,
                }
            }
            Lex::Weekday(wd, abbr) if !anaphoric || that || n == -1 => {
                if abbr && !self.text[..self.t[j].e as usize].ends_with('.') {
                    return None;
                }
                let dir = if that { self.tense(i) } else { past_dir(n) };
                // "this coming Sunday, March 8": the explicit date decides.
                if let Some(c) = self.weekday(j)
                    && matches!(c.sem, Sem::Ymd(..))
                {
                    return Some(mk(c.e, c.sem));
                }
                let day = Sem::Weekday(wd, dir);
                if let Lex::PartDay(p) = self.lx(j + 1) {
                    return Some(cand(
                        i,
                        j + 2,
                        TimexType::Time,
                        Sem::Time(Box::new(day), Tod::Part(p)),
                    ));
                }
                Some(mk(j + 1, day))
            }
            Lex::Month(m, _) if self.cap(j) && !anaphoric => {
                // "last Oct. 23": the explicit day, nearest occurrence.
                if let Some(c) = self.month(j)
                    && let Sem::Ymd(Y::Near(_), mm, d) = c.sem
                {
                    let dir = if n > 0 { Dir::Future } else { Dir::Past };
                    return Some(mk(c.e, Sem::Ymd(Y::Near(dir), mm, d)));
                }
                let sem = match n {
                    -1 => Sem::MonthRel(m, Dir::PastStrict),
                    1 => Sem::MonthRel(m, Dir::FutureStrict),
                    _ => Sem::Ym(Y::Rel(0), m),
                };
                Some(mk(j + 1, sem))
            }
            Lex::Season(s) if !anaphoric => Some(mk(j + 1, Sem::SeasonRel(s, n))),
            Lex::Holiday(_) if !anaphoric => {
                let h = self.holiday(j)?;
                let sem = match h.sem {
                    Sem::Holiday(x, Y::Near(_)) => Sem::Holiday(x, Y::Near(past_dir(n))),
                    s => s,
                };
                Some(mk(h.e, sem))
            }
            Lex::PartDay(p) if !anaphoric || that || n == 1 => {
                let day = match (self.lx(i), p) {
                    (Lex::W(Fw::Last), PartDay::Night | PartDay::Evening) => Sem::DayOff(-1),
                    (Lex::W(Fw::This), _) => Sem::DayOff(0),
                    (Lex::W(Fw::Next | Fw::Following), _) => Sem::RefShift(Unit::Day, 1),
                    (Lex::W(Fw::That), _) => Sem::RefShift(Unit::Day, 0),
                    _ => return None,
                };
                let mut c = cand(
                    i,
                    j + 1,
                    TimexType::Time,
                    Sem::Time(Box::new(day), Tod::Part(p)),
                );
                c.det = !that;
                Some(c)
            }
            _ => None,
        }
    }

    /// Durations introduced by a position word: "the past 11 years", "the first nine months",
    /// "the next few days", "last five years".
    fn span_duration(&self, i: usize) -> Option<Cand> {
        let j = if self.fw(i, Fw::This) && self.fw(i + 1, Fw::Past) {
            i + 2
        } else {
            i + 1
        };
        if matches!(self.lx(i), Lex::W(Fw::Same | Fw::That)) {
            return None;
        }
        let (q, e, article) = self.qty(j)?;
        if article {
            return None;
        }
        let (u, _) = self.unit(e)?;
        if self.is_age(e + 1) {
            return None;
        }
        let mut end = e + 1;
        if self.fw(end, Fw::Or) && self.fw(end + 1, Fw::So) {
            end += 2;
        }
        let mut c = cand(i, end, TimexType::Duration, Sem::Lit(duration_value(q, u)?));
        c.det = true;
        Some(c)
    }

    // ------------------------------------------------------------------------------------
    // Deictic words, parts of the day, clock times.

    fn dateword(&self, i: usize) -> Option<Cand> {
        let Lex::Date(w) = self.lx(i) else {
            return None;
        };
        // "USA Today", "VOA Today": names.
        if self.cap_mid(i) {
            return None;
        }
        let day_off = match w {
            DateWord::Today => Some(0),
            DateWord::Tomorrow => Some(1),
            DateWord::Yesterday => Some(-1),
            _ => None,
        };
        if let Some(n) = day_off {
            // Possessive or adjectival use ("today's") is still the date.
            if let Lex::PartDay(p) = self.lx(i + 1) {
                return Some(cand(
                    i,
                    i + 2,
                    TimexType::Time,
                    Sem::Time(Box::new(Sem::DayOff(n)), Tod::Part(p)),
                ));
            }
            return Some(date(i, i + 1, Sem::DayOff(n)));
        }
        let v = match w {
            DateWord::Tonight => {
                return Some(cand(
                    i,
                    i + 1,
                    TimexType::Time,
                    Sem::Time(Box::new(Sem::DayOff(0)), Tod::Part(PartDay::Night)),
                ));
            }
            DateWord::Now | DateWord::Currently | DateWord::Nowadays => "PRESENT_REF",
            DateWord::Current => {
                // "current account", "current" as a noun (electric) are not times.
                if self.word_is(i + 1, "account") || self.word_is(i + 1, "accounts") {
                    return None;
                }
                // "the current quarter", "the current fiscal year"
                let k = if self.fw(i + 1, Fw::Fiscal) {
                    i + 2
                } else {
                    i + 1
                };
                if i > 0 && self.fw(i - 1, Fw::The) && self.unit(k).is_some() {
                    let (u, _) = self.unit(k)?;
                    let mut c = date(i, k + 1, Sem::Shift(u, 0));
                    c.det = true;
                    return Some(c);
                }
                "PRESENT_REF"
            }
            DateWord::Recently | DateWord::Lately => "PAST_REF",
            // "previously announced", "formerly of": TimeBank leaves these adverbs alone.
            DateWord::Formerly | DateWord::Previously => return None,
            DateWord::Recent | DateWord::Future => {
                // "recent years", "future quarters"; the bare adjective ("recent talks",
                // "future earnings") is too vague to be worth a timex.
                if let Some((u, true)) = self.unit(i + 1) {
                    let mut c = if w == DateWord::Recent {
                        // "in recent weeks": a vague duration, as HeidelTime and TimeBank.
                        cand(
                            i,
                            i + 2,
                            TimexType::Duration,
                            Sem::Lit(duration_value(Qty::Vague, u)?),
                        )
                    } else {
                        date(i, i + 2, lit("FUTURE_REF"))
                    };
                    c.det = true;
                    return Some(c);
                }
                return None;
            }
            // "soon" only as "as soon as possible" (see `core`).
            DateWord::Soon => return None,
            DateWord::Present => return None,
            _ => return None,
        };
        Some(date(i, i + 1, lit(v)))
    }

    /// "the morning", "overnight", "noon Saturday", "midnight Friday", "mid-afternoon".
    fn part_of_day(&self, i: usize) -> Option<Cand> {
        let p = match self.lx(i) {
            Lex::PartDay(p) => p,
            _ => return None,
        };
        if self.cap_mid(i) {
            return None;
        }
        let day = match self.lx(i + 1) {
            Lex::Weekday(wd, _) => Some((Sem::Weekday(wd, self.tense(i)), i + 2)),
            Lex::Date(DateWord::Today) => Some((Sem::DayOff(0), i + 2)),
            Lex::Date(DateWord::Yesterday) => Some((Sem::DayOff(-1), i + 2)),
            Lex::Date(DateWord::Tomorrow) => Some((Sem::DayOff(1), i + 2)),
            _ => None,
        };
        if let Some((d, e)) = day {
            return Some(cand(
                i,
                e,
                TimexType::Time,
                Sem::Time(Box::new(d), Tod::Part(p)),
            ));
        }
        match p {
            PartDay::Noon | PartDay::Midnight | PartDay::Overnight => Some(cand(
                i,
                i + 1,
                TimexType::Time,
                Sem::Time(Box::new(Sem::DayOff(0)), Tod::Part(p)),
            )),
            _ => {
                // "the morning", "mid-afternoon": needs its article or a modifier.
                let mut c = cand(
                    i,
                    i + 1,
                    TimexType::Time,
                    Sem::Time(Box::new(Sem::DayOff(0)), Tod::Part(p)),
                );
                c.det = true;
                // "the night of Oct. 23" is left to the date.
                if i > 0
                    && matches!(
                        self.lx(i - 1),
                        Lex::W(Fw::The | Fw::Mid | Fw::Early | Fw::Late)
                    )
                    && !self.fw(i + 1, Fw::Of)
                {
                    Some(c)
                } else {
                    None
                }
            }
        }
    }

    /// Clock times: "10:35 a.m.", "10 p.m. Wednesday", "5 p.m. EST, Nov. 6", "0735 GMT",
    /// "4 in the morning".
    fn clock(&self, i: usize) -> Option<Cand> {
        let t = &self.t[i];
        let mut h = t.num;
        let mut m = 0;
        let mut e = i + 1;
        let mut explicit = false;
        if t.ndig <= 2 && self.punct(e, b':') && self.adj(e) {
            let mm = self
                .t
                .get(e + 1)
                .filter(|x| x.kind == Kind::Num && x.ndig == 2 && x.adj)?;
            m = mm.num;
            e += 2;
            explicit = true;
        } else if t.ndig == 4 && matches!(self.lx(e), Lex::Tz) {
            h = t.num / 100;
            m = t.num % 100;
            explicit = true;
        } else if t.ndig > 2 {
            return None;
        }
        if h > 24 || m > 59 {
            return None;
        }
        match self.lx(e) {
            Lex::AmPm(pm) => {
                // Bare "am"/"pm" only when glued to the number or in lower case.
                if !self.word(e).contains('.') && self.cap(e) && !self.adj(e) {
                    return None;
                }
                if h == 0 || h > 12 {
                    return None;
                }
                if pm && h < 12 {
                    h += 12;
                } else if !pm && h == 12 {
                    h = 0;
                }
                e += 1;
            }
            _ if self.fw(e, Fw::In) && self.fw(e + 1, Fw::The) => {
                let Lex::PartDay(p) = self.lx(e + 2) else {
                    return None;
                };
                if h == 0 || h > 12 {
                    return None;
                }
                match p {
                    PartDay::Afternoon | PartDay::Evening if h < 12 => h += 12,
                    PartDay::Night if (6..12).contains(&h) => h += 12,
                    PartDay::Morning | PartDay::Night => {}
                    _ => return None,
                }
                e += 3;
            }
            _ if self.word_is(e, "o")
                && self.punct(e + 1, b'\'')
                && self.word_is(e + 2, "clock") =>
            {
                e += 3;
            }
            Lex::Tz if explicit => {}
            _ => return None,
        }
        if matches!(self.lx(e), Lex::Tz) {
            e += 1;
        }
        // A bare clock time is on the day under discussion (HeidelTime: UNDEF-REF-day).
        let mut dsem = Sem::RefShift(Unit::Day, 0);
        let k = self.comma(e);
        match self.lx(k) {
            Lex::Weekday(wd, _) => {
                dsem = Sem::Weekday(wd, self.tense(i));
                e = k + 1;
            }
            Lex::Date(d @ (DateWord::Today | DateWord::Yesterday | DateWord::Tomorrow)) => {
                dsem = Sem::DayOff(match d {
                    DateWord::Yesterday => -1,
                    DateWord::Tomorrow => 1,
                    _ => 0,
                });
                e = k + 1;
            }
            Lex::Month(..) => {
                if let Some(c) = self.month(k)
                    && matches!(c.sem, Sem::Ymd(..))
                {
                    dsem = c.sem;
                    e = c.e;
                }
            }
            _ => {}
        }
        Some(cand(
            i,
            e,
            TimexType::Time,
            Sem::Time(Box::new(dsem), Tod::Clock(h as u8, m as u8)),
        ))
    }

    // ------------------------------------------------------------------------------------
    // Quantities: durations, "... ago", sets.

    /// "three hours", "the nine months", "two-year", "a week", "18 months ago",
    /// "a year earlier", "$5 a day", "2 1/2 years".
    fn quantity(&self, i: usize) -> Option<Cand> {
        let (q, j, article) = self.qty(i)?;
        let mut k = j;
        if self.fw(k, Fw::More) || self.fw(k, Fw::Additional) || self.fw(k, Fw::Full) {
            k += 1;
        }
        // Ranges: "two to three weeks", "12 to 18 months", "two or three days".
        if !article
            && matches!(self.lx(k), Lex::W(Fw::To | Fw::Or))
            && let Some((_, k2)) = self.number(k + 1)
        {
            if self.unit(k2).is_some() {
                k = k2;
            }
        } else if !article && self.is_num(k) && self.hy(k) {
            // "12-18 months"
            k += 1;
        }
        if self.fw(k, Fw::Trading) || self.fw(k, Fw::Business) {
            k += 1;
        }
        let (u, plural) = self.unit(k)?;
        if !plural && !self.hy(k) && self.year4(i).is_some() {
            return None;
        }
        // Numbers with a unit in a compound: "two-year" (adjective), "five-hour".
        let hyphen = self.hy(k);
        // Agreement: "one years" or "two year" (without hyphen) are typos or other readings,
        // except "two year" in speech transcripts.
        if article && plural {
            return None;
        }
        // Titles ("60 Minutes") and fractions ("three-quarters of", "a quarter of").
        if self.cap_mid(k) || u == Unit::Quarter && self.fw(k + 1, Fw::Of) {
            return None;
        }
        // "year-earlier", "year-ago" are adjectives (see `year_ago_adj`).
        if self.hy(k + 1) && (self.fw(k + 1, Fw::Ago) || self.fw(k + 1, Fw::Earlier)) {
            return None;
        }
        let mut e = k + 1;
        // Ages are not durations: "five years old", "a 44-year-old".
        if self.is_age(e) {
            return None;
        }
        // "a weekend of talks": not a measured duration.
        if article && u == Unit::Weekend {
            return None;
        }
        if self.fw(e, Fw::Or) && self.fw(e + 1, Fw::So) {
            e += 2;
        }
        // Dates counted back or forward: "two years ago", "a year earlier", "days later".
        if self.fw(e, Fw::Ago) || self.fw(e, Fw::Earlier) || self.fw(e, Fw::Later) {
            let ago = self.fw(e, Fw::Ago);
            let later = self.fw(e, Fw::Later);
            let sem = match q {
                Qty::Vague => lit(if later { "FUTURE_REF" } else { "PAST_REF" }),
                Qty::Halves(h) => {
                    let n = (h / 2) as i32;
                    let (u2, n2) = match u {
                        Unit::Decade => (Unit::Year, n * 10),
                        Unit::Century => (Unit::Year, n * 100),
                        Unit::Fortnight => (Unit::Week, n * 2),
                        _ => (u, n),
                    };
                    if u == Unit::Year && n == 1 && article && !later {
                        Sem::YearBack
                    } else if ago {
                        Sem::Shift(u2, -n2)
                    } else if later {
                        Sem::RefShift(u2, n2)
                    } else {
                        Sem::RefShift(u2, -n2)
                    }
                }
            };
            return Some(date(i, e + 1, sem));
        }
        // "from now": from the anchor.
        if self.word_is(e, "from")
            && self.lx(e + 1) == Lex::Date(DateWord::Now)
            && let Qty::Halves(h) = q
        {
            return Some(date(i, e + 2, Sem::Shift(u, (h / 2) as i32)));
        }
        // Rates ("$5 a year", "700 seats a week") are left alone: TimeBank does not mark
        // them, and "twice a week" is found by `set_every`.
        if article && self.after_amount(i) {
            return None;
        }
        let mut c = cand(i, e, TimexType::Duration, Sem::Lit(duration_value(q, u)?));
        // "a three-year period", "a five-year term": the noun belongs to the expression.
        if hyphen && (self.fw(e, Fw::Period) || self.fw(e, Fw::Term)) {
            c.e = e + 1;
            c.det = true;
            if i > 0 && matches!(self.lx(i - 1), Lex::W(Fw::A | Fw::An)) {
                c.s = i - 1;
            }
            return Some(c);
        }
        c.det = !hyphen;
        Some(c)
    }

    /// The token before `i` is an amount ("$5", "10%", "2 million"): "a year" after it is a
    /// rate (a set), not a duration.
    fn after_amount(&self, i: usize) -> bool {
        if i == 0 {
            return false;
        }
        let p = &self.t[i - 1];
        // "four flights a week", "24 hours a day": a counted noun after a number.
        if p.kind == Kind::Word
            && i >= 2
            && (self.t[i - 2].kind == Kind::Num || matches!(self.lx(i - 2), Lex::Num(_)))
        {
            return true;
        }
        match p.kind {
            Kind::Num => true,
            Kind::Punct => p.ch == b'%',
            Kind::Word => {
                let w = self.word(i - 1);
                [
                    "million", "billion", "trillion", "thousand", "hundred", "percent", "cents",
                    "dollars", "times", "once", "twice",
                ]
                .iter()
                .any(|x| w.eq_ignore_ascii_case(x))
            }
        }
    }

    /// Bare plural units: "years", "weeks" (PXY, PXW); "decades-long".
    fn bare_unit(&self, i: usize) -> Option<Cand> {
        let Lex::UnitPl(u) = self.lx(i) else {
            return None;
        };
        if matches!(u, Unit::Second | Unit::Weekend | Unit::Quarter) || self.cap_mid(i) {
            return None;
        }

        if self.fw(i + 1, Fw::Old) || self.fw(i + 1, Fw::Of) && self.fw(i + 2, Fw::Age) {
            return None;
        }
        // "years ago" without a number
        if self.fw(i + 1, Fw::Ago) {
            return Some(date(i, i + 2, lit("PAST_REF")));
        }
        let mut c = cand(
            i,
            i + 1,
            TimexType::Duration,
            Sem::Lit(duration_value(Qty::Vague, u)?),
        );
        c.det = true;
        Some(c)
    }

    /// "every day", "each Thursday", "every two years", "per year", "once a week",
    /// "twice a year".
    fn set_every(&self, i: usize) -> Option<Cand> {
        let mut j = i + 1;
        match self.lx(i) {
            Lex::W(Fw::Once | Fw::Twice) => {
                if !matches!(
                    self.lx(j),
                    Lex::W(Fw::A | Fw::An | Fw::Per | Fw::Every | Fw::Each)
                ) {
                    return None;
                }
                j += 1;
                let (u, false) = self.unit(j)? else {
                    return None;
                };
                return Some(cand(
                    i,
                    j + 1,
                    TimexType::Set,
                    Sem::Lit(duration_value(Qty::Halves(2), u)?),
                ));
            }
            // "per second", "per year": rates of measures, not annotated as sets.
            Lex::W(Fw::Per) => return None,

            _ => {}
        }
        // every / each
        let mut q = Qty::Halves(2);
        if self.fw(j, Fw::Other) {
            q = Qty::Halves(4);
            j += 1;
        } else if let Some((n, e)) = self.number(j) {
            q = Qty::Halves(n * 2);
            j = e;
        }
        let set = |e: usize, v: String| Some(cand(i, e, TimexType::Set, Sem::Lit(v)));
        match self.lx(j) {
            Lex::Unit(u) | Lex::UnitPl(u) => set(j + 1, duration_value(q, u)?),
            Lex::Ord(2) if self.word_is(j, "second") => {
                set(j + 1, duration_value(q, Unit::Second)?)
            }
            Lex::Weekday(wd, _) => set(j + 1, format!("XXXX-WXX-{wd}")),
            Lex::Month(m, _) => set(j + 1, format!("XXXX-{m:02}")),
            Lex::Season(s) => set(
                j + 1,
                format!("XXXX-{}", ["SP", "SU", "FA", "WI"][s as usize]),
            ),
            Lex::PartDay(p) => set(j + 1, format!("XXXX-XX-XXT{}", p.code())),
            _ => None,
        }
    }

    /// "daily", "weekly", "annually".
    fn setword(&self, i: usize) -> Option<Cand> {
        let Lex::SetWord(u) = self.lx(i) else {
            return None;
        };
        // "annual" is an adjective of many non-temporal nouns ("annual report"): skip it;
        // "quarterly", "monthly" before a noun ("quarterly dividend") describe the noun.
        if self.word_is(i, "annual") {
            return None;
        }
        if (self.word_is(i, "quarterly") || self.word_is(i, "monthly"))
            && self
                .t
                .get(i + 1)
                .is_some_and(|n| n.kind == Kind::Word && !matches!(n.lex, Lex::W(_)))
        {
            return None;
        }

        Some(cand(
            i,
            i + 1,
            TimexType::Set,
            Sem::Lit(duration_value(Qty::Halves(2), u)?),
        ))
    }

    fn holiday(&self, i: usize) -> Option<Cand> {
        let Lex::Holiday(h) = self.lx(i) else {
            return None;
        };
        if !self.cap(i) {
            return None;
        }
        let mut e = i + 1;
        let mut fixed: Option<(u8, u8)> = None;
        match h {
            Holiday::NewYear => {
                // "New Year's Day", "New Year's Eve", "New Year"
                if self.lx(e) != Lex::Unit(Unit::Year) || !self.cap(e) {
                    return None;
                }
                e += 1;
                if self.poss(e) {
                    e += 2;
                }
                if self.fw(e, Fw::Eve) {
                    fixed = Some((12, 31));
                    e += 1;
                } else if self.lx(e) == Lex::Unit(Unit::Day) {
                    e += 1;
                }
            }
            Holiday::Christmas => {
                if self.fw(e, Fw::Eve) {
                    fixed = Some((12, 24));
                    e += 1;
                } else if self.lx(e) == Lex::Unit(Unit::Day) {
                    e += 1;
                }
            }
            Holiday::Thanksgiving | Holiday::Easter | Holiday::Halloween | Holiday::Hanukkah => {
                if self.lx(e) == Lex::Unit(Unit::Day)
                    || matches!(self.lx(e), Lex::Weekday(7, false))
                {
                    e += 1;
                }
            }
            Holiday::Valentine => {
                if self.poss(e) {
                    e += 2;
                } else if self.word_is(e, "s") && self.adj(e) {
                    e += 1;
                }
                if self.lx(e) != Lex::Unit(Unit::Day) {
                    return None;
                }
                e += 1;
            }
            _ => {
                if self.punct(e, b'\'') && self.adj(e) {
                    e += 1;
                }
                if self.lx(e) != Lex::Unit(Unit::Day) || !self.cap(e) {
                    return None;
                }
                e += 1;
            }
        }
        let y = self.year4(e);
        let year = match y {
            Some(v) => {
                e += 1;
                Y::Abs(v)
            }
            None => Y::Near(Dir::Past),
        };
        let sem = match (fixed, h) {
            (Some((m, d)), _) => Sem::Ymd(
                if y.is_some() {
                    year
                } else {
                    Y::Near(Dir::Past)
                },
                m,
                d,
            ),
            (None, Holiday::Hanukkah) => Sem::Unknown,
            (None, _) => Sem::Holiday(h, year),
        };
        Some(date(i, e, sem))
    }
    /// "year-earlier", "year-ago" (adjectives): the period under discussion a year before,
    /// with the period noun when there is one ("the year-ago quarter", "the year-earlier
    /// third quarter").
    fn year_ago_adj(&self, i: usize) -> Option<Cand> {
        if self.lx(i) != Lex::Unit(Unit::Year)
            || !self.hy(i + 1)
            || !(self.fw(i + 1, Fw::Ago) || self.fw(i + 1, Fw::Earlier))
        {
            return None;
        }
        let j = i + 2;
        let mut c = if let Some(q) = self.quarter_after(j, Y::Rel(-1)) {
            date(i, q.e, q.sem)
        } else if self.lx(j) == Lex::Unit(Unit::Quarter) || self.fw(j, Fw::Period) {
            date(i, j + 1, Sem::YearBack)
        } else if let Some((Qty::Halves(h), k, false)) = self.qty(j)
            && let Some((u, true)) = self.unit(k)
        {
            // "the year-earlier nine months": a duration.
            cand(
                i,
                k + 1,
                TimexType::Duration,
                Sem::Lit(duration_value(Qty::Halves(h), u)?),
            )
        } else {
            date(i, j, Sem::YearBack)
        };
        c.det = true;
        Some(c)
    }

    /// Years in words: "nineteen ninety-six", "two thousand".
    fn spoken_year(&self, i: usize) -> Option<Cand> {
        if !matches!(self.lx(i), Lex::Num(11..=19 | 2)) {
            return None;
        }
        let (y, e) = self.year_at(i)?;
        // "two thousand people", "nineteen twenty-dollar bills": amounts, not years.
        if self.unit(e).is_some() || self.amount_after(e - 1) {
            return None;
        }
        if y == 2000 && !(i > 0 && self.lx(i - 1) == Lex::Unit(Unit::Year)) {
            return None;
        }
        Some(date(i, e, Sem::Year(Y::Abs(y))))
    }

    /// The second day of "April 24 and 25", "Nov. 19-20".
    fn second_day(&self, i: usize) -> Option<Cand> {
        if i < 3 {
            return None;
        }
        let joined = matches!(self.lx(i - 1), Lex::W(Fw::And | Fw::Or | Fw::To)) || self.hy(i);
        let k = if self.hy(i) { i - 1 } else { i - 2 };
        if !joined || !self.is_num(k) {
            return None;
        }
        let Lex::Month(m, _) = self.lx(k - 1) else {
            return None;
        };
        let (d, e) = self.day_num(i)?;
        let first = self.month(k - 1)?;
        if first.e != k + 1 {
            return None;
        }
        let c = self.comma(e);
        if let Some(y) = self.year4(c) {
            return Some(date(i, c + 1, Sem::Ymd(Y::Abs(y), m, d)));
        }
        Some(date(i, e, Sem::Ymd(Y::Near(self.tense(i)), m, d)))
    }
}

/// ISO 8601 duration for a quantity of units: P3Y, PT2H, PXW, P2Y6M.
fn duration_value(q: Qty, u: Unit) -> Option<String> {
    let (mult, code) = match u {
        Unit::Second => (1, "S"),
        Unit::Minute => (1, "M"),
        Unit::Hour => (1, "H"),
        Unit::Day => (1, "D"),
        Unit::Week => (1, "W"),
        Unit::Weekend => (1, "WE"),
        Unit::Fortnight => (2, "W"),
        Unit::Month => (1, "M"),
        Unit::Quarter => (1, "Q"),
        Unit::Year => (1, "Y"),
        Unit::Decade => (10, "Y"),
        Unit::Century => (100, "Y"),
        Unit::Millennium => (1000, "Y"),
    };
    let t = if u.is_clock() { "T" } else { "" };
    Some(match q {
        Qty::Vague => match u {
            Unit::Decade => "PXDE".to_string(),
            Unit::Century => "PXCE".to_string(),
            _ => format!("P{t}X{code}"),
        },
        Qty::Halves(h) => {
            let whole = h / 2 * mult;
            if h % 2 == 0 || mult % 2 == 0 {
                let n = h * mult / 2;
                format!("P{t}{n}{code}")
            } else {
                // A half unit in the next smaller unit: 2 1/2 years = P2Y6M.
                let half = match u {
                    Unit::Year => "6M",
                    Unit::Month => "15D",
                    Unit::Week => "3DT12H",
                    Unit::Day => "T12H",
                    Unit::Hour => "30M",
                    Unit::Minute => "30S",
                    _ => return Some(format!("P{t}{whole}{code}")),
                };
                if whole == 0 {
                    format!("P{t}{half}")
                } else {
                    format!("P{t}{whole}{code}{half}")
                }
            }
        }
    })
}

/// Common past-tense reporting verbs and auxiliaries (a cheap tense cue).
fn is_past_verb(w: &str) -> bool {
    const PAST: [&str; 24] = [
        "said", "was", "were", "had", "did", "told", "came", "went", "took", "met", "made", "gave",
        "began", "left", "won", "lost", "held", "fell", "rose", "saw", "got", "fled", "struck",
        "killed",
    ];
    PAST.iter().any(|p| w.eq_ignore_ascii_case(p))
        || (w.len() > 4 && w.ends_with("ed") && w.bytes().all(|b| b.is_ascii_lowercase()))
}

/// Plural nouns that read as counted things even after "in" ("in 1990 elections" is a year).
fn is_count_noun(w: &str) -> bool {
    [
        "people", "troops", "shares", "points", "votes", "cases", "deaths",
    ]
    .contains(&w)
}
