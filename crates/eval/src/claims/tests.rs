use super::*;

#[test]
fn overlap_is_a_shared_run_of_twenty_or_the_shorter_quote() {
    let long = "the Supreme Court appeared closely divided on Tuesday";
    // 20 shared characters are enough, 19 are not.
    assert!(overlap(long, &format!("[{}]", &long[12..32])));
    assert!(!overlap(long, &format!("[{}]", &long[12..31])));
    // A quote shorter than 20 must be contained whole.
    assert!(overlap(long, "on Tuesday"));
    assert!(!overlap(long, "on Wednesday"));
    assert!(!overlap("", long));
    // Characters, not bytes: a run of 20 accented characters counts as 20.
    assert!(overlap("ééééééééééééééééééééx", "yéééééééééééééééééééé"));
}

#[test]
fn json_lines_are_written_as_python_writes_them() {
    let mut s = String::new();
    py_json_string("é\u{7f}~\u{1}😀\"\\\n", &mut s);
    assert_eq!(s, r#""\u00e9\u007f~\u0001\ud83d\ude00\"\\\n""#);
}

fn value(source: &str, file: &str, quote: &str) -> GoldValue {
    GoldValue {
        source: source.into(),
        file: file.into(),
        value: String::new(),
        quote: quote.into(),
    }
}

fn record(relation: &str, kind: &str, values: Vec<GoldValue>) -> Record {
    Record {
        triplet: "t".into(),
        slot: String::new(),
        kind: kind.into(),
        relation: relation.into(),
        note: String::new(),
        values,
    }
}

fn claim(id: &str, article: &str, quote: &str) -> model::Claim {
    model::Claim {
        kind: "number".into(),
        id: id.into(),
        event: None,
        subject: String::new(),
        predicate: String::new(),
        value: serde_json::Value::Null,
        qualifier: None,
        attribution: None,
        modality: model::Modality::Asserted,
        negated: false,
        article: article.into(),
        start: 0,
        end: quote.len(),
        quote: quote.into(),
    }
}

fn group(id: &str, verdict: &str, claims: &[&str]) -> model::ClaimGroup {
    model::ClaimGroup {
        id: id.into(),
        event: None,
        thread: None,
        slot: String::new(),
        confidence: None,
        verdict: model::Verdict::parse(verdict).expect("a verdict"),
        origins: Vec::new(),
        claims: claims.iter().map(|c| c.to_string()).collect(),
        values: Vec::new(),
    }
}

fn conflict(sides: &[&[&str]]) -> model::Conflict {
    model::Conflict {
        id: "c".into(),
        group: "g".into(),
        kind: "number".into(),
        severity: model::Severity::Hard,
        internal: false,
        internal_articles: Vec::new(),
        values: sides
            .iter()
            .map(|ids| model::ConflictSide {
                value: serde_json::Value::Null,
                claims: ids.iter().map(|c| c.to_string()).collect(),
                articles: Vec::new(),
                quotes: Vec::new(),
            })
            .collect(),
    }
}

/// A small gold of three articles (one per outlet) and an analysis of them made by hand.
#[test]
fn figures_of_a_hand_made_gold() {
    let (f1, f2, f3) = ("2012/t_1.json", "2012/t_2.json", "2012/t_3.json");
    let gold = vec![
        // Corroborated by one group holding two outlets.
        record(
            "agree",
            "number",
            vec![
                value("nyt", f1, "spent $750,000 in campaign funds"),
                value("fox", f2, "his use of $750,000 in campaign money"),
            ],
        ),
        // Held by two groups, one outlet each: not corroborated.
        record(
            "agree",
            "person",
            vec![
                value("nyt", f1, "Judge Robert L. Wilkins said"),
                value("hpo", f3, "before U.S. District Judge Robert L. Wilkins"),
            ],
        ),
        // Reported as a conflict: a false alarm.
        record(
            "agree",
            "date",
            vec![
                value("nyt", f1, "pleaded guilty on Wednesday"),
                value("fox", f2, "in court on Wednesday morning"),
            ],
        ),
        record(
            "conflict_hard",
            "number",
            vec![
                value("hpo", f3, "$5,687.75 on Martha's Vineyard"),
                value("nyt", f1, "a $5,587.75 vacation at the retreat"),
            ],
        ),
        record(
            "conflict_soft",
            "other",
            vec![
                value("hpo", f3, "used money that shouldn't have been used"),
                value("fox", f2, "used money that should have been used"),
            ],
        ),
        record("single", "status", vec![value("nyt", f1, "a single claim")]),
    ];
    let input = BasilInput {
        files: vec![f1.into(), f2.into(), f3.into()],
        jsonl: String::new(),
    };
    let doc = |id: &str, line: u64, article: &str| model::Document {
        id: id.into(),
        path: "in.jsonl".into(),
        line: Some(line),
        kind: model::DocKind::Jsonl,
        bytes: 0,
        articles: vec![article.into()],
    };
    let documents = vec![doc("d1", 1, "a1"), doc("d2", 2, "a2"), doc("d3", 3, "a3")];
    let claims = vec![
        claim(
            "c1",
            "a1",
            "Jackson spent $750,000 in campaign funds on items.",
        ),
        claim(
            "c2",
            "a2",
            "It began with his use of $750,000 in campaign money.",
        ),
        claim("c3", "a1", "Judge Robert L. Wilkins said so."),
        claim(
            "c4",
            "a3",
            "He stood before U.S. District Judge Robert L. Wilkins.",
        ),
        claim("c5", "a1", "Jackson pleaded guilty on Wednesday to fraud."),
        claim("c6", "a2", "He was in court on Wednesday morning."),
        claim("c7", "a3", "He spent $5,687.75 on Martha's Vineyard."),
        claim("c8", "a1", "It was a $5,587.75 vacation at the retreat."),
        // The same quote in the wrong file holds nothing.
        claim("c9", "a3", "his use of $750,000 in campaign money"),
        claim("c10", "a2", "an unrelated statement about something else"),
    ];
    let groups = vec![
        group("g1", "corroborated", &["c1", "c2"]),
        group("g2", "corroborated", &["c3"]),
        group("g3", "corroborated", &["c4", "c9"]),
        group("g4", "contested", &["c5", "c6"]),
        group("g5", "contested", &["c7", "c8"]),
    ];
    let conflicts = vec![
        conflict(&[&["c5"], &["c6"]]),
        conflict(&[&["c7"], &["c8"]]),
        conflict(&[&["c10"], &["c8"]]),
    ];
    let view = AnalysisView {
        documents: &documents,
        articles: 3,
        claims: &claims,
        groups: &groups,
        conflicts: &conflicts,
    };
    let s = score(&gold, &input, &view);
    let r = &s.report;
    assert_eq!(r.hard, (1, 1));
    assert_eq!(r.soft, (0, 1));
    assert_eq!(r.false_alarms, (1, 3));
    assert_eq!(r.corroborated, (1, 3));
    assert_eq!((r.matched_conflicts, r.reported_conflicts), (1, 3));
    assert_eq!(s.records[1].held_by, vec![vec!["c3"], vec!["c4"]]);
    assert!(s.records[0].corroborated && !s.records[1].corroborated);
    let text = r.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        &lines[..5],
        &[
            "conflicts: hard 1/1 soft 0/1",
            "false_alarms: 1/3",
            "corroborated: 1/3",
            "conflict_precision: 0.333 (1/3)",
            "claims_per_article: 3.33",
        ]
    );
    let number = r.by_kind["number"];
    assert_eq!((number.corroborated, number.agree), (1, 1));
    assert_eq!((number.conflicts_found, number.conflicts), (1, 1));
    assert_eq!(r.by_kind["date"].false_alarms, 1);
}

