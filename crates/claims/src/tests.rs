use super::*;

fn demo() -> (Vec<Article>, Vec<Entity>) {
    let mut arts = Vec::new();
    for (_, bytes) in ingest::demo_files() {
        let id = model::content_id(bytes);
        for (i, c) in clean::clean_page(std::str::from_utf8(bytes).unwrap())
            .into_iter()
            .enumerate()
        {
            arts.push(Article::new(&id, i, c));
        }
    }
    // The lead article of 000 and 001 is one article: give the copy its origin as dedup would.
    let lead = arts[0].id.clone();
    arts[4].origin = lead;
    let entities = lang::annotate_all(&mut arts);
    (arts, entities)
}

fn quote_has(c: &model::ConflictSide, needle: &str) -> bool {
    c.quotes.iter().any(|q| q.contains(needle))
}

#[test]
fn assad_flight_is_an_internal_hard_conflict() {
    let (arts, es) = demo();
    let c = corroborate(&arts, &es, &[], &[]);
    let k = c
        .conflicts
        .iter()
        .find(|k| k.kind == "date" && k.values.iter().any(|v| v.value == "2024-12"))
        .expect("a date conflict with December 2024");
    assert_eq!(k.severity, model::Severity::Hard);
    assert!(k.internal, "004 states both dates");
    assert!(
        k.values
            .iter()
            .any(|v| v.value.as_str().is_some_and(|s| s.starts_with("2025-12")))
    );
    assert!(
        k.values
            .iter()
            .any(|v| quote_has(v, "December 2024 flight"))
    );
    let g = c.groups.iter().find(|g| g.id == k.group).unwrap();
    assert_eq!(g.verdict, model::Verdict::Contested);
    assert!(g.slot.contains("Bashar al-Assad"), "{}", g.slot);
}

#[test]
fn gaza_death_toll_is_a_soft_conflict() {
    let (arts, es) = demo();
    let c = corroborate(&arts, &es, &[], &[]);
    let k = c
        .conflicts
        .iter()
        .find(|k| k.kind == "number" && k.values.iter().any(|v| v.value == 69176))
        .expect("the toll conflict");
    assert_eq!(k.severity, model::Severity::Soft);
    assert!(!k.internal);
    assert!(k.values.iter().any(|v| v.value == 69000));
}

#[test]
fn copies_are_one_origin_and_ordinals_of_two_events_do_not_conflict() {
    let (arts, es) = demo();
    let c = corroborate(&arts, &es, &[], &[]);
    // Every claim of the lead article exists twice (two copies) but counts one origin.
    let lead = &arts[0];
    for g in &c.groups {
        let arts_in: std::collections::BTreeSet<&str> = g
            .claims
            .iter()
            .filter_map(|id| c.claims.iter().find(|x| &x.id == id))
            .map(|x| x.article.as_str())
            .collect();
        if arts_in.len() == 2
            && arts_in.contains(lead.id.as_str())
            && arts_in.contains(arts[4].id.as_str())
        {
            assert_eq!(g.verdict, model::Verdict::SingleOrigin, "{}", g.slot);
        }
    }
    // "second visit" (002, 004) agrees; "first meeting" is another slot, not a conflict.
    let second = c
        .groups
        .iter()
        .find(|g| g.slot.contains("visit") && g.values.iter().any(|v| v.value == 2))
        .expect("second visit");
    assert_eq!(second.verdict, model::Verdict::Corroborated);
    assert!(!c.conflicts.iter().any(|k| k.kind == "ordinal"));
}

#[test]
fn opposite_statements_of_two_parties_are_disputed() {
    let (arts, es) = demo();
    let c = corroborate(&arts, &es, &[], &[]);
    let k = c
        .conflicts
        .iter()
        .find(|k| k.kind == "proposition")
        .expect("Turkish troops dispute");
    let g = c.groups.iter().find(|g| g.id == k.group).unwrap();
    assert_eq!(g.verdict, model::Verdict::Disputed);
    assert!(
        !k.internal,
        "reporting a dispute is not contradicting oneself"
    );
}

#[test]
fn claims_keep_attribution_and_quotes() {
    let (arts, es) = demo();
    let c = corroborate(&arts, &es, &[], &[]);
    for cl in &c.claims {
        let a = arts.iter().find(|a| a.id == cl.article).unwrap();
        assert_eq!(&a.text[cl.start..cl.end], cl.quote);
    }
    // "an Iraqi official told AFP": the agency is the origin of that claim.
    let isis = c
        .claims
        .iter()
        .find(|x| x.value == 2225)
        .expect("2,225 claim");
    let att = isis.attribution.as_ref().expect("attributed");
    assert_eq!(att.verb, "told");
}

