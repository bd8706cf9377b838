//! Alignment: which statements of different origins state the same fact.
//!
//! 1. [`candidates`]: within one thread, statements of different origins that share rare
//!    terms or entities (an inverted index; each statement keeps its best few partners, so the
//!    work grows with the thread's size, not its square).
//! 2. [`features`]: what two statements share (weighted lemmas, entities, numbers, dates,
//!    quoted words), how alike their length and place in the article are.
//! 3. [`Aligner`]: a logistic model over the features, trained by our own code
//!    ([`Aligner::train`]) on pairs of sentences that a hand-read gold says state one fact;
//!    the shipped weights are `models/claims/aligner.json`.
//! 4. [`group`]: pairs above the aligner's threshold join, most probable first, into groups
//!    holding at most one statement per article (an article states a fact once) whose
//!    members are all aligned with each other (no chains of loosely related sentences). A
//!    sentence stating several facts can stand in several groups, one per fact it shares
//!    with other articles.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::statement::{Statement, shared};

/// Names of the pair features, in order.
pub const FEATURES: &[&str] = &[
    "cosine",
    "jaccard",
    "shared_entities",
    "shared_entity_weight",
    "shared_rare_terms",
    "shared_bigrams",
    "shared_numbers",
    "shared_dates",
    "shared_quoted",
    "length_ratio",
    "position_gap",
    "both_lead",
    "shared_weight",
    "containment",
    "negation_differs",
    "shared_predicates",
    "shared_subjects",
    "shared_objects",
];

/// Number of pair features.
pub const NF: usize = 18;

/// Statements assumed seen besides the run's, holding none of its terms: in a run of two
/// reports every shared word is "in every statement" and would weigh nothing, while the
/// aligner's weights expect the IDF of a run of thousands. Chosen by cross-validation on the
/// dev gold (0: 289/423 corroborated, 100: 290, 300: 293, 1,000: 292).
const IDF_PRIOR: f32 = 300.0;

/// Inverse document frequencies of terms over the statements of one scope (a thread): a
/// scope's pairs depend on its own statements only, so a thread's judgement is the same
/// whatever else the run or the store holds.
#[derive(Debug, Default)]
pub struct Idf {
    df: FxHashMap<u64, u32>,
    n: f32,
}

impl Idf {
    pub fn new<'a>(statements: impl IntoIterator<Item = &'a Statement>) -> Idf {
        let mut df: FxHashMap<u64, u32> = FxHashMap::default();
        let mut n = 0usize;
        for s in statements {
            n += 1;
            for t in s.terms.iter().chain(&s.entities) {
                *df.entry(*t).or_default() += 1;
            }
        }
        Idf { df, n: n as f32 }
    }

    pub fn of(&self, t: u64) -> f32 {
        let df = self.df.get(&t).copied().unwrap_or(0) as f32;
        ((self.n + 1.0 + IDF_PRIOR) / (df + 1.0)).ln()
    }

    fn weight(&self, terms: &[u64]) -> f32 {
        terms
            .iter()
            .map(|&t| self.of(t).powi(2))
            .sum::<f32>()
            .sqrt()
    }
}

/// Terms of `a` also in `b` (both sorted).
fn common(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// A term is rare enough to be evidence on its own above this idf.
const RARE_IDF: f32 = 4.0;

/// The features of a pair of statements, given the IDF norms of both statements' terms
/// (computed once per statement, which meets many partners).
pub fn features(a: &Statement, b: &Statement, idf: &Idf, na: f32, nb: f32) -> [f32; NF] {
    let terms: Vec<f32> = common(&a.terms, &b.terms)
        .into_iter()
        .map(|t| idf.of(t))
        .collect();
    let ents = common(&a.entities, &b.entities);
    let dot: f32 = terms.iter().map(|w| w * w).sum();
    let norm = na * nb;
    let union = a.terms.len() + b.terms.len() - terms.len();
    let small = a.terms.len().min(b.terms.len()).max(1);
    let (la, lb) = (a.tokens as f32, b.tokens as f32);
    [
        if norm > 0.0 { dot / norm } else { 0.0 },
        terms.len() as f32 / union.max(1) as f32,
        ents.len().min(4) as f32,
        ents.iter().map(|&e| idf.of(e)).sum(),
        terms.iter().filter(|&&w| w > RARE_IDF).count().min(8) as f32,
        shared(&a.bigrams, &b.bigrams).min(5) as f32,
        shared(&a.numbers, &b.numbers).min(2) as f32,
        shared(&a.dates, &b.dates).min(2) as f32,
        shared(&a.quoted, &b.quoted).min(5) as f32,
        la.min(lb) / la.max(lb).max(1.0),
        (a.position - b.position).abs(),
        (a.sentence.min(b.sentence) < 3) as u8 as f32,
        terms.iter().sum(),
        terms.len() as f32 / small as f32,
        (a.negated != b.negated) as u8 as f32,
        shared(&a.predicates, &b.predicates).min(3) as f32,
        shared(&a.subjects, &b.subjects).min(3) as f32,
        shared(&a.objects, &b.objects).min(3) as f32,
    ]
}

/// A candidate pair: indices into the statements, and its features.
#[derive(Debug, Clone)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub features: [f32; NF],
}

