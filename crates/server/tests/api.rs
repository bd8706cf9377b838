//! The server on a loopback listener each test starts itself (127.0.0.1:0): every GET route,
//! the write guard, the limits, and a POST that makes an article searchable.

use std::net::SocketAddr;
use std::sync::Arc;

use crosscheck_server::{AppState, Config, router};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Serves `state` on 127.0.0.1:0 in the background; returns the address.
async fn spawn(state: AppState) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router(Arc::new(state)))
            .await
            .unwrap();
    });
    addr
}

fn sample_state() -> AppState {
    AppState::read_only(
        report::html::fixtures::sample(),
        crosscheck_server::DEFAULT_MAX_BODY,
    )
    .unwrap()
}

/// A store at `db` seeded with the demo corpus, served with `token` and `max_body`. Opened on
/// a blocking thread, as `crosscheck serve` does before its runtime starts: the PostgreSQL
/// client blocks.
async fn demo_state(db: &str, token: Option<&str>, max_body: usize) -> AppState {
    let (db, token) = (db.to_string(), token.map(str::to_string));
    tokio::task::spawn_blocking(move || demo_state_blocking(&db, token, max_body))
        .await
        .unwrap()
}

fn demo_state_blocking(db: &str, token: Option<String>, max_body: usize) -> AppState {
    let mut store = store::Store::open(db).unwrap();
    pipeline::analyze(
        &pipeline::Input::Demo,
        Some(&mut store),
        &Default::default(),
        &pipeline::Quiet,
    )
    .unwrap();
    drop(store);
    let mut cfg = Config::new(db.into(), pipeline::analyze_store);
    cfg.token = token;
    cfg.max_body = max_body;
    AppState::open(&cfg).unwrap()
}

async fn get(addr: SocketAddr, path: &str) -> (u16, String, reqwest::header::HeaderMap) {
    fetch::install_tls_provider();
    let r = reqwest::get(format!("http://{addr}{path}")).await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, r.text().await.unwrap(), headers)
}

async fn get_json(addr: SocketAddr, path: &str) -> (u16, Value) {
    let (s, body, h) = get(addr, path).await;
    assert_eq!(
        h.get("content-type").unwrap().to_str().unwrap(),
        "application/json",
        "{path}"
    );
    (s, serde_json::from_str(&body).unwrap())
}

