//! Quantities: numbers with their unit, what they count, and how exact they are said to be.
//!
//! A quantity is a number written in digits ("2,225", "1.5", "420km") or words ("eight",
//! "twenty-four"), optionally scaled ("$250 million") and with a unit: a currency (ISO 4217 from
//! "$", "€", "£" or a currency word), "%" ("percent") or a measure word ("kilometers"). What it
//! counts is the noun phrase after it ("2,225 ISIS group detainees"), or, for a bare number, the
//! phrase after "number of" earlier in the sentence ("the number of Palestinians killed ... has
//! risen to 69,176"). The qualifier comes from the words before it: approximate ("about",
//! "around", "some", "roughly"), at least ("more than", "at least", "over"), at most ("nearly",
//! "almost", "up to", "fewer than"). Vague plurals ("dozens", "hundreds of", "thousands of")
//! are kept as at least twice their unit (24, 200, 2,000), since a plural means more than one.
//! Numbers inside temporal expressions or names, years, ordinals and identifiers ("resolution
//! 2254") are not quantities.

use model::{Qualifier, Quantity};

use crate::tokenize::Token;

fn word_number(w: &str) -> Option<f64> {
    let units = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    let tens = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let w = w.to_lowercase();
    if let Some(i) = units.iter().position(|u| *u == w) {
        return Some(i as f64);
    }
    if let Some(i) = tens.iter().position(|t| !t.is_empty() && *t == w) {
        return Some(i as f64 * 10.0);
    }
    if let Some((a, b)) = w.split_once('-') {
        let t = tens.iter().position(|t| !t.is_empty() && *t == a)?;
        let u = units
            .iter()
            .position(|u| *u == b)
            .filter(|&u| (1..10).contains(&u))?;
        return Some((t * 10 + u) as f64);
    }
    match w.as_str() {
        "dozen" => Some(12.0),
        _ => None,
    }
}

fn multiplier(w: &str) -> Option<f64> {
    match w.to_lowercase().as_str() {
        "dozen" => Some(12.0),
        "hundred" => Some(1e2),
        "thousand" => Some(1e3),
        "million" | "mln" | "m" => Some(1e6),
        "billion" | "bln" | "bn" => Some(1e9),
        "trillion" | "tn" => Some(1e12),
        _ => None,
    }
}

/// Vague plural amounts, with the least value the plural implies.
fn vague(w: &str) -> Option<f64> {
    match w.to_lowercase().as_str() {
        "dozens" => Some(24.0),
        "scores" => Some(40.0),
        "hundreds" => Some(200.0),
        "thousands" => Some(2e3),
        "millions" => Some(2e6),
        "billions" => Some(2e9),
        _ => None,
    }
}

/// The figure kept for "several" and "a few": what they mean at least (see
/// [`Qualifier::Vague`] for how claims compare them).
const VAGUE_FEW: f64 = 3.0;

/// "several", "a few", "a handful (of)": some small number, no figure.
fn vague_few(lower: &[String], i: usize) -> bool {
    let after_a = i > 0 && lower[i - 1] == "a";
    match lower[i].as_str() {
        "several" => true,
        "few" | "handful" => after_a,
        _ => false,
    }
}

/// Adverbs of how often that name a count of times.
fn frequency_adverb(w: &str) -> Option<f64> {
    match w {
        "twice" => Some(2.0),
        "thrice" => Some(3.0),
        _ => None,
    }
}

/// A month name or abbreviation (dates are the timex layer's, not quantities).
pub(crate) fn month_like(w: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let l = w.trim_end_matches('.').to_lowercase();
    (l.len() >= 3)
        .then(|| {
            MONTHS
                .iter()
                .position(|m| l.starts_with(m))
                .map(|i| i as u32 + 1)
        })
        .flatten()
}

