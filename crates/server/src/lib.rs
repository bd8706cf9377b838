//! `crosscheck serve`: the report's views and a JSON API over a crosscheck store.
//!
//! Job: let people browse a store (threads, events with their claims matrix and conflicts,
//! articles with quotes highlighted, entities, full-text search) and let programs read it and
//! add articles to it over HTTP.
//!
//! Input: a store (`--db`: a SQLite file or a PostgreSQL URL) and the function that runs the
//! stages over it ([`Analyze`]; the binary passes `pipeline::analyze_store`, which loads the
//! whole store's layers when given no body, and returns what a run changed when given one):
//! this crate reads the model (a [`model::Corpus`]) and the store, not the stages. Output: HTML pages
//! (rendered by [`report::html`], no script) and JSON:
//!
//! | route | answer |
//! |---|---|
//! | `GET /api/threads?outlet=&from=&to=&verdict=&sort=&limit=&offset=` | threads with event summaries, and events in no thread |
//! | `GET /api/events/{id}` | an event, its articles, claim groups, claims and conflicts |
//! | `GET /api/articles/{id}` | an article with all its layers |
//! | `GET /api/claims?event=&verdict=&article=&outlet=&from=&to=&sort=&limit=&offset=` | claim groups and claims |
//! | `GET /api/entities?q=&limit=&offset=` | entities whose name or an alias contains `q` |
//! | `GET /api/search?q=&limit=&offset=` | full-text search (tantivy) with snippets |
//! | `POST /api/articles` | JSONL body (the `.jsonl` input format), bearer token |
//! | `GET /api/openapi.json` | the OpenAPI 3.1 description of all of the above |
//!
//! Reads are answered from an immutable [`Snapshot`] (the analysis and its indexes) behind
//! an atomic pointer, so readers never wait for a write. A write runs the stages on the new
//! JSONL against the store (on a blocking thread, one write at a time; the run processes only
//! the new articles and what they touch), adds the new articles to the search index, applies
//! the run's changes ([`model::Corpus::apply`]) to a spare analysis (a former snapshot's,
//! taken back once its readers let go, brought up to date with the writes since; the first
//! write copies the current one) and swaps in the new snapshot, so a write does not copy the
//! whole analysis. Ids are the store's content-addressed ids, stable across runs.
//!
//! Limits: bodies over [`Config::max_body`] (default 10 MiB) get 413, bad JSON 400 with a
//! message naming the line, a missing or wrong token 401, writes when no token is configured
//! 403. The server binds only the address it is given and logs to stderr.

mod api;
mod pages;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use model::Corpus;
use report::html::Lookup;
use search::SearchIndex;
use store::Store;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};

/// Default largest request body: 10 MiB.
pub const DEFAULT_MAX_BODY: usize = 10 * 1024 * 1024;
/// Default listening address: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
/// The environment variable holding the bearer token for writes.
pub const TOKEN_ENV: &str = "CROSSCHECK_TOKEN";

