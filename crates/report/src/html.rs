//! The HTML report and the pages of `crosscheck serve`.
//!
//! Job: show a fact-checker, on one page, the threads of a run with their timelines and, for
//! each event, which independent origins agree, which contradict and who stands alone, with
//! the quotes one click away.
//!
//! Input: an [`Corpus`] (whatever layers it has: a run without events or claims still gets
//! its articles and entities). Output: [`render`], one self-contained HTML document (inline
//! CSS, no script, no external resource); and the pieces the server puts on its own pages
//! ([`page_home`], [`page_event`], [`page_article`], [`page_entities`], [`layout`]), where links
//! point at server routes instead of fragments of the one page ([`Links`]).
//!
//! Safety: everything that comes from an input is data. It is escaped by [`esc`] (attributes
//! are always double-quoted), URLs become links only with an http(s) scheme ([`safe_url`]),
//! ids in URLs are percent-encoded, and the report carries a Content-Security-Policy that
//! allows no script at all, so even a bug in the escaping could not run an article's
//! `<script>` or `onerror=`.

pub mod browse;
#[doc(hidden)]
pub mod fixtures;
mod text;
pub(crate) mod timeline;

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use model::Corpus;
use model::display;
use model::{Article, Claim, ClaimGroup, Conflict, Document, Event, Verdict};
use serde_json::Value;

pub use text::{Mark, article_text, esc, pct, safe_url};
pub use timeline::date_range;

/// The stylesheet shared by the report (inlined) and the server (`/assets/style.css`).
pub const CSS: &str = include_str!("../assets/style.css");

/// The report's Content-Security-Policy: no script of any kind, no remote resource; inline
/// styles only (the report is one file).
pub const REPORT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// Where links point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Fragments of the one-page report (`#event-<id>`, `#article-<id>`).
    Report,
    /// Routes of `crosscheck serve` (`/events/<id>`, `/articles/<id>`).
    Server,
}

impl Links {
    pub fn event(self, id: &str) -> String {
        match self {
            Links::Report => format!("#event-{}", pct(id)),
            Links::Server => format!("/events/{}", pct(id)),
        }
    }
    pub fn article(self, id: &str) -> String {
        match self {
            Links::Report => format!("#article-{}", pct(id)),
            Links::Server => format!("/articles/{}", pct(id)),
        }
    }
    pub fn thread(self, id: &str) -> String {
        match self {
            Links::Report => format!("#thread-{}", pct(id)),
            Links::Server => format!("/#thread-{}", pct(id)),
        }
    }
    /// A claim's quote, highlighted inside its article's text.
    pub fn quote(self, c: &Claim) -> String {
        match self {
            Links::Report => format!("#q-{}", pct(&c.id)),
            Links::Server => format!("/articles/{}#q-{}", pct(&c.article), pct(&c.id)),
        }
    }
    /// A conflict as shown with one event (a thread-wide conflict shows with several).
    pub fn conflict(self, event: &str, conflict: &str) -> String {
        let anchor = conflict_anchor(event, conflict);
        match self {
            Links::Report => format!("#{anchor}"),
            Links::Server => format!("/events/{}#{anchor}", pct(event)),
        }
    }
    pub fn entity(self, id: &str) -> String {
        match self {
            Links::Report => format!("#entity-{}", pct(id)),
            Links::Server => format!("/entities#entity-{}", pct(id)),
        }
    }
}

fn conflict_anchor(event: &str, conflict: &str) -> String {
    format!("c-{}-{}", pct(event), pct(conflict))
}

/// Positions of everything by id, and the joins the views need; built once per analysis
/// (the server keeps it next to the analysis it serves).
#[derive(Debug, Default)]
pub struct Lookup {
    pub article: HashMap<String, usize>,
    pub document: HashMap<String, usize>,
    pub event: HashMap<String, usize>,
    pub thread: HashMap<String, usize>,
    pub claim: HashMap<String, usize>,
    pub group: HashMap<String, usize>,
    pub entity: HashMap<String, usize>,
    /// Claims by article id, in text order.
    pub claims_by_article: HashMap<String, Vec<usize>>,
    /// Claim groups by event: the event's own groups and the thread-wide groups (event null)
    /// holding a claim from it; contested and single-origin first.
    pub groups_by_event: HashMap<String, Vec<usize>>,
    pub conflicts_by_group: HashMap<String, Vec<usize>>,
    /// Ids of claims quoted in a conflict.
    pub conflict_claims: HashSet<String>,
    /// The claim group of each claim id (its first, when merged groups share a claim).
    pub group_of_claim: HashMap<String, usize>,
    /// Events listed by no thread, in analysis order.
    pub unthreaded: Vec<usize>,
}

/// Sort key of a verdict: what needs a fact-checker's eyes first.
pub fn verdict_rank(v: Verdict) -> u8 {
    match v {
        Verdict::Contested => 0,
        Verdict::Disputed => 1,
        Verdict::SingleOrigin => 2,
        Verdict::Corroborated => 3,
    }
}

fn positions<T>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<String, usize> {
    items
        .iter()
        .enumerate()
        .map(|(i, x)| (id(x).to_string(), i))
        .collect()
}

