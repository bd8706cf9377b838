//! CoNLL-U reading, and the conversions that make UD English EWT look like the text the
//! model sees at run time (crosscheck's tokenizer keeps "gun-rights" and "48-page" whole;
//! EWT splits them into "gun - rights").

use crate::tags::{Deprel, Upos, Xpos};

/// One syntactic word of a treebank sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub form: String,
    pub lemma: String,
    pub upos: Upos,
    pub xpos: Xpos,
    /// Index of the head in the sentence; `None` for the root.
    pub head: Option<u32>,
    pub deprel: Deprel,
    /// No `SpaceAfter=No` in MISC.
    pub space_after: bool,
}

/// A multi-word token: surface form `form` spelling words `start..end` ("don't" = do + n't).
#[derive(Clone, Debug, PartialEq)]
pub struct Mwt {
    pub start: usize,
    pub end: usize,
    pub form: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sentence {
    pub tokens: Vec<Token>,
    pub mwts: Vec<Mwt>,
}

/// A line of a CoNLL-U file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ConlluError {
    pub line: usize,
    pub reason: String,
}

fn err(line: usize, reason: impl Into<String>) -> ConlluError {
    ConlluError {
        line,
        reason: reason.into(),
    }
}

/// Reads a CoNLL-U file (basic dependencies; empty nodes are skipped).
pub fn parse(text: &str) -> Result<Vec<Sentence>, ConlluError> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    let mut start_line = 1;
    for (i, line) in text.lines().enumerate() {
        let ln = i + 1;
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            if !cur.tokens.is_empty() {
                out.push(finish(std::mem::take(&mut cur), start_line)?);
            }
            start_line = ln + 1;
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        read_line(line, ln, &mut cur)?;
    }
    if !cur.tokens.is_empty() {
        out.push(finish(cur, start_line)?);
    }
    Ok(out)
}

fn read_line(line: &str, ln: usize, cur: &mut Sentence) -> Result<(), ConlluError> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() != 10 {
        return Err(err(ln, format!("{} columns, expected 10", f.len())));
    }
    if f[0].contains('.') {
        return Ok(()); // empty node (enhanced graph only)
    }
    if let Some((a, b)) = f[0].split_once('-') {
        let (Ok(a), Ok(b)) = (a.parse::<usize>(), b.parse::<usize>()) else {
            return Err(err(ln, format!("bad range id {:?}", f[0])));
        };
        if a == 0 || b < a {
            return Err(err(ln, format!("bad range id {:?}", f[0])));
        }
        cur.mwts.push(Mwt {
            start: a - 1,
            end: b,
            form: f[1].to_string(),
        });
        return Ok(());
    }
    let id: usize = f[0]
        .parse()
        .map_err(|_| err(ln, format!("bad id {:?}", f[0])))?;
    if id != cur.tokens.len() + 1 {
        return Err(err(ln, format!("id {id} out of sequence")));
    }
    let upos = Upos::parse(f[3]).ok_or_else(|| err(ln, format!("unknown UPOS {:?}", f[3])))?;
    let head: usize = f[6]
        .parse()
        .map_err(|_| err(ln, format!("bad head {:?}", f[6])))?;
    cur.tokens.push(Token {
        form: f[1].to_string(),
        lemma: f[2].to_string(),
        upos,
        xpos: Xpos::parse(f[4]).unwrap_or(Xpos::Xx),
        head: (head > 0).then(|| head as u32 - 1),
        deprel: Deprel::parse_lenient(f[7]),
        space_after: !f[9].split('|').any(|m| m == "SpaceAfter=No"),
    });
    Ok(())
}

fn finish(mut s: Sentence, line: usize) -> Result<Sentence, ConlluError> {
    let n = s.tokens.len();
    if s.tokens
        .iter()
        .any(|t| t.head.is_some_and(|h| h as usize >= n))
    {
        return Err(err(line, "head beyond the sentence"));
    }
    s.mwts.retain(|m| m.end <= n);
    for m in &s.mwts {
        // The space after a multi-word token is recorded on the token line only.
        if let Some(t) = s.tokens.get_mut(m.start..m.end) {
            let last = t.len().saturating_sub(1);
            for w in &mut t[..last] {
                w.space_after = false;
            }
        }
    }
    Ok(s)
}

