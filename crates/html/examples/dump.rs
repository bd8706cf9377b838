//! Prints what `extract` finds in an HTML file: `dump FILE [URL]` (for error analysis).

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
    println!("title: {:?}", page.title);
    println!("published: {:?}", page.published);
    println!("outlet: {:?}", page.outlet);
    println!("url: {:?}", page.url);
    for c in &page.captions {
        println!("caption: {c}");
    }
    for p in &page.paragraphs {
        println!("{}{}", if p.heading { "## " } else { "" }, p.text);
    }
}
