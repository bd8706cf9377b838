//! Feeds, sitemaps, the sniffer and WARC archives, on fixtures written here.

use super::*;
use std::io::Write;

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn warc_record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2026-01-28T10:00:00Z\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut b = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
    b.extend_from_slice(body);
    b
}

const PAGE_A: &str = "<html><head><title>Talks in Moscow</title></head><body><article>\
    <h1>Talks in Moscow</h1><p>The two leaders met in the Kremlin on Wednesday to discuss \
    the future of the Russian bases in Syria, officials said.</p></article></body></html>";

/// Four records: an HTML response, a request, a non-HTML response, and a chunked Latin-1
/// HTML response whose charset only the HTTP header gives.
fn warc_records() -> Vec<Vec<u8>> {
    let latin1: Vec<u8> =
        b"<html><body><p>Caf\xe9 talks resumed in Damascus on Thursday.</p></body></html>".to_vec();
    let mut chunked = format!("{:x}\r\n", latin1.len()).into_bytes();
    chunked.extend_from_slice(&latin1);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    vec![
        warc_record(
            "response",
            "https://example.org/a",
            "application/http; msgtype=response",
            &http(
                "200 OK",
                "Content-Type: text/html; charset=utf-8\r\n",
                PAGE_A.as_bytes(),
            ),
        ),
        warc_record(
            "request",
            "https://example.org/a",
            "application/http; msgtype=request",
            b"GET /a HTTP/1.1\r\nHost: example.org\r\n\r\n",
        ),
        warc_record(
            "response",
            "https://example.org/logo.png",
            "application/http; msgtype=response",
            &http(
                "200 OK",
                "Content-Type: image/png\r\n",
                b"\x89PNG\r\n\x1a\n",
            ),
        ),
        warc_record(
            "response",
            "https://example.org/b",
            "application/http; msgtype=response",
            &http(
                "200 OK",
                "Content-Type: text/html; charset=ISO-8859-1\r\nTransfer-Encoding: chunked\r\n",
                &chunked,
            ),
        ),
    ]
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn web(doc: &RawDocument) -> &WebPage {
    match &doc.content {
        Content::Web(w) => w,
        other => panic!("expected a web page, got {other:?}"),
    }
}

fn check_two_pages(docs: &[RawDocument]) {
    assert_eq!(docs.len(), 2);
    assert_eq!(web(&docs[0]).url.as_deref(), Some("https://example.org/a"));
    assert_eq!(
        web(&docs[0]).published.as_deref(),
        Some("2026-01-28T10:00:00Z")
    );
    assert!(web(&docs[0]).html.contains("Talks in Moscow"));
    assert_eq!(web(&docs[1]).url.as_deref(), Some("https://example.org/b"));
    // De-chunked, and decoded from the header's charset.
    assert!(
        web(&docs[1]).html.contains("Café talks"),
        "{}",
        web(&docs[1]).html
    );
    assert!(docs.iter().all(|d| d.kind == DocKind::Html));
}

#[test]
fn warc_gzip_per_record_whole_file_and_plain_read_alike() {
    let dir = tempfile::tempdir().unwrap();
    let recs = warc_records();
    let per_record: Vec<u8> = recs.iter().flat_map(|r| gz(r)).collect();
    let plain = recs.concat();
    for (name, bytes) in [
        ("per-record.warc.gz", per_record),
        ("whole.warc.gz", gz(&plain)),
        ("plain.warc", plain),
    ] {
        let p = write(dir.path(), name, &bytes);
        let mut it = warc_documents(&p);
        let docs: Vec<_> = it.by_ref().map(Result::unwrap).collect();
        check_two_pages(&docs);
        let stats = it.stats();
        assert_eq!(
            (stats.records, stats.documents, stats.skipped),
            (4, 2, 2),
            "{name}"
        );
    }
}

#[test]
fn truncated_warc_keeps_the_records_before_and_names_the_offset() {
    let dir = tempfile::tempdir().unwrap();
    let recs = warc_records();
    // Cut the per-record gzip file inside the last record's member.
    let mut bytes: Vec<u8> = recs[..3].iter().flat_map(|r| gz(r)).collect();
    let last = gz(&recs[3]);
    bytes.extend_from_slice(&last[..last.len() / 2]);
    let p = write(dir.path(), "cut.warc.gz", &bytes);
    let items: Vec<_> = warc_documents(&p).collect();
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].is_ok());
    let err = items[1].as_ref().unwrap_err();
    let offset = recs[..3].iter().map(|r| r.len() as u64).sum::<u64>();
    assert!(
        matches!(&err.reason, Reason::Warc { record: 4, offset: o, .. } if *o == offset),
        "{err}"
    );
    assert!(err.to_string().contains("cut.warc.gz"), "{err}");

    // A plain file whose last block is short.
    let plain = recs.concat();
    let p = write(dir.path(), "short.warc", &plain[..plain.len() - 20]);
    let items: Vec<_> = warc_documents(&p).collect();
    assert_eq!(items.len(), 2);
    let err = items[1].as_ref().unwrap_err();
    assert!(err.to_string().contains("truncated"), "{err}");
}

