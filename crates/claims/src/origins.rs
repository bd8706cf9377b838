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

/// The agencies an article credits: a key of [`lexicon::AGENCIES`] as a whole word right
/// after "(", "told", "according to" or "by" (any case), in the order of that list.
pub fn credited_agencies(a: &Article) -> Vec<&'static str> {
    static KEYS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(lexicon::AGENCIES.iter().map(|(k, _)| k))
            .expect("agency keys build an automaton")
    });
    let text = a.text.as_str();
    let mut found = vec![false; lexicon::AGENCIES.len()];
    // Overlapping: "the associated press" and "associated press" both count.
    for m in KEYS.find_overlapping_iter(text) {
        let word_start = text[..m.start()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let word_end = text[m.end()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if word_start && word_end && credits(&text[..m.start()]) {
            found[m.pattern().as_usize()] = true;
        }
    }
    let mut out = Vec::new();
    for (&(_, name), _) in lexicon::AGENCIES.iter().zip(&found).filter(|(_, f)| **f) {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Whether the text before an agency's name credits it.
fn credits(before: &str) -> bool {
    let before = before.trim_end();
    let ends = |w: &str| {
        before.len() >= w.len()
            && before.is_char_boundary(before.len() - w.len())
            && before[before.len() - w.len()..].eq_ignore_ascii_case(w)
    };
    before.ends_with('(') || ends("told") || ends("according to") || ends("by")
}

/// Sets every article's `independent_origin` (its copy `origin`, widened by the two rules);
/// returns how many articles' independent origin differs from their copy origin.
pub fn widen(articles: &mut [Article]) -> usize {
    widen_after(articles, 0)
}

/// [`widen`] for the articles after the first `frozen`, which are stored articles (earlier
/// than all others, with their `independent_origin` already set and kept): an article joined
/// with a stored one takes the stored one's independent origin.
pub fn widen_after(articles: &mut [Article], frozen: usize) -> usize {
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
    let roots: Vec<usize> = (frozen..n).map(|i| find(&mut parent, i)).collect();
    let root_origin: Vec<String> = roots
        .iter()
        .map(|&r| {
            let root = &articles[r];
            match &root.independent_origin {
                Some(o) if r < frozen => o.clone(),
                _ => root.origin.clone(),
            }
        })
        .collect();
    for (a, o) in articles[frozen..].iter_mut().zip(root_origin) {
        if a.origin != o {
            changed += 1;
        }
        a.independent_origin = Some(o);
    }
    changed
}
