//! Prints what `extract` finds in an HTML file: `extract_dump FILE [URL]` (for error analysis).

use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: dump FILE [URL]");
        std::process::exit(2);
    };
    let url = args.next();
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let html = String::from_utf8_lossy(&bytes);
    let page = crosscheck_html::extract(&html, url.as_deref());
    // Write errors (a closed pipe) are ignored.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "title: {:?}", page.title);
    let _ = writeln!(out, "published: {:?}", page.published);
    let _ = writeln!(out, "outlet: {:?}", page.outlet);
    let _ = writeln!(out, "url: {:?}", page.url);
    for c in &page.captions {
        let _ = writeln!(out, "caption: {c}");
    }
    for p in &page.paragraphs {
        let _ = writeln!(out, "{}{}", if p.heading { "## " } else { "" }, p.text);
    }
}
