//! Web inputs of the CLI: URLs among `analyze`'s inputs, and the `watch` loop over a feed list.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;

/// Splits `analyze`'s inputs into URLs (`http://`, `https://`) and paths.
pub fn split_inputs(inputs: &[PathBuf]) -> (Vec<String>, Vec<PathBuf>) {
    let mut urls = Vec::new();
    let mut paths = Vec::new();
    for i in inputs {
        match i.to_str().filter(|s| is_url(s)) {
            Some(u) => urls.push(u.to_string()),
            None => paths.push(i.clone()),
        }
    }
    (urls, paths)
}

fn is_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A fetcher with our defaults; `allow_private` lets it reach loopback and private networks.
pub fn fetcher(allow_private: bool) -> anyhow::Result<fetch::Fetcher> {
    let opts = fetch::FetchOptions {
        allow_private,
        ..fetch::FetchOptions::default()
    };
    fetch::Fetcher::new(opts).context("cannot start the fetcher")
}

/// Fetches `urls` (pages, feeds and sitemaps and what they link to) into an input with `paths`.
pub fn fetched_input(
    urls: &[String],
    paths: Vec<PathBuf>,
    allow_private: bool,
    max_bytes: u64,
) -> anyhow::Result<pipeline::Input> {
    let fetcher = fetcher(allow_private)?;
    let sources: Vec<fetch::Source> = urls.iter().map(fetch::Source::new).collect();
    let opts = fetch::GatherOptions {
        max_bytes,
        ..fetch::GatherOptions::default()
    };
    let gathered = fetch::gather(&fetcher, &sources, &opts);
    for s in gathered.sources.iter().filter(|s| s.left > 0) {
        eprintln!(
            "crosscheck: note: {}: {} more links left (at most {} per source)",
            s.url, s.left, opts.max_links
        );
    }
    Ok(pipeline::Input::Fetched {
        paths,
        documents: gathered.documents,
        failed: gathered.errors,
    })
}

/// Reads a feed list: one URL per line; blank lines and `#` comments are skipped.
pub fn read_feed_list(path: &Path) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the feed list {}", path.display()))?;
    let mut feeds = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if !is_url(line) {
            anyhow::bail!("{}:{}: not an http(s) URL: {line:?}", path.display(), n + 1);
        }
        feeds.push(line.to_string());
    }
    if feeds.is_empty() {
        anyhow::bail!("{}: no feed URL in the list", path.display());
    }
    Ok(feeds)
}

/// Parses an interval: a number with `s`, `m` or `h` (`90s`, `15m`, `1h`; a bare number is
/// seconds).
pub fn parse_interval(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: f64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not an interval like 90s, 15m or 1h"))?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("unknown unit {unit:?} (use s, m or h)")),
    };
    if !(1.0..=7.0 * 86400.0).contains(&secs) {
        return Err("the interval must be between 1 s and 7 days".into());
    }
    Ok(Duration::from_secs_f64(secs))
}

/// A flag set by the first Ctrl-C (or SIGTERM); a second Ctrl-C ends the process at once.
pub fn stop_flag() -> anyhow::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(sig, 1, Arc::clone(&stop))?;
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    Ok(stop)
}

/// Sleeps until `until` or until `stop` is set; true when stopped.
pub fn wait(until: Instant, stop: &AtomicBool) -> bool {
    while Instant::now() < until {
        if stop.load(Ordering::Relaxed) {
            return true;
        }
        let left = until.saturating_duration_since(Instant::now());
        std::thread::sleep(left.min(Duration::from_millis(200)));
    }
    stop.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_with_their_units() {
        assert_eq!(parse_interval("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_interval("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_interval("1h"), Ok(Duration::from_secs(3600)));
        assert!(parse_interval("0s").is_err());
        assert!(parse_interval("5 parsecs").is_err());
        assert!(parse_interval("m").is_err());
    }

    #[test]
    fn urls_are_told_from_paths() {
        let inputs: Vec<PathBuf> = ["https://a.example/feed", "pages/", "HTTP://b.example/x"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let (urls, paths) = split_inputs(&inputs);
        assert_eq!(urls, ["https://a.example/feed", "HTTP://b.example/x"]);
        assert_eq!(paths, [PathBuf::from("pages/")]);
    }
}
