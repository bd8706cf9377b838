//! Prints the demo corpus's events and threads (for eyeballing).
fn main() {
    let mut a = pipeline::analyze(
        &pipeline::Input::Demo,
        None,
        &Default::default(),
        &pipeline::Quiet,
    )
    .expect("demo");
    let ents = if std::env::args().any(|x| x == "--bare") {
        Vec::new()
    } else {
        lang::annotate_all(&mut a.articles)
    };
    let s = crosscheck_stories::cluster(&a.articles, &ents, config());
    let idx: std::collections::HashMap<&str, usize> = a
        .articles
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    println!("{}", s.timelines());
    for e in &s.events {
        let arts: Vec<usize> = e.articles.iter().map(|x| idx[x.as_str()]).collect();
        println!("{} {:?} {:?} {}", e.id, arts, e.date, e.label);
    }
}

/// The default configuration, with `EVENT` and `SETTLE` read from the environment.
fn config() -> crosscheck_stories::StoryConfig {
    let env = |k: &str, d: f32| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let d = crosscheck_stories::StoryConfig::default();
    crosscheck_stories::StoryConfig {
        event_threshold: env("EVENT", d.event_threshold),
        settle_threshold: env("SETTLE", d.settle_threshold),
        pair_threshold: env("PAIR", d.pair_threshold),
        ..d
    }
}
