//! What the shipped model gives on sentences of our own (news style, crosscheck's
//! tokenization). These check outcomes a downstream stage relies on, not exact parses.

use syntax::{Analysis, Deprel, Parser, Upos};

fn parse(s: &str) -> (Vec<&str>, Vec<Analysis<'_>>) {
    let words: Vec<&str> = s.split_whitespace().collect();
    let out = Parser::global().parse(&words);
    assert_eq!(out.len(), words.len());
    (words, out)
}

fn index(words: &[&str], w: &str) -> u32 {
    words
        .iter()
        .position(|x| *x == w)
        .expect("word in sentence") as u32
}

#[test]
fn passive_report_clause() {
    let (w, a) = parse("Officials said the senator was not indicted .");
    let (said, senator, was, not, indicted) = (
        index(&w, "said"),
        index(&w, "senator"),
        index(&w, "was"),
        index(&w, "not"),
        index(&w, "indicted"),
    );
    assert_eq!(a[said as usize].head, None);
    assert_eq!(a[said as usize].deprel, Deprel::Root);
    assert_eq!(a[0].head, Some(said));
    assert_eq!(a[0].deprel, Deprel::Nsubj);
    assert_eq!(a[senator as usize].head, Some(indicted));
    assert_eq!(a[senator as usize].deprel, Deprel::NsubjPass);
    assert_eq!(a[was as usize].head, Some(indicted));
    assert_eq!(a[was as usize].deprel, Deprel::AuxPass);
    assert_eq!(a[not as usize].head, Some(indicted));
    assert_eq!(a[not as usize].deprel, Deprel::Advmod);
    assert_eq!(a[indicted as usize].head, Some(said));
    assert_eq!(a[indicted as usize].deprel, Deprel::Ccomp);
    assert_eq!(a[indicted as usize].lemma, "indict");
    assert_eq!(a[indicted as usize].upos, Upos::Verb);
    assert_eq!(a[0].lemma, "official");
}

#[test]
fn lemmas_of_inflected_words() {
    let (w, a) = parse("He pleaded guilty to fraud and was sentenced to 48 months in prison .");
    let lemma = |x: &str| a[index(&w, x) as usize].lemma.to_string();
    assert_eq!(lemma("pleaded"), "plead");
    assert_eq!(lemma("was"), "be");
    assert_eq!(lemma("sentenced"), "sentence");
    assert_eq!(lemma("months"), "month");
    assert_eq!(lemma("He"), "he");
    assert_eq!(lemma("48"), "48");
    assert_eq!(a[index(&w, "pleaded") as usize].deprel, Deprel::Root);
}

#[test]
fn hyphenated_words_and_names_stay_whole() {
    let (w, a) =
        parse("The U.S. Senate passed a 48-page gun-rights bill on Tuesday , officials said .");
    let bill = index(&w, "bill");
    let page = &a[index(&w, "48-page") as usize];
    let rights = &a[index(&w, "gun-rights") as usize];
    // "48-page" may modify "bill" or the compound "gun-rights bill"; either is a tree EWT
    // annotators would accept for the page count.
    assert!([Some(bill), Some(index(&w, "gun-rights"))].contains(&page.head));
    assert_eq!(rights.head, Some(bill));
    assert_eq!(rights.lemma, "gun-right");
    assert_eq!(a[index(&w, "U.S.") as usize].upos, Upos::Propn);
    assert_eq!(a[index(&w, "Senate") as usize].deprel, Deprel::Nsubj);
    assert_eq!(a[bill as usize].deprel, Deprel::Obj);
}

#[test]
fn contractions_and_curly_quotes() {
    let (w, a) = parse("“ We don’t know what happened , ” Sen. Chuck Schumer told reporters .");
    let dont = &a[index(&w, "don’t") as usize];
    // One analysis for the word: its auxiliary part, attached to the verb.
    assert_eq!(dont.upos, Upos::Aux);
    assert_eq!(dont.lemma, "do");
    assert_eq!(dont.head, Some(index(&w, "know")));
    assert_eq!(a[0].xpos.as_str(), "``");
    assert_eq!(a[index(&w, "”") as usize].xpos.as_str(), "''");
    // Split words must not leave arcs pointing inside themselves.
    for (i, x) in a.iter().enumerate() {
        assert_ne!(x.head, Some(i as u32));
    }
}

#[test]
fn tag_agrees_with_parse() {
    let words: Vec<&str> = "The minister , who resigned on Friday , denied wrongdoing ."
        .split_whitespace()
        .collect();
    let p = Parser::global();
    let tags = p.tag(&words);
    let parsed = p.parse(&words);
    for (t, a) in tags.iter().zip(&parsed) {
        assert_eq!((t.0, t.1, &t.2), (a.upos, a.xpos, &a.lemma));
    }
}

/// Every fixture sentence parses into one tree: a single root, heads in range, no cycles.
#[test]
fn fixture_sentences_are_trees() {
    let text = include_str!("fixtures/news.txt");
    let p = Parser::global();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        let a = p.parse(&words);
        assert_tree(&a, line);
        let root = a.iter().position(|x| x.head.is_none()).expect("a root");
        assert!(
            matches!(
                a[root].upos,
                Upos::Verb | Upos::Aux | Upos::Noun | Upos::Adj
            ),
            "{line}: root {:?}",
            words[root]
        );
    }
}

pub fn assert_tree(a: &[Analysis<'_>], what: &str) {
    let n = a.len();
    assert_eq!(
        a.iter().filter(|x| x.head.is_none()).count(),
        1,
        "{what}: one root"
    );
    for (i, x) in a.iter().enumerate() {
        assert_eq!(
            x.head.is_none(),
            x.deprel == Deprel::Root,
            "{what}: word {i}"
        );
        let mut h = x.head;
        let mut steps = 0;
        while let Some(j) = h {
            assert!((j as usize) < n, "{what}: head in range");
            steps += 1;
            assert!(steps <= n, "{what}: cycle through word {i}");
            h = a[j as usize].head;
        }
    }
}
