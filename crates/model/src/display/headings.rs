//! Claim slot names as phrases.
//!
//! The claims stage names a slot by its kind, its subject (a name or the counted noun phrase)
//! and its predicate lemma: `when: Bashar al-Assad oust`, `how many: detainees (transfer) in
//! USD`, `which: al-Sharaa visit (2025-10)`, `whether: Russia withdraw`, or, for slots read
//! off aligned statements, `date of meet: <first words of the statement>`. [`heading`] reads
//! that structure back and builds an English phrase from its parts ("the date of Bashar
//! al-Assad's ouster", "how many detainees transferred"): the lemma becomes a noun, a
//! participle or a plural by English morphology, never by a table of sentences. A name it
//! does not recognise stays as it is.

/// A slot name as a phrase; `predicate` (the claims' predicate lemma, when known) tells where
/// the subject ends, else the subject is everything before the last word.
pub fn heading(slot: &str, predicate: Option<&str>) -> String {
    phrase(slot, predicate).unwrap_or_else(|| slot.to_string())
}

fn phrase(slot: &str, predicate: Option<&str>) -> Option<String> {
    let (kind, rest) = slot.split_once(": ")?;
    let rest = rest.trim();
    Some(match kind {
        "when" => {
            let (s, p) = subject_predicate(rest, predicate)?;
            format!("the date of {}", owned(s, &noun(p)))
        }
        "which" => {
            let (head, detail) = trailing_brackets(rest);
            let (s, p) = subject_predicate(head, predicate)?;
            let mut out = format!("which of {}", owned(s, &plural(&noun(p))));
            if let Some(d) = detail {
                out.push_str(&format!(" ({})", super::date(d)));
            }
            out
        }
        "whether" => {
            let (s, p) = subject_predicate(rest, predicate)?;
            format!("whether {s} would {p}").replace("  ", " ")
        }
        "how many" => how_many(rest),
        // A statement is named by its own first words.
        "statement" => format!("“{rest}”"),
        "wording of" => format!("the wording of “{rest}”"),
        "who" => format!("the role named in “{}”", rest.strip_suffix(" (role)")?),
        _ => aligned(kind, rest)?,
    })
}

/// `S P` split into subject and predicate: at `predicate` when the name ends with it, else
/// at the last space (the subject may be empty).
fn subject_predicate<'a>(rest: &'a str, predicate: Option<&str>) -> Option<(&'a str, &'a str)> {
    if let Some(p) = predicate.filter(|p| !p.is_empty())
        && let Some(s) = rest.strip_suffix(p)
        && (s.is_empty() || s.ends_with(' '))
    {
        return Some((s.trim_end(), &rest[s.len()..]));
    }
    match rest.rsplit_once(' ') {
        Some((s, p)) => Some((s, p)),
        None if !rest.is_empty() => Some(("", rest)),
        None => None,
    }
}

/// `text (detail)` split into its text and the detail in its last brackets.
fn trailing_brackets(s: &str) -> (&str, Option<&str>) {
    match s.strip_suffix(')').and_then(|x| x.rsplit_once(" (")) {
        Some((head, detail)) => (head, Some(detail)),
        None => (s, None),
    }
}

/// `how many: S[ (P)][ in UNIT]` as a question.
fn how_many(rest: &str) -> String {
    let (rest, unit) = match rest.rsplit_once(" in ") {
        Some((r, u)) if is_unit(u) => (r, Some(u)),
        _ => (rest, None),
    };
    let (subject, predicate) = trailing_brackets(rest);
    let done = predicate
        .map(|p| format!(" {}", participle(p)))
        .unwrap_or_default();
    match unit {
        None => format!("how many {subject}{done}"),
        Some("%") => format!("what share of {subject}{done}"),
        Some(u) if is_currency(u) => format!("how much {subject}{done}, in {u}"),
        Some(u) => format!("how many {u} of {subject}{done}"),
    }
}

/// Units the quantities layer writes: "%", an ISO 4217 code or one lower-case measure word
/// ("km", "barrels"; "MW" and "GW" too); a place ("in Gaza") is none of these.
fn is_unit(u: &str) -> bool {
    let measure = !u.is_empty() && u.bytes().all(|b| b.is_ascii_lowercase());
    u == "%" || is_currency(u) || measure || matches!(u, "MW" | "GW")
}

fn is_currency(u: &str) -> bool {
    u.len() == 3 && u.bytes().all(|b| b.is_ascii_uppercase())
}

/// `KIND of ANCHOR: STATEMENT` (a value two aligned statements disagree on).
fn aligned(kind: &str, statement: &str) -> Option<String> {
    let (kind, anchor) = kind.split_once(" of ")?;
    Some(match kind {
        "date" => format!("the date of the {} in “{statement}”", noun(anchor)),
        "number" => format!("how many {} in “{statement}”", plural(anchor)),
        _ => format!("the {kind} of “{anchor}” in “{statement}”"),
    })
}

/// `thing` as the subject's: "Bashar al-Assad's ouster", "the ouster" without a subject.
fn owned(subject: &str, thing: &str) -> String {
    match subject {
        "" => format!("the {thing}"),
        s if s.ends_with('s') => format!("{s}' {thing}"),
        s => format!("{s}'s {thing}"),
    }
}

/// English deverbal nouns that are neither the verb itself nor its "-ing" form, for the
/// event words the language layer knows (its event classes) and a few common verbs.
const NOUNS: &[(&str, &str)] = &[
    ("flee", "flight"),
    ("oust", "ouster"),
    ("seize", "seizure"),
    ("appoint", "appointment"),
    ("deploy", "deployment"),
    ("withdraw", "withdrawal"),
    ("arrive", "arrival"),
    ("announce", "announcement"),
    ("approve", "approval"),
    ("displace", "displacement"),
    ("intervene", "intervention"),
    ("agree", "agreement"),
    ("receive", "receipt"),
    ("elect", "election"),
    ("die", "death"),
    ("fall", "fall"),
];

