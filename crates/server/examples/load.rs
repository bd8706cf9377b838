//! Load test of `crosscheck serve` on loopback.
//!
//! Seeds a temporary store with the demo corpus and the BASIL articles (read from the
//! directory given with `--basil`, converted to crosscheck JSONL as `make_corpus.py` does),
//! starts `crosscheck serve` on a free loopback port, then for each of the thread, event and
//! search endpoints runs `--concurrency` connections (default 32) for `--seconds` (default
//! 10) and prints requests/s, p50/p99/max latency and the error count. Target: p99 <= 50 ms,
//! zero errors.
//!
//! ```sh
//! cargo build --release -p crosscheck -p crosscheck-server --example load
//! target/release/examples/load --basil path/to/datasets/basil [--bin target/release/crosscheck]
//! target/release/examples/load --addr 127.0.0.1:8080     # a server already running (loopback only)
//! ```
//!
//! Every request goes to 127.0.0.0/8; each phase is bounded in time and count and the
//! server child is stopped at the end.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Args {
    basil: Option<PathBuf>,
    bin: PathBuf,
    addr: Option<SocketAddr>,
    concurrency: usize,
    seconds: f64,
    max_requests: usize,
}

fn usage() -> ! {
    eprintln!(
        "usage: load --basil DIR [--bin PATH] [--concurrency N] [--seconds S] [--max-requests N]\n       load --addr 127.0.0.1:PORT [...]"
    );
    std::process::exit(2)
}

