//! Induces word clusters from unlabelled tokenised text (one sentence per line, tokens
//! separated by spaces): `clusters TEXT.txt OUT.tsv [--min-count N]`.
//!
//! Each word seen at least `min-count` times gets a vector of its left and right neighbours
//! (the 1,000 most frequent words, log-scaled counts, L2-normalised); spherical k-means then
//! groups the words at three granularities (32, 128, 512 clusters). Output lines are
//! `word<TAB>c32<TAB>c128<TAB>c512`, most frequent word first. Deterministic.

use std::collections::HashMap;

const NCTX: usize = 1000;
const KS: [usize; 3] = [32, 128, 512];
const ITERS: usize = 15;

/// The same normalisation the recogniser applies before hashing: typographic quotes and
/// dashes unified, digits folded to 0.
fn normalise(t: &str) -> String {
    t.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`' | '\u{00B4}' => {
                '\''
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => '"',
            '\u{2010}'..='\u{2014}' | '\u{2212}' => '-',
            '0'..='9' => '0',
            c => c,
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, output) = match args.as_slice() {
        [i, o, ..] => (i, o),
        _ => {
            eprintln!("usage: clusters TEXT.txt OUT.tsv [--min-count N]");
            std::process::exit(2);
        }
    };
    let min_count: usize = args
        .iter()
        .position(|a| a == "--min-count")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let text = std::fs::read_to_string(input).expect("readable text");
    let sents: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split_whitespace().map(normalise).collect())
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for s in &sents {
        for w in s {
            *counts.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut vocab: Vec<(&str, usize)> = counts.iter().map(|(w, c)| (*w, *c)).collect();
    vocab.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let ctx: HashMap<&str, usize> = vocab
        .iter()
        .take(NCTX)
        .enumerate()
        .map(|(i, (w, _))| (*w, i))
        .collect();
    vocab.retain(|(_, c)| *c >= min_count);
    let index: HashMap<&str, usize> = vocab
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (*w, i))
        .collect();
    let v = vocab.len();
    eprintln!(
        "{} tokens, {} words with count >= {min_count}",
        counts.values().sum::<usize>(),
        v
    );

    // Sparse context vectors: left neighbour in 0..NCTX, right neighbour in NCTX..2*NCTX,
    // plus sentence boundaries as two extra contexts.
    let dim = 2 * NCTX + 2;
    let mut raw: Vec<HashMap<u32, f32>> = vec![HashMap::new(); v];
    for s in &sents {
        for (i, w) in s.iter().enumerate() {
            let Some(&wi) = index.get(w.as_str()) else {
                continue;
            };
            let left = if i == 0 {
                Some(2 * NCTX)
            } else {
                ctx.get(s[i - 1].as_str()).copied()
            };
            let right = if i + 1 == s.len() {
                Some(2 * NCTX + 1)
            } else {
                ctx.get(s[i + 1].as_str()).map(|c| c + NCTX)
            };
            for c in [left, right].into_iter().flatten() {
                *raw[wi].entry(c as u32).or_default() += 1.0;
            }
        }
    }
    let vecs: Vec<Vec<(u32, f32)>> = raw
        .into_iter()
        .map(|m| {
            let mut e: Vec<(u32, f32)> = m.into_iter().map(|(k, c)| (k, (1.0 + c).ln())).collect();
            e.sort_by_key(|x| x.0);
            let norm = e.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt().max(1e-9);
            e.iter_mut().for_each(|x| x.1 /= norm);
            e
        })
        .collect();

    let mut assignments: Vec<Vec<usize>> = Vec::new();
    for &k in &KS {
        assignments.push(kmeans(&vecs, dim, k));
        eprintln!("k = {k} done");
    }
    let mut out = String::new();
    for (i, (w, _)) in vocab.iter().enumerate() {
        out.push_str(&format!(
            "{w}\t{}\t{}\t{}\n",
            assignments[0][i], assignments[1][i], assignments[2][i]
        ));
    }
    std::fs::write(output, out).expect("writable output");
    eprintln!("wrote {output}");
}

/// Spherical k-means; centroids seeded with words spread evenly over the frequency ranks.
fn kmeans(vecs: &[Vec<(u32, f32)>], dim: usize, k: usize) -> Vec<usize> {
    let v = vecs.len();
    let k = k.min(v);
    // Centroids stored dimension-major so a sparse dot product walks contiguous memory.
    let mut cent = vec![0f32; dim * k];
    for c in 0..k {
        let w = c * v / k;
        for &(j, x) in &vecs[w] {
            cent[j as usize * k + c] = x;
        }
    }
    let mut assign = vec![usize::MAX; v];
    let mut scores = vec![0f32; k];
    for it in 0..ITERS {
        let mut changed = 0;
        for (w, vec) in vecs.iter().enumerate() {
            scores.iter_mut().for_each(|s| *s = 0.0);
            for &(j, x) in vec {
                let row = &cent[j as usize * k..(j as usize + 1) * k];
                for (s, &c) in scores.iter_mut().zip(row) {
                    *s += x * c;
                }
            }
            let best = (0..k)
                .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)))
                .unwrap();
            if assign[w] != best {
                changed += 1;
                assign[w] = best;
            }
        }
        cent.iter_mut().for_each(|c| *c = 0.0);
        for (w, vec) in vecs.iter().enumerate() {
            for &(j, x) in vec {
                cent[j as usize * k + assign[w]] += x;
            }
        }
        let mut norms = vec![0f32; k];
        for j in 0..dim {
            for c in 0..k {
                norms[c] += cent[j * k + c] * cent[j * k + c];
            }
        }
        for j in 0..dim {
            for c in 0..k {
                cent[j * k + c] /= norms[c].sqrt().max(1e-9);
            }
        }
        if changed == 0 {
            break;
        }
        let _ = it;
    }
    assign
}
