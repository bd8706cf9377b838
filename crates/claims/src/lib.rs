//! Claims and corroboration: who asserts what, and which independent origins agree or
//! contradict.
//!
//! Input: annotated articles (sentences, mentions, timexes, quantities; `event` when the
//! stories stage ran), the run's entities, events and threads. Output: [`Corroboration`] with
//! every [`model::Claim`], the [`model::ClaimGroup`]s (claims about the same slot, with a
//! verdict) and the [`model::Conflict`]s.
//!
//! A [`Reading`] holds what does not depend on a trained model; [`Reading::corroborate`]
//! judges it with an [`align::Aligner`]:
//!
//! 1. [`origins::widen`] widens each article's `origin` beyond dedup copies: near-verbatim
//!    rewrites (half or more of the smaller article's paragraphs found in the other) and
//!    articles crediting the same news agency for a shared passage are one origin.
//! 2. Statements ([`statement`]): every checkable sentence of an original article (not of its
//!    copies) is a `statement` claim. [`align`] pairs statements of different origins in one
//!    thread that a learned model says state one fact, and groups them (at most one statement
//!    per article in a group); a group stated by two or more origins is `corroborated`.
//! 3. Typed claims ([`extract`], grouped and judged in [`slots`]): dates, numbers, ordinals
//!    and propositions with slot keys. Dates and numbers and propositions group by thread (a
//!    fact such as when Assad fled is cited across events), ordinals by event ("second visit"
//!    belongs to one event: the first meeting and the second visit are two events, not a
//!    conflict). Equal counts too vague to compare on their own ("1.5 million women") still
//!    join across the origins of one event, to corroborate each other; they never contradict.
//! 4. Which typed values may contradict: dates of a happening that occurs once (a death, an
//!    ouster, a flight) across the thread; dates of a recurring one (a visit, hosting) only
//!    near the event's own date and never within one article; counts of a tally (killed,
//!    arrested) or of troops and people moved, across events of a thread no more than 30 days
//!    apart; counts that a following verb qualifies ("23 executive actions that will be
//!    taken"), across articles. Other counts ("13 home runs", "16 rebounds": whose?), counts
//!    and ordinals whose sentence dates them far from the event ("the 2003 quake, in which
//!    31,000 died") and dates resolved against an inferred anchor only corroborate. Values are
//!    compared by the rules in [`compat`]; a claim credited to a news agency has the agency as
//!    its origin (an outlet quoting AFP is not an independent origin).
//! 5. Verdicts: `contested` when origins give incompatible values, `disputed` when the
//!    incompatible values are each asserted by different named parties (a disagreement between
//!    the parties quoted, not a factual error of the outlet), else `corroborated` with two or
//!    more independent origins, else `single_origin`. A conflict inside one article is
//!    `internal`.

pub mod align;
pub mod compat;
pub mod extract;
pub mod lexicon;
pub mod origins;
mod slots;
pub mod statement;

use std::collections::{BTreeSet, HashMap};

use model::{Article, Claim, ClaimGroup, Conflict, Entity, Event, SlotValue, Thread};
use rayon::prelude::*;
use serde_json::Value;

use crate::align::{Aligner, Pair};
use crate::extract::RawClaim;
use crate::slots::{Calendar, Placed};
use crate::statement::Statement;

/// The claims layer of a run.
#[derive(Debug, Default, Clone)]
pub struct Corroboration {
    pub claims: Vec<Claim>,
    pub groups: Vec<ClaimGroup>,
    pub conflicts: Vec<Conflict>,
}

/// Extracts, groups and judges the claims of `articles` with the shipped aligner.
pub fn corroborate(
    articles: &[Article],
    entities: &[Entity],
    events: &[Event],
    threads: &[Thread],
) -> Corroboration {
    let _ = threads;
    Reading::new(articles, entities, events).corroborate(Aligner::shipped())
}

