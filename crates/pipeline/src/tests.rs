use super::*;

fn demo() -> Analysis {
    analyze(&Input::Demo, None, &Options::default(), &Quiet).unwrap()
}

#[test]
fn demo_has_twelve_articles_in_the_expected_pages() {
    let a = demo();
    assert_eq!(a.documents.len(), 5);
    let counts: Vec<usize> = a.documents.iter().map(|d| d.articles.len()).collect();
    assert_eq!(counts, vec![4, 4, 1, 2, 1]);
    assert_eq!(a.articles.len(), 12);
    for art in &a.articles {
        assert!(!art.text.contains("\nTT\n") && !art.text.starts_with("TT"));
        assert!(
            art.paragraphs
                .iter()
                .all(|p| &art.text[p.start..p.end] != "TT")
        );
        if let Some(c) = &art.caption {
            assert!(
                !art.text.contains(c.as_str()),
                "caption kept out of the body"
            );
        }
        if let Some(t) = &art.title {
            assert!(!art.text.contains(t.as_str()), "title kept out of the body");
        }
    }
}

#[test]
fn demo_lead_article_is_one_article_with_two_copies() {
    let a = demo();
    let lead0 = &a.articles[0];
    let lead1 = a
        .articles
        .iter()
        .find(|x| x.document == a.documents[1].id && x.index == 0)
        .unwrap();
    assert_eq!(lead0.duplicate_of, None);
    assert_eq!(lead0.copies, vec![lead1.id.clone()]);
    assert_eq!(lead1.duplicate_of.as_deref(), Some(lead0.id.as_str()));
    assert_eq!(lead1.origin, lead0.origin);
    // Nothing else is a duplicate.
    let dups = a
        .articles
        .iter()
        .filter(|x| x.duplicate_of.is_some())
        .count();
    assert_eq!(dups, 1);
    let origins: std::collections::HashSet<&str> =
        a.articles.iter().map(|x| x.origin.as_str()).collect();
    assert_eq!(origins.len(), 11);
}

#[test]
fn demo_metadata_comes_from_the_page_only() {
    let a = demo();
    let last = a.articles.last().unwrap();
    assert_eq!(last.outlet.as_deref(), Some("Washington Insider Magazine"));
    assert_eq!(last.dateline.as_deref(), Some("Moscow"));
    assert_eq!(last.published.as_deref(), Some("2026-01-28"));
    assert_eq!(last.published_from, Some(model::PublishedFrom::Dateline));
    assert!(!last.text.contains("Türkiye Today"));
    // Caption dates are never publication dates.
    for art in &a.articles[..11] {
        assert_eq!(art.published, None, "{:?}", art.title);
    }
    let isis = &a.articles[2];
    assert!(
        isis.caption
            .as_deref()
            .unwrap()
            .contains("February 7, 2026")
    );
}

fn write_demo_to(dir: &std::path::Path, which: std::ops::Range<usize>) -> Vec<PathBuf> {
    ingest::demo_files()[which]
        .iter()
        .map(|(name, bytes)| {
            let p = dir.join(name.trim_start_matches("demo/"));
            std::fs::write(&p, bytes).unwrap();
            p
        })
        .collect()
}

#[test]
fn store_is_incremental_and_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    for db in store::test_support::fresh_stores(dir.path(), "incremental") {
        incremental_and_idempotent(&db);
    }
}

