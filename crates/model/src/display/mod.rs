//! Values as a person reads them: the one place where normalised machine values become words.
//!
//! The pipeline keeps values in normalised forms that compare well (TimeML dates such as
//! `2026-W04`, bare numbers such as `250000000`, slot names such as `when: X oust`); JSON keeps
//! them so. Every view a person reads (the text summary, the HTML report, the server's pages)
//! goes through this module instead: [`date`] ("the week of 19 January 2026"), [`number`] and
//! [`amount`] ("250 million", "$1.5 billion", "3.5%"), [`ordinal`] ("second"), [`qualified`] (a TimeML `mod` or a
//! number qualifier as a word), [`value`] and [`claim_value`] (any claim value) and [`heading`] (a claim slot as a
//! phrase). Each function returns the raw value when it does not recognise it: a reader may see
//! a machine value, never a wrong or missing one, and no input makes it panic.
//!
//! The output is plain text: callers that write HTML escape it like any other text.

mod dates;
mod headings;
mod numbers;
#[cfg(test)]
mod tests;

pub use dates::{MONTHS, civil_from_days, date, days_from_civil, days_in_month, week_monday};
pub use headings::heading;
pub use numbers::{amount, number, ordinal};

use serde_json::Value;

/// A TimeML `mod` or a number qualifier as words around `text` ("late 2024", "about 200");
/// an unknown qualifier is kept in brackets rather than dropped.
pub fn qualified(text: &str, qualifier: Option<&str>) -> String {
    let prefix = match qualifier.unwrap_or("") {
        "" | "exact" | "EXACT" => "",
        "START" => "early ",
        "MID" => "mid-",
        "END" => "late ",
        "APPROX" | "approximate" => "about ",
        "BEFORE" | "LESS_THAN" => "before ",
        "AFTER" | "MORE_THAN" => "after ",
        "ON_OR_BEFORE" | "EQUAL_OR_LESS" | "at_most" => "at most ",
        "ON_OR_AFTER" | "EQUAL_OR_MORE" | "at_least" => "at least ",
        // "several", "a few": the number is the layer's stand-in, not a stated figure.
        "vague" => return format!("a few ({text})"),
        other => return format!("{text} ({other})"),
    };
    // A phrase with an article ("the week of ...") takes "late in", not "late".
    let phrase = text.starts_with("the ");
    match prefix {
        "early " | "late " if phrase => format!("{prefix}in {text}"),
        "mid-" if phrase => format!("in the middle of {text}"),
        _ => format!("{prefix}{text}"),
    }
}

/// A value of a claim of `kind` as words: an ordinal claim's number as a rank ("second"),
/// any other as [`value`].
pub fn claim_value(kind: &str, v: &Value, qualifier: Option<&str>, unit: Option<&str>) -> String {
    match v.as_f64() {
        Some(x) if kind == "ordinal" => qualified(&ordinal(x), qualifier),
        _ => value(v, qualifier, unit),
    }
}

/// A claim or slot value as words: strings as dates when they are TimeML values (else as
/// they are), numbers with `unit` ([`amount`]), then the qualifier ([`qualified`]).
pub fn value(v: &Value, qualifier: Option<&str>, unit: Option<&str>) -> String {
    let text = match v {
        Value::String(s) => date(s),
        Value::Null => "—".to_string(),
        Value::Number(n) => match n.as_f64() {
            Some(x) => amount(x, unit),
            None => n.to_string(),
        },
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    };
    qualified(&text, qualifier)
}
