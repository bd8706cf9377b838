//! Speed of the language layer on one core, and of the whole `analyze` on all cores.
//!
//! The corpus is read and cleaned first (not timed for the language figure); then every
//! article is annotated on one thread (tokens, sentences, entities, timexes, quantities,
//! without run-wide linking) and the tokens per second reported; then the whole pipeline
//! (read, clean, dedup, annotate with linking, and every later stage it runs) is timed end to
//! end with no store.

use std::fmt;
use std::path::Path;
use std::time::Instant;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{0}: no article could be read")]
    Empty(String),
    #[error(transparent)]
    Pipeline(#[from] pipeline::PipelineError),
}

#[derive(Debug, Clone)]
pub struct SpeedReport {
    pub articles: usize,
    pub tokens: usize,
    pub lang_seconds: f64,
    pub analyze_seconds: f64,
    pub peak_rss_kb: Option<u64>,
}

impl fmt::Display for SpeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "lang tokens {} tokens_per_s {:.0} (one core)",
            self.tokens,
            self.tokens as f64 / self.lang_seconds
        )?;
        writeln!(
            f,
            "analyze articles {} articles_per_s {:.0} seconds {:.2} (all cores, no store)",
            self.articles,
            self.articles as f64 / self.analyze_seconds,
            self.analyze_seconds
        )?;
        writeln!(
            f,
            "peak_rss_mb {}",
            self.peak_rss_kb
                .map(|k| format!("{:.0}", k as f64 / 1024.0))
                .unwrap_or_else(|| "unknown".into())
        )
    }
}

pub fn run(file: &Path) -> Result<SpeedReport, EvalError> {
    let input = pipeline::Input::Paths(vec![file.to_path_buf()]);
    let cleaned = pipeline::analyze(
        &input,
        None,
        &pipeline::Options {
            annotate: false,
            ..Default::default()
        },
        &pipeline::Quiet,
    )?;
    if cleaned.articles.is_empty() {
        return Err(EvalError::Empty(file.display().to_string()));
    }
    let ann = lang::Annotator::global();
    // Load the models before timing.
    let _ = ann.annotate(&cleaned.articles[0]);
    let start = Instant::now();
    let mut tokens = 0;
    for a in &cleaned.articles {
        tokens += ann.annotate(a).tokens.len();
    }
    let lang_seconds = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let full = pipeline::analyze(
        &input,
        None,
        &pipeline::Options::default(),
        &pipeline::Quiet,
    )?;
    let analyze_seconds = start.elapsed().as_secs_f64();
    Ok(SpeedReport {
        articles: full.articles.len(),
        tokens,
        lang_seconds,
        analyze_seconds,
        peak_rss_kb: crate::dedup::peak_rss_kb(),
    })
}
