//! The `crosscheck` binary: parses the command line and wires the library crates together.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

// The stages allocate many small strings and vectors from every thread; mimalloc (built
// from source with the crate) keeps that from serialising on the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod annotate;
mod progress;
mod web;

/// Exit status when nothing could be read, or on any other error.
const EXIT_ERROR: u8 = 1;
/// Exit status with `--strict` when some input was skipped.
const EXIT_SKIPPED: u8 = 3;

#[derive(Parser)]
#[command(
    name = "crosscheck",
    version,
    about = "Multi-source news verification: which sources copy each other, and what each one says",
    after_help = "Examples:\n  crosscheck analyze                      # the built-in demo corpus\n  crosscheck analyze pages/ --db news.db  # add a folder to a store and report on it\n  crosscheck analyze feed.jsonl --json    # machine-readable output"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read news pages, split them into clean articles and find copies.
    #[command(
        after_help = "Inputs: .txt (scraped text pages), .html/.htm, .jsonl or .ndjson (one article \
per line: \"text\" required; \"title\", \"url\", \"outlet\", \"published\" optional), RSS, Atom and \
JSON feeds and sitemaps (.xml, .rss, .atom, .json, or any file whose content shows one), each \
optionally .gz, and WARC archives (.warc, .warc.gz: the HTML responses). Feed entries with \
their full content are read; entries and sitemap URLs that only link to a page are reported \
as skipped (fetch them with a URL input).\n\
Directories are read recursively; other files in them are ignored and counted. `-` reads \
JSONL from stdin.\n\
With no PATH and no --db, runs on the built-in demo corpus.\n\
--db (or CROSSCHECK_DB) is a SQLite file, or a postgres:// URL for a PostgreSQL store that \
several runs and servers share (the database must exist; the tables are created).\n\n\
Exit status: 0 when at least one input was read (or the store was reported), 1 when nothing \
could be read or on an error, 3 with --strict when any input was skipped.\n\n\
Examples:\n  crosscheck analyze\n  crosscheck analyze ~/scrapes --db news.db\n  crosscheck analyze --db news.db --json > report.json\n  crosscheck analyze today.jsonl --db news.db --changes  # report only what today added\n  crosscheck analyze page.html.gz feed.jsonl --strict\n  zcat feed.jsonl.gz | crosscheck analyze - --json\n  crosscheck analyze --db news.db --format csv --table conflicts > conflicts.csv\n  crosscheck analyze feed.jsonl --db postgres://news@localhost/crosscheck"
    )]
    Analyze(AnalyzeArgs),
    /// Measure crosscheck against public datasets.
    #[command(
        subcommand,
        after_help = "Each command takes the dataset's path; nothing is downloaded.\n\nExamples:\n  crosscheck eval ner datasets/conll2003/dev.txt\n  crosscheck eval stories datasets/basil datasets/ecbplus"
    )]
    Eval(EvalCommand),
    /// Serve a store over HTTP: the report's views and a JSON API (see /api/openapi.json).
    #[command(
        after_help = "Pages: / (contested claims of the latest events, then threads and timelines; ?outlet=&from=&to=&verdict=&sort=&offset= choose and page them), /claims (every claim group, with the same filters), /events/ID, /articles/ID, /entities, /search?q=.\n\
API: GET /api/threads, /api/events/ID, /api/articles/ID, /api/claims?event=&verdict=, \
/api/entities?q=, /api/search?q=, /api/openapi.json; POST /api/articles (a JSONL body, \
Authorization: Bearer $CROSSCHECK_TOKEN; without CROSSCHECK_TOKEN set, writes are refused).\n\
Logs go to stderr (RUST_LOG=debug for more). Stop with Ctrl-C.\n\n\
Examples:\n  crosscheck analyze pages/ --db news.db && crosscheck serve --db news.db\n  \
CROSSCHECK_TOKEN=s3cret crosscheck serve --db news.db --addr 127.0.0.1:9000\n  \
curl -H 'Authorization: Bearer s3cret' --data-binary @feed.jsonl http://127.0.0.1:9000/api/articles"
    )]
    Serve(ServeArgs),
    /// Check a store: its counts, and whether its layers agree with each other.
    #[command(
        after_help = "Prints the store's counts (documents, articles, pending, entities, events, \
threads, claims, claim groups, conflicts), then one line per problem found (an article no run \
processed, an event missing from its thread, a claim group naming a claim that is not stored, \
...). Reads the whole store.\n\nExit status: 0 when the store is consistent, 1 otherwise.\n\n\
Examples:\n  crosscheck check --db news.db\n  crosscheck check --db postgres://news@localhost/crosscheck"
    )]
    Check(CheckArgs),
    /// Poll a list of feeds and add their new entries to a store, until stopped.
    #[command(
        after_help = "FEEDS is a text file with one feed or sitemap URL per line (# starts a \
comment); it is read again at every poll, so it can be edited while watching. Each poll \
fetches the feeds (conditional GET: an unchanged feed costs one 304), fetches the entries not \
taken before, and runs them into the store; what each feed gave is kept in the store, so a \
restarted watch continues where it stopped. Fetching obeys robots.txt, one request at a time \
per host with a pause between them, and refuses loopback and private addresses unless \
--allow-private is given. Prints one line per poll on stdout. Ctrl-C stops after the current \
poll (a second Ctrl-C at once; the store stays consistent either way).\n\n\
Examples:\n  crosscheck watch feeds.txt --db news.db\n  crosscheck watch feeds.txt --db news.db --every 5m\n  \
crosscheck watch feeds.txt --db postgres://news@localhost/crosscheck --once"
    )]
    Watch(WatchArgs),
    /// Run the per-article stages alone (cleaning and the language models), one JSON line
    /// per article: the part of a run that a cluster spreads over machines.
    #[command(
        after_help = "Reads JSONL documents on stdin (or the files named), in chunks of lines, \
so memory does not grow with the input, and writes one line per article on stdout: \
{document, line, article, version, annotations, event_keys}. `analyze --annotations FILE` \
then takes each article's model layers from those lines instead of computing them; its result \
is the same. `event_keys` (dated articles with names) are the article's keys in the shuffle \
that finds event candidates (`analyze --event-candidates`). The Spark job in deploy/spark \
pipes every partition through this command.\n\n\
Examples:\n  crosscheck annotate --jsonl < part-00000.jsonl > part-00000.ann\n  \
crosscheck annotate --jsonl --name corpus.jsonl --first-line 5001 < lines-5001-10000.jsonl\n  \
crosscheck annotate crawl.warc.gz > crawl.ann && crosscheck analyze crawl.warc.gz --annotations crawl.ann --json"
    )]
    Annotate(annotate::AnnotateArgs),
    /// Find copies key group by key group: the deduplication a cluster spreads over machines.
    #[command(
        subcommand,
        after_help = "The duplicate index compares an article only with those that share a \
fingerprint key (its exact hash, a MinHash band, a long paragraph), so deduplicating each \
connected component of \"shares a key\" alone, its lines in input order, gives every article \
the copy layer a whole run gives it. `copies keys` writes each JSONL line's keys; a job \
groups the lines by shared keys; `copies groups` deduplicates each group; `analyze --copies` \
takes the result instead of deduplicating the whole input. The Spark job in deploy/spark \
does all of it.\n\n\
Examples:\n  crosscheck copies keys --name corpus.jsonl --first-line 5001 < lines-5001-10000.jsonl\n  \
crosscheck copies groups < grouped.tsv > copies.jsonl\n  \
crosscheck analyze corpus.jsonl --copies copies.jsonl --json"
    )]
    Copies(annotate::CopiesCommand),
    /// Judge the claims of threads a run left for later (`analyze --db S --claims-later`).
    #[command(
        after_help = "A run with --claims-later stores everything but the claims layers of the \
threads it changes and marks them; `judge --list` prints the marked threads, and `judge` \
judges the threads named (arguments, or one per line on stdin), each from what the store \
holds, and writes each layer only while the thread's mark is the one it read. Several judges \
can run at once on one store (the Spark job runs one per partition of threads); any later \
analyze judges the threads still marked.\n\n\
Examples:\n  crosscheck judge --db news.db --list > threads.txt\n  \
crosscheck judge --db postgres://news@db/crosscheck < part-of-threads.txt"
    )]
    Judge(annotate::JudgeArgs),
}