/// Partners each statement keeps, by shared term weight.
const PARTNERS: usize = 24;

/// A term shared by more statements of a scope than this says nothing about any pair.
const MAX_POSTINGS: usize = 400;

/// Candidate pairs of statements: same scope (thread), different origins, sharing a term or
/// an entity; each statement keeps its [`PARTNERS`] best partners.
pub fn candidates(statements: &[Statement], scope: &[Option<u32>], origin: &[u32]) -> Vec<Pair> {
    let mut by_scope: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, s) in scope.iter().enumerate() {
        if let Some(s) = s {
            by_scope.entry(*s).or_default().push(i);
        }
    }
    let mut scopes: Vec<(u32, Vec<usize>)> = by_scope.into_iter().collect();
    scopes.sort_unstable_by_key(|(k, _)| *k);
    // Scopes are independent, and so is each statement's choice of partners: in parallel,
    // then concatenated in scope order (the output does not depend on the thread count).
    scopes
        .par_iter()
        .flat_map_iter(|(_, members)| scope_candidates(statements, members, origin))
        .collect()
}

fn scope_candidates(statements: &[Statement], members: &[usize], origin: &[u32]) -> Vec<Pair> {
    let idf = &Idf::new(members.iter().map(|&i| &statements[i]));
    // Postings hold positions in `members` (ascending, as `members` is), so a statement's
    // partners are tallied in a dense array.
    let mut postings: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (li, &i) in members.iter().enumerate() {
        let s = &statements[i];
        for &t in s.terms.iter().chain(&s.entities) {
            postings.entry(t).or_default().push(li as u32);
        }
    }
    let scope = Scope {
        statements,
        members,
        postings: &postings,
        origin,
        idf,
    };
    let mut kept: Vec<(usize, usize)> = (0..members.len())
        .into_par_iter()
        .map_init(
            || Tally::new(members.len()),
            |tally, li| scope.best_partners(li, tally),
        )
        .flatten_iter()
        .collect();
    kept.sort_unstable();
    kept.dedup();
    let norm: FxHashMap<usize, f32> = members
        .iter()
        .map(|&i| (i, idf.weight(&statements[i].terms)))
        .collect();
    kept.into_par_iter()
        .map(|(a, b)| Pair {
            a,
            b,
            features: features(&statements[a], &statements[b], idf, norm[&a], norm[&b]),
        })
        .collect()
}

/// One scope's statements with their postings and term weights.
struct Scope<'a> {
    statements: &'a [Statement],
    members: &'a [usize],
    postings: &'a FxHashMap<u64, Vec<u32>>,
    origin: &'a [u32],
    idf: &'a Idf,
}

/// Shared term weight of one statement with each member of its scope, and which were touched.
struct Tally {
    mass: Vec<f32>,
    on: Vec<bool>,
    touched: Vec<u32>,
}

impl Tally {
    fn new(n: usize) -> Tally {
        Tally {
            mass: vec![0.0; n],
            on: vec![false; n],
            touched: Vec::new(),
        }
    }
}

impl Scope<'_> {
    /// The [`PARTNERS`] statements of other origins sharing the most term weight with
    /// member `li`, as ordered pairs of statement indices.
    fn best_partners(&self, li: usize, tally: &mut Tally) -> Vec<(usize, usize)> {
        let i = self.members[li];
        let s = &self.statements[i];
        for &t in s.terms.iter().chain(&s.entities) {
            let Some(list) = self.postings.get(&t) else {
                continue;
            };
            if list.len() > MAX_POSTINGS {
                continue;
            }
            let w = self.idf.of(t);
            for &lj in list {
                let lj = lj as usize;
                if self.origin[self.members[lj]] == self.origin[i] {
                    continue;
                }
                if !tally.on[lj] {
                    tally.on[lj] = true;
                    tally.touched.push(lj as u32);
                }
                tally.mass[lj] += w;
            }
        }
        let mut best: Vec<(u32, f32)> = (tally.touched.iter())
            .map(|&lj| (lj, tally.mass[lj as usize]))
            .collect();
        for &lj in &tally.touched {
            tally.mass[lj as usize] = 0.0;
            tally.on[lj as usize] = false;
        }
        tally.touched.clear();
        // Heaviest first, ties to the earlier statement; only the first PARTNERS matter.
        let order = |x: &(u32, f32), y: &(u32, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
        if best.len() > PARTNERS {
            best.select_nth_unstable_by(PARTNERS - 1, order);
            best.truncate(PARTNERS);
        }
        best.iter()
            .map(|&(lj, _)| {
                let j = self.members[lj as usize];
                (i.min(j), i.max(j))
            })
            .collect()
    }
}