/// Verbs whose noun is the verb itself ("a visit", "an arrest").
const SAME_NOUN: &[&str] = &[
    "visit",
    "arrest",
    "release",
    "transfer",
    "attack",
    "end",
    "cost",
    "ceasefire",
    "surrender",
    "message",
    "strike",
    "return",
    "raid",
    "vote",
];

/// The noun of a happening named by verb lemma `v`: its deverbal noun, else its "-ing" form.
fn noun(v: &str) -> String {
    if let Some((_, n)) = NOUNS.iter().find(|(x, _)| *x == v) {
        return n.to_string();
    }
    if SAME_NOUN.contains(&v) || v.contains(' ') || !v.bytes().all(|b| b.is_ascii_lowercase()) {
        return v.to_string();
    }
    with_suffix(v, "ing")
}

/// Irregular past participles of common verbs of news reports.
const PARTICIPLES: &[(&str, &str)] = &[
    ("flee", "fled"),
    ("meet", "met"),
    ("withdraw", "withdrawn"),
    ("begin", "begun"),
    ("cost", "cost"),
    ("hold", "held"),
    ("take", "taken"),
    ("give", "given"),
    ("leave", "left"),
    ("send", "sent"),
    ("shoot", "shot"),
    ("strike", "struck"),
    ("hit", "hit"),
    ("lose", "lost"),
    ("win", "won"),
    ("bring", "brought"),
    ("fight", "fought"),
    ("build", "built"),
    ("sell", "sold"),
    ("buy", "bought"),
    ("steal", "stolen"),
    ("spend", "spent"),
    ("hurt", "hurt"),
    ("put", "put"),
    ("cut", "cut"),
    ("set", "set"),
    ("swear", "sworn"),
    ("lead", "led"),
    ("pay", "paid"),
    ("make", "made"),
    ("say", "said"),
    ("tell", "told"),
    ("see", "seen"),
    ("go", "gone"),
    ("come", "come"),
    ("fall", "fallen"),
    ("break", "broken"),
    ("drive", "driven"),
    ("rise", "risen"),
    ("write", "written"),
    ("speak", "spoken"),
    ("choose", "chosen"),
    ("find", "found"),
    ("keep", "kept"),
    ("run", "run"),
];

/// The past participle of verb lemma `v` ("transfer" -> "transferred", "kill" -> "killed").
fn participle(v: &str) -> String {
    if let Some((_, p)) = PARTICIPLES.iter().find(|(x, _)| *x == v) {
        return p.to_string();
    }
    if v.contains(' ') || !v.bytes().all(|b| b.is_ascii_lowercase()) {
        return v.to_string();
    }
    with_suffix(v, "ed")
}

/// Verbs stressed on a last syllable that ends consonant-vowel-consonant, which double it
/// ("transferred", "occurring"); one-syllable verbs double by rule.
const DOUBLING: &[&str] = &[
    "transfer", "occur", "refer", "prefer", "admit", "commit", "submit", "omit", "permit",
    "control", "patrol", "compel", "expel", "propel", "rebel", "regret", "acquit", "deter",
    "begin",
];

/// `v` with "ed" or "ing" by the English spelling rules: a silent "e" drops ("seize" ->
/// "seized", "seizing"), "ie" becomes "y" before "ing" ("dying"), a consonant "y" becomes "i"
/// before "ed" ("deny" -> "denied"), and a stressed consonant-vowel-consonant end doubles.
fn with_suffix(v: &str, suffix: &str) -> String {
    let b = v.as_bytes();
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let n = b.len();
    if n == 0 {
        return suffix.to_string();
    }
    if suffix == "ing" && v.ends_with("ie") {
        return format!("{}ying", &v[..n - 2]);
    }
    if v.ends_with('e') {
        // "agree": "agreed", "agreeing"; "seize": "seized", "seizing".
        let keeps_e = v.ends_with("ee") || v.ends_with("ye") || v.ends_with("oe");
        return match suffix.strip_prefix('e') {
            Some(rest) => format!("{v}{rest}"),
            None if keeps_e => format!("{v}{suffix}"),
            None => format!("{}{suffix}", &v[..n - 1]),
        };
    }
    if suffix == "ed" && n >= 2 && b[n - 1] == b'y' && !vowel(b[n - 2]) {
        return format!("{}ied", &v[..n - 1]);
    }
    let vowel_groups = b
        .iter()
        .enumerate()
        .filter(|&(i, &c)| vowel(c) && (i == 0 || !vowel(b[i - 1])))
        .count();
    let cvc = n >= 3
        && !vowel(b[n - 1])
        && vowel(b[n - 2])
        && !vowel(b[n - 3])
        && !matches!(b[n - 1], b'w' | b'x' | b'y');
    if cvc && (vowel_groups == 1 || DOUBLING.contains(&v)) {
        return format!("{v}{}{suffix}", b[n - 1] as char);
    }
    format!("{v}{suffix}")
}

/// The plural of a noun ("visits", "seizures", "ceasefires", "casualties", "crashes").
fn plural(n: &str) -> String {
    let b = n.as_bytes();
    let len = b.len();
    if len >= 2 && b[len - 1] == b'y' && !matches!(b[len - 2], b'a' | b'e' | b'i' | b'o' | b'u') {
        return format!("{}ies", &n[..len - 1]);
    }
    if ["s", "x", "z", "ch", "sh"].iter().any(|e| n.ends_with(e)) {
        return format!("{n}es");
    }
    format!("{n}s")
}
