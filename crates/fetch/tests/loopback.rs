//! The fetcher against HTTP servers this test starts on 127.0.0.1 (no other network).

mod support;

use crosscheck_fetch::{
    FetchError, FetchOptions, FetchRequest, Fetched, Fetcher, Page, Refusal, Validators,
};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::{Response, Server, min_spacing};

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// Fast options that reach exactly 127.0.0.1 and keep every other private address refused.
fn options() -> FetchOptions {
    FetchOptions {
        allow_addresses: vec![LOOPBACK],
        min_interval: Duration::from_millis(5),
        per_host_concurrency: 2,
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
        robots_timeout: Duration::from_secs(2),
        backoff_base: Duration::from_millis(20),
        ..FetchOptions::default()
    }
}

fn fetcher(options: FetchOptions) -> Fetcher {
    Fetcher::new(options).expect("fetcher builds")
}

fn page(result: Result<Fetched, FetchError>) -> Page {
    match result {
        Ok(Fetched::Page(page)) => page,
        other => panic!("expected a page, got {other:?}"),
    }
}

fn simple_site() -> Server {
    Server::start(|req| match req.path.as_str() {
        "/robots.txt" => Response::status(404),
        path if path.starts_with("/page") => Response::ok(format!("page {path}")),
        _ => Response::status(404),
    })
}

#[test]
fn page_carries_type_charset_validators_and_our_user_agent() {
    let seen_ua = Arc::new(std::sync::Mutex::new(String::new()));
    let ua = seen_ua.clone();
    let server = Server::start(move |req| {
        if req.path == "/doc" {
            *ua.lock().unwrap() = req.header("user-agent").unwrap_or("").to_string();
        }
        match req.path.as_str() {
            "/doc" => Response::ok("<p>hi</p>")
                .header("Content-Type", "text/html; charset=ISO-8859-1")
                .header("ETag", "\"v1\"")
                .header("Last-Modified", "Mon, 07 Dec 2026 00:00:00 GMT"),
            _ => Response::status(404),
        }
    });
    let got = page(fetcher(options()).fetch(server.url("/doc")));
    assert_eq!(got.url, server.url("/doc"));
    assert_eq!(got.status, 200);
    assert_eq!(got.body, b"<p>hi</p>");
    assert_eq!(
        got.content_type.as_deref(),
        Some("text/html; charset=ISO-8859-1")
    );
    assert_eq!(got.charset.as_deref(), Some("iso-8859-1"));
    assert_eq!(got.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        got.last_modified.as_deref(),
        Some("Mon, 07 Dec 2026 00:00:00 GMT")
    );
    let ua = seen_ua.lock().unwrap().clone();
    assert!(
        ua.starts_with(&format!("crosscheck/{}", env!("CARGO_PKG_VERSION"))),
        "{ua}"
    );
}

#[test]
fn robots_rules_for_our_token_are_obeyed_and_fetched_once() {
    let server = Server::start(|req| match req.path.as_str() {
        "/robots.txt" => Response::ok(
            "User-agent: *\nDisallow: /\n\nUser-agent: crosscheck\nDisallow: /private\n",
        ),
        _ => Response::ok("content"),
    });
    let f = fetcher(options());
    let results = f.fetch_all([
        server.url("/public/a"),
        server.url("/private/b"),
        server.url("/public/c"),
    ]);
    assert!(matches!(results[0], Ok(Fetched::Page(_))));
    assert!(
        matches!(&results[1], Err(FetchError::Robots { url, .. }) if url.ends_with("/private/b"))
    );
    assert!(matches!(results[2], Ok(Fetched::Page(_))));
    let paths = server.paths();
    assert_eq!(paths.iter().filter(|p| *p == "/robots.txt").count(), 1);
    assert!(
        !paths.iter().any(|p| p.starts_with("/private")),
        "{paths:?}"
    );
}

#[test]
fn robots_5xx_disallows_and_4xx_allows() {
    let down = Server::start(|req| match req.path.as_str() {
        "/robots.txt" => Response::status(503),
        _ => Response::ok("x"),
    });
    let f = fetcher(options());
    assert!(matches!(
        f.fetch(down.url("/a")),
        Err(FetchError::Robots { .. })
    ));
    assert_eq!(down.paths(), ["/robots.txt"]);
    let site = simple_site();
    assert_eq!(page(f.fetch(site.url("/page1"))).body, b"page /page1");
}

#[test]
fn crawl_delay_raises_the_host_interval() {
    let server = Server::start(|req| match req.path.as_str() {
        "/robots.txt" => Response::ok("User-agent: crosscheck\nCrawl-delay: 0.3\n"),
        _ => Response::ok("x"),
    });
    let f = fetcher(options());
    let urls: Vec<String> = (0..3).map(|i| server.url(&format!("/page{i}"))).collect();
    assert!(f.fetch_all(urls).iter().all(Result::is_ok));
    let gap = min_spacing(&server.arrivals("/")).expect("four requests");
    assert!(gap >= Duration::from_millis(280), "min spacing {gap:?}");
}

