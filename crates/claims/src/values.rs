//! Typed values inside statements, and when two aligned statements disagree on one.
//!
//! A [`Slot`] is a number or a date in a statement together with the word it belongs to in
//! the parse (its *anchor*): the noun a number counts ("$5,587.75 vacation", "1.5 million
//! women"), the happening a date dates (the predicate of its clause, or the noun it
//! modifies: "the debate on Tuesday"). Two statements of one event that the aligner is sure
//! state one fact, from different origins, disagree when they hold slots of one kind with the
//! same anchor whose values are incompatible ([`crate::compat`]) and neither statement also
//! states the other's value. Counts must also share their clause's predicate and subject.
//!
//! Places are not compared: on the dev gold no place disagreement was found this way, while
//! on ECB+ nearly every one was a street, a district or a neighbouring town of the other
//! (where both can be true).

use model::Article;
use serde_json::Value;
use syntax::Deprel;

use crate::compat::{self, Relation};
use crate::frames::Parsed;
use crate::statement::Statement;

/// What kind of value a slot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Number,
    Date,
    /// The scope of a superlative: "the country's largest retailer" (value "country", anchor
    /// "large retailer") against "the world's largest retailer".
    Scope,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Number => "number",
            Kind::Date => "date",
            Kind::Scope => "scope",
        }
    }
}

/// A typed value with the word it belongs to.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Slot {
    pub kind: Kind,
    /// Byte span of the value.
    pub start: usize,
    pub end: usize,
    /// Byte span of the value with its anchor (the claim's quote).
    pub quote_start: usize,
    pub quote_end: usize,
    /// A number or a TimeML value.
    pub value: Value,
    /// Numbers: exact / approximate / at_least / at_most; dates: the TimeML mod.
    pub qualifier: Option<String>,
    /// Numbers: the unit (currency, %, measure word).
    pub unit: Option<String>,
    /// Lemma of the anchor word.
    pub anchor: String,
    /// The anchor is a reporting verb ("said Thursday", "tweeted on Friday").
    pub reporting: bool,
    /// Numbers: the lemma of the clause's predicate and of its subject (entity id where a
    /// mention covers it), when the parse gives them.
    pub predicate: Option<String>,
    pub subject: Option<String>,
    /// Numbers: entities attached to the number or the noun it counts, sorted.
    pub entities: Vec<String>,
}

/// The slots of statement `s` of article `a`, read off its parse.
pub fn slots(a: &Article, s: &Statement, p: &Parsed) -> Vec<Slot> {
    let inside = |x: usize, y: usize| x >= s.start && y <= s.end;
    let mut out = Vec::new();
    for q in a.quantities.iter().filter(|q| inside(q.start, q.end)) {
        let Some(h) = p.head_of(q.start, q.end) else {
            continue;
        };
        // A number compares with another through the thing it counts ("21 percent" and "14
        // percent" of what? a unit alone names no slot) or a name attached to it ("$5,687.75
        // on Martha's Vineyard Holistic Retreat").
        let clause = p.predicate_of(h);
        let counted_word = q
            .counts
            .as_deref()
            .and_then(|c| c.split_whitespace().last())
            .map(crate::lexicon::lemma);
        // A count of times belongs to what was done that often ("misspoke twice", "several
        // times").
        let times = counted_word.as_deref() == Some("time");
        let anchor = match counted_word {
            Some(_) if times => clause.map(|c| format!("times {}", p.toks[c].lemma)),
            w => w.filter(|a| !is_measure_word(a)),
        };
        let counted = p.toks[h]
            .head
            .filter(|&g| anchor.as_deref() == Some(p.toks[g].lemma.as_str()));
        let attached = attached_entities(a, p, s, [Some(h), counted]);
        if anchor.is_none() && attached.is_empty() {
            continue;
        }
        let subject = clause.and_then(|c| p.subject(c)).map(|t| {
            let tok = &p.toks[t];
            a.mentions
                .iter()
                .find(|m| m.start <= tok.start && tok.end <= m.end)
                .map(|m| m.entity.clone())
                .unwrap_or_else(|| tok.lemma.clone())
        });
        let mut sl = slot(
            Kind::Number,
            (q.start, q.end),
            counted
                .or(clause.filter(|_| times))
                .map(|g| (p.toks[g].start, p.toks[g].end)),
            number_value(q.value),
            Some(qualifier(q.qualifier).to_string()),
            q.unit.clone(),
            anchor.unwrap_or_default(),
        );
        sl.predicate = clause.map(|c| p.toks[c].lemma.clone());
        sl.subject = subject;
        sl.entities = attached;
        out.push(sl);
    }
    for t in a.timexes.iter().filter(|t| inside(t.start, t.end)) {
        let Some(value) = t.value.as_deref() else {
            continue;
        };
        let datable =
            t.kind == model::TimexType::Date && value.starts_with(|c: char| c.is_ascii_digit());
        if !datable || t.anchor_from == Some(model::AnchorFrom::Inferred) {
            continue;
        }
        let Some(h) = p.head_of(t.start, t.end) else {
            continue;
        };
        let Some(g) = date_anchor(p, h) else { continue };
        out.push(slot(
            Kind::Date,
            (t.start, t.end),
            Some((p.toks[g].start, p.toks[g].end)),
            Value::String(value.to_string()),
            t.modifier.clone(),
            None,
            p.toks[g].lemma.clone(),
        ));
    }
    out.extend(superlative_scopes(a, p, s));
    out
}