/// What the claims stage reads from a run before any trained model is applied.
pub struct Reading {
    /// Typed claims, their groups and conflicts.
    typed: Corroboration,
    /// Statements of original articles, and their claims (one each, same order).
    pub statements: Vec<Statement>,
    pub statement_claims: Vec<Claim>,
    /// Each statement's origin.
    origins: Vec<String>,
    /// Each statement's thread, where its article has an event.
    threads: Vec<Option<String>>,
    /// Candidate pairs of statements, with their features.
    pub pairs: Vec<Pair>,
}

impl Reading {
    pub fn new(articles: &[Article], entities: &[Entity], events: &[Event]) -> Reading {
        let cal = Calendar::new(events);
        let placed = place_typed(articles, entities);
        let (groups, conflicts) = slots::judge(&placed, articles, &cal);
        let typed = Corroboration {
            claims: placed.into_iter().map(|p| p.claim).collect(),
            groups,
            conflicts,
        };
        let statements = read_statements(articles);
        let statement_claims = statements
            .iter()
            .map(|s| statement_claim(&articles[s.article], s))
            .collect();
        let thread_of = |a: &Article| -> Option<String> {
            let e = a.event.as_deref()?;
            cal.thread_of.get(e).map(|t| t.to_string())
        };
        let origins: Vec<String> = statements
            .iter()
            .map(|s| articles[s.article].origin.clone())
            .collect();
        let threads: Vec<Option<String>> = statements
            .iter()
            .map(|s| thread_of(&articles[s.article]))
            .collect();
        let pairs = statement_pairs(&statements, &origins, &threads);
        Reading {
            typed,
            statements,
            statement_claims,
            origins,
            threads,
            pairs,
        }
    }

    /// Groups the statements with `aligner` and adds them to the typed claims' judgement.
    pub fn corroborate(&self, aligner: &Aligner) -> Corroboration {
        let probability: Vec<f32> = self
            .pairs
            .iter()
            .map(|p| aligner.probability(&p.features))
            .collect();
        let roots = align::group(
            &self.statements,
            &self.pairs,
            &probability,
            aligner.threshold,
        );
        let mut out = self.typed.clone();
        out.claims.extend(self.statement_claims.iter().cloned());
        out.groups.extend(self.statement_groups(&roots));
        out
    }

    fn statement_groups(&self, roots: &[usize]) -> Vec<ClaimGroup> {
        let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, &r) in roots.iter().enumerate() {
            members.entry(r).or_default().push(i);
        }
        let mut roots: Vec<usize> = members.keys().copied().collect();
        roots.sort_unstable();
        roots
            .into_iter()
            .map(|r| self.statement_group(&members[&r]))
            .collect()
    }

    fn statement_group(&self, members: &[usize]) -> ClaimGroup {
        let claims: Vec<&Claim> = members.iter().map(|&m| &self.statement_claims[m]).collect();
        let origins: Vec<String> = members
            .iter()
            .map(|&m| self.origins[m].clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let events: BTreeSet<Option<&str>> = claims.iter().map(|c| c.event.as_deref()).collect();
        let event = match events.len() {
            1 => events.into_iter().next().flatten().map(str::to_string),
            _ => None,
        };
        let verdict = if origins.len() >= 2 {
            "corroborated"
        } else {
            "single_origin"
        };
        let first = claims[0];
        let ids: Vec<String> = claims.iter().map(|c| c.id.clone()).collect();
        ClaimGroup {
            id: model::content_id(format!("statement|{}", first.id).as_bytes()),
            event,
            thread: self.threads[members[0]].clone(),
            slot: format!("statement: {}", headline(&first.quote)),
            verdict: verdict.to_string(),
            origins: origins.clone(),
            claims: ids.clone(),
            values: vec![SlotValue {
                value: first.value.clone(),
                qualifier: None,
                claims: ids,
                origins,
            }],
        }
    }
}

/// The first words of a quote, as a readable slot name.
fn headline(quote: &str) -> String {
    let words: Vec<&str> = quote.split_whitespace().take(12).collect();
    let mut s = words.join(" ");
    if quote.split_whitespace().count() > 12 {
        s.push_str(" …");
    }
    s
}

