//! What a reader browses: claim groups and threads chosen by outlet, date range and verdict,
//! put in an order ([`Sort`]) and cut into pages ([`Page`]). The server's pages and its JSON
//! API share these, so a filter means the same in both.
//!
//! Dates compare as days: an event dated `2026-01` spans January 2026, `2026` the whole year
//! (a week, a season or a quarter counts as its year); an event overlapping `[from, to]` is in
//! range, an undated one is not when a range is given.

use std::collections::HashSet;

use model::{ClaimGroup, Corpus, Event, Thread, Verdict};

use crate::html::{Lookup, date_range, verdict_rank};

/// Which claim groups and threads to show; `None` fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// An outlet name, matched without regard to case.
    pub outlet: Option<String>,
    /// First and last day (`YYYY-MM-DD`, or a shorter prefix).
    pub from: Option<String>,
    pub to: Option<String>,
    pub verdict: Option<Verdict>,
}

/// Orders of a list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Latest event first (undated last); what needs checking first within a day.
    #[default]
    Latest,
    /// Contested and disputed first, then the latest.
    Conflicts,
    /// Most independent origins first.
    Sources,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Latest, Sort::Conflicts, Sort::Sources];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Latest => "latest",
            Sort::Conflicts => "conflicts",
            Sort::Sources => "sources",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// How a reader names the order.
    pub fn label(self) -> &'static str {
        match self {
            Sort::Latest => "latest first",
            Sort::Conflicts => "conflicts first",
            Sort::Sources => "most sources first",
        }
    }
}

/// A window of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: usize,
    pub limit: usize,
}

/// One page of a list, and where it sits in the whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
}

impl<T> Paged<T> {
    /// The offset of the next page, if any.
    pub fn next(&self) -> Option<usize> {
        let end = self.offset + self.items.len();
        (end < self.total).then_some(end)
    }

    /// The offset of the previous page, if any.
    pub fn previous(&self) -> Option<usize> {
        (self.offset > 0).then(|| self.offset.saturating_sub(self.limit))
    }
}

/// The window `page` of `items`.
pub fn paged<T>(items: Vec<T>, page: Page) -> Paged<T> {
    let total = items.len();
    let items: Vec<T> = items
        .into_iter()
        .skip(page.offset)
        .take(page.limit)
        .collect();
    Paged {
        items,
        total,
        offset: page.offset,
        limit: page.limit,
    }
}

/// Whether `s` is a day, a month or a year as a filter takes it (`YYYY-MM-DD`, `YYYY-MM`,
/// `YYYY`).
pub fn is_date(s: &str) -> bool {
    let digits = |r: std::ops::Range<usize>| {
        s.get(r)
            .is_some_and(|x| x.bytes().all(|b| b.is_ascii_digit()))
    };
    let dash = |i: usize| s.as_bytes().get(i) == Some(&b'-');
    match s.len() {
        4 => digits(0..4),
        7 => digits(0..4) && dash(4) && digits(5..7),
        10 => digits(0..4) && dash(4) && digits(5..7) && dash(7) && digits(8..10),
        _ => false,
    }
}

