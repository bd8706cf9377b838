//! Reader for CoNLL-2003 style files (`token ... tag` per line, blank line between sentences,
//! `-DOCSTART-` between documents) and conlleval-style chunking of IOB tags into spans.

use crate::{EntityKind, EntitySpan};

/// One sentence: tokens and their tags as written in the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sentence {
    pub tokens: Vec<String>,
    pub tags: Vec<String>,
    /// 1-based line number of the first token (for error messages).
    pub line: usize,
}

/// One document (sentences between `-DOCSTART-` lines).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    pub sentences: Vec<Sentence>,
}

/// A malformed line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

/// Parses CoNLL text. The first column is the token, the last the IOB tag; a file without
/// `-DOCSTART-` lines is one document.
pub fn parse(text: &str) -> Result<Vec<Document>, ParseError> {
    let mut docs = Vec::new();
    let mut doc = Document::default();
    let mut sent = Sentence::default();
    for (idx, raw) in text.lines().enumerate() {
        let line_no = idx + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !sent.tokens.is_empty() {
                doc.sentences.push(std::mem::take(&mut sent));
            }
            continue;
        }
        let mut fields = line.split_whitespace();
        let token = fields.next().unwrap_or_default();
        if token == "-DOCSTART-" {
            if !sent.tokens.is_empty() {
                doc.sentences.push(std::mem::take(&mut sent));
            }
            if !doc.sentences.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        let Some(tag) = fields.next_back() else {
            return Err(ParseError {
                line: line_no,
                message: format!("expected `token ... tag`, found {line:?}"),
            });
        };
        if let Err(message) = check_tag(tag) {
            return Err(ParseError {
                line: line_no,
                message,
            });
        }
        if sent.tokens.is_empty() {
            sent.line = line_no;
        }
        sent.tokens.push(token.to_string());
        sent.tags.push(tag.to_string());
    }
    if !sent.tokens.is_empty() {
        doc.sentences.push(sent);
    }
    if !doc.sentences.is_empty() {
        docs.push(doc);
    }
    Ok(docs)
}

fn kind_from(label: &str) -> Option<EntityKind> {
    match label {
        "PER" => Some(EntityKind::Person),
        "ORG" => Some(EntityKind::Org),
        "LOC" => Some(EntityKind::Place),
        "MISC" => Some(EntityKind::Misc),
        _ => None,
    }
}

fn check_tag(tag: &str) -> Result<(), String> {
    if tag == "O" {
        return Ok(());
    }
    match tag.split_once('-') {
        Some((p, label))
            if matches!(p, "B" | "I" | "E" | "S" | "L" | "U") && kind_from(label).is_some() =>
        {
            Ok(())
        }
        _ => Err(format!(
            "unknown tag {tag:?} (expected O or B-/I- with PER, ORG, LOC, MISC)"
        )),
    }
}

/// Chunks IOB1/IOB2/IOBES tags into spans the way conlleval does: a chunk starts at B-X
/// (or S-X/U-X), or at I-X following O or another type, and runs while I-X (or E-X/L-X,
/// which also ends it) continues.
pub fn spans_from_tags<S: AsRef<str>>(tags: &[S]) -> Vec<EntitySpan> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityKind)> = None;
    for (i, t) in tags.iter().enumerate() {
        let t = t.as_ref();
        let (prefix, kind) = match t.split_once('-') {
            Some((p, l)) => (p, kind_from(l)),
            None => ("O", None),
        };
        let Some(kind) = kind else {
            if let Some((s, k)) = open.take() {
                out.push(EntitySpan {
                    start: s,
                    end: i,
                    kind: k,
                });
            }
            continue;
        };
        let continues =
            matches!(open, Some((_, k)) if k == kind) && matches!(prefix, "I" | "E" | "L");
        if !continues {
            if let Some((s, k)) = open.take() {
                out.push(EntitySpan {
                    start: s,
                    end: i,
                    kind: k,
                });
            }
            open = Some((i, kind));
        }
        if matches!(prefix, "E" | "L" | "S" | "U") {
            let (s, k) = open.take().unwrap();
            out.push(EntitySpan {
                start: s,
                end: i + 1,
                kind: k,
            });
        }
    }
    if let Some((s, k)) = open {
        out.push(EntitySpan {
            start: s,
            end: tags.len(),
            kind: k,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\ncall NN I-NP O\n.  . O O\n\nPeter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n\n-DOCSTART- -X- -X- O\n\nBRUSSELS NNP B-NP B-LOC\n";

    #[test]
    fn reads_documents_and_sentences() {
        let docs = parse(FIXTURE).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(
            docs[0].sentences[0].tokens,
            ["EU", "rejects", "German", "call", "."]
        );
        assert_eq!(docs[0].sentences[1].line, 9);
        assert_eq!(
            spans_from_tags(&docs[0].sentences[1].tags),
            [EntitySpan {
                start: 0,
                end: 2,
                kind: EntityKind::Person
            }]
        );
        assert_eq!(docs[1].sentences[0].tags, ["B-LOC"]);
    }

    #[test]
    fn reports_bad_lines() {
        let err = parse("EU B-ORG\nrejects\n").unwrap_err();
        assert_eq!(err.line, 2);
        let err = parse("EU NNP B-XYZ\n").unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn chunks_like_conlleval() {
        let tags = [
            "I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG", "B-MISC", "I-MISC",
        ];
        let spans = spans_from_tags(&tags);
        let got: Vec<(usize, usize)> = spans.iter().map(|s| (s.start, s.end)).collect();
        assert_eq!(got, [(0, 2), (2, 3), (4, 5), (5, 6), (6, 8)]);
        assert_eq!(spans[3].kind, EntityKind::Org);
    }
}
