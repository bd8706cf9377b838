//! Shared fixtures of the stories tests: the demo corpus and hand-written articles.
#![allow(dead_code)]

use model::{Article, CleanArticle, Entity};

/// The built-in demo corpus (five scraped pages), annotated, with its entity table.
pub fn demo() -> (Vec<Article>, Vec<Entity>) {
    let mut a = pipeline::analyze(
        &pipeline::Input::Demo,
        None,
        &Default::default(),
        &pipeline::Quiet,
    )
    .expect("demo corpus");
    let mut entities = a.entities.clone();
    if a.articles.iter().all(|x| x.mentions.is_empty()) {
        entities = lang::annotate_all(&mut a.articles);
    }
    (a.articles, entities)
}

/// An article of its own document `doc`, paragraphs separated by blank lines.
pub fn article(doc: &str, title: &str, text: &str, published: Option<&str>) -> Article {
    let mut c = CleanArticle {
        title: Some(title.to_string()),
        published: published.map(str::to_string),
        ..Default::default()
    };
    c.set_paragraphs(text.split("\n\n").map(|p| (p, false)));
    Article::new(&model::content_id(doc.as_bytes()), 0, c)
}