impl Lookup {
    pub fn new(a: &Corpus) -> Lookup {
        let mut l = Lookup {
            article: positions(&a.articles, |x| &x.id),
            document: positions(&a.documents, |x| &x.id),
            event: positions(&a.events, |x| &x.id),
            thread: positions(&a.threads, |x| &x.id),
            claim: positions(&a.claims, |x| &x.id),
            group: positions(&a.claim_groups, |x| &x.id),
            entity: positions(&a.entities, |x| &x.id),
            ..Default::default()
        };
        for (i, c) in a.claims.iter().enumerate() {
            l.claims_by_article
                .entry(c.article.clone())
                .or_default()
                .push(i);
        }
        for v in l.claims_by_article.values_mut() {
            v.sort_by_key(|&i| (a.claims[i].start, a.claims[i].end));
        }
        for (gi, g) in a.claim_groups.iter().enumerate() {
            for c in &g.claims {
                l.group_of_claim.entry(c.clone()).or_insert(gi);
            }
            let mut events: Vec<String> = Vec::new();
            match &g.event {
                Some(e) => events.push(e.clone()),
                None => {
                    // A thread-wide group shows in every event that one of its claims is from.
                    for cid in &g.claims {
                        let Some(&ci) = l.claim.get(cid) else {
                            continue;
                        };
                        let c = &a.claims[ci];
                        let ev = c.event.clone().or_else(|| {
                            l.article
                                .get(&c.article)
                                .and_then(|&ai| a.articles[ai].event.clone())
                        });
                        if let Some(e) = ev
                            && !events.contains(&e)
                        {
                            events.push(e);
                        }
                    }
                }
            }
            for e in events {
                l.groups_by_event.entry(e).or_default().push(gi);
            }
        }
        for v in l.groups_by_event.values_mut() {
            v.sort_by_key(|&gi| verdict_rank(a.claim_groups[gi].verdict));
        }
        for (ci, c) in a.conflicts.iter().enumerate() {
            l.conflicts_by_group
                .entry(c.group.clone())
                .or_default()
                .push(ci);
            for side in &c.values {
                l.conflict_claims.extend(side.claims.iter().cloned());
            }
        }
        let threaded: HashSet<&str> = a
            .threads
            .iter()
            .flat_map(|t| t.events.iter().map(String::as_str))
            .collect();
        l.unthreaded = (0..a.events.len())
            .filter(|&i| !threaded.contains(a.events[i].id.as_str()))
            .collect();
        l
    }

    pub fn get_article<'a>(&self, a: &'a Corpus, id: &str) -> Option<&'a Article> {
        self.article.get(id).map(|&i| &a.articles[i])
    }
    pub fn get_document<'a>(&self, a: &'a Corpus, id: &str) -> Option<&'a Document> {
        self.document.get(id).map(|&i| &a.documents[i])
    }
    pub fn get_event<'a>(&self, a: &'a Corpus, id: &str) -> Option<&'a Event> {
        self.event.get(id).map(|&i| &a.events[i])
    }
    pub fn get_claim<'a>(&self, a: &'a Corpus, id: &str) -> Option<&'a Claim> {
        self.claim.get(id).map(|&i| &a.claims[i])
    }
    /// The claim groups shown with an event (see `groups_by_event`).
    pub fn event_groups<'a>(&self, a: &'a Corpus, id: &str) -> Vec<&'a ClaimGroup> {
        self.groups_by_event
            .get(id)
            .map(|v| v.iter().map(|&i| &a.claim_groups[i]).collect())
            .unwrap_or_default()
    }
    /// The conflicts of an event's claim groups, in group order.
    pub fn event_conflicts<'a>(&self, a: &'a Corpus, id: &str) -> Vec<&'a Conflict> {
        self.event_groups(a, id)
            .iter()
            .flat_map(|g| self.conflicts_by_group.get(&g.id).into_iter().flatten())
            .map(|&i| &a.conflicts[i])
            .collect()
    }
}

/// A value of a claim of `kind` as a reader writes it ([`model::display::claim_value`]).
pub fn value_text(kind: &str, v: &Value, qualifier: Option<&str>, unit: Option<&str>) -> String {
    display::claim_value(kind, v, qualifier, unit)
}

/// The unit of a number claim: claims keep the bare number, the quantities layer of its
/// article keeps the unit, on the quantity inside the claim's span that states its value.
pub fn claim_unit<'a>(a: &'a Corpus, l: &Lookup, c: &Claim) -> Option<&'a str> {
    if c.kind != "number" {
        return None;
    }
    let x = c.value.as_f64()?;
    let art = l.get_article(a, &c.article)?;
    (art.quantities.iter())
        .find(|q| q.start >= c.start && q.end <= c.end && q.value == x)
        .and_then(|q| q.unit.as_deref())
}

/// The unit of a claim group's numbers: the first of its claims that has one (one slot
/// holds one unit: the claims stage keys number slots by it).
pub fn group_unit<'a>(a: &'a Corpus, l: &Lookup, g: &ClaimGroup) -> Option<&'a str> {
    (g.claims.iter())
        .filter_map(|id| l.get_claim(a, id))
        .find_map(|c| claim_unit(a, l, c))
}

/// A claim group's slot as a phrase ([`model::display::heading`]), split at its claims'
/// predicate.
pub fn group_heading(a: &Corpus, l: &Lookup, g: &ClaimGroup) -> String {
    let predicate = (g.claims.first())
        .and_then(|id| l.get_claim(a, id))
        .map(|c| c.predicate.as_str());
    display::heading(&g.slot, predicate)
}

/// A claim as its mark's tooltip reads: its group's heading (else its predicate) and its
/// value in words.
fn claim_title(a: &Corpus, l: &Lookup, c: &Claim) -> String {
    let heading = (l.group_of_claim.get(&c.id)).map_or_else(
        || c.predicate.clone(),
        |&g| group_heading(a, l, &a.claim_groups[g]),
    );
    let unit = claim_unit(a, l, c);
    let value = value_text(&c.kind, &c.value, c.qualifier.as_deref(), unit);
    format!("{heading}: {value}")
}