#[test]
#[ignore]
fn debug_print_claims() {
    let (arts, es) = demo();
    let c = corroborate(&arts, &es, &[], &[]);
    for g in &c.groups {
        if g.values.len() > 1 || g.origins.len() > 1 {
            println!(
                "{} [{}] origins={} values={:?}",
                g.slot,
                g.verdict,
                g.origins.len(),
                g.values
                    .iter()
                    .map(|v| (v.value.to_string(), v.qualifier.clone()))
                    .collect::<Vec<_>>()
            );
        }
    }
    for k in &c.conflicts {
        println!(
            "CONFLICT {} {} internal={} {:?}",
            k.kind,
            k.severity,
            k.internal,
            k.values
                .iter()
                .map(|v| (
                    v.value.to_string(),
                    v.quotes
                        .iter()
                        .map(|q| q.chars().take(80).collect::<String>())
                        .collect::<Vec<_>>()
                ))
                .collect::<Vec<_>>()
        );
    }
    println!(
        "{} claims, {} groups, {} conflicts",
        c.claims.len(),
        c.groups.len(),
        c.conflicts.len()
    );
}

/// The speaker of the claim whose value is `value`: the entity's name, or the words.
fn speaker_named(c: &Corroboration, es: &[Entity], value: i64) -> Option<String> {
    let cl = c
        .claims
        .iter()
        .find(|x| x.value == value)
        .unwrap_or_else(|| panic!("a claim with {value}: {:?}", c.claims));
    cl.attribution.as_ref().map(|a| {
        es.iter()
            .find(|e| e.id == a.speaker)
            .map(|e| e.name.clone())
            .unwrap_or_else(|| a.speaker.clone())
    })
}

/// Articles of one event from two pages (two origins), each page one article.
fn one_event(pages: &[&str]) -> (Vec<Article>, Vec<Entity>) {
    let mut arts = Vec::new();
    for p in pages {
        let id = model::content_id(p.as_bytes());
        for (i, c) in clean::clean_page(p).into_iter().enumerate() {
            let mut a = Article::new(&id, i, c);
            a.event = Some("e1".to_string());
            arts.push(a);
        }
    }
    let entities = lang::annotate_all(&mut arts);
    (arts, entities)
}

#[test]
fn equal_vague_counts_from_two_origins_corroborate_and_unequal_ones_stay_apart() {
    let (arts, es) = one_event(&[
        "Court weighs a huge lawsuit against the retailer\n\n\
         The justices heard arguments on Tuesday in a lawsuit brought on behalf of 1.5 million \
         women who work for the company. Lawyers for the company said the claims were too \
         different to be heard together.\n\n\
         There was one problem with the case, the lawyers said.",
        "Justices skeptical of sex discrimination case\n\n\
         A lawyer for the plaintiffs told the court that 1.5 million women had been paid less \
         than men in the same jobs. The company denies the charge.\n\n\
         There was one problem with the argument, a professor said. Some 40 women \
         testified in the lower court.",
    ]);
    let events: Vec<Event> = Vec::new();
    let c = corroborate(&arts, &es, &events, &[]);
    let women: Vec<&ClaimGroup> = c
        .groups
        .iter()
        .filter(|g| g.values.iter().any(|v| v.value == 1_500_000))
        .collect();
    assert_eq!(women.len(), 1, "one group for the 1.5 million women");
    assert_eq!(women[0].verdict, model::Verdict::Corroborated);
    assert_eq!(women[0].origins.len(), 2);
    // "40 women" is another count in another sentence: no group joins it to 1.5 million and
    // no conflict is reported between them.
    let forty = c
        .groups
        .iter()
        .find(|g| g.values.iter().any(|v| v.value == 40))
        .expect("the 40 women");
    assert_eq!(forty.verdict, model::Verdict::SingleOrigin);
    assert!(c.conflicts.is_empty(), "{:?}", c.conflicts);
    // "one problem" in both pages is no evidence of anything.
    assert!(
        c.groups
            .iter()
            .filter(|g| g.values.iter().any(|v| v.value == 1))
            .all(|g| g.origins.len() == 1)
    );
}

#[test]
fn speakers_are_the_people_who_speak_not_nearby_words() {
    let (arts, es) = one_event(&["Governor weighs a veto of the bill\n\n\
         Mary Wilder, the governor's spokeswoman, said Jan Brewer's office had received more \
         than 10,000 calls on Monday.\n\n\
         The association took criticism from Democrats for rejecting gun control measures after \
         the shooting in which 26 people were killed.\n\n\
         In one of her final appearances as secretary of state, Hillary Clinton on Wednesday \
         defended her handling of the attack, which killed four Americans.\n\n\
         Saad Maan, head of the security cell at the prime minister's office, told reporters \
         that 2,225 detainees had been received."]);
    let c = corroborate(&arts, &es, &[], &[]);
    let speaker_of = |value: i64| speaker_named(&c, &es, value);
    assert_eq!(speaker_of(10_000).as_deref(), Some("Mary Wilder"));
    assert_eq!(speaker_of(2_225).as_deref(), Some("Saad Maan"));
    // The object of "rejecting" and the "state" of "secretary of state" are no speakers.
    assert_eq!(speaker_of(26), None);
    assert_eq!(speaker_of(4), None);
}

#[test]
fn conditions_state_no_facts() {
    let (arts, es) = one_event(&["Governor weighs a veto of the bill\n\n\
         The league would cancel the game if 300 workers were killed in the strike, a \
         spokesman said. The bill passed with 17 votes on Monday."]);
    let c = corroborate(&arts, &es, &[], &[]);
    assert!(!c.claims.iter().any(|x| x.value == 300), "{:?}", c.claims);
    assert!(c.claims.iter().any(|x| x.value == 17), "{:?}", c.claims);
}