async fn post(
    addr: SocketAddr,
    token: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> (u16, Value) {
    fetch::install_tls_provider();
    let mut req = reqwest::Client::new()
        .post(format!("http://{addr}/api/articles"))
        .header("content-type", "application/x-ndjson")
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    let s = r.status().as_u16();
    (s, serde_json::from_str(&r.text().await.unwrap()).unwrap())
}

#[tokio::test]
async fn json_routes_on_a_hand_built_analysis() {
    let addr = spawn(sample_state()).await;
    let a = report::html::fixtures::sample();
    let a004 = a.articles[0].id.clone();

    let (s, t) = get_json(addr, "/api/threads").await;
    assert_eq!(s, 200);
    assert_eq!(t["threads"][0]["id"], "th-syria");
    let ev = &t["threads"][0]["events"][1];
    assert_eq!(ev["id"], "ev-jan");
    assert_eq!(ev["date"], "2026-01-28");
    assert_eq!(ev["conflicts"], 1);
    assert_eq!(ev["verdicts"]["contested"], 1);
    assert_eq!(t["stats"]["conflicts"], 1);

    let (s, e) = get_json(addr, "/api/events/ev-jan").await;
    assert_eq!(s, 200);
    assert_eq!(e["event"]["label"], "Putin meets al-Sharaa in Moscow");
    assert_eq!(e["articles"].as_array().unwrap().len(), 2);
    assert_eq!(e["claim_groups"][0]["verdict"], "contested");
    assert_eq!(e["conflicts"][0]["id"], "cf-fled");
    assert!(
        e["claims"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["quote"] == "December 2025 flight")
    );
    let (s, err) = get_json(addr, "/api/events/nope").await;
    assert_eq!(s, 404);
    assert!(err["error"].as_str().unwrap().contains("nope"));

    let (s, art) = get_json(addr, &format!("/api/articles/{a004}")).await;
    assert_eq!(s, 200);
    assert_eq!(art["id"], a004.as_str());
    assert!(
        art["text"]
            .as_str()
            .unwrap()
            .contains("December 2025 flight")
    );
    assert_eq!(get_json(addr, "/api/articles/0000").await.0, 404);

    let (s, c) = get_json(addr, "/api/claims?event=ev-jan&verdict=contested").await;
    assert_eq!(s, 200);
    assert_eq!(c["claim_groups"].as_array().unwrap().len(), 1);
    assert_eq!(c["claims"].as_array().unwrap().len(), 3);
    let (_, c) = get_json(addr, "/api/claims?verdict=single_origin").await;
    assert_eq!(c["claim_groups"].as_array().unwrap().len(), 2);
    let (_, c) = get_json(addr, "/api/claims").await;
    assert_eq!(c["claims"].as_array().unwrap().len(), 5);
    let (_, c) = get_json(addr, &format!("/api/claims?article={a004}")).await;
    assert_eq!(c["claims"].as_array().unwrap().len(), 2);
    assert_eq!(get_json(addr, "/api/claims?verdict=maybe").await.0, 400);
    assert_eq!(get_json(addr, "/api/claims?event=nope").await.0, 404);

    let (s, en) = get_json(addr, "/api/entities?q=ASSAD").await;
    assert_eq!(s, 200);
    assert_eq!(en["total"], 1);
    assert_eq!(en["entities"][0]["aliases"][0], "Assad");
    let (_, en) = get_json(addr, "/api/entities?limit=1").await;
    assert_eq!(en["total"], 2);
    assert_eq!(en["entities"].as_array().unwrap().len(), 1);
    assert_eq!(get_json(addr, "/api/entities?limit=zero").await.0, 400);

    let (s, r) = get_json(addr, "/api/search?q=sheltered+flight").await;
    assert_eq!(s, 200);
    assert_eq!(r["total"], 1);
    let hit = &r["hits"][0];
    assert_eq!(hit["article"], a004.as_str());
    assert_eq!(hit["event"], "ev-jan");
    assert!(!hit["highlights"].as_array().unwrap().is_empty());
    let (s, err) = get_json(addr, "/api/search?q=+").await;
    assert_eq!(s, 400);
    assert!(err["error"].as_str().unwrap().contains("required"));

    let (s, spec) = get_json(addr, "/api/openapi.json").await;
    assert_eq!(s, 200);
    assert_eq!(spec["openapi"], "3.1.0");
    for p in [
        "/api/threads",
        "/api/events/{id}",
        "/api/articles/{id}",
        "/api/articles",
        "/api/claims",
        "/api/entities",
        "/api/search",
    ] {
        assert!(spec["paths"][p].is_object(), "{p} undocumented");
    }
    assert_eq!(get_json(addr, "/api/nothing").await.0, 404);
}

#[tokio::test]
async fn pages_are_escaped_and_carry_a_csp() {
    let addr = spawn(sample_state()).await;
    let a = report::html::fixtures::sample();
    let (s, home, h) = get(addr, "/").await;
    assert_eq!(s, 200);
    let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && !csp.contains("script-src"));
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert!(home.contains("href=\"/events/ev-jan\""));
    assert!(home.contains("<svg class=\"timeline\""));

    let (s, ev, _) = get(addr, "/events/ev-jan").await;
    assert_eq!(s, 200);
    assert!(ev.contains("<blockquote class=\"quote\">December 2024 flight</blockquote>"));
    assert!(ev.contains("class=\"cell contradict\""));
    // People read values in words; the API keeps them as the pipeline normalised them.
    assert!(ev.contains("the date of Bashar al-Assad&#39;s flight"));
    assert!(ev.contains("<span class=\"date\">28 January 2026</span>"));
    assert!(ev.contains("late 2024</td>") && !ev.contains("(END)"));
    let (_, api) = get_json(addr, "/api/events/ev-jan").await;
    assert_eq!(api["event"]["date"], "2026-01-28");
    assert_eq!(api["claim_groups"][0]["slot"], "when: Bashar al-Assad flee");
    assert_eq!(api["claim_groups"][0]["values"][2]["value"], "2024");
    assert_eq!(api["claim_groups"][0]["values"][2]["qualifier"], "END");

    let hostile = &a.articles[2].id;
    let (s, page, _) = get(addr, &format!("/articles/{hostile}")).await;
    assert_eq!(s, 200);
    let lower = page.to_ascii_lowercase();
    assert!(
        !lower.contains("<script")
            && !lower.contains("<img")
            && !lower.contains("href=\"javascript")
    );
    assert!(page.contains("&lt;img src=x onerror="));

    let a004 = &a.articles[0].id;
    let (_, page, _) = get(addr, &format!("/articles/{a004}?hl=0-5")).await;
    assert!(
        page.contains("<mark class=\"hl\" id=\"hl\">Putin</mark>"),
        "{page}"
    );

    let (s, page, _) = get(addr, "/search?q=%3Cscript%3E+sheltered").await;
    assert_eq!(s, 200);
    assert!(!page.to_ascii_lowercase().contains("<script"));
    let (s, page, _) = get(addr, "/search?q=sheltered").await;
    assert_eq!(s, 200);
    assert!(
        page.contains("<mark>sheltered</mark>") || page.contains("<mark>sheltering</mark>"),
        "{page}"
    );
    assert!(page.contains(&format!("href=\"/articles/{a004}?hl=")));

    let (s, page, _) = get(addr, "/entities?q=assad").await;
    assert_eq!(s, 200);
    assert!(page.contains("Bashar al-Assad"));
    let (s, css, h) = get(addr, "/assets/style.css").await;
    assert_eq!(s, 200);
    assert!(
        h.get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(css.contains("mark"));
    assert_eq!(get(addr, "/events/nope").await.0, 404);
    assert_eq!(get(addr, "/nowhere").await.0, 404);
}

#[tokio::test]
async fn writes_need_a_configured_token() {
    // Read-only state (no token): every write is refused with 403.
    let addr = spawn(sample_state()).await;
    let (s, e) = post(addr, Some("anything"), "{\"text\":\"x\"}").await;
    assert_eq!(s, 403);
    assert!(e["error"].as_str().unwrap().contains("CROSSCHECK_TOKEN"));

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("news.db").display().to_string();
    let addr = spawn(demo_state(&db, None, 1 << 20).await).await;
    assert_eq!(post(addr, None, "{\"text\":\"x\"}").await.0, 403);
}

#[tokio::test]
async fn post_adds_searchable_articles_and_limits_hold() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let dbs = tokio::task::spawn_blocking(move || {
        store::test_support::fresh_stores(&path, "server_post")
    })
    .await
    .unwrap();
    for db in dbs {
        post_on_store(&db).await;
    }
}