fn currency_symbol(t: &str) -> Option<&'static str> {
    match t {
        "$" | "US$" => Some("USD"),
        "€" => Some("EUR"),
        "£" => Some("GBP"),
        "¥" => Some("JPY"),
        "₽" => Some("RUB"),
        "₪" => Some("ILS"),
        "₺" => Some("TRY"),
        _ => None,
    }
}

fn currency_word(w: &str) -> Option<&'static str> {
    match w.to_lowercase().as_str() {
        "dollar" | "dollars" | "usd" => Some("USD"),
        "euro" | "euros" | "eur" => Some("EUR"),
        "pound" | "pounds" | "sterling" | "gbp" => Some("GBP"),
        "ruble" | "rubles" | "rouble" | "roubles" => Some("RUB"),
        "yuan" | "renminbi" => Some("CNY"),
        "yen" => Some("JPY"),
        "shekel" | "shekels" => Some("ILS"),
        "lira" | "liras" => Some("TRY"),
        "riyal" | "riyals" => Some("SAR"),
        "dirham" | "dirhams" => Some("AED"),
        "rupee" | "rupees" => Some("INR"),
        _ => None,
    }
}

fn measure_word(w: &str) -> Option<&'static str> {
    Some(match w.to_lowercase().as_str() {
        "km" | "kilometer" | "kilometers" | "kilometre" | "kilometres" => "km",
        "mile" | "miles" => "miles",
        "m" | "meter" | "meters" | "metre" | "metres" => "m",
        "cm" | "centimeters" | "centimetres" => "cm",
        "kg" | "kilogram" | "kilograms" | "kilos" => "kg",
        "ton" | "tons" | "tonne" | "tonnes" => "tonnes",
        "ft" | "feet" | "foot" => "feet",
        "hectare" | "hectares" => "hectares",
        "acre" | "acres" => "acres",
        "barrel" | "barrels" | "bpd" => "barrels",
        "liter" | "liters" | "litre" | "litres" => "litres",
        "mw" | "megawatt" | "megawatts" => "MW",
        "gw" | "gigawatt" | "gigawatts" => "GW",
        "sq" => "sq",
        _ => return None,
    })
}

/// Nouns after which a number is an identifier, not an amount.
const IDENTIFIER_NOUNS: &[&str] = &[
    "resolution",
    "no.",
    "number",
    "#",
    "article",
    "section",
    "route",
    "flight",
    "chapter",
    "paragraph",
    "room",
    "gate",
    "platform",
    "line",
    "bus",
    "highway",
    "page",
    "channel",
    "version",
    "level",
    "phase",
    "stage",
    "round",
    "day",
    "week",
    "game",
    "model",
    "code",
    "district",
    "zone",
    "sector",
    "unit",
    "building",
    "apartment",
    "cell",
    "row",
    "seat",
    "lot",
];

/// Words that end the counted noun phrase, beyond [`crate::lexicon::FUNCTION_WORDS`].
const STOP: &[&str] = &[
    "whom",
    "whose",
    "these",
    "those",
    "being",
    "could",
    "should",
    "may",
    "might",
    "can",
    "must",
    "say",
    "per",
    "each",
    "than",
    "into",
    "across",
    "during",
    "where",
    "if",
    "including",
    "among",
    "between",
    "over",
    "under",
    "about",
    "around",
    "near",
    "it",
    "they",
    "he",
    "she",
    "we",
    "there",
    "not",
    "no",
    "so",
    "still",
    "also",
    "all",
    "both",
    "more",
    "less",
    "other",
    "such",
    "than",
    "then",
    "now",
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "hours",
    "hour",
    "minutes",
    "percent",
    "per",
    "cent",
];

