//! Tests of the readable forms: each format, the fallbacks, and generated inputs.

use super::*;
use serde_json::json;

#[test]
fn dates_in_words() {
    let cases = [
        ("2026", "2026"),
        ("2026-01", "January 2026"),
        ("2026-01-19", "19 January 2026"),
        ("2024-02-29", "29 February 2024"),
        ("2026-W04", "the week of 19 January 2026"),
        // ISO week 1 of 2026 starts in the previous year.
        ("2026-W01", "the week of 29 December 2025"),
        ("2026-W04-WE", "the weekend of 24 January 2026"),
        ("2026-SU", "summer 2026"),
        ("2026-SP", "spring 2026"),
        ("2026-FA", "autumn 2026"),
        ("2026-AU", "autumn 2026"),
        ("2026-WI", "winter 2026"),
        ("2026-Q1", "the first quarter of 2026"),
        ("2024-Q4", "the fourth quarter of 2024"),
        ("2025-H2", "the second half of 2025"),
        ("199", "the 1990s"),
        ("19", "the 20th century"),
        ("20", "the 21st century"),
        ("10", "the 11th century"),
        ("PRESENT_REF", "the present"),
        ("PAST_REF", "the past"),
        ("FUTURE_REF", "the future"),
        ("2026-01-22TNI", "the night of 22 January 2026"),
        ("2026-01-22T14:30", "22 January 2026, 14:30"),
        ("2026-01-22T14:30:05Z", "22 January 2026, 14:30 UTC"),
        (
            "2026-01-22T14:30:05.250+02:00",
            "22 January 2026, 14:30 UTC+02:00",
        ),
        ("XXXX-WXX-3", "Wednesday"),
        ("XXXX-07", "July"),
        ("XXXX-SU", "summer"),
        ("XXXX-XX-XXTMO", "the morning"),
        ("P3Y", "3 years"),
        ("P1W", "1 week"),
        ("PT2H", "2 hours"),
        ("PXY", "years"),
        ("PXDE", "decades"),
    ];
    for (raw, words) in cases {
        assert_eq!(date(raw), words, "{raw}");
    }
}

#[test]
fn unknown_or_invalid_dates_stay_raw() {
    for raw in [
        "",
        "x",
        "2026-13",
        "2026-02-30",
        "2026-W54",
        "2026-Q5",
        "2026-XX",
        "26-01",
        "2026-1",
        "P2Y6M",
        "2026-01-19T25:00",
        "2026-01-19T10:00+2",
        "2026-01-19T10:00:00:00",
        "2026-01-19TXX",
        "tomorrow",
        "2026-SU-01",
        "-2026",
        "XXXX-WXX-9",
        "¥€-é",
    ] {
        assert_eq!(date(raw), raw, "{raw}");
    }
}

#[test]
fn numbers_with_separators_and_scale_words() {
    let cases = [
        (250_000_000.0, "250 million"),
        (1_500_000_000.0, "1.5 billion"),
        (1_250_000.0, "1.25 million"),
        (2e12, "2 trillion"),
        (12_500.0, "12,500"),
        (999.0, "999"),
        (1000.0, "1,000"),
        (69_176.0, "69,176"),
        (5587.75, "5,587.75"),
        (3.5, "3.5"),
        (0.0, "0"),
        (-12_500.0, "-12,500"),
        (-3e6, "-3 million"),
        // A scale word would round these: the whole number is shown.
        (1_234_567.0, "1,234,567"),
        (1_000_000.5, "1,000,000.5"),
        (2e15, "2,000,000,000,000,000"),
    ];
    for (x, words) in cases {
        assert_eq!(number(x), words, "{x}");
    }
    assert_eq!(number(f64::NAN), "NaN");
}

#[test]
fn amounts_with_units() {
    assert_eq!(amount(250e6, Some("USD")), "$250 million");
    assert_eq!(amount(1.5e9, Some("EUR")), "€1.5 billion");
    assert_eq!(amount(-20.0, Some("GBP")), "-£20");
    assert_eq!(amount(3e9, Some("RUB")), "RUB 3 billion");
    assert_eq!(amount(3.5, Some("%")), "3.5%");
    assert_eq!(amount(420.0, Some("km")), "420 km");
    assert_eq!(amount(12_500.0, None), "12,500");
    assert_eq!(amount(12_500.0, Some(" ")), "12,500");
}