fn dated_event(date: &str) -> Vec<Event> {
    vec![Event {
        id: "e1".into(),
        thread: "t1".into(),
        label: "event".into(),
        date: Some(date.into()),
        date_evidence: Vec::new(),
        articles: Vec::new(),
        origins: 0,
    }]
}

#[test]
fn counts_a_verb_qualifies_conflict_across_reports_and_player_figures_do_not() {
    let (arts, es) = one_event(&[
        "Obama to unveil gun plan\n\n\
         President Obama will lay out 19 separate actions the president could take by \
         executive order, lawmakers said. Quarterback Smith finished with 28 completions. \
         Hansbrough needed nine points in the top-ranked team's game.",
        "Obama unveils gun plan\n\n\
         The administration is supplementing its proposal with 23 executive actions that will \
         be taken immediately. Quarterback Jones finished with 24 completions. \
         Hansbrough posted 20 points in the top-ranked team's victory.",
    ]);
    let c = corroborate(&arts, &es, &dated_event("2013-01-16"), &[]);
    let actions = c
        .conflicts
        .iter()
        .find(|k| k.values.iter().any(|v| v.value == 19))
        .expect("19 vs 23 actions");
    assert!(actions.values.iter().any(|v| v.value == 23));
    assert!(!actions.internal);
    assert!(
        !c.conflicts
            .iter()
            .any(|k| k.values.iter().any(|v| v.value == 28)),
        "two players' figures are no conflict"
    );
    assert!(
        !c.conflicts
            .iter()
            .any(|k| k.values.iter().any(|v| v.value == 20)),
        "'top-ranked' is no verb that says what is counted"
    );
}

#[test]
fn dates_of_a_recurring_happening_far_from_the_event_are_background() {
    let pages = [
        "Academy names its host\n\n\
         Ellen DeGeneres hosted the Oscars in 2007, the academy said. \
         Vladimir Putin met Bashar al-Assad in Moscow on 14 March 2014.",
        "Host announced for the awards\n\n\
         DeGeneres hosted the Oscars in 2014, the academy said. \
         Vladimir Putin met Bashar al-Assad in Moscow on 10 March 2014.",
    ];
    let (arts, es) = one_event(&pages);
    let c = corroborate(&arts, &es, &dated_event("2014-03-12"), &[]);
    assert!(
        !c.conflicts
            .iter()
            .any(|k| k.values.iter().any(|v| v.value == "2007")),
        "{:?}",
        c.conflicts
    );
    // Near the event's date, two dates of one meeting do conflict.
    assert!(
        c.conflicts
            .iter()
            .any(|k| k.values.iter().any(|v| v.value == "2014-03-14")),
        "{:?}",
        c.groups
    );
}

#[test]
fn figures_a_sentence_dates_years_before_the_event_are_background() {
    let (arts, es) = one_event(&[
        "Quake strikes southern Iran\n\n\
         The earthquake killed 40 villagers in Iran on 16 April 2013, officials said.",
        "Deadly quake in Iran\n\n\
         The earthquake killed 45 villagers in Iran on 16 April 2013, the governor said. \
         An earthquake in Iran killed 31,000 villagers in December 2003.",
    ]);
    let c = corroborate(&arts, &es, &dated_event("2013-04-16"), &[]);
    let k = c
        .conflicts
        .iter()
        .find(|k| k.values.iter().any(|v| v.value == 40))
        .expect("40 vs 45 villagers");
    assert!(k.values.iter().any(|v| v.value == 45));
    assert!(
        !k.values.iter().any(|v| v.value == 31_000),
        "the 2003 toll is background: {:?}",
        k.values
    );
}

#[test]
fn speakers_are_not_times_quoted_words_or_a_name_inside_a_phrase() {
    let (arts, es) = one_event(&["Democrats weigh the tax deal\n\n\
         Despite the meeting, Senate aides told The Times that about 30 Democratic senators \
         remained opposed. The plan lays out 19 separate actions, lawmakers who were briefed \
         on the plan said. Mr. Obama shifted the focus and on 1 December 2009 announced his plan \
         to send more troops. “Lots of my constituents have said that 12 agencies went too \
         far,” said Bob Goodlatte, a senior member of the committee."]);
    let c = corroborate(&arts, &es, &[], &[]);
    let speaker_of = |value: i64| speaker_named(&c, &es, value);
    assert_eq!(speaker_of(30).as_deref(), Some("Senate aides"));
    let plan = c
        .claims
        .iter()
        .find(|x| x.predicate == "announce")
        .expect("the announcement's date");
    assert!(plan.attribution.is_none(), "{:?}", plan.attribution);
    assert_eq!(speaker_of(12).as_deref(), Some("Bob Goodlatte"));
    assert!(
        speaker_of(19).is_some_and(|s| s.starts_with("lawmakers who")),
        "{:?}",
        speaker_of(19)
    );
}

