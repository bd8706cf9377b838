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
    let s = crosscheck_stories::cluster(
        &a.articles,
        &ents,
        crosscheck_stories::StoryConfig::default(),
    );
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
