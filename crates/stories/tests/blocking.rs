//! Event candidates by date window and shared names: the clusterer's own index and a shuffle
//! by key find the same candidates, and the candidates count.

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use crosscheck_stories::blocking::{self, Entry, Given};
use crosscheck_stories::{Clusterer, StoryConfig, batch_order};
use model::Article;

/// What a cluster's shuffle finds for these articles.
fn given_by_shuffle(articles: &[Article]) -> Given {
    let keys: Vec<_> = (articles.iter())
        .filter_map(|a| blocking::event_keys(&a.id, a.published.as_deref(), &a.names))
        .collect();
    blocking::find_all(&keys)
}

/// Event of each article, clustered alone or with candidates given.
fn events(articles: &[Article], cfg: StoryConfig, given: Option<Given>) -> Vec<String> {
    let mut c = Clusterer::new(cfg);
    if let Some(g) = given {
        c.give_candidates(Arc::new(g));
    }
    for a in batch_order(articles) {
        c.add(a);
    }
    c.settle();
    let s = c.stories();
    let event: HashMap<&str, &str> = (s.articles.iter().map(String::as_str))
        .zip(s.article_event.iter().map(String::as_str))
        .collect();
    articles
        .iter()
        .map(|a| event[a.id.as_str()].to_string())
        .collect()
}

fn visit(doc: &str, day: &str, names: &[&str]) -> Article {
    let mut a = common::article(
        doc,
        "Lebanese prime minister Nawaf Salam visits Damascus",
        "Lebanese Prime Minister Nawaf Salam arrived in Damascus for talks with Syrian \
         President Ahmed al-Sharaa on border demarcation and the return of refugees.",
        Some(day),
    );
    a.names = names.iter().map(|n| n.to_string()).collect();
    a
}

#[test]
fn a_query_sees_the_latest_posts_before_it_never_itself() {
    let e = |day: i32, id: &str, post: bool| Entry {
        order: (day, id.to_string()),
        post,
    };
    let group = vec![
        e(5, "c", true),
        e(5, "c", false),
        e(1, "a", true),
        e(3, "b", true),
        e(1, "a", false),
        e(3, "b", false),
    ];
    let mut found = blocking::shuffle(group, 1);
    found.sort();
    // "a" has nothing before it; "b" sees "a"; "c" sees only the latest post before it.
    assert_eq!(
        found,
        vec![
            ("b".to_string(), vec!["a".to_string()]),
            ("c".to_string(), vec!["b".to_string()])
        ]
    );
}

#[test]
fn names_in_one_window_find_an_event_that_words_do_not() {
    // Without term candidates and merges when the batch ends, only names can bring two
    // reports of one visit together.
    let cfg = StoryConfig {
        candidate_terms: 0,
        settle_threshold: f32::INFINITY,
        pair_threshold: f32::INFINITY,
        ..Default::default()
    };
    let arts = vec![
        visit("v1", "2026-01-19", &["salam", "damascus"]),
        visit("v2", "2026-01-20", &["salam", "damascus"]),
        visit("v3", "2026-03-20", &["salam", "damascus"]),
        visit("v4", "2026-01-20", &["sharaa"]),
    ];
    let own = events(&arts, cfg.clone(), None);
    assert_eq!(own[0], own[1], "same names, same window: one event");
    assert_ne!(own[0], own[2], "two months later: not a candidate");
    assert_ne!(own[0], own[3], "no name in common: not a candidate");
    // Given no candidates, every report opens its own event.
    let none: Given = arts.iter().map(|a| (a.id.clone(), Vec::new())).collect();
    let alone = events(&arts, cfg.clone(), Some(none));
    assert_ne!(alone[0], alone[1]);
    // A shuffle by key finds what the clusterer's own index finds.
    assert_eq!(events(&arts, cfg, Some(given_by_shuffle(&arts))), own);
}

#[test]
fn candidates_by_shuffle_cluster_the_demo_as_a_run_does() {
    let (mut arts, _) = common::demo();
    // The names the language layer gives (a finished run clears them).
    lang::annotate_all(&mut arts);
    // As dated news: the demo pages published over three weeks.
    for (i, a) in arts.iter_mut().enumerate() {
        a.published = Some(format!("2026-01-{:02}", 5 + 2 * i));
    }
    assert!(
        arts.iter().any(|a| !a.names.is_empty()),
        "the demo has names"
    );
    let given = given_by_shuffle(&arts);
    assert!(
        given.values().any(|l| !l.is_empty()),
        "some candidates found"
    );
    let cfg = StoryConfig::default();
    assert_eq!(
        events(&arts, cfg.clone(), Some(given.clone())),
        events(&arts, cfg, None)
    );
    // With names the only candidates, every difference between the two would show.
    let names_only = StoryConfig {
        candidate_terms: 0,
        ..Default::default()
    };
    let own = events(&arts, names_only.clone(), None);
    assert_eq!(events(&arts, names_only, Some(given)), own);
    let distinct: std::collections::HashSet<&String> = own.iter().collect();
    assert!(distinct.len() < arts.len(), "names joined some reports");
}