/// Parses a digit token: "2,225" -> 2225, "1.5" -> 1.5, "420km" -> (420, "km").
fn digits(t: &str) -> Option<(f64, Option<&'static str>)> {
    let end = t
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    let (num, rest) = t.split_at(end);
    if num.is_empty() || !num.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // Thousands separators must group by three.
    if num.contains(',') {
        let int = num.split('.').next().unwrap_or(num);
        let groups: Vec<&str> = int.split(',').collect();
        if groups[1..].iter().any(|g| g.len() != 3) || groups[0].len() > 3 {
            return None;
        }
    }
    let value: f64 = num.replace(',', "").parse().ok()?;
    if rest.is_empty() {
        return Some((value, None));
    }
    if let Some(m) = multiplier(rest) {
        return Some((value * m, Some("")));
    }
    measure_word(rest).map(|u| (value, Some(u)))
}

fn qualifier_before(words: &[String]) -> (Qualifier, usize) {
    let n = words.len();
    let last = |k: usize| -> Option<&str> { n.checked_sub(k).map(|i| words[i].as_str()) };
    let two = match (last(2), last(1)) {
        (Some(a), Some(b)) => format!("{a} {b}"),
        _ => String::new(),
    };
    let three = match (last(3), last(2), last(1)) {
        (Some(a), Some(b), Some(c)) => format!("{a} {b} {c}"),
        _ => String::new(),
    };
    match three.as_str() {
        "no more than" | "as many as" | "as much as" | "as few as" => {
            return (Qualifier::AtMost, 3);
        }
        "no fewer than" | "no less than" | "in excess of" => return (Qualifier::AtLeast, 3),
        _ => {}
    }
    match two.as_str() {
        "more than" | "at least" | "upwards of" | "greater than" => {
            return (Qualifier::AtLeast, 2);
        }
        "fewer than" | "less than" | "up to" | "at most" => {
            return (Qualifier::AtMost, 2);
        }
        "an estimated" | "close to" => return (Qualifier::Approximate, 2),
        _ => {}
    }
    match last(1) {
        Some(
            "about" | "around" | "some" | "roughly" | "approximately" | "approx." | "circa"
            | "estimated" | "~",
        ) => (Qualifier::Approximate, 1),
        Some("over" | "exceeding" | "above" | "beyond") => (Qualifier::AtLeast, 1),
        Some("nearly" | "almost" | "under" | "below" | "barely") => (Qualifier::AtMost, 1),
        _ => (Qualifier::Exact, 0),
    }
}