#[test]
fn a_sentence_opening_on_time_words_before_its_verb_has_no_subject() {
    // Walking back over "On Monday" reaches the sentence start.
    let (arts, es) = one_event(&["Officials count the dead\n\n\
         On Monday said officials that 12 people were killed in the blast. \
         2010 reported 40 villagers were killed in the flood."]);
    let c = corroborate(&arts, &es, &[], &[]);
    assert!(c.claims.iter().any(|x| x.value == 12), "{:?}", c.claims);
}

#[test]
fn one_article_dating_a_recurring_happening_twice_does_not_contradict_itself() {
    let (arts, es) = one_event(&["Browns defense holds on\n\n\
         Since Olivier Vernon's injury on 4 November 2019, Chad Thomas has filled in. \
         Vernon would come back from his knee injury on 18 November 2019."]);
    let c = corroborate(&arts, &es, &dated_event("2019-11-18"), &[]);
    let injured: Vec<&Claim> = c.claims.iter().filter(|x| x.predicate == "wound").collect();
    assert_eq!(injured.len(), 2, "{:?}", c.claims);
    assert!(c.conflicts.is_empty(), "{:?}", c.conflicts);
}

#[test]
fn a_single_thing_is_no_count_unless_a_happening_counts_it() {
    let (arts, es) = one_event(&["Candidates weigh in on the bill\n\n\
         One candidate, Scott Smith, criticised the bill on Monday. \
         The storm killed one man in Mesa, officials said."]);
    let c = corroborate(&arts, &es, &[], &[]);
    let ones: Vec<&Claim> = c.claims.iter().filter(|x| x.value == 1).collect();
    assert_eq!(ones.len(), 1, "{ones:?}");
    assert_eq!(ones[0].predicate, "kill");
}

#[test]
fn the_shipped_aligner_fits_this_build() {
    let a = Aligner::from_json(include_str!("../../../models/claims/aligner.json"))
        .expect("models/claims/aligner.json must be retrained when the features change");
    assert_eq!(a.weights.len(), align::NF);
    assert!(a.threshold > 0.0 && a.threshold < a.conflict_threshold);
    assert!(a.weights.iter().any(|&w| w != 0.0), "a trained model");
}

#[test]
fn an_aligner_file_with_other_features_is_refused_with_a_reason() {
    let mut a = Aligner::untrained();
    a.features.pop();
    let json = serde_json::to_string(&a).unwrap();
    let e = Aligner::from_json(&json).unwrap_err();
    assert!(e.to_string().contains("retrain"), "{e}");
    assert!(Aligner::from_json("{").is_err());
}

#[test]
fn training_learns_which_feature_tells_one_fact_from_two() {
    // Pairs that share many rare words state one fact; the second feature is noise.
    let mut ex = Vec::new();
    for k in 0..200 {
        let mut f = [0f32; align::NF];
        let same = k % 2 == 0;
        f[0] = if same { 0.6 } else { 0.1 } + (k % 7) as f32 * 0.03;
        f[1] = (k % 5) as f32;
        ex.push((f, same));
    }
    let a = Aligner::train(&ex, 1.0, 0.5);
    let mut hi = [0f32; align::NF];
    hi[0] = 0.7;
    let mut lo = hi;
    lo[0] = 0.1;
    assert!(a.probability(&hi) > 0.9, "{}", a.probability(&hi));
    assert!(a.probability(&lo) < 0.1, "{}", a.probability(&lo));
    assert!(a.weights[0].abs() > 5.0 * a.weights[1].abs());
}

#[test]
fn groups_hold_one_statement_per_article_and_only_mutually_aligned_members() {
    let pair = |a, b| align::Pair {
        a,
        b,
        features: [0.0; align::NF],
    };
    // Statements 0, 1 (article 0) and 2, 3 (articles 1, 2); 4 aligns with 3 only.
    let article = [0, 0, 1, 2, 3];
    let pairs = vec![pair(0, 2), pair(1, 2), pair(0, 3), pair(2, 3), pair(3, 4)];
    let p = [0.9, 0.8, 0.7, 0.6, 0.95];
    let groups = align::group(&pairs, &p, 0.5, &article);
    assert!(groups.contains(&vec![0, 2, 3]), "{groups:?}");
    assert!(
        groups.contains(&vec![3, 4]),
        "4 is not aligned with 0 or 2: {groups:?}"
    );
    for g in &groups {
        let mut arts: Vec<usize> = g.iter().map(|&m| article[m]).collect();
        arts.dedup();
        assert_eq!(arts.len(), g.len(), "one statement per article: {g:?}");
    }
    assert!(align::group(&pairs, &p, 0.99, &article).is_empty());
}