impl Filter {
    fn dated(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// Whether an event dated `date` overlaps the range.
    fn in_range(&self, date: Option<&str>) -> bool {
        if !self.dated() {
            return true;
        }
        // Day ranges as the timeline draws them (a month, a quarter, a week: all its days).
        let Some((first, last)) = date.and_then(date_range) else {
            return false;
        };
        let from = self.from.as_deref().and_then(date_range);
        let to = self.to.as_deref().and_then(date_range);
        let after_from = from.is_none_or(|(f, _)| last >= f);
        let before_to = to.is_none_or(|(_, t)| first <= t);
        after_from && before_to
    }

    fn outlet_is(&self, outlet: Option<&str>) -> bool {
        match &self.outlet {
            None => true,
            Some(want) => outlet.is_some_and(|o| o.eq_ignore_ascii_case(want)),
        }
    }

    /// Whether `g` passes: its verdict, one of its claims from the outlet, its event (or one
    /// of its claims' events) in range.
    pub fn keeps_group(&self, a: &Corpus, l: &Lookup, g: &ClaimGroup) -> bool {
        if self.verdict.is_some_and(|v| g.verdict != v) {
            return false;
        }
        let claims: Vec<&model::Claim> =
            g.claims.iter().filter_map(|c| l.get_claim(a, c)).collect();
        let article = |c: &model::Claim| l.get_article(a, &c.article);
        if self.outlet.is_some()
            && !claims
                .iter()
                .any(|c| self.outlet_is(article(c).and_then(|x| x.outlet.as_deref())))
        {
            return false;
        }
        if !self.dated() {
            return true;
        }
        group_events(a, l, g)
            .iter()
            .any(|e| self.in_range(e.date.as_deref()))
    }

    /// Whether `t` passes: one of its events in range, an article of it from the outlet, a
    /// claim group of it with the verdict.
    pub fn keeps_thread(&self, a: &Corpus, l: &Lookup, t: &Thread) -> bool {
        let events: Vec<&Event> = t.events.iter().filter_map(|e| l.get_event(a, e)).collect();
        self.keeps_events(a, l, &events)
    }

    /// [`Filter::keeps_thread`] for a list of events (a thread's, or those in no thread).
    pub fn keeps_events(&self, a: &Corpus, l: &Lookup, events: &[&Event]) -> bool {
        let dated = events.iter().any(|e| self.in_range(e.date.as_deref()));
        let outlet = self.outlet.is_none()
            || (events.iter().flat_map(|e| &e.articles))
                .filter_map(|x| l.get_article(a, x))
                .any(|x| self.outlet_is(x.outlet.as_deref()));
        let verdict = self.verdict.is_none_or(|v| {
            (events.iter())
                .flat_map(|e| l.event_groups(a, &e.id))
                .any(|g| g.verdict == v)
        });
        dated && outlet && verdict
    }
}

/// The events a group is shown with: its own, or (thread-wide) those of its claims.
pub(crate) fn group_events<'a>(a: &'a Corpus, l: &Lookup, g: &ClaimGroup) -> Vec<&'a Event> {
    if let Some(e) = g.event.as_deref().and_then(|e| l.get_event(a, e)) {
        return vec![e];
    }
    let mut seen = HashSet::new();
    (g.claims.iter())
        .filter_map(|c| l.get_claim(a, c))
        .filter_map(|c| {
            let ev = c
                .event
                .as_deref()
                .or_else(|| l.get_article(a, &c.article)?.event.as_deref());
            l.get_event(a, ev?)
        })
        .filter(|e| seen.insert(e.id.as_str()))
        .collect()
}

/// The latest date among `events` (undated: `None`, which sorts last).
fn latest<'a>(events: &[&'a Event]) -> Option<&'a str> {
    events.iter().filter_map(|e| e.date.as_deref()).max()
}

/// The claim groups `f` keeps, in the order `sort` asks (ties: conflicts first, then id, so
/// the order does not depend on the store's).
pub fn claim_groups<'a>(a: &'a Corpus, l: &Lookup, f: &Filter, sort: Sort) -> Vec<&'a ClaimGroup> {
    let mut out: Vec<(&ClaimGroup, Option<&str>)> = (a.claim_groups.iter())
        .filter(|g| f.keeps_group(a, l, g))
        .map(|g| (g, latest(&group_events(a, l, g))))
        .collect();
    out.sort_by(|(x, dx), (y, dy)| {
        let by_date = dy.is_some().cmp(&dx.is_some()).then(dy.cmp(dx));
        let by_verdict = verdict_rank(x.verdict).cmp(&verdict_rank(y.verdict));
        let by_sources = y.origins.len().cmp(&x.origins.len());
        match sort {
            Sort::Latest => by_date.then(by_verdict),
            Sort::Conflicts => by_verdict.then(by_date),
            Sort::Sources => by_sources.then(by_date).then(by_verdict),
        }
        .then(x.id.cmp(&y.id))
    });
    out.into_iter().map(|(g, _)| g).collect()
}

/// The events in no thread that close a list of threads: all of them on its last page when
/// the filter keeps them, else none.
pub fn unthreaded<'a>(a: &'a Corpus, l: &Lookup, f: &Filter, last_page: bool) -> Vec<&'a Event> {
    if !last_page {
        return Vec::new();
    }
    let events: Vec<&Event> = l.unthreaded.iter().map(|&i| &a.events[i]).collect();
    if f.keeps_events(a, l, &events) {
        events
    } else {
        Vec::new()
    }
}

/// The threads `f` keeps, in the order `sort` asks (ties by id).
pub fn threads<'a>(a: &'a Corpus, l: &Lookup, f: &Filter, sort: Sort) -> Vec<&'a Thread> {
    struct Key<'a> {
        latest: Option<&'a str>,
        conflicts: usize,
        sources: usize,
    }
    let mut out: Vec<(&Thread, Key)> = (a.threads.iter())
        .filter(|t| f.keeps_thread(a, l, t))
        .map(|t| {
            let events: Vec<&Event> = t.events.iter().filter_map(|e| l.get_event(a, e)).collect();
            let key = Key {
                latest: latest(&events),
                conflicts: events
                    .iter()
                    .map(|e| l.event_conflicts(a, &e.id).len())
                    .sum(),
                sources: events.iter().map(|e| e.origins).sum(),
            };
            (t, key)
        })
        .collect();
    out.sort_by(|(x, kx), (y, ky)| {
        let by_date = ky
            .latest
            .is_some()
            .cmp(&kx.latest.is_some())
            .then(ky.latest.cmp(&kx.latest));
        match sort {
            Sort::Latest => by_date,
            Sort::Conflicts => ky.conflicts.cmp(&kx.conflicts).then(by_date),
            Sort::Sources => ky.sources.cmp(&kx.sources).then(by_date),
        }
        .then(x.id.cmp(&y.id))
    });
    out.into_iter().map(|(t, _)| t).collect()
}

