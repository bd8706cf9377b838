//! End-to-end tests of the `crosscheck` binary on the built-in demo and on bad inputs.

use std::path::Path;
use std::process::{Command, Output};

fn crosscheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(args)
        .output()
        .expect("run crosscheck")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

#[test]
fn analyze_without_arguments_runs_the_demo() {
    let out = crosscheck(&["analyze"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("5 documents, 12 articles, 1 duplicate group"),
        "{text}"
    );
    assert!(text.contains("Syria’s Sharaa meets Putin in Moscow"));
}

#[test]
fn json_output_keeps_the_contract() {
    let out = crosscheck(&["analyze", "--json"]);
    assert!(out.status.success());
    let v = json(&out);
    let docs = v["documents"].as_array().unwrap();
    let arts = v["articles"].as_array().unwrap();
    assert_eq!(docs.len(), 5);
    assert_eq!(arts.len(), 12);
    for d in docs {
        assert!(d["id"].is_string() && d["path"].is_string());
        assert!(
            d["articles"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a.is_string())
        );
    }
    for a in arts {
        for key in [
            "id",
            "document",
            "index",
            "title",
            "caption",
            "url",
            "outlet",
            "dateline",
            "published",
            "published_from",
            "text",
            "paragraphs",
            "origin",
            "duplicate_of",
            "copies",
        ] {
            assert!(a.get(key).is_some(), "missing key {key}");
        }
        let text = a["text"].as_str().unwrap();
        for p in a["paragraphs"].as_array().unwrap() {
            let (s, e) = (
                p["start"].as_u64().unwrap() as usize,
                p["end"].as_u64().unwrap() as usize,
            );
            assert!(
                s < e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
            );
        }
    }
    let copies: Vec<&serde_json::Value> = arts
        .iter()
        .filter(|a| !a["duplicate_of"].is_null())
        .collect();
    assert_eq!(copies.len(), 1);
    let first = arts
        .iter()
        .find(|a| a["id"] == copies[0]["duplicate_of"])
        .unwrap();
    assert_eq!(
        first["copies"].as_array().unwrap(),
        &vec![copies[0]["id"].clone()]
    );
    assert_eq!(first["origin"], copies[0]["origin"]);
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

#[test]
fn bad_inputs_get_one_message_each_and_exit_codes_mean_something() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = write(d, "good.jsonl", b"{\"text\": \"A short article body that is fine.\", \"published\": \"2026-01-28\"}\n{\"text\": 7}\n");
    let empty = write(d, "empty.txt", b"");
    let binary = write(d, "blob.txt", b"\x7fELF\x00\x00\x01\x02");
    // Not UTF-8: read as the legacy charset it is, not refused.
    let latin = write(
        d,
        "latin.txt",
        b"Le caf\xe9 du port a rouvert ses portes apr\xe8s trois ans de travaux.",
    );
    let unsupported = write(d, "slides.pdf", b"%PDF-1.4");
    let mut huge = b"{\"text\": \"".to_vec();
    huge.resize(50 * 1024 * 1024, b'a');
    huge.extend_from_slice(b"\"}\n");
    let big = write(d, "big.jsonl", &huge);

    let out = crosscheck(&[
        "analyze",
        &good,
        &empty,
        &binary,
        &latin,
        &unsupported,
        &big,
        "/nonexistent/x.txt",
    ]);
    assert_eq!(out.status.code(), Some(0), "one input was read");
    let err = String::from_utf8(out.stderr).unwrap();
    for (needle, why) in [
        ("good.jsonl:2", "\"text\" must be a string"),
        ("empty.txt", "empty file"),
        ("blob.txt", "binary"),
        ("slides.pdf", "unsupported file type"),
        ("big.jsonl:1", "over the limit"),
        ("/nonexistent/x.txt", "no such file"),
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no message for {needle}: {err}"));
        assert!(line.contains(why), "{line}");
    }
    assert_eq!(
        err.lines().filter(|l| l.contains("skipped")).count(),
        6,
        "{err}"
    );
    let read = json(&crosscheck(&["analyze", "--json", &latin]));
    let text = read["articles"][0]["text"].as_str().unwrap();
    assert!(
        text.contains("Le café du port a rouvert ses portes après"),
        "{text}"
    );

    let strict = crosscheck(&["analyze", "--strict", &good, &empty]);
    assert_eq!(strict.status.code(), Some(3));
    let none = crosscheck(&["analyze", &empty, &unsupported]);
    assert_eq!(none.status.code(), Some(1));
}

#[test]
fn a_store_grows_only_with_new_input() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("news.db").display().to_string();
    let a = write(dir.path(), "a.jsonl", b"{\"text\": \"First article about a ceasefire in the south, with many words in it.\", \"outlet\": \"X\"}\n");
    let b = write(dir.path(), "b.jsonl", b"{\"text\": \"first article about a CEASEFIRE in the south, with many words in it!\"}\n{\"text\": \"Another story entirely, about elections and a parliament vote.\"}\n");
    let run = |args: &[&str]| json(&crosscheck(args));
    let one = run(&["analyze", "--db", &db, "--json", &a]);
    assert_eq!(one["articles"].as_array().unwrap().len(), 1);
    let again = run(&["analyze", "--db", &db, "--json", &a]);
    assert_eq!(again["articles"].as_array().unwrap().len(), 1);
    assert_eq!(again["stats"]["new_documents"], 0);
    let more = run(&["analyze", "--db", &db, "--json", &b]);
    let arts = more["articles"].as_array().unwrap();
    assert_eq!(arts.len(), 3);
    assert_eq!(
        arts[1]["duplicate_of"], arts[0]["id"],
        "the copy links to the stored article"
    );
    let store_only = run(&["analyze", "--db", &db, "--json"]);
    assert_eq!(store_only["articles"], more["articles"]);
    // --changes reports only what a run added.
    let c = write(
        dir.path(),
        "c.jsonl",
        b"{\"text\": \"A third story, about a storm that closed the port for two days.\"}\n",
    );
    let changed = run(&["analyze", "--db", &db, "--json", "--changes", &c]);
    let arts = changed["articles"].as_array().unwrap();
    assert_eq!(arts.len(), 1);
    assert!(arts[0]["text"].as_str().unwrap().contains("storm"));
    // The store is consistent: counts, and no problem found.
    let check = crosscheck(&["check", "--db", &db]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let report = String::from_utf8(check.stdout).unwrap();
    assert!(
        report.starts_with("documents 4 articles 4 pending 0"),
        "{report}"
    );
}

#[test]
fn every_command_has_help_with_an_example() {
    for args in [
        vec!["--help"],
        vec!["analyze", "--help"],
        vec!["serve", "--help"],
        vec!["check", "--help"],
        vec!["eval", "--help"],
        vec!["eval", "dedup", "--help"],
        vec!["eval", "extraction", "--help"],
        vec!["eval", "ner", "--help"],
        vec!["eval", "timex", "--help"],
        vec!["eval", "stories", "--help"],
        vec!["eval", "speed", "--help"],
        vec!["annotate", "--help"],
        vec!["watch", "--help"],
    ] {
        let out = crosscheck(&args);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Example"), "{args:?}: {text}");
    }
}

/// A JSONL corpus long enough for a run to be killed in every stage: the demo's pages and
/// rewrites of them (paragraphs rotated, one dropped, another outlet), so that dedup, origins,
/// events and claims all have work that a kill can cut.
fn kill_corpus(dir: &Path) -> String {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/demo");
    let mut pages: Vec<_> = std::fs::read_dir(&demo)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    let texts: Vec<String> = pages
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let mut lines = String::new();
    for k in 0..40 {
        let text = &texts[k % texts.len()];
        let mut paras: Vec<&str> = text.lines().filter(|p| !p.trim().is_empty()).collect();
        if k >= texts.len() {
            let n = paras.len();
            paras.rotate_left(k % n);
            paras.remove(k % paras.len());
        }
        let row = serde_json::json!({
            "text": paras.join("\n"),
            "outlet": format!("Outlet {}", k % 7),
            "url": format!("https://outlet{}.example/story/{k}", k % 7),
        });
        lines.push_str(&row.to_string());
        lines.push('\n');
    }
    write(dir, "kill.jsonl", lines.as_bytes())
}

/// The layers a run reports, without its statistics (which say what this run did).
fn layers(v: &serde_json::Value) -> serde_json::Value {
    let mut v = v.clone();
    let obj = v.as_object_mut().unwrap();
    obj.remove("stats");
    obj.remove("skipped");
    v
}

#[test]
fn a_store_killed_at_any_moment_is_completed_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = kill_corpus(dir.path());
    for (b, db) in store::test_support::fresh_stores(dir.path(), "kill_ref")
        .iter()
        .enumerate()
    {
        let started = std::time::Instant::now();
        let reference = json(&crosscheck(&["analyze", "--db", db, "--json", &input]));
        let wall = started.elapsed();
        assert!(reference["articles"].as_array().unwrap().len() >= 40);
        let trials = 8;
        let mut killed = 0;
        for t in 0..trials {
            let fresh = store::test_support::fresh_stores(dir.path(), &format!("kill_{b}_{t}"));
            let db = &fresh[b];
            // Spread over the reference run's wall time, opening the store included.
            let at = wall.mul_f64((t as f64 + 0.5) / trials as f64);
            let mut child = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
                .args(["analyze", "--db", db, "--json", &input])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(at);
            if child.try_wait().unwrap().is_none() {
                child.kill().unwrap(); // SIGKILL
                killed += 1;
            }
            child.wait().unwrap();
            let done = json(&crosscheck(&["analyze", "--db", db, "--json", &input]));
            assert_eq!(
                layers(&done),
                layers(&reference),
                "{db}: killed at {at:?} of {wall:?}, the next run differs from a clean one"
            );
        }
        // Kill moments are spread over a clean run's wall time, but a loaded machine shifts
        // them: at least one run must have been cut for the trials to mean anything.
        assert!(killed >= 1, "none of {trials} runs was cut");
    }
}

