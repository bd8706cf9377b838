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
//! 1. [`origins::widen`] sets each article's `independent_origin`, its dedup `origin` widened: near-verbatim
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
pub mod frames;
pub mod lexicon;
pub mod origins;
pub mod parts;
pub mod quotes;
pub mod reading;
pub mod roles;
mod slots;
pub mod statement;
pub mod values;

use std::collections::{BTreeSet, HashMap};

use model::{
    Article, Claim, ClaimGroup, Conflict, ConflictSide, Entity, Event, Modality, Severity,
    SlotValue, Thread, Verdict,
};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::Value;

use crate::align::{Aligner, Pair};
use crate::extract::RawClaim;
use crate::slots::{Calendar, Placed};
use crate::statement::Statement;

/// The claims layer of a run.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
    parts::judge(articles, entities, events, Aligner::shipped(), &()).all()
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
    /// Each statement's origin and event as small keys (compared for every pair of a group).
    conflict_keys: Vec<(u32, Option<u32>)>,
    /// Each statement's thread, where its article has an event.
    threads: Vec<Option<String>>,
    /// Each statement's typed values.
    slots: Vec<Vec<values::Slot>>,
    /// Candidate pairs of statements, with their features.
    pub pairs: Vec<Pair>,
}

impl Reading {
    pub fn new(articles: &[Article], entities: &[Entity], events: &[Event]) -> Reading {
        let (read, _) = reading::read_all(articles, entities, &());
        Reading::from_readings(articles, events, read)
    }

    /// The reading of a run from its articles' own readings (one per article, in order).
    pub fn from_readings(
        articles: &[Article],
        events: &[Event],
        read: Vec<reading::ArticleReading>,
    ) -> Reading {
        let cal = Calendar::new(events);
        let (placed, statements) = place(articles, read);
        let (groups, conflicts) = slots::judge(&placed, articles, &cal);
        let mut typed = Corroboration {
            claims: placed.into_iter().map(|p| p.claim).collect(),
            groups,
            conflicts,
        };
        add_roles(articles, &cal, &mut typed);
        let (statements, mut slots): (Vec<Statement>, Vec<Vec<values::Slot>>) =
            statements.into_iter().unzip();
        for (s, sl) in statements.iter().zip(slots.iter_mut()) {
            let event = articles[s.article].event.as_deref();
            sl.retain(|x| !background_date(x, event, &cal));
        }
        let statement_claims: Vec<Claim> = statements
            .par_iter()
            .map(|s| statement_claim(&articles[s.article], s))
            .collect();
        let thread_of = |a: &Article| -> Option<String> {
            let e = a.event.as_deref()?;
            cal.thread_of.get(e).map(|t| t.to_string())
        };
        let origins: Vec<String> = statements
            .iter()
            .map(|s| articles[s.article].independent().to_string())
            .collect();
        let threads: Vec<Option<String>> = statements
            .iter()
            .map(|s| thread_of(&articles[s.article]))
            .collect();
        let mut keys = Interner::default();
        let origin_keys: Vec<u32> = origins.iter().map(|o| keys.key(o)).collect();
        let pairs = statement_pairs(&statements, &origin_keys, &threads, &mut keys);
        let conflict_keys = (origin_keys.into_iter().zip(&statement_claims))
            .map(|(o, c)| (o, c.event.as_deref().map(|e| keys.key(e))))
            .collect();
        Reading {
            typed,
            statements,
            statement_claims,
            origins,
            conflict_keys,
            threads,
            slots,
            pairs,
        }
    }

    /// Groups the statements with `aligner` and adds them to the typed claims' judgement
    /// (the reading stays, to be judged again with another aligner).
    pub fn corroborate(&self, aligner: &Aligner) -> Corroboration {
        let (mut out, extra) = self.judge(aligner, self.typed.clone());
        out.claims.extend(self.statement_claims.iter().cloned());
        out.claims.extend(extra);
        out
    }

    /// [`Reading::corroborate`], consuming the reading (no copy of its claims).
    pub fn finish(mut self, aligner: &Aligner) -> Corroboration {
        let typed = std::mem::take(&mut self.typed);
        let (mut out, extra) = self.judge(aligner, typed);
        out.claims.append(&mut self.statement_claims);
        out.claims.extend(extra);
        out
    }

