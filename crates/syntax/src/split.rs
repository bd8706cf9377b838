//! Contractions. crosscheck's tokenizer keeps "don't", "I'm" and "cannot" whole; UD
//! treebanks (and so the models) read them as two words ("do" + "n't"). The parser splits
//! such a word before analysis and reports one analysis for it afterwards (see
//! [`crate::Parser::parse`]). Splits are learned from EWT's multi-word tokens (a form is
//! split when EWT splits it more often than not, so "its" stays whole), with English
//! clitic endings ("n't", "'ll", "'re", "'ve", "'m", "'d") as the rule for unseen forms.

use std::collections::HashMap;

use crate::conllu::Sentence;
use crate::flat::FlatMap;
use crate::model::{ByteReader, ModelError, write_str, write_varint};
use crate::words::{key_of, lower_char, norm_char, normalise_lower};

/// Learned splits: the char length of each part but the last.
pub(crate) struct Splitter {
    map: FlatMap,
    parts: Vec<Vec<u8>>,
}

impl Splitter {
    pub(crate) fn read(r: &mut ByteReader<'_>) -> Result<Splitter, ModelError> {
        let n = r.varint()? as usize;
        let mut s = Splitter {
            map: FlatMap::new(),
            parts: Vec::with_capacity(n),
        };
        for _ in 0..n {
            let form = r.str()?;
            let k = usize::from(r.u8()?);
            let lens = r.take(k)?.to_vec();
            s.map.insert(key_of(form), s.parts.len() as u64);
            s.parts.push(lens);
        }
        Ok(s)
    }

    /// Splits `word` (key `key`; `apostrophe`: it has one) into parts, pushed to `out`;
    /// returns how many.
    pub(crate) fn split<'w>(
        &self,
        word: &'w str,
        key: u64,
        apostrophe: bool,
        out: &mut Vec<&'w str>,
    ) -> usize {
        if let Some(i) = self.map.get(key) {
            let before = out.len();
            let mut rest = word;
            for &len in &self.parts[i as usize] {
                let cut = rest
                    .char_indices()
                    .nth(usize::from(len))
                    .map_or(rest.len(), |(b, _)| b);
                if cut == 0 || cut == rest.len() {
                    break;
                }
                out.push(&rest[..cut]);
                rest = &rest[cut..];
            }
            out.push(rest);
            return out.len() - before;
        }
        match clitic_start(word).filter(|_| apostrophe) {
            Some(cut) => {
                out.push(&word[..cut]);
                out.push(&word[cut..]);
                2
            }
            None => {
                out.push(word);
                1
            }
        }
    }
}

/// Byte offset of an English clitic ending ("n't", "'ll", "'re", "'ve", "'m", "'d") after at
/// least one letter.
fn clitic_start(word: &str) -> Option<usize> {
    // The last five chars, last first, with their byte offsets.
    let mut tail = [(0usize, '\0'); 5];
    let mut n = 0;
    for (i, c) in word.char_indices().rev().take(5) {
        tail[n] = (i, lower_char(norm_char(c)));
        n += 1;
    }
    let c = |k: usize| if k < n { tail[k].1 } else { '\0' };
    let letter_at = |k: usize| k < n && tail[k].1.is_alphabetic();
    if (c(2), c(1), c(0)) == ('n', '\'', 't') && letter_at(3) {
        return Some(tail[2].0);
    }
    match (c(2), c(1), c(0)) {
        ('\'', 'l', 'l') | ('\'', 'r', 'e') | ('\'', 'v', 'e') if letter_at(3) => {
            return Some(tail[2].0);
        }
        (_, '\'', 'm' | 'd') if letter_at(2) => return Some(tail[1].0),
        _ => {}
    }
    None
}

/// Learns splits from multi-word tokens whose parts spell the token, keeping a form when it
/// is split more often than it appears whole. Writes the table section.
pub(crate) fn build(sents: &[Sentence], out: &mut Vec<u8>) {
    let mut split: HashMap<String, HashMap<Vec<u8>, usize>> = HashMap::new();
    let mut whole: HashMap<String, usize> = HashMap::new();
    for s in sents {
        for m in &s.mwts {
            let parts = &s.tokens[m.start..m.end];
            let spelled: String = parts.iter().map(|t| t.form.as_str()).collect();
            if normalise_lower(&spelled) != normalise_lower(&m.form) || parts.len() < 2 {
                continue;
            }
            let lens: Vec<u8> = parts[..parts.len() - 1]
                .iter()
                .map(|t| t.form.chars().count().min(255) as u8)
                .collect();
            *split
                .entry(normalise_lower(&m.form))
                .or_default()
                .entry(lens)
                .or_insert(0) += 1;
        }
        for (i, t) in s.tokens.iter().enumerate() {
            if !s.mwts.iter().any(|m| (m.start..m.end).contains(&i)) {
                *whole.entry(normalise_lower(&t.form)).or_insert(0) += 1;
            }
        }
    }
    let mut keep: Vec<(String, Vec<u8>)> = split
        .into_iter()
        .filter_map(|(form, counts)| {
            let total: usize = counts.values().sum();
            let (lens, _) = counts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))?;
            (total > whole.get(&form).copied().unwrap_or(0)).then_some((form, lens))
        })
        .collect();
    keep.sort();
    write_varint(out, keep.len() as u64);
    for (form, lens) in &keep {
        write_str(out, form);
        out.push(lens.len() as u8);
        out.extend_from_slice(lens);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &Splitter, w: &str) -> Vec<String> {
        let mut out = Vec::new();
        s.split(w, key_of(w), w.contains(['\'', '’']), &mut out);
        out.into_iter().map(str::to_string).collect()
    }

    #[test]
    fn learned_and_rule_splits() {
        let text = "1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
1\tdo\tdo\tAUX\tVBP\t_\t3\taux\t_\t_\n\
2\tn't\tnot\tPART\tRB\t_\t3\tadvmod\t_\t_\n\
3\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\t_\n\
4-5\tcannot\t_\t_\t_\t_\t_\t_\t_\t_\n\
4\tcan\tcan\tAUX\tMD\t_\t6\taux\t_\t_\n\
5\tnot\tnot\tPART\tRB\t_\t6\tadvmod\t_\t_\n\
6\tgo\tgo\tVERB\tVB\t_\t3\tconj\t_\t_\n\n";
        let sents = crate::conllu::parse(text).unwrap();
        let mut bytes = Vec::new();
        build(&sents, &mut bytes);
        let s = Splitter::read(&mut ByteReader::new(&bytes)).unwrap();
        assert_eq!(parts(&s, "Don’t"), ["Do", "n’t"]);
        assert_eq!(parts(&s, "cannot"), ["can", "not"]);
        assert_eq!(parts(&s, "shouldn't"), ["should", "n't"]);
        assert_eq!(parts(&s, "I'm"), ["I", "'m"]);
        assert_eq!(parts(&s, "we’ll"), ["we", "’ll"]);
        assert_eq!(parts(&s, "O'Brien"), ["O'Brien"]);
        assert_eq!(parts(&s, "n't"), ["n't"]);
        assert_eq!(parts(&s, "'"), ["'"]);
        assert_eq!(parts(&s, ""), [""]);
    }
}
