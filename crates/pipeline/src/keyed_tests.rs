use std::collections::HashMap;

use super::*;
use crate::{Input, Options, Quiet, analyze};

/// The demo pages as JSONL records, then copies of them: an exact copy under another outlet,
/// a copy with a sentence added, and a page glued from two of them.
fn corpus() -> Vec<String> {
    let pages: Vec<String> = (ingest::demo_files().iter())
        .map(|(_, b)| String::from_utf8_lossy(b).to_string())
        .collect();
    let record = |text: &str, outlet: &str| {
        serde_json::json!({"text": text, "outlet": outlet, "published": "2026-01-20"}).to_string()
    };
    let mut lines: Vec<String> = (pages.iter().enumerate())
        .map(|(i, p)| record(p, &format!("outlet{i}")))
        .collect();
    lines.push(record(&pages[0], "copier"));
    lines.push(record(
        &format!("{}\n\nThe agency added one more line here.", pages[2]),
        "rewriter",
    ));
    lines.push("{\"text\": 5}".to_string());
    lines.push(record(&format!("{}\n\n{}", pages[3], pages[1]), "glued"));
    lines
}

/// The connected components of "shares a key" over `keys` (what the job's shuffle finds),
/// as the job hands them over: `GROUP<TAB>LINE<TAB>RECORD` lines, a group's lines together.
fn grouped(lines: &[String], keys: &[KeyLine]) -> String {
    let mut parent: HashMap<u64, u64> = keys.iter().map(|k| (k.line, k.line)).collect();
    fn root(p: &HashMap<u64, u64>, mut x: u64) -> u64 {
        while p[&x] != x {
            x = p[&x];
        }
        x
    }
    let mut first_with: HashMap<&str, u64> = HashMap::new();
    for k in keys {
        for key in &k.keys {
            let other = *first_with.entry(key).or_insert(k.line);
            let (a, b) = (root(&parent, k.line), root(&parent, other));
            parent.insert(a.max(b), a.min(b));
        }
    }
    let mut groups: Vec<(u64, u64)> = keys
        .iter()
        .map(|k| (root(&parent, k.line), k.line))
        .collect();
    groups.sort();
    groups
        .iter()
        .map(|(g, l)| format!("g{g}\t{l}\t{}\n", lines[*l as usize - 1]))
        .collect()
}

fn parse_lines<T: serde::de::DeserializeOwned>(out: &[u8]) -> Vec<T> {
    (out.split(|&b| b == b'\n'))
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect()
}

fn copies_by_groups(lines: &[String]) -> (Vec<KeyLine>, Vec<Copy>) {
    let body = lines.join("\n");
    let mut out = Vec::new();
    write_keys(body.as_bytes(), "c.jsonl", 1, 1 << 24, &mut out).unwrap();
    let keys: Vec<KeyLine> = parse_lines(&out);
    let mut found = Vec::new();
    dedup_groups(grouped(lines, &keys).as_bytes(), 1 << 24, &mut found).unwrap();
    (keys, parse_lines(&found))
}

fn run(lines: &[String], copies: Option<KnownCopies>) -> crate::Analysis {
    let input = Input::Jsonl {
        name: "c.jsonl".into(),
        body: lines.join("\n").into_bytes(),
    };
    let opts = Options {
        copies: copies.map(std::sync::Arc::new),
        ..Options::default()
    };
    analyze(&input, None, &opts, &Quiet).unwrap()
}

#[test]
fn key_lines_name_every_article_and_the_keys_copies_share() {
    let lines = corpus();
    let (keys, _) = copies_by_groups(&lines);
    // Every readable line has articles; the broken one (8) has none.
    assert_eq!(
        keys.iter().map(|k| k.line).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5, 6, 7, 9]
    );
    let plain = run(&lines, None);
    let ids: Vec<&String> = keys.iter().flat_map(|k| &k.articles).collect();
    assert_eq!(
        ids,
        plain.articles.iter().map(|a| &a.id).collect::<Vec<_>>()
    );
    // The exact copy (line 6) shares its original's exact key.
    let exact = |l: u64| {
        keys[l as usize - 1]
            .keys
            .iter()
            .find(|k| k.starts_with('x'))
            .cloned()
    };
    assert_eq!(exact(6), exact(1));
}

/// Group by group, every article gets the copy layer of a run over the whole input, and a run
/// given them equals a run that deduplicated everything.
#[test]
fn groups_deduplicated_alone_equal_the_whole_run() {
    let lines = corpus();
    let plain = run(&lines, None);
    assert!(
        plain.articles.iter().filter(|a| a.origin != a.id).count() >= 2,
        "the corpus has copies"
    );
    assert!(
        (plain.articles.iter()).any(|a| a.paragraphs.iter().any(|p| p.copy_of.is_some())),
        "the corpus shares paragraphs"
    );
    let (_, found) = copies_by_groups(&lines);
    assert_eq!(found.len(), plain.articles.len());
    for a in &plain.articles {
        let c = found.iter().find(|c| c.article == a.id).unwrap();
        assert_eq!(c.origin, a.origin, "{}", a.id);
        assert_eq!(copy_of(a).paragraphs, c.paragraphs, "{}", a.id);
    }
    let mut known = KnownCopies::default();
    found.into_iter().for_each(|c| known.add(c));
    assert_same_analysis(&run(&lines, Some(known)), &plain);
}