fn incremental_and_idempotent(db: &str) {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("in");
    std::fs::create_dir(&files).unwrap();
    write_demo_to(&files, 1..5);
    let mut s = Store::open(db).unwrap();
    let first = analyze(
        &Input::Paths(vec![files.clone()]),
        Some(&mut s),
        &Options::default(),
        &Quiet,
    )
    .unwrap();
    assert_eq!(first.report.new_documents, 4);
    assert_eq!(first.articles.len(), 8);
    // Same input again: nothing new.
    let again = analyze(
        &Input::Paths(vec![files.clone()]),
        Some(&mut s),
        &Options::default(),
        &Quiet,
    )
    .unwrap();
    assert_eq!(again.report.new_documents, 0);
    assert_eq!(again.report.already_stored, 4);
    assert_eq!(again.articles.len(), 8);
    // A new file adds only its articles and links its copy to the stored article.
    let extra = write_demo_to(dir.path(), 0..1);
    let more = analyze(
        &Input::Paths(extra),
        Some(&mut s),
        &Options::default(),
        &Quiet,
    )
    .unwrap();
    assert_eq!(more.report.new_articles, 4);
    assert_eq!(more.articles.len(), 12);
    let stored_lead = &more.articles[0];
    let new_lead = more
        .articles
        .iter()
        .find(|a| a.document == more.documents[4].id && a.index == 0)
        .unwrap();
    assert_eq!(
        new_lead.duplicate_of.as_deref(),
        Some(stored_lead.id.as_str()),
        "the earliest stored copy is the first"
    );
    // The store alone reports the same.
    let only = analyze(&Input::None, Some(&mut s), &Options::default(), &Quiet).unwrap();
    assert_eq!(only.articles.len(), 12);
    assert_eq!(
        only.articles
            .iter()
            .filter(|a| a.duplicate_of.is_some())
            .count(),
        1
    );
}

#[test]
fn an_interrupted_run_is_completed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let dbs = store::test_support::fresh_stores(dir.path(), "interrupted");
    let fresh = store::test_support::fresh_stores(dir.path(), "interrupted_fresh");
    for (db, fresh_db) in dbs.iter().zip(&fresh) {
        interrupted_then_completed(db, fresh_db);
    }
}

fn interrupted_then_completed(db: &str, fresh_db: &str) {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("in");
    std::fs::create_dir(&files).unwrap();
    write_demo_to(&files, 0..5);
    // A run that stored only the first two documents (as if killed after its first batch).
    let mut s = Store::open(db).unwrap();
    let partial: Vec<PathBuf> = write_demo_to(&files, 0..2);
    analyze(
        &Input::Paths(partial),
        Some(&mut s),
        &Options {
            batch: 1,
            ..Options::default()
        },
        &Quiet,
    )
    .unwrap();
    let done = analyze(
        &Input::Paths(vec![files.clone()]),
        Some(&mut s),
        &Options::default(),
        &Quiet,
    )
    .unwrap();
    let mut f = Store::open(fresh_db).unwrap();
    let whole = analyze(
        &Input::Paths(vec![files]),
        Some(&mut f),
        &Options::default(),
        &Quiet,
    )
    .unwrap();
    let ids = |a: &Analysis| {
        a.articles
            .iter()
            .map(|x| (x.id.clone(), x.origin.clone()))
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(ids(&done), ids(&whole));
}

#[test]
fn bad_inputs_are_reported_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    write_demo_to(dir.path(), 2..3);
    std::fs::write(dir.path().join("empty.txt"), b"").unwrap();
    std::fs::write(dir.path().join("bin.txt"), b"\x00\x01\x02\x03").unwrap();
    std::fs::write(
        dir.path().join("bad.jsonl"),
        b"{\"text\": \"ok line\"}\nnot json\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.md"), b"# notes").unwrap();
    let a = analyze(
        &Input::Paths(vec![
            dir.path().to_path_buf(),
            dir.path().join("missing.txt"),
        ]),
        None,
        &Options::default(),
        &Quiet,
    )
    .unwrap();
    assert_eq!(a.report.ignored, 1);
    assert_eq!(a.report.read, 2);
    assert_eq!(a.articles.len(), 2);
    let msgs: Vec<String> = a.report.skipped.iter().map(|e| e.to_string()).collect();
    assert_eq!(msgs.len(), 4, "{msgs:?}");
    assert!(
        msgs.iter()
            .any(|m| m.contains("bad.jsonl:2: malformed JSON"))
    );
    assert!(msgs.iter().any(|m| m.contains("empty.txt: empty file")));
    assert!(msgs.iter().any(|m| m.contains("bin.txt: binary")));
    assert!(msgs.iter().any(|m| m.contains("missing.txt: no such file")));
}

