//! The learned merges when a batch settles: two reports of one happening worded apart, which
//! cosine alone leaves as two events, become one; reports of other happenings stay apart.

mod common;

use std::collections::HashMap;

use crosscheck_stories::{StoryConfig, cluster};
use model::Article;

fn event_of_each(articles: &[Article], cfg: StoryConfig) -> Vec<String> {
    let s = cluster(articles, &[], cfg);
    let event: HashMap<&str, &str> = (s.articles.iter().map(String::as_str))
        .zip(s.article_event.iter().map(String::as_str))
        .collect();
    (articles.iter())
        .map(|a| event[a.id.as_str()].to_string())
        .collect()
}

fn corpus() -> Vec<Article> {
    let a = common::article;
    vec![
        a(
            "quake-1",
            "Strong earthquake hits Qeshm island in southern Iran",
            "A strong earthquake hit Qeshm island off the southern coast of Iran on Sunday, \
             injuring five people and damaging buildings in the town of Dargahan, state media \
             said.\n\nThe tremor was felt across the Strait of Hormuz.",
            Some("2008-09-10"),
        ),
        a(
            "quake-2",
            "Qeshm earthquake: villagers sleep outdoors",
            "Rescue teams reached villages where old mud-brick homes had cracked, the \
             provincial crisis office reported, and families spent the night in tents and \
             cars.\n\nAftershocks rattled the Gulf island until dawn.",
            Some("2008-09-10"),
        ),
        a(
            "court",
            "Court rejects appeal over city budget",
            "The appeals court on Monday rejected a challenge to the city budget brought by \
             a group of residents, saying the council had followed its own rules.",
            Some("2008-09-11"),
        ),
        a(
            "trade",
            "Forward signs three-year contract with rivals",
            "The club's top scorer signed a three-year contract with their rivals on Tuesday \
             after talks over a new deal broke down, the team said.",
            Some("2008-09-09"),
        ),
        a(
            "storm",
            "Storm cuts power to thousands on the coast",
            "A storm with strong winds cut power to thousands of homes along the coast on \
             Sunday and closed two ports, the utility said.",
            Some("2008-09-10"),
        ),
    ]
}

#[test]
fn the_learned_pass_joins_two_wordings_of_one_happening_and_nothing_else() {
    let arts = corpus();
    let without = event_of_each(
        &arts,
        StoryConfig {
            pair_threshold: f32::INFINITY,
            ..Default::default()
        },
    );
    assert_ne!(
        without[0], without[1],
        "cosine alone keeps the two reports apart"
    );
    let with = event_of_each(&arts, StoryConfig::default());
    assert_eq!(with[0], with[1], "the model joins them");
    for (i, e) in with.iter().enumerate().skip(2) {
        assert_ne!(*e, with[0], "article {i} reports another happening");
    }
}
