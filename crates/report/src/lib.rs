//! Outputs of a crosscheck run, rendered from a [`model::Corpus`] (this crate reads the model
//! only, whichever stages filled it).
//!
//! [`Output`] is the JSON document `crosscheck analyze --json` prints: `documents`, `articles`
//! (with provenance and duplicate links), `duplicate_groups`, `skipped` inputs and run
//! `stats`. [`summary`] renders the same analysis as readable text, values in words
//! ([`model::display`]: "January 2026", "250 million"); the JSON keeps the normalised values.
//! [`export`] writes claims, conflicts or articles as CSV or JSONL rows. Key names are a
//! contract: later stages add keys, never rename them.

pub mod browse;
pub mod export;
pub mod html;

use std::fmt::Write;

use model::display;
use model::{Article, Document};
use model::{Corpus, RunReport};

use crate::html::Lookup;
use serde::Serialize;

/// A group of copies of one article.
#[derive(Debug, Clone, Serialize)]
pub struct DuplicateGroup {
    /// The origin id (the first copy's id).
    pub origin: String,
    /// All copies, the first copy first.
    pub articles: Vec<String>,
}

/// An input that could not be read.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub path: String,
    pub line: Option<u64>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub documents: usize,
    pub articles: usize,
    pub duplicate_groups: usize,
    /// Supported files found in this run.
    pub files: usize,
    /// Files of other types inside directories, ignored.
    pub ignored_files: usize,
    pub skipped: usize,
    pub new_documents: usize,
    pub new_articles: usize,
    pub entities: usize,
    /// Threads whose claims this run judged, and those whose stored judgement it kept.
    pub threads_judged: usize,
    pub threads_reused: usize,
    /// Articles of the judged threads read for claims, and those whose stored reading was kept.
    pub articles_read: usize,
    pub readings_reused: usize,
}

/// The JSON document of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Output<'a> {
    pub documents: &'a [Document],
    pub articles: &'a [Article],
    pub entities: &'a [model::Entity],
    pub events: &'a [model::Event],
    pub threads: &'a [model::Thread],
    pub claims: &'a [model::Claim],
    pub claim_groups: &'a [model::ClaimGroup],
    pub conflicts: &'a [model::Conflict],
    pub duplicate_groups: Vec<DuplicateGroup>,
    pub skipped: Vec<Skipped>,
    pub stats: Stats,
}

/// Groups of copies, in order of their first copy.
pub fn duplicate_groups(articles: &[Article]) -> Vec<DuplicateGroup> {
    articles
        .iter()
        .filter(|a| a.duplicate_of.is_none() && !a.copies.is_empty())
        .map(|a| DuplicateGroup {
            origin: a.origin.clone(),
            articles: std::iter::once(a.id.clone())
                .chain(a.copies.iter().cloned())
                .collect(),
        })
        .collect()
}

fn skipped(report: &RunReport) -> Vec<Skipped> {
    report
        .skipped
        .iter()
        .map(|e| Skipped {
            path: e.path.clone(),
            line: e.line,
            reason: e.reason.to_string(),
        })
        .collect()
}

impl<'a> Output<'a> {
    pub fn new(a: &'a Corpus) -> Output<'a> {
        let groups = duplicate_groups(&a.articles);
        Output {
            documents: &a.documents,
            articles: &a.articles,
            entities: &a.entities,
            events: &a.events,
            threads: &a.threads,
            claims: &a.claims,
            claim_groups: &a.claim_groups,
            conflicts: &a.conflicts,
            stats: Stats {
                documents: a.documents.len(),
                articles: a.articles.len(),
                duplicate_groups: groups.len(),
                files: a.report.files,
                ignored_files: a.report.ignored,
                skipped: a.report.skipped.len(),
                new_documents: a.report.new_documents,
                new_articles: a.report.new_articles,
                entities: a.entities.len(),
                threads_judged: a.report.threads_judged,
                threads_reused: a.report.threads_reused,
                articles_read: a.report.articles_read,
                readings_reused: a.report.readings_reused,
            },
            duplicate_groups: groups,
            skipped: skipped(&a.report),
        }
    }
}

/// A short label for an article: its title, else the start of its text.
pub fn label(a: &Article) -> String {
    match &a.title {
        Some(t) => t.clone(),
        None => {
            let start: String = a.text.chars().take(70).collect();
            let cut = if a.text.chars().count() > 70 {
                "…"
            } else {
                ""
            };
            format!("(untitled) {start}{cut}")
        }
    }
}

/// How a reader knows an article: its outlet, else its headline (or first words).
pub fn source_name(a: &Article) -> String {
    match a.outlet.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        Some(o) => o.to_string(),
        None => {
            let l = label(a);
            let l = l.strip_prefix("(untitled) ").unwrap_or(&l);
            html::timeline::shorten(l, 60)
        }
    }
}