/// Finds the quantities of one sentence. `blocked` says whether a byte span lies inside a
/// temporal expression or a name.
pub(crate) fn sentence_quantities(
    text: &str,
    toks: &[Token],
    sent: std::ops::Range<usize>,
    blocked: &dyn Fn(usize, usize) -> bool,
    out: &mut Vec<Quantity>,
) {
    let words: Vec<&str> = toks[sent.clone()].iter().map(|t| t.text(text)).collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let tok = toks[sent.start + i];
        let start_tok = i;
        let mut unit: Option<String> = None;
        let mut qual_override = None;
        // Currency symbol before the number.
        if let Some(code) = currency_symbol(w)
            && i + 1 < words.len()
            && digits(words[i + 1]).is_some()
        {
            unit = Some(code.to_string());
            i += 1;
        }
        let w = words[i];
        // "twice", "three times": how often, a count of times.
        if let Some(n) = frequency_adverb(&lower[i]) {
            if !blocked(tok.start, tok.end) {
                out.push(Quantity {
                    start: tok.start,
                    end: tok.end,
                    value: n,
                    unit: None,
                    counts: Some("times".into()),
                    qualifier: Qualifier::Exact,
                });
            }
            i += 1;
            continue;
        }
        let (mut value, mut glued_unit) = match digits(w) {
            Some(v) => v,
            None => match word_number(w) {
                // "one" is too often a pronoun ("one of the", "no one", "at one point"): it
                // counts only when a plain noun follows it.
                Some(v) if v != 1.0 || one_counts(&lower, i) => (v, None),
                _ => match vague(w) {
                    Some(v) => {
                        qual_override = Some(Qualifier::AtLeast);
                        // "tens of thousands".
                        (v, None)
                    }
                    None if vague_few(&lower, i) => {
                        qual_override = Some(Qualifier::Vague);
                        (VAGUE_FEW, None)
                    }
                    None if lower[i] == "tens"
                        && lower.get(i + 1).map(String::as_str) == Some("of")
                        && lower.get(i + 2).and_then(|x| vague(x)).is_some() =>
                    {
                        qual_override = Some(Qualifier::AtLeast);
                        let base = vague(&lower[i + 2]).unwrap_or(0.0) / 2.0;
                        i += 2;
                        (20.0 * base, None)
                    }
                    None => {
                        i += 1;
                        continue;
                    }
                },
            },
        };
        let num_tok = toks[sent.start + i];
        let is_year = !w.contains(',')
            && !w.contains('.')
            && w.len() == 4
            && (1000.0..=2100.0).contains(&value);
        let prev = if start_tok > 0 {
            lower[start_tok - 1].as_str()
        } else {
            ""
        };
        let ordinal_next = matches!(
            lower.get(i + 1).map(String::as_str),
            Some("st" | "nd" | "rd" | "th")
        );
        // "Park 51", "Apollo 11": a bare number right after a capitalised word inside the
        // sentence is part of a name.
        let in_name = start_tok > 1
            && unit.is_none()
            && !w.contains(',')
            && words[start_tok - 1]
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
            && month_like(words[start_tok - 1]).is_none();
        // "9/11", "24/7", "3/4": a number glued to a slash is a date, a label or a fraction.
        let glued_slash = (i > 0
            && words[i - 1] == "/"
            && toks[sent.start + i - 1].end == num_tok.start)
            || (words.get(i + 1) == Some(&"/") && toks[sent.start + i + 1].start == num_tok.end);
        if blocked(num_tok.start, num_tok.end)
            || glued_slash
            || IDENTIFIER_NOUNS.contains(&prev)
            || ordinal_next
            || in_name
            || (is_year && unit.is_none())
        {
            i += 1;
            continue;
        }
        let mut end_tok = i;
        if let Some(u) = glued_unit.take()
            && !u.is_empty()
        {
            unit = Some(u.to_string());
        }
        // Scale words: "250 million", "two hundred".
        while let Some(m) = lower.get(end_tok + 1).and_then(|x| multiplier(x)) {
            if lower[end_tok + 1] == "m" && unit.is_none() {
                break;
            }
            value *= m;
            end_tok += 1;
        }
        // Vague "of": "thousands of people" counts "people".
        if qual_override.is_some() && lower.get(end_tok + 1).map(String::as_str) == Some("of") {
            end_tok += 1;
        }
        // Unit after the number.
        if let Some(next) = lower.get(end_tok + 1) {
            if next == "%" || next == "percent" {
                unit = Some("%".into());
                end_tok += 1;
            } else if next == "per" && lower.get(end_tok + 2).map(String::as_str) == Some("cent") {
                unit = Some("%".into());
                end_tok += 2;
            } else if unit.is_none()
                && let Some(c) = currency_word(next)
            {
                unit = Some(c.into());
                end_tok += 1;
            } else if unit.is_none()
                && let Some(m) = measure_word(next)
                && (next.len() > 2 || words[end_tok + 1].chars().all(|c| c.is_lowercase()))
            {
                unit = Some(m.into());
                end_tok += 1;
            }
        }
        // What it counts: the noun phrase right after.
        let mut counts_words: Vec<&str> = Vec::new();
        let mut k = end_tok + 1;
        while k < words.len() && counts_words.len() < 5 {
            let cw = words[k];
            let l = lower[k].as_str();
            let alpha = cw.chars().any(char::is_alphabetic)
                && cw
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '’' || c == '\'');
            if !alpha || crate::lexicon::FUNCTION_WORDS.contains(&l) || STOP.contains(&l) {
                break;
            }
            let participle = (l.ends_with("ed") || l.ends_with("ing")) && l.len() > 4;
            if participle && !counts_words.is_empty() {
                break;
            }
            counts_words.push(cw);
            k += 1;
        }
        // Possessive or apostrophe fragments do not make a phrase.
        counts_words.retain(|w| !w.starts_with(['’', '\'']));
        let mut counts = if counts_words.is_empty() {
            None
        } else {
            Some(counts_words.join(" "))
        };
        if counts.is_none() && unit.is_none() {
            counts = number_of_phrase(&words, &lower, start_tok);
        }
        // The qualifier words belong to the quantity's span ("about 200 fighters").
        let (qualifier, qual_words) = match qual_override {
            Some(q) => (q, 0),
            None => qualifier_before(&lower[..start_tok]),
        };
        out.push(Quantity {
            start: toks[sent.start + start_tok - qual_words]
                .start
                .min(tok.start),
            end: toks[sent.start + end_tok].end,
            value,
            unit,
            counts,
            qualifier,
        });
        i = end_tok + 1;
    }
}

