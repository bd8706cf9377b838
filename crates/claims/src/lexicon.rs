//! Word lists: general English knowledge the claim rules need (reporting verbs, event verbs and
//! their nominalisations grouped into classes, hedges, negations, news agencies, ordinals).

/// Lemma of an English word: irregular forms, then suffix rules ("fleeing" -> "flee",
/// "killed" -> "kill", "detainees" -> "detainee").
pub fn lemma(w: &str) -> String {
    let w = w.to_lowercase();
    const IRREGULAR: &[(&str, &str)] = &[
        ("fled", "flee"),
        ("fleeing", "flee"),
        ("flees", "flee"),
        ("met", "meet"),
        ("meeting", "meet"),
        ("held", "hold"),
        ("took", "take"),
        ("taken", "take"),
        ("began", "begin"),
        ("begun", "begin"),
        ("won", "win"),
        ("fell", "fall"),
        ("fallen", "fall"),
        ("went", "go"),
        ("gone", "go"),
        ("came", "come"),
        ("sent", "send"),
        ("said", "say"),
        ("says", "say"),
        ("told", "tell"),
        ("made", "make"),
        ("left", "leave"),
        ("led", "lead"),
        ("sworn", "swear"),
        ("swore", "swear"),
        ("killed", "kill"),
        ("died", "die"),
        ("dead", "die"),
        ("struck", "strike"),
        ("seized", "seize"),
        ("brought", "bring"),
        ("caught", "catch"),
        ("fought", "fight"),
        ("sought", "seek"),
        ("paid", "pay"),
        ("hid", "hide"),
        ("hidden", "hide"),
        ("shot", "shoot"),
        ("people", "people"),
        ("children", "child"),
        ("men", "man"),
        ("women", "woman"),
        ("police", "police"),
        ("news", "news"),
        ("troops", "troop"),
        ("remains", "remains"),
        ("was", "be"),
        ("were", "be"),
        ("is", "be"),
        ("are", "be"),
        ("been", "be"),
        ("has", "have"),
        ("had", "have"),
        ("having", "have"),
        ("does", "do"),
        ("did", "do"),
        ("visited", "visit"),
        ("visiting", "visit"),
        ("visits", "visit"),
    ];
    if let Some((_, l)) = IRREGULAR.iter().find(|(f, _)| *f == w) {
        return l.to_string();
    }
    let n = w.len();
    if n > 5 && w.ends_with("ies") {
        return format!("{}y", &w[..n - 3]);
    }
    if n > 5
        && (w.ends_with("sses") || w.ends_with("shes") || w.ends_with("ches") || w.ends_with("xes"))
    {
        return w[..n - 2].to_string();
    }
    if n > 5 && w.ends_with("ing") {
        let stem = &w[..n - 3];
        return restore_e(stem);
    }
    if n > 4 && w.ends_with("ed") {
        let stem = &w[..n - 2];
        if let Some(base) = stem.strip_suffix('i') {
            return format!("{base}y");
        }
        if w.ends_with("eed") {
            return w[..n - 1].to_string();
        }
        return restore_e(stem);
    }
    if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return w[..n - 1].to_string();
    }
    w
}

/// Undo "-ing"/"-ed" stemming damage: doubled consonants ("transferred" -> "transfer") and a
/// dropped "e" ("released" -> "release").
fn restore_e(stem: &str) -> String {
    let b = stem.as_bytes();
    let n = b.len();
    if n >= 3 && b[n - 1] == b[n - 2] && !matches!(b[n - 1], b'l' | b's' | b'z' | b'e') {
        return stem[..n - 1].to_string();
    }
    const NEEDS_E: &[&str] = &[
        "releas",
        "caus",
        "forc",
        "clos",
        "receiv",
        "surviv",
        "arriv",
        "continu",
        "captur",
        "seiz",
        "rais",
        "declin",
        "announc",
        "promis",
        "issu",
        "argu",
        "pledg",
        "charg",
        "chang",
        "prais",
        "us",
        "stat",
        "tak",
        "mak",
        "evacuat",
        "negotiat",
        "locat",
        "estimat",
        "indicat",
        "celebrat",
        "liberat",
        "participat",
        "deport",
        "creat",
        "dissolv",
        "involv",
        "resolv",
        "retir",
        "resum",
        "assum",
        "hous",
        "sav",
        "fac",
        "plac",
        "replac",
        "reduc",
        "produc",
        "introduc",
        "welcom",
        "schedul",
        "escap",
        "invad",
        "oppos",
        "propos",
        "expos",
        "impos",
        "compos",
        "dispos",
        "sentenc",
        "ceas",
        "refus",
        "accus",
        "excus",
        "abus",
        "structur",
        "combin",
        "determin",
        "examin",
        "shelter",
    ];
    if NEEDS_E.contains(&stem) {
        return format!("{stem}e");
    }
    stem.to_string()
}

