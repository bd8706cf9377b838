//! One suite, run against every backend ([`test_support::fresh_stores`]).

use model::{Article, CleanArticle, DocKind, Document, PublishedFrom};

use crate::{Commit, NewArticle, Store, redact, test_support};

/// Fresh, empty stores of each available backend, (backend name, location), with the
/// directory that holds the SQLite one.
fn fresh_stores(test: &str) -> (tempfile::TempDir, Vec<(&'static str, String)>) {
    let dir = tempfile::tempdir().unwrap();
    let locs = test_support::fresh_stores(dir.path(), test)
        .into_iter()
        .map(|l| (test_support::backend_name(&l), l))
        .collect();
    (dir, locs)
}

fn doc(id: &str) -> Document {
    Document {
        id: id.into(),
        path: format!("{id}.txt"),
        line: None,
        kind: DocKind::Text,
        bytes: 10,
        articles: vec![],
    }
}

/// A new article with no fingerprint keys.
fn na<'a>(a: &'a Article, fp: &'a [u8]) -> NewArticle<'a> {
    (a, fp, &[])
}

fn sample(doc: &str, i: usize, text: &str) -> Article {
    let mut c = CleanArticle {
        title: Some(format!("Title {i}")),
        published: Some("2026-01-28".into()),
        published_from: Some(PublishedFrom::Dateline),
        ..Default::default()
    };
    c.set_paragraphs([(text, false)]);
    Article::new(doc, i, c)
}

#[test]
fn round_trips_and_ignores_repeats() {
    let (_dir, stores) = fresh_stores("round_trip");
    for (backend, loc) in stores {
        let d = doc("d1");
        let a0 = sample("d1", 0, "First text.");
        let a1 = sample("d1", 1, "Second text, with “quotes” and ünïcode.");
        {
            let mut s = Store::open(&loc).unwrap();
            s.write_batch(
                std::slice::from_ref(&d),
                &[na(&a0, &[1u8, 2]), na(&a1, &[3u8])],
                &[],
            )
            .unwrap();
            // The same batch again adds nothing.
            s.write_batch(std::slice::from_ref(&d), &[na(&a0, &[1u8, 2])], &[])
                .unwrap();
            s.write_batch(&[], &[], &[(a1.id.as_str(), a0.id.as_str())])
                .unwrap();
        }
        let mut s = Store::open(&loc).unwrap();
        assert!(s.has_document("d1").unwrap(), "{backend}");
        assert!(!s.has_document("d2").unwrap(), "{backend}");
        let c = s.load().unwrap();
        assert_eq!(c.documents.len(), 1, "{backend}");
        assert_eq!(c.documents[0].articles, vec![a0.id.clone(), a1.id.clone()]);
        assert_eq!(c.articles.len(), 2);
        assert_eq!(c.articles[0], a0, "{backend}");
        assert_eq!(c.articles[1].text, a1.text, "{backend}");
        assert_eq!(c.articles[1].origin, a0.id, "{backend}");
        assert_eq!(c.fingerprints, vec![vec![1u8, 2], vec![3u8]], "{backend}");
        assert!(s.size_bytes().unwrap() > 4096, "{backend}");
        // Annotations: by version, replaced on rewrite.
        s.write_annotations(3, &[(a0.id.as_str(), &[1u8][..])])
            .unwrap();
        s.write_annotations(
            3,
            &[(a0.id.as_str(), &[0u8, 2][..]), (a1.id.as_str(), &[][..])],
        )
        .unwrap();
        let ids = vec![a0.id.clone(), a1.id.clone()];
        let ann = s.annotations(3, &ids).unwrap();
        assert_eq!(ann.len(), 2, "{backend}");
        assert_eq!(ann[&a0.id], vec![0u8, 2], "{backend}");
        assert!(
            s.annotations(4, &ids).unwrap().is_empty(),
            "{backend}: other versions are not read"
        );
    }
}

#[test]
fn a_failed_batch_leaves_the_store_as_it_was() {
    let (_dir, stores) = fresh_stores("failed_batch");
    for (backend, loc) in stores {
        let mut s = Store::open(&loc).unwrap();
        let a0 = sample("d1", 0, "Stored first.");
        s.write_batch(&[doc("d1")], &[na(&a0, &[1u8])], &[])
            .unwrap();
        // The second article's document is in neither the batch nor the store: the whole
        // batch, its valid document and article included, must roll back.
        let b0 = sample("d2", 0, "Valid.");
        let orphan = sample("missing", 0, "Orphan.");
        let e = s
            .write_batch(&[doc("d2")], &[na(&b0, &[2u8]), na(&orphan, &[3u8])], &[])
            .err()
            .unwrap_or_else(|| panic!("{backend}: an orphan article must fail the batch"));
        assert!(e.to_string().contains(s.location()), "{backend}: {e}");
        let c = Store::open(&loc).unwrap().load().unwrap();
        assert_eq!(c.documents.len(), 1, "{backend}");
        assert_eq!(c.articles, vec![a0.clone()], "{backend}");
    }
}

#[test]
fn concurrent_writers_lose_nothing() {
    let (_dir, stores) = fresh_stores("concurrent");
    for (backend, loc) in stores {
        // Create the schema first only for SQLite: PostgreSQL writers race to create it.
        if backend == "sqlite" {
            Store::open(&loc).unwrap();
        }
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let loc = loc.clone();
                std::thread::spawn(move || {
                    let mut s = open_retrying(&loc);
                    // Writers overlap: writer w writes documents w..w+6, in batches of 2.
                    for chunk in (w..w + 6).collect::<Vec<_>>().chunks(2) {
                        let docs: Vec<Document> =
                            chunk.iter().map(|i| doc(&format!("d{i}"))).collect();
                        let arts: Vec<Article> = chunk
                            .iter()
                            .map(|i| sample(&format!("d{i}"), 0, &format!("Text {i}.")))
                            .collect();
                        let pairs: Vec<NewArticle<'_>> =
                            arts.iter().map(|a| na(a, &[7u8])).collect();
                        write_retrying(&mut s, &docs, &pairs);
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        let c = Store::open(&loc).unwrap().load().unwrap();
        assert_eq!(
            c.documents.len(),
            9,
            "{backend}: documents d0..d8 once each"
        );
        assert_eq!(c.articles.len(), 9, "{backend}");
        let mut ids: Vec<&str> = c.documents.iter().map(|d| d.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 9, "{backend}");
    }
}

/// SQLite answers "database is locked" to a writer that waited too long; a caller retries.
fn open_retrying(loc: &str) -> Store {
    for _ in 0..50 {
        if let Ok(s) = Store::open(loc) {
            return s;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Store::open(loc).unwrap()
}

fn write_retrying(s: &mut Store, docs: &[Document], arts: &[NewArticle<'_>]) {
    for _ in 0..50 {
        if s.write_batch(docs, arts, &[]).is_ok() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    s.write_batch(docs, arts, &[]).unwrap();
}

#[test]
fn refuses_foreign_and_newer_stores() {
    let (_dir, stores) = fresh_stores("foreign");
    for (backend, loc) in stores {
        execute(backend, &loc, "CREATE TABLE x(a INTEGER)");
        let e = Store::open(&loc).err().unwrap();
        assert!(e.to_string().contains("not a crosscheck store"), "{e}");
    }
    let (_dir, stores) = fresh_stores("newer");
    for (backend, loc) in stores {
        Store::open(&loc).unwrap();
        execute(
            backend,
            &loc,
            "UPDATE meta SET value='99' WHERE key='schema'",
        );
        let e = Store::open(&loc).err().unwrap().to_string();
        assert!(
            e.contains("\"99\"") && e.contains(&format!("reads {}", crate::SCHEMA_VERSION)),
            "{backend}: {e}"
        );
    }
}

/// Runs one statement on a store behind the store's back.
fn execute(backend: &str, loc: &str, sql: &str) {
    if backend == "sqlite" {
        rusqlite::Connection::open(loc)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
    } else {
        postgres::Client::connect(loc, postgres::NoTls)
            .unwrap()
            .batch_execute(sql)
            .unwrap();
    }
}

#[test]
fn a_file_that_is_not_sqlite_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(
        &junk,
        b"this is not a database file, just some text here....",
    )
    .unwrap();
    let e = Store::open(&junk).err().unwrap();
    assert!(e.to_string().contains("junk.db"), "{e}");
}

#[test]
fn unreachable_server_is_an_error_without_the_password() {
    // Port 1 on loopback: nothing listens there.
    let e = Store::open("postgres://news:s3cret@127.0.0.1:1/crosscheck")
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("postgres://news:***@127.0.0.1:1/crosscheck"),
        "{e}"
    );
    assert!(!e.contains("s3cret"), "{e}");
    assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    assert_eq!(
        redact("postgresql://u:p@h:5/db"),
        "postgresql://u:***@h:5/db"
    );
}

#[test]
fn older_stores_are_migrated_when_opened() {
    let (_dir, stores) = fresh_stores("migrate");
    for (backend, loc) in stores {
        let mut s = Store::open(&loc).unwrap();
        let a0 = sample("d1", 0, "Kept across the migration.");
        s.write_batch(&[doc("d1")], &[na(&a0, &[1u8])], &[])
            .unwrap();
        drop(s);
        // Back to schema 1: no annotations table.
        execute(
            backend,
            &loc,
            "DROP TABLE annotations; UPDATE meta SET value='1' WHERE key='schema'",
        );
        let mut s = Store::open(&loc).unwrap();
        assert_eq!(s.load().unwrap().articles, vec![a0.clone()], "{backend}");
        s.write_annotations(1, &[(a0.id.as_str(), &[7u8][..])])
            .unwrap();
        drop(s);
        execute(backend, &loc, "SELECT 1 FROM annotations");
        let mut s = Store::open(&loc).unwrap();
        let ids = [a0.id.clone()];
        assert_eq!(s.annotations(1, &ids).unwrap().len(), 1, "{backend}");
        // Schema 5: every article stored before is pending, once.
        assert_eq!(s.pending().unwrap(), ids, "{backend}");
    }
}

#[test]
fn records_commit_as_one_transaction_and_are_found_by_key() {
    let (_dir, stores) = fresh_stores("records");
    for (backend, loc) in stores {
        let mut s = Store::open(&loc).unwrap();
        let a0 = sample("d1", 0, "One.");
        let a1 = sample("d1", 1, "Two.");
        let keys = ["x1".to_string(), "b2".to_string()];
        s.write_batch(
            &[doc("d1")],
            &[(&a0, &[1u8][..], &keys[..]), na(&a1, &[2u8])],
            &[],
        )
        .unwrap();
        assert_eq!(
            s.pending().unwrap(),
            [a0.id.clone(), a1.id.clone()],
            "{backend}"
        );
        let hits = s.fingerprint_hits(&["b2".into(), "zz".into()]).unwrap();
        assert_eq!(hits.len(), 1, "{backend}");
        assert_eq!(
            (hits[0].article.as_str(), hits[0].key.as_str()),
            (a0.id.as_str(), "b2")
        );
        let mut c = Commit::default();
        c.put("member", &a0.id, vec![1], vec!["ev:e1".into()]);
        c.put("member", &a1.id, vec![2], vec!["ev:e2".into()]);
        c.put("event", "e1", vec![9], vec!["th:t".into()]);
        c.done = vec![a0.id.clone()];
        s.commit(&c).unwrap();
        assert_eq!(
            s.pending().unwrap(),
            std::slice::from_ref(&a1.id),
            "{backend}"
        );
        // A merge renames keys; a record put again replaces its data and keys.
        let mut c = Commit::default();
        c.rekey("member", "ev:e2", "ev:e1");
        c.delete("event", "e1");
        c.put("member", &a1.id, vec![3], vec!["ev:e1".into()]);
        s.commit(&c).unwrap();
        let mut found = s.records_by_key("member", &["ev:e1".into()]).unwrap();
        found.sort();
        let mut want = vec![
            ("ev:e1".to_string(), a0.id.clone(), vec![1u8]),
            ("ev:e1".to_string(), a1.id.clone(), vec![3u8]),
        ];
        want.sort();
        assert_eq!(found, want, "{backend}");
        assert!(
            s.records_by_key("member", &["ev:e2".into()])
                .unwrap()
                .is_empty()
        );
        assert!(
            s.records("event", &["e1".into()]).unwrap().is_empty(),
            "{backend}"
        );
        assert_eq!(s.all_records("member").unwrap().len(), 2, "{backend}");
        // The processing lock is taken and freed.
        s.locked(|s| -> Result<(), crate::StoreError> {
            s.set_meta("k", "v")?;
            Ok(())
        })
        .unwrap();
        assert_eq!(s.meta("k").unwrap().as_deref(), Some("v"), "{backend}");
    }
}