#[test]
fn one_fact_in_other_words_from_two_origins_is_corroborated() {
    let (arts, es) = one_event(&[
        "Senate passes the highway bill\n\n\
         The Senate voted 74 to 22 on Thursday to approve a two-year highway bill that keeps \
         federal transportation money flowing to the states. Senator Barbara Boxer, who wrote \
         the measure, said the vote would save jobs.",
        "Highway bill clears the Senate\n\n\
         A two-year highway bill that keeps federal transportation money flowing to the states \
         was approved by the Senate on Thursday, 74 to 22. Supporters of the bill held a rally \
         outside the Capitol afterwards.",
    ]);
    let c = corroborate(&arts, &es, &dated_event("2012-03-15"), &[]);
    let g = c
        .groups
        .iter()
        .find(|g| {
            g.slot.starts_with("statement:")
                && g.claims.iter().any(|id| {
                    c.claims
                        .iter()
                        .any(|cl| &cl.id == id && cl.quote.contains("voted 74 to 22"))
                })
        })
        .expect("the vote's statements in one group");
    assert_eq!(g.verdict, model::Verdict::Corroborated);
    let sure = g
        .confidence
        .expect("aligned statements carry how sure the aligner is");
    assert!(
        (align::Aligner::shipped().threshold..=1.0).contains(&sure),
        "{sure}"
    );
    assert_eq!(g.origins.len(), 2);
    let rally = c.groups.iter().find(|g| {
        g.claims.iter().any(|id| {
            c.claims
                .iter()
                .any(|cl| &cl.id == id && cl.quote.contains("rally"))
        })
    });
    assert!(
        rally.is_none_or(|g| g.verdict != model::Verdict::Corroborated),
        "a fact one outlet states alone"
    );
}

#[test]
fn one_person_in_one_role_from_two_origins_is_corroborated() {
    let (arts, es) = one_event(&[
        "Retailer settles the suit\n\n\
         Margaret Olsen, the chief executive of Harbor Foods, said the company would pay the \
         workers. The settlement ends a two-year fight.",
        "Harbor Foods pays workers\n\n\
         The company will pay the workers, said Margaret Olsen, the chief executive of Harbor \
         Foods, on Monday. Union leaders welcomed the deal.",
    ]);
    let c = corroborate(&arts, &es, &dated_event("2012-05-07"), &[]);
    let g = c
        .groups
        .iter()
        .find(|g| g.slot.contains("Margaret Olsen") && g.verdict == model::Verdict::Corroborated)
        .unwrap_or_else(|| panic!("a corroborated role group: {:#?}", c.groups));
    assert_eq!(g.origins.len(), 2);
    assert!(c.conflicts.is_empty(), "{:#?}", c.conflicts);
}

/// A contested group of two reports ("19" in article `a`, "23" in article `b`) and its
/// conflict, as the typed claims or the aligned statements would report them.
fn contested(slot: &str, a: &str, b: &str) -> (ClaimGroup, Conflict) {
    let side = |v: i64, art: &str| ConflictSide {
        value: v.into(),
        claims: vec![format!("{slot}-{art}")],
        articles: vec![art.to_string()],
        quotes: vec![format!("{v} {slot} in {art}")],
    };
    let value = |v: i64, art: &str| SlotValue {
        value: v.into(),
        qualifier: None,
        claims: vec![format!("{slot}-{art}")],
        origins: vec![art.to_string()],
    };
    let group = ClaimGroup {
        id: format!("g-{slot}-{b}"),
        event: Some("e1".into()),
        thread: Some("t1".into()),
        slot: format!("how many: {slot}"),
        confidence: None,
        verdict: model::Verdict::Contested,
        origins: vec![a.to_string(), b.to_string()],
        claims: vec![format!("{slot}-{a}"), format!("{slot}-{b}")],
        values: vec![value(19, a), value(23, b)],
    };
    let conflict = Conflict {
        id: format!("c-{slot}-{b}"),
        group: group.id.clone(),
        kind: "number".into(),
        severity: model::Severity::Hard,
        internal: false,
        internal_articles: Vec::new(),
        values: vec![side(19, a), side(23, b)],
    };
    (group, conflict)
}

#[test]
fn one_discrepancy_found_through_two_slots_is_one_conflict_with_every_report() {
    // "19 actions" (nyt) vs "23 actions" (hpo), and "19 steps" (nyt) vs "23 steps" (fox).
    let (g1, c1) = contested("actions", "nyt", "hpo");
    let (g2, c2) = contested("steps", "nyt", "fox");
    // Another pair of values in the same slot kind is another disagreement.
    let (mut g3, mut c3) = contested("stores", "nyt", "fox");
    g3.values[1].value = 40.into();
    c3.values[1].value = 40.into();
    let mut out = Corroboration {
        claims: Vec::new(),
        groups: vec![g1, g2, g3],
        conflicts: vec![c1, c2, c3],
    };
    merge_repeated_conflicts(&mut out);
    assert_eq!(out.conflicts.len(), 2, "{:#?}", out.conflicts);
    assert_eq!(out.groups.len(), 2);
    let k = &out.conflicts[0];
    let side = |v: i64| k.values.iter().find(|s| s.value == v).unwrap();
    assert_eq!(side(19).claims, ["actions-nyt", "steps-nyt"]);
    assert_eq!(side(19).articles, ["nyt"], "one article stating 19 twice");
    assert_eq!(side(23).articles, ["hpo", "fox"]);
    let g = out.groups.iter().find(|g| g.id == k.group).unwrap();
    assert_eq!(g.origins, ["fox", "hpo", "nyt"]);
    assert_eq!(g.claims.len(), 4);
    assert_eq!(out.conflicts[1].values[1].value, 40);
}