/// A value of claim group `g` in words, with the qualifier the group states it with (a
/// conflict side carries none: "2024" stated as late 2024), the group's unit, and as a rank
/// for an ordinal group.
pub fn group_value_text(a: &Corpus, l: &Lookup, g: Option<&ClaimGroup>, v: &Value) -> String {
    let qualifier = g
        .and_then(|g| g.values.iter().find(|x| &x.value == v))
        .and_then(|x| x.qualifier.as_deref());
    let unit = g.and_then(|g| group_unit(a, l, g));
    let kind = (g.and_then(|g| g.claims.first()))
        .and_then(|id| l.get_claim(a, id))
        .map_or("", |c| c.kind.as_str());
    value_text(kind, v, qualifier, unit)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The whole analysis as one self-contained HTML document.
pub fn render(a: &Corpus) -> String {
    let l = Lookup::new(a);
    let links = Links::Report;
    let mut b = String::with_capacity(
        64 * 1024 + a.articles.iter().map(|x| x.text.len() * 2).sum::<usize>(),
    );
    b.push_str("<h1>crosscheck report</h1>\n");
    stats(&mut b, a);
    if a.events.is_empty() {
        b.push_str("<p class=\"note\">No events in this analysis (the stories stage has not grouped the articles), so there are no threads, timelines or claims to compare yet. The articles and entities are below.</p>\n");
    }
    b.push_str("<section id=\"threads\">\n");
    threads(&mut b, a, &l, links);
    b.push_str("</section>\n");
    conflict_list(&mut b, a, &l, links);
    if !a.events.is_empty() {
        b.push_str("<section id=\"events\"><h2>Events</h2>\n");
        for i in event_order(a, &l) {
            event_block(&mut b, a, &l, links, &a.events[i], 3);
        }
        b.push_str("</section>\n");
    }
    b.push_str("<section id=\"entities\">\n");
    entity_table(&mut b, a, "", usize::MAX);
    b.push_str("</section>\n");
    b.push_str("<section id=\"articles\"><h2>Articles</h2>\n");
    for art in &a.articles {
        article_block(&mut b, a, &l, links, art, None);
    }
    b.push_str("</section>\n");
    let nav = "<a href=\"#threads\">Threads</a><a href=\"#conflicts\">Conflicts</a><a href=\"#events\">Events</a><a href=\"#entities\">Entities</a><a href=\"#articles\">Articles</a>";
    layout("crosscheck report", nav, "", &b, Style::Inline)
}

/// How a page gets its stylesheet.
#[derive(Debug, Clone, Copy)]
pub enum Style<'a> {
    /// Inlined in a `<style>` element, with [`REPORT_CSP`] in a meta tag (the report).
    Inline,
    /// A `<link>` to this same-origin path (the server sends its CSP as a header).
    Linked(&'a str),
}

/// A complete page: `nav`, `search` (a form, or empty) and `body` are trusted HTML made by
/// this module; `title` is escaped.
pub fn layout(title: &str, nav: &str, search: &str, body: &str, style: Style) -> String {
    let mut s = String::with_capacity(body.len() + CSS.len() + 1024);
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    if let Style::Inline = style {
        let _ = writeln!(
            s,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{REPORT_CSP}\">"
        );
    }
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    let _ = writeln!(s, "<title>{}</title>", esc(title));
    match style {
        Style::Inline => {
            s.push_str("<style>\n");
            s.push_str(CSS);
            s.push_str("</style>\n");
        }
        Style::Linked(href) => {
            let _ = writeln!(s, "<link rel=\"stylesheet\" href=\"{}\">", esc(href));
        }
    }
    s.push_str(
        "</head>\n<body>\n<header class=\"top\"><span class=\"brand\">crosscheck</span><nav>",
    );
    s.push_str(nav);
    s.push_str("</nav>");
    s.push_str(search);
    s.push_str("</header>\n<main>\n");
    s.push_str(body);
    s.push_str("<footer>Made by crosscheck. Offsets are byte offsets into each article's text; copies of one article count as one origin.</footer>\n</main>\n</body>\n</html>\n");
    s
}

fn stats(b: &mut String, a: &Corpus) {
    let origins: HashSet<&str> = a.articles.iter().map(|x| x.origin.as_str()).collect();
    let contested = a
        .claim_groups
        .iter()
        .filter(|g| matches!(g.verdict, Verdict::Contested | Verdict::Disputed))
        .count();
    let items = [
        (a.documents.len(), "document", "documents"),
        (a.articles.len(), "article", "articles"),
        (origins.len(), "independent origin", "independent origins"),
        (a.threads.len(), "thread", "threads"),
        (a.events.len(), "event", "events"),
        (a.claims.len(), "claim", "claims"),
        (contested, "contested claim group", "contested claim groups"),
        (a.conflicts.len(), "conflict", "conflicts"),
        (a.entities.len(), "entity", "entities"),
    ];
    b.push_str("<ul class=\"stats\">");
    for (n, one, many) in items {
        let _ = write!(b, "<li><b>{n}</b> {}</li>", if n == 1 { one } else { many });
    }
    b.push_str("</ul>\n");
}

/// Events in thread order, then those in no thread.
fn event_order(a: &Corpus, l: &Lookup) -> Vec<usize> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for t in &a.threads {
        for e in &t.events {
            if let Some(&i) = l.event.get(e)
                && seen.insert(i)
            {
                out.push(i);
            }
        }
    }
    out.extend(l.unthreaded.iter().copied().filter(|i| seen.insert(*i)));
    out
}

/// Threads, each with its timeline and event list; then events in no thread.
fn threads(b: &mut String, a: &Corpus, l: &Lookup, links: Links) {
    b.push_str("<h2>Threads</h2>\n");
    if a.threads.is_empty() && l.unthreaded.is_empty() {
        b.push_str("<p class=\"muted\">No threads.</p>\n");
        return;
    }
    for t in &a.threads {
        let evs: Vec<&Event> = t.events.iter().filter_map(|e| l.get_event(a, e)).collect();
        thread_section(b, a, l, links, t, &evs);
    }
    if !l.unthreaded.is_empty() {
        let evs: Vec<&Event> = l.unthreaded.iter().map(|&i| &a.events[i]).collect();
        unthreaded_section(b, a, l, links, &evs);
    }
}