    /// Adds the statements' groups and disagreements to `out` (the typed claims' judgement);
    /// returns it with the claims the disagreements add, which follow the statements' claims.
    fn judge(&self, aligner: &Aligner, mut out: Corroboration) -> (Corroboration, Vec<Claim>) {
        let probability: Vec<f32> = self
            .pairs
            .par_iter()
            .map(|p| aligner.probability(&p.features))
            .collect();
        let article: Vec<usize> = self.statements.iter().map(|s| s.article).collect();
        let mut groups = align::group(&self.pairs, &probability, aligner.threshold, &article);
        let mut grouped = vec![false; self.statements.len()];
        for &m in groups.iter().flatten() {
            grouped[m] = true;
        }
        groups.extend(
            (0..self.statements.len())
                .filter(|&m| !grouped[m])
                .map(|m| vec![m]),
        );
        // The aligned pairs, for how sure the aligner is of each group (its lowest probability
        // over member pairs); only pairs sure enough to conflict are looked up for conflicts.
        let aligned: FxHashMap<(usize, usize), f32> = (self.pairs.iter().zip(&probability))
            .filter(|&(_, &pr)| pr >= aligner.threshold)
            .map(|(p, &pr)| ((p.a.min(p.b), p.a.max(p.b)), pr))
            .collect();
        let edge: FxHashMap<(usize, usize), f32> = (aligned.iter())
            .filter(|&(_, &pr)| pr >= aligner.conflict_threshold)
            .map(|(&k, &pr)| (k, pr))
            .collect();
        // A sentence stating several facts stands in several groups: each group is named by
        // the member standing in the fewest, the sentence particular to its fact.
        let mut standing = vec![0u32; self.statements.len()];
        for &m in groups.iter().flatten() {
            standing[m] += 1;
        }
        // Each group is judged on its own: in parallel, kept in group order.
        let judged: Vec<(ClaimGroup, [Option<Wording>; 2])> = groups
            .par_iter()
            .map(|members| {
                let found = [
                    self.wording(members),
                    self.value_disagreement(members, &edge, aligner.conflict_threshold),
                ];
                (self.statement_group(members, &standing, &aligned), found)
            })
            .collect();
        let mut disagreements = Vec::new();
        for (group, found) in judged {
            out.groups.push(group);
            disagreements.extend(found.into_iter().flatten());
        }
        let seen: std::collections::HashSet<&str> = out
            .claims
            .iter()
            .chain(&self.statement_claims)
            .map(|c| c.id.as_str())
            .collect();
        let mut extra: Vec<Claim> = Vec::new();
        let mut added: std::collections::HashSet<String> = std::collections::HashSet::new();
        for w in merge_disagreements(disagreements) {
            // One value may disagree with two others ("26 pirates" with "23" and "100").
            for c in w.claims {
                if !seen.contains(c.id.as_str()) && added.insert(c.id.clone()) {
                    extra.push(c);
                }
            }
            out.groups.push(w.group);
            out.conflicts.push(w.conflict);
        }
        merge_repeated_conflicts(&mut out);
        (out, extra)
    }

    /// Two directly aligned members of different origins whose typed values disagree: the
    /// two values as claims, their contested group and its conflict.
    fn value_disagreement(
        &self,
        members: &[usize],
        edge: &FxHashMap<(usize, usize), f32>,
        threshold: f32,
    ) -> Option<Wording> {
        // Only members with typed values can disagree (order kept: the first pair found).
        let valued: Vec<usize> = (members.iter().copied())
            .filter(|&m| !self.slots[m].is_empty())
            .collect();
        let (x, y, i, j, rel) = valued.iter().enumerate().find_map(|(k, &x)| {
            valued[k + 1..].iter().find_map(|&y| {
                if !self.may_conflict(x, y) {
                    return None;
                }
                let aligned = edge
                    .get(&(x.min(y), x.max(y)))
                    .is_some_and(|&p| p >= threshold);
                if !aligned {
                    return None;
                }
                values::disagreement(&self.slots[x], &self.slots[y])
                    .map(|(i, j, r)| (x, y, i, j, r))
            })
        })?;
        let claims = vec![self.slot_claim(x, i), self.slot_claim(y, j)];
        let kind = self.slots[x][i].kind.as_str();
        let severity = if rel == compat::Relation::Hard {
            Severity::Hard
        } else {
            Severity::Soft
        };
        let slot = format!(
            "{kind} of {}: {}",
            self.slots[x][i].anchor,
            headline(&self.statement_claims[x].quote)
        );
        Some(self.contested(claims, [x, y], kind, severity, slot))
    }

