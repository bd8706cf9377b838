//! Streaming a WARC archive through ingest and cleaning, in constant memory.
//!
//! Each record is read, its HTML page cleaned into articles, and both dropped before the
//! next record: the figure to watch is peak memory (VmHWM), which must not grow with the
//! file. One thread, so records per second is a per-core figure.

use std::fmt;
use std::path::Path;
use std::time::Instant;

#[derive(Debug, thiserror::Error)]
pub enum WarcEvalError {
    #[error("{0}")]
    Ingest(#[from] ingest::IngestError),
}

#[derive(Debug, Clone)]
pub struct WarcReport {
    pub stats: ingest::WarcStats,
    /// Articles the cleaned pages gave.
    pub articles: u64,
    /// Decompressed bytes of the HTML pages.
    pub page_bytes: u64,
    pub seconds: f64,
    /// VmHWM before the stream, and at its end.
    pub rss_before_kb: Option<u64>,
    pub peak_rss_kb: Option<u64>,
    /// The error that ended the file early, if any.
    pub stopped: Option<String>,
}

impl fmt::Display for WarcReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.stats;
        let per_s = |n: u64| n as f64 / self.seconds.max(1e-9);
        writeln!(
            f,
            "records {} html_documents {} skipped {} too_large {} articles {}",
            s.records, s.documents, s.skipped, s.too_large, self.articles
        )?;
        writeln!(
            f,
            "seconds {:.2} records_per_s {:.0} articles_per_s {:.0} html_mb_per_s {:.1} (one thread)",
            self.seconds,
            per_s(s.records),
            per_s(self.articles),
            per_s(self.page_bytes) / 1e6
        )?;
        let mb = |k: Option<u64>| {
            k.map(|k| format!("{:.1}", k as f64 / 1024.0))
                .unwrap_or_else(|| "unknown".into())
        };
        writeln!(
            f,
            "peak_rss_mb {} (VmHWM; {} before the stream)",
            mb(self.peak_rss_kb),
            mb(self.rss_before_kb)
        )?;
        if let Some(e) = &self.stopped {
            writeln!(f, "stopped early: {e}")?;
        }
        Ok(())
    }
}

/// Streams `file` through [`ingest::warc_documents`] and [`clean::clean`], keeping nothing.
pub fn run(file: &Path) -> Result<WarcReport, WarcEvalError> {
    let rss_before_kb = crate::dedup::peak_rss_kb();
    let start = Instant::now();
    let mut docs = ingest::warc_documents(file);
    let (mut articles, mut page_bytes, mut stopped) = (0u64, 0u64, None);
    for item in docs.by_ref() {
        match item {
            Ok(doc) => {
                page_bytes += doc.bytes;
                articles += clean::clean(&doc).len() as u64;
            }
            // An unreadable file is an error; a record over the cap is counted in the stats.
            Err(e)
                if matches!(
                    e.reason,
                    ingest::Reason::NotFound | ingest::Reason::Unreadable(_)
                ) =>
            {
                return Err(e.into());
            }
            Err(e) if matches!(e.reason, ingest::Reason::Warc { .. }) => {
                stopped = Some(e.to_string())
            }
            Err(_) => {}
        }
    }
    Ok(WarcReport {
        stats: docs.stats(),
        articles,
        page_bytes,
        seconds: start.elapsed().as_secs_f64(),
        rss_before_kb,
        peak_rss_kb: crate::dedup::peak_rss_kb(),
        stopped,
    })
}
