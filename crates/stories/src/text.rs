//! Word features: a small tokenizer, stop words, a light plural stemmer, and name detection.
//!
//! Terms are hashed (64-bit XXH3 of the normalised form) so the clustering state holds no
//! strings per term.

use xxhash_rust::xxh3::xxh3_64;

/// One word of a text.
#[derive(Debug, Clone, Copy)]
pub struct Word<'a> {
    /// The word as written (letters and digits only).
    pub raw: &'a str,
    /// Byte offset in the text.
    pub start: usize,
    /// Capitalised and not the first word of a sentence: likely part of a name.
    pub name: bool,
    /// Directly follows the previous word with only a space or hyphen between (for name
    /// bigrams such as "Tara Reid" or "al-Sharaa").
    pub joined: bool,
}

/// Splits `text` into words (runs of letters and digits). Apostrophes end a word ("Russia's"
/// gives "Russia" and "s"); hyphens too, so "al-Sharaa" and "Al-Sharaa" both give "al",
/// "sharaa".
pub fn words<'a>(text: &'a str) -> Vec<Word<'a>> {
    let mut out = Vec::with_capacity(text.len() / 6 + 4);
    let mut sentence_start = true;
    let mut gap_ok = false;
    let mut start: Option<usize> = None;
    let push =
        |out: &mut Vec<Word<'a>>, s: usize, e: usize, sentence_start: &mut bool, gap_ok: bool| {
            let raw = &text[s..e];
            let first = raw.chars().next().unwrap_or('a');
            let name = first.is_uppercase() && !*sentence_start;
            out.push(Word {
                raw,
                start: s,
                name,
                joined: gap_ok,
            });
            *sentence_start = false;
        };
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        if let Some(s) = start.take() {
            push(&mut out, s, i, &mut sentence_start, gap_ok);
            gap_ok = true;
        }
        match c {
            '.' | '!' | '?' | '\n' | ':' | ';' | '"' | '“' | '”' | '(' | ')' => {
                // A full stop after a single capital ("U.S.", "J.") is not a sentence end.
                let prev = out
                    .last()
                    .map(|w| w.raw.len() <= 2 && w.name)
                    .unwrap_or(false);
                if !(c == '.' && prev) {
                    sentence_start = true;
                }
                gap_ok = false;
            }
            ' ' | '-' | '\u{2010}' | '\u{2011}' => {}
            _ => gap_ok = false,
        }
    }
    if let Some(s) = start {
        push(&mut out, s, text.len(), &mut sentence_start, gap_ok);
    }
    out
}

/// Lower-cases `w` and strips a plural ending, so "visits"/"visit" and "Talks"/"talks" meet.
pub fn normalise(w: &str, buf: &mut String) {
    buf.clear();
    if w.is_ascii() {
        buf.push_str(w);
        buf.make_ascii_lowercase();
    } else {
        for c in w.chars() {
            buf.extend(c.to_lowercase());
        }
    }
    let n = buf.len();
    if n > 4 && buf.ends_with("ies") {
        buf.truncate(n - 3);
        buf.push('y');
    } else if n > 3
        && buf.ends_with('s')
        && !buf.ends_with("ss")
        && !buf.ends_with("us")
        && !buf.ends_with("is")
        && buf.is_ascii()
    {
        buf.truncate(n - 1);
    }
}

/// Hash of a normalised term.
pub fn term_hash(t: &str) -> u64 {
    xxh3_64(t.as_bytes())
}

/// Hash of a name bigram ("tara reid").
pub fn bigram_hash(a: &str, b: &str) -> u64 {
    xxh3_64(a.as_bytes()) ^ xxh3_64(b.as_bytes()).rotate_left(17) ^ 0x9e37_79b9_7f4a_7c15
}

/// Hash of a linked entity id (from the language layer).
pub fn entity_hash(id: &str) -> u64 {
    xxh3_64(id.as_bytes()) ^ 0x5bd1_e995_1234_5678
}

/// Whether the term with hash `h` (of [`term_hash`]) is a stop word: function words and news
/// boilerplate that say nothing about which event a text reports. Weekday names are stop
/// words on purpose: "on Wednesday" is shared by unrelated events and is handled by the date
/// features instead.
pub fn is_stop_hash(h: u64) -> bool {
    stop_hashes().contains(&h)
}

fn stop_hashes() -> &'static rustc_hash::FxHashSet<u64> {
    static SET: std::sync::OnceLock<rustc_hash::FxHashSet<u64>> = std::sync::OnceLock::new();
    SET.get_or_init(|| STOP.iter().map(|w| term_hash(w)).collect())
}