#[test]
fn warc_garbage_and_oversize_records() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "junk.warc", b"this is not a WARC file\n");
    let items: Vec<_> = warc_documents(&p).collect();
    assert_eq!(items.len(), 1);
    assert!(matches!(
        items[0].as_ref().unwrap_err().reason,
        Reason::Warc {
            record: 1,
            offset: 0,
            ..
        }
    ));

    // A record over the cap is an error item; the next one is still read.
    let recs = warc_records();
    let p = write(dir.path(), "big.warc", &recs.concat());
    let mut it = WarcDocuments::open(&p, 200);
    let items: Vec<_> = it.by_ref().collect();
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(
        items[0].as_ref().unwrap_err().reason,
        Reason::TooLarge { .. }
    ));
    assert_eq!(
        web(items[1].as_ref().unwrap()).url.as_deref(),
        Some("https://example.org/b")
    );
    assert_eq!(it.stats().too_large, 1);

    let items: Vec<_> = warc_documents(&dir.path().join("missing.warc")).collect();
    assert_eq!(items[0].as_ref().unwrap_err().reason, Reason::NotFound);
}

#[test]
fn read_file_collects_a_warc_and_counts_skipped_records() {
    let dir = tempfile::tempdir().unwrap();
    let bytes: Vec<u8> = warc_records().iter().flat_map(|r| gz(r)).collect();
    write(dir.path(), "crawl.warc.gz", &bytes);
    let c = collect(&[dir.path()]);
    assert_eq!(c.files.len(), 1);
    let items = read_file(&c.files[0], DEFAULT_MAX_BYTES).unwrap();
    let docs: Vec<_> = items
        .iter()
        .filter_map(|i| i.as_ref().ok())
        .cloned()
        .collect();
    check_two_pages(&docs);
    let errs: Vec<_> = items.iter().filter_map(|i| i.as_ref().err()).collect();
    assert_eq!(errs.len(), 1);
    assert_eq!(
        errs[0].reason,
        Reason::WarcSkipped {
            skipped: 2,
            records: 4
        }
    );
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Wire</title><link>https://wire.example/</link><description>News</description>
<item><title>Leaders meet</title><link>https://wire.example/a</link>
<pubDate>Wed, 28 Jan 2026 10:00:00 GMT</pubDate><description>Short.</description>
<content:encoded><![CDATA[<p>The two leaders met in the Kremlin on Wednesday.</p>]]></content:encoded></item>
<item><title>Only a link</title><link>https://wire.example/b</link>
<description>Teaser &amp; more.</description></item>
</channel></rss>"#;

#[test]
fn rss_entries_with_content_are_documents_and_the_others_links() {
    let entries = parse_feed(RSS.as_bytes(), None).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].url.as_deref(), Some("https://wire.example/a"));
    assert_eq!(entries[0].title.as_deref(), Some("Leaders meet"));
    assert!(
        entries[0]
            .published
            .as_deref()
            .unwrap()
            .starts_with("2026-01-28T10:00:00")
    );
    assert!(entries[0].content.as_deref().unwrap().contains("Kremlin"));
    assert_eq!(entries[1].content, None);
    assert_eq!(entries[1].summary.as_deref(), Some("Teaser & more."));

    let dir = tempfile::tempdir().unwrap();
    // A feed is recognised by its content even with a .txt name.
    let p = write(dir.path(), "wire.txt", RSS.as_bytes());
    let items = read_file(&collect(&[p]).files[0], DEFAULT_MAX_BYTES).unwrap();
    assert_eq!(items.len(), 2);
    let doc = items[0].as_ref().unwrap();
    assert_eq!(web(doc).url.as_deref(), Some("https://wire.example/a"));
    assert_eq!(web(doc).title.as_deref(), Some("Leaders meet"));
    let err = items[1].as_ref().unwrap_err();
    assert_eq!(
        err.reason.to_string(),
        "1 feed entries only link to their article: fetch them with a URL input"
    );
}