#[derive(clap::Args)]
struct WatchArgs {
    /// A file listing the feeds to watch, one URL per line.
    feeds: PathBuf,
    /// The store the entries go to: a SQLite file or a postgres://user@host/db URL.
    #[arg(long, value_name = "FILE|URL", env = "CROSSCHECK_DB")]
    db: PathBuf,
    /// Time between the starts of two polls (90s, 15m, 1h).
    #[arg(long, value_name = "INTERVAL", default_value = "15m", value_parser = web::parse_interval)]
    every: std::time::Duration,
    /// Poll once, then exit.
    #[arg(long)]
    once: bool,
    /// Also fetch from loopback, private and link-local addresses (refused by default).
    #[arg(long)]
    allow_private: bool,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The store to check: a SQLite file or a postgres://user@host/db URL.
    #[arg(long, value_name = "FILE|URL", env = "CROSSCHECK_DB")]
    db: PathBuf,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The store to serve: a SQLite file (created empty when missing) or a
    /// postgres://user@host/db URL.
    #[arg(long, value_name = "FILE|URL", env = "CROSSCHECK_DB")]
    db: PathBuf,
    /// Address to listen on; loopback unless told otherwise.
    #[arg(long, value_name = "ADDR", default_value = server::DEFAULT_ADDR)]
    addr: std::net::SocketAddr,
    /// Largest request body accepted, in bytes (larger ones get 413).
    #[arg(long, value_name = "BYTES", default_value_t = server::DEFAULT_MAX_BODY)]
    max_body: usize,
}

