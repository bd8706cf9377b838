//! For the test suites of the crates that use a store: one empty store of each available
//! backend, so that every store test runs against SQLite and PostgreSQL alike.
//!
//! SQLite always; PostgreSQL when `CROSSCHECK_TEST_PG` holds the URL of a server whose user
//! may create databases (`.ci/run` starts a throwaway one; `scripts/pg_throwaway.sh start
//! DIR` does it by hand). With `CROSSCHECK_REQUIRE_PG=1` a missing server is a failure, not a
//! skip.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Locations of fresh, empty stores: a SQLite file in `dir`, then (when a test server is
/// configured) a new PostgreSQL database named after `test`.
pub fn fresh_stores(dir: &Path, test: &str) -> Vec<String> {
    let mut out = vec![dir.join(format!("{test}.db")).display().to_string()];
    if let Some(url) = fresh_pg_database(test) {
        out.push(url);
    }
    out
}

/// Creates an empty database on the test server and returns its URL.
pub fn fresh_pg_database(test: &str) -> Option<String> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let Ok(admin) = std::env::var("CROSSCHECK_TEST_PG") else {
        assert!(
            std::env::var("CROSSCHECK_REQUIRE_PG").as_deref() != Ok("1"),
            "CROSSCHECK_REQUIRE_PG=1 but CROSSCHECK_TEST_PG is not set"
        );
        eprintln!("{test}: PostgreSQL skipped (set CROSSCHECK_TEST_PG to a server URL)");
        return None;
    };
    let name: String = format!(
        "cc_{test}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
    .chars()
    .map(|c| {
        if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '_'
        }
    })
    .collect();
    Some(
        crate::create_postgres_database(&admin, &name)
            .unwrap_or_else(|e| panic!("test database {name}: {e}")),
    )
}

/// Whether a location from [`fresh_stores`] is the PostgreSQL one.
pub fn backend_name(location: &str) -> &'static str {
    if crate::is_postgres(location) {
        "postgres"
    } else {
        "sqlite"
    }
}