/// The words saying which article contradicts itself and with what values ("fox states both
/// 19 and 23"), from the articles the claims stage found stating two values that exclude
/// each other; None for a conflict between articles. `name` names an article by id, `value`
/// writes a side's value.
pub fn internal_note(
    c: &model::Conflict,
    name: impl Fn(&str) -> String,
    value: impl Fn(&serde_json::Value) -> String,
) -> Option<String> {
    if !c.internal {
        return None;
    }
    let Some(first) = c.internal_articles.first() else {
        // Stored before the claims stage named the article.
        return Some("one article states two of these values".to_string());
    };
    if c.internal_articles.len() > 1 {
        let names: Vec<String> = c.internal_articles.iter().map(|a| name(a)).collect();
        return Some(format!(
            "{} each state two of these values",
            and_list(&names)
        ));
    }
    let stated: Vec<String> = (c.values.iter())
        .filter(|s| s.articles.contains(first))
        .map(|s| value(&s.value))
        .collect();
    let both = if stated.len() == 2 { "both " } else { "" };
    Some(format!(
        "{} states {both}{}",
        name(first),
        and_list(&stated)
    ))
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The readable summary of a run.
pub fn summary(a: &Corpus) -> String {
    let out = Output::new(a);
    let mut s = String::new();
    let st = &out.stats;
    let _ = writeln!(
        s,
        "{} documents, {} articles, {} duplicate group{}",
        st.documents,
        st.articles,
        st.duplicate_groups,
        if st.duplicate_groups == 1 { "" } else { "s" }
    );
    if st.files > 0 || st.ignored_files > 0 || st.skipped > 0 {
        let _ = writeln!(
            s,
            "this run: {} files read, {} new documents, {} new articles, {} ignored files, {} skipped inputs",
            st.files, st.new_documents, st.new_articles, st.ignored_files, st.skipped
        );
    }
    // Every line below looks items up by id: once, not by scanning.
    let look = Lookup::new(a);
    let _ = writeln!(s, "\nDocuments");
    for d in &a.documents {
        let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
        let _ = writeln!(
            s,
            "  {}{} [{}] {} article{}",
            d.path,
            line,
            d.id,
            d.articles.len(),
            if d.articles.len() == 1 { "" } else { "s" }
        );
        for id in &d.articles {
            let Some(art) = look.get_article(a, id) else {
                continue;
            };
            let mut meta = Vec::new();
            if let Some(o) = &art.outlet {
                meta.push(o.clone());
            }
            if let Some(p) = &art.published {
                meta.push(display::date(p));
            }
            if let Some(dup) = &art.duplicate_of {
                meta.push(format!("copy of {dup}"));
            }
            if !art.copies.is_empty() {
                meta.push(format!(
                    "{} other cop{}",
                    art.copies.len(),
                    if art.copies.len() == 1 { "y" } else { "ies" }
                ));
            }
            let meta = if meta.is_empty() {
                String::new()
            } else {
                format!("  ({})", meta.join(", "))
            };
            let _ = writeln!(s, "    #{} {} {}{}", art.index, art.id, label(art), meta);
        }
    }
    if !out.duplicate_groups.is_empty() {
        let _ = writeln!(s, "\nDuplicate groups (copies are one origin)");
        for g in &out.duplicate_groups {
            let Some(first) = look.get_article(a, &g.origin) else {
                continue;
            };
            let _ = writeln!(s, "  origin {}: {}", g.origin, label(first));
            for id in &g.articles {
                if let Some(art) = look.get_article(a, id) {
                    let path = doc_path(a, &look, &art.document);
                    let _ = writeln!(s, "    {} {} #{}", id, path, art.index);
                }
            }
        }
    }
    if !a.threads.is_empty() {
        write_timelines(&mut s, a, &look);
    }
    if !a.claim_groups.is_empty() {
        write_claims(&mut s, a, &look);
    }
    if !a.entities.is_empty() {
        let shown = a.entities.iter().filter(|e| e.mentions >= 2).take(20);
        let _ = writeln!(
            s,
            "\nEntities ({} in all; the most mentioned)",
            a.entities.len()
        );
        for e in shown {
            let mut extra = String::new();
            if !e.aliases.is_empty() {
                extra.push_str(&format!("; also {}", e.aliases.join(", ")));
            }
            if let Some(r) = e.roles.first() {
                extra.push_str(&format!("; {r}"));
            }
            let _ = writeln!(
                s,
                "  {} ({}, {} mentions{})",
                e.name,
                e.kind.as_str(),
                e.mentions,
                extra
            );
        }
    }
    if !out.skipped.is_empty() {
        let _ = writeln!(s, "\nSkipped inputs");
        for e in &out.skipped {
            match e.line {
                Some(l) => {
                    let _ = writeln!(s, "  {}:{}: {}", e.path, l, e.reason);
                }
                None => {
                    let _ = writeln!(s, "  {}: {}", e.path, e.reason);
                }
            }
        }
    }
    s
}

fn article_label(a: &Corpus, look: &Lookup, id: &str) -> String {
    match look.get_article(a, id) {
        Some(x) => format!("{} #{}", doc_path(a, look, &x.document), x.index),
        None => id.to_string(),
    }
}

fn doc_path<'a>(a: &'a Corpus, look: &Lookup, doc: &str) -> &'a str {
    look.get_document(a, doc).map_or("?", |d| d.path.as_str())
}

