//! Fetching measure against servers this example starts on 127.0.0.1 (no other network).
//!
//! `cargo run --release -p crosscheck-fetch --example loopback_bench [N]`
//!
//! 1. Throughput: N pages (default 5,000) from one loopback server, politeness off, loopback
//!    allowed; prints requests/s.
//! 2. Politeness: 20 pages from each of two loopback servers with politeness on (interval
//!    200 ms, 2 in flight per host). Hosts are keyed by `host:port`, so the two ports are two
//!    hosts; prints each server's minimum spacing between request arrivals, which must be
//!    at least the interval (less at most a few ms of scheduling jitter: the limiter spaces
//!    the starts on the client, the server sees arrivals).

#[path = "../tests/support/mod.rs"]
mod support;

use crosscheck_fetch::{FetchOptions, Fetcher};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};
use support::{Response, Server, min_spacing};

/// Slack allowed between the client's start spacing and the arrivals the server sees.
const JITTER: Duration = Duration::from_millis(10);

fn site() -> Server {
    let body = "<html><body>".to_string() + &"news text ".repeat(200) + "</body></html>";
    Server::start(move |req| match req.path.as_str() {
        "/robots.txt" => Response::status(404),
        _ => Response::ok(body.clone()).header("Content-Type", "text/html; charset=utf-8"),
    })
}

fn options() -> FetchOptions {
    FetchOptions {
        allow_addresses: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
        ..FetchOptions::default()
    }
}

fn throughput(n: usize) {
    let server = site();
    let fetcher = Fetcher::new(FetchOptions {
        politeness: false,
        per_host_concurrency: 32,
        global_concurrency: 32,
        ..options()
    })
    .expect("fetcher");
    let urls: Vec<String> = (0..n).map(|i| server.url(&format!("/p{i}"))).collect();
    let start = Instant::now();
    let results = fetcher.fetch_all(urls);
    let secs = start.elapsed().as_secs_f64();
    let ok = results.iter().filter(|r| r.is_ok()).count();
    println!(
        "throughput: {ok}/{n} pages ok in {secs:.2} s = {:.0} requests/s (politeness off, 32 in flight)",
        n as f64 / secs
    );
}

fn politeness() {
    let interval = Duration::from_millis(200);
    let (a, b) = (site(), site());
    let fetcher = Fetcher::new(FetchOptions {
        min_interval: interval,
        per_host_concurrency: 2,
        ..options()
    })
    .expect("fetcher");
    let urls: Vec<String> = (0..20)
        .flat_map(|i| [a.url(&format!("/p{i}")), b.url(&format!("/p{i}"))])
        .collect();
    let start = Instant::now();
    let ok = fetcher.fetch_all(urls).iter().filter(|r| r.is_ok()).count();
    println!(
        "politeness: {ok}/40 pages ok in {:.2} s, interval {interval:?}",
        start.elapsed().as_secs_f64()
    );
    for (name, server) in [("host A", &a), ("host B", &b)] {
        let arrivals = server.arrivals("/");
        let gap = min_spacing(&arrivals).unwrap_or_default();
        // The limiter spaces request starts on the client; arrivals seen here also carry
        // scheduling and connect jitter of a few ms on a loaded machine.
        let holds = if gap >= interval {
            "holds"
        } else if gap + JITTER >= interval {
            "holds within scheduling jitter"
        } else {
            "VIOLATED"
        };
        println!(
            "  {name} (127.0.0.1:{}): {} requests (robots.txt included), min spacing {:.1} ms: limit {holds}",
            server.port(),
            arrivals.len(),
            gap.as_secs_f64() * 1000.0
        );
    }
}

fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5000);
    throughput(n);
    politeness();
}