    /// Whether two statements may contradict each other: different origins reporting one
    /// event (two events of a thread, such as two hijackings, have two sets of figures).
    fn may_conflict(&self, x: usize, y: usize) -> bool {
        let ((ox, ex), (oy, ey)) = (self.conflict_keys[x], self.conflict_keys[y]);
        ox != oy && ex.is_some() && ex == ey
    }

    /// Slot `i` of statement `m` as a claim.
    fn slot_claim(&self, m: usize, i: usize) -> Claim {
        let st = &self.statement_claims[m];
        let sl = &self.slots[m][i];
        Claim {
            id: model::content_id(
                format!("{}:{}:{}", st.article, sl.start, sl.kind.as_str()).as_bytes(),
            ),
            kind: sl.kind.as_str().into(),
            predicate: sl.anchor.clone(),
            value: sl.value.clone(),
            qualifier: sl.qualifier.clone(),
            start: sl.quote_start,
            end: sl.quote_end,
            quote: st.quote[sl.quote_start - st.start..sl.quote_end - st.start].to_string(),
            ..st.clone()
        }
    }

    fn statement_group(
        &self,
        members: &[usize],
        standing: &[u32],
        aligned: &FxHashMap<(usize, usize), f32>,
    ) -> ClaimGroup {
        let claims: Vec<&Claim> = members.iter().map(|&m| &self.statement_claims[m]).collect();
        let origins = self.origins_of(members);
        let verdict = if origins.len() >= 2 {
            Verdict::Corroborated
        } else {
            Verdict::SingleOrigin
        };
        let named = (members.iter())
            .min_by_key(|&&m| standing[m])
            .map_or(claims[0], |&m| &self.statement_claims[m]);
        let ids: Vec<String> = claims.iter().map(|c| c.id.clone()).collect();
        ClaimGroup {
            id: model::content_id(format!("statement|{}", ids.join("|")).as_bytes()),
            event: common_event(&claims),
            thread: self.threads[members[0]].clone(),
            slot: format!("statement: {}", headline(&named.quote)),
            confidence: confidence(members, aligned),
            verdict,
            origins: origins.clone(),
            claims: ids.clone(),
            values: vec![SlotValue {
                value: named.value.clone(),
                qualifier: None,
                claims: ids,
                origins,
            }],
        }
    }

    fn origins_of(&self, members: &[usize]) -> Vec<String> {
        let set: BTreeSet<&str> = members.iter().map(|&m| self.origins[m].as_str()).collect();
        set.into_iter().map(str::to_string).collect()
    }

    /// Two members of different origins that render one quotation with different words: the
    /// two renderings as `quote` claims, their contested group and its conflict.
    fn wording(&self, members: &[usize]) -> Option<Wording> {
        // Only members that quote someone can render a quotation differently.
        let quoting: Vec<usize> = (members.iter().copied())
            .filter(|&m| !self.statements[m].quotations.is_empty())
            .collect();
        let (x, qx, y, qy) = quoting.iter().enumerate().find_map(|(k, &x)| {
            quoting[k + 1..].iter().find_map(|&y| {
                if !self.may_conflict(x, y) {
                    return None;
                }
                let (sx, sy) = (&self.statements[x], &self.statements[y]);
                sx.quotations.iter().enumerate().find_map(|(i, qa)| {
                    sy.quotations
                        .iter()
                        .position(|qb| quotes::renderings_differ(qa, qb))
                        .map(|j| (x, i, y, j))
                })
            })
        })?;
        let claims = vec![self.quote_claim(x, qx), self.quote_claim(y, qy)];
        let slot = format!("wording of: {}", headline(&claims[0].quote));
        Some(self.contested(claims, [x, y], "quote", Severity::Soft, slot))
    }