#[test]
fn demo_events_threads_and_inferred_anchors() {
    let a = demo();
    let by_title = |p: &str| {
        a.articles
            .iter()
            .find(|x| x.title.as_deref().unwrap_or(&x.text).starts_with(p))
            .unwrap_or_else(|| panic!("no article {p}"))
    };
    let event_of = |x: &Article| {
        a.events
            .iter()
            .find(|e| Some(&e.id) == x.event.as_ref())
            .unwrap()
    };
    let october = event_of(&a.articles[0]);
    let january = event_of(by_title("Syria’s Sharaa meets Putin"));
    let message = event_of(by_title("Putin’s Message"));
    assert_eq!(
        event_of(a.articles.last().unwrap()).id,
        january.id,
        "002 and 004 report one visit"
    );
    assert_ne!(october.id, january.id);
    assert_ne!(message.id, january.id);
    assert_eq!(october.thread, january.thread);
    assert_eq!(message.thread, january.thread);
    assert_eq!(january.date.as_deref(), Some("2026-01-28"));
    // Copies count once.
    assert_eq!(october.origins, 1);
    assert_eq!(october.articles.len(), 2);
    let rafah = event_of(by_title("Hamas Says Fighters"));
    let goldin = event_of(by_title("Israel Receives Body"));
    assert_ne!(rafah.id, goldin.id);
    assert_eq!(rafah.thread, goldin.thread);
    // 002 has no publication date: its "Wednesday" resolves against its event's date.
    let visit = by_title("Syria’s Sharaa meets Putin");
    assert_eq!(visit.published, None);
    let wed = visit
        .timexes
        .iter()
        .find(|t| visit.text[t.start..t.end].contains("Wednesday"))
        .expect("Wednesday");
    assert_eq!(wed.anchor_from, Some(model::AnchorFrom::Inferred));
    assert_eq!(wed.value.as_deref(), Some("2026-01-28"));
    // Every thread lists dated events in date order, undated ones last.
    for t in &a.threads {
        let dates: Vec<Option<&str>> = t
            .events
            .iter()
            .map(|e| {
                a.events
                    .iter()
                    .find(|x| &x.id == e)
                    .unwrap()
                    .date
                    .as_deref()
            })
            .collect();
        let dated: Vec<&str> = dates.iter().flatten().copied().collect();
        let mut sorted = dated.clone();
        sorted.sort();
        assert_eq!(dated, sorted);
        let first_undated = dates
            .iter()
            .position(|d| d.is_none())
            .unwrap_or(dates.len());
        assert!(dates[first_undated..].iter().all(|d| d.is_none()));
    }
}

#[test]
fn two_runs_writing_one_store_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let shared = store::test_support::fresh_stores(dir.path(), "two_writers");
    let ab = store::test_support::fresh_stores(dir.path(), "two_writers_ab");
    let ba = store::test_support::fresh_stores(dir.path(), "two_writers_ba");
    for ((db, ab), ba) in shared.iter().zip(&ab).zip(&ba) {
        two_writers(db, [ab, ba]);
    }
}

/// Two runs with overlapping inputs (pages 0-2 and 1-4 of the demo) write `db` at once, in
/// batches of one document. Runs take turns processing (the store's lock), so the store then
/// holds what the two runs one after the other store, in one order or the other (`serial`:
/// A then B, B then A), every layer included.
fn two_writers(db: &str, serial: [&String; 2]) {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for d in [&a, &b] {
        std::fs::create_dir(d).unwrap();
    }
    write_demo_to(&a, 0..3);
    write_demo_to(&b, 1..5);
    // Create the schema once, as a first run would, before the two writers race.
    drop(Store::open(db).unwrap());
    let opts = Options {
        batch: 1,
        ..Options::default()
    };
    let run = |db: &str, input: &PathBuf| {
        let mut s = Store::open(db).unwrap();
        analyze(
            &Input::Paths(vec![input.clone()]),
            Some(&mut s),
            &opts,
            &Quiet,
        )
        .map(|_| ())
    };
    std::thread::scope(|sc| {
        let ra = sc.spawn(|| run(db, &a));
        let rb = sc.spawn(|| run(db, &b));
        ra.join().unwrap().unwrap();
        rb.join().unwrap().unwrap();
    });
    for (s, order) in serial.iter().zip([[&a, &b], [&b, &a]]) {
        for input in order {
            run(s, input).unwrap();
        }
    }
    let whole = |db: &str| {
        let all = analyze(
            &Input::None,
            Some(&mut Store::open(db).unwrap()),
            &opts,
            &Quiet,
        );
        let all = all.unwrap();
        let integrity = check(&mut Store::open(db).unwrap()).unwrap();
        (all, integrity)
    };
    let (shared, integrity) = whole(db);
    assert_eq!(shared.documents.len(), 5, "{db}: each document stored once");
    assert!(integrity.problems.is_empty(), "{db}: {integrity}");
    assert_eq!(integrity.pending, 0, "{db}");
    let same = |x: &Analysis, y: &Analysis| {
        let ids = |a: &Analysis| a.articles.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
        ids(x) == ids(y)
            && x.articles == y.articles
            && x.entities == y.entities
            && x.events == y.events
            && x.threads == y.threads
            && x.claim_groups == y.claim_groups
            && x.conflicts == y.conflicts
    };
    let orders: Vec<Analysis> = serial.iter().map(|s| whole(s).0).collect();
    assert!(
        orders.iter().any(|o| same(&shared, o)),
        "{db}: the store differs from both serial orders"
    );
}

