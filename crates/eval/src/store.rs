//! The store's growth: time to add a batch of new articles to stores of several sizes, the
//! full-build throughput and the bytes stored per article, for SQLite and (given a server)
//! PostgreSQL.
//!
//! For each size M the first M articles of the corpus are analysed into a fresh store (the
//! full build, timed), then the next `batch` articles are added in one more run (timed): the
//! figure that must stay flat as M grows. Every run is `crosscheck analyze --db --changes` in
//! process (it returns what it changed, not the whole store), with no report rendered.

use std::fmt;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, thiserror::Error)]
pub enum StoreEvalError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {lines} lines, {needed} needed for the largest size and the batch")]
    Short {
        path: PathBuf,
        lines: usize,
        needed: usize,
    },
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Pipeline(#[from] pipeline::PipelineError),
}

/// What to measure.
pub struct Options {
    pub corpus: PathBuf,
    pub sizes: Vec<usize>,
    pub batch: usize,
    /// A PostgreSQL server URL whose user may create databases; `None` measures SQLite only.
    pub postgres: Option<String>,
}

/// One backend at one size.
#[derive(Debug, Clone)]
pub struct Row {
    pub backend: &'static str,
    pub stored: usize,
    pub build_seconds: f64,
    pub add_seconds: f64,
    pub bytes: u64,
}

/// Every row measured.
#[derive(Debug, Clone, Default)]
pub struct StoreReport {
    pub batch: usize,
    pub rows: Vec<Row>,
}

impl fmt::Display for StoreReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in &self.rows {
            writeln!(
                f,
                "{} stored {} build_articles_per_s {:.0} add_{}_seconds {:.2} bytes_per_article {:.0}",
                r.backend,
                r.stored,
                r.stored as f64 / r.build_seconds,
                self.batch,
                r.add_seconds,
                r.bytes as f64 / (r.stored + self.batch) as f64
            )?;
        }
        Ok(())
    }
}

pub fn run(o: &Options) -> Result<StoreReport, StoreEvalError> {
    let dir = tempfile::tempdir().map_err(|source| StoreEvalError::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    let largest = o.sizes.iter().copied().max().unwrap_or(0);
    let lines = read_lines(&o.corpus, largest + o.batch)?;
    let mut report = StoreReport {
        batch: o.batch,
        rows: Vec::new(),
    };
    for &m in &o.sizes {
        let base = write_lines(dir.path(), &format!("base{m}.jsonl"), &lines[..m])?;
        let extra = write_lines(dir.path(), &format!("add{m}.jsonl"), &lines[m..m + o.batch])?;
        let sqlite = dir.path().join(format!("s{m}.db")).display().to_string();
        report
            .rows
            .push(measure("sqlite", &sqlite, m, &base, &extra)?);
        if let Some(admin) = &o.postgres {
            let url = store::create_postgres_database(admin, &format!("crosscheck_eval_{m}"))?;
            report
                .rows
                .push(measure("postgres", &url, m, &base, &extra)?);
        }
    }
    Ok(report)
}

fn measure(
    backend: &'static str,
    location: &str,
    stored: usize,
    base: &Path,
    extra: &Path,
) -> Result<Row, StoreEvalError> {
    let mut s = store::Store::open(location)?;
    let run = |s: &mut store::Store, p: &Path| -> Result<f64, StoreEvalError> {
        let t = Instant::now();
        pipeline::analyze(
            &pipeline::Input::Paths(vec![p.to_path_buf()]),
            Some(s),
            &pipeline::Options {
                report: pipeline::Report::Changes,
                ..Default::default()
            },
            &pipeline::Quiet,
        )?;
        Ok(t.elapsed().as_secs_f64())
    };
    let build_seconds = run(&mut s, base)?;
    let add_seconds = run(&mut s, extra)?;
    Ok(Row {
        backend,
        stored,
        build_seconds,
        add_seconds,
        bytes: s.size_bytes()?,
    })
}

fn read_lines(path: &Path, needed: usize) -> Result<Vec<String>, StoreEvalError> {
    let io = |source| StoreEvalError::Io {
        path: path.to_path_buf(),
        source,
    };
    let f = std::fs::File::open(path).map_err(io)?;
    let mut out = Vec::with_capacity(needed);
    for line in std::io::BufReader::new(f).lines() {
        let line = line.map_err(io)?;
        if !line.trim().is_empty() {
            out.push(line);
        }
        if out.len() == needed {
            return Ok(out);
        }
    }
    Err(StoreEvalError::Short {
        path: path.to_path_buf(),
        lines: out.len(),
        needed,
    })
}

fn write_lines(dir: &Path, name: &str, lines: &[String]) -> Result<PathBuf, StoreEvalError> {
    let path = dir.join(name);
    let io = |source| StoreEvalError::Io {
        path: path.clone(),
        source,
    };
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io)?);
    for l in lines {
        writeln!(f, "{l}").map_err(io)?;
    }
    f.flush().map_err(io)?;
    Ok(path)
}