    /// Two claims of statements `x` and `y` that disagree: their contested group and conflict.
    fn contested(
        &self,
        claims: Vec<Claim>,
        [x, y]: [usize; 2],
        kind: &str,
        severity: Severity,
        slot: String,
    ) -> Wording {
        let refs: Vec<&Claim> = claims.iter().collect();
        let id = model::content_id(format!("{kind}|{}|{}", claims[0].id, claims[1].id).as_bytes());
        let value = |c: &Claim, m: usize| SlotValue {
            value: c.value.clone(),
            qualifier: c.qualifier.clone(),
            claims: vec![c.id.clone()],
            origins: vec![self.origins[m].clone()],
        };
        let side = |c: &Claim| ConflictSide {
            value: c.value.clone(),
            claims: vec![c.id.clone()],
            articles: vec![c.article.clone()],
            quotes: vec![c.quote.clone()],
        };
        let group = ClaimGroup {
            id: id.clone(),
            event: common_event(&refs),
            thread: self.threads[x].clone(),
            slot,
            confidence: None,
            verdict: Verdict::Contested,
            origins: self.origins_of(&[x, y]),
            claims: claims.iter().map(|c| c.id.clone()).collect(),
            values: vec![value(&claims[0], x), value(&claims[1], y)],
        };
        let conflict = Conflict {
            id: model::content_id(format!("{id}:conflict").as_bytes()),
            group: id,
            kind: kind.into(),
            severity,
            internal: false,
            internal_articles: Vec::new(),
            values: vec![side(&claims[0]), side(&claims[1])],
        };
        Wording {
            claims,
            group,
            conflict,
        }
    }

    /// Quotation `q` of statement `m` as a claim of its own words.
    fn quote_claim(&self, m: usize, q: usize) -> Claim {
        let st = &self.statement_claims[m];
        let qt = &self.statements[m].quotations[q];
        let words = st.quote[qt.start - st.start..qt.end - st.start].to_string();
        Claim {
            id: model::content_id(format!("{}:{}:quote", st.article, qt.start).as_bytes()),
            kind: "quote".into(),
            start: qt.start,
            end: qt.end,
            value: Value::String(words.clone()),
            quote: words,
            ..st.clone()
        }
    }
}

/// Role claims of original articles, one group per person and thread (per article where
/// the article has no event).
fn add_roles(articles: &[Article], cal: &Calendar<'_>, out: &mut Corroboration) {
    let read: Vec<Vec<roles::RoleClaim>> = articles
        .par_iter()
        .enumerate()
        .map(|(ai, a)| {
            if a.duplicate_of.is_some() {
                Vec::new()
            } else {
                roles::read(a, ai)
            }
        })
        .collect();
    let mut groups: Vec<(String, Vec<(Claim, String)>)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for r in read.into_iter().flatten() {
        let a = &articles[r.article];
        let scope = a
            .event
            .as_deref()
            .and_then(|e| cal.thread_of.get(e))
            .map(|t| t.to_string())
            .unwrap_or_else(|| format!("article:{}", a.id));
        let claim = Claim {
            id: model::content_id(format!("{}:{}:role:{}", a.id, r.start, r.entity).as_bytes()),
            kind: "person".into(),
            event: a.event.clone(),
            subject: r.entity.clone(),
            predicate: "role".into(),
            value: Value::String(r.role.clone()),
            qualifier: None,
            attribution: None,
            modality: Modality::Asserted,
            negated: false,
            article: a.id.clone(),
            start: r.start,
            end: r.end,
            quote: a.text[r.start..r.end].to_string(),
        };
        let key = format!("role|{scope}|{}", r.entity);
        let g = *at.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push((claim, a.independent().to_string()));
    }
    for (key, members) in groups {
        out.groups.push(role_group(&key, &members));
        out.claims.extend(members.into_iter().map(|(c, _)| c));
    }
}

/// A group's lowest aligner probability over its member pairs, to three decimals; none for a
/// group of one statement.
fn confidence(members: &[usize], aligned: &FxHashMap<(usize, usize), f32>) -> Option<f32> {
    let lowest = (members.iter().enumerate())
        .flat_map(|(k, &a)| members[k + 1..].iter().map(move |&b| (a.min(b), a.max(b))))
        .filter_map(|pair| aligned.get(&pair).copied())
        .min_by(f32::total_cmp)?;
    Some((lowest * 1000.0).round() / 1000.0)
}

