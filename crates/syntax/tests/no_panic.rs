//! The parser takes any words: it must return one analysis per word and a tree, never panic.

use syntax::{Analysis, Deprel, Parser};

fn check(words: &[&str]) {
    let p = Parser::global();
    let a = p.parse(words);
    assert_eq!(a.len(), words.len());
    assert_eq!(p.tag(words).len(), words.len());
    if !words.is_empty() {
        tree(&a);
    }
}

fn tree(a: &[Analysis<'_>]) {
    let n = a.len();
    assert_eq!(a.iter().filter(|x| x.head.is_none()).count(), 1);
    for x in a {
        assert_eq!(x.head.is_none(), x.deprel == Deprel::Root);
        let mut h = x.head;
        let mut steps = 0;
        while let Some(j) = h {
            assert!((j as usize) < n);
            steps += 1;
            assert!(steps <= n);
            h = a[j as usize].head;
        }
    }
}

#[test]
fn empty_and_tiny_inputs() {
    check(&[]);
    check(&[""]);
    check(&["", "", ""]);
    check(&["."]);
    check(&["the"]);
    check(&[" ", "\t", "\n"]);
}

#[test]
fn punctuation_only() {
    check(&[
        ".", ",", "!", "?", "...", "--", "(", ")", "\"", "'", "“", "”", "’", "‘",
    ]);
    check(&["’s", "n't", "'m", "'", "’"]);
}

#[test]
fn weird_unicode() {
    check(&[
        "İstanbul",
        "ǅemal",
        "ß",
        "ﬁnance",
        "Ⅻ",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "😀",
        "👩‍👩‍👧",
        "e\u{301}",
    ]);
    check(&[
        "مرحبا",
        "שלום",
        "你好",
        "Привет",
        "\u{200B}",
        "\u{FEFF}",
        "\u{0}",
        "\u{7F}",
    ]);
    check(&[
        "don’t",
        "CAN'T",
        "’m",
        "I’d’ve",
        "o'",
        "'ll",
        "x'd",
        "n’t’s",
    ]);
}

#[test]
fn long_sentences_and_words() {
    let words: Vec<String> = (0..500).map(|i| format!("w{i}")).collect();
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    check(&refs);
    let mixed: Vec<&str> = ["the", "cat", ",", "which", "sat", "(", "on", "mats", ")"]
        .iter()
        .cycle()
        .take(2000)
        .copied()
        .collect();
    check(&mixed);
    let long = "a".repeat(10_000);
    let hyphens = "-".repeat(300);
    check(&[long.as_str(), hyphens.as_str(), "indicted"]);
    let dots: Vec<&str> = std::iter::repeat_n(".", 600).collect();
    check(&dots);
}