/// One thread: its label, timeline and events.
fn thread_section(
    b: &mut String,
    a: &Corpus,
    l: &Lookup,
    links: Links,
    t: &model::Thread,
    evs: &[&Event],
) {
    let _ = writeln!(
        b,
        "<section class=\"thread\" id=\"thread-{}\"><h3>{}</h3><p class=\"meta\">{}</p>",
        esc(&pct(&t.id)),
        esc(&t.label),
        plural(evs.len(), "event", "events")
    );
    event_timeline(b, a, l, links, evs);
    b.push_str("</section>\n");
}

fn unthreaded_section(b: &mut String, a: &Corpus, l: &Lookup, links: Links, evs: &[&Event]) {
    b.push_str("<section class=\"thread\" id=\"thread-none\"><h3>Events in no thread</h3>\n");
    event_timeline(b, a, l, links, evs);
    b.push_str("</section>\n");
}

fn event_timeline(b: &mut String, a: &Corpus, l: &Lookup, links: Links, evs: &[&Event]) {
    let points: Vec<timeline::Point> = evs
        .iter()
        .map(|e| timeline::Point {
            href: links.event(&e.id),
            label: &e.label,
            date: e.date.as_deref().unwrap_or(""),
            origins: e.origins,
        })
        .collect();
    if let Some(svg) = timeline::svg(&points) {
        b.push_str(&svg);
        b.push('\n');
    }
    b.push_str("<ol class=\"events\">\n");
    for e in evs {
        let date = e
            .date
            .as_deref()
            .map(display::date)
            .unwrap_or_else(|| "undated".into());
        let _ = write!(
            b,
            "<li><a class=\"event-link\" href=\"{}\">{}</a> <span class=\"muted\">{} · {} · {}</span>",
            esc(&links.event(&e.id)),
            esc(&e.label),
            esc(&date),
            plural(e.articles.len(), "article", "articles"),
            plural(e.origins, "origin", "origins"),
        );
        verdict_badges(b, a, l, &e.id);
        b.push_str("</li>\n");
    }
    b.push_str("</ol>\n");
}

fn verdict_badges(b: &mut String, a: &Corpus, l: &Lookup, event: &str) {
    let groups = l.event_groups(a, event);
    for (v, name) in [
        (Verdict::Contested, "contested"),
        (Verdict::Disputed, "disputed"),
        (Verdict::SingleOrigin, "single-origin"),
        (Verdict::Corroborated, "corroborated"),
    ] {
        let n = groups.iter().filter(|g| g.verdict == v).count();
        if n > 0 {
            let _ = write!(b, "<span class=\"badge {v}\">{n} {name}</span>");
        }
    }
    let c = l.event_conflicts(a, event).len();
    if c > 0 {
        let _ = write!(
            b,
            "<span class=\"badge cf\">{}</span>",
            plural(c, "conflict", "conflicts")
        );
    }
}

/// All conflicts, each linking to the event it is shown with.
fn conflict_list(b: &mut String, a: &Corpus, l: &Lookup, links: Links) {
    if a.conflicts.is_empty() {
        return;
    }
    b.push_str("<section id=\"conflicts\"><h2>Conflicts</h2>\n<ul>\n");
    // The events each group is shown with.
    let mut group_events: HashMap<usize, Vec<&Event>> = HashMap::new();
    for (ev, groups) in &l.groups_by_event {
        if let Some(e) = l.get_event(a, ev) {
            for &g in groups {
                group_events.entry(g).or_default().push(e);
            }
        }
    }
    for c in &a.conflicts {
        let g = l.group.get(&c.group).map(|&i| (i, &a.claim_groups[i]));
        let slot = g.map_or_else(|| c.group.clone(), |(_, g)| group_heading(a, l, g));
        let values: Vec<String> = (c.values.iter())
            .map(|s| group_value_text(a, l, g.map(|(_, g)| g), &s.value))
            .collect();
        let _ = write!(
            b,
            "<li class=\"conflict-item\"><b>{}</b>: {} <span class=\"badge cf\">{} {}</span>",
            esc(&slot),
            esc(&values.join(" vs ")),
            c.severity.as_str(),
            esc(&c.kind)
        );
        internal_badge(b, a, l, c, g.map(|(_, g)| g));
        if let Some(evs) = g.and_then(|(i, _)| group_events.get(&i)) {
            let mut evs = evs.clone();
            evs.sort_by(|x, y| x.date.cmp(&y.date));
            for e in evs {
                let _ = write!(
                    b,
                    " <a href=\"{}\">{}</a>",
                    esc(&links.conflict(&e.id, &c.id)),
                    esc(&e.label)
                );
            }
        }
        b.push_str("</li>\n");
    }
    b.push_str("</ul></section>\n");
}

/// The badge naming the article that states two of a conflict's values that exclude each
/// other (nothing for a conflict between articles).
fn internal_badge(b: &mut String, a: &Corpus, l: &Lookup, c: &Conflict, g: Option<&ClaimGroup>) {
    let note = crate::internal_note(
        c,
        |id| {
            l.get_article(a, id)
                .map_or(id.to_string(), crate::source_name)
        },
        |v| group_value_text(a, l, g, v),
    );
    if let Some(n) = note {
        let _ = write!(b, "<span class=\"badge internal\">{}</span>", esc(&n));
    }
}

