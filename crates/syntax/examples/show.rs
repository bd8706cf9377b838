//! Prints the analysis of sentences, one per line on stdin, tokens separated by spaces
//! (CoNLL-U columns: id, word, lemma, UPOS, XPOS, head, relation):
//! `echo "Officials said the senator was not indicted ." | show [--model MODEL.bin]`.

mod common;

use std::io::BufRead;

use common::die;
use syntax::Parser;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parser: &Parser = match args.iter().position(|a| a == "--model") {
        Some(i) => {
            let p = args
                .get(i + 1)
                .unwrap_or_else(|| die("--model needs a path"));
            let bytes = std::fs::read(p).unwrap_or_else(|e| die(&format!("{p}: {e}")));
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            let parser = Parser::from_bytes(bytes).unwrap_or_else(|e| die(&format!("{p}: {e}")));
            Box::leak(Box::new(parser))
        }
        None => Parser::global(),
    };
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap_or_else(|e| die(&format!("stdin: {e}")));
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        for (i, (w, a)) in words.iter().zip(parser.parse(&words)).enumerate() {
            println!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                i + 1,
                w,
                a.lemma,
                a.upos,
                a.xpos,
                a.head.map_or(0, |h| h + 1),
                a.deprel
            );
        }
        println!();
    }
}
