//! Fetching web resources like a good citizen.
//!
//! A [`Fetcher`] is built from [`FetchOptions`] and fetches [`FetchRequest`]s (a URL and the
//! [`Validators`] the caller knows for it) into [`Fetched`] results: a [`Page`] (final URL,
//! status, content type and charset, body, new validators, time) or [`NotModified`] after a
//! 304. Failures are [`FetchError`]s, each naming its URL.
//!
//! How a request flows: the URL is parsed and checked by the SSRF guard (http/https only, an
//! IP literal must be public); robots.txt of its origin is fetched once and cached (its
//! Crawl-delay may raise the host's interval); the request then waits for a permit of its host
//! (`host:port`: concurrency, then the minimum interval between starts) and a global permit,
//! is sent with our User-Agent and conditional headers, and its body is streamed up to the
//! size cap. DNS names are resolved by a guarded resolver that hands the connector only public
//! addresses, so a name pointing at 127.0.0.1 is refused and the connection goes to the
//! address that was checked. Redirects are followed by hand, each hop checked again;
//! connect errors, 5xx and 429 are retried with exponential backoff (Retry-After honoured up
//! to a cap).
//!
//! The fetcher owns a small tokio runtime and runs async reqwest on it, which keeps the
//! per-host limits simple (semaphores and timers); callers get a blocking API like the rest
//! of the project. Do not call it, or drop it, from inside another async runtime.
//!
//! ```no_run
//! use crosscheck_fetch::{FetchOptions, Fetched, Fetcher};
//! let fetcher = Fetcher::new(FetchOptions::default())?;
//! for result in fetcher.fetch_all(["https://example.com/"]) {
//!     match result {
//!         Ok(Fetched::Page(page)) => println!("{}: {} bytes", page.url, page.body.len()),
//!         Ok(Fetched::NotModified(nm)) => println!("{}: unchanged", nm.url),
//!         Err(e) => eprintln!("{e}"),
//!     }
//! }
//! # Ok::<(), crosscheck_fetch::BuildError>(())
//! ```

mod error;
mod exchange;
mod gather;
mod guard;
mod limiter;
mod options;
mod robots;

pub use error::{BuildError, FetchError, Refusal};
pub use gather::{GatherOptions, Gathered, Source, SourceState, gather};
pub use guard::is_public;
pub use options::{FetchOptions, default_user_agent};

use guard::{Guard, GuardedResolver};
use limiter::Limiter;
use robots::RobotsCache;
use std::sync::Arc;
use std::time::SystemTime;

/// Validators of a resource the caller already holds, sent as If-None-Match / If-Modified-Since.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A URL to fetch and the validators known for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchRequest {
    pub url: String,
    pub validators: Validators,
}

impl<S: Into<String>> From<S> for FetchRequest {
    fn from(url: S) -> Self {
        FetchRequest {
            url: url.into(),
            validators: Validators::default(),
        }
    }
}

/// A successful response with its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The final URL, after redirects.
    pub url: String,
    pub status: u16,
    pub content_type: Option<String>,
    /// The `charset` parameter of Content-Type, lowercased.
    pub charset: Option<String>,
    pub body: Vec<u8>,
    /// Validators to persist for the next conditional GET.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub fetched_at: SystemTime,
}

/// A 304: the caller's copy is current. Validators are the server's, or the caller's if the
/// 304 repeated none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotModified {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub fetched_at: SystemTime,
}

/// What a fetch returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    Page(Page),
    NotModified(NotModified),
}

impl Fetched {
    /// The final URL.
    pub fn url(&self) -> &str {
        match self {
            Fetched::Page(page) => &page.url,
            Fetched::NotModified(nm) => &nm.url,
        }
    }
}

/// State shared by all requests of one fetcher.
pub(crate) struct Inner {
    client: reqwest::Client,
    options: FetchOptions,
    guard: Arc<Guard>,
    limiter: Limiter,
    robots: RobotsCache,
}

/// Fetches URLs politely; see the crate doc. Reuse one fetcher per run: robots.txt and the
/// per-host limits live in it.
pub struct Fetcher {
    runtime: tokio::runtime::Runtime,
    inner: Arc<Inner>,
}

impl Fetcher {
    pub fn new(options: FetchOptions) -> Result<Self, BuildError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(options.worker_threads.max(1))
            .thread_name("crosscheck-fetch")
            .enable_all()
            .build()
            .map_err(|e| BuildError(e.to_string()))?;
        let guard = Arc::new(Guard {
            allow_private: options.allow_private,
            allow: options.allow_addresses.clone(),
        });
        let client = {
            let _context = runtime.enter();
            build_client(&options, guard.clone())?
        };
        let interval = if options.politeness {
            options.min_interval
        } else {
            std::time::Duration::ZERO
        };
        let limiter = Limiter::new(
            options.global_concurrency,
            options.per_host_concurrency,
            interval,
        );
        let inner = Inner {
            client,
            options,
            guard,
            limiter,
            robots: RobotsCache::default(),
        };
        Ok(Fetcher {
            runtime,
            inner: Arc::new(inner),
        })
    }

    pub fn options(&self) -> &FetchOptions {
        &self.inner.options
    }

    /// Fetches one URL (blocking).
    pub fn fetch(&self, request: impl Into<FetchRequest>) -> Result<Fetched, FetchError> {
        let request = request.into();
        self.runtime
            .block_on(self.inner.fetch(&request.url, &request.validators))
    }

    /// Fetches all requests concurrently within the limits (blocking); results are in input
    /// order.
    pub fn fetch_all<R: Into<FetchRequest>>(
        &self,
        requests: impl IntoIterator<Item = R>,
    ) -> Vec<Result<Fetched, FetchError>> {
        let tasks: Vec<_> = requests
            .into_iter()
            .map(|r| {
                let request: FetchRequest = r.into();
                let inner = self.inner.clone();
                let url = request.url.clone();
                let handle = self
                    .runtime
                    .spawn(async move { inner.fetch(&request.url, &request.validators).await });
                (handle, url)
            })
            .collect();
        self.runtime.block_on(async {
            let mut results = Vec::with_capacity(tasks.len());
            for (handle, url) in tasks {
                results.push(handle.await.unwrap_or_else(|e| {
                    Err(FetchError::Network {
                        url,
                        message: format!("fetch task failed: {e}"),
                    })
                }));
            }
            results
        })
    }
}

/// Installs the process's TLS crypto provider (ring) unless one is installed. reqwest is
/// built without a bundled provider, for the whole build (features unify): any other
/// `reqwest::Client` of the process (a test's, say) must be built after this call.
pub fn install_tls_provider() {
    // ring: aws-lc-rs, reqwest's default, is a long C build. rustls deprecates ring's provider
    // for lacking post-quantum key exchange only. Installing fails harmlessly when the
    // process already chose one.
    #[allow(deprecated)]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

fn build_client(options: &FetchOptions, guard: Arc<Guard>) -> Result<reqwest::Client, BuildError> {
    install_tls_provider();
    reqwest::Client::builder()
        .user_agent(options.user_agent.clone())
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(options.connect_timeout)
        .timeout(options.timeout)
        .pool_max_idle_per_host(options.per_host_concurrency.max(1))
        .dns_resolver(GuardedResolver { guard })
        .build()
        .map_err(|e| BuildError(e.to_string()))
}