/// The group of one person's roles: corroborated when two or more origins name them.
fn role_group(key: &str, members: &[(Claim, String)]) -> ClaimGroup {
    let origins: BTreeSet<&str> = members.iter().map(|(_, o)| o.as_str()).collect();
    let mut values: Vec<SlotValue> = Vec::new();
    for (c, o) in members {
        let v = Value::String(c.value.as_str().unwrap_or("").to_lowercase());
        match values.iter_mut().find(|x| x.value == v) {
            Some(x) => {
                x.claims.push(c.id.clone());
                if !x.origins.contains(o) {
                    x.origins.push(o.clone());
                }
            }
            None => values.push(SlotValue {
                value: v,
                qualifier: None,
                claims: vec![c.id.clone()],
                origins: vec![o.clone()],
            }),
        }
    }
    let refs: Vec<&Claim> = members.iter().map(|(c, _)| c).collect();
    ClaimGroup {
        id: model::content_id(key.as_bytes()),
        event: common_event(&refs),
        thread: key
            .split('|')
            .nth(1)
            .filter(|s| !s.starts_with("article:"))
            .map(str::to_string),
        slot: format!("who: {} (role)", members[0].0.quote),
        confidence: None,
        verdict: if origins.len() >= 2 {
            Verdict::Corroborated
        } else {
            Verdict::SingleOrigin
        },
        origins: origins.into_iter().map(str::to_string).collect(),
        claims: refs.iter().map(|c| c.id.clone()).collect(),
        values,
    }
}

/// The `quote` claims, group and conflict of one quotation rendered two ways.
struct Wording {
    claims: Vec<Claim>,
    group: ClaimGroup,
    conflict: Conflict,
}

/// One disagreement per event, kind and set of values: many reports of one event repeat
/// "23 pirates" and "26 pirates", and a reader wants the disagreement once, with every
/// report on each side.
fn merge_disagreements(found: Vec<Wording>) -> Vec<Wording> {
    let mut out: Vec<Wording> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for w in found {
        let key = format!("{:?}|{}", w.group.event, discrepancy_key(&w.conflict));
        match at.get(&key) {
            Some(&k) => absorb(&mut out[k], w),
            None => {
                at.insert(key, out.len());
                out.push(w);
            }
        }
    }
    out
}

/// The kind and the values in dispute, numbers read as numbers (19 and 19.0 are one value).
/// The slot's wording is left out: the typed claims name a slot "how many: Palestinians
/// (kill)" where aligned statements name it "number of palestinian".
fn discrepancy_key(c: &Conflict) -> String {
    let mut values: Vec<String> = c.values.iter().map(|v| canonical(&v.value)).collect();
    values.sort();
    format!("{}|{}", c.kind, values.join("|"))
}

fn canonical(v: &Value) -> String {
    match v.as_f64() {
        Some(x) => format!("{x}"),
        None => v.to_string(),
    }
}

/// Whether two conflicts over the same values are one discrepancy: both in one event, or one
/// article stating one value in both (a group spanning several events has no event).
fn same_discrepancy(a: (&Conflict, &ClaimGroup), b: (&Conflict, &ClaimGroup)) -> bool {
    if a.1.event.is_some() && a.1.event == b.1.event {
        return true;
    }
    a.0.values.iter().any(|x| {
        (b.0.values.iter())
            .filter(|y| canonical(&y.value) == canonical(&x.value))
            .any(|y| y.articles.iter().any(|art| x.articles.contains(art)))
    })
}

/// Conflicts over one discrepancy found twice (by the typed claims of two slots, or by a
/// typed slot and aligned statements) become one: the first keeps every report on each side,
/// and its group takes the other group's claims.
fn merge_repeated_conflicts(out: &mut Corroboration) {
    let group_at: HashMap<String, usize> = (out.groups.iter().enumerate())
        .map(|(i, g)| (g.id.clone(), i))
        .collect();
    // Kept conflicts by discrepancy key.
    let mut kept: HashMap<String, Vec<usize>> = HashMap::new();
    let mut dropped_conflicts: BTreeSet<usize> = BTreeSet::new();
    let mut dropped_groups: BTreeSet<usize> = BTreeSet::new();
    for k in 0..out.conflicts.len() {
        let Some(&g) = group_at.get(&out.conflicts[k].group) else {
            continue;
        };
        let key = discrepancy_key(&out.conflicts[k]);
        let this = (&out.conflicts[k], &out.groups[g]);
        let found = kept.get(&key).and_then(|ks| {
            ks.iter().copied().find(|&j| {
                let jg = group_at[&out.conflicts[j].group];
                same_discrepancy((&out.conflicts[j], &out.groups[jg]), this)
            })
        });
        let Some(keep) = found else {
            kept.entry(key).or_default().push(k);
            continue;
        };
        let kg = group_at[&out.conflicts[keep].group];
        if kg != g {
            let moved = out.groups[g].clone();
            merge_group(&mut out.groups[kg], moved);
            dropped_groups.insert(g);
        }
        let taken = out.conflicts[k].clone();
        merge_conflict(&mut out.conflicts[keep], taken, &out.groups[kg]);
        dropped_conflicts.insert(k);
    }
    retain_unlisted(&mut out.conflicts, &dropped_conflicts);
    retain_unlisted(&mut out.groups, &dropped_groups);
}