fn origin_labels(a: &Corpus, l: &Lookup, origins: &[String]) -> Vec<String> {
    let base: Vec<String> = origins
        .iter()
        .map(|o| match l.get_article(a, o) {
            Some(art) => art
                .outlet
                .clone()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| {
                    let t = crate::label(art);
                    let t = t.strip_prefix("(untitled) ").unwrap_or(&t);
                    timeline::shorten(t, 28)
                }),
            None => o.clone(),
        })
        .collect();
    base.iter()
        .zip(origins)
        .map(|(label, o)| {
            if base.iter().filter(|x| *x == label).count() > 1 {
                format!("{label} ({})", short(o))
            } else {
                label.clone()
            }
        })
        .collect()
}

fn short(id: &str) -> &str {
    let end = id.char_indices().nth(6).map_or(id.len(), |(i, _)| i);
    &id[..end]
}

/// How one origin stands on one claim group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stance {
    /// States the value the other origins state (or, when they differ, the value most
    /// independent origins state).
    Agree,
    /// States another value, or several incompatible values (contradicting itself).
    Contradict,
    /// The only origin stating anything for this slot.
    Alone,
    /// States nothing for this slot.
    Silent,
}

impl Stance {
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Agree => "agree",
            Stance::Contradict => "contradict",
            Stance::Alone => "alone",
            Stance::Silent => "silent",
        }
    }
}

/// Where `origin` stands on `g`, and the values it states.
pub fn stance<'g>(g: &'g ClaimGroup, origin: &str) -> (Stance, Vec<&'g model::SlotValue>) {
    let stated: Vec<&model::SlotValue> = g
        .values
        .iter()
        .filter(|v| v.origins.iter().any(|o| o == origin))
        .collect();
    if stated.is_empty() {
        return (Stance::Silent, stated);
    }
    let all: HashSet<&str> = g
        .origins
        .iter()
        .chain(g.values.iter().flat_map(|v| v.origins.iter()))
        .map(String::as_str)
        .collect();
    let incompatible = matches!(g.verdict, Verdict::Contested | Verdict::Disputed);
    if stated.len() > 1 && incompatible {
        // The origin contradicts itself (an internal conflict), alone or not.
        return (Stance::Contradict, stated);
    }
    if all.len() <= 1 || g.verdict == Verdict::SingleOrigin {
        return (Stance::Alone, stated);
    }
    // The claims stage has compared the values: a corroborated group's values are compatible
    // (e.g. "December 2024" and "8 December 2024"), so every origin stating one agrees.
    if g.values.len() == 1 || g.verdict == Verdict::Corroborated {
        return (Stance::Agree, stated);
    }
    // Contested: the value held by strictly the most origins is the majority; with a tie no
    // side is privileged and every stating origin contradicts another.
    let counts: Vec<usize> = g.values.iter().map(|v| v.origins.len()).collect();
    let max = counts.iter().copied().max().unwrap_or(0);
    let majority = (counts.iter().filter(|&&c| c == max).count() == 1)
        .then(|| counts.iter().position(|&c| c == max))
        .flatten();
    let agrees =
        majority.is_some_and(|m| stated.len() == 1 && std::ptr::eq(stated[0], &g.values[m]));
    (
        if agrees {
            Stance::Agree
        } else {
            Stance::Contradict
        },
        stated,
    )
}