/// A logistic model of "these two statements state one fact".
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Aligner {
    /// Feature names, as in [`FEATURES`] (checked on load).
    pub features: Vec<String>,
    /// Standardisation: mean and scale of each feature in the training data.
    pub mean: Vec<f32>,
    pub scale: Vec<f32>,
    pub weights: Vec<f32>,
    pub bias: f32,
    /// Pairs at or above this probability join a group.
    pub threshold: f32,
    /// Pairs at or above this probability are sure enough of stating one fact that their
    /// disagreeing values are reported as a conflict.
    #[serde(default = "default_conflict_threshold")]
    pub conflict_threshold: f32,
    /// How the weights were made (data, folds, date).
    #[serde(default)]
    pub trained_on: String,
}

/// Why an aligner file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AlignerError {
    #[error("aligner model is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("aligner model has features {found:?}, this build computes {expected:?}: retrain it")]
    Features {
        found: Vec<String>,
        expected: Vec<String>,
    },
}

fn default_conflict_threshold() -> f32 {
    0.9
}

static SHIPPED: &str = include_str!("../../../models/claims/aligner.json");

impl Aligner {
    /// The model shipped with crosscheck. Should it not fit this build (features changed
    /// and the model was not retrained; a test guards against shipping that), no pair is
    /// aligned and a warning says how to retrain, so that retraining can run.
    pub fn shipped() -> &'static Aligner {
        static A: std::sync::OnceLock<Aligner> = std::sync::OnceLock::new();
        A.get_or_init(|| {
            Aligner::from_json(SHIPPED).unwrap_or_else(|e| {
                eprintln!(
                    "crosscheck: warning: {e}; statements are not aligned \
                     (retrain: crosscheck eval claims GOLD BASIL --train models/claims/aligner.json)"
                );
                Aligner::untrained()
            })
        })
    }

    /// A model that aligns nothing.
    pub fn untrained() -> Aligner {
        Aligner {
            features: FEATURES.iter().map(|f| f.to_string()).collect(),
            mean: vec![0.0; NF],
            scale: vec![1.0; NF],
            weights: vec![0.0; NF],
            bias: 0.0,
            threshold: 0.3,
            conflict_threshold: default_conflict_threshold(),
            trained_on: "untrained: aligns nothing".into(),
        }
    }

    pub fn from_json(s: &str) -> Result<Aligner, AlignerError> {
        let a: Aligner = serde_json::from_str(s)?;
        let expected: Vec<String> = FEATURES.iter().map(|f| f.to_string()).collect();
        let sizes_ok = a.mean.len() == NF && a.scale.len() == NF && a.weights.len() == NF;
        if a.features != expected || !sizes_ok {
            return Err(AlignerError::Features {
                found: a.features,
                expected,
            });
        }
        Ok(a)
    }

    /// Probability that the pair states one fact (0 for an untrained model).
    pub fn probability(&self, f: &[f32; NF]) -> f32 {
        if self.weights.iter().all(|&w| w == 0.0) && self.bias == 0.0 {
            return 0.0;
        }
        let z: f32 = (0..NF)
            .map(|k| self.weights[k] * (f[k] - self.mean[k]) / self.scale[k])
            .sum::<f32>()
            + self.bias;
        1.0 / (1.0 + (-z).exp())
    }

    /// Fits the model to labelled pairs by Newton's method on the L2-penalised log-loss
    /// (penalty `1 / (2 c)` on the squared weights, as scikit-learn's `C`).
    pub fn train(examples: &[([f32; NF], bool)], c: f64, threshold: f32) -> Aligner {
        let n = examples.len().max(1) as f64;
        let mut mean = [0f64; NF];
        let mut var = [0f64; NF];
        for (f, _) in examples {
            for k in 0..NF {
                mean[k] += f[k] as f64 / n;
            }
        }
        for (f, _) in examples {
            for k in 0..NF {
                var[k] += (f[k] as f64 - mean[k]).powi(2) / n;
            }
        }
        let scale: Vec<f64> = var
            .iter()
            .map(|v| if *v > 1e-12 { v.sqrt() } else { 1.0 })
            .collect();
        let xs: Vec<[f64; NF]> = examples
            .iter()
            .map(|(f, _)| std::array::from_fn(|k| (f[k] as f64 - mean[k]) / scale[k]))
            .collect();
        let ys: Vec<f64> = examples.iter().map(|(_, y)| *y as u8 as f64).collect();
        let w = newton(&xs, &ys, 1.0 / c);
        Aligner {
            features: FEATURES.iter().map(|f| f.to_string()).collect(),
            mean: mean.iter().map(|&m| m as f32).collect(),
            scale: scale.iter().map(|&s| s as f32).collect(),
            weights: w[..NF].iter().map(|&x| x as f32).collect(),
            bias: w[NF] as f32,
            threshold,
            conflict_threshold: default_conflict_threshold(),
            trained_on: String::new(),
        }
    }
}