async fn post_on_store(db: &str) {
    let limit = 64 * 1024;
    let addr = spawn(demo_state(db, Some("s3cret"), limit).await).await;
    let (_, before) = get_json(addr, "/api/threads").await;
    let n0 = before["stats"]["articles"].as_u64().unwrap();
    assert!(n0 >= 5);

    // Without or with a wrong token: 401.
    let line = "{\"title\":\"Zanzibar ferry rescue\",\"text\":\"Divers rescued forty passengers after the Zanzibar ferry capsized near Stone Town on Tuesday, officials said.\",\"outlet\":\"Test Wire\",\"url\":\"https://news.example/ferry\",\"published\":\"2026-02-03\"}\n";
    let (s, e) = post(addr, None, line).await;
    assert_eq!(s, 401);
    assert!(e["error"].as_str().unwrap().contains("bearer"));
    assert_eq!(post(addr, Some("wrong"), line).await.0, 401);

    // Bad JSON: 400 naming the line; nothing stored.
    let (s, e) = post(addr, Some("s3cret"), format!("{line}{{\"text\": oops}}\n")).await;
    assert_eq!(s, 400);
    assert!(
        e["error"].as_str().unwrap().starts_with("line 2: bad JSON"),
        "{e}"
    );
    let (s, e) = post(addr, Some("s3cret"), "{\"title\":\"no text\"}").await;
    assert_eq!(s, 400);
    assert!(e["error"].as_str().unwrap().contains("text"));
    assert_eq!(get_json(addr, "/api/search?q=zanzibar").await.1["total"], 0);

    // Over the limit: 413, declared (refused before the body is read) or chunked.
    // (async I/O: a blocking read would stall the test runtime that also runs the server)
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\nContent-Length: {}\r\n\r\n",
        limit + 1
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut head = [0u8; 64];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), tcp.read(&mut head))
        .await
        .expect("413 before the body is sent")
        .unwrap();
    let head = String::from_utf8_lossy(&head[..n]);
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    drop(tcp);
    let big = vec![b' '; limit + 10];
    let stream = futures_stream(big);
    let (s, e) = post(addr, Some("s3cret"), stream).await;
    assert_eq!(s, 413);
    assert!(e["error"].as_str().unwrap().contains("limit"));

    // A good POST: stored, analysed, searchable at once; the server kept serving throughout.
    let (s, r) = post(addr, Some("s3cret"), line).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["new_articles"], 1);
    let id = r["articles"][0].as_str().unwrap().to_string();
    let (_, hits) = get_json(addr, "/api/search?q=zanzibar+ferry").await;
    assert_eq!(hits["total"], 1);
    assert_eq!(hits["hits"][0]["article"], id.as_str());
    let (s, art) = get_json(addr, &format!("/api/articles/{id}")).await;
    assert_eq!(s, 200);
    assert_eq!(art["outlet"], "Test Wire");
    let (_, after) = get_json(addr, "/api/threads").await;
    assert_eq!(after["stats"]["articles"].as_u64().unwrap(), n0 + 1);

    // The same line again adds nothing; ids are content-addressed.
    let (s, r) = post(addr, Some("s3cret"), line).await;
    assert_eq!(s, 200);
    assert_eq!(r["new_articles"], 0);
    assert_eq!(r["already_stored"], 1);

    // Eight writers at once, each a new article and one article all of them send: every
    // new article is stored once, and reads are answered meanwhile.
    let common = "{\"title\":\"Harbour crane collapse\",\"text\":\"A crane collapsed at the Mombasa harbour on Thursday, injuring two dock workers, the port authority said.\",\"outlet\":\"Coast Daily\",\"published\":\"2026-02-05\"}\n";
    let posts: Vec<_> = (0..8)
        .map(|i| {
            let body = format!(
                "{common}{{\"title\":\"Market report {i}\",\"text\":\"Traders in the grain market of town number {i} reported steady maize prices on Friday, said the cooperative chair.\",\"published\":\"2026-02-06\"}}\n"
            );
            tokio::spawn(async move { post(addr, Some("s3cret"), body).await })
        })
        .collect();
    let (s, _) = get_json(addr, "/api/threads").await;
    assert_eq!(s, 200, "a read while the writes run");
    let mut new = 0;
    for p in posts {
        let (s, r) = p.await.unwrap();
        assert!(s == 200 || s == 201, "{r}");
        new += r["new_articles"].as_u64().unwrap();
    }
    assert_eq!(new, 9, "eight market reports and the crane report once");
    let (_, after) = get_json(addr, "/api/threads").await;
    assert_eq!(after["stats"]["articles"].as_u64().unwrap(), n0 + 10);

    // A restart on the same store serves the same id, and the snapshot the writes kept up to
    // date holds what the store holds.
    let db = db.to_string();
    let state = tokio::task::spawn_blocking(move || {
        let integrity = pipeline::check(&mut store::Store::open(&db).unwrap()).unwrap();
        AppState::open(&Config::new(db.into(), pipeline::analyze_store)).map(|s| (s, integrity))
    })
    .await
    .unwrap();
    let (state, integrity) = state.unwrap();
    assert!(state.snapshot().lookup.article.contains_key(&id));
    assert!(integrity.problems.is_empty(), "{integrity}");
    assert_eq!(integrity.pending, 0);
    let loaded = &state.snapshot().analysis;
    assert_eq!(loaded.articles.len() as u64, n0 + 10);
    let live = |k: &str| after["stats"][k].as_u64().unwrap() as usize;
    assert_eq!(live("events"), loaded.events.len(), "{}", after["stats"]);
    assert_eq!(live("threads"), loaded.threads.len(), "{}", after["stats"]);
    assert_eq!(
        live("claim_groups"),
        loaded.claim_groups.len(),
        "{}",
        after["stats"]
    );
    assert_eq!(
        live("conflicts"),
        loaded.conflicts.len(),
        "{}",
        after["stats"]
    );
}