#[test]
fn a_reader_that_stops_early_is_no_error() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(["analyze", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    // The pipe is closed here, as `| head -c 16` would close it.
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("panicked") && !err.contains("error"), "{err}");
    assert!(head.starts_with(b"{"));
}

/// Runs `crosscheck annotate` on `lines` given on stdin.
fn annotate_stdin(name: &str, first_line: usize, lines: &str) -> String {
    let first = first_line.to_string();
    let args = [
        "annotate",
        "--jsonl",
        "--name",
        name,
        "--first-line",
        &first,
    ];
    with_stdin(&args, lines)
}

/// Runs crosscheck with `args` and `lines` on stdin; its stdout.
fn with_stdin(args: &[&str], lines: &str) -> String {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run crosscheck annotate");
    let mut stdin = child.stdin.take().unwrap();
    let body = lines.to_string();
    let feeder = std::thread::spawn(move || stdin.write_all(body.as_bytes()));
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// What the Spark job does: two parts of the input annotated apart (stdin, each numbered from
/// its first line), then one `analyze --annotations`, whose JSON equals a plain `analyze`.
#[test]
fn annotating_in_parts_then_analyzing_equals_one_analyze() {
    let dir = tempfile::tempdir().unwrap();
    let input = kill_corpus(dir.path());
    let text = std::fs::read_to_string(&input).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (head, tail) = lines.split_at(17);
    let mut annotated = annotate_stdin(&input, 1, &(head.join("\n") + "\n"));
    annotated.push_str(&annotate_stdin(&input, 18, &(tail.join("\n") + "\n")));
    let rows: Vec<serde_json::Value> = annotated
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(rows.len() >= lines.len(), "one line per article at least");
    assert!(rows.iter().any(|r| r["line"] == 18));
    let ann = write(dir.path(), "parts.ann", annotated.as_bytes());
    let plain = crosscheck(&["analyze", &input, "--json"]);
    let given = crosscheck(&["analyze", &input, "--annotations", &ann, "--json"]);
    assert!(plain.status.success() && given.status.success());
    assert_eq!(json(&given), json(&plain));
    assert!(!json(&plain)["claims"].as_array().unwrap().is_empty());
}

/// What the Spark job does for copies: each line's keys, the lines joined into groups by
/// shared keys, each group deduplicated alone, then one `analyze --copies` that equals a plain
/// `analyze`.
#[test]
fn copies_found_group_by_group_equal_one_analyze() {
    let dir = tempfile::tempdir().unwrap();
    let input = kill_corpus(dir.path());
    let text = std::fs::read_to_string(&input).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let keys = with_stdin(&["copies", "keys", "--name", &input], &text);
    let keys: Vec<(u64, Vec<String>)> = (keys.lines())
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|v| {
            let k = v["keys"].as_array().unwrap().iter();
            let k = k.map(|k| k.as_str().unwrap().to_string()).collect();
            (v["line"].as_u64().unwrap(), k)
        })
        .collect();
    let groups = key_groups(&keys);
    assert!(groups.len() > 1 && groups.len() < keys.len(), "{groups:?}");
    let mut grouped = String::new();
    for (g, members) in groups.iter().enumerate() {
        for l in members {
            grouped.push_str(&format!("{g}\t{l}\t{}\n", lines[*l as usize - 1]));
        }
    }
    let copies = with_stdin(&["copies", "groups"], &grouped);
    let copies = write(dir.path(), "copies.jsonl", copies.as_bytes());
    let plain = crosscheck(&["analyze", &input, "--json"]);
    let given = crosscheck(&["analyze", &input, "--copies", &copies, "--json"]);
    assert!(plain.status.success() && given.status.success());
    assert_eq!(json(&given), json(&plain));
}