/// Depth of every word below the root (cycles, which valid files lack, count as deep).
fn depths(heads: &[Option<u32>]) -> Vec<usize> {
    (0..heads.len())
        .map(|i| {
            let mut d = 0;
            let mut h = heads[i];
            while let Some(x) = h {
                d += 1;
                if d > heads.len() {
                    break;
                }
                h = heads[x as usize];
            }
            d
        })
        .collect()
}

fn first_char_alnum(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_alphanumeric)
}

fn last_char_alnum(s: &str) -> bool {
    s.chars().next_back().is_some_and(char::is_alphanumeric)
}

/// Groups of words `a..b` that crosscheck's tokenizer would read as one hyphenated word:
/// "48" "-" "page" written without spaces, never crossing a multi-word token.
fn hyphen_groups(s: &Sentence) -> Vec<(usize, usize)> {
    let t = &s.tokens;
    let in_mwt = |i: usize| s.mwts.iter().any(|m| (m.start..m.end).contains(&i));
    let joins = |j: usize| {
        j + 2 < t.len()
            && !t[j].space_after
            && t[j + 1].form == "-"
            && !t[j + 1].space_after
            && last_char_alnum(&t[j].form)
            && first_char_alnum(&t[j + 2].form)
            && !in_mwt(j)
            && !in_mwt(j + 1)
            && !in_mwt(j + 2)
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let mut j = i;
        while joins(j) {
            j += 2;
        }
        if j > i {
            out.push((i, j + 1));
        }
        i = j + 1;
    }
    out
}

/// Merges hyphenated words that EWT splits ("gun - rights" -> "gun-rights"). The merged word
/// takes the analysis and attachment of the part nearest the root; arcs into the other parts
/// move to the merged word. The lemma lemmatises the last part when it is the head noun
/// ("gun-rights" -> "gun-right"), else it is the lower-cased form.
pub fn merge_hyphens(s: &Sentence) -> Sentence {
    let groups = hyphen_groups(s);
    if groups.is_empty() {
        return s.clone();
    }
    let n = s.tokens.len();
    let heads: Vec<Option<u32>> = s.tokens.iter().map(|t| t.head).collect();
    let depth = depths(&heads);
    // new index of every old word, and the representative of each group
    let mut new_of = vec![0u32; n];
    let mut rep = vec![usize::MAX; n];
    let mut out = Sentence::default();
    let mut g = groups.iter().peekable();
    let mut i = 0;
    while i < n {
        let (a, b) = match g.peek() {
            Some(&&(a, b)) if a == i => {
                g.next();
                (a, b)
            }
            _ => (i, i + 1),
        };
        let head_part = (a..b).min_by_key(|&k| (depth[k], k)).unwrap_or(a);
        let idx = out.tokens.len() as u32;
        for k in a..b {
            new_of[k] = idx;
            rep[k] = head_part;
        }
        let mut tok = s.tokens[head_part].clone();
        if b - a > 1 {
            tok.form = s.tokens[a..b].iter().map(|t| t.form.as_str()).collect();
            tok.lemma = merged_lemma(&s.tokens[a..b], head_part - a);
            tok.space_after = s.tokens[b - 1].space_after;
        }
        out.tokens.push(tok);
        i = b;
    }
    for (k, t) in s.tokens.iter().enumerate() {
        if rep[k] != k {
            continue;
        }
        out.tokens[new_of[k] as usize].head = t.head.map(|h| new_of[h as usize]);
    }
    out.mwts = s
        .mwts
        .iter()
        .map(|m| Mwt {
            start: new_of[m.start] as usize,
            end: new_of[m.end - 1] as usize + 1,
            form: m.form.clone(),
        })
        .collect();
    out
}

fn merged_lemma(parts: &[Token], head: usize) -> String {
    let last = parts.len() - 1;
    let mut s: String = parts[..last]
        .iter()
        .map(|t| t.form.to_lowercase())
        .collect();
    if head == last && matches!(parts[last].upos, Upos::Noun) {
        s.push_str(&parts[last].lemma.to_lowercase());
    } else {
        s.push_str(&parts[last].form.to_lowercase());
    }
    if parts[head].upos == Upos::Propn {
        // Names keep their case: "Al-Zaman".
        return parts.iter().map(|t| t.form.as_str()).collect();
    }
    s
}

/// Is `d`'s arc to `h` projective: is every word strictly between them dominated by `h`?
fn projective_arc(heads: &[Option<u32>], h: usize, d: usize) -> bool {
    let (lo, hi) = if h < d { (h, d) } else { (d, h) };
    (lo + 1..hi).all(|k| {
        let mut x = k;
        for _ in 0..heads.len() {
            match heads[x] {
                Some(p) if p as usize == h => return true,
                Some(p) => x = p as usize,
                None => return false,
            }
        }
        false
    })
}