/// A body without Content-Length (chunked), so only the streaming limit can stop it.
fn futures_stream(bytes: Vec<u8>) -> reqwest::Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        bytes.chunks(8192).map(|c| Ok(c.to_vec())).collect();
    reqwest::Body::wrap_stream(futures_util::stream::iter(chunks))
}

/// The home page links the tables; `/export/T.csv|jsonl` downloads them; other names are 404.
#[tokio::test]
async fn tables_download_as_csv_and_jsonl() {
    let a = report::html::fixtures::sample();
    let addr = spawn(sample_state()).await;
    let (_, home, _) = get(addr, "/").await;
    assert!(home.contains("href=\"/export/conflicts.csv\""));
    let (s, body, h) = get(addr, "/export/claims.csv").await;
    assert_eq!(s, 200);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(
        h["content-disposition"]
            .to_str()
            .unwrap()
            .contains("crosscheck-claims.csv")
    );
    assert!(body.starts_with("claim,kind,verdict,slot"));
    assert_eq!(body.lines().count(), a.claims.len() + 1, "{body}");
    let (s, body, _) = get(addr, "/export/conflicts.jsonl").await;
    assert_eq!(s, 200);
    let sides: usize = a.conflicts.iter().map(|k| k.values.len()).sum();
    assert_eq!(body.lines().count(), sides);
    for bad in [
        "/export/claims.xml",
        "/export/secrets.csv",
        "/export/claims",
    ] {
        assert_eq!(get(addr, bad).await.0, 404, "{bad}");
    }
}