/// The pages' Content-Security-Policy: no script at all, same-origin stylesheet, forms only
/// to this server, never framed.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// `source` names the store (a URL without its password).
    #[error("cannot open the store: {source}")]
    Store { source: store::StoreError },
    #[error("cannot load the store: {0}")]
    Analyze(String),
    #[error(transparent)]
    Search(#[from] search::SearchError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// What the server asks of the stages: the whole run over the store, with a JSONL body (and a
/// name for its documents) added when given. The binary passes `pipeline::analyze_store`; the
/// server itself depends on the model and the store, not on the stages.
pub type Analyze =
    fn(jsonl: Option<(String, Vec<u8>)>, store: &mut Store) -> Result<Corpus, String>;

/// How to run the server.
#[derive(Debug, Clone)]
pub struct Config {
    pub db: PathBuf,
    /// Runs the stages (see [`Analyze`]).
    pub analyze: Analyze,
    pub addr: SocketAddr,
    /// Largest request body in bytes.
    pub max_body: usize,
    /// Bearer token for writes; `None` refuses every write.
    pub token: Option<String>,
}

impl Config {
    /// A config for `db` analysed by `analyze`, with the defaults, the token read from
    /// `CROSSCHECK_TOKEN`.
    pub fn new(db: PathBuf, analyze: Analyze) -> Config {
        Config {
            db,
            analyze,
            addr: DEFAULT_ADDR.parse().expect("valid default address"),
            max_body: DEFAULT_MAX_BODY,
            token: token_from_env(),
        }
    }
}

/// The write token from `CROSSCHECK_TOKEN` (unset or blank: none, so writes are refused).
pub fn token_from_env() -> Option<String> {
    std::env::var(TOKEN_ENV)
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// What a write needs: the store (one write at a time) and the stages to run against it.
struct Writer {
    store: Mutex<Store>,
    analyze: Analyze,
    /// A former snapshot's analysis, taken back once its readers let go of it, and the
    /// changes of the last writes: a write brings the spare up to date in place instead of
    /// copying the whole analysis (a copy of a large store costs seconds).
    spare: Arc<Mutex<Spares>>,
}

/// Analyses of former snapshots and the changes since (see [`Writer::spare`]).
#[derive(Default)]
struct Spares {
    /// Writes applied so far.
    generation: u64,
    /// A former snapshot's analysis and the generation it is at.
    spare: Option<(u64, Corpus)>,
    /// The changes of the last writes, each with the generation it made.
    recent: std::collections::VecDeque<(u64, Corpus)>,
}

/// Changes kept for a spare that comes back late.
const RECENT_WRITES: usize = 8;

impl Spares {
    /// The analysis at the present generation: a spare brought up to date, else `None`.
    fn take_current(&mut self) -> Option<Corpus> {
        let (at, mut analysis) = self.spare.take()?;
        let missing = self.generation - at;
        let from = self.recent.len().checked_sub(missing as usize)?;
        for (_, ch) in self.recent.iter().skip(from) {
            analysis.apply(ch.clone());
        }
        Some(analysis)
    }

    /// Records a write's changes.
    fn wrote(&mut self, changes: Corpus) {
        self.generation += 1;
        self.recent.push_back((self.generation, changes));
        while self.recent.len() > RECENT_WRITES {
            self.recent.pop_front();
        }
    }

    /// Keeps a former snapshot's analysis (at generation `at`) unless a newer one is kept.
    fn give_back(&mut self, at: u64, analysis: Corpus) {
        if self.spare.as_ref().is_none_or(|(g, _)| *g < at) {
            self.spare = Some((at, analysis));
        }
    }
}

/// One consistent view of the store: the analysis, its lookups, and the answers that do not
/// depend on the request, rendered once.
pub struct Snapshot {
    pub analysis: Corpus,
    pub lookup: Lookup,
    threads_json: Bytes,
    home_html: Bytes,
}

impl Snapshot {
    pub fn new(analysis: Corpus) -> Snapshot {
        let lookup = Lookup::new(&analysis);
        let threads_json = Bytes::from(
            serde_json::to_vec(&api::threads_body(&analysis, &lookup)).expect("threads serialise"),
        );
        let home_html = Bytes::from(report::html::page_home(&analysis, &lookup));
        Snapshot {
            analysis,
            lookup,
            threads_json,
            home_html,
        }
    }
}

/// Everything the handlers share.
pub struct AppState {
    snapshot: ArcSwap<Snapshot>,
    search: SearchIndex,
    /// The store and the stages, for writes; `None` serves a fixed analysis read-only.
    writer: Option<Writer>,
    token: Option<String>,
    max_body: usize,
}

impl AppState {
    /// Loads the store at `config.db` and indexes its articles.
    pub fn open(config: &Config) -> Result<AppState, ServerError> {
        let mut store = Store::open(&config.db).map_err(|source| ServerError::Store { source })?;
        let analysis = (config.analyze)(None, &mut store).map_err(ServerError::Analyze)?;
        let mut state = AppState::read_only(analysis, config.max_body)?;
        state.writer = Some(Writer {
            store: Mutex::new(store),
            analyze: config.analyze,
            spare: Arc::default(),
        });
        state.token = config.token.clone();
        Ok(state)
    }

    /// Serves `analysis` without a store: every write is refused. For tests and for showing
    /// an analysis that was never stored.
    pub fn read_only(analysis: Corpus, max_body: usize) -> Result<AppState, ServerError> {
        let search = SearchIndex::new()?;
        search.add(&analysis.articles)?;
        Ok(AppState {
            snapshot: ArcSwap::from_pointee(Snapshot::new(analysis)),
            search,
            writer: None,
            token: None,
            max_body,
        })
    }

    /// The current snapshot.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.load_full()
    }
}

/// The router with every route and layer.
pub fn router(state: Arc<AppState>) -> Router {
    let max_body = state.max_body;
    let writes = Router::new()
        .route("/api/articles", post(api::post_articles))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            api::require_token,
        ));
    Router::new()
        .route("/", get(pages::home))
        .route("/events/{id}", get(pages::event))
        .route("/articles/{id}", get(pages::article))
        .route("/claims", get(pages::claims))
        .route("/entities", get(pages::entities))
        .route("/search", get(pages::search))
        .route("/assets/style.css", get(pages::css))
        .route("/export/{file}", get(pages::export))
        .route("/api/threads", get(api::threads))
        .route("/api/events/{id}", get(api::event))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/claims", get(api::claims))
        .route("/api/entities", get(api::entities))
        .route("/api/search", get(api::search))
        .route("/api/openapi.json", get(api::openapi))
        .merge(writes)
        .fallback(pages::not_found)
        .with_state(state.clone())
        // Body limits: tower-http refuses a declared Content-Length over the limit before
        // reading anything; axum's limit stops a chunked body at the same size.
        .layer(DefaultBodyLimit::max(max_body))
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(axum::middleware::map_response_with_state(
            state.clone(),
            api::json_limit_errors,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
}

/// Logs to stderr; `RUST_LOG` overrides the default (`info`). Safe to call twice.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Loads the store, binds `config.addr` and serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<(), ServerError> {
    let started = std::time::Instant::now();
    let cfg = config.clone();
    let state = tokio::task::spawn_blocking(move || AppState::open(&cfg))
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))??;
    let snap = state.snapshot();
    tracing::info!(
        db = %store::redact(&config.db.display().to_string()),
        articles = snap.analysis.articles.len(),
        events = snap.analysis.events.len(),
        conflicts = snap.analysis.conflicts.len(),
        ms = started.elapsed().as_millis() as u64,
        "store loaded"
    );
    if config.token.is_none() {
        tracing::warn!("{TOKEN_ENV} is not set: POST /api/articles is refused");
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.addr,
            source,
        })?;
    let local = listener.local_addr()?;
    tracing::info!("listening on http://{local}");
    axum::serve(listener, router(Arc::new(state)))
        .with_graceful_shutdown(shutdown())
        .await?;
    tracing::info!("stopped");
    Ok(())
}

/// Runs [`run`] on a new multi-threaded runtime (for the synchronous CLI).
pub fn serve(config: Config) -> Result<(), ServerError> {
    init_logging();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(run(config))
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