#[test]
fn redirect_chain_is_followed_to_the_final_url() {
    let server = Server::start(|req| match req.path.as_str() {
        "/a" => Response::status(301).header("Location", "/b"),
        "/b" => Response::status(302).header("Location", "c"),
        "/c" => Response::ok("final"),
        "/loop" => Response::status(307).header("Location", "/loop"),
        _ => Response::status(404),
    });
    let f = fetcher(FetchOptions {
        max_redirects: 3,
        ..options()
    });
    let got = page(f.fetch(server.url("/a")));
    assert_eq!(got.url, server.url("/c"));
    assert_eq!(got.body, b"final");
    let looped = f.fetch(server.url("/loop"));
    assert!(matches!(
        looped,
        Err(FetchError::TooManyRedirects { max: 3, .. })
    ));
    // The first request and three redirects, then it stops.
    assert_eq!(server.paths().iter().filter(|p| *p == "/loop").count(), 4);
}

#[test]
fn redirect_to_a_private_address_is_refused() {
    let server = Server::start(|req| match req.path.as_str() {
        "/metadata" => Response::status(302).header("Location", "http://169.254.169.254/latest/"),
        "/lan" => Response::status(302).header("Location", "http://10.0.0.1/admin"),
        "/file" => Response::status(302).header("Location", "file:///etc/passwd"),
        _ => Response::status(404),
    });
    let f = fetcher(options());
    for (path, expected) in [
        (
            "/metadata",
            Refusal::PrivateAddress("169.254.169.254".parse().unwrap()),
        ),
        ("/lan", Refusal::PrivateAddress("10.0.0.1".parse().unwrap())),
        ("/file", Refusal::Scheme("file".to_string())),
    ] {
        match f.fetch(server.url(path)) {
            Err(FetchError::Refused { reason, .. }) => assert_eq!(reason, expected),
            other => panic!("{path}: expected a refusal, got {other:?}"),
        }
    }
}

#[test]
fn loopback_is_refused_without_allow_private() {
    let server = simple_site();
    let f = fetcher(FetchOptions {
        allow_addresses: Vec::new(),
        ..options()
    });
    let direct = f.fetch(server.url("/page1"));
    assert!(matches!(
        direct,
        Err(FetchError::Refused { reason: Refusal::PrivateAddress(ip), .. }) if ip == LOOPBACK
    ));
    // A name that resolves to loopback is refused by the resolver, before any connection.
    let by_name = f.fetch(format!("http://localhost:{}/page1", server.port()));
    assert!(
        matches!(&by_name, Err(FetchError::Refused { reason: Refusal::PrivateHost(h), .. }) if h == "localhost"),
        "{by_name:?}"
    );
    assert!(server.paths().is_empty());
    // allow_private lifts the guard.
    let open = fetcher(FetchOptions {
        allow_private: true,
        allow_addresses: Vec::new(),
        ..options()
    });
    assert_eq!(page(open.fetch(server.url("/page1"))).body, b"page /page1");
}

#[test]
fn allowed_address_is_reached_through_a_name() {
    let server = simple_site();
    let f = fetcher(options());
    let got = page(f.fetch(format!("http://localhost:{}/page2", server.port())));
    assert_eq!(got.body, b"page /page2");
}

