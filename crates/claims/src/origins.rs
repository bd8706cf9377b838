//! Origins beyond copies: articles that are one source of information.
//!
//! Dedup already gives copies one `origin`. Here two more rules join origins:
//! * **Rewrites**: when at least half of the smaller article's paragraphs (of 8 tokens or more)
//!   are found in the other (`copy_of` links, exact or near-duplicate paragraphs), the two are a
//!   near-verbatim rewrite of one text.
//! * **Wire copies**: two articles that credit the same news agency ("(AFP)", "told Reuters",
//!   "according to AP") and share at least one paragraph carry the agency's passage.
//!
//! The joined group's origin is the origin id of its earliest article.

use std::collections::HashMap;

use model::Article;
use rayon::prelude::*;

use crate::lexicon;

/// The agencies an article credits.
pub fn credited_agencies(a: &Article) -> Vec<&'static str> {
    let mut out = Vec::new();
    let text = a.text.to_lowercase();
    for (key, name) in lexicon::AGENCIES {
        let k = key.len();
        let mut from = 0;
        while let Some(i) = text[from..].find(key) {
            let at = from + i;
            let before = text[..at].trim_end();
            let after = &text[at + k..];
            let word_end = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
            let word_start = text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let credit = before.ends_with('(')
                || before.ends_with("told")
                || before.ends_with("according to")
                || before.ends_with("by");
            if word_end && word_start && credit && !out.contains(name) {
                out.push(*name);
            }
            from = at + k;
        }
    }
    out
}

/// Sets every article's `independent_origin` (its copy `origin`, widened by the two rules);
/// returns how many articles' independent origin differs from their copy origin.
pub fn widen(articles: &mut [Article]) -> usize {
    let n = articles.len();
    let pos: HashMap<String, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        let mut y = x;
        while p[y] != r {
            let nx = p[y];
            p[y] = r;
            y = nx;
        }
        r
    }
    let union = |p: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (find(p, a), find(p, b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            p[hi] = lo;
        }
    };
    // Copies first.
    let by_origin: HashMap<String, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.origin.clone(), i))
        .collect();
    for (i, a) in articles.iter().enumerate() {
        if let Some(&j) = pos.get(&a.origin).or(by_origin.get(&a.origin)) {
            union(&mut parent, i, j);
        }
    }
    let agencies: Vec<Vec<&'static str>> = articles.par_iter().map(credited_agencies).collect();
    for (i, a) in articles.iter().enumerate() {
        let mut shared: HashMap<usize, usize> = HashMap::new();
        for p in &a.paragraphs {
            if let Some(r) = &p.copy_of
                && let Some(&j) = pos.get(&r.article)
            {
                *shared.entry(j).or_default() += 1;
            }
        }
        for (j, count) in shared {
            let mine = a.paragraphs.iter().filter(|p| !p.heading).count().max(1);
            let theirs = articles[j]
                .paragraphs
                .iter()
                .filter(|p| !p.heading)
                .count()
                .max(1);
            let rewrite = count * 2 >= mine.min(theirs);
            let wire = agencies[i].iter().any(|x| agencies[j].contains(x));
            if rewrite || wire {
                union(&mut parent, i, j);
            }
        }
    }
    let mut changed = 0;
    let roots: Vec<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
    let root_origin: Vec<String> = roots.iter().map(|&r| articles[r].origin.clone()).collect();
    for (a, o) in articles.iter_mut().zip(root_origin) {
        if a.origin != o {
            changed += 1;
        }
        a.independent_origin = Some(o);
    }
    changed
}
