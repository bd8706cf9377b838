//! Part-of-speech tagging, lemmatization and labelled dependency parsing of English for
//! crosscheck.
//!
//! **Job.** For each word of a tokenised sentence: its Universal POS tag ([`Upos`]), its
//! Penn Treebank tag ([`Xpos`]), its lemma, its head word and the Universal Dependencies
//! relation to it ([`Deprel`], with English subtypes such as `nsubj:pass`, `obl:agent`,
//! `acl:relcl`). Later stages read claims off the trees: who said what, what was done to
//! whom, what is negated.
//!
//! **Input / output.** [`Parser::parse`] takes the words of one sentence (`&[&str]`, as
//! crosscheck's tokenizer writes them: punctuation separate, "U.S." and "gun-rights" whole,
//! possessive "'s" separate; curly quotes and apostrophes are fine) and returns one
//! [`Analysis`] per word, heads as indices into the sentence (`None` for the root).
//! [`Parser::tag`] does tags and lemmas only. [`Parser::global`] is the shipped model.
//! Any input is accepted (empty, 10,000 words, any Unicode); the output is always a tree
//! with one root.
//!
//! **Models** (all ours, trained by the `train` module on UD English EWT train; Universal
//! Dependencies English Web Treebank, CC BY-SA 4.0, see `models/syntax/README.md`):
//! - *tagger*: greedy left-to-right averaged perceptron over the 64 commonest (UPOS, XPOS)
//!   pairs, with margin updates and two runs averaged; features: word, lower case, affixes,
//!   shape, neighbours within two words, word clusters (`models/ner/clusters.tsv`, induced
//!   from news text), the two previous tags, and each right neighbour's tag as guessed from
//!   its own features (right context a greedy tagger otherwise lacks), and the sentence's
//!   casing (10% of the training sentences are also seen in capitals and in headline title
//!   case). Frequent words that EWT always tags alike ("the", ",") take their tag from a
//!   lexicon without scoring.
//! - *lemmatizer*: lemma by (exact form, XPOS), else (lower-case form, XPOS), else the suffix
//!   rule of the longest known ending for that XPOS and capitalisation, all learned from EWT
//!   (the tables keep only what the rules get wrong).
//! - *parser*: arc-eager transitions with the root at the end of the buffer, an averaged
//!   perceptron over 65 Zhang & Nivre style feature templates choosing the transition, and a
//!   second perceptron labelling each arc when it is made. Trained with a dynamic oracle and
//!   exploration (Goldberg & Nivre 2012) on 5-fold jackknifed tags, on projectivized trees;
//!   the weights of two training runs are summed.
//!
//! **Speed.** Features are 64-bit hashes indexing dense tables of 8-bit weights (`2^16`
//! rows x 64 classes for the tagger, `2^20` x 4 transitions, `2^15` x 64 labels), summed in
//! 16-bit integers (AVX2 when the CPU has it); rows are prefetched before they are summed
//! (the tagger's a word ahead; the parser's while the previous arc is labelled). Per-word
//! lookups (clusters, lexicon, lemmas) probe flat hash tables. No allocation per word: a
//! sentence allocates its output, a few buffers and changed-case lemmas.
//!
//! **Tokenization.** EWT splits "gun-rights" into "gun - rights" and "don't" into "do n't";
//! crosscheck's tokenizer does neither. Training merges EWT's hyphenated words (the merged
//! word takes the analysis of its part nearest the root); at run time contractions are split
//! before analysis ("don't", "cannot", "I'm", learned from EWT's multi-word tokens) and
//! reported as one word with the analysis of the part nearest the root: "don't" is the
//! auxiliary "do" (the negation shows in the word only).
//!
//! **Training:** `scripts/syntax_train.sh` (about 2 minutes on one core, deterministic),
//! i.e. `cargo run --release -p crosscheck-syntax --example train --
//! en_ewt-ud-train.conllu.gz models/syntax`. **Evaluation:** `cargo run --release -p
//! crosscheck-syntax --example eval -- en_ewt-ud-dev.conllu.gz` (accuracy, speed, size);
//! `--example show` prints the analysis of sentences typed on stdin.
//!
//! **Figures** (UD English EWT, predicted tags, punctuation included, hyphenated words
//! merged as at training; LAS with full labels such as `nsubj:pass`; tuned on dev only,
//! test scored once at the end):
//!
//! | | UPOS | XPOS | lemma | UAS | LAS | LAS (universal labels) |
//! |---|---|---|---|---|---|---|
//! | dev | 95.0 | 94.5 | 96.9 | 84.9 | 81.1 | 81.3 |
//! | test | 95.3 | 94.7 | 96.7 | 85.6 | 82.0 | 82.2 |
//! | dev in capitals / in title case | 93.3 / 93.2 | | | 84.1 / 83.7 | 80.1 / 79.6 | |
//!
//! Speed (thread CPU time, one core of this 2-core AMD EPYC shared with other work): tag +
//! lemma + parse 0.40-0.57 M words/s depending on the load of the other core (~0.5 M
//! typical), tag + lemma only 1.1-1.5 M words/s. Model file 4.8 MB; about 14 MB of tables in
//! memory; first use (`Parser::global`) ~70 ms. The trade-offs measured on the way (model
//! size, features, a second tagging pass) are in `models/syntax/README.md`.

