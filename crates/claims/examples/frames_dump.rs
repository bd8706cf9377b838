//! Prints the dependency parse of each argument as `claims::frames` reads it:
//! `cargo run -p crosscheck-claims --example frames_dump -- "Officials said he was not indicted."`

fn main() {
    for s in std::env::args().skip(1) {
        let p = crosscheck_claims::frames::Parsed::new(&s, 0, s.len());
        for (i, t) in p.toks.iter().enumerate() {
            let head = t.head.map(|h| p.toks[h].lower.as_str()).unwrap_or("ROOT");
            println!(
                "{i:>3} {:<16} {:<12} {:<6} {:<12} <- {head}",
                t.lower,
                t.lemma,
                t.upos.as_str(),
                t.rel.as_str()
            );
        }
        println!();
    }
}
