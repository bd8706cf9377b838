//! Options of a [`crate::Fetcher`], with polite defaults.

use std::net::IpAddr;
use std::time::Duration;

/// The default User-Agent: names crosscheck, its version and where to learn about it.
pub fn default_user_agent() -> String {
    format!(
        "crosscheck/{} (+https://example.invalid/crosscheck; contact@example.invalid)",
        env!("CARGO_PKG_VERSION")
    )
}

/// How the fetcher behaves. Hosts are keyed by `host:port`, so two ports of one machine are two
/// hosts for the rate and concurrency limits (robots.txt is per origin, as its spec says).
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Sent as `User-Agent` on every request, robots.txt included.
    pub user_agent: String,
    /// The token matched against robots.txt `User-agent` lines.
    pub robots_token: String,
    /// Fetch and obey robots.txt (disallow rules and Crawl-delay).
    pub obey_robots: bool,
    /// Per-host interval and Crawl-delay on; `false` (benchmarks only) turns both off.
    pub politeness: bool,
    /// Minimum time between request starts to one host, when `politeness` is on.
    pub min_interval: Duration,
    /// Requests in flight to one host at once.
    pub per_host_concurrency: usize,
    /// Requests in flight overall.
    pub global_concurrency: usize,
    /// Time to establish a connection.
    pub connect_timeout: Duration,
    /// Time for a whole exchange (connect, headers and body) of one request.
    pub timeout: Duration,
    /// Total time for fetching one robots.txt.
    pub robots_timeout: Duration,
    /// Bodies larger than this fail with `TooLarge`.
    pub max_body_bytes: usize,
    /// Redirects followed per fetch.
    pub max_redirects: usize,
    /// Extra attempts after a connect error, 5xx or 429.
    pub max_retries: u32,
    /// First backoff; doubled at each retry.
    pub backoff_base: Duration,
    /// Longest Retry-After we wait for; a longer one ends the fetch with the status.
    pub max_retry_after: Duration,
    /// Lift the SSRF guard entirely (CLI: `--allow-private`).
    pub allow_private: bool,
    /// Addresses reachable even though not public (e.g. exactly 127.0.0.1 for tests), while
    /// the guard keeps refusing every other non-public address.
    pub allow_addresses: Vec<IpAddr>,
    /// Worker threads of the fetcher's own runtime.
    pub worker_threads: usize,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            user_agent: default_user_agent(),
            robots_token: "crosscheck".to_string(),
            obey_robots: true,
            politeness: true,
            min_interval: Duration::from_secs(1),
            per_host_concurrency: 1,
            global_concurrency: 16,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            robots_timeout: Duration::from_secs(10),
            max_body_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            max_retries: 2,
            backoff_base: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(30),
            allow_private: false,
            allow_addresses: Vec::new(),
            worker_threads: 2,
        }
    }
}