/// Copies of one article are one search hit: the demo's shared lead (two pages carry it)
/// appears once.
#[tokio::test]
async fn search_shows_copies_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("copies.db").display().to_string();
    let state = demo_state(&db, None, crosscheck_server::DEFAULT_MAX_BODY).await;
    let snap = state.snapshot();
    let copied = (snap.analysis.articles.iter())
        .find(|a| !a.copies.is_empty())
        .expect("the demo has a copy");
    let origin_of: std::collections::HashMap<String, String> = (snap.analysis.articles.iter())
        .map(|a| (a.id.clone(), a.origin.clone()))
        .collect();
    let words: Vec<&str> = copied.text.split_whitespace().take(8).collect();
    let addr = spawn(state).await;
    let (s, r) = get_json(addr, &format!("/api/search?q={}&limit=50", words.join("+"))).await;
    assert_eq!(s, 200);
    let hits = r["hits"].as_array().unwrap();
    let origins: Vec<&str> = hits
        .iter()
        .map(|h| origin_of[h["article"].as_str().unwrap()].as_str())
        .collect();
    assert!(origins.contains(&copied.id.as_str()), "{r}");
    let distinct: std::collections::HashSet<&&str> = origins.iter().collect();
    assert_eq!(distinct.len(), origins.len(), "a copy listed twice: {r}");
}