/// Two runs agree on every layer (the JSON's `stats` aside).
fn assert_same_analysis(given: &crate::Analysis, plain: &crate::Analysis) {
    assert_eq!(given.articles, plain.articles);
    assert_eq!(given.events, plain.events);
    assert_eq!(given.threads, plain.threads);
    assert_eq!(given.claim_groups, plain.claim_groups);
    assert_eq!(given.conflicts, plain.conflicts);
}

/// Given copy layers are taken; copy layers that miss an article are not.
#[test]
fn given_copies_are_taken_only_when_complete() {
    let lines = corpus();
    let plain = run(&lines, None);
    let (_, found) = copies_by_groups(&lines);
    // Altered: every article its own origin.
    let mut alone = KnownCopies::default();
    for c in &found {
        alone.add(Copy {
            article: c.article.clone(),
            origin: c.article.clone(),
            paragraphs: Vec::new(),
        });
    }
    let taken = run(&lines, Some(alone.clone()));
    assert!(taken.articles.iter().all(|a| a.origin == a.id));
    // One missing: the run deduplicates itself.
    let mut partial = KnownCopies::default();
    for c in found.iter().skip(1) {
        partial.add(alone.get(&c.article).unwrap().clone());
    }
    assert_eq!(run(&lines, Some(partial)).articles, plain.articles);
}

#[test]
fn scattered_group_lines_are_refused() {
    let input = "a\t1\t{\"text\":\"x\"}\nb\t2\t{\"text\":\"y\"}\na\t3\t{\"text\":\"z\"}\n";
    let err = dedup_groups(input.as_bytes(), 1 << 20, &mut Vec::new()).unwrap_err();
    assert!(err.to_string().contains("group a"), "{err}");
    let err = dedup_groups("a\tone\t{}\n".as_bytes(), 1 << 20, &mut Vec::new()).unwrap_err();
    assert!(err.to_string().contains("GROUP<TAB>LINE"), "{err}");
}

/// The demo pages as news of three weeks: each page published on its own day.
fn dated_corpus() -> Vec<String> {
    (ingest::demo_files().iter().enumerate())
        .map(|(i, (_, b))| {
            let text = String::from_utf8_lossy(b);
            let day = format!("2026-01-{:02}", 5 + 3 * i);
            serde_json::json!({"text": text, "outlet": format!("o{i}"), "published": day})
                .to_string()
        })
        .collect()
}

/// Event candidates as the Spark job finds them: the `event_keys` of `crosscheck annotate`'s
/// lines shuffled by key, each key's group reduced, one line per article with keys.
fn candidates_by_shuffle(lines: &[String]) -> Vec<Candidates> {
    let mut out = Vec::new();
    crate::annotate::annotate_jsonl(lines.join("\n").as_bytes(), "c.jsonl", 1, 1 << 24, &mut out)
        .unwrap();
    let annotated: Vec<crate::annotate::Annotated> = parse_lines(&out);
    let keys = annotated.iter().filter_map(|a| a.event_keys.as_ref());
    let mut found: Vec<Candidates> = (stories::blocking::find_all(keys).into_iter())
        .map(|(article, candidates)| Candidates {
            article,
            candidates,
        })
        .collect();
    found.sort_by(|a, b| a.article.cmp(&b.article));
    found
}

fn run_with_candidates(lines: &[String], found: &[Candidates]) -> crate::Analysis {
    let dir = tempfile::tempdir().unwrap();
    let body: String = (found.iter())
        .map(|c| serde_json::to_string(c).unwrap() + "\n")
        .collect();
    std::fs::write(dir.path().join("part-00000"), body).unwrap();
    let input = Input::Jsonl {
        name: "c.jsonl".into(),
        body: lines.join("\n").into_bytes(),
    };
    let opts = Options {
        event_candidates: Some(std::sync::Arc::new(
            KnownCandidates::read(&[dir.path()]).unwrap(),
        )),
        ..Options::default()
    };
    analyze(&input, None, &opts, &Quiet).unwrap()
}

/// Candidates found by a shuffle of the annotation lines' keys give the run's own events.
#[test]
fn event_candidates_by_shuffle_equal_the_whole_run() {
    let lines = dated_corpus();
    let plain = run(&lines, None);
    let found = candidates_by_shuffle(&lines);
    assert!(found.len() >= 5, "dated articles with names have keys");
    assert!(found.iter().any(|c| !c.candidates.is_empty()));
    assert_same_analysis(&run_with_candidates(&lines, &found), &plain);
}

/// Candidates cover a batch only when they list every article with keys.
#[test]
fn event_candidates_cover_a_batch_only_when_complete() {
    let lines = dated_corpus();
    let found = candidates_by_shuffle(&lines);
    // The batch as the stories stage sees it: every article with names (a run clears them).
    let mut batch = run(&lines, None).articles;
    batch
        .iter_mut()
        .for_each(|a| a.names = vec!["goldin".to_string()]);
    let known = |c: &[Candidates]| {
        let mut k = KnownCandidates::default();
        c.iter().cloned().for_each(|c| k.add(c));
        k
    };
    assert_eq!(found.len(), batch.len());
    assert!(known(&found).covers(&batch));
    assert!(!known(&found[1..]).covers(&batch));
    // An article without keys needs no line.
    let undated: Vec<_> = (batch.iter().cloned())
        .map(|mut a| {
            a.published = None;
            a
        })
        .collect();
    assert!(known(&[]).covers(&undated));
}