pub mod conllu;
pub mod train;

mod clusters;
mod flat;
mod hash;
mod lemma;
mod lexicon;
mod model;
mod parser;
mod split;
mod table;
mod tagger;
mod tags;
mod words;

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::OnceLock;

pub use model::ModelError;
pub use tags::{Deprel, Upos, Xpos};

use crate::clusters::{Clusters, Vocab};
use crate::lemma::Lemmatizer;
use crate::lexicon::Lexicon;
use crate::model::{ByteReader, FEATURE_VERSION, MAGIC};
use crate::parser::{Inputs, Models, NA, NL, State};
use crate::split::Splitter;
use crate::table::QTable;
use crate::tagger::{NT, TagSet};
use crate::words::{Word, analyse};

/// The model shipped with the crate (`scripts/syntax_train.sh` rebuilds it).
static MODEL: &[u8] = include_bytes!("../../../models/syntax/model.bin");

/// Size in bytes of the shipped model file.
pub const MODEL_SIZE: usize = MODEL.len();

/// The analysis of one word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analysis<'a> {
    pub upos: Upos,
    pub xpos: Xpos,
    /// Borrowed from the input word or the model when no case change or ending is needed.
    pub lemma: Cow<'a, str>,
    /// Index of the head word in the sentence; `None` for the root.
    pub head: Option<u32>,
    pub deprel: Deprel,
}

/// Tagger, lemmatizer and parser with their weights. Cheap to share: all methods take
/// `&self` and keep their scratch space per thread.
pub struct Parser {
    tagset: TagSet,
    tagger: QTable<NT>,
    trans: QTable<NA>,
    labels: QTable<NL>,
    /// Starting label scores: the floor for labels outside the model's label set.
    label_floor: [i16; NL],
    /// Clusters and tag lexicon, one probe per word.
    vocab: Vocab,
    /// Lexicon values that fix typographic opening and closing double quotes to `` and ''
    /// (EWT writes both as '"', so its tagger learns the direction from context only).
    quotes: [u32; 2],
    lemmas: Lemmatizer<'static>,
    splitter: Splitter,
}

/// Per-thread buffers, so that a sentence allocates only its output.
struct Scratch {
    words: Vec<Word>,
    statics: Vec<u64>,
    tags: Vec<u8>,
    guess: Vec<u8>,
    stat: Vec<[i16; NT]>,
    inputs: Inputs,
    state: State,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch {
        words: Vec::new(),
        statics: Vec::new(),
        tags: Vec::new(),
        guess: Vec::new(),
        stat: Vec::new(),
        inputs: Inputs::new(),
        state: State::new(),
    });
}

/// The word clusters the model was trained with (flag and checksum in the file).
fn read_clusters(r: &mut ByteReader<'_>) -> Result<Clusters, ModelError> {
    let flags = r.u32()?;
    let sum = r.u32()?;
    if flags & 1 == 0 {
        return Ok(Clusters::empty());
    }
    if sum != clusters::checksum(clusters::CLUSTERS_TSV) {
        return Err(ModelError::ClustersChanged);
    }
    Ok(Clusters::parse(clusters::CLUSTERS_TSV))
}