/// Logistic regression weights (the last one the bias, unpenalised) by Newton's method.
fn newton(xs: &[[f64; NF]], ys: &[f64], lambda: f64) -> Vec<f64> {
    const D: usize = NF + 1;
    let mut w = vec![0f64; D];
    for _ in 0..50 {
        let mut grad = [0f64; D];
        let mut hess = [[0f64; D]; D];
        for (x, &y) in xs.iter().zip(ys) {
            let xe: [f64; D] = std::array::from_fn(|k| if k < NF { x[k] } else { 1.0 });
            let z: f64 = (0..D).map(|k| w[k] * xe[k]).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let r = p * (1.0 - p);
            for i in 0..D {
                grad[i] += (p - y) * xe[i];
                for j in 0..D {
                    hess[i][j] += r * xe[i] * xe[j];
                }
            }
        }
        for i in 0..NF {
            grad[i] += lambda * w[i];
            hess[i][i] += lambda;
        }
        hess[NF][NF] += 1e-9;
        let step = solve(hess, grad);
        let mut moved = 0f64;
        for i in 0..D {
            w[i] -= step[i];
            moved = moved.max(step[i].abs());
        }
        if moved < 1e-8 {
            break;
        }
    }
    w
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
fn solve<const D: usize>(mut a: [[f64; D]; D], mut b: [f64; D]) -> [f64; D] {
    for col in 0..D {
        let piv = (col..D)
            .max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))
            .unwrap_or(col);
        a.swap(col, piv);
        b.swap(col, piv);
        let d = a[col][col];
        if d.abs() < 1e-300 {
            continue;
        }
        let pivot_row = a[col];
        for row in col + 1..D {
            let f = a[row][col] / d;
            for (x, p) in a[row][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0f64; D];
    for row in (0..D).rev() {
        let s: f64 = (row + 1..D).map(|k| a[row][k] * x[k]).sum();
        x[row] = if a[row][row].abs() < 1e-300 {
            0.0
        } else {
            (b[row] - s) / a[row][row]
        };
    }
    x
}

/// Groups statements: pairs at or above `threshold`, most probable first, either join a
/// group of one of their statements (when the other statement's article is not in it yet
/// and it is aligned at or above `threshold` with every member) or open a new group.
/// Returns the groups of two or more statements, each sorted.
pub fn group(
    pairs: &[Pair],
    probability: &[f32],
    threshold: f32,
    article: &[usize],
) -> Vec<Vec<usize>> {
    let edge: FxHashMap<(usize, usize), f32> = pairs
        .iter()
        .zip(probability)
        .filter(|&(_, &pr)| pr >= threshold)
        .map(|(p, &pr)| ((p.a.min(p.b), p.a.max(p.b)), pr))
        .collect();
    let aligned = |x: usize, y: usize| {
        edge.get(&(x.min(y), x.max(y)))
            .is_some_and(|&p| p >= threshold)
    };
    let mut order: Vec<usize> = (0..pairs.len())
        .filter(|&k| probability[k] >= threshold)
        .collect();
    order.sort_unstable_by(|&x, &y| probability[y].total_cmp(&probability[x]).then(x.cmp(&y)));
    // A statement joins a group only if aligned with every member, so one with fewer
    // aligned partners than the group has members is turned away without a scan.
    let n = article.len();
    let mut degree = vec![0usize; n];
    for &(x, y) in edge.keys() {
        degree[x] += 1;
        degree[y] += 1;
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    // The groups each statement is in.
    let mut of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for k in order {
        let (a, b) = (pairs[k].a, pairs[k].b);
        let joined = [(a, b), (b, a)].into_iter().find_map(|(x, y)| {
            of[x]
                .iter()
                .copied()
                .find(|&g| {
                    let members = &groups[g];
                    of[y].contains(&g)
                        || (degree[y] >= members.len()
                            && members
                                .iter()
                                .all(|&m| article[m] != article[y] && (m == x || aligned(m, y))))
                })
                .map(|g| (g, y))
        });
        match joined {
            Some((g, y)) => {
                if !of[y].contains(&g) {
                    groups[g].push(y);
                    of[y].push(g);
                }
            }
            None => {
                groups.push(vec![a, b]);
                of[a].push(groups.len() - 1);
                of[b].push(groups.len() - 1);
            }
        }
    }
    for g in &mut groups {
        g.sort_unstable();
    }
    groups
}