#[test]
fn atom_and_json_feeds() {
    let atom = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
      <title>T</title><id>urn:x</id><updated>2026-01-28T00:00:00Z</updated>
      <entry><title>Entry one</title><id>urn:1</id><link href="/news/1"/>
      <published>2026-01-27T08:30:00Z</published><updated>2026-01-28T00:00:00Z</updated>
      <content type="html">&lt;p&gt;Body of entry one.&lt;/p&gt;</content></entry></feed>"#;
    assert_eq!(sniff(atom.as_bytes(), None, None), WebKind::Feed);
    let e = parse_feed(atom.as_bytes(), Some("https://site.example/feed.atom")).unwrap();
    assert_eq!(e[0].url.as_deref(), Some("https://site.example/news/1"));
    assert_eq!(e[0].published.as_deref(), Some("2026-01-27T08:30:00+00:00"));
    assert_eq!(e[0].content.as_deref(), Some("<p>Body of entry one.</p>"));

    let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "J",
      "items": [{"id": "1", "url": "https://j.example/1", "title": "Html item",
                 "content_html": "<p>Hello <b>world</b>.</p>", "date_published": "2026-01-28T10:00:00Z"},
                {"id": "2", "url": "https://j.example/2", "content_text": "Line one.\n\nA < B."},
                {"id": "3", "url": "https://j.example/3", "summary": "only a summary"}]}"#;
    assert_eq!(sniff(json.as_bytes(), None, None), WebKind::Feed);
    let e = parse_feed(json.as_bytes(), None).unwrap();
    assert_eq!(e.len(), 3);
    assert_eq!(e[0].content.as_deref(), Some("<p>Hello <b>world</b>.</p>"));
    assert_eq!(
        e[1].content.as_deref(),
        Some("<p>Line one.</p>\n<p>A &lt; B.</p>\n")
    );
    assert_eq!(e[2].content, None);
    let read = read_web("j.json", json.as_bytes(), None).unwrap();
    assert_eq!((read.documents.len(), read.links.len()), (2, 1));
    assert_eq!(read.links[0].url, "https://j.example/3");

    assert!(matches!(
        parse_feed(b"<rss><channel><item>", None),
        Err(Reason::Feed(_))
    ));
}

const NEWS_SITEMAP: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://n.example/a?x=1&amp;y=2</loc><lastmod>2026-01-28</lastmod>
    <news:news><news:publication><news:name>N</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2026-01-28T09:00:00Z</news:publication_date>
      <news:title>Leaders meet in Moscow</news:title></news:news>
    <image:image><image:loc>https://n.example/i.jpg</image:loc><image:title>Not the title</image:title></image:image>
  </url>
  <url><loc> https://n.example/b </loc></url>
  <url><lastmod>2026-01-01</lastmod></url>
</urlset>"#;

#[test]
fn news_sitemap_and_sitemap_index() {
    assert_eq!(
        sniff(NEWS_SITEMAP.as_bytes(), Some("text/html"), None),
        WebKind::Sitemap
    );
    let s = parse_sitemap(NEWS_SITEMAP.as_bytes()).unwrap();
    assert!(s.children.is_empty());
    assert_eq!(s.links.len(), 2, "{s:?}");
    let a = &s.links[0];
    assert_eq!(a.url, "https://n.example/a?x=1&y=2");
    assert_eq!(a.title.as_deref(), Some("Leaders meet in Moscow"));
    assert_eq!(a.published.as_deref(), Some("2026-01-28T09:00:00Z"));
    assert_eq!(a.lastmod.as_deref(), Some("2026-01-28"));
    assert_eq!(s.links[1].url, "https://n.example/b");
    assert_eq!(s.links[1].title, None);

    let index = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://n.example/s1.xml</loc><lastmod>2026-01-28</lastmod></sitemap>
      <sitemap><loc>https://n.example/s2.xml.gz</loc></sitemap></sitemapindex>"#;
    let gz_index = gz(index.as_bytes());
    assert_eq!(sniff(&gz_index, None, None), WebKind::SitemapIndex);
    let s = parse_sitemap(index.as_bytes()).unwrap();
    assert!(s.links.is_empty());
    assert_eq!(s.children.len(), 2);
    assert_eq!(s.children[1].url, "https://n.example/s2.xml.gz");

    // As files: links are reported, the index's .gz is read decompressed.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "news-sitemap.xml", NEWS_SITEMAP.as_bytes());
    write(dir.path(), "sitemap_index.xml.gz", &gz_index);
    let c = collect(&[dir.path()]);
    let msgs: Vec<String> = c
        .files
        .iter()
        .flat_map(|f| read_file(f, DEFAULT_MAX_BYTES).unwrap())
        .map(|i| i.unwrap_err().reason.to_string())
        .collect();
    assert_eq!(
        msgs,
        [
            "2 sitemap entries only link to their article: fetch them with a URL input",
            "2 sitemap index entries name other sitemaps: fetch them with a URL input"
        ]
    );

    assert!(matches!(
        parse_sitemap(b"<urlset><url><loc>x</url>"),
        Err(Reason::Sitemap(_))
    ));
    assert!(matches!(
        parse_sitemap(b"<html></html>"),
        Err(Reason::Sitemap(_))
    ));
}