#[test]
fn slow_response_hits_the_timeout() {
    let server = Server::start(|req| match req.path.as_str() {
        "/slow" => Response::ok("late").delay(Duration::from_secs(3)),
        _ => Response::status(404),
    });
    let f = fetcher(FetchOptions {
        timeout: Duration::from_millis(300),
        ..options()
    });
    let start = Instant::now();
    let result = f.fetch(server.url("/slow"));
    assert!(
        matches!(result, Err(FetchError::Timeout { .. })),
        "{result:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[test]
fn oversized_bodies_stop_at_the_cap() {
    let big = vec![b'x'; 200_000];
    let server = Server::start(move |req| match req.path.as_str() {
        "/declared" => Response::ok(big.clone()),
        "/streamed" => Response::ok(big.clone()).close_delimited(),
        "/small" => Response::ok("small").close_delimited(),
        _ => Response::status(404),
    });
    let f = fetcher(FetchOptions {
        max_body_bytes: 64 * 1024,
        ..options()
    });
    for path in ["/declared", "/streamed"] {
        let result = f.fetch(server.url(path));
        assert!(
            matches!(result, Err(FetchError::TooLarge { limit: 65536, .. })),
            "{path}: {result:?}"
        );
    }
    assert_eq!(page(f.fetch(server.url("/small"))).body, b"small");
}

#[test]
fn conditional_get_gives_not_modified() {
    let server = Server::start(|req| {
        if req.path != "/doc" {
            return Response::status(404);
        }
        if req.header("if-none-match") == Some("\"v7\"") {
            return Response::status(304).header("ETag", "\"v7\"");
        }
        Response::ok("body").header("ETag", "\"v7\"")
    });
    let f = fetcher(options());
    let first = page(f.fetch(server.url("/doc")));
    let again = FetchRequest {
        url: server.url("/doc"),
        validators: Validators {
            etag: first.etag.clone(),
            last_modified: None,
        },
    };
    match f.fetch(again) {
        Ok(Fetched::NotModified(nm)) => assert_eq!(nm.etag.as_deref(), Some("\"v7\"")),
        other => panic!("expected NotModified, got {other:?}"),
    }
}

#[test]
fn server_errors_are_retried_then_succeed() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let server = Server::start(move |req| match req.path.as_str() {
        "/flaky" if counter.fetch_add(1, Ordering::SeqCst) == 0 => Response::status(503),
        "/flaky" => Response::ok("recovered"),
        "/busy" => Response::status(429).header("Retry-After", "3600"),
        "/gone" => Response::status(404),
        _ => Response::status(404),
    });
    let f = fetcher(options());
    assert_eq!(page(f.fetch(server.url("/flaky"))).body, b"recovered");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // A Retry-After beyond the cap ends the fetch at once; a 404 is not retried.
    let busy = f.fetch(server.url("/busy"));
    assert!(matches!(busy, Err(FetchError::Http { status: 429, .. })));
    let gone = f.fetch(server.url("/gone"));
    assert!(matches!(gone, Err(FetchError::Http { status: 404, .. })));
    let paths = server.paths();
    assert_eq!(paths.iter().filter(|p| *p == "/busy").count(), 1);
    assert_eq!(paths.iter().filter(|p| *p == "/gone").count(), 1);
}

#[test]
fn connect_errors_are_retried_with_backoff() {
    // A port nobody listens on: bind, note it, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let f = fetcher(FetchOptions {
        obey_robots: false,
        max_retries: 2,
        backoff_base: Duration::from_millis(100),
        ..options()
    });
    let start = Instant::now();
    let result = f.fetch(format!("http://127.0.0.1:{port}/"));
    assert!(
        matches!(result, Err(FetchError::Network { .. })),
        "{result:?}"
    );
    // Two retries after 100 ms and 200 ms of backoff.
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "{:?}",
        start.elapsed()
    );
    // With robots.txt obeyed, an unreachable host disallows the run, as Google does.
    let polite = fetcher(options());
    let result = polite.fetch(format!("http://127.0.0.1:{port}/"));
    assert!(
        matches!(result, Err(FetchError::Robots { .. })),
        "{result:?}"
    );
}

#[test]
fn per_host_interval_spaces_request_starts() {
    let server = simple_site();
    let f = fetcher(FetchOptions {
        min_interval: Duration::from_millis(150),
        per_host_concurrency: 2,
        ..options()
    });
    let urls: Vec<String> = (0..6).map(|i| server.url(&format!("/page{i}"))).collect();
    assert!(f.fetch_all(urls).iter().all(Result::is_ok));
    let gap = min_spacing(&server.arrivals("/")).expect("seven requests");
    assert!(gap >= Duration::from_millis(140), "min spacing {gap:?}");
}

#[test]
fn per_host_concurrency_caps_requests_in_flight() {
    let server = Server::start(|req| match req.path.as_str() {
        "/robots.txt" => Response::status(404),
        _ => Response::ok("x").delay(Duration::from_millis(150)),
    });
    let f = fetcher(FetchOptions {
        min_interval: Duration::ZERO,
        per_host_concurrency: 2,
        ..options()
    });
    let urls: Vec<String> = (0..8).map(|i| server.url(&format!("/page{i}"))).collect();
    assert!(f.fetch_all(urls).iter().all(Result::is_ok));
    assert_eq!(server.max_in_flight(), 2);
}

#[test]
fn global_limit_applies_across_hosts() {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let site = || {
        let (in_flight, peak) = (in_flight.clone(), peak.clone());
        Server::start(move |req| {
            if req.path == "/robots.txt" {
                return Response::status(404);
            }
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(100));
            in_flight.fetch_sub(1, Ordering::SeqCst);
            Response::ok("x")
        })
    };
    let (a, b) = (site(), site());
    let f = fetcher(FetchOptions {
        min_interval: Duration::ZERO,
        per_host_concurrency: 4,
        global_concurrency: 3,
        ..options()
    });
    let urls: Vec<String> = (0..6)
        .flat_map(|i| [a.url(&format!("/p{i}")), b.url(&format!("/p{i}"))])
        .collect();
    assert!(f.fetch_all(urls).iter().all(Result::is_ok));
    assert_eq!(peak.load(Ordering::SeqCst), 3);
}

#[test]
fn politeness_off_drops_the_interval() {
    let server = simple_site();
    let f = fetcher(FetchOptions {
        politeness: false,
        min_interval: Duration::from_secs(1),
        ..options()
    });
    let start = Instant::now();
    let urls: Vec<String> = (0..5).map(|i| server.url(&format!("/page{i}"))).collect();
    assert!(f.fetch_all(urls).iter().all(Result::is_ok));
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn bad_urls_are_refused_with_their_url() {
    let f = fetcher(options());
    for bad in ["not a url", "ftp://example.com/x", "http://[::1]:9/x"] {
        let result = f.fetch(bad);
        match &result {
            Err(e @ FetchError::Refused { .. }) => assert_eq!(e.url(), bad),
            other => panic!("{bad}: expected a refusal, got {other:?}"),
        }
    }
}
