//! Unit tests on news sentences (written here, so they run without any data set).

use super::*;

fn d(y: i32, m: u32, dd: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, dd)
}

/// Anchor of most tests: Wednesday 28 January 2026.
fn wed() -> Option<NaiveDate> {
    d(2026, 1, 28)
}

#[derive(Debug)]
struct Got {
    text: String,
    value: Option<String>,
    modifier: Option<String>,
    kind: TimexType,
    relative: bool,
}

fn ann(text: &str, anchor: Option<NaiveDate>) -> Vec<Got> {
    let v = Annotator::new().annotate(text, anchor);
    // Sorted, non-overlapping, on char boundaries.
    for w in v.windows(2) {
        assert!(w[0].end <= w[1].start, "{v:?}");
    }
    v.into_iter()
        .map(|t| {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            Got {
                text: text[t.start..t.end].to_string(),
                value: t.value,
                modifier: t.modifier,
                kind: t.kind,
                relative: t.relative,
            }
        })
        .collect()
}

/// The expression whose span is `span` (panics listing what was found otherwise).
fn find(text: &str, anchor: Option<NaiveDate>, span: &str) -> Got {
    let all = ann(text, anchor);
    let dbg = format!("{all:?}");
    all.into_iter()
        .find(|g| g.text == span)
        .unwrap_or_else(|| panic!("no [{span}] in {text:?}: {dbg}"))
}

fn value(text: &str, anchor: Option<NaiveDate>, span: &str) -> Option<String> {
    find(text, anchor, span).value
}

#[test]
fn weekdays_in_reporting_lean_back() {
    let s =
        "Ministers met on Wednesday in Brussels, and the rebels had seized the town on Saturday.";
    assert_eq!(value(s, wed(), "Wednesday").as_deref(), Some("2026-01-28"));
    assert_eq!(value(s, wed(), "Saturday").as_deref(), Some("2026-01-24"));
    let g = find(s, wed(), "Wednesday");
    assert_eq!(g.kind, TimexType::Date);
    assert!(g.relative);
}

#[test]
fn future_cues_go_forward() {
    let s = "The two leaders will meet on Sunday in Doha, officials said.";
    assert_eq!(value(s, wed(), "Sunday").as_deref(), Some("2026-02-01"));
    let s = "Voters go to the polls next Sunday.";
    assert_eq!(
        value(s, wed(), "next Sunday").as_deref(),
        Some("2026-02-01")
    );
    let s = "The talks are scheduled to resume Monday in Geneva.";
    assert_eq!(value(s, wed(), "Monday").as_deref(), Some("2026-02-02"));
    let s = "Protesters gathered last Friday outside parliament.";
    assert_eq!(
        value(s, wed(), "last Friday").as_deref(),
        Some("2026-01-23")
    );
}

#[test]
fn no_anchor_means_no_guess() {
    let s = "The ministry said on Wednesday that prices rose last month.";
    let g = find(s, None, "Wednesday");
    assert_eq!(g.value, None);
    assert!(g.relative);
    assert_eq!(value(s, None, "last month"), None);
    let s = "Assad fled to Moscow on Dec. 8.";
    assert_eq!(value(s, None, "Dec. 8"), None);
    // Absolute dates need no anchor.
    let s = "Assad fled to Moscow on Dec. 8, 2024.";
    let g = find(s, None, "Dec. 8, 2024");
    assert_eq!(g.value.as_deref(), Some("2024-12-08"));
    assert!(!g.relative);
}

#[test]
fn relative_dates() {
    let s = "Inflation slowed last month, the statistics office said today, after rising \
             yesterday's forecast; this week the central bank meets, and next year a new \
             governor takes over.";
    assert_eq!(value(s, wed(), "last month").as_deref(), Some("2025-12"));
    assert_eq!(value(s, wed(), "today").as_deref(), Some("2026-01-28"));
    assert_eq!(value(s, wed(), "yesterday").as_deref(), Some("2026-01-27"));
    assert_eq!(value(s, wed(), "this week").as_deref(), Some("2026-W05"));
    assert_eq!(value(s, wed(), "next year").as_deref(), Some("2027"));
    let s = "The dam was completed two years ago.";
    assert_eq!(value(s, wed(), "two years ago").as_deref(), Some("2024"));
}

#[test]
fn explicit_dates() {
    let a = wed();
    let s = "The ceasefire took effect on 28 January 2026 after talks in October 2025.";
    assert_eq!(
        value(s, a, "28 January 2026").as_deref(),
        Some("2026-01-28")
    );
    assert_eq!(value(s, a, "October 2025").as_deref(), Some("2025-10"));
    let s = "The law was signed Aug. 1, 2014, and amended after the Oct. 7, 2023, attacks.";
    assert_eq!(value(s, a, "Aug. 1, 2014").as_deref(), Some("2014-08-01"));
    assert_eq!(value(s, a, "Oct. 7, 2023").as_deref(), Some("2023-10-07"));
    let s = "Polls closed on 08 November 2025; results were certified February 7, 2026.";
    assert_eq!(
        value(s, a, "08 November 2025").as_deref(),
        Some("2025-11-08")
    );
    assert_eq!(
        value(s, a, "February 7, 2026").as_deref(),
        Some("2026-02-07")
    );
    let s = "The rally on Saturday, Nov. 8, 2025, drew thousands.";
    assert_eq!(
        value(s, a, "Saturday, Nov. 8, 2025").as_deref(),
        Some("2025-11-08")
    );
    let s = "The company was founded in 2015 and grew through the 1990s.";
    assert_eq!(value(s, a, "2015").as_deref(), Some("2015"));
    assert_eq!(value(s, a, "the 1990s").as_deref(), Some("199"));
}