/// Whether "one" at `i` counts something: a noun follows, and no determiner or "no" precedes.
fn one_counts(lower: &[String], i: usize) -> bool {
    let prev = if i > 0 { lower[i - 1].as_str() } else { "" };
    let next = lower.get(i + 1).map(String::as_str).unwrap_or("");
    let pronoun_use = matches!(
        prev,
        "no" | "any" | "every" | "some" | "each" | "at" | "the" | "that" | "this" | "which" | "no-"
    );
    let noun_next = next.chars().all(char::is_alphabetic)
        && !next.is_empty()
        && !matches!(
            next,
            "of" | "another"
                | "side"
                | "way"
                | "day"
                | "thing"
                | "point"
                | "time"
                | "who"
                | "that"
                | "which"
                | "i"
                | "you"
                | "he"
                | "she"
                | "we"
                | "they"
                | "it"
                | "is"
                | "was"
                | "has"
                | "had"
                | "can"
                | "could"
                | "would"
                | "will"
                | "likes"
                | "in"
                | "on"
                | "and"
                | "or"
                | "but"
                | "to"
                | "more"
                | "less"
                | "last"
                | "hand"
        );
    !pronoun_use && noun_next
}

/// "the number of Palestinians killed in Gaza has risen to 69,176": the phrase after an
/// earlier "number of" / "toll of" in the sentence.
fn number_of_phrase(words: &[&str], lower: &[String], before: usize) -> Option<String> {
    let at = (0..before).rev().find(|&k| {
        k + 1 < before
            && lower[k + 1] == "of"
            && matches!(lower[k].as_str(), "number" | "toll" | "tally" | "count")
    })?;
    let mut phrase = Vec::new();
    for k in at + 2..before {
        let l = lower[k].as_str();
        if matches!(
            l,
            "has"
                | "have"
                | "had"
                | "is"
                | "was"
                | "were"
                | "are"
                | "rose"
                | "risen"
                | "stood"
                | "stands"
                | "reached"
                | "climbed"
                | ","
                | "."
        ) {
            break;
        }
        phrase.push(words[k]);
        if phrase.len() >= 6 {
            break;
        }
    }
    while phrase
        .first()
        .is_some_and(|w| matches!(w.to_lowercase().as_str(), "the" | "a"))
    {
        phrase.remove(0);
    }
    (!phrase.is_empty()).then(|| phrase.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize_into;

    fn q(s: &str) -> Vec<Quantity> {
        let mut t = Vec::new();
        tokenize_into(s, 0, s.len(), &mut t);
        let mut out = Vec::new();
        sentence_quantities(s, &t, 0..t.len(), &|_, _| false, &mut out);
        out
    }

    #[test]
    fn amounts_units_and_counts() {
        let v = q("Iraq has so far received 2,225 ISIS group detainees.");
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].value, 2225.0);
        assert_eq!(v[0].counts.as_deref(), Some("ISIS group detainees"));
        assert_eq!(v[0].qualifier, Qualifier::Exact);

        let v = q("the World Bank approved $250 million to support reconstruction");
        assert_eq!(v[0].value, 250e6);
        assert_eq!(v[0].unit.as_deref(), Some("USD"));

        let v = q("He highlighted 10,000 Russian troops stationed in Syria");
        assert_eq!(v[0].counts.as_deref(), Some("Russian troops"));

        let v = q("the number of Palestinians killed in Gaza has risen to 69,176.");
        assert_eq!(v[0].value, 69176.0);
        assert_eq!(v[0].counts.as_deref(), Some("Palestinians killed in Gaza"));

        let v = q("The new leadership controls 90% of Syrian territory");
        assert_eq!(v[0].unit.as_deref(), Some("%"));
        assert_eq!(v[0].value, 90.0);

        let v = q("some 420km east of the capital");
        assert_eq!(v[0].unit.as_deref(), Some("km"));
        assert_eq!(v[0].qualifier, Qualifier::Approximate);
    }

    #[test]
    fn qualifiers() {
        let v = q("the proposed deal for about 200 fighters");
        assert_eq!(
            (v[0].value, v[0].qualifier),
            (200.0, Qualifier::Approximate)
        );
        let v = q("safe passage for more than 100 fighters");
        assert_eq!((v[0].value, v[0].qualifier), (100.0, Qualifier::AtLeast));
        let v = q("has killed nearly 69,000 Palestinians");
        assert_eq!((v[0].value, v[0].qualifier), (69000.0, Qualifier::AtMost));
        assert_eq!(v[0].counts.as_deref(), Some("Palestinians"));
        let v = q("among up to 7,000 ISIS detainees");
        assert_eq!(v[0].qualifier, Qualifier::AtMost);
        let v = q("a lawsuit involving as many as 1.5 million women seeking back pay");
        assert_eq!((v[0].value, v[0].qualifier), (1.5e6, Qualifier::AtMost));
        let v = q("no fewer than 12 ships");
        assert_eq!(v[0].qualifier, Qualifier::AtLeast);
        let v = q("he had misspoken several times about his service");
        assert_eq!(v[0].qualifier, Qualifier::Vague);
        assert_eq!(v[0].counts.as_deref(), Some("times"));
        let v = q("he had misspoken twice about his service");
        assert_eq!((v[0].value, v[0].qualifier), (2.0, Qualifier::Exact));
        assert_eq!(v[0].counts.as_deref(), Some("times"));
        let v = q("a handful of protesters stayed");
        assert_eq!(v[0].counts.as_deref(), Some("protesters"));
        assert!(
            q("few people came").is_empty(),
            "'few' alone says fewer than expected"
        );
        let v = q("killing at least 24 people, including eight children");
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].qualifier, Qualifier::AtLeast);
        assert_eq!(
            (v[1].value, v[1].counts.as_deref()),
            (8.0, Some("children"))
        );
        let v = q("hold tens of thousands of people");
        assert_eq!((v[0].value, v[0].qualifier), (20000.0, Qualifier::AtLeast));
        assert_eq!(v[0].counts.as_deref(), Some("people"));
    }

    #[test]
    fn scaled_and_named() {
        let v = q("Close to three dozen House Democrats have signed a letter");
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].value, 36.0);
        assert!(q("He appeared to endorse the Park 51 project").is_empty());
        let v = q("cut Medicare by $800 billion -- that means");
        assert_eq!(v[0].counts, None);
    }

    #[test]
    fn not_quantities() {
        assert!(q("UN Security Council resolution 2254 remains the framework").is_empty());
        assert!(q("ISIS seized swathes of Iraq starting in 2014").is_empty());
        assert!(q("one of the sources said").is_empty());
        assert!(q("No one I have ever talked to.").is_empty());
        assert!(q("At one point he suggested it.").is_empty());
        assert!(q("He stands with the 9/11 families and 24/7 news.").is_empty());
        assert_eq!(q("one man was killed")[0].counts.as_deref(), Some("man"));
    }
}
