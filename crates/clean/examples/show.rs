//! Prints the articles cleaning finds in text pages: `cargo run -p crosscheck-clean --example show -- FILE...`
fn main() {
    for path in std::env::args().skip(1) {
        let page = std::fs::read_to_string(&path).expect("read");
        for (i, a) in crosscheck_clean::clean_page(&page).iter().enumerate() {
            println!("== {path} #{i}: {:?}", a.title);
            println!("   caption: {:?}", a.caption);
            println!(
                "   dateline: {:?} outlet: {:?} published: {:?}",
                a.dateline, a.outlet, a.published
            );
            for (j, p) in a.paragraphs.iter().enumerate() {
                let t = a.paragraph_text(j);
                let short: String = t.chars().take(90).collect();
                println!("   {}{}", if p.heading { "## " } else { "" }, short);
            }
        }
    }
}