/// Superlatives with the scope they hold in: "the country's largest retailer", "the biggest
/// employer in the world". The anchor is the adjective's and the noun's lemmas; the unit
/// says whether the scope is a common noun or a name, which never compare ("the country's
/// highest peak" may be New Zealand's).
fn superlative_scopes(a: &Article, p: &Parsed, s: &Statement) -> Vec<Slot> {
    use syntax::Upos;
    let mut out = Vec::new();
    for (i, t) in p.toks.iter().enumerate() {
        let inflected = t.lower.ends_with("est") && t.lemma != t.lower;
        let with_most = p.children(i).iter().any(|&c| p.toks[c].lower == "most");
        if t.upos != Upos::Adj || t.rel != Deprel::Amod || !(inflected || with_most) {
            continue;
        }
        let Some(n) = t.head.filter(|&n| matches!(p.toks[n].upos, Upos::Noun)) else {
            continue;
        };
        let scope = p.children(n).iter().copied().find(|&c| {
            let in_phrase = p.toks[c].rel == Deprel::Nmod
                && p.children(c).iter().any(|&k| p.toks[k].lower == "in");
            p.toks[c].rel == Deprel::NmodPoss || in_phrase
        });
        let Some(c) = scope.filter(|&c| matches!(p.toks[c].upos, Upos::Noun | Upos::Propn)) else {
            continue;
        };
        let (from, to) = (
            p.toks[c].start.min(t.start),
            p.toks[c].end.max(p.toks[n].end),
        );
        if from < s.start || to > s.end {
            continue;
        }
        let (value, class) = match p.toks[c].upos {
            Upos::Propn => (scope_name(a, p.toks[c].start, p.toks[c].end), "name"),
            _ => (p.toks[c].lemma.clone(), "common"),
        };
        out.push(slot(
            Kind::Scope,
            (p.toks[c].start, p.toks[c].end),
            Some((from, to)),
            Value::String(value),
            None,
            Some(class.to_string()),
            format!("{} {}", t.lemma, p.toks[n].lemma),
        ));
    }
    out
}

/// The name covering a token: its mention's text, else the token's.
fn scope_name(a: &Article, start: usize, end: usize) -> String {
    let m = a.mentions.iter().find(|m| m.start <= start && end <= m.end);
    m.map_or(&a.text[start..end], |m| &a.text[m.start..m.end])
        .to_string()
}