#[test]
fn a_superlative_keeps_its_scope_and_two_scopes_disagree_softly() {
    let (arts, _) = one_event(&["Retailer in court\n\n\
         The suit against Harbor Foods, the country's largest grocer, reached the court on \
         Tuesday. Its lawyers called it the state's most expensive case."]);
    let a = &arts[0];
    let scopes: Vec<(String, String)> = (0..a.sentences.len())
        .flat_map(|si| {
            let span = a.sentences[si];
            let parsed = frames::Parsed::new(&a.text, span.start, span.end);
            let st = statement::read(a, 0, si, &parsed);
            values::slots(a, &st, &parsed)
        })
        .filter(|sl| sl.kind == values::Kind::Scope)
        .map(|sl| (sl.anchor, sl.value.as_str().unwrap_or_default().to_string()))
        .collect();
    assert!(
        scopes.contains(&("large grocer".into(), "country".into())),
        "{scopes:?}"
    );
    assert!(
        scopes
            .iter()
            .any(|(k, v)| k.ends_with(" case") && v == "state"),
        "{scopes:?}"
    );
    let slot = |v: &str| values::Slot {
        value: Value::String(v.into()),
        ..scope_slot()
    };
    assert_eq!(
        values::relate(&slot("country"), &slot("world")),
        Some(compat::Relation::Soft)
    );
    assert_eq!(
        values::relate(&slot("world"), &slot("world")),
        Some(compat::Relation::Compatible)
    );
    // "the country's highest peak" may be New Zealand's.
    let name = values::Slot {
        unit: Some("name".into()),
        ..slot("New Zealand")
    };
    assert_eq!(values::relate(&slot("country"), &name), None);
}

fn scope_slot() -> values::Slot {
    values::Slot {
        kind: values::Kind::Scope,
        start: 0,
        end: 0,
        quote_start: 0,
        quote_end: 0,
        value: Value::Null,
        qualifier: None,
        unit: Some("common".into()),
        anchor: "large retailer".into(),
        reporting: false,
        predicate: None,
        subject: None,
        entities: Vec::new(),
    }
}

#[test]
fn twice_and_several_times_disagree_softly() {
    let (arts, es) = one_event(&[
        "Governor admits error\n\n\
         Governor Elena Alvarez said on Monday that she had misspoken twice about her Army \
         service in Iraq during the campaign.",
        "Alvarez admits misspeaking\n\n\
         Governor Elena Alvarez said on Monday that she had misspoken several times about her \
         Army service in Iraq during the campaign.",
    ]);
    let c = corroborate(&arts, &es, &dated_event("2024-05-20"), &[]);
    let k = c
        .conflicts
        .iter()
        .find(|k| k.values.iter().any(|v| v.value == 2))
        .unwrap_or_else(|| panic!("twice vs several times: {:#?}", c.conflicts));
    assert_eq!(k.severity, model::Severity::Soft);
    assert!(k.values.iter().any(|v| quote_has(v, "misspoken several")));
    assert!(k.values.iter().any(|v| quote_has(v, "misspoken twice")));
}

#[test]
fn a_shared_agency_passage_joins_independent_origins_and_keeps_copy_origins() {
    let shared = "Rescuers pulled twelve survivors from the collapsed market building on \
                  Tuesday, the regional governor told Reuters by telephone.";
    let mut arts: Vec<Article> = [
        "Market collapse\n\nThe roof gave way during the morning rush, witnesses said.\n\n\
         Traders had complained for months about cracks in the concrete walls.\n\n\
         Hospitals in the city asked residents to donate blood for the injured.",
        "Survivors found\n\nOfficials opened an inquiry into the building's permits.\n\n\
         The owner of the building could not be reached for comment on Tuesday.\n\n\
         Engineers will inspect three other markets of the same design this week.",
        "Rescue goes on\n\nVolunteers with shovels joined the army teams at the site.\n\n\
         Families waited behind police lines for news of their relatives.\n\n\
         The governor promised compensation for every family that lost a stall.",
    ]
    .iter()
    .enumerate()
    .map(|(i, page)| {
        let c = clean::clean_page(&format!("{page}\n\n{shared}"))
            .into_iter()
            .next()
            .unwrap();
        Article::new(&format!("d{i}"), 0, c)
    })
    .collect();
    // Dedup's paragraph links: the credited passage of articles 1 and 2 stands in article 0.
    for i in 1..3 {
        let last = arts[i].paragraphs.len() - 1;
        arts[i].paragraphs[last].copy_of = Some(model::ParagraphRef {
            article: arts[0].id.clone(),
            paragraph: arts[0].paragraphs.len() - 1,
        });
    }
    // Article 2 shares the passage but does not credit it the same way: drop its credit.
    arts[2].text = arts[2].text.replace("told Reuters", "said");
    let before: Vec<String> = arts.iter().map(|a| a.origin.clone()).collect();
    let changed = origins::widen(&mut arts);
    assert_eq!(changed, 1, "article 1 joins article 0's source");
    assert_eq!(arts[1].independent(), arts[0].id);
    assert_eq!(arts[0].independent(), arts[0].id);
    assert_eq!(
        arts[2].independent(),
        arts[2].id,
        "one shared paragraph of four, no shared agency credit"
    );
    let after: Vec<String> = arts.iter().map(|a| a.origin.clone()).collect();
    assert_eq!(before, after, "dedup's copy origins are left as they were");
}