/// Adds the sides of `from` to `into` and judges again whether one article states two of
/// the values that exclude each other (each conflict alone may show one value per article).
fn merge_conflict(into: &mut Conflict, from: Conflict, group: &ClaimGroup) {
    merge_sides(&mut into.values, from.values);
    if group.verdict == Verdict::Disputed {
        return;
    }
    let mut found = std::mem::take(&mut into.internal_articles);
    found.extend(from.internal_articles);
    found.extend(stating_two(&into.kind, &into.values, group));
    into.internal_articles = distinct(found.iter().map(String::as_str));
    into.internal = !into.internal_articles.is_empty();
}

/// Articles on two sides of a conflict whose values exclude each other.
fn stating_two(kind: &str, sides: &[ConflictSide], group: &ClaimGroup) -> Vec<String> {
    let qualifier = |v: &Value| {
        (group.values.iter())
            .find(|x| &x.value == v)
            .and_then(|x| x.qualifier.as_deref())
    };
    let mut out = Vec::new();
    for (i, x) in sides.iter().enumerate() {
        for y in &sides[i + 1..] {
            let r = compat::relate(
                kind,
                &x.value,
                qualifier(&x.value),
                &y.value,
                qualifier(&y.value),
            );
            if r != compat::Relation::Compatible {
                out.extend(
                    x.articles
                        .iter()
                        .filter(|a| y.articles.contains(a))
                        .cloned(),
                );
            }
        }
    }
    out
}

/// The strings in order of first appearance, each once.
fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in items {
        if !out.iter().any(|x| x == s) {
            out.push(s.to_string());
        }
    }
    out
}

/// Removes the items at the `dropped` indices.
fn retain_unlisted<T>(items: &mut Vec<T>, dropped: &BTreeSet<usize>) {
    let mut i = 0;
    items.retain(|_| {
        i += 1;
        !dropped.contains(&(i - 1))
    });
}

fn push_new(into: &mut Vec<String>, from: Vec<String>) {
    for x in from {
        if !into.contains(&x) {
            into.push(x);
        }
    }
}

fn merge_sides(into: &mut Vec<ConflictSide>, from: Vec<ConflictSide>) {
    for side in from {
        match into
            .iter_mut()
            .find(|s| canonical(&s.value) == canonical(&side.value))
        {
            Some(s) => {
                // Quotes stand one per claim: a claim already on the side keeps its one.
                for (c, q) in side.claims.into_iter().zip(side.quotes) {
                    if !s.claims.contains(&c) {
                        s.claims.push(c);
                        s.quotes.push(q);
                    }
                }
                push_new(&mut s.articles, side.articles);
            }
            None => into.push(side),
        }
    }
}

fn merge_group(into: &mut ClaimGroup, from: ClaimGroup) {
    for v in from.values {
        match into.values.iter_mut().find(|x| x.value == v.value) {
            Some(x) => {
                push_new(&mut x.claims, v.claims);
                push_new(&mut x.origins, v.origins);
            }
            None => into.values.push(v),
        }
    }
    push_new(&mut into.claims, from.claims);
    push_new(&mut into.origins, from.origins);
    into.origins.sort();
}