/// Every outlet named by an article, sorted, each once.
pub fn outlets(a: &Corpus) -> Vec<&str> {
    let mut out: Vec<&str> = a
        .articles
        .iter()
        .filter_map(|x| x.outlet.as_deref())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_filter_takes_whole_days_weeks_and_months() {
        let f = Filter {
            from: Some("2026-01-15".into()),
            to: Some("2026-02".into()),
            ..Filter::default()
        };
        assert!(f.in_range(Some("2026-01")), "January overlaps the 15th on");
        assert!(f.in_range(Some("2026-02-28")));
        assert!(!f.in_range(Some("2026-03-01")));
        assert!(!f.in_range(Some("2025-12-31")));
        // A week is its seven days: the week of 12 January 2026 reaches the 15th, the week
        // before does not.
        assert!(f.in_range(Some("2026-W03")));
        assert!(!f.in_range(Some("2026-W02")));
        assert!(!f.in_range(Some("soon")));
        assert!(!f.in_range(None), "undated events fall outside a range");
        assert!(Filter::default().in_range(None));
    }

    fn ids(groups: &[&ClaimGroup]) -> Vec<String> {
        groups.iter().map(|g| g.id.clone()).collect()
    }

    #[test]
    fn groups_are_chosen_by_verdict_outlet_and_dates() {
        let a = crate::html::fixtures::sample();
        let l = Lookup::new(&a);
        let all = claim_groups(&a, &l, &Filter::default(), Sort::Latest);
        assert_eq!(all.len(), a.claim_groups.len());
        // Latest first: the two January 2026 groups, contested before single-origin, then
        // October 2025.
        assert_eq!(ids(&all), ["grp-fled", "grp-visit", "grp-hostile"]);
        let contested = Filter {
            verdict: Some(Verdict::Contested),
            ..Filter::default()
        };
        assert_eq!(
            ids(&claim_groups(&a, &l, &contested, Sort::Latest)),
            ["grp-fled"]
        );
        let wire = Filter {
            outlet: Some("wire service".into()),
            ..Filter::default()
        };
        assert_eq!(
            ids(&claim_groups(&a, &l, &wire, Sort::Latest)),
            ["grp-fled", "grp-visit"]
        );
        let october = Filter {
            from: Some("2025-10".into()),
            to: Some("2025-10".into()),
            ..Filter::default()
        };
        assert_eq!(
            ids(&claim_groups(&a, &l, &october, Sort::Latest)),
            ["grp-hostile"]
        );
        let sources = claim_groups(&a, &l, &Filter::default(), Sort::Sources);
        assert_eq!(sources[0].id, "grp-fled", "two independent origins");
    }

    #[test]
    fn threads_are_chosen_by_their_events() {
        let a = crate::html::fixtures::sample();
        let l = Lookup::new(&a);
        assert_eq!(
            threads(&a, &l, &Filter::default(), Sort::Latest).len(),
            a.threads.len()
        );
        let later = Filter {
            from: Some("2027".into()),
            ..Filter::default()
        };
        assert!(threads(&a, &l, &later, Sort::Latest).is_empty());
        let nobody = Filter {
            outlet: Some("Nobody's Gazette".into()),
            ..Filter::default()
        };
        assert!(threads(&a, &l, &nobody, Sort::Conflicts).is_empty());
        assert!(outlets(&a).contains(&"Moscow Times"));
    }

    #[test]
    fn pages_know_their_neighbours() {
        let p = paged(
            (0..45).collect::<Vec<_>>(),
            Page {
                offset: 20,
                limit: 20,
            },
        );
        assert_eq!(p.items, (20..40).collect::<Vec<_>>());
        assert_eq!((p.total, p.next(), p.previous()), (45, Some(40), Some(0)));
        let last = paged(
            (0..45).collect::<Vec<_>>(),
            Page {
                offset: 40,
                limit: 20,
            },
        );
        assert_eq!((last.items.len(), last.next()), (5, None));
        let past = paged(
            (0..3).collect::<Vec<_>>(),
            Page {
                offset: 10,
                limit: 20,
            },
        );
        assert!(past.items.is_empty() && past.next().is_none());
    }
}