#[derive(clap::Args)]
struct AnalyzeArgs {
    /// Files or directories to read (default: the built-in demo, unless --db is given); `-`
    /// reads JSONL from stdin.
    paths: Vec<PathBuf>,
    /// Keep everything in this store (a SQLite file, or a postgres://user@host/db URL): add
    /// PATHs to it, then report on the whole store.
    #[arg(long, value_name = "FILE|URL", env = "CROSSCHECK_DB")]
    db: Option<PathBuf>,
    /// Print one JSON object instead of the readable summary.
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// Print one table as rows instead: csv or jsonl (the table is chosen by --table).
    #[arg(long, value_name = "FORMAT", value_parser = ["csv", "jsonl"])]
    format: Option<String>,
    /// With --format: claims (one row per claim, with its verdict and source), conflicts
    /// (one row per side) or articles.
    #[arg(long, value_name = "TABLE", default_value = "claims", value_parser = ["claims", "conflicts", "articles"], requires = "format")]
    table: String,
    /// Also write the report as one self-contained HTML file.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Exit with status 3 when any input had to be skipped.
    #[arg(long)]
    strict: bool,
    /// Largest document accepted (a file, or one JSONL line), in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = pipeline::Options::default().max_bytes)]
    max_bytes: u64,
    /// Print each stage's wall time on stderr.
    #[arg(long)]
    timings: bool,
    /// With --db: report only what this run added and changed (its new articles, and the
    /// entities, events, threads and claims they touched), not the whole store; its cost
    /// does not grow with the store.
    #[arg(long, requires = "db")]
    changes: bool,
    /// Also fetch URLs on loopback, private and link-local addresses (refused by default).
    #[arg(long)]
    allow_private: bool,
    /// Model annotations made before by `crosscheck annotate` (files, or directories of
    /// part files): taken instead of computing them; the result is the same.
    #[arg(long, value_name = "FILE|DIR")]
    annotations: Vec<PathBuf>,
    /// Copy layers found group by group by `crosscheck copies groups` (files, or directories
    /// of part files): taken instead of deduplicating the input when they cover every article
    /// (without --db); the result is the same.
    #[arg(long, value_name = "FILE|DIR")]
    copies: Vec<PathBuf>,
    /// Event candidates by name found by a shuffle (files, or directories of part files, of
    /// `{article, candidates}` lines: the Spark job's): taken instead of the clusterer's own
    /// index when they list every article with name keys (without --db); the result is the
    /// same.
    #[arg(long, value_name = "FILE|DIR")]
    event_candidates: Vec<PathBuf>,
    /// With --db: leave the claims of the threads this run changes for `crosscheck judge`
    /// (the threads are marked in the store; a later run without it judges those still
    /// marked).
    #[arg(long, requires = "db")]
    claims_later: bool,
}

