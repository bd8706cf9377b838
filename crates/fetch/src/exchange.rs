//! One URL's fetch: redirects followed by hand (each hop checked by the guard and robots.txt),
//! retries with backoff, and one request/response exchange under the host's limits.

use crate::error::{FetchError, Refusal};
use crate::guard::RefusedName;
use crate::robots::{Rules, origin_of};
use crate::{Fetched, Inner, NotModified, Page, Validators};
use reqwest::header::{self, HeaderMap};
use std::time::{Duration, SystemTime};
use url::Url;

/// Largest robots.txt read (Google reads 500 KiB).
const ROBOTS_MAX_BYTES: usize = 512 * 1024;
/// Longest Crawl-delay honoured, so one robots.txt cannot stall a run for hours.
const MAX_CRAWL_DELAY_SECS: f32 = 60.0;

/// What one exchange ended with, short of a final error.
enum Outcome {
    Done(Fetched),
    Redirect(Url),
    /// A retryable failure (connect error, 5xx, 429) and the server's Retry-After.
    Retry {
        error: FetchError,
        after: Option<Duration>,
    },
}

impl Inner {
    pub(crate) async fn fetch(
        &self,
        url: &str,
        validators: &Validators,
    ) -> Result<Fetched, FetchError> {
        let mut current = Url::parse(url)
            .map_err(|e| FetchError::refused(url, Refusal::InvalidUrl(e.to_string())))?;
        for _ in 0..=self.options.max_redirects {
            self.guard
                .check_url(&current)
                .map_err(|r| FetchError::refused(current.as_str(), r))?;
            if self.options.obey_robots {
                self.check_robots(&current).await?;
            }
            // Validators go on every hop: the caller got them from the final resource.
            match self.with_retries(&current, validators).await? {
                Outcome::Redirect(next) => current = next,
                Outcome::Done(fetched) => return Ok(fetched),
                Outcome::Retry { error, .. } => return Err(error),
            }
        }
        Err(FetchError::TooManyRedirects {
            url: url.to_string(),
            max: self.options.max_redirects,
        })
    }

    async fn with_retries(
        &self,
        url: &Url,
        validators: &Validators,
    ) -> Result<Outcome, FetchError> {
        let max_body = self.options.max_body_bytes;
        let mut attempt = 0;
        loop {
            let outcome = self.exchange(url, validators, max_body).await?;
            let Outcome::Retry { error, after } = outcome else {
                return Ok(outcome);
            };
            match self.retry_wait(attempt, after) {
                Some(wait) => tokio::time::sleep(wait).await,
                None => return Err(error),
            }
            attempt += 1;
        }
    }

    /// How long to wait before the next attempt, or `None` to give up.
    fn retry_wait(&self, attempt: u32, after: Option<Duration>) -> Option<Duration> {
        if attempt >= self.options.max_retries {
            return None;
        }
        match after {
            Some(after) if after > self.options.max_retry_after => None,
            Some(after) => Some(after),
            None => Some(self.options.backoff_base * 2u32.saturating_pow(attempt)),
        }
    }

