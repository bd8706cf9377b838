//! Entity linking against a hand-made gold: who is who among the person mentions of some
//! BASIL events, scored with B-cubed.
//!
//! The gold (`eval/entities/basil-dev-people.json`, written by hand for this project) lists,
//! per BASIL article, person mentions as their text and occurrence number in the analysed
//! article's text (`nth`: 0 for the first occurrence of that text), each with the person it
//! names (a label: the same label is the same person in every article). The whole pipeline
//! runs on the gold's events at once, as `crosscheck analyze` would; a gold mention takes the
//! entity of the predicted mention with its span, or else of one overlapping it (none: a
//! cluster of its own). B-cubed
//! precision and recall are averaged over the gold mentions. So the figure measures linking
//! (which mentions are one person), not recognition.
//!
//! `--draft EVENTS` prints a starting point for a new gold: the person mentions the pipeline
//! finds in those events, labelled with the entity it links them to, to be corrected by hand.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::claims::{BasilInput, analyze_input, basil_events};
use crate::stories::EvalError;

/// The hand-made gold.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Gold {
    #[serde(default)]
    pub note: String,
    pub articles: Vec<GoldArticle>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GoldArticle {
    /// The BASIL file, relative to the BASIL directory (`2012/<triplet>_1.json`).
    pub file: String,
    pub mentions: Vec<GoldMention>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GoldMention {
    pub text: String,
    /// Which occurrence of `text` in the article's text (from 0).
    #[serde(default)]
    pub nth: usize,
    /// The person it names.
    pub person: String,
}

/// B-cubed figures and the mentions that missed.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub articles: usize,
    pub mentions: usize,
    pub people: usize,
    /// Gold mentions with a predicted mention of the same span (or overlapping it).
    pub found: usize,
    pub precision: f64,
    pub recall: f64,
    /// Pairs of one person's mentions linked apart, and of two people's linked together.
    pub split: Vec<String>,
    pub merged: Vec<String>,
}

impl Report {
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision, self.recall);
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "articles {} person mentions {} people {} found by the recogniser {}",
            self.articles, self.mentions, self.people, self.found
        )?;
        writeln!(
            f,
            "B-cubed P {:.3} R {:.3} F1 {:.3}",
            self.precision,
            self.recall,
            self.f1()
        )?;
        for s in &self.split {
            writeln!(f, "split: {s}")?;
        }
        for m in &self.merged {
            writeln!(f, "merged: {m}")?;
        }
        Ok(())
    }
}

pub fn read_gold(path: &Path) -> Result<Gold, EvalError> {
    let s = std::fs::read_to_string(path).map_err(|e| EvalError::Io(path.to_path_buf(), e))?;
    serde_json::from_str(&s).map_err(|e| EvalError::Json(path.to_path_buf(), e))
}

/// The event (triplet) of a BASIL file path.
fn event_of(file: &str) -> &str {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.rsplit_once('_').map(|(t, _)| t).unwrap_or(name)
}

/// Analyses the gold's events and scores the gold's mentions.
pub fn run(gold_path: &Path, basil: &Path) -> Result<Report, EvalError> {
    let gold = read_gold(gold_path)?;
    let events: BTreeSet<&str> = gold.articles.iter().map(|a| event_of(&a.file)).collect();
    let input = basil_events(events, basil)?;
    let analysis = analyze_input(&input)?;
    Ok(score(&gold, &input, &analysis))
}

/// The analysed article of each input file (line order is file order).
fn articles_by_file<'a>(
    input: &BasilInput,
    analysis: &'a pipeline::Analysis,
) -> HashMap<String, &'a model::Article> {
    let mut out = HashMap::new();
    for (file, doc) in input.files.iter().zip(&analysis.documents) {
        if let Some(a) = doc
            .articles
            .first()
            .and_then(|id| analysis.articles.iter().find(|a| &a.id == id))
        {
            out.insert(file.clone(), a);
        }
    }
    out
}

/// The byte span of the `nth` occurrence of `text` in `hay`.
fn nth_span(hay: &str, text: &str, nth: usize) -> Option<(usize, usize)> {
    let start = hay.match_indices(text).nth(nth)?.0;
    Some((start, start + text.len()))
}

/// One gold mention as scored: its person and the predicted cluster it fell in.
struct Scored {
    person: String,
    predicted: String,
    what: String,
}

