//! Lemmas and event words: general English knowledge shared by the stages that read events
//! out of text (stories compare the happening a headline names; claims attach dates and counts
//! to event words).

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
    static IRREGULAR_MAP: std::sync::OnceLock<
        std::collections::HashMap<&'static str, &'static str>,
    > = std::sync::OnceLock::new();
    let irregular = IRREGULAR_MAP.get_or_init(|| IRREGULAR.iter().copied().collect());
    if let Some(l) = irregular.get(w.as_str()) {
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
    ("surrender", &["surrender", "capitulate", "capitulation"]),
    (
        "message",
        &[
            "message",
            "letter",
            "congratulate",
            "congratulation",
            "condolence",
        ],
    ),
];

/// The event class of a lemma, if it names an event.
pub fn event_class(lemma: &str) -> Option<&'static str> {
    // Called for every token of every sentence: a hash lookup, not a scan of the lists.
    static INDEX: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    INDEX
        .get_or_init(|| {
            let mut m = std::collections::HashMap::new();
            for (class, words) in EVENT_CLASSES {
                for w in *words {
                    m.entry(*w).or_insert(*class);
                }
            }
            m
        })
        .get(lemma)
        .copied()
}

/// Whether two event classes can name the same happening: equal, or of one family (a meeting
/// and a visit; a killing, a wounding and an attack; an arrest and a seizure).
pub fn same_happening(a: &str, b: &str) -> bool {
    a == b || family(a) == family(b)
}

/// Event classes that can name the same happening.
const FAMILIES: &[&[&str]] = &[
    &["meet", "visit", "arrive"],
    &["kill", "wound", "attack"],
    &["arrest", "seize"],
    &["announce", "approve", "agree", "sign"],
    &["oust", "flee"],
    &["withdraw", "deploy"],
];

/// The family an event class belongs to, named by its first member (a ruler's ouster and his
/// flight are one downfall: both "oust").
pub fn family(class: &str) -> &str {
    FAMILIES
        .iter()
        .find(|f| f.contains(&class))
        .map(|f| f[0])
        .unwrap_or(class)
}

/// The happening a headline (or a lead sentence) names: the class of its first event word
/// ("Syria's Sharaa meets Putin" -> meet; "Israel Receives Body of a Hostage" -> receive).
pub fn happening(text: &str) -> Option<&'static str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .find_map(|w| event_class(&lemma(w)))
}

/// Closed-class words (articles, prepositions, conjunctions, pronouns, auxiliaries): never the
/// head of a counted phrase nor a noun. Shared by the quantities layer and the claims stage,
/// which add their own words.
pub const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "of", "in", "on", "at", "to", "from", "for", "with", "by", "as", "and", "or",
    "but", "that", "which", "who", "this", "is", "are", "was", "were", "be", "been", "has", "have",
    "had", "will", "would", "said", "says", "since", "after", "before", "while", "when", "its",
    "their", "his", "her", "ago", "earlier", "later", "last", "next", "this",
];
