//! robots.txt, fetched once per origin and cached for the fetcher's life.
//!
//! As Google does: a 2xx body is parsed for our token; 4xx means no rules (allow all);
//! 5xx, a timeout or an unreachable host mean disallow everything for this run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use texting_robots::Robot;
use tokio::sync::OnceCell;
use url::Url;

/// What one origin's robots.txt says for us.
pub(crate) enum Rules {
    AllowAll,
    /// robots.txt could not be read (why): nothing of the origin is fetched this run.
    Unavailable(String),
    Parsed(Robot),
}

impl Rules {
    /// Builds the rules from a robots.txt response (status and body).
    pub fn from_response(token: &str, status: u16, body: &[u8]) -> Rules {
        match status {
            200..=299 => match Robot::new(token, body) {
                Ok(robot) => Rules::Parsed(robot),
                // Unparseable rules: nothing to obey, as crawlers treat an empty file.
                Err(_) => Rules::AllowAll,
            },
            400..=499 => Rules::AllowAll,
            _ => Rules::Unavailable(format!("robots.txt answered {status}")),
        }
    }

    /// `Err(why)` when `url` may not be fetched.
    pub fn allowed(&self, url: &Url) -> Result<(), String> {
        match self {
            Rules::AllowAll => Ok(()),
            Rules::Unavailable(why) => Err(why.clone()),
            Rules::Parsed(robot) if robot.allowed(url.as_str()) => Ok(()),
            Rules::Parsed(_) => Err("robots.txt disallows it".into()),
        }
    }

    /// Crawl-delay in seconds, if the file sets a usable one.
    pub fn crawl_delay(&self) -> Option<f32> {
        match self {
            Rules::Parsed(robot) => robot.delay.filter(|d| d.is_finite() && *d > 0.0),
            _ => None,
        }
    }
}

/// Origin (`scheme://host:port`) → its rules, filled once even under concurrent requests.
#[derive(Default)]
pub(crate) struct RobotsCache {
    origins: Mutex<HashMap<String, Arc<OnceCell<Rules>>>>,
}

impl RobotsCache {
    pub fn cell(&self, origin: &str) -> Arc<OnceCell<Rules>> {
        let mut map = self.origins.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(origin.to_string()).or_default().clone()
    }
}

/// The cache key of a URL's robots.txt, and the robots.txt URL itself.
pub(crate) fn origin_of(url: &Url) -> (String, Option<Url>) {
    let origin = url.origin().ascii_serialization();
    let robots = url.join("/robots.txt").ok();
    (origin, robots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_google() {
        let u = Url::parse("http://h.example/a").unwrap();
        assert!(
            Rules::from_response("crosscheck", 404, b"")
                .allowed(&u)
                .is_ok()
        );
        assert!(
            Rules::from_response("crosscheck", 503, b"")
                .allowed(&u)
                .is_err()
        );
        let txt = b"User-agent: crosscheck\nDisallow: /a\nCrawl-delay: 2\n";
        let rules = Rules::from_response("crosscheck", 200, txt);
        assert!(rules.allowed(&u).is_err());
        assert!(
            rules
                .allowed(&Url::parse("http://h.example/b").unwrap())
                .is_ok()
        );
        assert_eq!(rules.crawl_delay(), Some(2.0));
    }
}