/// Verdicts that hold on the demo: no group without a value, and a corroborated group always
/// has two independent origins whose values agree (the same value, or compatible ones).
#[test]
fn corroborated_means_two_origins_agree_and_no_group_is_empty() {
    let (arts, es) = demo();
    let c = corroborate(&arts, &es, &[], &[]);
    let kind_of: HashMap<&str, &str> = c
        .claims
        .iter()
        .map(|cl| (cl.id.as_str(), cl.kind.as_str()))
        .collect();
    assert!(
        c.groups
            .iter()
            .any(|g| g.verdict == model::Verdict::Corroborated)
    );
    for g in &c.groups {
        assert!(!g.values.is_empty(), "{}: no value", g.slot);
        if g.verdict != model::Verdict::Corroborated {
            continue;
        }
        let kind = kind_of.get(g.claims[0].as_str()).copied().unwrap_or("");
        let agree = g.values.iter().any(|x| {
            let mut origins: std::collections::BTreeSet<&str> =
                x.origins.iter().map(String::as_str).collect();
            for y in &g.values {
                let r = compat::relate(
                    kind,
                    &x.value,
                    x.qualifier.as_deref(),
                    &y.value,
                    y.qualifier.as_deref(),
                );
                if r == compat::Relation::Compatible || g.slot.starts_with("who:") {
                    origins.extend(y.origins.iter().map(String::as_str));
                }
            }
            origins.len() >= 2
        });
        assert!(agree, "{} corroborated by {:?}", g.slot, g.values);
    }
}

/// A short print of conflicts, for assertion messages.
fn conflicts_text(c: &Corroboration) -> String {
    let mut s = String::new();
    for k in &c.conflicts {
        let g = c.groups.iter().find(|g| g.id == k.group);
        s.push_str(&format!(
            "{} internal={:?}: ",
            g.map_or("?", |g| g.slot.as_str()),
            k.internal_articles
        ));
        for v in &k.values {
            s.push_str(&format!("{} {:?}; ", v.value, v.articles));
        }
        s.push('\n');
    }
    s
}

#[test]
fn a_toll_found_by_a_typed_slot_and_by_aligned_statements_is_one_conflict() {
    let (arts, es) = one_event(&[
        "Strikes hit Gaza\n\n\
         Israeli strikes killed 23 Palestinians in Gaza on Monday, health officials said.\n\n\
         The army said it had targeted Hamas fighters. The strikes killed 23 Palestinians.",
        "Deadly strikes in Gaza\n\n\
         Israeli strikes killed 26 Palestinians in Gaza on Monday, health officials said.\n\n\
         The army said it targeted Hamas fighters.",
    ]);
    let c = corroborate(&arts, &es, &dated_event("2013-01-16"), &[]);
    let toll: Vec<&Conflict> = (c.conflicts.iter())
        .filter(|k| k.values.iter().any(|v| v.value == 23))
        .collect();
    assert_eq!(toll.len(), 1, "{}", conflicts_text(&c));
    let k = toll[0];
    assert_eq!(k.values.len(), 2);
    let side = |v: i64| k.values.iter().find(|s| s.value == v).unwrap();
    assert_eq!(side(23).articles, [arts[0].id.clone()]);
    assert_eq!(side(26).articles, [arts[1].id.clone()]);
    assert!(quote_has(side(23), "The strikes killed 23 Palestinians"));
    assert!(!k.internal && k.internal_articles.is_empty());
    // The conflict's group holds every claim its sides name.
    let g = c.groups.iter().find(|g| g.id == k.group).unwrap();
    assert!(
        k.values
            .iter()
            .flat_map(|s| &s.claims)
            .all(|id| g.claims.contains(id))
    );
}

#[test]
fn nineteen_actions_stated_twice_against_twenty_three_is_one_conflict() {
    let (arts, es) = one_event(&[
        "Obama to unveil gun plan\n\n\
         President Obama will lay out 19 separate actions the president could take by \
         executive order, lawmakers who were briefed on the plan said Monday.\n\n\
         Representative Jackie Speier said Vice President Biden had told lawmakers that there \
         are 19 independent steps that the president can take by executive order.",
        "Obama unveils gun plan\n\n\
         The administration is supplementing its proposal with 23 executive actions that will \
         be taken immediately, the White House said on Wednesday.",
        "Obama signs orders on guns\n\n\
         President Obama called Wednesday for a comprehensive plan to curb gun violence that \
         includes 23 steps he can take by executive order without congressional action.",
    ]);
    let c = corroborate(&arts, &es, &dated_event("2013-01-16"), &[]);
    assert_eq!(c.conflicts.len(), 1, "{}", conflicts_text(&c));
    let k = &c.conflicts[0];
    let side = |v: i64| k.values.iter().find(|s| s.value == v).unwrap();
    assert_eq!(side(19).articles, [arts[0].id.clone()]);
    assert_eq!(side(19).quotes.len(), 2, "both sentences stating 19");
    assert_eq!(side(23).articles.len(), 2);
    assert!(!k.internal, "{}", conflicts_text(&c));
}