// Sorted (binary search); normalised forms (after `normalise`).
static STOP: &[&str] = &[
    "about",
    "above",
    "according",
    "across",
    "after",
    "again",
    "against",
    "ago",
    "all",
    "almost",
    "along",
    "already",
    "also",
    "although",
    "always",
    "am",
    "amid",
    "among",
    "an",
    "and",
    "another",
    "any",
    "anyone",
    "anything",
    "are",
    "around",
    "as",
    "ask",
    "asked",
    "at",
    "away",
    "back",
    "be",
    "became",
    "because",
    "become",
    "been",
    "before",
    "began",
    "behind",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "call",
    "called",
    "came",
    "can",
    "cannot",
    "could",
    "day",
    "did",
    "do",
    "doe",
    "doing",
    "done",
    "down",
    "during",
    "each",
    "early",
    "either",
    "else",
    "end",
    "even",
    "ever",
    "every",
    "far",
    "few",
    "first",
    "for",
    "former",
    "friday",
    "from",
    "further",
    "gave",
    "get",
    "give",
    "given",
    "go",
    "going",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "if",
    "in",
    "including",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "know",
    "last",
    "later",
    "least",
    "less",
    "like",
    "made",
    "make",
    "many",
    "may",
    "me",
    "might",
    "monday",
    "more",
    "most",
    "mr",
    "mrs",
    "ms",
    "much",
    "must",
    "my",
    "near",
    "need",
    "never",
    "new",
    "next",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "often",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "own",
    "part",
    "per",
    "put",
    "rather",
    "re",
    "really",
    "reported",
    "said",
    "same",
    "saturday",
    "say",
    "saying",
    "says",
    "see",
    "seen",
    "set",
    "several",
    "she",
    "should",
    "since",
    "so",
    "some",
    "still",
    "such",
    "sunday",
    "take",
    "taken",
    "tell",
    "than",
    "that",
    "the",
    "their",
    "them",
    "themselve",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "three",
    "through",
    "thursday",
    "thus",
    "time",
    "to",
    "today",
    "told",
    "too",
    "took",
    "toward",
    "towards",
    "tuesday",
    "two",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "use",
    "used",
    "very",
    "via",
    "want",
    "was",
    "way",
    "we",
    "wednesday",
    "week",
    "well",
    "went",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "year",
    "yes",
    "yet",
    "you",
    "your",
];

/// Ordinal words and numerals ("second", "2nd", "81st") as numbers.
pub fn ordinal(w: &str) -> Option<u32> {
    let l = w.to_ascii_lowercase();
    let spelled = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth",
    ];
    if let Some(i) = spelled.iter().position(|s| *s == l) {
        return Some(i as u32 + 1);
    }
    let digits = l.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &l[digits.len()..];
    if !digits.is_empty()
        && digits.len() <= 3
        && digits.bytes().all(|b| b.is_ascii_digit())
        && matches!(suffix, "st" | "nd" | "rd" | "th")
    {
        return digits.parse().ok();
    }
    None
}

/// Nouns naming a repeatable occurrence, grouped so that "first meeting" and "second visit"
/// are about the same series. Returns the series key.
pub fn occurrence_class(t: &str) -> Option<&'static str> {
    Some(match t {
        "meeting" | "meet" | "visit" | "trip" | "talk" | "summit" | "encounter" | "tour" => {
            "meeting"
        }
        "debate" => "debate",
        "round" => "round",
        "term" => "term",
        "ceremony" => "ceremony",
        "edition" => "edition",
        "anniversary" => "anniversary",
        "conference" => "conference",
        "hearing" => "hearing",
        "election" => "election",
        "season" => "season",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_list_is_sorted() {
        for w in STOP.windows(2) {
            assert!(w[0] < w[1], "{} >= {}", w[0], w[1]);
        }
    }

    #[test]
    fn names_and_sentences() {
        let ws = words("Putin met al-Sharaa. The talks ended in Moscow.");
        let names: Vec<&str> = ws.iter().filter(|w| w.name).map(|w| w.raw).collect();
        assert_eq!(names, ["Sharaa", "Moscow"]);
        assert!(ws[3].joined, "al-Sharaa is one name");
    }

    #[test]
    fn plurals_meet() {
        let mut a = String::new();
        let mut b = String::new();
        normalise("Visits", &mut a);
        normalise("visit", &mut b);
        assert_eq!(a, b);
        assert_eq!(ordinal("second"), Some(2));
        assert_eq!(ordinal("81st"), Some(81));
        assert_eq!(ordinal("1990s"), None);
    }
}