    /// One request under the host's limits, its response read within `max_body` bytes.
    async fn exchange(
        &self,
        url: &Url,
        validators: &Validators,
        max_body: usize,
    ) -> Result<Outcome, FetchError> {
        let _permit = self.limiter.acquire(&host_key(url)).await;
        let mut request = self.client.get(url.clone());
        if let Some(etag) = &validators.etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(date) = &validators.last_modified {
            request = request.header(header::IF_MODIFIED_SINCE, date);
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => return send_failure(url, e),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        match status {
            304 => Ok(Outcome::Done(Fetched::NotModified(NotModified {
                url: url.to_string(),
                etag: header_text(&headers, header::ETAG).or_else(|| validators.etag.clone()),
                last_modified: header_text(&headers, header::LAST_MODIFIED)
                    .or_else(|| validators.last_modified.clone()),
                fetched_at: SystemTime::now(),
            }))),
            301 | 302 | 303 | 307 | 308 => redirect_target(url, &headers, status),
            429 | 500..=599 => Ok(Outcome::Retry {
                error: http_error(url, status),
                after: retry_after(&headers),
            }),
            200..=299 => {
                let body = read_body(url, response, max_body).await?;
                Ok(Outcome::Done(Fetched::Page(page(
                    url, status, &headers, body,
                ))))
            }
            _ => Err(http_error(url, status)),
        }
    }

    async fn check_robots(&self, url: &Url) -> Result<(), FetchError> {
        let (origin, robots_url) = origin_of(url);
        let Some(robots_url) = robots_url else {
            return Ok(());
        };
        let cell = self.robots.cell(&origin);
        let rules = cell
            .get_or_try_init(|| self.load_robots(robots_url))
            .await
            .map_err(|reason| FetchError::refused(url.as_str(), reason))?;
        rules.allowed(url).map_err(|why| FetchError::Robots {
            url: url.to_string(),
            why,
        })
    }

    /// The origin's rules; a refusal (the guard's, e.g. a name resolving to loopback) is
    /// passed on rather than read as "disallow", and is not cached.
    async fn load_robots(&self, robots_url: Url) -> Result<Rules, Refusal> {
        let fetched =
            tokio::time::timeout(self.options.robots_timeout, self.get_robots(&robots_url));
        let rules = match fetched.await {
            Ok(Ok((status, body))) => {
                Rules::from_response(&self.options.robots_token, status, &body)
            }
            Ok(Err(FetchError::Refused { reason, .. })) => return Err(reason),
            // Timeout or unreachable: like a 5xx, disallow for this run.
            Ok(Err(e)) => Rules::Unavailable(format!("robots.txt unavailable ({})", e.reason())),
            Err(_) => Rules::Unavailable("robots.txt timed out".into()),
        };
        if let Some(delay) = rules.crawl_delay().filter(|_| self.options.politeness) {
            let delay = Duration::from_secs_f32(delay.min(MAX_CRAWL_DELAY_SECS));
            self.limiter.raise_interval(&host_key(&robots_url), delay);
        }
        Ok(rules)
    }

    /// robots.txt's status and body, redirects followed, no retries.
    async fn get_robots(&self, robots_url: &Url) -> Result<(u16, Vec<u8>), FetchError> {
        let mut current = robots_url.clone();
        for _ in 0..=self.options.max_redirects {
            self.guard
                .check_url(&current)
                .map_err(|r| FetchError::refused(current.as_str(), r))?;
            match self
                .exchange(&current, &Validators::default(), ROBOTS_MAX_BYTES)
                .await
            {
                Ok(Outcome::Redirect(next)) => current = next,
                Ok(Outcome::Done(Fetched::Page(page))) => return Ok((page.status, page.body)),
                Err(FetchError::Http { status, .. }) => return Ok((status, Vec::new())),
                Ok(Outcome::Retry { error, .. }) | Err(error) => return Err(error),
                Ok(Outcome::Done(Fetched::NotModified(_))) => return Ok((304, Vec::new())),
            }
        }
        Err(FetchError::TooManyRedirects {
            url: robots_url.to_string(),
            max: self.options.max_redirects,
        })
    }
}

/// Rate-limit key: hosts are `host:port`, so two ports of one machine are two hosts.
pub(crate) fn host_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

fn http_error(url: &Url, status: u16) -> FetchError {
    FetchError::Http {
        url: url.to_string(),
        status,
    }
}

fn send_failure(url: &Url, error: reqwest::Error) -> Result<Outcome, FetchError> {
    if let Some(name) = refused_name(&error) {
        return Err(FetchError::refused(
            url.as_str(),
            Refusal::PrivateHost(name),
        ));
    }
    let failure = network_error(url, &error);
    if error.is_connect() {
        Ok(Outcome::Retry {
            error: failure,
            after: None,
        })
    } else {
        Err(failure)
    }
}

fn network_error(url: &Url, error: &reqwest::Error) -> FetchError {
    let url = url.to_string();
    if error.is_timeout() {
        return FetchError::Timeout { url };
    }
    FetchError::Network {
        url,
        message: error_chain(error),
    }
}

/// The resolver's refusal, found in reqwest's error chain.
fn refused_name(error: &reqwest::Error) -> Option<String> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(refused) = e.downcast_ref::<RefusedName>() {
            return Some(refused.0.clone());
        }
        source = e.source();
    }
    None
}

/// The error and its causes on one line: reqwest's own message alone is often vague.
fn error_chain(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

fn redirect_target(url: &Url, headers: &HeaderMap, status: u16) -> Result<Outcome, FetchError> {
    let location = header_text(headers, header::LOCATION).ok_or_else(|| http_error(url, status))?;
    let next = url
        .join(&location)
        .map_err(|e| FetchError::refused(&location, Refusal::InvalidUrl(e.to_string())))?;
    Ok(Outcome::Redirect(next))
}

/// Retry-After as delta-seconds or an HTTP date (a date in the past means now).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = header_text(headers, header::RETRY_AFTER)?;
    let text = text.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or_default())
}

/// Streams the body, stopping as soon as it passes `max` bytes.
async fn read_body(
    url: &Url,
    mut response: reqwest::Response,
    max: usize,
) -> Result<Vec<u8>, FetchError> {
    let too_large = || FetchError::TooLarge {
        url: url.to_string(),
        limit: max,
    };
    if response
        .content_length()
        .is_some_and(|len| len > max as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| network_error(url, &e))? {
        if body.len() + chunk.len() > max {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn page(url: &Url, status: u16, headers: &HeaderMap, body: Vec<u8>) -> Page {
    let content_type = header_text(headers, header::CONTENT_TYPE);
    Page {
        url: url.to_string(),
        status,
        charset: content_type.as_deref().and_then(charset_of),
        content_type,
        body,
        etag: header_text(headers, header::ETAG),
        last_modified: header_text(headers, header::LAST_MODIFIED),
        fetched_at: SystemTime::now(),
    }
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?;
    Some(value.to_string())
}

/// The `charset` parameter of a Content-Type, lowercased and unquoted.
pub(crate) fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches('"').to_ascii_lowercase();
        (!value.is_empty()).then_some(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_from_content_type() {
        assert_eq!(
            charset_of("text/html; charset=UTF-8").as_deref(),
            Some("utf-8")
        );
        assert_eq!(
            charset_of("text/html;Charset=\"iso-8859-1\"").as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(charset_of("text/html"), None);
        assert_eq!(charset_of("text/html; charset="), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        let later = SystemTime::now() + Duration::from_secs(120);
        let date = httpdate::fmt_http_date(later);
        headers.insert(header::RETRY_AFTER, date.parse().unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(wait > Duration::from_secs(110) && wait <= Duration::from_secs(120));
        headers.insert(header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn host_key_includes_port() {
        let a = Url::parse("http://127.0.0.1:8080/x").unwrap();
        let b = Url::parse("https://example.com/y").unwrap();
        assert_eq!(host_key(&a), "127.0.0.1:8080");
        assert_eq!(host_key(&b), "example.com:443");
    }
}