/// The tag classes: a count, then (UPOS, XPOS) index pairs.
fn read_tagset(r: &mut ByteReader<'_>) -> Result<TagSet, ModelError> {
    let ntags = usize::from(r.u8()?);
    if ntags == 0 || ntags > NT {
        return Err(ModelError::Corrupt(r.pos()));
    }
    let mut pairs = Vec::with_capacity(ntags);
    for _ in 0..ntags {
        let at = r.pos();
        let u = Upos::from_index(usize::from(r.u8()?));
        let x = Xpos::from_index(usize::from(r.u8()?));
        match (u, x) {
            (Some(u), Some(x)) => pairs.push((u, x)),
            _ => return Err(ModelError::UnknownTag(at)),
        }
    }
    Ok(TagSet { pairs })
}

/// A lexicon value fixing a word to the punctuation class with tag `x` (0 if the tag set
/// has none).
fn fixed_punct(tagset: &TagSet, x: Xpos) -> u32 {
    tagset
        .pairs
        .iter()
        .position(|&(u, p)| u == Upos::Punct && p == x)
        .map_or(0, |c| {
            c as u32 | (c as u32) << 8 | lexicon::KNOWN | lexicon::FIXED
        })
}

/// Words split into the treebank's syntactic words ("don't" -> "do" "n't"): `parts[first[i]
/// .. first[i + 1]]` spell word `i`.
struct Split<'a> {
    parts: Vec<&'a str>,
    first: Vec<u32>,
    owner: Vec<u32>,
}

