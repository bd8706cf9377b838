//! Typed errors: every failure names the URL it concerns.

use std::net::IpAddr;
use thiserror::Error;

/// Why the fetcher refused to send a request at all.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Refusal {
    /// The URL does not parse, or has no host.
    #[error("not a valid URL: {0}")]
    InvalidUrl(String),
    /// Only `http` and `https` are fetched.
    #[error("scheme {0:?} is not http or https")]
    Scheme(String),
    /// The address is loopback, private, link-local, multicast or otherwise not public.
    #[error("address {0} is not public")]
    PrivateAddress(IpAddr),
    /// Every address the name resolved to is not public.
    #[error("host {0} resolves only to addresses that are not public")]
    PrivateHost(String),
}

/// A failed fetch.
#[derive(Debug, Error)]
pub enum FetchError {
    /// Refused before sending: bad URL, scheme, or an address the SSRF guard blocks.
    #[error("{url}: refused: {reason}")]
    Refused { url: String, reason: Refusal },
    /// robots.txt disallows the URL for our token, or could not be read (5xx, timeout,
    /// unreachable host: disallow for this run); `why` says which.
    #[error("{url}: not fetched: {why}")]
    Robots { url: String, why: String },
    /// The connect or total timeout ran out.
    #[error("{url}: timed out")]
    Timeout { url: String },
    /// The body is larger than the configured cap.
    #[error("{url}: body larger than {limit} bytes")]
    TooLarge { url: String, limit: usize },
    /// A status that is not success, 304 or a followed redirect (after retries, for 5xx / 429).
    #[error("{url}: HTTP status {status}")]
    Http { url: String, status: u16 },
    /// More redirects than allowed.
    #[error("{url}: more than {max} redirects")]
    TooManyRedirects { url: String, max: usize },
    /// Connection, TLS or protocol failure (after retries for connect errors).
    #[error("{url}: network error: {message}")]
    Network { url: String, message: String },
}

impl FetchError {
    /// The URL the error concerns (the one requested, or the hop that failed).
    pub fn url(&self) -> &str {
        match self {
            FetchError::Refused { url, .. }
            | FetchError::Robots { url, .. }
            | FetchError::Timeout { url }
            | FetchError::TooLarge { url, .. }
            | FetchError::Http { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::Network { url, .. } => url,
        }
    }

    /// What went wrong, without the URL (for a caller that names the URL itself).
    pub fn reason(&self) -> String {
        let text = self.to_string();
        let prefix = format!("{}: ", self.url());
        text.strip_prefix(&prefix).unwrap_or(&text).to_string()
    }

    pub(crate) fn refused(url: &str, reason: Refusal) -> Self {
        FetchError::Refused {
            url: url.to_string(),
            reason,
        }
    }
}

/// The fetcher could not be built (runtime or HTTP client setup failed).
#[derive(Debug, Error)]
#[error("cannot build the fetcher: {0}")]
pub struct BuildError(pub String);