/// Makes a tree projective by lifting (attaching a word to its grandparent) the shortest
/// non-projective arc until none is left (Nivre & Nilsson 2005, without label encoding: the
/// parser cannot produce crossing arcs, and the lifted tree is the closest one it can).
/// Returns the number of lifts.
pub fn projectivize(heads: &mut [Option<u32>]) -> usize {
    let mut lifts = 0;
    loop {
        let worst = (0..heads.len())
            .filter_map(|d| heads[d].map(|h| (h as usize, d)))
            .filter(|&(h, d)| !projective_arc(heads, h, d))
            .min_by_key(|&(h, d)| (h.abs_diff(d), d));
        let Some((h, d)) = worst else {
            return lifts;
        };
        heads[d] = heads[h];
        lifts += 1;
        if lifts > heads.len() * heads.len() {
            return lifts; // cannot happen on a tree; guards against cyclic input
        }
    }
}

/// Reads CoNLL-2003 (`token POS chunk tag` lines, blank lines between sentences,
/// `-DOCSTART-` lines skipped): words with their PTB tags, for extra tagger data.
pub fn parse_conll2003(text: &str) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for line in text.lines() {
        let mut f = line.split_whitespace();
        match (f.next(), f.next()) {
            (Some("-DOCSTART-"), _) => {}
            (Some(w), Some(p)) => cur.push((w.to_string(), p.to_string())),
            _ => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# text = a 48-page report's gun-rights\n\
1\ta\ta\tDET\tDT\t_\t5\tdet\t_\t_\n\
2\t48\t48\tNUM\tCD\t_\t4\tnummod\t_\tSpaceAfter=No\n\
3\t-\t-\tPUNCT\tHYPH\t_\t4\tpunct\t_\tSpaceAfter=No\n\
4\tpage\tpage\tNOUN\tNN\t_\t5\tcompound\t_\t_\n\
5-6\treport's\t_\t_\t_\t_\t_\t_\t_\t_\n\
5\treport\treport\tNOUN\tNN\t_\t9\tnmod:poss\t_\t_\n\
6\t's\t's\tPART\tPOS\t_\t5\tcase\t_\t_\n\
7\tgun\tgun\tNOUN\tNN\t_\t9\tcompound\t_\tSpaceAfter=No\n\
8\t-\t-\tPUNCT\tHYPH\t_\t9\tpunct\t_\tSpaceAfter=No\n\
9\trights\tright\tNOUN\tNNS\t_\t0\troot\t_\t_\n\
\n";

    #[test]
    fn reads_and_merges_hyphens() {
        let s = parse(SAMPLE).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].tokens.len(), 9);
        assert_eq!(s[0].mwts[0].form, "report's");
        assert!(!s[0].tokens[4].space_after);
        let m = merge_hyphens(&s[0]);
        let forms: Vec<&str> = m.tokens.iter().map(|t| t.form.as_str()).collect();
        assert_eq!(forms, ["a", "48-page", "report", "'s", "gun-rights"]);
        assert_eq!(m.tokens[1].head, Some(2));
        assert_eq!(m.tokens[1].deprel, Deprel::Compound);
        assert_eq!(m.tokens[0].head, Some(2));
        assert_eq!(m.tokens[2].head, Some(4));
        assert_eq!(m.tokens[4].head, None);
        assert_eq!(m.tokens[4].lemma, "gun-right");
        assert_eq!(m.tokens[1].lemma, "48-page");
        assert_eq!((m.mwts[0].start, m.mwts[0].end), (2, 4));
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("1\ta\ta\tDET\n").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse("1\ta\ta\tBAD\tDT\t_\t0\troot\t_\t_\n").unwrap_err();
        assert!(e.reason.contains("UPOS"));
    }

    #[test]
    fn lifting_removes_crossing_arcs() {
        // 0 -> 2, 1 -> 3 cross (1's head 3 spans 2, whose head 0 lies outside).
        let mut heads = vec![None, Some(3), Some(0), Some(0)];
        assert_eq!(projectivize(&mut heads), 1);
        assert_eq!(heads, vec![None, Some(0), Some(0), Some(0)]);
        let mut ok = vec![Some(1), None, Some(1)];
        assert_eq!(projectivize(&mut ok), 0);
    }
}
