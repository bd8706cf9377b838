//! The exports of the demo run: every claim, conflict side and article is one row, readable
//! beside its ids, and CSV reads back with the same rows as JSONL.

use crosscheck_report::export::{Format, Table, write};
use pipeline::{Input, Options, Quiet, analyze};

fn demo() -> model::Corpus {
    analyze(&Input::Demo, None, &Options::default(), &Quiet).unwrap()
}

fn rows(corpus: &model::Corpus, table: Table) -> (Vec<csv::StringRecord>, Vec<serde_json::Value>) {
    let mut csv_out = Vec::new();
    write(corpus, table, Format::Csv, &mut csv_out).unwrap();
    let mut jsonl_out = Vec::new();
    write(corpus, table, Format::Jsonl, &mut jsonl_out).unwrap();
    let mut reader = csv::Reader::from_reader(csv_out.as_slice());
    let records = reader.records().map(|r| r.unwrap()).collect();
    let lines = String::from_utf8(jsonl_out).unwrap();
    let json = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (records, json)
}

#[test]
fn every_claim_is_a_row_with_its_verdict_and_source() {
    let corpus = demo();
    let (csv_rows, json_rows) = rows(&corpus, Table::Claims);
    assert_eq!(csv_rows.len(), corpus.claims.len());
    assert_eq!(json_rows.len(), corpus.claims.len());
    let grouped: std::collections::HashSet<&str> = (corpus.claim_groups.iter())
        .flat_map(|g| g.claims.iter().map(String::as_str))
        .collect();
    for (row, claim) in json_rows.iter().zip(&corpus.claims) {
        assert_eq!(row["claim"], claim.id.as_str());
        assert_eq!(row["quote"], claim.quote.as_str());
        let has_verdict = !row["verdict"].as_str().unwrap().is_empty();
        assert_eq!(
            has_verdict,
            grouped.contains(claim.id.as_str()),
            "{}",
            claim.id
        );
        let article = corpus
            .articles
            .iter()
            .find(|a| a.id == claim.article)
            .unwrap();
        assert_eq!(row["outlet"], article.outlet.as_deref().unwrap_or(""));
        assert_eq!(row["url"], article.url.as_deref().unwrap_or(""));
        // Subjects are names, never entity ids.
        let subject = row["subject"].as_str().unwrap();
        assert!(
            !corpus.entities.iter().any(|e| e.id == subject),
            "{subject}"
        );
    }
}

#[test]
fn every_side_of_every_conflict_is_a_row() {
    let corpus = demo();
    assert!(!corpus.conflicts.is_empty(), "the demo has conflicts");
    let (csv_rows, json_rows) = rows(&corpus, Table::Conflicts);
    let sides: usize = corpus.conflicts.iter().map(|k| k.values.len()).sum();
    assert_eq!(csv_rows.len(), sides);
    assert_eq!(json_rows.len(), sides);
    for k in &corpus.conflicts {
        let mine: Vec<_> = json_rows
            .iter()
            .filter(|r| r["conflict"] == k.id.as_str())
            .collect();
        assert!(mine.len() >= 2, "a conflict has two sides at least");
        let values: std::collections::HashSet<&str> =
            mine.iter().map(|r| r["value"].as_str().unwrap()).collect();
        assert_eq!(values.len(), mine.len(), "each side states its own value");
    }
}

#[test]
fn every_article_is_a_row() {
    let corpus = demo();
    let (csv_rows, json_rows) = rows(&corpus, Table::Articles);
    assert_eq!(csv_rows.len(), corpus.articles.len());
    for (row, a) in json_rows.iter().zip(&corpus.articles) {
        assert_eq!(row["article"], a.id.as_str());
        assert_eq!(row["origin"], a.origin.as_str());
    }
}
