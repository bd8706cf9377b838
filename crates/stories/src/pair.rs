//! The learned pairwise event model: how likely two articles report the same happening.
//!
//! [`Signals`] is what the model reads of one article (its weighed vector, headline terms,
//! day and year estimates, kind of happening, most named entities, the numbers of its lead);
//! [`features`] turns two of them into typed features (cosine, headline overlap, day gap,
//! same year, same or other happening, shared top entities, shared lead numbers) and
//! [`probability`] weighs them with [`WEIGHTS`], a logistic regression trained on the pairs
//! of half A of ECB+ and BASIL (`crates/eval/examples/learn_events.rs` rebuilds it and prints
//! this constant). [`crate::Clusterer::settle`] merges two events of a batch when the mean
//! probability over pairs of their articles, times the publication and happening factors,
//! reaches `StoryConfig::pair_threshold` ([`MERGE_PROBABILITY`] by default): plain cosine
//! cannot tell two sub-events of one topic from halves of one event, the year and the
//! headline can. The happening factor stays because the training sets hold few distinct
//! events of one day with the same actors, which real news is full of.

use model::Article;

/// What the pairwise model reads of one article.
#[derive(Debug, Clone, Default)]
pub struct Signals {
    /// The article's unit TF-IDF vector, sorted by term hash.
    pub vector: Vec<(u64, f32)>,
    /// Hashes of its headline terms, sorted.
    pub title_terms: Vec<u64>,
    /// Its day estimate (days since 0001-01-01).
    pub day: Option<i32>,
    /// The year of its day, else the latest year its text mentions.
    pub year: Option<i32>,
    pub happening: Option<&'static str>,
    /// Hashes of its three most mentioned linked entities.
    pub top_entities: Vec<u64>,
    /// Hashes of all its linked entities, sorted.
    pub entities: Vec<u64>,
    /// Values of the quantities its lead states (years excluded).
    pub lead_numbers: Vec<f64>,
}

/// Number of features (the first is the constant 1).
pub const FEATURES: usize = 13;

/// Learned weights of [`features`] (logistic regression; see the module documentation).
pub const WEIGHTS: [f32; FEATURES] = [
    -7.33, 8.45, 9.80, 4.92, 0.67, -0.39, 1.99, -0.14, 0.18, 0.10, 1.74, 0.35, -0.64,
];

/// Least mean probability (times the publication factor) for two events to merge when a
/// batch settles: chosen on half A of ECB+ with BASIL.
pub const MERGE_PROBABILITY: f32 = 0.6;

/// Pairs with less cosine than this are not learned from (the clusterer never compares
/// them): they teach nothing about the hard pairs.
pub const PAIR_FLOOR: f32 = 0.05;

impl Signals {
    /// The signals of `a` given its vector and its extracted features.
    pub(crate) fn of(a: &Article, f: &crate::features::Features, vector: Vec<(u64, f32)>) -> Self {
        let lead = crate::features::lead_end(a);
        let mut ranked: Vec<(&String, u32)> = f.entities.iter().map(|(e, n)| (e, *n)).collect();
        ranked.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
        let top_entities = ranked
            .iter()
            .take(3)
            .map(|(e, _)| crate::text::entity_hash(e))
            .collect();
        let mut entities: Vec<u64> = f
            .entities
            .iter()
            .map(|(e, _)| crate::text::entity_hash(e))
            .collect();
        entities.sort_unstable();
        Signals {
            vector,
            // Already sorted by hash.
            title_terms: f.title_terms.iter().map(|t| t.0).collect(),
            day: f.day,
            year: f.year_estimate(),
            happening: f.happening,
            top_entities,
            entities,
            lead_numbers: a
                .quantities
                .iter()
                .filter(|q| q.start < lead && !(1900.0..2100.0).contains(&q.value))
                .map(|q| q.value)
                .collect(),
        }
    }
}

/// The features of a pair of articles, in the order of [`WEIGHTS`].
pub fn features(a: &Signals, b: &Signals) -> [f32; FEATURES] {
    let c = crate::vectors::dot(&a.vector, &b.vector).max(0.0);
    let (both_day, day_gap) = match (a.day, b.day) {
        (Some(x), Some(y)) => (1.0, ((x - y).abs() as f32).ln_1p()),
        _ => (0.0, 0.0),
    };
    let (same_year, year_gap) = match (a.year, b.year) {
        (Some(x), Some(y)) => (flag(x == y), (x - y).abs().min(5) as f32),
        _ => (0.0, 0.0),
    };
    let (same_happening, other_happening) = match (a.happening, b.happening) {
        (Some(x), Some(y)) => (flag(x == y), flag(x != y)),
        _ => (0.0, 0.0),
    };
    let (shared_numbers, no_shared_number) = numbers(&a.lead_numbers, &b.lead_numbers);
    [
        1.0,
        c,
        c.sqrt(),
        jaccard(&a.title_terms, &b.title_terms),
        both_day,
        day_gap,
        same_year,
        year_gap,
        same_happening,
        other_happening,
        top_named(a, b) * top_named(b, a),
        shared_numbers,
        no_shared_number,
    ]
}

/// The model's probability that `a` and `b` report the same happening.
pub fn probability(a: &Signals, b: &Signals) -> f32 {
    let z: f32 = features(a, b).iter().zip(WEIGHTS).map(|(x, w)| x * w).sum();
    1.0 / (1.0 + (-z).exp())
}

fn flag(b: bool) -> f32 {
    if b { 1.0 } else { 0.0 }
}

/// Jaccard overlap of two sorted hash lists.
fn jaccard(a: &[u64], b: &[u64]) -> f32 {
    let inter = a.iter().filter(|t| b.binary_search(t).is_ok()).count() as f32;
    let union = (a.len() + b.len()) as f32 - inter;
    if union > 0.0 { inter / union } else { 0.0 }
}

/// Share of `a`'s top entities that `b` names (0.5 when `a` names none).
fn top_named(a: &Signals, b: &Signals) -> f32 {
    if a.top_entities.is_empty() {
        return 0.5;
    }
    let named = (a.top_entities.iter())
        .filter(|e| b.entities.binary_search(e).is_ok())
        .count();
    named as f32 / a.top_entities.len() as f32
}

/// Numbers both leads state (at most 3), and whether two leads with numbers share none.
fn numbers(a: &[f64], b: &[f64]) -> (f32, f32) {
    if a.is_empty() || b.is_empty() {
        return (0.0, 0.0);
    }
    let shared = a.iter().filter(|x| b.contains(x)).count();
    (shared.min(3) as f32, flag(shared == 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(terms: &[(u64, f32)], title: &[u64], year: i32) -> Signals {
        let norm = terms.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
        Signals {
            vector: terms.iter().map(|&(t, w)| (t, w / norm)).collect(),
            title_terms: title.to_vec(),
            year: Some(year),
            ..Default::default()
        }
    }

    #[test]
    fn the_same_words_in_the_same_year_score_higher_than_in_another_year() {
        let a = signals(&[(1, 1.0), (2, 1.0), (3, 0.5)], &[1, 2], 2008);
        let same = signals(&[(1, 1.0), (2, 0.8), (4, 0.5)], &[1, 2], 2008);
        let other = signals(&[(1, 1.0), (2, 0.8), (4, 0.5)], &[1, 2], 2013);
        assert!(probability(&a, &same) > probability(&a, &other));
        // Nothing in common: unlikely one happening.
        let apart = signals(&[(7, 1.0), (8, 1.0)], &[7], 2008);
        assert!(probability(&a, &apart) < 0.05);
    }
}