#[test]
fn ranks_as_ordinals() {
    let cases = [
        (1.0, "first"),
        (2.0, "second"),
        (10.0, "tenth"),
        (11.0, "11th"),
        (12.0, "12th"),
        (13.0, "13th"),
        (21.0, "21st"),
        (102.0, "102nd"),
        (113.0, "113th"),
        (1003.0, "1,003rd"),
        // No rank: the number as it is.
        (0.0, "0"),
        (-2.0, "-2"),
        (2.5, "2.5"),
    ];
    for (x, words) in cases {
        assert_eq!(ordinal(x), words, "{x}");
    }
    assert_eq!(claim_value("ordinal", &json!(2), None, None), "second");
    assert_eq!(claim_value("number", &json!(2), None, None), "2");
    assert_eq!(claim_value("ordinal", &json!("x"), None, None), "x");
}

#[test]
fn qualifiers_as_words() {
    assert_eq!(qualified("2024", Some("END")), "late 2024");
    assert_eq!(qualified("2024", Some("MID")), "mid-2024");
    assert_eq!(qualified("200", Some("approximate")), "about 200");
    assert_eq!(qualified("100", Some("at_least")), "at least 100");
    assert_eq!(qualified("5", Some("exact")), "5");
    assert_eq!(qualified("3 km", Some("vague")), "a few (3 km)");
    assert_eq!(qualified("5", None), "5");
    assert_eq!(
        qualified("the week of 19 January 2026", Some("END")),
        "late in the week of 19 January 2026"
    );
    assert_eq!(
        qualified("the first quarter of 2026", Some("MID")),
        "in the middle of the first quarter of 2026"
    );
    // An unknown qualifier is shown, not dropped.
    assert_eq!(qualified("2024", Some("ODD")), "2024 (ODD)");
}

#[test]
fn values_of_any_type() {
    assert_eq!(value(&json!("2026-01"), None, None), "January 2026");
    assert_eq!(value(&json!("2024"), Some("END"), None), "late 2024");
    assert_eq!(value(&json!(250000000), None, Some("USD")), "$250 million");
    assert_eq!(
        value(&json!(69000), Some("at_most"), None),
        "at most 69,000"
    );
    assert_eq!(value(&json!("yes"), None, None), "yes");
    assert_eq!(value(&json!(null), None, None), "—");
    assert_eq!(value(&json!(true), None, None), "true");
    assert_eq!(value(&json!([1, 2]), None, None), "[1,2]");
}

#[test]
fn headings_as_phrases() {
    let cases = [
        (
            "when: Bashar al-Assad oust",
            Some("oust"),
            "the date of Bashar al-Assad's ouster",
        ),
        ("when: Putin meet", None, "the date of Putin's meeting"),
        ("when: Reuters visit", None, "the date of Reuters' visit"),
        ("when: oust", Some("oust"), "the date of the ouster"),
        (
            "how many: ISIS group detainees (transfer)",
            Some("transfer"),
            "how many ISIS group detainees transferred",
        ),
        ("how many: people (kill)", None, "how many people killed"),
        ("how many: people (flee)", None, "how many people fled"),
        (
            "how many: hostages (seize)",
            None,
            "how many hostages seized",
        ),
        ("how many: people in Gaza", None, "how many people in Gaza"),
        (
            "how many: aid (pledge) in USD",
            None,
            "how much aid pledged, in USD",
        ),
        ("how many: votes in %", None, "what share of votes"),
        (
            "how many: road (build) in km",
            None,
            "how many km of road built",
        ),
        (
            "which: al-Sharaa visit (2025-10)",
            Some("visit"),
            "which of al-Sharaa's visits (October 2025)",
        ),
        ("which: Putin meet", None, "which of Putin's meetings"),
        (
            "whether: Russia withdraw",
            Some("withdraw"),
            "whether Russia would withdraw",
        ),
        (
            "statement: The meeting marked al-Sharaa's second visit …",
            None,
            "“The meeting marked al-Sharaa's second visit …”",
        ),
        (
            "wording of: He said it",
            None,
            "the wording of “He said it”",
        ),
        (
            "who: Kremlin spokesperson Dmitry Peskov (role)",
            None,
            "the role named in “Kremlin spokesperson Dmitry Peskov”",
        ),
        (
            "date of meet: Putin met al-Sharaa on Tuesday",
            None,
            "the date of the meeting in “Putin met al-Sharaa on Tuesday”",
        ),
        (
            "number of troop: Russia sent 900 troops",
            None,
            "how many troops in “Russia sent 900 troops”",
        ),
        (
            "scope of large retailer: the country's largest retailer",
            None,
            "the scope of “large retailer” in “the country's largest retailer”",
        ),
    ];
    for (slot, predicate, words) in cases {
        assert_eq!(heading(slot, predicate), words, "{slot}");
    }
}