#[test]
fn sniffs_content_first_then_hints() {
    let s = |b: &str, ct, url| sniff(b.as_bytes(), ct, url);
    assert_eq!(
        s("<!DOCTYPE html><html><body>x</body></html>", None, None),
        WebKind::Page
    );
    assert_eq!(
        s(
            "\u{feff}<?xml version=\"1.0\"?><!-- c --><rss version=\"2.0\">",
            None,
            None
        ),
        WebKind::Feed
    );
    assert_eq!(s("<rdf:RDF xmlns:rdf=\"x\">", None, None), WebKind::Feed);
    assert_eq!(
        s(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
            Some("text/html"),
            None
        ),
        WebKind::Feed
    );
    assert_eq!(s("WARC/1.1\r\n", None, None), WebKind::Warc);
    assert_eq!(
        sniff(&gz(b"WARC/1.0\r\nWARC-Type: warcinfo\r\n"), None, None),
        WebKind::Warc
    );
    assert_eq!(
        s("{\"text\": \"a\"}\n{\"text\": \"b\"}\n", None, None),
        WebKind::Jsonl
    );
    assert_eq!(
        s("Plain words.", None, Some("https://x.example/p.html?q=1")),
        WebKind::Page
    );
    assert_eq!(
        s("Plain words.", Some("text/html; charset=utf-8"), None),
        WebKind::Page
    );
    assert_eq!(s("Plain words.", None, None), WebKind::Text);
    assert_eq!(s("<!é>", None, None), WebKind::Page);
}

#[test]
fn collect_finds_web_formats_by_content_and_rejects_misnamed_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "feed", RSS.as_bytes());
    write(dir.path(), "notes", b"just some notes");
    let c = collect(&[dir.path()]);
    assert_eq!(c.files.len(), 1);
    assert_eq!(c.ignored.len(), 1);
    assert_eq!(
        classify(Path::new("a.warc.gz")),
        Some((DocKind::Html, true))
    );
    assert_eq!(classify(Path::new("a.rss")), Some((DocKind::Html, false)));

    let p = write(dir.path(), "data.json", b"{\"a\": 1}");
    let err = read_file(&collect(&[p]).files[0], DEFAULT_MAX_BYTES).unwrap_err();
    assert_eq!(err.reason, Reason::NotWeb);
    assert!(err.to_string().contains("data.json"));

    let c = collect(&[dir.path().join("notes")]);
    assert_eq!(c.errors[0].reason, Reason::Unsupported);
    assert!(c.errors[0].to_string().contains(".warc.gz"));
}

#[test]
fn warc_reads_gzip_encoded_bodies_and_skips_failed_responses() {
    let dir = tempfile::tempdir().unwrap();
    let rt = "application/http; msgtype=response";
    let recs = [
        warc_record(
            "response",
            "https://example.org/z",
            rt,
            &http(
                "200 OK",
                "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
                &gz(PAGE_A.as_bytes()),
            ),
        ),
        warc_record(
            "response",
            "https://example.org/missing",
            rt,
            &http(
                "404 Not Found",
                "Content-Type: text/html\r\n",
                b"<html><body>Not found</body></html>",
            ),
        ),
        warc_record(
            "metadata",
            "https://example.org/z",
            "application/warc-fields",
            b"fetchTimeMs: 12\r\n",
        ),
    ];
    let p = write(dir.path(), "enc.warc", &recs.concat());
    let mut it = warc_documents(&p);
    let docs: Vec<_> = it.by_ref().map(Result::unwrap).collect();
    assert_eq!(docs.len(), 1);
    assert!(web(&docs[0]).html.contains("Talks in Moscow"));
    assert_eq!(docs[0].bytes, PAGE_A.len() as u64);
    assert_eq!((it.stats().records, it.stats().skipped), (3, 2));
}
