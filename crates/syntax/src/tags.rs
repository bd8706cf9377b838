//! The tag sets: Universal POS tags, Penn Treebank (EWT) XPOS tags and UD dependency
//! relations. Each enum names its members with the strings UD uses (`as_str`, `parse`), which
//! are also what JSON output carries.

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($var),+ }

        impl $name {
            /// Every member, in declaration order (`ALL[x as usize] == x`).
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            /// The UD / treebank spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),+ }
            }

            /// Reads the UD / treebank spelling.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($s => Some($name::$var),)+ _ => None }
            }

            pub(crate) fn from_index(i: usize) -> Option<$name> {
                Self::ALL.get(i).copied()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// Universal part-of-speech tag (UD v2).
    Upos {
        Adj = "ADJ", Adp = "ADP", Adv = "ADV", Aux = "AUX", Cconj = "CCONJ", Det = "DET",
        Intj = "INTJ", Noun = "NOUN", Num = "NUM", Part = "PART", Pron = "PRON",
        Propn = "PROPN", Punct = "PUNCT", Sconj = "SCONJ", Sym = "SYM", Verb = "VERB", X = "X",
    }
}

string_enum! {
    /// Penn Treebank tag as used by UD English EWT (PTB plus ADD, AFX, GW, HYPH, NFP, XX).
    Xpos {
        Dollar = "$", CloseQuote = "''", Comma = ",", Lrb = "-LRB-", Rrb = "-RRB-",
        Period = ".", Colon = ":", Add = "ADD", Afx = "AFX", Cc = "CC", Cd = "CD", Dt = "DT",
        Ex = "EX", Fw = "FW", Gw = "GW", Hyph = "HYPH", In = "IN", Jj = "JJ", Jjr = "JJR",
        Jjs = "JJS", Ls = "LS", Md = "MD", Nfp = "NFP", Nn = "NN", Nnp = "NNP", Nnps = "NNPS",
        Nns = "NNS", Pdt = "PDT", Pos = "POS", Prp = "PRP", PrpS = "PRP$", Rb = "RB",
        Rbr = "RBR", Rbs = "RBS", Rp = "RP", Sym = "SYM", To = "TO", Uh = "UH", Vb = "VB",
        Vbd = "VBD", Vbg = "VBG", Vbn = "VBN", Vbp = "VBP", Vbz = "VBZ", Wdt = "WDT",
        Wp = "WP", WpS = "WP$", Wrb = "WRB", OpenQuote = "``", Hash = "#", Xx = "XX",
    }
}

string_enum! {
    /// UD dependency relation, with the subtypes English treebanks use (old and new names:
    /// EWT 2.14 writes `obl:unmarked` where earlier releases wrote `obl:tmod` / `obl:npmod`).
    Deprel {
        Acl = "acl", AclRelcl = "acl:relcl", Advcl = "advcl", AdvclRelcl = "advcl:relcl",
        Advmod = "advmod", Amod = "amod", Appos = "appos", Aux = "aux", AuxPass = "aux:pass",
        Case = "case", Cc = "cc", CcPreconj = "cc:preconj", Ccomp = "ccomp", Clf = "clf",
        Compound = "compound", CompoundPrt = "compound:prt", Conj = "conj", Cop = "cop",
        Csubj = "csubj", CsubjOuter = "csubj:outer", CsubjPass = "csubj:pass", Dep = "dep",
        Det = "det", DetPredet = "det:predet", Discourse = "discourse",
        Dislocated = "dislocated", Expl = "expl", Fixed = "fixed", Flat = "flat",
        FlatForeign = "flat:foreign", Goeswith = "goeswith", Iobj = "iobj", List = "list",
        Mark = "mark", Nmod = "nmod", NmodDesc = "nmod:desc", NmodNpmod = "nmod:npmod",
        NmodPoss = "nmod:poss", NmodTmod = "nmod:tmod", NmodUnmarked = "nmod:unmarked",
        Nsubj = "nsubj", NsubjOuter = "nsubj:outer", NsubjPass = "nsubj:pass",
        Nummod = "nummod", Obj = "obj", Obl = "obl", OblAgent = "obl:agent",
        OblNpmod = "obl:npmod", OblTmod = "obl:tmod", OblUnmarked = "obl:unmarked",
        Orphan = "orphan", Parataxis = "parataxis", Punct = "punct", Reparandum = "reparandum",
        Root = "root", Vocative = "vocative", Xcomp = "xcomp",
    }
}

impl Deprel {
    /// The universal relation without its subtype (`nsubj:pass` -> `nsubj`), as the CoNLL
    /// 2018 shared task scores labels.
    pub fn universal(self) -> &'static str {
        let s = self.as_str();
        s.split(':').next().unwrap_or(s)
    }

    /// Reads a relation; an unknown subtype falls back to its universal relation, an unknown
    /// relation to `dep`.
    pub fn parse_lenient(s: &str) -> Deprel {
        Deprel::parse(s)
            .or_else(|| Deprel::parse(s.split(':').next().unwrap_or(s)))
            .unwrap_or(Deprel::Dep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for &u in Upos::ALL {
            assert_eq!(Upos::parse(u.as_str()), Some(u));
            assert_eq!(Upos::from_index(u as usize), Some(u));
        }
        for &x in Xpos::ALL {
            assert_eq!(Xpos::parse(x.as_str()), Some(x));
        }
        for &d in Deprel::ALL {
            assert_eq!(Deprel::parse(d.as_str()), Some(d));
            assert_eq!(Deprel::from_index(d as usize), Some(d));
        }
        assert!(Deprel::ALL.len() <= 64, "label masks are u64");
        assert_eq!(Deprel::NsubjPass.universal(), "nsubj");
        assert_eq!(Deprel::parse_lenient("nmod:of"), Deprel::Nmod);
        assert_eq!(Deprel::parse_lenient("weird"), Deprel::Dep);
    }
}