impl Parser {
    /// The shipped model, loaded on first use.
    pub fn global() -> &'static Parser {
        static P: OnceLock<Parser> = OnceLock::new();
        P.get_or_init(|| {
            Parser::from_bytes(MODEL).expect("the embedded syntax model loads (tested)")
        })
    }

    /// Loads a model file (as written by the `train` example).
    pub fn from_bytes(bytes: &'static [u8]) -> Result<Parser, ModelError> {
        let mut r = ByteReader::new(bytes);
        if r.take(8).ok() != Some(&MAGIC[..]) {
            return Err(ModelError::BadMagic);
        }
        let version = r.u32()?;
        if version != FEATURE_VERSION {
            return Err(ModelError::FeatureVersion {
                found: version,
                expected: FEATURE_VERSION,
            });
        }
        let clusters = read_clusters(&mut r)?;
        let tagset = read_tagset(&mut r)?;
        let label_mask = u64::from(r.u32()?) | u64::from(r.u32()?) << 32;
        let valid_labels = (1u64 << Deprel::ALL.len()) - 1;
        if label_mask & !valid_labels != 0 || label_mask == 0 {
            return Err(ModelError::UnknownTag(r.pos()));
        }
        let lexicon = Lexicon::read(&mut r)?;
        let quotes = [Xpos::OpenQuote, Xpos::CloseQuote].map(|x| fixed_punct(&tagset, x));
        Ok(Parser {
            quotes,
            vocab: Vocab::new(clusters, &lexicon),
            tagset,
            tagger: QTable::read(&mut r)?,
            trans: QTable::read(&mut r)?,
            labels: QTable::read(&mut r)?,
            label_floor: table::floor(label_mask),
            lemmas: Lemmatizer::read(&mut r)?,
            splitter: Splitter::read(&mut r)?,
        })
    }

    /// Tags, lemmatizes and parses one tokenised sentence: one analysis per word, heads as
    /// indices into `words`.
    pub fn parse<'a>(&self, words: &[&'a str]) -> Vec<Analysis<'a>> {
        self.run(words, true)
    }

    /// Tags and lemmatizes only (no parse): (UPOS, XPOS, lemma) per word.
    pub fn tag<'a>(&self, words: &[&'a str]) -> Vec<(Upos, Xpos, Cow<'a, str>)> {
        self.run(words, false)
            .into_iter()
            .map(|a| (a.upos, a.xpos, a.lemma))
            .collect()
    }

    /// Splits contractions, analysing every syntactic word into `analysed`.
    fn split<'a>(&self, words: &[&'a str], analysed: &mut Vec<Word>) -> Split<'a> {
        let mut s = Split {
            parts: Vec::with_capacity(words.len() + 4),
            first: Vec::with_capacity(words.len() + 1),
            owner: Vec::with_capacity(words.len() + 4),
        };
        // First every word's hashes, starting the vocabulary loads; then the lookups.
        let mut whole: Vec<Word> = words
            .iter()
            .map(|w| {
                let a = analyse(w);
                self.vocab.prefetch(&a);
                a
            })
            .collect();
        analysed.clear();
        for (i, (w, a)) in words.iter().zip(whole.iter_mut()).enumerate() {
            s.first.push(s.parts.len() as u32);
            let apostrophe = a.flags & words::flag::HAS_APOS != 0;
            let k = self.splitter.split(w, a.key, apostrophe, &mut s.parts);
            if k == 1 {
                self.vocab.fill(a);
                match *w {
                    "\u{201C}" if self.quotes[0] != 0 => a.lex = self.quotes[0],
                    "\u{201D}" if self.quotes[1] != 0 => a.lex = self.quotes[1],
                    _ => {}
                }
                analysed.push(*a);
            } else {
                for p in &s.parts[s.parts.len() - k..] {
                    let mut a = analyse(p);
                    self.vocab.fill(&mut a);
                    analysed.push(a);
                }
            }
            s.owner.extend(std::iter::repeat_n(i as u32, k));
        }
        s.first.push(s.parts.len() as u32);
        s
    }

    fn run<'a>(&self, words: &[&'a str], parse: bool) -> Vec<Analysis<'a>> {
        if words.is_empty() {
            return Vec::new();
        }
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let sc = &mut *guard;
            let sp = self.split(words, &mut sc.words);
            tagger::sentence_features(&sc.words, &mut sc.statics);
            tagger::decode(
                &self.tagger,
                &sc.words,
                &sc.statics,
                self.tagset.len(),
                &mut sc.tags,
                (&mut sc.guess, &mut sc.stat),
            );
            if parse {
                sc.inputs.fill(&sc.words, &sc.tags);
                let m = Models {
                    trans: &self.trans,
                    labels: &self.labels,
                    label_floor: self.label_floor,
                };
                parser::parse(&m, &sc.inputs, &mut sc.state);
            }
            self.assemble(&sp, sc, parse)
        })
    }

    /// One analysis per input word: a split word reports its part nearest the root (so
    /// "don't" reads as the auxiliary "do"), and arcs into any part point to the word.
    fn assemble<'a>(&self, sp: &Split<'a>, sc: &Scratch, parsed: bool) -> Vec<Analysis<'a>> {
        let n = sp.parts.len();
        let head_of = |p: usize| -> Option<usize> {
            let h = *sc.state.head.get(p).filter(|_| parsed)? as usize;
            (h < n).then_some(h)
        };
        let depth = |p: usize| {
            let (mut d, mut x) = (0, p);
            while let Some(h) = head_of(x) {
                d += 1;
                x = h;
                if d > n {
                    break;
                }
            }
            d
        };
        (0..sp.first.len() - 1)
            .map(|i| {
                let (a, b) = (sp.first[i] as usize, sp.first[i + 1] as usize);
                let rep = if b - a > 1 && parsed {
                    (a..b).min_by_key(|&p| (depth(p), p)).unwrap_or(a)
                } else {
                    a
                };
                let (upos, xpos) = self.tagset.pairs[usize::from(sc.tags[rep])];
                let lemma = self.lemmas.lemma(sp.parts[rep], &sc.words[rep], xpos);
                let head = head_of(rep).map(|h| sp.owner[h]);
                let deprel = if !parsed {
                    Deprel::Dep
                } else if head.is_none() {
                    Deprel::Root
                } else {
                    Deprel::from_index(usize::from(sc.state.label[rep])).unwrap_or(Deprel::Dep)
                };
                Analysis {
                    upos,
                    xpos,
                    lemma,
                    head,
                    deprel,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_model_loads_and_damaged_ones_are_refused() {
        assert!(Parser::from_bytes(MODEL).is_ok());
        assert!(matches!(
            Parser::from_bytes(b"not a model"),
            Err(ModelError::BadMagic)
        ));
        // Every cut through the file is an error, never a panic.
        for cut in [9, 12, 20, 30, 100, 1000, MODEL.len() / 3, MODEL.len() - 1] {
            assert!(Parser::from_bytes(&MODEL[..cut]).is_err(), "cut at {cut}");
        }
        let mut other = MODEL.to_vec();
        other[8] = other[8].wrapping_add(1);
        assert!(matches!(
            Parser::from_bytes(Box::leak(other.into_boxed_slice())),
            Err(ModelError::FeatureVersion { .. })
        ));
    }

    #[test]
    fn enums_have_ud_names() {
        assert_eq!(Deprel::NsubjPass.as_str(), "nsubj:pass");
        assert_eq!(Deprel::parse("obl:tmod"), Some(Deprel::OblTmod));
        assert_eq!(Upos::Propn.as_str(), "PROPN");
        assert_eq!(Xpos::PrpS.as_str(), "PRP$");
    }
}
