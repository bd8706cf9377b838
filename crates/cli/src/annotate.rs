//! `crosscheck annotate`: the per-article stages alone, one JSON line per article, for a job
//! that runs them on many machines and hands the lines to `analyze --annotations`.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

#[derive(clap::Args)]
pub struct AnnotateArgs {
    /// Files or directories to read (.jsonl streamed line by line, .warc record by record);
    /// none or `-`: JSONL on stdin.
    paths: Vec<PathBuf>,
    /// Write JSONL (one line per article); the only output format, named for scripts.
    #[arg(long)]
    jsonl: bool,
    #[command(flatten)]
    part: Part,
}

/// Where a part of a larger JSONL input given on stdin sits in it.
#[derive(clap::Args)]
pub struct Part {
    /// The input's name in provenance, for stdin.
    #[arg(long, value_name = "NAME", default_value = "-")]
    name: String,
    /// The number of stdin's first line (a part of a larger file starts further on).
    #[arg(long, value_name = "N", default_value_t = 1)]
    first_line: u64,
    /// Largest document accepted (a file, or one JSONL line), in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = pipeline::Options::default().max_bytes)]
    max_bytes: u64,
}

pub fn run(args: AnnotateArgs) -> anyhow::Result<ExitCode> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let from_stdin = args.paths.is_empty() || args.paths.iter().all(|p| p.as_os_str() == "-");
    let stats = if from_stdin {
        let stdin = std::io::stdin().lock();
        pipeline::annotate::annotate_jsonl(
            stdin,
            &args.part.name,
            args.part.first_line,
            args.part.max_bytes,
            &mut out,
        )
    } else {
        pipeline::annotate::annotate_paths(&args.paths, args.part.max_bytes, &mut out)
    }
    .context("annotate")?;
    out.flush()?;
    for e in &stats.skipped {
        eprintln!("crosscheck: skipped {e}");
    }
    let read_nothing = stats.documents == 0 && !stats.skipped.is_empty();
    Ok(if read_nothing {
        eprintln!("crosscheck: error: no input could be read");
        ExitCode::from(crate::EXIT_ERROR)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(clap::Subcommand)]
pub enum CopiesCommand {
    /// Each JSONL line's articles and fingerprint keys, one JSON line each:
    /// {line, articles, keys}.
    Keys {
        #[command(flatten)]
        part: Part,
    },
    /// Deduplicates key groups read on stdin as GROUP<TAB>LINE<TAB>RECORD lines (a group's
    /// lines together), each group alone; one JSON line per article: {article, origin,
    /// paragraphs}.
    Groups {
        /// Largest JSONL line accepted, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = pipeline::Options::default().max_bytes)]
        max_bytes: u64,
    },
}

pub fn copies(command: CopiesCommand) -> anyhow::Result<ExitCode> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let stdin = std::io::stdin().lock();
    let stats = match command {
        CopiesCommand::Keys { part } => pipeline::keyed::write_keys(
            stdin,
            &part.name,
            part.first_line,
            part.max_bytes,
            &mut out,
        ),
        CopiesCommand::Groups { max_bytes } => {
            pipeline::keyed::dedup_groups(stdin, max_bytes, &mut out)
        }
    }
    .context("copies")?;
    out.flush()?;
    for e in &stats.skipped {
        eprintln!("crosscheck: skipped {e}");
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct JudgeArgs {
    /// The store: a SQLite file or a postgres://user@host/db URL.
    #[arg(long, value_name = "FILE|URL", env = "CROSSCHECK_DB")]
    db: PathBuf,
    /// Print the threads waiting for their claims, one per line, and judge nothing.
    #[arg(long)]
    list: bool,
    /// Threads to judge; none or `-`: one per line on stdin.
    threads: Vec<String>,
}

pub fn judge(args: JudgeArgs) -> anyhow::Result<ExitCode> {
    let mut store = store::Store::open(&args.db).context("cannot open the store")?;
    if args.list {
        let mut out = BufWriter::new(std::io::stdout().lock());
        for t in pipeline::judge::pending(&mut store).context("cannot list the threads")? {
            writeln!(out, "{t}")?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let threads = match args.threads.is_empty() || args.threads == ["-"] {
        true => std::io::stdin()
            .lines()
            .map(|l| l.map(|l| l.trim().to_string()))
            .filter(|l| l.as_ref().map_or(true, |l| !l.is_empty()))
            .collect::<Result<Vec<String>, _>>()
            .context("reading the threads on stdin")?,
        false => args.threads,
    };
    let done = pipeline::judge::judge(&mut store, &threads).context("judging the claims")?;
    eprintln!(
        "crosscheck: {} threads judged ({} articles read), {} left to others",
        done.judged, done.articles_read, done.skipped
    );
    Ok(ExitCode::SUCCESS)
}