pub fn score(gold: &Gold, input: &BasilInput, analysis: &pipeline::Analysis) -> Report {
    let by_file = articles_by_file(input, analysis);
    let mut scored = Vec::new();
    let mut found = 0;
    for (ai, ga) in gold.articles.iter().enumerate() {
        let art = by_file.get(&ga.file);
        for (mi, m) in ga.mentions.iter().enumerate() {
            let span = art.and_then(|a| nth_span(&a.text, &m.text, m.nth));
            // The predicted mention of the same span, else one inside it or around it (the
            // recogniser may leave a courtesy title out: "Mr. Morell" / "Morell").
            let predicted = span.and_then(|(s, e)| {
                let a = art?;
                let exact = a.mentions.iter().find(|x| x.start == s && x.end == e);
                let overlap = || a.mentions.iter().find(|x| x.start < e && s < x.end);
                exact.or_else(overlap).map(|x| x.entity.clone())
            });
            found += predicted.is_some() as usize;
            scored.push(Scored {
                person: m.person.clone(),
                predicted: predicted.unwrap_or_else(|| format!("unfound {ai}:{mi}")),
                what: format!("{} ({} #{})", m.text, ga.file, m.nth),
            });
        }
    }
    let mut r = b_cubed(&scored);
    r.articles = gold.articles.len();
    r.mentions = scored.len();
    r.people = scored
        .iter()
        .map(|s| s.person.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    r.found = found;
    r
}

/// B-cubed over the scored mentions, with one example of each kind of error per person pair.
fn b_cubed(scored: &[Scored]) -> Report {
    let mut r = Report::default();
    let (mut p, mut rc) = (0.0, 0.0);
    let mut seen_split = BTreeSet::new();
    let mut seen_merged = BTreeSet::new();
    for a in scored {
        let same_pred: Vec<&Scored> = scored
            .iter()
            .filter(|b| b.predicted == a.predicted)
            .collect();
        let same_gold: Vec<&Scored> = scored.iter().filter(|b| b.person == a.person).collect();
        let both = same_pred.iter().filter(|b| b.person == a.person).count() as f64;
        p += both / same_pred.len() as f64;
        rc += both / same_gold.len() as f64;
        for b in same_pred.iter().filter(|b| b.person != a.person) {
            if seen_merged.insert((a.person.clone(), b.person.clone())) && a.person < b.person {
                r.merged.push(format!(
                    "{} [{}] with {} [{}]",
                    a.what, a.person, b.what, b.person
                ));
            }
        }
        for b in same_gold.iter().filter(|b| b.predicted != a.predicted) {
            if seen_split.insert(a.person.clone()) {
                r.split
                    .push(format!("{} apart from {} [{}]", a.what, b.what, a.person));
            }
        }
    }
    let n = scored.len().max(1) as f64;
    r.precision = p / n;
    r.recall = rc / n;
    r
}

/// A draft gold for `events`: every person mention the pipeline finds, labelled with the
/// canonical name of its entity (to be corrected by hand).
pub fn draft(events: &[String], basil: &Path) -> Result<String, EvalError> {
    let input = basil_events(events.iter().map(String::as_str), basil)?;
    let analysis = analyze_input(&input)?;
    let names: HashMap<&str, &str> = analysis
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.name.as_str()))
        .collect();
    let mut gold = Gold {
        note: "draft: correct each person by hand".into(),
        articles: Vec::new(),
    };
    for (file, a) in articles_by_file(&input, &analysis) {
        let mut mentions = Vec::new();
        for m in a
            .mentions
            .iter()
            .filter(|m| m.kind == model::EntityKind::Person)
        {
            let text = &a.text[m.start..m.end];
            let nth = a.text[..m.start].matches(text).count();
            let person = names
                .get(m.entity.as_str())
                .copied()
                .unwrap_or("?")
                .to_string();
            mentions.push(GoldMention {
                text: text.to_string(),
                nth,
                person,
            });
        }
        gold.articles.push(GoldArticle { file, mentions });
    }
    gold.articles.sort_by(|x, y| x.file.cmp(&y.file));
    serde_json::to_string_pretty(&gold).map_err(|e| EvalError::Json("draft".into(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(person: &str, predicted: &str) -> Scored {
        Scored {
            person: person.into(),
            predicted: predicted.into(),
            what: String::new(),
        }
    }

    #[test]
    fn b_cubed_counts_splits_and_merges() {
        let perfect = b_cubed(&[s("a", "1"), s("a", "1"), s("b", "2")]);
        assert_eq!((perfect.precision, perfect.recall), (1.0, 1.0));
        // One person split in two: precision stays, recall drops.
        let split = b_cubed(&[s("a", "1"), s("a", "2")]);
        assert_eq!((split.precision, split.recall), (1.0, 0.5));
        assert_eq!(split.split.len(), 1);
        // Two people merged: recall stays, precision drops.
        let merged = b_cubed(&[s("a", "1"), s("b", "1")]);
        assert_eq!((merged.precision, merged.recall), (0.5, 1.0));
        assert_eq!(merged.merged.len(), 1);
    }

    #[test]
    fn mentions_are_found_by_occurrence() {
        let text = "Goldin said. Leah Goldin told. Goldin recalled.";
        assert_eq!(nth_span(text, "Goldin", 0), Some((0, 6)));
        assert_eq!(nth_span(text, "Goldin", 2), Some((31, 37)));
        assert_eq!(nth_span(text, "Goldin", 3), None);
    }
}
