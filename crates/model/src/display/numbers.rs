//! Numbers and amounts in words: thousands separators, scale words for exact round amounts,
//! currencies and percentages.

/// Scale words, largest first, for amounts of a million and more.
const SCALES: [(f64, &str); 3] = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")];

/// Currency symbols written before the amount ("$250 million"); other ISO 4217 codes are
/// written before it with a space ("RUB 250 million").
const SYMBOLS: [(&str, &str); 4] = [("USD", "$"), ("EUR", "€"), ("GBP", "£"), ("JPY", "¥")];

/// A number as a reader writes it: "12,500", "5,587.75", "250 million", "1.5 billion". A
/// scale word is used only when it loses nothing (1,234,567 stays whole), so the shown number
/// is always the stated one.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if let Some(s) = scaled(x.abs()) {
        return if x < 0.0 { format!("-{s}") } else { s };
    }
    let plain = format!("{}", x.abs());
    let (whole, frac) = match plain.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (plain.as_str(), None),
    };
    let mut s = String::with_capacity(plain.len() + whole.len() / 3 + 1);
    if x < 0.0 {
        s.push('-');
    }
    s.push_str(&group_thousands(whole));
    if let Some(f) = frac {
        s.push('.');
        s.push_str(f);
    }
    s
}

/// `x` (not negative) as "<n> million|billion|trillion" when at most two decimals of the
/// scaled number give exactly `x`.
fn scaled(x: f64) -> Option<String> {
    let &(scale, word) = SCALES.iter().find(|(s, _)| x >= *s && x < s * 1000.0)?;
    let hundredths = (x / scale * 100.0).round();
    // Exact to the unit: the amount is a whole number that the two decimals reproduce.
    if x.fract() != 0.0 || (hundredths * scale / 100.0 - x).abs() >= 0.5 {
        return None;
    }
    Some(format!("{} {word}", hundredths / 100.0))
}

/// Digits with a comma every three from the right: "1234567" -> "1,234,567".
fn group_thousands(digits: &str) -> String {
    let n = digits.len();
    let mut s = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            s.push(',');
        }
        s.push(c);
    }
    s
}

/// A number with the unit the quantities layer gives it: an ISO 4217 code ("$250 million",
/// "RUB 3 billion"), "%" ("3.5%") or a measure word ("420 km"); a bare count without one.
pub fn amount(x: f64, unit: Option<&str>) -> String {
    let n = number(x);
    let Some(u) = unit.map(str::trim).filter(|u| !u.is_empty()) else {
        return n;
    };
    if u == "%" {
        return format!("{n}%");
    }
    if let Some((_, sym)) = SYMBOLS.iter().find(|(code, _)| *code == u) {
        return match n.strip_prefix('-') {
            Some(abs) => format!("-{sym}{abs}"),
            None => format!("{sym}{n}"),
        };
    }
    let currency = u.len() == 3 && u.bytes().all(|b| b.is_ascii_uppercase());
    if currency {
        format!("{u} {n}")
    } else {
        format!("{n} {u}")
    }
}

/// Ordinal words up to ten, as a reader writes them.
const ORDINAL_WORDS: [&str; 10] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
];

/// A rank as a reader writes it: "first" to "tenth", then "11th", "21st", "102nd"; a number
/// that is no rank (0, negative, fractional) as [`number`].
pub fn ordinal(x: f64) -> String {
    if x.fract() != 0.0 || !(1.0..1e15).contains(&x) {
        return number(x);
    }
    let n = x as u64;
    if n <= 10 {
        return ORDINAL_WORDS[n as usize - 1].to_string();
    }
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{}{suffix}", group_thousands(&n.to_string()))
}