#[test]
fn basil_input_lists_the_gold_events_files_in_the_scorers_order() {
    let dir = std::env::temp_dir().join(format!("cc-eval-claims-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("2013")).unwrap();
    std::fs::create_dir_all(dir.join("2012")).unwrap();
    let article = |title: &str| {
        serde_json::json!({
            "title": title, "date": "2012-05-01", "source": "NYT", "url": null,
            "triplet-uuid": "x",
            "body-paragraphs": "[['First sentence.', 'Second, caf\\u00e9.'], ['Next paragraph.']]"
        })
        .to_string()
    };
    std::fs::write(dir.join("2013/bb_2.json"), article("B2")).unwrap();
    std::fs::write(dir.join("2013/bb_1.json"), article("B1")).unwrap();
    std::fs::write(dir.join("2012/aa_1.json"), article("A1")).unwrap();
    std::fs::write(dir.join("2012/zz_1.json"), article("not in the gold")).unwrap();
    let gold = vec![
        record("agree", "number", vec![value("nyt", "2013/bb_1.json", "q")]),
        Record {
            triplet: "aa".into(),
            ..record("single", "number", vec![])
        },
    ];
    let gold: Vec<Record> = gold
        .into_iter()
        .enumerate()
        .map(|(i, mut r)| {
            if i == 0 {
                r.triplet = "bb".into();
            }
            r
        })
        .collect();
    let input = basil_input(&gold, &dir).unwrap();
    assert_eq!(
        input.files,
        vec!["2012/aa_1.json", "2013/bb_1.json", "2013/bb_2.json"]
    );
    let first = input.jsonl.lines().next().unwrap();
    assert_eq!(
        first,
        r#"{"title": "A1", "text": "First sentence. Second, caf\u00e9.\n\nNext paragraph.", "url": null, "outlet": "nyt", "published": "2012-05-01"}"#
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
