//! Stores made by earlier releases keep opening: `fixtures/v1.db` is a schema-1 store (two
//! JSONL articles, analysed by the release that introduced the schema), migrated to the
//! present schema when opened. A build that changes the schema must migrate it, and this test
//! says whether it does.

#[test]
fn a_schema_1_store_opens_and_takes_new_articles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v1.db"),
        &path,
    )
    .unwrap();
    let mut s = crosscheck_store::Store::open(&path).unwrap();
    let c = s.load().unwrap();
    assert_eq!(c.documents.len(), 2);
    let titles: Vec<&str> = c
        .articles
        .iter()
        .map(|a| a.title.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(titles, ["Bridge closed", "Bridge reopens"]);
    assert!(c.articles[0].text.contains("cracks in two beams"));
    assert_eq!(c.fingerprints.len(), 2);
    assert!(c.fingerprints.iter().all(|f| !f.is_empty()));
    // Schema 5: articles stored before it are pending, to be processed once by the next run.
    assert_eq!(s.pending().unwrap().len(), 2);
    // It takes writes like a new store.
    let doc = model::Document {
        id: "d-new".into(),
        path: "new.txt".into(),
        line: None,
        kind: model::DocKind::Text,
        bytes: 5,
        articles: vec![],
    };
    let mut clean = model::CleanArticle::default();
    clean.set_paragraphs([("A new article.", false)]);
    let a = model::Article::new("d-new", 0, clean);
    s.write_batch(&[doc], &[(&a, &[1u8][..], &[][..])], &[])
        .unwrap();
    assert_eq!(s.load().unwrap().articles.len(), 3);
    // Version 2's annotations table is there.
    let ids = [a.id.clone()];
    assert!(s.annotations(1, &ids).unwrap().is_empty());
    s.write_annotations(1, &[(a.id.as_str(), &[7u8][..])])
        .unwrap();
    drop(s);
    let mut again = crosscheck_store::Store::open(&path).unwrap();
    assert_eq!(again.annotations(1, &ids).unwrap().len(), 1);
}