#[test]
fn month_day_without_year_takes_the_nearest_year() {
    // Late-January article: "Nov. 8" is the past November, "Feb. 3" the coming February.
    let s = "The vote held Nov. 8 will be rerun Feb. 3.";
    assert_eq!(value(s, wed(), "Nov. 8").as_deref(), Some("2025-11-08"));
    assert_eq!(value(s, wed(), "Feb. 3").as_deref(), Some("2026-02-03"));
}

#[test]
fn modifiers() {
    let a = wed();
    let s = "Prices peaked in late 2024 and fell in early 2025, before a mid-2025 rebound.";
    let g = find(s, a, "late 2024");
    assert_eq!(
        (g.value.as_deref(), g.modifier.as_deref()),
        (Some("2024"), Some("END"))
    );
    let g = find(s, a, "early 2025");
    assert_eq!(
        (g.value.as_deref(), g.modifier.as_deref()),
        (Some("2025"), Some("START"))
    );
    let g = find(s, a, "mid-2025");
    assert_eq!(
        (g.value.as_deref(), g.modifier.as_deref()),
        (Some("2025"), Some("MID"))
    );
    let s = "The plant should reopen by the end of the year.";
    let g = find(s, a, "the end of the year");
    assert_eq!(
        (g.value.as_deref(), g.modifier.as_deref()),
        (Some("2026"), Some("END"))
    );
    let s = "The siege lasted about three weeks.";
    let g = find(s, a, "about three weeks");
    assert_eq!(
        (g.value.as_deref(), g.modifier.as_deref()),
        (Some("P3W"), Some("APPROX"))
    );
}

#[test]
fn spans_follow_timebank() {
    let a = wed();
    // The month inside a possessive-free noun phrase; the preposition stays out.
    let s = "Syria has changed since his December 2024 flight to Moscow.";
    let g = find(s, a, "December 2024");
    assert_eq!(g.value.as_deref(), Some("2024-12"));
    // "the past" belongs to the duration; the determiner of a quarter too.
    let s =
        "Unemployment has doubled over the past 11 years, and profit fell in the third quarter.";
    let g = find(s, a, "the past 11 years");
    assert_eq!(
        (g.value.as_deref(), g.kind),
        (Some("P11Y"), TimexType::Duration)
    );
    assert_eq!(value(s, a, "the third quarter").as_deref(), Some("2025-Q3"));
    // An adjectival quarter does not take the article of its noun.
    let s = "The company reported the third-quarter results.";
    assert_eq!(ann(s, a)[0].text, "third-quarter");
}

#[test]
fn durations_sets_seasons_times() {
    let a = wed();
    let s = "Rescuers worked for three hours; the paper is published weekly.";
    let g = find(s, a, "three hours");
    assert_eq!(
        (g.value.as_deref(), g.kind),
        (Some("PT3H"), TimexType::Duration)
    );
    let g = find(s, a, "weekly");
    assert_eq!((g.value.as_deref(), g.kind), (Some("P1W"), TimexType::Set));
    let s = "The games open in summer 2026.";
    assert_eq!(value(s, a, "summer 2026").as_deref(), Some("2026-SU"));
    let s = "Shelling resumed Thursday night near the border.";
    let g = find(s, a, "Thursday night");
    assert_eq!(
        (g.value.as_deref(), g.kind),
        (Some("2026-01-22TNI"), TimexType::Time)
    );
    let s = "The blast occurred at about 10:35 a.m. local time.";
    let g = find(s, a, "about 10:35 a.m.");
    assert_eq!(
        (g.value.as_deref(), g.modifier.as_deref()),
        (Some("2026-01-28T10:35"), Some("APPROX"))
    );
    let s = "Officials meet every Thursday.";
    assert_eq!(value(s, a, "every Thursday").as_deref(), Some("XXXX-WXX-4"));
}

#[test]
fn not_temporal() {
    let a = wed();
    for s in [
        "The 44-year-old suspect may face charges.",
        "He will march with 1500 protesters.",
        "Police seized 2000 rifles and $1999 in cash.",
        "She cut the quarterly dividend to five cents.",
        "The fall of the regime surprised analysts.",
    ] {
        let got = ann(s, a);
        assert!(got.is_empty(), "{s}: {got:?}");
    }
}

#[test]
fn offsets_with_non_ascii_text() {
    let s = "« Le président » a dit : “We’ll sign the deal on Thursday,” — in São Paulo on 3 März? No: on Feb. 3.";
    let got = ann(s, wed());
    let texts: Vec<&str> = got.iter().map(|g| g.text.as_str()).collect();
    assert!(texts.contains(&"Thursday"), "{texts:?}");
    assert!(texts.contains(&"Feb. 3"), "{texts:?}");
    // "We’ll" (curly apostrophe) is a future cue.
    assert_eq!(value(s, wed(), "Thursday").as_deref(), Some("2026-01-29"));
}

#[test]
fn anaphora_uses_the_last_date() {
    let s = "The treaty was signed in March 1999. The following year, the alliance grew.";
    assert_eq!(
        value(s, wed(), "The following year").as_deref(),
        Some("2000")
    );
    let s = "Third-quarter profit rose 5% from a year earlier.";
    assert_eq!(
        value(s, d(1989, 10, 26), "a year earlier").as_deref(),
        Some("1988-Q3")
    );
}

#[test]
fn type_prints_and_serialises_as_timeml() {
    assert_eq!(TimexType::Duration.to_string(), "DURATION");
    let t = Annotator::new().annotate("It rained for three hours.", None);
    let json = serde_json::to_string(&t[0]).unwrap();
    assert!(json.contains("\"kind\":\"DURATION\""), "{json}");
    let back: Timex = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t[0]);
}
