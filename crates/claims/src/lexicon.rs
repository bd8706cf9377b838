//! Word lists: general English knowledge the claim rules need (reporting verbs, event verbs and
//! their nominalisations grouped into classes, hedges, negations, news agencies, ordinals).

pub use lang::lexicon::{event_class, lemma};

/// Classes of happenings that occur once for their subject (a ruler flees, is ousted, dies
/// once): their dates are compared across all events of a thread. Other classes (meetings,
/// visits, announcements) recur, so their dates are compared within one event only.
pub const ONCE: &[&str] = &["flee", "oust", "kill"];

/// Classes whose counts are tallies that later reports restate (casualties, displacement):
/// compared across the events of a thread.
pub const TALLIES: &[&str] = &["kill", "wound", "displace", "arrest", "seize", "release"];

/// Further classes whose counts are one fact across reports of one event (troops deployed,
/// people moved); counts of other happenings only corroborate.
pub const COUNTED: &[&str] = &["deploy", "transfer", "evacuate", AGE];

/// The predicate of a person's stated age ("McCarthy, 49,"): one fact across an event's reports.
pub const AGE: &str = "age";

/// Reporting verbs (lemmas) that attribute a statement to a speaker.
pub const REPORTING: &[&str] = &[
    "say",
    "tell",
    "announce",
    "confirm",
    "deny",
    "add",
    "note",
    "state",
    "declare",
    "claim",
    "insist",
    "warn",
    "report",
    "acknowledge",
    "allege",
    "assert",
    "explain",
    "stress",
    "indicate",
    "reveal",
    "disclose",
    "write",
    "quote",
    "argue",
    "estimate",
    "accuse",
    "urge",
    "reject",
    "rule",
    "dismiss",
    "maintain",
    "decline",
    "predict",
    "highlight",
    "emphasize",
    "emphasise",
    "reaffirm",
    "announced",
];

/// Words before a reporting verb's form that make it a noun or a participle without a speaker
/// ("the report", "secretary of state", "newly confirmed", "was announced").
pub const NOT_BEFORE_REPORTING: &[&str] = &[
    "the", "a", "an", "to", "will", "of", "by", "newly", "recently", "was", "were", "is", "are",
    "be", "been", "being", "his", "her", "its", "their", "our", "my", "your", "this",
];

/// Reporting verbs whose "-s" form is also a plural noun ("Arab states", "these claims").
pub const ALSO_NOUNS: &[&str] = &[
    "state",
    "claim",
    "report",
    "estimate",
    "note",
    "quote",
    "rule",
    "highlight",
    "stress",
];

/// Words that mark a statement as second-hand.
pub const REPORTED: &[&str] = &["reportedly", "allegedly", "purportedly", "according"];

/// Words that hedge a statement.
pub const HEDGES: &[&str] = &[
    "may",
    "might",
    "could",
    "possibly",
    "possible",
    "perhaps",
    "likely",
    "unlikely",
    "apparently",
    "suggest",
    "suggests",
    "suggesting",
    "suggested",
    "hint",
    "hints",
    "hinted",
    "leaks",
    "speculation",
    "unconfirmed",
    "rumored",
    "rumoured",
    "indications",
    "seemingly",
    "appears",
    "appeared",
    "reportedly",
];

/// Words that mark a plan or intention.
pub const PLANS: &[&str] = &[
    "plan",
    "plans",
    "planned",
    "planning",
    "will",
    "would",
    "scheduled",
    "intends",
    "intend",
    "aims",
    "aim",
    "aimed",
    "set",
    "pending",
    "proposed",
    "propose",
    "upcoming",
    "invitation",
];

pub const EXPECTATION: &[&str] = &["expected", "expects", "expect", "anticipated", "forecast"];

pub const NEGATIONS: &[&str] = &[
    "not", "no", "never", "n't", "nor", "without", "neither", "none", "denied", "denies", "deny",
    "ruled", "rules", "rejected", "rejects",
];

/// News agencies: a claim credited to one of them ("told AFP", "according to Reuters") has
/// that agency as its origin, not the outlet that reprints it.
pub const AGENCIES: &[(&str, &str)] = &[
    ("afp", "AFP"),
    ("agence france-presse", "AFP"),
    ("reuters", "Reuters"),
    ("ap", "AP"),
    ("associated press", "AP"),
    ("the associated press", "AP"),
    ("dpa", "dpa"),
    ("tass", "TASS"),
    ("ria novosti", "RIA Novosti"),
    ("xinhua", "Xinhua"),
    ("anadolu", "Anadolu"),
    ("anadolu agency", "Anadolu"),
    ("efe", "EFE"),
    ("ansa", "ANSA"),
    ("kyodo", "Kyodo"),
    ("yonhap", "Yonhap"),
    ("bloomberg", "Bloomberg"),
    ("upi", "UPI"),
    ("interfax", "Interfax"),
    ("sana", "SANA"),
    ("wafa", "WAFA"),
    ("irna", "IRNA"),
    ("pti", "PTI"),
    ("bernama", "Bernama"),
    ("epa", "EPA"),
];

pub fn agency(name: &str) -> Option<&'static str> {
    let n = name.to_lowercase();
    AGENCIES.iter().find(|(k, _)| *k == n).map(|(_, v)| *v)
}

/// Ordinal words and their numbers.
pub fn ordinal(w: &str) -> Option<u32> {
    let l = w.to_lowercase();
    const WORDS: &[&str] = &[
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth", "eleventh", "twelfth",
    ];
    if let Some(i) = WORDS.iter().position(|x| *x == l) {
        return Some(i as u32 + 1);
    }
    let digits = l.trim_end_matches(|c: char| c.is_alphabetic());
    let suffix = &l[digits.len()..];
    if !digits.is_empty() && matches!(suffix, "st" | "nd" | "rd" | "th") {
        return digits.parse().ok();
    }
    None
}

/// Status words: agreed / under negotiation / denied / not agreed.
pub fn status_of(lemma: &str) -> Option<&'static str> {
    Some(match lemma {
        "agree" | "sign" | "conclude" | "finalize" | "finalise" | "seal" | "reach" => "agreed",
        "negotiate" | "discuss" | "negotiation" | "talk" | "deliberation" | "consider" => {
            "under_negotiation"
        }
        "deny" | "reject" | "refuse" | "rule" | "dismiss" => "denied",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lemmas() {
        for (w, l) in [
            ("fleeing", "flee"),
            ("fled", "flee"),
            ("killed", "kill"),
            ("detainees", "detainee"),
            ("transferred", "transfer"),
            ("released", "release"),
            ("Palestinians", "palestinian"),
            ("children", "child"),
            ("visits", "visit"),
            ("stationed", "station"),
            ("countries", "country"),
            ("agreed", "agree"),
            ("discussed", "discuss"),
        ] {
            assert_eq!(lemma(w), l, "{w}");
        }
        assert_eq!(event_class("flight"), Some("flee"));
        assert_eq!(event_class("flee"), Some("flee"));
        assert_eq!(event_class("ouster"), Some("oust"));
        assert_eq!(ordinal("second"), Some(2));
        assert_eq!(ordinal("3rd"), Some(3));
    }
}