/// Entities of the statement whose head word is a prepositional modifier of one of `heads`.
fn attached_entities(
    a: &Article,
    p: &Parsed,
    s: &Statement,
    heads: [Option<usize>; 2],
) -> Vec<String> {
    let mut out: Vec<String> = a
        .mentions
        .iter()
        .filter(|m| m.start >= s.start && m.end <= s.end)
        .filter(|m| {
            // A name in a prepositional phrase ("on", "at" the retreat): a modifier
            // ("Somali pirates") says whose, not which.
            p.head_of(m.start, m.end).is_some_and(|t| {
                matches!(p.toks[t].rel, Deprel::Nmod | Deprel::Obl)
                    && p.toks[t].head.is_some_and(|g| heads.contains(&Some(g)))
            })
        })
        .map(|m| m.entity.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Words that measure rather than count ("percent", "points"): no slot on their own.
fn is_measure_word(lemma: &str) -> bool {
    matches!(
        lemma,
        "percent"
            | "%"
            | "percentage"
            | "point"
            | "dollar"
            | "cent"
            | "time"
            | "year"
            | "month"
            | "week"
            | "day"
            | "hour"
            | "minute"
    )
}

fn slot(
    kind: Kind,
    span: (usize, usize),
    anchor_span: Option<(usize, usize)>,
    value: Value,
    qualifier: Option<String>,
    unit: Option<String>,
    anchor: String,
) -> Slot {
    let (qs, qe) = match anchor_span {
        Some((s, e)) => (span.0.min(s), span.1.max(e)),
        None => span,
    };
    Slot {
        kind,
        start: span.0,
        end: span.1,
        quote_start: qs,
        quote_end: qe,
        value,
        qualifier,
        unit,
        reporting: crate::lexicon::REPORTING.contains(&anchor.as_str()) || anchor == "tweet",
        predicate: None,
        subject: None,
        entities: Vec::new(),
        anchor,
    }
}

/// The happening a date belongs to: the noun it modifies ("Tuesday's debate", "the Sept. 11
/// attack") or the predicate of its clause.
fn date_anchor(p: &Parsed, h: usize) -> Option<usize> {
    use syntax::{Deprel, Upos};
    let head = p.toks[h].head?;
    let modifies_noun = matches!(
        p.toks[h].rel,
        Deprel::Compound | Deprel::NmodPoss | Deprel::Nmod | Deprel::NmodTmod | Deprel::Amod
    ) && matches!(p.toks[head].upos, Upos::Noun | Upos::Propn);
    if modifies_noun {
        Some(head)
    } else {
        p.predicate_of(head)
    }
}

fn number_value(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        serde_json::json!(v as i64)
    } else {
        serde_json::json!(v)
    }
}

fn qualifier(q: model::Qualifier) -> &'static str {
    match q {
        model::Qualifier::Exact => "exact",
        model::Qualifier::Approximate => "approximate",
        model::Qualifier::AtLeast => "at_least",
        model::Qualifier::AtMost => "at_most",
        model::Qualifier::Vague => "vague",
    }
}

/// Whether two slots belong to one word: the same anchor lemma, or two reporting verbs
/// ("said Thursday" / "tweeted on Friday": when someone spoke). Looser tests (the anchor
/// appearing anywhere in the other statement) tripled the false alarms on the dev gold.
fn same_anchor(x: &Slot, y: &Slot) -> bool {
    if x.kind == Kind::Number {
        // Counts of one noun differ by whose they are and what happened to them ("ten
        // killed", "five injured"; the Red Sox's $200 million offer and the Nationals' $160
        // million one): both clauses must have one predicate and one known subject. Or the
        // two amounts are attached to one name ("$5,687.75 on" / "a $5,587.75 vacation at"
        // the Martha's Vineyard Holistic Retreat).
        let same_count = !x.anchor.is_empty()
            && x.anchor == y.anchor
            && x.predicate.is_some()
            && x.predicate == y.predicate
            && x.subject.is_some()
            && x.subject == y.subject;
        let same_name = x.entities.iter().any(|e| y.entities.contains(e));
        return same_count || same_name;
    }
    x.anchor == y.anchor || (x.reporting && y.reporting)
}

/// How two slots with one anchor relate, or `None` when they are not one slot.
pub fn relate(x: &Slot, y: &Slot) -> Option<Relation> {
    if x.kind != y.kind || x.unit != y.unit || !same_anchor(x, y) {
        return None;
    }
    Some(compat::relate(
        x.kind.as_str(),
        &x.value,
        x.qualifier.as_deref(),
        &y.value,
        y.qualifier.as_deref(),
    ))
}

/// The worst disagreement between the slots of two statements: a pair of slots with one
/// anchor and incompatible values, where neither statement also holds a value compatible
/// with the other's.
pub fn disagreement(xs: &[Slot], ys: &[Slot]) -> Option<(usize, usize, Relation)> {
    let agrees_with = |s: &Slot, others: &[Slot]| {
        others
            .iter()
            .any(|o| relate(s, o) == Some(Relation::Compatible))
    };
    let mut worst: Option<(usize, usize, Relation)> = None;
    for (i, x) in xs.iter().enumerate() {
        if agrees_with(x, ys) {
            continue;
        }
        for (j, y) in ys.iter().enumerate() {
            let Some(r) = relate(x, y) else {
                continue;
            };
            if r == Relation::Compatible || agrees_with(y, xs) {
                continue;
            }
            let better = match worst {
                None => true,
                Some((_, _, w)) => w == Relation::Soft && r == Relation::Hard,
            };
            if better {
                worst = Some((i, j, r));
            }
        }
    }
    worst
}
