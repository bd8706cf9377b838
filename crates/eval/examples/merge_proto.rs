use std::collections::HashMap;
fn cos(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        if a[i].0 == b[j].0 {
            s += a[i].1 * b[j].1;
            i += 1;
            j += 1;
        } else if a[i].0 < b[j].0 {
            i += 1
        } else {
            j += 1
        }
    }
    s
}
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    for d in &args {
        let ds = crosscheck_eval::stories::load(std::path::Path::new(d)).unwrap();
        let cfg = stories::StoryConfig::default();
        let s = stories::cluster(&ds.articles, &ds.entities, cfg.clone());
        let ev: HashMap<&str, &str> = s
            .articles
            .iter()
            .zip(&s.article_event)
            .map(|(a, e)| (a.as_str(), e.as_str()))
            .collect();
        let v = stories::vectors(&ds.articles, &cfg);
        let n = ds.articles.len();
        let sims: Vec<Vec<f32>> = (0..n)
            .map(|i| (0..n).map(|j| cos(&v[i], &v[j])).collect())
            .collect();
        let gold: Vec<&str> = ds.gold.iter().map(String::as_str).collect();
        for t in [0.0f32, 0.12, 0.15, 0.18, 0.2, 0.22, 0.25, 0.3] {
            let mut label: Vec<usize> = Vec::new();
            let mut ids: HashMap<&str, usize> = HashMap::new();
            for a in &ds.articles {
                let k = ids.len();
                label.push(*ids.entry(ev[a.id.as_str()]).or_insert(k));
            }
            if t > 0.0 {
                loop {
                    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
                    for (i, &l) in label.iter().enumerate() {
                        groups.entry(l).or_default().push(i);
                    }
                    let keys: Vec<usize> = groups.keys().copied().collect();
                    let mut best = (t, usize::MAX, usize::MAX);
                    for x in 0..keys.len() {
                        for y in x + 1..keys.len() {
                            let (gx, gy) = (&groups[&keys[x]], &groups[&keys[y]]);
                            let mut s = 0.0;
                            for &i in gx {
                                for &j in gy {
                                    s += sims[i][j];
                                }
                            }
                            let avg = s / (gx.len() * gy.len()) as f32;
                            if avg > best.0 {
                                best = (avg, keys[x], keys[y]);
                            }
                        }
                    }
                    if best.1 == usize::MAX {
                        break;
                    }
                    for l in label.iter_mut() {
                        if *l == best.2 {
                            *l = best.1;
                        }
                    }
                }
            }
            let ls: Vec<String> = label.iter().map(|l| l.to_string()).collect();
            let pred: Vec<&str> = ls.iter().map(String::as_str).collect();
            let (pw, b3) = crosscheck_eval::stories::score(&gold, &pred);
            println!(
                "{} t {t:.2} pw {:.3} b3 {:.3}/{:.3}/{:.3}",
                ds.name, pw.f1, b3.precision, b3.recall, b3.f1
            );
        }
    }
}