#[derive(Subcommand)]
enum EvalCommand {
    /// Main-content extraction on the Zyte article-extraction benchmark (shingle P/R/F1, ms per page).
    #[command(
        after_help = "DIR holds html/<id>.html.gz and ground-truth.json.\n\nExample:\n  crosscheck eval extraction datasets/article-extraction"
    )]
    Extraction {
        /// The benchmark directory.
        dir: PathBuf,
    },
    /// Main-content extraction on a must / must-not snippet set (trafilatura's format): the
    /// line of score_web_extraction.py, the same on two fixed halves of the pages, ms per page.
    #[command(
        after_help = "DIR holds evaldata.json ({url: {file, with, without}}) and html/<file>.gz. Half A and \
half B split the pages by a hash of the file name: tune on one, report the other.\n\nExample:\n  \
crosscheck eval web-extraction datasets/web-extraction-dev --misses /tmp/misses.txt"
    )]
    WebExtraction {
        /// The dataset directory.
        dir: PathBuf,
        /// Also write, per page with a miss, the `with` snippets missed (-) and the `without`
        /// snippets found (+).
        #[arg(long, value_name = "FILE")]
        misses: Option<PathBuf>,
    },
    /// Fits the HTML extractor's block model on half A of a must / must-not snippet set and
    /// writes it (rebuild the binary to ship it); prints simulated figures on both halves.
    #[command(
        after_help = "Example:\n  crosscheck eval train-blocks datasets/web-extraction-dev --out crates/html/block_model.json"
    )]
    TrainBlocks {
        /// The dataset directory (as for web-extraction).
        dir: PathBuf,
        /// Where to write the model JSON.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Also score the article benchmark in this directory with and without the model.
        #[arg(long, value_name = "DIR")]
        zyte: Option<PathBuf>,
    },
    /// Named-entity recognition on a CoNLL-2003 file (exact-span P/R/F1 per type, as conlleval),
    /// with the documents' fixed halves A (tuned on) and B (held apart) beside the whole file.
    #[command(after_help = "Example:\n  crosscheck eval ner datasets/conll2003/dev.txt")]
    Ner {
        /// A CoNLL-2003 file (token POS chunk tag, IOB2).
        file: PathBuf,
    },
    /// Temporal expressions on TimeML files (TempEval-3 strict/relaxed/value figures), with the
    /// files' fixed halves A (tuned on) and B (held apart) beside all files.
    #[command(
        after_help = "Example:\n  crosscheck eval timex datasets/tempeval3 --out /tmp/timeml"
    )]
    Timex {
        /// A directory of .tml files (searched recursively).
        dir: PathBuf,
        /// Write one TimeML file per input with our TIMEX3 tags.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Event clustering on BASIL or ECB+ (recognised from the files): pairwise and B-cubed P/R/F1,
    /// with the fixed halves A (tuned on) and B (held apart) of the gold events beside all.
    #[command(
        after_help = "With --stream, measures incremental assignment instead: a stream of \
STORED + MEASURED articles built from the sets' real articles (each replica moved 45 days and its \
capitalised words swapped, so events stay distinct), timing the last MEASURED.\n\n\
Examples:\n  crosscheck eval stories datasets/basil\n  crosscheck eval stories datasets/ecbplus\n  \
crosscheck eval stories datasets/basil datasets/ecbplus --stream 100000 10000"
    )]
    Stories {
        /// BASIL or ECB+ directories (each scored on its own).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Measure incremental assignment: STORED articles first, then MEASURED timed.
        #[arg(long, num_args = 2, value_names = ["STORED", "MEASURED"])]
        stream: Option<Vec<usize>>,
    },
    /// Claims and conflicts on a hand-read gold of cross-outlet facts in BASIL events (the
    /// figures of score_claims.py, plus a breakdown by kind of fact).
    #[command(
        after_help = "The gold is a JSON list of records {triplet, slot, kind, relation, values: [{source, file, \
value, quote}]}; every BASIL article of the gold's events is analysed.\n\nExample:\n  \
crosscheck eval claims datasets/claims-gold/basil-dev.json datasets/basil"
    )]
    Claims {
        /// The gold file.
        gold: PathBuf,
        /// The BASIL directory (year folders of article JSON files).
        basil: PathBuf,
        /// Also write the analysed JSONL input here.
        #[arg(long, value_name = "FILE")]
        write_input: Option<PathBuf>,
        /// Also write, per gold record, whether it was found and which claims hold its values.
        #[arg(long, value_name = "FILE")]
        records: Option<PathBuf>,
        /// Cross-validate by event: each fold judged by an aligner trained on the other folds
        /// (0: skip).
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Print the cross-validated figures at several aligner thresholds.
        #[arg(long)]
        sweep: bool,
        /// Train the aligner on every event of the gold and write it here (JSON).
        #[arg(long, value_name = "FILE")]
        train: Option<PathBuf>,
        /// The threshold written with --train (default: the shipped model's).
        #[arg(long)]
        threshold: Option<f32>,
    },
    /// Entity linking against a hand-made gold of who is who (B-cubed over person mentions).
    #[command(
        after_help = "GOLD lists, per BASIL article, person mentions (text, occurrence) and the \
person each names; the gold's events are analysed at once, as analyze would. --draft prints the \
pipeline's own person mentions of some events, labelled by entity, as a gold to correct by \
hand.\n\nExamples:\n  crosscheck eval entities eval/entities/basil-dev-people.json datasets/basil\n  \
crosscheck eval entities new.json datasets/basil --draft 3f0f...,a1b2..."
    )]
    Entities {
        /// The gold file (with --draft: ignored).
        gold: PathBuf,
        /// The BASIL directory.
        basil: PathBuf,
        /// Print a draft gold for these events (comma-separated triplet ids) instead.
        #[arg(long, value_name = "EVENTS", value_delimiter = ',')]
        draft: Vec<String>,
    },
    /// Speed of the language layer on one core, and of the whole analyze, on a JSONL corpus.
    #[command(after_help = "Example:\n  crosscheck eval speed corpus.jsonl")]
    Speed {
        /// A JSONL corpus.
        file: PathBuf,
    },
    /// Time to add a batch of articles to stores of several sizes (SQLite, and PostgreSQL when
    /// given a server), full-build throughput and bytes per article.
    #[command(
        after_help = "The corpus needs the largest size plus the batch in lines (make_corpus.py).\n\n\
Examples:\n  crosscheck eval store corpus.jsonl --sizes 1000,10000\n  \
crosscheck eval store corpus.jsonl --sizes 1000 --postgres postgres://postgres@127.0.0.1:5432/postgres"
    )]
    Store {
        /// A JSONL corpus (e.g. written by make_corpus.py).
        file: PathBuf,
        /// Stored articles before the batch is added, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
        sizes: Vec<usize>,
        /// Articles added to each store.
        #[arg(long, default_value_t = 100)]
        batch: usize,
        /// A PostgreSQL server whose user may create databases (crosscheck_eval_SIZE, dropped
        /// and created again).
        #[arg(long, value_name = "URL")]
        postgres: Option<String>,
    },
    /// Stream a WARC archive through ingest and cleaning (nothing kept): records/s, articles/s
    /// and peak memory, which must not grow with the file.
    #[command(
        after_help = "Example:\n  python3 scripts/make_warc.py /tmp/crawl.warc.gz 5000 && crosscheck eval warc /tmp/crawl.warc.gz"
    )]
    Warc {
        /// A .warc or .warc.gz file.
        file: PathBuf,
    },
    /// Near-duplicate detection against exact Jaccard on a JSONL corpus, and its throughput.
    #[command(
        after_help = "Example:\n  python3 make_corpus.py corpus.jsonl 20 && crosscheck eval dedup corpus.jsonl"
    )]
    Dedup {
        /// A JSONL corpus (e.g. written by make_corpus.py).
        file: PathBuf,
        /// Only measure throughput and memory (skip the all-pairs exact Jaccard ground truth).
        #[arg(long)]
        throughput_only: bool,
    },
}

