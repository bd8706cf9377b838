//! End-to-end over HTTP: `analyze URL` and `watch`, against a loopback server the test starts.

use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

#[path = "../../fetch/tests/support/mod.rs"]
mod support;

use support::{Response, Server};

fn crosscheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(args)
        .output()
        .expect("run crosscheck")
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<html><head><title>{title}</title></head><body><nav><a href=\"/\">Home</a></nav>\
         <article><h1>{title}</h1><p>{body}</p><p>{body} The officials said more talks would \
         follow next week in the capital, according to two people familiar with the plans.</p>\
         </article></body></html>"
    )
}

fn rss(base: &str, items: &[(&str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(path, title)| {
            format!("<item><title>{title}</title><link>{base}{path}</link></item>")
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>{items}</channel></rss>"
    )
}

/// A news site: robots.txt, a feed (with an ETag) of the items in `items`, and their pages.
fn site(items: Arc<Mutex<Vec<(&'static str, &'static str)>>>) -> Server {
    let base = Arc::new(Mutex::new(String::new()));
    let b = base.clone();
    let server = Server::start(move |req| {
        let items = items.lock().unwrap().clone();
        let etag = format!("\"v{}\"", items.len());
        match req.path.as_str() {
            "/robots.txt" => Response::ok("User-agent: *\nDisallow: /private/\n"),
            "/feed.xml" if req.header("If-None-Match") == Some(etag.as_str()) => {
                Response::status(304).header("ETag", &etag)
            }
            "/feed.xml" => Response::ok(rss(&b.lock().unwrap(), &items))
                .header("Content-Type", "application/rss+xml")
                .header("ETag", &etag),
            p => match items.iter().find(|(path, _)| *path == p) {
                Some((_, title)) => Response::ok(page(title, &format!("{title} was announced.")))
                    .header("Content-Type", "text/html; charset=utf-8"),
                None => Response::status(404),
            },
        }
    });
    *base.lock().unwrap() = server.url("");
    server
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn analyze_reads_a_feed_over_http_and_the_pages_it_links_to() {
    let items = Arc::new(Mutex::new(vec![
        ("/news/ceasefire", "Ceasefire agreed in the south"),
        ("/news/vote", "Parliament votes on the budget"),
        ("/private/draft", "A draft robots.txt forbids"),
    ]));
    let server = site(items);
    let out = json(&crosscheck(&[
        "analyze",
        "--json",
        "--allow-private",
        &server.url("/feed.xml"),
    ]));
    let docs = out["documents"].as_array().unwrap();
    let paths: Vec<&str> = docs.iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert!(
        paths.contains(&server.url("/news/ceasefire").as_str()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&server.url("/news/vote").as_str()),
        "{paths:?}"
    );
    assert_eq!(docs.len(), 2, "robots.txt keeps /private/ out: {paths:?}");
    let texts: Vec<&str> = (out["articles"].as_array().unwrap().iter())
        .map(|a| a["text"].as_str().unwrap())
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Ceasefire agreed in the south was announced"))
    );
    assert!(!server.paths().contains(&"/private/draft".to_string()));
}

#[test]
fn loopback_urls_are_refused_without_allow_private() {
    let server = site(Arc::new(Mutex::new(vec![("/a", "A")])));
    let out = crosscheck(&["analyze", "--json", &server.url("/a")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not public"), "{err}");
    assert!(server.paths().is_empty(), "nothing reached the server");
}

#[test]
fn watch_takes_each_entry_once_and_continues_after_a_restart() {
    let items = Arc::new(Mutex::new(vec![("/news/one", "First report on the storm")]));
    let server = site(items.clone());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("news.db").display().to_string();
    let feeds = dir.path().join("feeds.txt");
    std::fs::write(
        &feeds,
        format!("# our feeds\n{}\n", server.url("/feed.xml")),
    )
    .unwrap();
    let feeds = feeds.display().to_string();
    let poll = || {
        let out = crosscheck(&["watch", &feeds, "--db", &db, "--once", "--allow-private"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(poll().contains("entries 1 left 0 new_articles 1"));
    // Unchanged: the feed answers 304 and nothing is fetched.
    let second = poll();
    assert!(second.contains("unchanged 1 entries 0"), "{second}");
    // A new entry: only it is fetched, by a new process reading the state from the store.
    items
        .lock()
        .unwrap()
        .push(("/news/two", "Second report on the storm damage"));
    let third = poll();
    assert!(third.contains("unchanged 0 entries 1"), "{third}");
    let pages = server.paths();
    assert_eq!(
        pages.iter().filter(|p| *p == "/news/one").count(),
        1,
        "{pages:?}"
    );
    assert_eq!(
        pages.iter().filter(|p| *p == "/news/two").count(),
        1,
        "{pages:?}"
    );
    let check = crosscheck(&["check", "--db", &db]);
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(
        report.starts_with("documents 2 articles 2 pending 0"),
        "{report}"
    );
}