/// Adds the claims of `w` to the sides and values of `into` with the same value.
fn absorb(into: &mut Wording, w: Wording) {
    for c in w.claims {
        if into.claims.iter().any(|x| x.id == c.id) {
            continue;
        }
        if let Some(side) = into.conflict.values.iter_mut().find(|v| v.value == c.value) {
            side.claims.push(c.id.clone());
            if !side.articles.contains(&c.article) {
                side.articles.push(c.article.clone());
            }
            side.quotes.push(c.quote.clone());
        }
        let origin = w
            .group
            .values
            .iter()
            .find(|v| v.claims.contains(&c.id))
            .and_then(|v| v.origins.first().cloned());
        if let Some(v) = into.group.values.iter_mut().find(|v| v.value == c.value) {
            v.claims.push(c.id.clone());
            if let Some(o) = origin.filter(|o| !v.origins.contains(o)) {
                v.origins.push(o.clone());
                if !into.group.origins.contains(&o) {
                    into.group.origins.push(o);
                }
            }
        }
        into.group.claims.push(c.id.clone());
        into.claims.push(c);
    }
    into.group.origins.sort();
}

/// The event all claims share, if they share one.
fn common_event(claims: &[&Claim]) -> Option<String> {
    let events: BTreeSet<Option<&str>> = claims.iter().map(|c| c.event.as_deref()).collect();
    match events.len() {
        1 => events.into_iter().next().flatten().map(str::to_string),
        _ => None,
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

/// A date of a recurring happening away from the event's own date ("hosted the Oscars in
/// 2007" in a report of 2014): background, which proves nothing against other dates (the rule
/// typed dates follow in [`slots`]).
fn background_date(x: &values::Slot, event: Option<&str>, cal: &Calendar) -> bool {
    x.kind == values::Kind::Date
        && !lexicon::ONCE.contains(&x.anchor.as_str())
        && !cal.near_event_date(event, &x.value)
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
        modality: Modality::Asserted,
        negated: s.negated,
        article: a.id.clone(),
        start: s.start,
        end: s.end,
        quote: a.text[s.start..s.end].to_string(),
    }
}

/// Small keys for the strings (origins, threads, events) compared for every pair.
#[derive(Default)]
struct Interner<'a>(HashMap<&'a str, u32>);

impl<'a> Interner<'a> {
    fn key(&mut self, s: &'a str) -> u32 {
        let n = self.0.len() as u32;
        *self.0.entry(s).or_insert(n)
    }
}

/// Candidate pairs of statements within each thread (`origin`: each statement's key).
fn statement_pairs<'a>(
    statements: &[Statement],
    origin: &[u32],
    threads: &'a [Option<String>],
    keys: &mut Interner<'a>,
) -> Vec<Pair> {
    let scope: Vec<Option<u32>> = threads
        .iter()
        .map(|t| t.as_deref().map(|t| keys.key(t)))
        .collect();
    align::candidates(statements, &scope, origin)
}

/// A statement with its typed values.
type Stated = (Statement, Vec<values::Slot>);

/// Each article's typed claims placed in the run (with ids, origins and article indices),
/// and all statements, in article order.
fn place(articles: &[Article], read: Vec<reading::ArticleReading>) -> (Vec<Placed>, Vec<Stated>) {
    // A claim's id names its article: placed in parallel, then concatenated in order.
    let per_article: Vec<(Vec<Placed>, Vec<Stated>)> = articles
        .par_iter()
        .zip(read)
        .enumerate()
        .map(|(ai, (a, r))| {
            let r = r.at(ai);
            (place_article(ai, a, r.typed), r.statements)
        })
        .collect();
    let mut placed = Vec::new();
    let mut statements = Vec::new();
    for (p, s) in per_article {
        placed.extend(p);
        statements.extend(s);
    }
    (placed, statements)
}

/// The typed claims of article `ai`, with ids and origins; a claim read twice is kept once.
fn place_article(ai: usize, a: &Article, raws: Vec<RawClaim>) -> Vec<Placed> {
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut placed = Vec::new();
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
            modality: raw.modality,
            negated: raw.negated,
            article: a.id.clone(),
            start: raw.start,
            end: raw.end,
            quote: a.text[raw.start..raw.end].to_string(),
        };
        let origin = match &raw.agency {
            Some(ag) => format!("agency:{ag}"),
            None => a.independent().to_string(),
        };
        placed.push(Placed {
            raw,
            claim,
            origin,
            article: ai,
        });
    }
    placed
}

#[cfg(test)]
mod tests;