/// A value of group `g` in words, with the qualifier and unit the group states it with
/// ("late 2024", "at most 69,000", "$250 million").
fn slot_value_text(
    a: &Corpus,
    look: &Lookup,
    g: &model::ClaimGroup,
    v: &serde_json::Value,
) -> String {
    html::group_value_text(a, look, Some(g), v)
}

/// A claim group's heading as a phrase.
fn heading(a: &Corpus, look: &Lookup, g: &model::ClaimGroup) -> String {
    html::group_heading(a, look, g)
}

/// Single-origin claims shown per event in the readable summary.
const SINGLE_SHOWN: usize = 5;

/// Claims: conflicts first with their quotes, then the verdict counts and the single-origin
/// claims, per event when events are known.
fn write_claims(s: &mut String, a: &Corpus, look: &Lookup) {
    let mut verdicts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for g in &a.claim_groups {
        *verdicts.entry(g.verdict.as_str()).or_default() += 1;
    }
    let counts: Vec<String> = verdicts.iter().map(|(v, n)| format!("{n} {v}")).collect();
    let _ = writeln!(
        s,
        "\nClaims ({} claims in {} groups: {}; {} conflicts)",
        a.claims.len(),
        a.claim_groups.len(),
        counts.join(", "),
        a.conflicts.len()
    );
    let mut by_scope: std::collections::BTreeMap<Option<&str>, Vec<&model::ClaimGroup>> =
        std::collections::BTreeMap::new();
    for g in &a.claim_groups {
        by_scope.entry(g.event.as_deref()).or_default().push(g);
    }
    for (scope, groups) in by_scope {
        let label = match scope {
            Some(e) => (look.get_event(a, e))
                .map(|x| {
                    format!(
                        "event {}: {}",
                        x.date.as_deref().map_or("undated".into(), display::date),
                        x.label
                    )
                })
                .unwrap_or_else(|| format!("event {e}")),
            None if a.events.is_empty() => "all articles".to_string(),
            None => "across events".to_string(),
        };
        let contested: Vec<&&model::ClaimGroup> = groups
            .iter()
            .filter(|g| {
                matches!(
                    g.verdict,
                    model::Verdict::Contested | model::Verdict::Disputed
                )
            })
            .collect();
        let single: Vec<&&model::ClaimGroup> = groups
            .iter()
            .filter(|g| g.verdict == model::Verdict::SingleOrigin)
            .collect();
        let corroborated = groups
            .iter()
            .filter(|g| g.verdict == model::Verdict::Corroborated)
            .count();
        if groups.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "  [{label}] {} contested, {} corroborated, {} single-origin",
            contested.len(),
            corroborated,
            single.len()
        );
        for g in contested {
            let _ = writeln!(
                s,
                "    {} {}",
                g.verdict.as_str().to_uppercase(),
                heading(a, look, g)
            );
            if let Some(k) = (look.conflicts_by_group.get(&g.id))
                .and_then(|v| v.first())
                .map(|&i| &a.conflicts[i])
            {
                let note = internal_note(
                    k,
                    |id| look.get_article(a, id).map_or(id.to_string(), source_name),
                    |v| slot_value_text(a, look, g, v),
                );
                let note = note.map(|n| format!(", {n}")).unwrap_or_default();
                let _ = writeln!(s, "      {} {} conflict{note}", k.severity, k.kind);
                for side in &k.values {
                    let arts: Vec<String> = side
                        .articles
                        .iter()
                        .map(|x| article_label(a, look, x))
                        .collect();
                    let _ = writeln!(
                        s,
                        "      = {} ({})",
                        slot_value_text(a, look, g, &side.value),
                        arts.join(", ")
                    );
                    for q in &side.quotes {
                        let _ = writeln!(s, "        “{}”", q);
                    }
                }
            }
        }
        // Single-origin claims next, each with its quote (the first few per event; all of
        // them are in --json).
        for g in single.iter().take(SINGLE_SHOWN) {
            let Some(claim) = g.claims.first().and_then(|id| look.get_claim(a, id)) else {
                continue;
            };
            let vals: Vec<String> = g
                .values
                .iter()
                .map(|v| slot_value_text(a, look, g, &v.value))
                .collect();
            let vals = if vals.is_empty() {
                let unit = html::claim_unit(a, look, claim);
                let shown = html::value_text(&claim.kind, &claim.value, None, unit);
                vec![format!("not {shown}")]
            } else {
                vals
            };
            let mut quote: String = claim.quote.chars().take(160).collect();
            if claim.quote.chars().count() > 160 {
                quote.push('…');
            }
            let _ = writeln!(
                s,
                "    SINGLE ORIGIN {} = {} ({})\n        “{}”",
                heading(a, look, g),
                vals.join(" / "),
                article_label(a, look, &claim.article),
                quote
            );
        }
        if single.len() > SINGLE_SHOWN {
            let _ = writeln!(
                s,
                "    ... and {} more single-origin claims (see --json)",
                single.len() - SINGLE_SHOWN
            );
        }
        for g in groups
            .iter()
            .filter(|g| g.verdict == model::Verdict::Corroborated)
        {
            let vals: Vec<String> = g
                .values
                .iter()
                .map(|v| slot_value_text(a, look, g, &v.value))
                .collect();
            // Aligned statements say how sure the alignment is: a weak one is worth a look.
            let sure = g
                .confidence
                .map(|c| format!(", aligned at {c:.2}"))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "    CORROBORATED {} = {} ({} origins{sure})",
                heading(a, look, g),
                vals.join(" / "),
                g.origins.len()
            );
        }
    }
}