/// Event classes: verbs and their nominalisations that name the same kind of happening.
/// Claims about the same subject and class share a slot.
const EVENT_CLASSES: &[(&str, &[&str])] = &[
    ("flee", &["flee", "flight", "escape", "exile"]),
    (
        "oust",
        &[
            "oust",
            "ouster",
            "overthrow",
            "topple",
            "depose",
            "fall",
            "collapse",
            "downfall",
        ],
    ),
    (
        "meet",
        &["meet", "meeting", "talks", "summit", "host", "welcome"],
    ),
    ("visit", &["visit", "trip", "tour"]),
    (
        "kill",
        &["kill", "killing", "die", "death", "dead", "slay", "toll"],
    ),
    ("wound", &["wound", "injure", "injury", "hurt"]),
    ("arrest", &["arrest", "detain", "detention", "capture"]),
    (
        "release",
        &[
            "release",
            "free",
            "return",
            "hand",
            "handover",
            "repatriate",
            "repatriation",
        ],
    ),
    ("seize", &["seize", "abduct", "kidnap", "hostage-taking"]),
    ("transfer", &["transfer", "move", "relocate", "deport"]),
    ("receive", &["receive"]),
    ("sign", &["sign", "signing"]),
    (
        "appoint",
        &[
            "appoint",
            "appointment",
            "swear",
            "inaugurate",
            "inauguration",
            "elect",
            "election",
            "name",
        ],
    ),
    (
        "attack",
        &[
            "attack",
            "strike",
            "airstrike",
            "bomb",
            "bombing",
            "shell",
            "raid",
            "assault",
        ],
    ),
    (
        "deploy",
        &[
            "deploy",
            "deployment",
            "station",
            "send",
            "participate",
            "join",
        ],
    ),
    (
        "withdraw",
        &[
            "withdraw",
            "withdrawal",
            "pull",
            "evacuate",
            "evacuation",
            "leave",
        ],
    ),
    ("arrive", &["arrive", "arrival", "land"]),
    (
        "begin",
        &["begin", "start", "launch", "erupt", "outbreak", "plunge"],
    ),
    ("end", &["end", "finish", "complete", "conclude"]),
    (
        "announce",
        &["announce", "announcement", "declare", "unveil"],
    ),
    (
        "approve",
        &[
            "approve", "approval", "pledge", "offer", "grant", "allocate", "award",
        ],
    ),
    ("cost", &["cost", "estimate"]),
    ("displace", &["displace", "displacement", "flee-home"]),
    ("intervene", &["intervene", "intervention"]),
    ("ceasefire", &["ceasefire", "truce"]),
    ("agree", &["agree", "agreement", "deal", "accord"]),
];

/// Classes of happenings that occur once for their subject (a ruler flees, is ousted, dies
/// once): their dates are compared across all events of a thread. Other classes (meetings,
/// visits, announcements) recur, so their dates are compared within one event only.
pub const ONCE: &[&str] = &["flee", "oust", "kill"];

/// Classes whose counts are tallies that later reports restate (casualties, displacement):
/// compared across the events of a thread.
pub const TALLIES: &[&str] = &["kill", "wound", "displace", "arrest", "seize", "release"];

/// The event class of a lemma, if it names an event.
pub fn event_class(lemma: &str) -> Option<&'static str> {
    EVENT_CLASSES
        .iter()
        .find(|(_, words)| words.contains(&lemma))
        .map(|(c, _)| *c)
}

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