/// One event: summary, conflicts with quotes side by side, the claims matrix, articles and
/// date evidence. `h` is the heading level of the event title.
fn event_block(b: &mut String, a: &Corpus, l: &Lookup, links: Links, e: &Event, h: u8) {
    let eid = pct(&e.id);
    let _ = writeln!(
        b,
        "<section class=\"event\" id=\"event-{}\"><h{h}>{}</h{h}>",
        esc(&eid),
        esc(&e.label)
    );
    let date = e
        .date
        .as_deref()
        .map(display::date)
        .unwrap_or_else(|| "undated".into());
    let _ = write!(
        b,
        "<p class=\"meta\"><span class=\"date\">{}</span> · {} · {}",
        esc(&date),
        plural(e.articles.len(), "article", "articles"),
        plural(e.origins, "independent origin", "independent origins")
    );
    if let Some(&ti) = l.thread.get(&e.thread) {
        let t = &a.threads[ti];
        let _ = write!(
            b,
            " · thread <a href=\"{}\">{}</a>",
            esc(&links.thread(&t.id)),
            esc(&t.label)
        );
    }
    verdict_badges(b, a, l, &e.id);
    b.push_str("</p>\n");

    let conflicts = l.event_conflicts(a, &e.id);
    if !conflicts.is_empty() {
        let _ = writeln!(b, "<h{0}>Conflicts</h{0}>", h + 1);
        for c in conflicts {
            conflict_block(b, a, l, links, e, c, h + 2);
        }
    }

    let _ = writeln!(b, "<h{0}>Claims matrix</h{0}>", h + 1);
    claims_matrix(b, a, l, links, e);

    let _ = writeln!(b, "<h{0}>Articles</h{0}>\n<ul class=\"articles\">", h + 1);
    for id in &e.articles {
        let Some(art) = l.get_article(a, id) else {
            continue;
        };
        article_item(b, art, links);
    }
    b.push_str("</ul>\n");
    if !e.date_evidence.is_empty() {
        let _ = write!(
            b,
            "<details><summary>Date evidence ({})</summary><ul>",
            e.date_evidence.len()
        );
        for d in &e.date_evidence {
            let quote = match (d.start, d.end, l.get_article(a, &d.article)) {
                (Some(s), Some(t), Some(art)) => art
                    .text
                    .get(s..t)
                    .map(|q| format!(" “{}”", esc(q)))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let _ = write!(
                b,
                "<li>{} <b>{}</b>{} <a href=\"{}\">article</a></li>",
                d.source.as_str(),
                esc(&display::date(&d.value)),
                quote,
                esc(&links.article(&d.article))
            );
        }
        b.push_str("</ul></details>\n");
    }
    b.push_str("</section>\n");
}

fn article_item(b: &mut String, art: &Article, links: Links) {
    let mut meta = Vec::new();
    if let Some(o) = &art.outlet {
        meta.push(esc(o));
    }
    if let Some(p) = &art.published {
        meta.push(esc(&display::date(p)));
    }
    if art.duplicate_of.is_some() {
        meta.push("copy".into());
    }
    // The page where the outlet published it, beside ours (http(s) only).
    let source = (art.url.as_deref().and_then(safe_url))
        .map(|u| {
            format!(
                " <a class=\"source\" href=\"{}\" rel=\"noopener noreferrer nofollow\" referrerpolicy=\"no-referrer\">source ↗</a>",
                esc(u)
            )
        })
        .unwrap_or_default();
    let _ = writeln!(
        b,
        "<li><a href=\"{}\">{}</a> <span class=\"muted\">{}</span>{source}</li>",
        esc(&links.article(&art.id)),
        esc(&crate::label(art)),
        meta.join(" · ")
    );
}

fn conflict_block(
    b: &mut String,
    a: &Corpus,
    l: &Lookup,
    links: Links,
    e: &Event,
    c: &Conflict,
    h: u8,
) {
    let group = l.group.get(&c.group).map(|&i| &a.claim_groups[i]);
    let slot = group.map_or_else(|| c.group.clone(), |g| group_heading(a, l, g));
    let _ = write!(
        b,
        "<div class=\"conflict\" id=\"{}\"><h{h}>{} <span class=\"badge cf\">{} {} conflict</span>",
        esc(&conflict_anchor(&e.id, &c.id)),
        esc(&slot),
        c.severity.as_str(),
        esc(&c.kind)
    );
    internal_badge(b, a, l, c, group);
    let _ = writeln!(b, "</h{h}>\n<div class=\"sides\">");
    for side in &c.values {
        let _ = write!(
            b,
            "<div class=\"side\"><div class=\"value\">{}</div>",
            esc(&group_value_text(a, l, group, &side.value))
        );
        let n = side.claims.len().max(side.quotes.len());
        for i in 0..n {
            let claim = side.claims.get(i).and_then(|id| l.get_claim(a, id));
            let quote = claim
                .map(|c| c.quote.as_str())
                .or(side.quotes.get(i).map(String::as_str))
                .unwrap_or("");
            let art_id = claim
                .map(|c| c.article.as_str())
                .or(side.articles.get(i).map(String::as_str));
            let _ = write!(b, "<blockquote class=\"quote\">{}</blockquote>", esc(quote));
            if let Some(aid) = art_id {
                let art = l.get_article(a, aid);
                let who = art
                    .map(|x| {
                        let mut s = x.outlet.clone().unwrap_or_default();
                        if !s.is_empty() {
                            s.push_str(" — ");
                        }
                        s.push_str(&crate::label(x));
                        s
                    })
                    .unwrap_or_else(|| aid.to_string());
                let _ = write!(b, "<cite>{}", esc(&who));
                if let Some(c) = claim.and_then(|c| c.attribution.as_ref()) {
                    let speaker = l
                        .entity
                        .get(&c.speaker)
                        .map(|&i| a.entities[i].name.as_str())
                        .unwrap_or(&c.speaker);
                    let _ = write!(b, " (attributed: {} {})", esc(speaker), esc(&c.verb));
                }
                let target = match claim {
                    Some(c) => links.quote(c),
                    None => links.article(aid),
                };
                let _ = write!(
                    b,
                    "<br><a class=\"quote-link\" href=\"{}\">show in the article</a> · <a href=\"{}\">article</a></cite>",
                    esc(&target),
                    esc(&links.article(aid))
                );
            }
        }
        b.push_str("</div>\n");
    }
    b.push_str("</div></div>\n");
}

/// Claim groups (rows) by independent origins (columns).
fn claims_matrix(b: &mut String, a: &Corpus, l: &Lookup, links: Links, e: &Event) {
    let groups = l.event_groups(a, &e.id);
    if groups.is_empty() {
        b.push_str("<p class=\"muted\">No claims extracted for this event.</p>\n");
        return;
    }
    let mut origins: Vec<String> = Vec::new();
    for g in &groups {
        for o in g
            .origins
            .iter()
            .chain(g.values.iter().flat_map(|v| v.origins.iter()))
        {
            if !origins.contains(o) {
                origins.push(o.clone());
            }
        }
    }
    let labels = origin_labels(a, l, &origins);
    b.push_str("<div class=\"legend\"><span class=\"agree\">✓ agrees</span><span class=\"contradict\">✗ contradicts</span><span class=\"alone\">● stands alone</span><span class=\"silent\">– silent</span></div>\n");
    b.push_str("<div class=\"tablewrap\"><table class=\"matrix\"><thead><tr><th>claim</th><th>verdict</th>");
    for (o, label) in origins.iter().zip(&labels) {
        match l.get_article(a, o) {
            Some(_) => {
                let _ = write!(
                    b,
                    "<th title=\"origin {}\"><a href=\"{}\">{}</a></th>",
                    esc(o),
                    esc(&links.article(o)),
                    esc(label)
                );
            }
            None => {
                let _ = write!(b, "<th title=\"origin {}\">{}</th>", esc(o), esc(label));
            }
        }
    }
    b.push_str("</tr></thead><tbody>\n");
    for g in groups {
        let _ = write!(
            b,
            "<tr class=\"verdict-{}\"><th>{}",
            g.verdict.as_str(),
            esc(&group_heading(a, l, g))
        );
        if g.event.is_none() {
            b.push_str(" <span class=\"muted\">(across the thread)</span>");
        }
        // How sure the aligner is that a group's statements state one fact, on hover.
        let sure = (g.confidence)
            .map(|c| format!(" title=\"statements aligned at {c:.2}\""))
            .unwrap_or_default();
        let _ = write!(
            b,
            "</th><td><span class=\"badge {0}\"{sure}>{1}</span></td>",
            g.verdict.as_str(),
            g.verdict.as_str().replace('_', "-")
        );
        for o in &origins {
            let (st, vals) = stance(g, o);
            let mark = match st {
                Stance::Agree => "✓",
                Stance::Contradict => "✗",
                Stance::Alone => "●",
                Stance::Silent => "–",
            };
            let text: Vec<String> = vals
                .iter()
                .map(|v| group_value_text(a, l, Some(g), &v.value))
                .collect();
            let _ = write!(
                b,
                "<td class=\"cell {}\" title=\"{}\">{} {}</td>",
                st.as_str(),
                st.as_str(),
                mark,
                esc(&text.join(" / "))
            );
        }
        b.push_str("</tr>\n");
    }
    b.push_str("</tbody></table></div>\n");
}

/// The entities whose name or an alias contains `q` (case-insensitive); all of them when `q`
/// is empty. Shared by the entity index and `GET /api/entities`.
pub fn entities_matching<'a>(entities: &'a [model::Entity], q: &str) -> Vec<&'a model::Entity> {
    let q = q.to_lowercase();
    entities
        .iter()
        .filter(|e| {
            q.is_empty()
                || e.name.to_lowercase().contains(&q)
                || e.aliases.iter().any(|x| x.to_lowercase().contains(&q))
        })
        .collect()
}