/// Threads as timelines: events in date order (undated last), each with its date, label,
/// independent origins and articles. Threads with the most origins first.
fn write_timelines(s: &mut String, a: &Corpus, look: &Lookup) {
    let event = |id: &str| look.get_event(a, id);
    let origins = |t: &model::Thread| -> usize {
        t.events
            .iter()
            .filter_map(|e| event(e))
            .map(|e| e.origins)
            .sum()
    };
    let mut threads: Vec<&model::Thread> = a.threads.iter().collect();
    threads.sort_by_key(|t| std::cmp::Reverse(origins(t)));
    let _ = writeln!(
        s,
        "\nThreads ({} threads, {} events)",
        a.threads.len(),
        a.events.len()
    );
    for t in threads {
        let _ = writeln!(s, "  {} [{}]", t.label, t.id);
        for e in t.events.iter().filter_map(|e| event(e)) {
            let arts: Vec<String> = e
                .articles
                .iter()
                .map(|x| article_label(a, look, x))
                .collect();
            // Wide enough for "28 September 2026"; longer dates push the label along.
            let _ = writeln!(
                s,
                "    {:<17}  {}  ({} origin{}: {})",
                e.date.as_deref().map_or("undated".into(), display::date),
                e.label,
                e.origins,
                if e.origins == 1 { "" } else { "s" },
                arts.join(", ")
            );
        }
    }
}