fn args() -> Args {
    let mut a = Args {
        basil: None,
        bin: PathBuf::from("target/release/crosscheck"),
        addr: None,
        concurrency: 32,
        seconds: 10.0,
        max_requests: 2_000_000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut v = || it.next().unwrap_or_else(|| usage());
        match k.as_str() {
            "--basil" => a.basil = Some(v().into()),
            "--bin" => a.bin = v().into(),
            "--addr" => a.addr = Some(v().parse().unwrap_or_else(|_| usage())),
            "--concurrency" => a.concurrency = v().parse().unwrap_or_else(|_| usage()),
            "--seconds" => a.seconds = v().parse().unwrap_or_else(|_| usage()),
            "--max-requests" => a.max_requests = v().parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    if a.addr.is_none() && a.basil.is_none() {
        usage();
    }
    if let Some(addr) = a.addr
        && !addr.ip().is_loopback()
    {
        eprintln!("load: refusing {addr}: the load test only targets loopback addresses");
        std::process::exit(2);
    }
    a
}

/// A Python literal as BASIL stores `body-paragraphs`: strings and (nested) lists.
enum Py {
    Str(String),
    List(Vec<Py>),
}

fn parse_py(s: &str) -> Option<Py> {
    fn ws(b: &[char], i: &mut usize) {
        while *i < b.len() && b[*i].is_whitespace() {
            *i += 1;
        }
    }
    fn val(b: &[char], i: &mut usize) -> Option<Py> {
        ws(b, i);
        match *b.get(*i)? {
            '[' => {
                *i += 1;
                let mut items = Vec::new();
                loop {
                    ws(b, i);
                    if *b.get(*i)? == ']' {
                        *i += 1;
                        return Some(Py::List(items));
                    }
                    items.push(val(b, i)?);
                    ws(b, i);
                    match *b.get(*i)? {
                        ',' => *i += 1,
                        ']' => {}
                        _ => return None,
                    }
                }
            }
            q @ ('\'' | '"') => {
                *i += 1;
                let mut out = String::new();
                loop {
                    let c = *b.get(*i)?;
                    *i += 1;
                    if c == q {
                        return Some(Py::Str(out));
                    }
                    if c != '\\' {
                        out.push(c);
                        continue;
                    }
                    let e = *b.get(*i)?;
                    *i += 1;
                    match e {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'x' | 'u' | 'U' => {
                            let n = match e {
                                'x' => 2,
                                'u' => 4,
                                _ => 8,
                            };
                            let hex: String = b.get(*i..*i + n)?.iter().collect();
                            *i += n;
                            out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                        }
                        other => out.push(other),
                    }
                }
            }
            _ => None,
        }
    }
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    val(&b, &mut i)
}

fn paragraph(p: &Py) -> String {
    match p {
        Py::Str(s) => s.clone(),
        Py::List(v) => v.iter().map(paragraph).collect::<Vec<_>>().join(" "),
    }
}

/// BASIL articles as crosscheck JSONL (title, text, url, outlet, published).
fn basil_jsonl(dir: &Path) -> std::io::Result<(Vec<u8>, usize)> {
    let mut files = Vec::new();
    for year in std::fs::read_dir(dir)? {
        let year = year?.path();
        if year.is_dir() {
            for f in std::fs::read_dir(&year)? {
                let f = f?.path();
                if f.extension().is_some_and(|e| e == "json") {
                    files.push(f);
                }
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    let mut n = 0;
    for f in files {
        let d: Value = match serde_json::from_slice(&std::fs::read(&f)?) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("load: skipping {}: {e}", f.display());
                continue;
            }
        };
        let paras: Vec<String> = match &d["body-paragraphs"] {
            Value::String(s) => match parse_py(s) {
                Some(Py::List(v)) => v.iter().map(paragraph).collect(),
                _ => {
                    eprintln!("load: skipping {}: unreadable body-paragraphs", f.display());
                    continue;
                }
            },
            Value::Array(v) => v
                .iter()
                .map(|p| match p {
                    Value::Array(s) => s
                        .iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    other => other.as_str().unwrap_or("").to_string(),
                })
                .collect(),
            _ => continue,
        };
        let rec = json!({
            "title": d["title"], "text": paras.join("\n\n"), "url": d["url"],
            "outlet": d["source"], "published": d["date"],
        });
        serde_json::to_writer(&mut out, &rec)?;
        out.push(b'\n');
        n += 1;
    }
    Ok((out, n))
}

fn seed(db: &Path, basil: &Path) -> usize {
    let mut store = store::Store::open(db).expect("temporary store");
    let opts = pipeline::Options::default();
    pipeline::analyze(
        &pipeline::Input::Demo,
        Some(&mut store),
        &opts,
        &pipeline::Quiet,
    )
    .expect("demo stored");
    let (body, n) = basil_jsonl(basil).expect("BASIL directory readable");
    let a = pipeline::analyze(
        &pipeline::Input::Jsonl {
            name: "basil.jsonl".into(),
            body,
        },
        Some(&mut store),
        &opts,
        &pipeline::Quiet,
    )
    .expect("BASIL stored");
    eprintln!(
        "load: store seeded with the demo and {n} BASIL articles: {} articles, {} events, {} threads",
        a.articles.len(),
        a.events.len(),
        a.threads.len()
    );
    a.articles.len()
}

struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM for a graceful stop; the child is ours (its pid), nothing else is touched.
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Stats {
    name: String,
    ok: usize,
    errors: usize,
    secs: f64,
    lat_us: Vec<u64>,
}

impl Stats {
    fn pct(&self, p: f64) -> f64 {
        if self.lat_us.is_empty() {
            return 0.0;
        }
        let i = ((self.lat_us.len() as f64 - 1.0) * p).round() as usize;
        self.lat_us[i] as f64 / 1000.0
    }
    fn line(&self) -> String {
        format!(
            "{:<8} {:>8} req {:>10.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms   max {:>7.2} ms   errors {}",
            self.name,
            self.ok + self.errors,
            (self.ok + self.errors) as f64 / self.secs,
            self.pct(0.50),
            self.pct(0.99),
            self.lat_us.last().copied().unwrap_or(0) as f64 / 1000.0,
            self.errors
        )
    }
}

/// `conc` connections requesting `paths` round-robin for `secs` seconds (or `max` requests).
async fn phase(
    name: &str,
    base: &str,
    paths: Arc<Vec<String>>,
    conc: usize,
    secs: f64,
    max: usize,
) -> Stats {
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let started = Instant::now();
    let budget = Arc::new(std::sync::atomic::AtomicUsize::new(max));
    let mut tasks = Vec::new();
    for w in 0..conc {
        let paths = paths.clone();
        let base = base.to_string();
        let budget = budget.clone();
        tasks.push(tokio::spawn(async move {
            // One keep-alive connection per worker, as a browser or client pool would hold.
            fetch::install_tls_provider();
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .timeout(Duration::from_secs(10))
                .build()
                .expect("client");
            let mut lat = Vec::new();
            let mut errors = 0usize;
            let mut i = w;
            while Instant::now() < deadline
                && budget
                    .fetch_update(
                        std::sync::atomic::Ordering::Relaxed,
                        std::sync::atomic::Ordering::Relaxed,
                        |b| b.checked_sub(1),
                    )
                    .is_ok()
            {
                let url = format!("{base}{}", paths[i % paths.len()]);
                i += 1;
                let t = Instant::now();
                let ok = match client.get(&url).send().await {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                lat.push(t.elapsed().as_micros() as u64);
                if !ok {
                    errors += 1;
                }
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.expect("worker");
        all.extend(l);
        errors += e;
    }
    all.sort_unstable();
    Stats {
        name: name.into(),
        ok: all.len() - errors,
        errors,
        secs: started.elapsed().as_secs_f64(),
        lat_us: all,
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

#[tokio::main]
async fn main() {
    let args = args();
    let tmp = tempfile::tempdir().expect("temporary directory");
    let mut _server = None;
    let addr = match args.addr {
        Some(a) => a,
        None => {
            let db = tmp.path().join("load.db");
            let t = Instant::now();
            let basil = args.basil.clone().expect("--basil");
            let n = tokio::task::spawn_blocking({
                let db = db.clone();
                move || seed(&db, &basil)
            })
            .await
            .expect("seed");
            eprintln!(
                "load: seeded {n} articles in {:.1}s",
                t.elapsed().as_secs_f64()
            );
            let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
            let log = std::fs::File::create(tmp.path().join("server.log")).expect("log file");
            let child = Command::new(&args.bin)
                .args(["serve", "--db"])
                .arg(&db)
                .args(["--addr", &addr.to_string()])
                .env_remove("CROSSCHECK_TOKEN")
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| {
                    eprintln!("load: cannot start {}: {e} (build it with cargo build --release -p crosscheck)", args.bin.display());
                    std::process::exit(1)
                });
            _server = Some(Server(child));
            addr
        }
    };
    let base = format!("http://{addr}");
    fetch::install_tls_provider();
    let client = reqwest::Client::new();
    let t = Instant::now();
    let threads: Value = loop {
        if let Ok(r) = client.get(format!("{base}/api/threads")).send().await
            && r.status().is_success()
        {
            break r.json().await.expect("threads JSON");
        }
        if t.elapsed() > Duration::from_secs(120) {
            eprintln!("load: the server did not answer within 120 s");
            std::process::exit(1);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    eprintln!(
        "load: server ready in {:.1}s at {base}",
        t.elapsed().as_secs_f64()
    );
    let mut events: Vec<String> = threads["threads"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t["events"].as_array().cloned().unwrap_or_default())
        .chain(
            threads["unthreaded"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
        )
        .filter_map(|e| e["id"].as_str().map(|s| format!("/api/events/{s}")))
        .collect();
    let event_name = if events.is_empty() {
        // No events yet (stories stage not landed): article reads stand in for event reads.
        let search: Value = client
            .get(format!("{base}/api/search?q=the&limit=100"))
            .send()
            .await
            .expect("search")
            .json()
            .await
            .expect("search JSON");
        events = search["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|h| h["article"].as_str().map(|s| format!("/api/articles/{s}")))
            .collect();
        eprintln!("load: the store has no events: measuring /api/articles/{{id}} instead");
        "article"
    } else {
        "event"
    };
    let queries = [
        "assad",
        "putin moscow",
        "obama",
        "congress budget",
        "police shooting",
        "syria",
        "election",
        "\"white house\"",
        "immigration reform",
        "kremlin talks",
        "iran nuclear",
        "health care",
        "gun control",
        "fled damascus",
        "supreme court",
        "military bases",
    ];
    let searches: Vec<String> = queries
        .iter()
        .map(|q| format!("/api/search?q={}", q.replace(' ', "+").replace('"', "%22")))
        .collect();
    println!(
        "crosscheck serve at {base}: {} articles, {} events; {} connections, {} s per endpoint",
        threads["stats"]["articles"], threads["stats"]["events"], args.concurrency, args.seconds
    );
    let mut worst = 0.0f64;
    let mut errors = 0;
    for (name, paths) in [
        ("threads", vec!["/api/threads".to_string()]),
        (event_name, events),
        ("search", searches),
    ] {
        let s = phase(
            name,
            &base,
            Arc::new(paths),
            args.concurrency,
            args.seconds,
            args.max_requests,
        )
        .await;
        println!("{}", s.line());
        worst = worst.max(s.pct(0.99));
        errors += s.errors;
    }
    let ok = worst <= 50.0 && errors == 0;
    println!(
        "target p99 <= 50 ms and no errors: {} (worst p99 {worst:.2} ms, {errors} errors)",
        if ok { "met" } else { "NOT met" }
    );
    drop(_server);
    if !ok {
        std::process::exit(1);
    }
}