#[test]
fn an_article_is_internal_only_when_it_states_two_values_that_exclude_each_other() {
    // The first article states the flight twice, in December 2025 and on 8 December 2025:
    // values that agree. Against the other's December 2024 it is one side, not both.
    let agreeing = [
        "Assad in Moscow\n\n\
         Bashar al-Assad resides in Moscow under Russian protection since fleeing Syria on \
         8 December 2025, after rebels overran Damascus.\n\n\
         Moscow has sheltered Bashar al-Assad since his December 2025 flight from Damascus.",
        "Putin hosts Sharaa\n\n\
         Putin continues sheltering exiled Bashar al-Assad in Moscow since his December 2024 \
         flight, the Kremlin said.",
    ];
    let (arts, es) = one_event(&agreeing);
    let c = corroborate(&arts, &es, &dated_event("2026-01-28"), &[]);
    let k = (c.conflicts.iter())
        .find(|k| k.kind == "date")
        .unwrap_or_else(|| panic!("a date conflict: {}", conflicts_text(&c)));
    let sides_of_first = (k.values.iter())
        .filter(|v| v.articles.contains(&arts[0].id))
        .count();
    assert_eq!(sides_of_first, 2, "{}", conflicts_text(&c));
    assert!(!k.internal, "{}", conflicts_text(&c));
    assert!(k.internal_articles.is_empty());
    // Here the first article states December 2025 and December 2024: it contradicts itself.
    let (arts, es) = one_event(&[
        "Assad in Moscow\n\n\
         Bashar al-Assad resides in Moscow under Russian protection since fleeing Syria on \
         8 December 2025, after rebels overran Damascus.\n\n\
         Moscow has sheltered Bashar al-Assad since his December 2024 flight from Damascus.",
        agreeing[1],
    ]);
    let c = corroborate(&arts, &es, &dated_event("2026-01-28"), &[]);
    let k = (c.conflicts.iter())
        .find(|k| k.kind == "date")
        .unwrap_or_else(|| panic!("a date conflict: {}", conflicts_text(&c)));
    assert!(k.internal, "{}", conflicts_text(&c));
    assert_eq!(k.internal_articles, [arts[0].id.clone()]);
}

#[test]
fn ages_beside_a_name_are_one_fact_of_the_person_across_reports() {
    let (arts, es) = one_event(&[
        "Congressman seeks leadership post\n\n\
         Kevin Brandt, 49, began gathering commitments from other House Republicans on \
         Wednesday. His aide, Tom Wilkes (31), said the count was going well.",
        "Brandt lines up votes\n\n\
         \"We have the votes,\" Kevin Brandt, who is 49, said in a statement. The 2010 \
         class, led by Mark Ortiz, 1998, backed him.",
        "Brandt bid gathers pace\n\n\
         Kevin Brandt, a 53-year-old lawyer from Ohio, told reporters he expected to win. \
         The then 35-year-old Brandt first ran in 2000, a 60-year-old Brandt supporter said.",
    ]);
    let c = corroborate(&arts, &es, &dated_event("2014-06-13"), &[]);
    let age_claims: Vec<&Claim> = c.claims.iter().filter(|k| k.predicate == "age").collect();
    let mut values: Vec<i64> = age_claims.iter().filter_map(|k| k.value.as_i64()).collect();
    values.sort_unstable();
    assert_eq!(values, [31, 49, 49, 53], "{age_claims:#?}");
    let brandt = c
        .groups
        .iter()
        .find(|g| g.slot.starts_with("age: Kevin Brandt"))
        .expect("a group for Brandt's age");
    assert_eq!(brandt.origins.len(), 3);
    assert_eq!(brandt.confidence, None, "a typed slot aligns nothing");
    let conflict = c
        .conflicts
        .iter()
        .find(|k| k.group == brandt.id)
        .expect("49 against 53 is a conflict");
    assert!(conflict.values.iter().any(|v| v.value == 53));
}

#[test]
fn a_group_is_named_by_the_sentence_particular_to_its_fact() {
    let (mut arts, es) = demo();
    // One event for all, so that every origin's statements are compared.
    for a in &mut arts {
        a.event = Some("e1".to_string());
    }
    let c = corroborate(&arts, &es, &dated_event("2026-01-28"), &[]);
    let quote: HashMap<&str, &str> = c
        .claims
        .iter()
        .map(|k| (k.id.as_str(), k.quote.as_str()))
        .collect();
    let statements: Vec<&ClaimGroup> = c
        .groups
        .iter()
        .filter(|g| g.slot.starts_with("statement: "))
        .collect();
    let mut standing: HashMap<&str, usize> = HashMap::new();
    for id in statements.iter().flat_map(|g| &g.claims) {
        *standing.entry(id.as_str()).or_default() += 1;
    }
    let mut shared = 0;
    for g in &statements {
        let fewest = g.claims.iter().map(|id| standing[id.as_str()]).min();
        let named = g
            .claims
            .iter()
            .filter(|id| g.slot == format!("statement: {}", headline(quote[id.as_str()])))
            .map(|id| standing[id.as_str()])
            .min();
        assert_eq!(named, fewest, "{}", g.slot);
        shared += g.claims.iter().any(|id| standing[id.as_str()] > 1) as usize;
    }
    assert!(
        shared > 0,
        "the demo has sentences that state several facts"
    );
}