/// The entity index (names, kinds, aliases, roles), filtered by `q` (case-insensitive, on
/// names and aliases), at most `limit` rows.
fn entity_table(b: &mut String, a: &Corpus, q: &str, limit: usize) {
    let matches = entities_matching(&a.entities, q.trim());
    let _ = writeln!(
        b,
        "<h2>Entities</h2>\n<p class=\"meta\">{}{}</p>",
        plural(matches.len(), "entity", "entities"),
        if matches.len() > limit {
            format!(", the {limit} most mentioned shown")
        } else {
            String::new()
        }
    );
    if matches.is_empty() {
        return;
    }
    b.push_str("<div class=\"tablewrap\"><table class=\"entities\"><thead><tr><th>name</th><th>kind</th><th>also called</th><th>roles</th><th>mentions</th></tr></thead><tbody>\n");
    for e in matches.into_iter().take(limit) {
        let _ = writeln!(
            b,
            "<tr id=\"entity-{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&pct(&e.id)),
            esc(&e.name),
            e.kind.as_str(),
            esc(&e.aliases.join(", ")),
            esc(&e.roles.join("; ")),
            e.mentions
        );
    }
    b.push_str("</tbody></table></div>\n");
}

/// A document's path as a page shows it: whole in the report its user wrote, only the file
/// name on the server (the server's own directories are nobody's business).
fn shown_path(path: &str, links: Links) -> &str {
    match links {
        Links::Report => path,
        Links::Server if path.contains("://") => path,
        Links::Server => path.rsplit(['/', '\\']).next().unwrap_or(path),
    }
}

/// One article with its metadata and its text, claim quotes marked (conflict quotes more
/// strongly), and `hl` (a byte span) highlighted with the anchor `hl`.
fn article_block(
    b: &mut String,
    a: &Corpus,
    l: &Lookup,
    links: Links,
    art: &Article,
    hl: Option<(usize, usize)>,
) {
    let _ = write!(
        b,
        "<article class=\"art\" id=\"article-{}\"><h3>{}</h3>\n<p class=\"meta\">",
        esc(&pct(&art.id)),
        esc(&crate::label(art))
    );
    let mut meta: Vec<String> = Vec::new();
    if let Some(o) = &art.outlet {
        meta.push(format!("<b>{}</b>", esc(o)));
    }
    if let Some(p) = &art.published {
        let from = art
            .published_from
            .map(|f| format!(" ({})", f.as_str()))
            .unwrap_or_default();
        meta.push(format!("{}{}", esc(&display::date(p)), from));
    }
    if let Some(d) = &art.dateline {
        meta.push(format!("dateline “{}”", esc(d)));
    }
    if let Some(d) = l.get_document(a, &art.document) {
        let line = d.line.map(|n| format!(":{n}")).unwrap_or_default();
        meta.push(format!(
            "{}{} #{}",
            esc(shown_path(&d.path, links)),
            line,
            art.index
        ));
    }
    meta.push(format!("id {}", esc(&art.id)));
    b.push_str(&meta.join(" · "));
    b.push_str("</p>\n");
    if let Some(u) = &art.url {
        match safe_url(u) {
            Some(u) => {
                let _ = writeln!(
                    b,
                    "<p class=\"meta\">source: <a class=\"ext\" href=\"{0}\" rel=\"noopener noreferrer nofollow\" referrerpolicy=\"no-referrer\">{0}</a></p>",
                    esc(u)
                );
            }
            None => {
                let _ = writeln!(
                    b,
                    "<p class=\"meta\">source (not a web link): <span class=\"url\">{}</span></p>",
                    esc(u)
                );
            }
        }
    }
    let mut rel = Vec::new();
    if let Some(o) = &art.duplicate_of {
        rel.push(format!(
            "copy of <a href=\"{}\">{}</a> (one origin)",
            esc(&links.article(o)),
            esc(&l
                .get_article(a, o)
                .map(crate::label)
                .unwrap_or_else(|| o.clone()))
        ));
    }
    if !art.copies.is_empty() {
        rel.push(plural(art.copies.len(), "other copy", "other copies"));
    }
    if let Some(ev) = art.event.as_deref().and_then(|e| l.get_event(a, e)) {
        rel.push(format!(
            "event <a href=\"{}\">{}</a>",
            esc(&links.event(&ev.id)),
            esc(&ev.label)
        ));
    }
    if !rel.is_empty() {
        let _ = writeln!(b, "<p class=\"meta\">{}</p>", rel.join(" · "));
    }
    if let Some(c) = &art.caption {
        let _ = writeln!(b, "<p class=\"meta\">caption: {}</p>", esc(c));
    }
    let mut marks: Vec<Mark> = l
        .claims_by_article
        .get(&art.id)
        .into_iter()
        .flatten()
        .map(|&ci| {
            let c = &a.claims[ci];
            Mark {
                start: c.start,
                end: c.end,
                class: if l.conflict_claims.contains(&c.id) {
                    "conflict"
                } else {
                    "claim"
                },
                id: Some(format!("q-{}", pct(&c.id))),
                title: Some(claim_title(a, l, c)),
            }
        })
        .collect();
    if let Some((s, e)) = hl {
        marks.push(Mark {
            start: s,
            end: e,
            class: "hl",
            id: Some("hl".into()),
            title: None,
        });
    }
    b.push_str("<div class=\"text\">\n");
    b.push_str(&article_text(&art.text, &art.paragraphs, &marks));
    b.push_str("</div></article>\n");
}