fn main() -> ExitCode {
    no_transparent_huge_pages();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // The reader went away (`crosscheck ... | head`): nothing left to say to it.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("crosscheck: error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        let io = c.downcast_ref::<std::io::Error>().map(|io| io.kind());
        let json = (c.downcast_ref::<serde_json::Error>()).and_then(|j| j.io_error_kind());
        io.or(json) == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// Transparent huge pages off for this process: the allocator asks for them, and every
/// first touch of one then clears 2 MiB, which made the system time of a small run over a
/// large store swing from 0.15 s to 0.6 s (and bought nothing measurable in a full build).
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Analyze(args) => analyze(args),
        Command::Watch(args) => watch(args),
        Command::Annotate(args) => annotate::run(args),
        Command::Copies(command) => annotate::copies(command),
        Command::Judge(args) => annotate::judge(args),
        Command::Check(args) => {
            let mut store = store::Store::open(&args.db).context("cannot open the store")?;
            let found = pipeline::check(&mut store)?;
            write!(std::io::stdout().lock(), "{found}")?;
            Ok(if found.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_ERROR)
            })
        }
        Command::Serve(args) => {
            let mut config = server::Config::new(args.db, pipeline::analyze_store);
            config.addr = args.addr;
            config.max_body = args.max_body;
            server::serve(config)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(cmd) => {
            let report = match cmd {
                EvalCommand::Dedup {
                    file,
                    throughput_only,
                } => eval::dedup::run(&file, !throughput_only)?.to_string(),
                EvalCommand::Extraction { dir } => eval::extraction::run(&dir)?.to_string(),
                EvalCommand::WebExtraction { dir, misses } => {
                    let report = eval::web_extraction::run(&dir)?;
                    if let Some(path) = misses {
                        std::fs::write(&path, report.misses())
                            .with_context(|| format!("cannot write {}", path.display()))?;
                    }
                    report.to_string()
                }
                EvalCommand::TrainBlocks { dir, out, zyte } => {
                    eval::blocks::train(&dir, &out, zyte.as_deref())?.to_string()
                }
                EvalCommand::Ner { file } => eval::ner::run(&file)?.to_string(),
                EvalCommand::Timex { dir, out } => {
                    eval::timex::run(&dir, out.as_deref())?.to_string()
                }
                EvalCommand::Claims {
                    gold,
                    basil,
                    write_input,
                    records,
                    folds,
                    sweep,
                    train,
                    threshold,
                } => eval::claims::evaluate(&eval::claims::Options {
                    gold,
                    basil,
                    write_input,
                    records,
                    folds,
                    sweep,
                    train,
                    threshold,
                })?,
                EvalCommand::Entities { gold, basil, draft } => match draft.is_empty() {
                    true => eval::entities::run(&gold, &basil)?.to_string(),
                    false => eval::entities::draft(&draft, &basil)? + "\n",
                },
                EvalCommand::Speed { file } => eval::speed::run(&file)?.to_string(),
                EvalCommand::Warc { file } => eval::warc::run(&file)?.to_string(),
                EvalCommand::Store {
                    file,
                    sizes,
                    batch,
                    postgres,
                } => eval::store::run(&eval::store::Options {
                    corpus: file,
                    sizes,
                    batch,
                    postgres,
                })?
                .to_string(),
                EvalCommand::Stories { dirs, stream } => match stream {
                    Some(n) => {
                        let sets = dirs
                            .iter()
                            .map(|d| eval::stories::load(d))
                            .collect::<Result<Vec<_>, _>>()?;
                        eval::stories::stream(&sets, n[0], n[1]).to_string()
                    }
                    None => {
                        let mut out = String::new();
                        for d in &dirs {
                            out.push_str(&eval::stories::run(d)?.to_string());
                        }
                        out
                    }
                },
            };
            let mut out = std::io::stdout().lock();
            write!(out, "{report}")?;
            if !report.ends_with('\n') {
                writeln!(out)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn analyze(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let (urls, mut paths) = web::split_inputs(&args.paths);
    let stdin = read_stdin(&mut paths, args.max_bytes)?;
    let input = match (args.paths.is_empty(), &args.db) {
        _ if !urls.is_empty() => {
            web::fetched_input(&urls, paths, args.allow_private, args.max_bytes)?
        }
        (false, _) => pipeline::Input::Paths(paths),
        (true, None) => pipeline::Input::Demo,
        (true, Some(_)) => pipeline::Input::None,
    };
    let input = with_stdin(input, stdin);
    let mut store = match &args.db {
        Some(p) => Some(store::Store::open(p).context("cannot open the store")?),
        None => None,
    };
    let annotations = match args.annotations.is_empty() {
        true => None,
        false => Some(std::sync::Arc::new(
            pipeline::annotate::Precomputed::read(&args.annotations)
                .context("cannot read the annotations")?,
        )),
    };
    let copies = match args.copies.is_empty() {
        true => None,
        false => Some(std::sync::Arc::new(
            pipeline::keyed::KnownCopies::read(&args.copies)
                .context("cannot read the copy layers")?,
        )),
    };
    let event_candidates = match args.event_candidates.is_empty() {
        true => None,
        false => Some(std::sync::Arc::new(
            pipeline::keyed::KnownCandidates::read(&args.event_candidates)
                .context("cannot read the event candidates")?,
        )),
    };
    let opts = pipeline::Options {
        max_bytes: args.max_bytes,
        annotations,
        copies,
        event_candidates: event_candidates.clone(),
        claims_later: args.claims_later,
        report: if args.changes {
            pipeline::Report::Changes
        } else {
            pipeline::Report::Store
        },
        ..Default::default()
    };
    let bar = progress::Bar::new(std::io::stderr().is_terminal()).with_timings(args.timings);
    let analysis = pipeline::analyze(&input, store.as_mut(), &opts, &bar)?;
    for e in &analysis.report.skipped {
        eprintln!("crosscheck: skipped {e}");
    }
    if event_candidates.is_some_and(|c| !c.taken()) && analysis.report.new_articles > 0 {
        eprintln!(
            "crosscheck: the event candidates given do not list every dated article with \
             names (or a store was given): found them here instead"
        );
    }
    if args.timings {
        let r = &analysis.report;
        eprintln!(
            "crosscheck: claims of {} threads judged; {} articles read, {} readings kept",
            r.threads_judged, r.articles_read, r.readings_reused
        );
    }
    for p in &analysis.report.empty_documents {
        eprintln!("crosscheck: note: {p}: no article text found");
    }
    if let Some(path) = &args.html {
        std::fs::write(path, report::html::render(&analysis))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut out = std::io::stdout().lock();
    if let Some(format) = &args.format {
        let format = match format.as_str() {
            "csv" => report::export::Format::Csv,
            _ => report::export::Format::Jsonl,
        };
        let table = report::export::Table::parse(&args.table).context("unknown table")?;
        report::export::write(&analysis, table, format, &mut out)?;
    } else if args.json {
        serde_json::to_writer(&mut out, &report::Output::new(&analysis))?;
        writeln!(out)?;
    } else {
        write!(out, "{}", report::summary(&analysis))?;
    }
    out.flush()?;
    let nothing_read = matches!(
        input,
        pipeline::Input::Paths(_) | pipeline::Input::Fetched { .. }
    ) && analysis.report.read == 0;
    if nothing_read {
        eprintln!("crosscheck: error: no input could be read");
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    if args.strict && !analysis.report.skipped.is_empty() {
        return Ok(ExitCode::from(EXIT_SKIPPED));
    }
    Ok(ExitCode::SUCCESS)
}

/// Documents read from stdin and its errors, as JSONL, when `-` is among the paths (taken out
/// of them).
type StdinRead = (Vec<ingest::RawDocument>, Vec<ingest::IngestError>);

fn read_stdin(paths: &mut Vec<PathBuf>, max_bytes: u64) -> anyhow::Result<Option<StdinRead>> {
    let before = paths.len();
    paths.retain(|p| p.as_os_str() != "-");
    if paths.len() == before {
        return Ok(None);
    }
    let mut body = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut body)
        .context("cannot read stdin")?;
    Ok(Some(ingest::partition(ingest::read_jsonl(
        &body, "-", max_bytes,
    ))))
}

/// `input` with the documents read from stdin added.
fn with_stdin(input: pipeline::Input, stdin: Option<StdinRead>) -> pipeline::Input {
    let Some((docs, errors)) = stdin else {
        return input;
    };
    let (paths, mut documents, mut failed) = match input {
        pipeline::Input::Fetched {
            paths,
            documents,
            failed,
        } => (paths, documents, failed),
        pipeline::Input::Paths(paths) => (paths, Vec::new(), Vec::new()),
        _ => (Vec::new(), Vec::new(), Vec::new()),
    };
    documents.extend(docs);
    failed.extend(errors);
    pipeline::Input::Fetched {
        paths,
        documents,
        failed,
    }
}

/// Polls the feed list into the store until stopped (or once).
fn watch(args: WatchArgs) -> anyhow::Result<ExitCode> {
    let stop = web::stop_flag()?;
    let fetcher = web::fetcher(args.allow_private)?;
    let mut store = store::Store::open(&args.db).context("cannot open the store")?;
    let bar = progress::Bar::new(std::io::stderr().is_terminal());
    let gather = fetch::GatherOptions::default();
    loop {
        let started = std::time::Instant::now();
        let feeds = web::read_feed_list(&args.feeds)?;
        let poll = pipeline::watch::poll(&feeds, &fetcher, &mut store, &gather, &bar)?;
        for e in &poll.analysis.report.skipped {
            eprintln!("crosscheck: skipped {e}");
        }
        let r = &poll.analysis.report;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "feeds {} unchanged {} entries {} left {} new_articles {} conflicts {}",
            feeds.len(),
            poll.unchanged,
            poll.taken,
            poll.left,
            r.new_articles,
            poll.analysis.conflicts.len()
        )?;
        out.flush()?;
        if args.once || web::wait(started + args.every, &stop) {
            return Ok(ExitCode::SUCCESS);
        }
    }
}
