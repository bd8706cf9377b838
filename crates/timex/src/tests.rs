//! Unit tests on news sentences.

use super::*;

fn d(y: i32, m: u32, dd: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, dd)
}

/// (span text, value, mod) of every expression.
fn ann(
    text: &str,
    anchor: Option<NaiveDate>,
) -> Vec<(String, Option<String>, Option<String>, TimexType)> {
    Annotator::new()
        .annotate(text, anchor)
        .into_iter()
        .map(|t| {
            (
                text[t.start..t.end].to_string(),
                t.value,
                t.modifier,
                t.kind,
            )
        })
        .collect()
}

fn one(
    text: &str,
    anchor: Option<NaiveDate>,
) -> (String, Option<String>, Option<String>, TimexType) {
    let v = ann(text, anchor);
    assert_eq!(v.len(), 1, "{text}: {v:?}");
    v.into_iter().next().unwrap()
}

#[test]
fn smoke() {
    let a = d(2026, 1, 28);
    let (s, v, _, k) = one("Officials met on Wednesday in Geneva.", a);
    assert_eq!(s, "Wednesday");
    assert_eq!(v.as_deref(), Some("2026-01-28"));
    assert_eq!(k, TimexType::Date);
}