#[test]
fn a_run_without_a_store_equals_a_run_into_an_empty_store() {
    let dir = tempfile::tempdir().unwrap();
    for db in store::test_support::fresh_stores(dir.path(), "same_as_plain") {
        let files = dir.path().join("in");
        std::fs::create_dir_all(&files).unwrap();
        write_demo_to(&files, 0..5);
        let input = Input::Paths(vec![files]);
        let plain = analyze(&input, None, &Options::default(), &Quiet).unwrap();
        let mut s = Store::open(&db).unwrap();
        let changes = Options {
            report: Report::Changes,
            ..Options::default()
        };
        let changed = analyze(&input, Some(&mut s), &changes, &Quiet).unwrap();
        let loaded = analyze(&Input::None, Some(&mut s), &Options::default(), &Quiet).unwrap();
        for (name, a) in [("changes", &changed), ("store", &loaded)] {
            assert_eq!(a.documents, plain.documents, "{db} {name}");
            assert_eq!(a.articles, plain.articles, "{db} {name}");
            assert_eq!(a.entities, plain.entities, "{db} {name}");
            assert_eq!(a.events, plain.events, "{db} {name}");
            assert_eq!(a.threads, plain.threads, "{db} {name}");
            assert_eq!(a.claims, plain.claims, "{db} {name}");
            assert_eq!(a.claim_groups, plain.claim_groups, "{db} {name}");
            assert_eq!(a.conflicts, plain.conflicts, "{db} {name}");
        }
        // Every layer was stored: nothing is left to process, every annotation is kept.
        let integrity = check(&mut s).unwrap();
        assert!(integrity.problems.is_empty(), "{db}: {integrity}");
        assert_eq!(integrity.claim_groups, plain.claim_groups.len(), "{db}");
        assert!(s.pending().unwrap().is_empty(), "{db}");
        let ids: Vec<String> = plain.articles.iter().map(|a| a.id.clone()).collect();
        let stored = s.annotations(lang::ANNOTATIONS_VERSION, &ids).unwrap();
        assert_eq!(stored.len(), ids.len(), "{db}");
    }
}

