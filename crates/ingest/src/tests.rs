use super::*;
use std::io::Write;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn classifies_by_extension() {
    assert_eq!(classify(Path::new("a.txt")), Some((DocKind::Text, false)));
    assert_eq!(
        classify(Path::new("x/page.HTML.gz")),
        Some((DocKind::Html, true))
    );
    assert_eq!(classify(Path::new("a.htm")), Some((DocKind::Html, false)));
    assert_eq!(
        classify(Path::new("a.jsonl.gz")),
        Some((DocKind::Jsonl, true))
    );
    assert_eq!(classify(Path::new("a.pdf")), None);
    assert_eq!(classify(Path::new("README")), None);
}

#[test]
fn walks_directories_and_counts_other_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    write(dir.path(), "b.txt", b"Title\n\nBody text here.");
    write(&dir.path().join("sub"), "a.html", b"<p>x</p>");
    write(dir.path(), "notes.pdf", b"%PDF");
    let c = collect(&[dir.path()]);
    assert_eq!(c.files.len(), 2);
    assert_eq!(c.ignored.len(), 1);
    assert!(c.errors.is_empty());
    // A file named directly that is of no supported type is an error.
    let c = collect(&[dir.path().join("notes.pdf")]);
    assert_eq!(c.errors.len(), 1);
    assert_eq!(c.errors[0].reason, Reason::Unsupported);
    let c = collect(&[dir.path().join("missing.txt")]);
    assert_eq!(c.errors[0].reason, Reason::NotFound);
    assert!(c.errors[0].to_string().contains("missing.txt"));
}

#[test]
fn reads_pages_and_rejects_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let read = |name: &str, bytes: &[u8]| {
        let p = write(dir.path(), name, bytes);
        let (kind, gzip) = classify(&p).unwrap();
        read_file(
            &SourceFile {
                path: p,
                kind,
                gzip,
            },
            1000,
        )
    };
    let ok = read("ok.txt", "Héllo\n\nWorld.".as_bytes()).unwrap();
    let doc = ok[0].as_ref().unwrap();
    assert_eq!(doc.id, model::content_id("Héllo\n\nWorld.".as_bytes()));
    assert_eq!(doc.content, Content::Page("Héllo\n\nWorld.".into()));
    let z = read("z.txt.gz", &gz(b"Zipped page.")).unwrap();
    assert_eq!(
        z[0].as_ref().unwrap().content,
        Content::Page("Zipped page.".into())
    );

    assert_eq!(read("e.txt", b"").unwrap_err().reason, Reason::Empty);
    assert_eq!(read("w.txt", b" \n\n ").unwrap_err().reason, Reason::Empty);
    assert_eq!(
        read("b.txt", b"\x00\x01\x02PK\x03\x04").unwrap_err().reason,
        Reason::Binary
    );
    // Not UTF-8: decoded by a guess, never refused.
    let legacy = read("u.txt", b"caf\xe9 cr\xe8me").unwrap();
    assert_eq!(
        legacy[0].as_ref().unwrap().content,
        Content::Page("café crème".into())
    );
    let big = vec![b'a'; 1001];
    assert!(matches!(
        read("big.txt", &big).unwrap_err().reason,
        Reason::TooLarge { .. }
    ));
    assert!(matches!(
        read("bad.txt.gz", b"not gzip at all").unwrap_err().reason,
        Reason::Gzip(_)
    ));
}

#[test]
fn html_with_legacy_charset_is_decoded() {
    let html =
        b"<html><head><meta charset=\"windows-1252\"></head><body><p>caf\xe9</p></body></html>";
    let d = page_document("p.html", DocKind::Html, html).unwrap();
    match d.content {
        Content::Page(s) => assert!(s.contains("café")),
        _ => panic!("expected a page"),
    }
}

#[test]
fn jsonl_lines_are_documents_and_bad_lines_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::new();
    body.push_str(r#"{"text": "First article.", "title": "One", "published": "2026-01-28"}"#);
    body.push('\n');
    body.push_str("{not json}\n");
    body.push('\n');
    body.push_str(r#"{"title": "no text"}"#);
    body.push('\n');
    body.push_str(&format!("{{\"text\": \"{}\"}}\n", "x".repeat(300)));
    body.push_str(r#"{"text": "Last.", "url": 5}"#);
    body.push('\n');
    body.push_str(r#"{"text": "Final.", "outlet": null}"#);
    let p = write(dir.path(), "a.jsonl", body.as_bytes());
    let docs = read_file(
        &SourceFile {
            path: p,
            kind: DocKind::Jsonl,
            gzip: false,
        },
        200,
    )
    .unwrap();
    assert_eq!(docs.len(), 6);
    let first = docs[0].as_ref().unwrap();
    assert_eq!(first.line, Some(1));
    let Content::Record(r) = &first.content else {
        panic!()
    };
    assert_eq!(r.title.as_deref(), Some("One"));
    let e = docs[1].as_ref().unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(matches!(e.reason, Reason::Json(_)));
    assert!(
        docs[2]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("\"text\"")
    );
    assert_eq!(docs[2].as_ref().unwrap_err().line, Some(4));
    assert!(matches!(
        docs[3].as_ref().unwrap_err().reason,
        Reason::TooLarge { what: "line", .. }
    ));
    assert!(docs[4].as_ref().unwrap_err().to_string().contains("url"));
    assert_eq!(docs[5].as_ref().unwrap().line, Some(7));
    // The id is the hash of the line itself.
    assert_eq!(
        first.id,
        model::content_id(
            br#"{"text": "First article.", "title": "One", "published": "2026-01-28"}"#
        )
    );
}

#[test]
fn demo_is_embedded() {
    let files = demo_files();
    assert_eq!(files.len(), 5);
    for (name, bytes) in files {
        let d = page_document(name, DocKind::Text, bytes).unwrap();
        assert!(d.bytes > 1000);
    }
}
