use super::*;

const BASE: &str = "Iraq has so far received 2,225 ISIS group detainees, whom the US military began transferring from Syria last month, an Iraqi official told AFP on Saturday. They are among up to 7,000 ISIS detainees whose transfer from Syria to Iraq the US Central Command announced last month, in a move it said was aimed at ensuring that the terrorists remain in secure detention facilities. Previously, they had been held in prisons and camps administered by the Kurdish-led Syrian Democratic Forces in northeast Syria.";
const OTHER: &str = "Lebanese Prime Minister Nawaf Salam visited heavily damaged towns near the Israeli border on Saturday, pledging reconstruction. It was his first trip to the southern border area since the army said it finished disarming Hezbollah there, in January. Swathes of south Lebanon's border areas remain in ruins and largely deserted.";

struct Mem(Vec<Vec<String>>);

impl Texts for Mem {
    fn paragraphs(&mut self, item: u32) -> Option<Vec<String>> {
        self.0.get(item as usize).cloned()
    }
}

fn add_all(texts: &[Vec<&str>]) -> (Index, Vec<Added>) {
    let mut mem = Mem(Vec::new());
    let mut idx = Index::new();
    let mut out = Vec::new();
    for t in texts {
        mem.0.push(t.iter().map(|s| s.to_string()).collect());
        let fp = Fingerprint::new(t.iter().copied());
        out.push(idx.add(&fp, &mut mem));
    }
    (idx, out)
}

#[test]
fn case_quotes_and_spacing_are_not_edits() {
    let a = shingles("Syria’s “new” era,   said   Putin.");
    let b = shingles("syria's \"NEW\" era, said putin");
    assert_eq!(a, b);
}

#[test]
fn overlap_is_exact() {
    let a = [1, 2, 3, 4];
    let b = [3, 4, 5, 6];
    let o = Overlap::of(&a, &b);
    assert!((o.jaccard - 2.0 / 6.0).abs() < 1e-9);
    assert!((o.containment - 0.5).abs() < 1e-9);
}

#[test]
fn exact_and_near_copies_share_an_origin() {
    let edited = BASE.replace("Saturday", "Sunday");
    let (idx, added) = add_all(&[
        vec![BASE],
        vec![OTHER],
        vec![&BASE.to_uppercase()],
        vec![&edited],
    ]);
    assert_eq!(added[0].copy_of, None);
    assert_eq!(added[1].copy_of, None);
    assert_eq!(added[2].copy_of.map(|c| c.0), Some(0));
    let (to, ov) = added[3].copy_of.unwrap();
    assert_eq!(to, 0);
    assert!(ov.jaccard >= 0.8 && ov.jaccard < 1.0);
    assert_eq!(idx.origin(3), 0);
    assert_eq!(idx.origin(1), 1);
}

#[test]
fn a_cut_copy_is_a_copy_but_a_quote_is_not() {
    let long = format!("{BASE} {OTHER}");
    // The base text is wholly inside `long`, so containment is 1 though Jaccard is ~0.6.
    let (_, added) = add_all(&[vec![&long], vec![BASE]]);
    let (to, ov) = added[1].copy_of.unwrap();
    assert_eq!(to, 0);
    assert!(ov.jaccard < 0.8 && ov.containment >= 0.9);
    // A short quote of a long article is not a copy of it.
    let (_, added) = add_all(&[
        vec![&long],
        vec!["Iraq has so far received 2,225 ISIS group detainees, whom"],
    ]);
    assert_eq!(added[1].copy_of, None);
}

#[test]
fn shared_paragraphs_outside_copies_are_linked() {
    let para = "The war began with a Hamas-led attack on southern Israel on Oct. 7, 2023, in which around 1,200 people were killed.";
    let near = "The war began with a Hamas-led attack on southern Israel on Oct. 7, 2023, in which around 1,200 people were killed, most civilians.";
    let (_, added) = add_all(&[
        vec![BASE, para],
        vec![OTHER, para],
        vec![
            // Part of the other article, so not a copy of it by any rule.
            OTHER
                .split(". ")
                .take(2)
                .collect::<Vec<_>>()
                .join(". ")
                .replace("Saturday", "Friday")
                .as_str(),
            "Farmers in the valley expect a late harvest after weeks of cold rain, and \
             growers of apples, pears and grapes say prices at the regional market could \
             climb before winter arrives.",
            near,
        ],
    ]);
    assert_eq!(added[1].copy_of, None);
    assert_eq!(added[1].paragraph_copies, vec![(1, 0, 1)]);
    // A near-duplicate paragraph (Jaccard >= 0.8) is linked too.
    assert_eq!(added[2].copy_of.map(|c| c.0), None);
    assert!(
        added[2]
            .paragraph_copies
            .iter()
            .any(|&(p, _, op)| p == 2 && op == 1)
    );
}

#[test]
fn unrelated_texts_are_not_candidates_for_copy() {
    let (_, added) = add_all(&[vec![BASE], vec![OTHER]]);
    assert_eq!(added[1].copy_of, None);
    assert!(added[1].paragraph_copies.is_empty());
}

#[test]
fn fingerprints_round_trip_and_restore() {
    let fp = Fingerprint::new([BASE, OTHER]);
    let back = Fingerprint::from_bytes(&fp.to_bytes()).unwrap();
    assert_eq!(back.bands, fp.bands);
    assert_eq!(back.paragraphs, fp.paragraphs);
    assert!(Fingerprint::from_bytes(&fp.to_bytes()[1..]).is_none());
    // A restored index finds copies of what it holds.
    let mut idx = Index::new();
    idx.restore(&back, 0);
    let mut mem = Mem(vec![
        vec![BASE.into(), OTHER.into()],
        vec![BASE.into(), OTHER.into()],
    ]);
    let added = idx.add(&Fingerprint::new([BASE, OTHER]), &mut mem);
    assert_eq!(added.copy_of.map(|c| c.0), Some(0));
}

#[test]
fn an_edited_copy_is_a_copy_but_another_report_is_not() {
    let text = format!("{BASE} {OTHER}");
    // One word in twenty replaced: a quarter of the 5-word shingles break, few words change.
    let edited: Vec<String> = (text.split(' ').enumerate())
        .map(|(i, w)| {
            if i % 20 == 5 {
                "said".to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    let edited = edited.join(" ");
    let (_, added) = add_all(&[vec![&text], vec![&edited]]);
    let (to, ov) = added[1].copy_of.expect("an edited copy");
    assert_eq!(to, 0);
    assert!(
        ov.jaccard < JACCARD && ov.containment < CONTAINMENT,
        "{ov:?}"
    );
    // The same news told in other words shares words but is an independent report.
    let retold = "Iraqi officials said on Saturday that the country has taken custody of 2,225 \
        Islamic State detainees moved from Syria since last month by American forces. Washington \
        plans to transfer as many as 7,000 prisoners, who until now were guarded by the \
        Kurdish-led SDF in camps and jails across northeastern Syria, officials added. Lebanon's \
        prime minister toured ruined border villages, promising to rebuild them after Hezbollah \
        was disarmed in the south.";
    let (_, added) = add_all(&[vec![&text], vec![retold]]);
    assert_eq!(added[1].copy_of, None);
}