#[test]
fn a_run_over_a_store_judges_only_the_threads_its_articles_reach() {
    let dir = tempfile::tempdir().unwrap();
    for db in store::test_support::fresh_stores(dir.path(), "touched") {
        let first_in = dir.path().join("first");
        let later_in = dir.path().join("later");
        std::fs::create_dir_all(&first_in).unwrap();
        std::fs::create_dir_all(&later_in).unwrap();
        write_demo_to(&first_in, 0..3);
        write_demo_to(&later_in, 3..5);
        let mut s = Store::open(&db).unwrap();
        let changes = Options {
            report: Report::Changes,
            ..Options::default()
        };
        let first = analyze(
            &Input::Paths(vec![first_in]),
            Some(&mut s),
            &changes,
            &Quiet,
        )
        .unwrap();
        assert_eq!(first.report.readings_reused, 0, "{db}: nothing stored yet");
        assert_eq!(first.report.threads_judged, first.threads.len(), "{db}");
        // Nothing new: nothing is processed.
        let again = analyze(&Input::None, Some(&mut s), &changes, &Quiet).unwrap();
        assert_eq!(again.report.threads_judged, 0, "{db}");
        assert!(again.articles.is_empty() && again.claims.is_empty(), "{db}");
        // New pages: only their articles are processed, only the threads they reach judged.
        let more = analyze(
            &Input::Paths(vec![later_in]),
            Some(&mut s),
            &changes,
            &Quiet,
        )
        .unwrap();
        assert_eq!(more.articles.len(), more.report.new_articles, "{db}");
        let all = analyze(&Input::None, Some(&mut s), &Options::default(), &Quiet).unwrap();
        assert!(more.report.threads_judged >= 1, "{db}");
        assert!(
            more.report.threads_judged < all.threads.len(),
            "{db}: a thread the new pages do not reach is not judged again"
        );
        // Stored articles of the threads judged again are not read again.
        assert!(more.report.readings_reused >= 1, "{db}");
        // The store's claims equal judging every thread of the store afresh: what was not
        // judged again had not changed.
        let fresh = claims::corroborate(&all.articles, &all.entities, &all.events, &all.threads);
        let sorted = |mut v: Vec<model::ClaimGroup>| {
            v.sort_by(|a, b| a.id.cmp(&b.id));
            v
        };
        assert_eq!(
            sorted(all.claim_groups.clone()),
            sorted(fresh.groups),
            "{db}"
        );
        assert_eq!(all.conflicts.len(), fresh.conflicts.len(), "{db}");
    }
}

/// A WARC archive (plain, not compressed) of the demo pages as HTML responses.
fn demo_warc(path: &std::path::Path) {
    let mut out = Vec::new();
    for (i, (name, bytes)) in ingest::demo_files().iter().enumerate() {
        let text = String::from_utf8_lossy(bytes);
        let paras: String = (text.split("\n\n"))
            .map(|p| format!("<p>{}</p>\n", p.replace('&', "&amp;").replace('<', "&lt;")))
            .collect();
        let html = format!("<html><body><article>{paras}</article></body></html>");
        let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{html}");
        out.extend_from_slice(
            format!(
                "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/{i}/{name}\r\n\
                 WARC-Date: 2026-01-29T06:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n\
                 Content-Length: {}\r\n\r\n{block}\r\n\r\n",
                block.len()
            )
            .as_bytes(),
        );
    }
    std::fs::write(path, out).unwrap();
}

#[test]
fn an_archive_streamed_into_a_store_in_chunks_equals_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("demo.warc");
    demo_warc(&warc);
    let input = Input::Paths(vec![warc]);
    let plain = analyze(&input, None, &Options::default(), &Quiet).unwrap();
    assert_eq!(plain.documents.len(), 5);
    for db in store::test_support::fresh_stores(dir.path(), "chunks") {
        let mut s = Store::open(&db).unwrap();
        let chunked = Options {
            archive_chunk: 2,
            report: Report::Changes,
            ..Options::default()
        };
        let changed = analyze(&input, Some(&mut s), &chunked, &Quiet).unwrap();
        assert_eq!(changed.report.new_documents, 5, "{db}");
        let loaded = analyze(&Input::None, Some(&mut s), &Options::default(), &Quiet).unwrap();
        // Chunks are successive runs: what a batch decides over all its documents (an
        // entity's name, for one) is decided chunk by chunk, so only what does not depend on
        // it is compared with one run; the runs' changes, gathered, equal the store.
        let ids = |c: &Analysis| c.articles.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&loaded), ids(&plain), "{db}");
        for (x, y) in loaded.articles.iter().zip(&plain.articles) {
            assert_eq!(
                (&x.text, &x.origin, &x.url),
                (&y.text, &y.origin, &y.url),
                "{db}"
            );
        }
        assert_eq!(loaded.documents, plain.documents, "{db}");
        let mut by_id = changed.articles.clone();
        by_id.sort_by(|a, b| a.id.cmp(&b.id));
        let mut stored = loaded.articles.clone();
        stored.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(by_id, stored, "{db}: the runs' changes gathered");
        assert_eq!(changed.events.len(), loaded.events.len(), "{db}");
        assert!(check(&mut s).unwrap().problems.is_empty(), "{db}");
    }
}