/// What the Spark job does with a store: a run that leaves the claims for later, the marked
/// threads judged in two parts (two tasks), then the store's report: equal to a plain run
/// (but for the run's own counts).
#[test]
fn claims_judged_later_in_parts_equal_one_analyze() {
    let dir = tempfile::tempdir().unwrap();
    let input = kill_corpus(dir.path());
    let db = dir.path().join("later.db").display().to_string();
    let later = crosscheck(&["analyze", &input, "--db", &db, "--claims-later", "--json"]);
    assert!(later.status.success());
    assert!(json(&later)["claims"].as_array().unwrap().is_empty());
    let listed = crosscheck(&["judge", "--db", &db, "--list"]);
    let threads: Vec<String> = (String::from_utf8(listed.stdout).unwrap().lines())
        .map(str::to_string)
        .collect();
    assert!(threads.len() >= 2, "{threads:?}");
    let (one, two) = threads.split_at(threads.len() / 2);
    with_stdin(&["judge", "--db", &db], &one.join("\n"));
    let mut args = vec!["judge", "--db", &db];
    args.extend(two.iter().map(String::as_str));
    assert!(crosscheck(&args).status.success());
    let listed = crosscheck(&["judge", "--db", &db, "--list"]);
    assert!(listed.stdout.is_empty(), "every thread judged");
    let mut plain = json(&crosscheck(&["analyze", &input, "--json"]));
    let mut store = json(&crosscheck(&["analyze", "--db", &db, "--json"]));
    assert!(!plain["claims"].as_array().unwrap().is_empty());
    plain["stats"] = serde_json::Value::Null;
    store["stats"] = serde_json::Value::Null;
    assert_eq!(store, plain);
}