/// Statements of every checkable sentence of original articles (copies repeat them).
fn read_statements(articles: &[Article]) -> Vec<Statement> {
    let per_article: Vec<Vec<Statement>> = articles
        .par_iter()
        .enumerate()
        .map(|(ai, a)| {
            if a.duplicate_of.is_some() {
                return Vec::new();
            }
            (0..a.sentences.len())
                .filter(|&si| statement::is_checkable(a, si))
                .map(|si| statement::read(a, ai, si))
                .collect()
        })
        .collect();
    per_article.into_iter().flatten().collect()
}

fn statement_claim(a: &Article, s: &Statement) -> Claim {
    let subject = a
        .mentions
        .iter()
        .find(|m| m.start >= s.start && m.end <= s.end)
        .map(|m| m.entity.clone())
        .unwrap_or_default();
    Claim {
        id: model::content_id(format!("{}:{}:statement", a.id, s.start).as_bytes()),
        kind: "statement".into(),
        event: a.event.clone(),
        subject,
        predicate: String::new(),
        value: Value::String(if s.negated { "no" } else { "yes" }.into()),
        qualifier: None,
        attribution: None,
        modality: "asserted".into(),
        negated: s.negated,
        article: a.id.clone(),
        start: s.start,
        end: s.end,
        quote: a.text[s.start..s.end].to_string(),
    }
}

/// Candidate pairs of statements within each thread.
fn statement_pairs<'a>(
    statements: &[Statement],
    origins: &'a [String],
    threads: &'a [Option<String>],
) -> Vec<Pair> {
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut intern = |s: &'a str| -> u32 {
        let n = ids.len() as u32;
        *ids.entry(s).or_insert(n)
    };
    let origin: Vec<u32> = origins.iter().map(|o| intern(o)).collect();
    let scope: Vec<Option<u32>> = threads
        .iter()
        .map(|t| t.as_deref().map(&mut intern))
        .collect();
    let idf = align::Idf::new(statements);
    align::candidates(statements, &scope, &origin, &idf)
}

/// Typed claims of every article, with ids, origins and article indices.
fn place_typed(articles: &[Article], entities: &[Entity]) -> Vec<Placed> {
    let ex = extract::Extractor::new(entities);
    let mut placed: Vec<Placed> = Vec::new();
    // Extraction is per article and independent: in parallel, then placed in article order.
    let extracted: Vec<Vec<RawClaim>> = articles.par_iter().map(|a| ex.article(a)).collect();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for ((ai, a), raws) in articles.iter().enumerate().zip(extracted) {
        for raw in raws {
            let value_key = raw.value.to_string();
            let id = model::content_id(
                format!(
                    "{}:{}:{}:{}:{}:{}",
                    a.id, raw.start, raw.kind, raw.predicate, raw.subject, value_key
                )
                .as_bytes(),
            );
            if !seen.insert(id.clone()) {
                continue;
            }
            let predicate = if raw.kind == "number" && raw.predicate.is_empty() {
                "count".to_string()
            } else {
                raw.predicate.clone()
            };
            let claim = Claim {
                kind: raw.kind.to_string(),
                id,
                event: a.event.clone(),
                subject: raw.subject.clone(),
                predicate,
                value: raw.value.clone(),
                qualifier: raw.qualifier.clone(),
                attribution: raw.attribution.clone(),
                modality: raw.modality.to_string(),
                negated: raw.negated,
                article: a.id.clone(),
                start: raw.start,
                end: raw.end,
                quote: a.text[raw.start..raw.end].to_string(),
            };
            let origin = match raw.agency {
                Some(ag) => format!("agency:{ag}"),
                None => a.origin.clone(),
            };
            placed.push(Placed {
                raw,
                claim,
                origin,
                article: ai,
            });
        }
    }
    placed
}

#[cfg(test)]
mod tests;