const SERVER_NAV: &str = "<a href=\"/\">Threads</a><a href=\"/claims\">Claims</a><a href=\"/#conflicts\">Conflicts</a><a href=\"/entities\">Entities</a><a href=\"/api/openapi.json\">API</a>";

/// The server's search form, `q` filled in.
fn search_form(q: &str) -> String {
    format!(
        "<form action=\"/search\" method=\"get\" role=\"search\"><input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"Search articles\" aria-label=\"Search articles\"><button type=\"submit\">Search</button></form>",
        esc(q)
    )
}

/// Stylesheet path of the server pages.
pub const SERVER_CSS_PATH: &str = "/assets/style.css";

fn server_page(title: &str, q: &str, body: &str) -> String {
    layout(
        title,
        SERVER_NAV,
        &search_form(q),
        body,
        Style::Linked(SERVER_CSS_PATH),
    )
}

/// The server's front page: counts, threads with timelines, conflicts, and the articles.
/// Links to the store's tables as CSV and JSONL (the server's `/export/` route).
fn downloads(b: &mut String) {
    b.push_str("<p class=\"meta\" id=\"downloads\">Download:");
    for table in ["claims", "conflicts", "articles"] {
        let _ = write!(
            b,
            " {table} (<a href=\"/export/{table}.csv\" download>CSV</a>, \
             <a href=\"/export/{table}.jsonl\" download>JSONL</a>)"
        );
    }
    b.push_str("</p>\n");
}

/// The server's front page with no filter.
pub fn page_home(a: &Corpus, l: &Lookup) -> String {
    page_home_with(a, l, &browse::Query::default())
}

/// The server's front page: counts and downloads, the contested claims of the latest events,
/// the threads `q` chooses (sorted, a page at a time), the conflicts and the newest articles.
pub fn page_home_with(a: &Corpus, l: &Lookup, q: &browse::Query) -> String {
    let links = Links::Server;
    let mut b = String::new();
    b.push_str("<h1>crosscheck</h1>\n");
    stats(&mut b, a);
    downloads(&mut b);
    if a.events.is_empty() {
        b.push_str("<p class=\"note\">No events in the store yet (the stories stage has not grouped the articles): no threads, timelines or claims to compare. Articles are listed below and can be searched.</p>\n");
    }
    browse::contested(&mut b, a, l, q);
    browse::threads(&mut b, a, l, q);
    conflict_list(&mut b, a, l, links);
    // The newest articles (the store's last); a big store is browsed by search instead.
    const SHOWN: usize = 300;
    let shown = a.articles.len().min(SHOWN);
    let _ = writeln!(
        b,
        "<section id=\"articles\"><h2>Articles</h2><p class=\"meta\">{}{}</p><ul class=\"articles\">",
        plural(a.articles.len(), "article", "articles"),
        if shown < a.articles.len() {
            format!("; the {shown} most recently stored are listed, search for the others")
        } else {
            String::new()
        }
    );
    for art in a.articles[a.articles.len() - shown..].iter().rev() {
        article_item(&mut b, art, links);
    }
    b.push_str("</ul></section>\n");
    server_page("crosscheck", "", &b)
}

/// One event's page, or `None` for an unknown id.
pub fn page_event(a: &Corpus, l: &Lookup, id: &str) -> Option<String> {
    let e = l.get_event(a, id)?;
    let mut b = String::new();
    event_block(&mut b, a, l, Links::Server, e, 1);
    Some(server_page(&e.label, "", &b))
}

/// One article's page with its claims marked and `hl` highlighted, or `None`.
pub fn page_article(
    a: &Corpus,
    l: &Lookup,
    id: &str,
    hl: Option<(usize, usize)>,
) -> Option<String> {
    let art = l.get_article(a, id)?;
    let mut b = String::new();
    article_block(&mut b, a, l, Links::Server, art, hl);
    Some(server_page(&crate::label(art), "", &b))
}

/// The entity index, filtered by `q`.
pub fn page_entities(a: &Corpus, q: &str) -> String {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<form class=\"filter\" action=\"/entities\" method=\"get\"><input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"Filter names and aliases\" aria-label=\"Filter entities\"> <button type=\"submit\">Filter</button></form>",
        esc(q)
    );
    entity_table(&mut b, a, q, 1000);
    server_page("Entities", "", &b)
}

/// A page around a body made by the caller (e.g. search results, errors), with the server's
/// navigation; `q` fills the search box.
pub fn page(title: &str, q: &str, body: &str) -> String {
    server_page(title, q, body)
}

#[cfg(test)]
mod tests;