/// Filters, orders and pages, in the API and on the pages: a page says where it sits, links
/// to the next, and nothing is cut without saying so.
#[tokio::test]
async fn lists_filter_sort_and_page() {
    let addr = spawn(sample_state()).await;
    let (s, c) = get_json(addr, "/api/claims?sort=sources&limit=1").await;
    assert_eq!(s, 200);
    assert_eq!(c["total"], 3);
    assert_eq!(c["claim_groups"][0]["id"], "grp-fled", "two sources first");
    assert_eq!(c["next_offset"], 1);
    let (_, c) = get_json(addr, "/api/claims?sort=sources&limit=1&offset=2").await;
    assert_eq!(c["claim_groups"].as_array().unwrap().len(), 1);
    assert!(c["next_offset"].is_null());
    let (_, c) = get_json(addr, "/api/claims?outlet=moscow+times").await;
    let ids: Vec<&str> = (c["claim_groups"].as_array().unwrap().iter())
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["grp-fled"]);
    let (_, c) = get_json(addr, "/api/claims?from=2025-10-01&to=2025-10-31").await;
    assert_eq!(c["claim_groups"][0]["id"], "grp-hostile");
    assert_eq!(c["total"], 1);
    for bad in ["sort=newest", "from=yesterday", "offset=-1", "limit=0"] {
        let (s, err) = get_json(addr, &format!("/api/claims?{bad}")).await;
        assert_eq!(s, 400, "{bad}");
        assert!(err["error"].is_string());
    }
    let (_, t) = get_json(addr, "/api/threads?from=2027-01-01").await;
    assert_eq!(t["total"], 0);
    assert!(t["threads"].as_array().unwrap().is_empty());
    let (_, t) = get_json(addr, "/api/threads?verdict=contested&limit=5").await;
    assert_eq!(t["threads"][0]["id"], "th-syria");
    assert_eq!(t["limit"], 5);
    let (_, en) = get_json(addr, "/api/entities?limit=1&offset=1").await;
    assert_eq!(
        (en["total"].as_u64(), en["offset"].as_u64()),
        (Some(2), Some(1))
    );
    assert!(en["next_offset"].is_null());

    // The front page: contested claims first, the filter form, the threads.
    let (s, home, _) = get(addr, "/").await;
    assert_eq!(s, 200);
    let contested = home.find("id=\"contested\"").unwrap();
    assert!(contested < home.find("id=\"threads\"").unwrap());
    let threads_at = home.find("id=\"threads\"").unwrap();
    assert!(home[contested..threads_at].contains("Bashar al-Assad"));
    assert!(home.contains("<form class=\"filters\""));
    assert!(home.contains("Showing 1–1 of 1 threads"));
    let (s, none, _) = get(addr, "/?from=2027-01-01").await;
    assert_eq!(s, 200);
    assert!(none.contains("No threads on this page (0 in all)"));
    assert_eq!(get(addr, "/?sort=sideways").await.0, 400);
    // The claims page pages its table and keeps the filter in its links.
    let (s, claims, _) = get(addr, "/claims?verdict=single_origin").await;
    assert_eq!(s, 200);
    assert!(claims.contains("Showing 1–2 of 2 claim groups"));
    assert!(!claims.contains("grp-fled") && !claims.contains("Bashar al-Assad"));
    assert!(claims.contains("<option value=\"single_origin\" selected>"));
}