#[test]
fn english_morphology_of_lemmas() {
    // Through the phrases, since the helpers are private.
    let date_of = |p: &str| heading(&format!("when: X {p}"), Some(p));
    assert_eq!(date_of("seize"), "the date of X's seizure");
    assert_eq!(date_of("die"), "the date of X's death");
    assert_eq!(date_of("sign"), "the date of X's signing");
    assert_eq!(date_of("stop"), "the date of X's stopping");
    assert_eq!(date_of("begin"), "the date of X's beginning");
    assert_eq!(date_of("tie"), "the date of X's tying");
    assert_eq!(date_of("free"), "the date of X's freeing");
    let count = |p: &str| heading(&format!("how many: things ({p})"), Some(p));
    assert_eq!(count("deny"), "how many things denied");
    assert_eq!(count("stop"), "how many things stopped");
    assert_eq!(count("release"), "how many things released");
    assert_eq!(count("deploy"), "how many things deployed");
    assert_eq!(count("agree"), "how many things agreed");
    assert_eq!(date_of("agree"), "the date of X's agreement");
    assert_eq!(date_of("guarantee"), "the date of X's guaranteeing");
    assert_eq!(count("visit"), "how many things visited");
    let which = |p: &str| heading(&format!("which: X {p}"), Some(p));
    assert_eq!(which("attack"), "which of X's attacks");
    assert_eq!(which("approve"), "which of X's approvals");
    assert_eq!(which("ceasefire"), "which of X's ceasefires");
}

#[test]
fn unknown_headings_stay_raw() {
    for slot in [
        "",
        "no colon here",
        "date: Bashar al-Assad fled",
        "when: ",
        "who: no role suffix",
        "<script>x</script>: y",
    ] {
        assert_eq!(heading(slot, None), slot, "{slot}");
    }
}

/// A small deterministic generator (xorshift64), so the generated cases are the same on
/// every run.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A string of up to 16 characters drawn from the characters TimeML values and slot
    /// names are made of, plus multi-byte ones.
    fn text(&mut self) -> String {
        const ALPHABET: &[char] = &[
            '0',
            '1',
            '2',
            '9',
            '-',
            'W',
            'Q',
            'H',
            'T',
            'X',
            'P',
            'Y',
            'S',
            'U',
            'E',
            ':',
            ' ',
            '(',
            ')',
            'a',
            'w',
            'h',
            'e',
            'n',
            'é',
            '€',
            '\u{1F600}',
            'R',
            'F',
            '_',
            '+',
            'Z',
            '.',
        ];
        let len = (self.next() % 17) as usize;
        (0..len)
            .map(|_| ALPHABET[(self.next() % ALPHABET.len() as u64) as usize])
            .collect()
    }
}

#[test]
fn generated_strings_never_panic_nor_vanish() {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let s = g.text();
        let d = date(&s);
        assert!(s.is_empty() || !d.is_empty(), "{s:?}");
        let h = heading(&s, Some(&g.text()));
        assert!(s.is_empty() || !h.is_empty(), "{s:?}");
        let _ = qualified(&s, Some(&g.text()));
        let _ = value(&json!(s), Some(&g.text()), Some(&g.text()));
    }
}

/// A shown whole number read back: commas removed, a scale word multiplied out.
fn read_back(s: &str) -> f64 {
    let (n, scale) = match s.rsplit_once(' ') {
        Some((n, "million")) => (n, 1e6),
        Some((n, "billion")) => (n, 1e9),
        Some((n, "trillion")) => (n, 1e12),
        _ => (s, 1.0),
    };
    n.replace(',', "").parse::<f64>().expect("a number") * scale
}

#[test]
fn generated_numbers_read_back_to_the_same_value() {
    let mut g = Gen(0xD1B5_4A32_D192_ED03);
    for _ in 0..20_000 {
        // Whole numbers of every size up to 10^15, round ones often (the scale-word path).
        let digits = g.next() % 16;
        let mut x = (g.next() % 10u64.pow(digits as u32).max(1)) as f64;
        if g.next().is_multiple_of(2) {
            x = (x / 1e4).round() * 1e4;
        }
        if g.next().is_multiple_of(5) {
            x = -x;
        }
        let shown = number(x);
        assert!((read_back(&shown) - x).abs() < 0.5, "{x} shown as {shown}");
    }
    // Arbitrary bit patterns never panic.
    for _ in 0..20_000 {
        let x = f64::from_bits(g.next());
        let _ = amount(x, Some("USD"));
    }
}
