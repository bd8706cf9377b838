//! End-to-end: `crosscheck analyze` on a WARC archive, a feed and a sitemap.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

fn crosscheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(args)
        .output()
        .expect("run crosscheck")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn response(uri: &str, html: &str) -> Vec<u8> {
    let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{html}");
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2026-01-29T06:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block.as_bytes());
    r.extend_from_slice(b"\r\n\r\n");
    gz(&r)
}

const BODY: &str = "<p>President Vladimir Putin received Syrian leader Ahmed al-Sharaa in the \
    Kremlin on Wednesday for talks on Russian military bases in Syria and on reconstruction, \
    the Kremlin said in a statement after the meeting.</p><p>The two men had last met in \
    October, when al-Sharaa made his first visit to Moscow since taking power.</p>";

#[test]
fn warc_feed_and_sitemap_are_analyzed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let page = format!(
        "<html><head><title>Putin receives al-Sharaa</title>\
         <meta property=\"article:published_time\" content=\"2026-01-28T12:00:00Z\"></head>\
         <body><article><h1>Putin receives al-Sharaa</h1>{BODY}</article></body></html>"
    );
    let undated = format!(
        "<html><body><article><h1>Second report</h1>{BODY}<p>More.</p></article></body></html>"
    );
    let mut warc = response("https://a.example/1", &page);
    warc.extend(response("https://b.example/2", &undated));
    let warc = write(d, "crawl.warc.gz", &warc);
    let feed = write(
        d,
        "feed.xml",
        format!(
            "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>\
             <title>W</title><item><title>Feed report</title><link>https://c.example/3</link>\
             <pubDate>Wed, 28 Jan 2026 15:00:00 GMT</pubDate>\
             <content:encoded><![CDATA[{BODY}<p>Reported by the wire.</p>]]></content:encoded></item>\
             <item><title>Link only</title><link>https://c.example/4</link></item></channel></rss>"
        )
        .as_bytes(),
    );
    let sitemap = write(
        d,
        "sitemap.xml",
        b"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
          <url><loc>https://d.example/5</loc></url></urlset>",
    );

    let out = crosscheck(&["analyze", "--json", &warc, &feed, &sitemap]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "feed.xml: 1 feed entries only link to their article: fetch them with a URL input"
        ),
        "{err}"
    );
    assert!(
        err.contains("sitemap.xml: 1 sitemap entries only link"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arts = v["articles"].as_array().unwrap();
    let by_url = |u: &str| {
        arts.iter()
            .find(|a| a["url"] == u)
            .unwrap_or_else(|| panic!("no article for {u}: {arts:?}"))
    };
    // The page's own date wins over the WARC date; the WARC date fills an undated page.
    assert_eq!(
        by_url("https://a.example/1")["published"],
        "2026-01-28T12:00:00Z"
    );
    assert_eq!(
        by_url("https://b.example/2")["published"],
        "2026-01-29T06:00:00Z"
    );
    let f = by_url("https://c.example/3");
    assert_eq!(f["title"], "Feed report");
    assert_eq!(f["published"], "2026-01-28T15:00:00Z");
}