/// Lines joined when they share a key (directly or through others), each group's lines in
/// order.
fn key_groups(keys: &[(u64, Vec<String>)]) -> Vec<Vec<u64>> {
    let mut groups: Vec<(std::collections::HashSet<&str>, Vec<u64>)> = Vec::new();
    for (line, ks) in keys {
        let (joined, apart): (Vec<_>, Vec<_>) = (groups.into_iter())
            .partition(|(held, _)| ks.iter().any(|k| held.contains(k.as_str())));
        let mut merged: (std::collections::HashSet<&str>, Vec<u64>) =
            (ks.iter().map(|k| k.as_str()).collect(), vec![*line]);
        for (held, members) in joined {
            merged.0.extend(held);
            merged.1.extend(members);
        }
        merged.1.sort_unstable();
        groups = apart;
        groups.push(merged);
    }
    groups.into_iter().map(|(_, members)| members).collect()
}

#[test]
fn unreadable_annotations_are_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.ann", b"{\"article\": 3}\n");
    let out = crosscheck(&["analyze", "--annotations", &bad]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.ann:1"), "{err}");
}

/// `analyze -` reads JSONL on stdin, and `.ndjson` files are JSONL: both read what the same
/// `.jsonl` file gives.
#[test]
fn stdin_and_ndjson_read_as_jsonl() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let input = kill_corpus(dir.path());
    let body = std::fs::read(&input).unwrap();
    let ndjson = write(dir.path(), "same.ndjson", &body);
    let mut child = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(["analyze", "-", "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || stdin.write_all(&body));
    let piped = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    assert!(piped.status.success());
    let file = json(&crosscheck(&["analyze", &input, "--json"]));
    let nd = json(&crosscheck(&["analyze", &ndjson, "--json"]));
    let piped = json(&piped);
    assert_eq!(piped["documents"][0]["path"], "-");
    assert_eq!(piped["articles"], file["articles"]);
    assert_eq!(nd["articles"], file["articles"]);
    assert_eq!(piped["claims"], file["claims"]);
}

/// `--format csv|jsonl --table T` prints one table as rows: a header and a row per conflict
/// side in CSV, a JSON object per claim in JSONL.
#[test]
fn tables_export_as_csv_and_jsonl() {
    let report = json(&crosscheck(&["analyze", "--json"]));
    let sides: usize = (report["conflicts"].as_array().unwrap().iter())
        .map(|k| k["values"].as_array().unwrap().len())
        .sum();
    let out = crosscheck(&["analyze", "--format", "csv", "--table", "conflicts"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("conflict,slot,kind,severity,internal,value,outlets,quote"));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.records().count(), sides);
    let out = crosscheck(&["analyze", "--format", "jsonl"]);
    let lines = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        lines.lines().count(),
        report["claims"].as_array().unwrap().len()
    );
    let bad = crosscheck(&["analyze", "--format", "xml"]);
    assert_eq!(bad.status.code(), Some(2));
}
