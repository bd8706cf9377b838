//! Main-content selection: which blocks of the page are the article body.
//!
//! 1. Every element gets a flag from its tag, ARIA role, `hidden`/`style` and class/id words:
//!    kept, dropped (navigation, forms, asides, share/related/comment/cookie widgets...) or
//!    caption (`figcaption`, `*caption*` classes). Figures keep only their captions.
//! 2. One walk turns the rest into text blocks (a block element's own inline text; `<br>`
//!    splits), each knowing its owner element, length, link-text length and commas.
//! 3. Readability-style scoring: each block of 25+ characters gives `1 + commas +
//!    min(len/100, 3)` to the element holding it and decaying shares to four more ancestors,
//!    candidates start from a tag prior and a class/id weight, and the final score is scaled
//!    by `1 - link density`. The best candidate is moved up when its ancestors hold most of
//!    the good candidates, and same-level siblings with enough score or clean prose join it.
//! 4. Blocks inside the chosen elements are kept unless they are mostly links or a known
//!    boilerplate line; captions inside them go to `captions`.

use crate::dom::{Dom, Kind, NodeId};
use crate::text::{decode, is_space, push_collapsed};

const KEEP: u8 = 0;
const DROP: u8 = 1;
const CAPTION: u8 = 2;
const FIGURE: u8 = 3;

/// Blocks shorter than this (non-space chars) give proportionally fewer points.
const SHORT_BLOCK: f32 = 80.0;

/// One paragraph-like run of text.
#[derive(Debug, Clone)]
pub struct Block {
    pub text: String,
    /// Nearest block-level element holding the text.
    pub owner: NodeId,
    pub len: u32,
    pub link_len: u32,
    pub commas: u32,
    pub heading: bool,
}

#[derive(Debug, Default)]
pub struct Content {
    pub blocks: Vec<Block>,
    pub captions: Vec<String>,
}

const DROP_TAGS: &[&str] = &[
    "nav", "aside", "footer", "header", "button", "select", "input", "textarea", "label", "script",
    "style", "noscript", "iframe", "svg", "math", "template", "object", "embed", "canvas", "video",
    "audio", "map", "dialog", "menu", "head", "title", "meta", "link", "fieldset", "datalist",
    "output", "progress", "meter", "form",
];

pub fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "blockquote"
            | "pre"
            | "figure"
            | "figcaption"
            | "address"
            | "hr"
            | "br"
            | "details"
            | "summary"
            | "center"
            | "body"
            | "html"
            | "form"
            | "fieldset"
            | "hgroup"
            | "picture"
            | "iframe"
            | "img"
            | "video"
            | "dialog"
            | "menu"
            | "legend"
    )
}

/// Tags whose text is a paragraph in its own right (readability's "p-like").
fn is_para_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "pre"
            | "td"
            | "th"
            | "li"
            | "dd"
            | "dt"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "address"
            | "caption"
            | "summary"
    )
}

/// class and id, lower-cased, as one string for substring tests.
pub(crate) fn class_id(dom: &Dom, id: NodeId) -> String {
    let mut s = String::new();
    if let Some(c) = dom.attr(id, "class") {
        s.push_str(c);
    }
    if let Some(i) = dom.attr(id, "id") {
        s.push(' ');
        s.push_str(i);
    }
    s.make_ascii_lowercase();
    s
}

/// Class/id substrings that always mark furniture, however much text it holds (a comment
/// thread can be longer than the article).
const STRONG: &[&str] = &[
    "comment",
    "disqus",
    "cookie",
    "consent",
    "gdpr",
    "breadcrumb",
    "outbrain",
    "taboola",
    "newsletter",
    "share",
    "sharing",
    "social",
    "popup",
    "modal",
    "byline",
    "author-bio",
    "authorbio",
    "about-author",
    "signup",
    "sign-up",
    "subscribe",
    "agegate",
    "sr-only",
    "screen-reader",
    "visually-hidden",
    "visuallyhidden",
    "remark",
    "replies",
    "shoutbox",
];

/// The strong words whose elements drop even when they hold most of the prose.
const ALWAYS: &[&str] = &[
    "comment", "disqus", "cookie", "consent", "gdpr", "remark", "replies", "shoutbox",
];

/// Class/id substrings that mark furniture unless the element holds most of the page's prose
/// (themes put "widget", "sidebar" or "menu" words on the wrappers of everything).
const WEAK: &[&str] = &[
    "-ad-",
    "ad-break",
    "banner",
    "combx",
    "community",
    "footer",
    "masthead",
    "menu",
    "pagination",
    "pager",
    "related",
    "recommend",
    "sidebar",
    "skyscraper",
    "sponsor",
    "trending",
    "most-popular",
    "mostpopular",
    "most-read",
    "mostread",
    "promo",
    "widget",
    "paywall",
    "toolbar",
    "navbar",
    "topbar",
    "nav-",
    "-nav",
];

/// Exact class/id tokens that mark furniture (too short to test as substrings); weak.
const WEAK_TOKENS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "advertisement",
    "nav",
    "tags",
    "tag",
    "meta",
    "print",
    "hidden",
    "hide",
    "rss",
    "extra",
    "supplemental",
    "header",
];

/// Substrings that keep an element whose class/id also names furniture ("article-share"
/// does not, "comment-body" ... is judged by the positive hit: see `classify`).
const MAYBE: &[&str] = &[
    "article", "body", "column", "content", "main", "story", "entry", "post", "text", "embed",
    "tweet",
];

const POSITIVE: &[&str] = &[
    "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text",
    "blog", "story", "prose",
];

const NEGATIVE: &[&str] = &[
    "-ad-",
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "footer",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "widget",
    "caption",
];

const CAPTION_WORDS: &[&str] = &[
    "caption",
    "credit",
    "image-desc",
    "img-desc",
    "photo-desc",
    "legend",
];

fn tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| c.is_ascii_whitespace())
        .filter(|t| !t.is_empty())
}

fn has_sub(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| s.contains(w))
}

fn class_weight(ci: &str) -> i32 {
    if ci.is_empty() {
        return 0;
    }
    let mut w = 0;
    if has_sub(ci, NEGATIVE) {
        w -= 25;
    }
    if has_sub(ci, POSITIVE) {
        w += 25;
    }
    w
}

/// Element flags from tags, roles, hiding and class/id words. `prose` is each element's
/// share of the page's prose (text in long low-link paragraphs), which protects wrappers
/// named like furniture.
fn classify(dom: &Dom, id: NodeId, prose: f32) -> u8 {
    let name = dom.name(id);
    // Furniture that holds most of the page's prose is the page's wrapper, not furniture.
    let protected = prose >= 0.4;
    if name == "figcaption" {
        return CAPTION;
    }
    if DROP_TAGS.contains(&name) {
        let structural = matches!(name, "header" | "footer" | "nav" | "aside" | "form");
        // Some sites wrap the whole page in one <form> (ASP.NET) or <header>.
        if structural && protected {
            return KEEP;
        }
        // The header of an article (headline, lead, byline) is the article's: the headline
        // and byline are filtered later, the lead is text.
        if name == "header" && inside_article(dom, id) {
            return KEEP;
        }
        return DROP;
    }
    // A figure holding a table or a code listing is content, not a picture with a caption.
    if name == "figure" && !holds_data(dom, id) {
        return FIGURE;
    }
    if dom.attr(id, "hidden").is_some()
        || dom
            .attr(id, "aria-hidden")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return DROP;
    }
    if let Some(style) = dom.attr(id, "style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return DROP;
        }
    }
    if let Some(role) = dom.attr(id, "role") {
        let r = role.trim().to_ascii_lowercase();
        if matches!(
            r.as_str(),
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "menu"
                | "menubar"
                | "search"
                | "dialog"
                | "alertdialog"
                | "tooltip"
                | "toolbar"
        ) {
            return DROP;
        }
    }
    if matches!(name, "body" | "html" | "a" | "article" | "main") {
        return KEEP;
    }
    if dom
        .attr(id, "itemprop")
        .is_some_and(|v| v.contains("articleBody"))
    {
        return KEEP;
    }
    let ci = class_id(dom, id);
    if ci.is_empty() {
        return KEEP;
    }
    if has_sub(&ci, CAPTION_WORDS) && !has_sub(&ci, &["article", "content", "body"]) {
        return CAPTION;
    }
    if has_sub(&ci, MAYBE) {
        return KEEP;
    }
    if has_sub(&ci, STRONG) {
        // A thread of comments can outweigh the article, so those always go; a sharing or
        // signup wrapper that holds most of the page's prose is the article's wrapper.
        if has_sub(&ci, ALWAYS) || prose < 0.5 {
            return DROP;
        }
        return KEEP;
    }
    let weak = has_sub(&ci, WEAK) || tokens(&ci).any(|t| WEAK_TOKENS.contains(&t));
    if weak && !protected {
        return DROP;
    }
    KEEP
}

/// Whether a `<table>` or `<pre>` is among the element's children or grandchildren.
fn holds_data(dom: &Dom, id: NodeId) -> bool {
    dom.children(id).any(|c| {
        matches!(dom.name(c), "table" | "pre")
            || dom
                .children(c)
                .any(|g| matches!(dom.name(g), "table" | "pre"))
    })
}

/// Whether an `<article>` holds the element.
fn inside_article(dom: &Dom, id: NodeId) -> bool {
    let mut cur = dom.parent(id);
    while let Some(c) = cur {
        if dom.name(c) == "article" {
            return true;
        }
        cur = dom.parent(c);
    }
    false
}

struct Walker {
    out: Vec<Block>,
    captions: Vec<(NodeId, String)>,
    cur: String,
    cur_link: u32,
    link_depth: u32,
    heading_depth: u32,
}

impl Walker {
    fn flush(&mut self, owner: NodeId) {
        let t = self.cur.trim();
        if !t.is_empty() {
            let len = t.chars().filter(|c| !is_space(*c)).count() as u32;
            let commas = t
                .chars()
                .filter(|&c| c == ',' || c == '，' || c == '،')
                .count() as u32;
            self.out.push(Block {
                text: t.to_owned(),
                owner,
                len,
                link_len: self.cur_link.min(len),
                commas,
                // Sentences set as a heading (a lead in an <h2>) are prose, not subheads.
                heading: self.heading_depth > 0 && !(len >= 60 && ends_sentence(t)),
            });
        }
        self.cur.clear();
        self.cur_link = 0;
    }
}

/// Per element: its share of the page's prose, i.e. of the text of blocks (elements' own
/// inline text, `<p>` or text-holding `<div>`) of 150+ bytes that are less than 30% links.
/// Children follow parents in the arena, so reverse index order is a bottom-up walk.
fn prose_share(dom: &Dom) -> Vec<f32> {
    let n = dom.nodes.len();
    let mut own = vec![0u32; n];
    let mut own_link = vec![0u32; n];
    for i in 1..n {
        if dom.nodes[i].kind != Kind::Text {
            continue;
        }
        let len = dom.raw_text(i as NodeId).trim().len() as u32;
        if len == 0 {
            continue;
        }
        let mut link = false;
        let mut cur = dom.nodes[i].parent;
        while cur != u32::MAX {
            let name = dom.name(cur);
            if name == "a" {
                link = true;
            }
            if cur == 0 || is_block(name) {
                own[cur as usize] += len;
                if link {
                    own_link[cur as usize] += len;
                }
                break;
            }
            cur = dom.nodes[cur as usize].parent;
        }
    }
    let mut prose = vec![0u32; n];
    for i in (1..n).rev() {
        if own[i] >= 150 && (own_link[i] as f32) < 0.3 * own[i] as f32 {
            prose[i] += own[i];
        }
        let p = dom.nodes[i].parent as usize;
        if p < n {
            prose[p] += prose[i];
        }
    }
    let total = prose[0].max(1) as f32;
    prose.iter().map(|&p| p as f32 / total).collect()
}

/// Text of a subtree (for captions), dropped parts excluded.
fn subtree_text(dom: &Dom, flags: &[u8], id: NodeId) -> String {
    let mut s = String::new();
    let mut stack = vec![id];
    while let Some(n) = stack.pop() {
        let node = dom.node(n);
        match node.kind {
            Kind::Text => push_collapsed(&mut s, &decode(dom.raw_text(n))),
            Kind::Element => {
                if n != id && flags[n as usize] == DROP {
                    continue;
                }
                if is_block(dom.name(n)) && !s.ends_with(' ') && !s.is_empty() {
                    s.push(' ');
                }
                let start = stack.len();
                stack.extend(dom.children(n));
                stack[start..].reverse();
            }
            _ => {}
        }
    }
    s.trim().to_owned()
}

pub fn collect(dom: &Dom) -> (Vec<Block>, Vec<(NodeId, String)>, Vec<u8>) {
    let prose = prose_share(dom);
    let mut flags = vec![KEEP; dom.nodes.len()];
    for id in dom.elements() {
        flags[id as usize] = classify(dom, id, prose[id as usize]);
    }
    let root = dom
        .elements()
        .find(|&id| dom.name(id) == "body")
        .unwrap_or(0);
    let mut w = Walker {
        out: Vec::new(),
        captions: Vec::new(),
        cur: String::new(),
        cur_link: 0,
        link_depth: 0,
        heading_depth: 0,
    };
    // Explicit stack: (node, exiting). Owners: stack of open block elements.
    let mut stack: Vec<(NodeId, bool)> = vec![(root, false)];
    let mut owners: Vec<NodeId> = vec![root];
    let mut figure_depth = 0u32;
    while let Some((id, exiting)) = stack.pop() {
        let node = dom.node(id);
        match node.kind {
            Kind::Text => {
                if figure_depth > 0 {
                    continue;
                }
                let before = w.cur.len();
                push_collapsed(&mut w.cur, &decode(dom.raw_text(id)));
                if w.link_depth > 0 {
                    let added = &w.cur[before..];
                    w.cur_link += added.chars().filter(|c| !is_space(*c)).count() as u32;
                }
            }
            Kind::Element => {
                let name = dom.name(id);
                let block = is_block(name);
                if exiting {
                    if block {
                        w.flush(*owners.last().unwrap_or(&root));
                        owners.pop();
                    }
                    match name {
                        "a" => w.link_depth = w.link_depth.saturating_sub(1),
                        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                            w.heading_depth = w.heading_depth.saturating_sub(1)
                        }
                        _ => {}
                    }
                    if flags[id as usize] == FIGURE {
                        figure_depth -= 1;
                    }
                    continue;
                }
                let flag = flags[id as usize];
                if flag == DROP && id != root {
                    continue;
                }
                if flag == CAPTION {
                    let t = subtree_text(dom, &flags, id);
                    // A "caption" class on a wrapper of real text is not a caption.
                    if t.len() <= 600 || name == "figcaption" {
                        if !t.is_empty() {
                            w.captions.push((id, t));
                        }
                        // A caption breaks the surrounding paragraph.
                        w.flush(*owners.last().unwrap_or(&root));
                        continue;
                    }
                }
                if name == "br" || name == "hr" {
                    w.flush(*owners.last().unwrap_or(&root));
                    continue;
                }
                if block {
                    w.flush(*owners.last().unwrap_or(&root));
                    owners.push(id);
                } else if matches!(name, "img" | "picture") {
                    continue;
                }
                match name {
                    "a" => w.link_depth += 1,
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => w.heading_depth += 1,
                    _ => {}
                }
                if flag == FIGURE {
                    figure_depth += 1;
                }
                stack.push((id, true));
                let start = stack.len();
                stack.extend(dom.children(id).map(|c| (c, false)));
                stack[start..].reverse();
            }
            _ => {}
        }
    }
    w.flush(root);
    (w.out, w.captions, flags)
}

/// Picks the main content and returns its blocks and captions: the rules' choice, less the
/// blocks the learned block model is confident are boilerplate.
pub fn select(
    dom: &Dom,
    title: Option<&str>,
    model: Option<&crate::blocks::BlockModel>,
) -> Content {
    let mut c = select_by_rules(dom, title);
    if let Some(m) = model {
        crate::blocks::filter(m, dom, &mut c.blocks);
    }
    c
}

/// The main content as the rules pick it (what the block model is trained on).
pub fn select_by_rules(dom: &Dom, title: Option<&str>) -> Content {
    let (mut blocks, captions, flags) = collect(dom);
    drop_related_sections(dom, &mut blocks);
    let n = dom.nodes.len();
    if blocks.is_empty() {
        return Content::default();
    }

    // Elements that contain block elements (a div with only inline content acts as a <p>).
    let mut has_block_child = vec![false; n];
    for id in dom.elements() {
        if is_block(dom.name(id))
            && let Some(p) = dom.parent(id)
        {
            has_block_child[p as usize] = true;
        }
    }

    // Totals per element: text length and link-text length of the blocks inside.
    let mut total = vec![0u32; n];
    let mut links = vec![0u32; n];
    for b in &blocks {
        let mut cur = Some(b.owner);
        while let Some(c) = cur {
            total[c as usize] += b.len;
            links[c as usize] += b.link_len;
            cur = dom.parent(c);
        }
    }

    // Readability scoring.
    let mut score = vec![f32::NAN; n];
    let init = |id: NodeId, score: &mut Vec<f32>| {
        if score[id as usize].is_nan() {
            let name = dom.name(id);
            let base = match name {
                "div" | "article" | "main" | "section" => 5.0,
                "pre" | "td" | "blockquote" => 3.0,
                "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
                _ => 0.0,
            };
            let mut w = class_weight(&class_id(dom, id)) as f32;
            if name == "article"
                || dom
                    .attr(id, "itemprop")
                    .is_some_and(|v| v.contains("articleBody"))
            {
                w += 25.0;
            }
            score[id as usize] = base + w;
        }
    };
    for b in &blocks {
        if b.len < 25 || b.heading {
            continue;
        }
        let owner_name = dom.name(b.owner);
        let level0 = if is_para_tag(owner_name) || !has_block_child[b.owner as usize] {
            dom.parent(b.owner)
        } else {
            Some(b.owner)
        };
        // Short fragments (names, list items, table cells) are weak evidence of prose, however
        // many commas they hold: their points scale with length up to a sentence or two.
        let s = (1.0 + b.commas as f32 + (b.len as f32 / 100.0).min(3.0))
            * (b.len as f32 / SHORT_BLOCK).min(1.0);
        let mut cur = level0;
        for level in 0..5 {
            let Some(c) = cur else { break };
            if c == 0 {
                break;
            }
            init(c, &mut score);
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[c as usize] += s / div;
            cur = dom.parent(c);
        }
    }
    let ld = |id: NodeId| -> f32 {
        let t = total[id as usize];
        if t == 0 {
            0.0
        } else {
            links[id as usize] as f32 / t as f32
        }
    };
    let mut cands: Vec<(NodeId, f32)> = (0..n as NodeId)
        .filter(|&i| !score[i as usize].is_nan())
        .map(|i| (i, score[i as usize] * (1.0 - ld(i))))
        .collect();
    cands.sort_by(|a, b| b.1.total_cmp(&a.1));
    let final_score = |id: NodeId| -> Option<f32> {
        let s = score[id as usize];
        (!s.is_nan()).then(|| s * (1.0 - ld(id)))
    };

    let body = dom
        .elements()
        .find(|&id| dom.name(id) == "body")
        .unwrap_or(0);
    let mut top = match cands.first() {
        Some(&(id, _)) => id,
        None => body,
    };
    let top_score = cands.first().map_or(0.0, |c| c.1);

    // If several strong candidates share an ancestor with the top one, that ancestor is the
    // article (the text is split into sections).
    let alternatives: Vec<NodeId> = cands
        .iter()
        .skip(1)
        .take(4)
        .filter(|c| c.1 >= top_score * 0.75)
        .map(|c| c.0)
        .collect();
    if alternatives.len() >= 3 {
        let mut parent = dom.parent(top);
        while let Some(p) = parent {
            if p == body || p == 0 {
                break;
            }
            let contained = alternatives
                .iter()
                .filter(|&&a| is_ancestor(dom, p, a))
                .count();
            if contained >= 3 {
                top = p;
                break;
            }
            parent = dom.parent(p);
        }
    }
    // Walk up while the parent scores higher (readability's "scores shouldn't get too low").
    {
        let mut last = final_score(top).unwrap_or(0.0);
        let threshold = last / 3.0;
        let mut parent = dom.parent(top);
        while let Some(p) = parent {
            if p == body || p == 0 {
                break;
            }
            match final_score(p) {
                None => {}
                Some(ps) if ps < threshold => break,
                Some(ps) => {
                    if ps > last {
                        top = p;
                        break;
                    }
                    last = ps;
                }
            }
            parent = dom.parent(p);
        }
    }
    let core = top;
    top = widen_to_prose(dom, top, body, &blocks, &total);
    // A lone child is the same content as its parent.
    while let Some(p) = dom.parent(top) {
        if p == body || p == 0 {
            break;
        }
        let elem_kids = dom
            .children(p)
            .filter(|&c| dom.node(c).kind == Kind::Element)
            .count();
        if elem_kids != 1 {
            break;
        }
        top = p;
    }

    // Siblings that belong to the article.
    let mut chosen = vec![false; n];
    chosen[top as usize] = true;
    if let Some(parent) = dom.parent(top) {
        let top_final = final_score(top).unwrap_or(0.0);
        let threshold = (top_final * 0.2).max(10.0);
        let top_class = dom.attr(top, "class").unwrap_or("");
        for sib in dom.children(parent) {
            if sib == top || dom.node(sib).kind != Kind::Element {
                continue;
            }
            if flags[sib as usize] == DROP {
                continue;
            }
            // Each <article> is a composition of its own: a sibling one is another story.
            if dom.name(sib) == "article" && dom.name(top) == "article" {
                continue;
            }
            let mut bonus = 0.0;
            if !top_class.is_empty() && dom.attr(sib, "class") == Some(top_class) {
                bonus += top_final * 0.2;
            }
            let sib_score = final_score(sib).unwrap_or(f32::NEG_INFINITY) + bonus;
            let mut append = sib_score >= threshold;
            if !append && dom.name(sib) == "p" {
                let len = total[sib as usize];
                let d = ld(sib);
                if len > 80 && d < 0.25 {
                    append = true;
                } else if len > 0 && len < 80 && d == 0.0 {
                    // Short clean sentence.
                    append = sibling_text_ends_sentence(&blocks, sib);
                }
            }
            if append {
                chosen[sib as usize] = true;
            }
        }
    }

    // Membership: nodes are in document order, parents before children.
    let mut inside = vec![false; n];
    for i in 0..n {
        let p = dom.node(i as NodeId).parent;
        inside[i] = chosen[i] || (p != u32::MAX && inside[p as usize]);
    }

    // What widening added around the core: only its prose, link-free sentences, and headings
    // over that prose.
    let mut in_core = vec![false; n];
    for i in 0..n {
        let p = dom.node(i as NodeId).parent;
        in_core[i] = i == core as usize || (p != u32::MAX && in_core[p as usize]);
    }
    let is_prose = |b: &Block| b.len >= 80 && (b.link_len as f32) < 0.2 * b.len as f32;
    let lead = leading_prose(dom, &blocks, &inside, top, body);
    // Short labels over a list of links ("Similar topics", "Tags:") title navigation.
    let link_heavy = |b: &Block| b.len > 0 && b.link_len as f32 / b.len as f32 > 0.7;
    let labels_links: Vec<bool> = (0..blocks.len())
        .map(|i| {
            let b = &blocks[i];
            b.len < TAIL_LABEL
                && !ends_sentence(&b.text)
                && !link_heavy(b)
                && !is_item(dom, b.owner)
                && blocks.get(i + 1).is_some_and(link_heavy)
        })
        .collect();
    let widened_only: Vec<bool> = (0..blocks.len())
        .map(|i| {
            let b = &blocks[i];
            let added = top != core && is_ancestor(dom, top, b.owner) && !in_core[b.owner as usize];
            let heads_prose = b.heading && blocks.get(i + 1).is_some_and(is_prose);
            let sentence = b.link_len == 0 && ends_sentence(&b.text);
            added && !is_prose(b) && !heads_prose && !sentence
        })
        .collect();

    // Of an article's header only the lead (prose) is text: labels and bylines are not.
    let mut in_header = vec![false; n];
    for i in 0..n {
        let p = dom.node(i as NodeId).parent;
        in_header[i] = (dom.node(i as NodeId).kind == Kind::Element
            && dom.name(i as NodeId) == "header")
            || (p != u32::MAX && in_header[p as usize]);
    }

    let title_norm = title.map(norm_text);
    let first_prose = blocks
        .iter()
        .position(|b| {
            inside[b.owner as usize] && b.len >= 80 && (b.link_len as f32) < 0.2 * b.len as f32
        })
        .unwrap_or(0);
    let h1_norm = dom
        .elements()
        .find(|&id| dom.name(id) == "h1")
        .map(|id| norm_text(&subtree_text(dom, &flags, id)));
    // The last clean prose block of the content: what follows it is trailer material.
    let last_prose = blocks
        .iter()
        .rposition(|b| {
            inside[b.owner as usize] && b.len >= 80 && (b.link_len as f32) < 0.2 * b.len as f32
        })
        .unwrap_or(0);
    let mut out_blocks = Vec::new();
    for (i, b) in blocks.into_iter().enumerate() {
        if !(inside[b.owner as usize] || lead[i])
            || widened_only[i]
            || labels_links[i]
            || (in_header[b.owner as usize] && !b.heading && !is_prose(&b))
        {
            continue;
        }
        // Mostly-link lines are navigation ("read more", related lists, tag lists). Lines
        // that are a link and a few words (a source, a product) are text: F1 is flat for
        // thresholds 0.6-0.8 on the dev pages and falls on both sides.
        if b.len > 0 && b.link_len as f32 / b.len as f32 > 0.7 {
            continue;
        }
        // Who/when lines, and calls to action after the last paragraph of prose.
        if b.len < 120
            && (is_byline_or_date(&b.text) || (i > last_prose && is_call_to_action(&b.text)))
        {
            continue;
        }
        // After the last paragraph of prose, short lines that are no sentence are labels of
        // what follows the article (tags, "similar topics", photo credits), not its text.
        // Items of a list or table closing the article are its text.
        if i > last_prose && b.len < TAIL_LABEL && !ends_sentence(&b.text) && !is_item(dom, b.owner)
        {
            continue;
        }
        // The headline again (as a subhead, or as the first line of the body).
        if let Some(t) = &title_norm
            && (b.heading || i < first_prose)
            && b.len >= 10
        {
            let bn = norm_text(&b.text);
            if bn == *t
                || (!b.heading && t.starts_with(&bn))
                || (b.heading && h1_norm.as_ref() == Some(&bn))
            {
                continue;
            }
        }
        if is_boilerplate_line(&b.text) {
            continue;
        }
        out_blocks.push(b);
    }
    let mut caps: Vec<String> = Vec::new();
    for (id, t) in captions {
        if inside[id as usize] && !caps.contains(&t) && !is_boilerplate_line(&t) {
            caps.push(t);
        }
    }
    drop_author_bio(&mut out_blocks);
    drop_trailer(dom, &mut out_blocks);
    drop_empty_sections(&mut out_blocks);
    Content {
        blocks: out_blocks,
        captions: caps,
    }
}

const LEAD_LEVELS: usize = 3;
const LEAD_SKIPS: usize = 1;

/// Prose just before the chosen content, close to it in the tree, is its lead (a summary,
/// a standfirst in its own box): walking back from the first chosen block, prose blocks under
/// the same ancestor ([`LEAD_LEVELS`] up) join, over at most [`LEAD_SKIPS`] other blocks between.
fn leading_prose(
    dom: &Dom,
    blocks: &[Block],
    inside: &[bool],
    top: NodeId,
    body: NodeId,
) -> Vec<bool> {
    let mut lead = vec![false; blocks.len()];
    let Some(first) = blocks.iter().position(|b| inside[b.owner as usize]) else {
        return lead;
    };
    let mut anc = top;
    for _ in 0..LEAD_LEVELS {
        match dom.parent(anc) {
            Some(p) if p != body && p != 0 => anc = p,
            _ => break,
        }
    }
    if anc == top {
        return lead;
    }
    let mut skipped = 0;
    for i in (0..first).rev() {
        let b = &blocks[i];
        if !dom.is_ancestor(anc, b.owner) {
            break;
        }
        if !b.heading && b.len >= 80 && (b.link_len as f32) < 0.2 * b.len as f32 {
            lead[i] = true;
            skipped = 0;
        } else {
            skipped += 1;
            if skipped > LEAD_SKIPS {
                break;
            }
        }
    }
    lead
}

/// The element whose paragraphs hold most of the prose: the owner of a prose block, or the
/// parent of a `<p>`-like owner.
pub(crate) fn body_container(dom: &Dom, blocks: &[Block]) -> Option<NodeId> {
    let mut by: std::collections::HashMap<NodeId, u32> = std::collections::HashMap::new();
    for b in blocks {
        if b.heading || b.len < 80 || b.link_len as f32 >= 0.2 * b.len as f32 {
            continue;
        }
        let c = if is_para_tag(dom.name(b.owner)) {
            dom.parent(b.owner).unwrap_or(b.owner)
        } else {
            b.owner
        };
        *by.entry(c).or_insert(0) += b.len;
    }
    by.into_iter()
        .max_by_key(|&(id, len)| (len, std::cmp::Reverse(id)))
        .map(|(id, _)| id)
}

/// What follows the body's container, in other elements, is the article's trailer (author
/// boxes, donation and follow calls, "continue reading" teasers) when it is small next to
/// the body; a large remainder is more of the article (a body split by an advert).
fn drop_trailer(dom: &Dom, blocks: &mut Vec<Block>) {
    let Some(body) = body_container(dom, blocks) else {
        return;
    };
    let inside = |b: &Block| b.owner == body || dom.is_ancestor(body, b.owner);
    let Some(last) = blocks.iter().rposition(inside) else {
        return;
    };
    let body_len: u32 = blocks.iter().filter(|b| inside(b)).map(|b| b.len).sum();
    let tail_len: u32 = blocks[last + 1..].iter().map(|b| b.len).sum();
    if tail_len > 0 && (tail_len as f32) < TRAILER_SHARE * body_len as f32 {
        blocks.truncate(last + 1);
    }
}

/// Largest trailer, as a share of the body's text, that [`drop_trailer`] drops.
const TRAILER_SHARE: f32 = 0.25;

/// Moves the chosen element up to an ancestor (up to four levels at a time) when what that
/// ancestor adds is mostly clean prose: an article split into parts (a letter and its table
/// of signatories, an intro box and the body) is one article, while an ancestor that adds
/// teasers, link lists or short furniture is not taken.
fn widen_to_prose(
    dom: &Dom,
    mut top: NodeId,
    body: NodeId,
    blocks: &[Block],
    total: &[u32],
) -> NodeId {
    let mut prose = vec![0u32; total.len()];
    for b in blocks {
        if b.heading || b.len < 80 || b.link_len as f32 >= 0.2 * b.len as f32 {
            continue;
        }
        let mut cur = Some(b.owner);
        while let Some(c) = cur {
            prose[c as usize] += b.len;
            cur = dom.parent(c);
        }
    }
    let mut level = 0;
    let mut anc = dom.parent(top);
    while let Some(a) = anc {
        if a == body || a == 0 || level >= 4 {
            break;
        }
        let extra_total = total[a as usize] - total[top as usize];
        let extra_prose = prose[a as usize] - prose[top as usize];
        if extra_prose >= 160 && extra_prose as f32 >= 0.6 * extra_total as f32 {
            top = a;
            level = 0;
        } else {
            level += 1;
        }
        anc = dom.parent(a);
    }
    top
}

/// Lines after the article's last prose shorter than this (non-space chars) must end a
/// sentence to be kept.
const TAIL_LABEL: u32 = 40;

/// A list or table item: short lines there are the content's own.
pub(crate) fn is_item(dom: &Dom, owner: NodeId) -> bool {
    matches!(dom.name(owner), "li" | "td" | "th" | "dd" | "dt" | "pre")
}

pub(crate) fn ends_sentence(t: &str) -> bool {
    t.trim_end().ends_with([
        '.', '!', '?', '…', '"', '”', '»', '\'', '’', ')', '。', '！', '？', ':',
    ])
}

/// Headings that title a list of other stories or the comments ("Related", "You may also
/// like", "Leia também"...), in the languages we meet most.
const RELATED: &[&str] = &[
    "related",
    "you may also like",
    "you might also like",
    "you may like",
    "you might like",
    "you may be interested",
    "more stories",
    "more from",
    "more news",
    "more on this",
    "recommended",
    "read more",
    "read next",
    "read also",
    "also read",
    "see also",
    "trending",
    "most popular",
    "most read",
    "top stories",
    "latest news",
    "don t miss",
    "what to read next",
    "comments",
    "leave a comment",
    "leave a reply",
    "join the conversation",
    "você pode gostar",
    "você também pode gostar",
    "veja também",
    "leia também",
    "leia mais",
    "mais lidas",
    "notícias relacionadas",
    "posts relacionados",
    "te puede interesar",
    "también te puede interesar",
    "noticias relacionadas",
    "lee también",
    "más leídas",
    "artículos relacionados",
    "potrebbe interessarti",
    "ti potrebbe interessare",
    "articoli correlati",
    "leggi anche",
    "à lire aussi",
    "lire aussi",
    "articles similaires",
    "sur le même sujet",
    "vous aimerez aussi",
    "lesen sie auch",
    "das könnte sie auch interessieren",
    "mehr zum thema",
    "ähnliche artikel",
    "weitere artikel",
    "baca juga",
    "artikel terkait",
    "terkait",
    "читайте также",
    "похожие статьи",
    "самые популярные",
];

fn is_related_heading(t: &str) -> bool {
    let words: Vec<String> = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() || words.len() > 8 {
        return false;
    }
    let joined = words.join(" ");
    RELATED.iter().any(|r| {
        let rw = r.split(' ').count();
        (joined == *r || joined.starts_with(&format!("{r} "))) && words.len() <= rw + 2
    })
}

/// A "Related ..." heading and what follows it inside its section are not the article: drops
/// those blocks before scoring (a long list of teasers can outscore a short article).
fn drop_related_sections(dom: &Dom, blocks: &mut Vec<Block>) {
    let mut cut = vec![false; blocks.len()];
    for i in 0..blocks.len() {
        if !blocks[i].heading || cut[i] || !is_related_heading(&blocks[i].text) {
            continue;
        }
        // The section: the heading's parent, widened while it holds nothing but the heading.
        let mut section = dom.parent(blocks[i].owner).unwrap_or(0);
        for _ in 0..3 {
            let others = blocks
                .iter()
                .enumerate()
                .any(|(j, b)| j != i && is_ancestor(dom, section, b.owner));
            if others || section == 0 || matches!(dom.name(section), "body" | "html") {
                break;
            }
            section = dom.parent(section).unwrap_or(0);
        }
        if section == 0 || matches!(dom.name(section), "body" | "html") {
            cut[i] = true;
            continue;
        }
        for (j, b) in blocks.iter().enumerate().skip(i) {
            if b.owner == section || is_ancestor(dom, section, b.owner) {
                cut[j] = true;
            }
        }
        cut[i] = true;
    }
    let mut k = cut.into_iter();
    blocks.retain(|_| !k.next().unwrap_or(false));
}

/// Drops a closing "Jane Doe is a reporter for ..." note among the last blocks.
fn drop_author_bio(blocks: &mut Vec<Block>) {
    let n = blocks.len();
    let start = n.saturating_sub(3);
    let mut i = start;
    while i < blocks.len() {
        if is_author_bio(&blocks[i].text) {
            blocks.remove(i);
        } else {
            i += 1;
        }
    }
}

fn is_author_bio(t: &str) -> bool {
    if t.chars().count() > 400 {
        return false;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    // A name of one to four capitalised words, then "is/was a/an/the ...".
    let Some(verb) = words
        .iter()
        .take(6)
        .position(|w| matches!(*w, "is" | "was" | "covers"))
    else {
        return false;
    };
    if verb == 0
        || !words[..verb]
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
    {
        return false;
    }
    let l = t.to_lowercase();
    const ROLES: &[&str] = &[
        "reporter",
        "writer",
        "editor",
        "correspondent",
        "journalist",
        "columnist",
        "contributor",
        "author of",
        "producer",
        "curator",
        "staff",
    ];
    ROLES.iter().any(|r| l.contains(r))
}

/// Drops headings with no text under them (their section was furniture that got removed, or
/// they title a list of links: "Topics", "Related").
fn drop_empty_sections(blocks: &mut Vec<Block>) {
    let mut keep = vec![true; blocks.len()];
    for i in 0..blocks.len() {
        // A heading of a sentence or more is prose set large (a lead, an interview question).
        if blocks[i].heading && blocks[i].len < 80 && blocks.get(i + 1).is_none_or(|n| n.heading) {
            keep[i] = false;
        }
    }
    let mut k = keep.into_iter();
    blocks.retain(|_| k.next().unwrap_or(true));
}

const MONTHS: &[&str] = &[
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
    "enero",
    "febrero",
    "marzo",
    "mayo",
    "junio",
    "julio",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "gennaio",
    "febbraio",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "settembre",
    "ottobre",
    "dicembre",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "januar",
    "februar",
    "märz",
    "juni",
    "juli",
    "oktober",
    "dezember",
    "ago",
    "set",
    "out",
    "dez",
    "ene",
    "dic",
    "gen",
    "mag",
    "giu",
    "lug",
    "ott",
];

const DATE_WORDS: &[&str] = &[
    "am",
    "pm",
    "a",
    "p",
    "m",
    "at",
    "on",
    "de",
    "às",
    "um",
    "le",
    "el",
    "del",
    "published",
    "updated",
    "posted",
    "last",
    "est",
    "edt",
    "pst",
    "pdt",
    "cst",
    "cdt",
    "gmt",
    "utc",
    "bst",
    "cet",
    "cest",
    "hst",
    "ist",
    "ET",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "segunda",
    "terça",
    "quarta",
    "quinta",
    "sexta",
    "feira",
    "sábado",
    "domingo",
    "publicado",
    "atualizado",
    "em",
    "pubblicato",
    "aggiornato",
    "il",
    "h",
];

/// "By Jane Doe", "Nov. 19, 2019 5:50 PM", "Image 2 of 5": short lines that only say who
/// and when, or count gallery slides.
fn is_byline_or_date(t: &str) -> bool {
    let words: Vec<&str> = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return false;
    }
    if words.len() == 4
        && matches!(
            words[0].to_lowercase().as_str(),
            "image" | "photo" | "picture" | "slide" | "foto" | "imagem" | "imagen" | "bild"
        )
        && matches!(
            words[2].to_lowercase().as_str(),
            "of" | "de" | "di" | "von" | "sur"
        )
        && words[1].chars().all(|c| c.is_ascii_digit())
        && words[3].chars().all(|c| c.is_ascii_digit())
    {
        return true;
    }
    let mut first = words[0].to_lowercase();
    if words.len() > 2
        && matches!(
            first.as_str(),
            "written" | "posted" | "published" | "publicado" | "escrito"
        )
        && matches!(words[1].to_lowercase().as_str(), "by" | "por")
    {
        first = "by".to_owned();
    }
    if matches!(first.as_str(), "by" | "por" | "von" | "par" | "di")
        && words.len() <= 8
        && words[1..]
            .iter()
            .any(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !t.contains(". ")
    {
        return true;
    }
    let digits = words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()));
    let datey = words
        .iter()
        .filter(|w| {
            let l = w.to_lowercase();
            w.chars().all(|c| c.is_ascii_digit())
                || MONTHS.contains(&l.as_str())
                || DATE_WORDS.contains(&l.as_str())
        })
        .count();
    // A month name or a written date/time ("22/01/2018", "0:13"), not just numbers (tables).
    let month = words
        .iter()
        .any(|w| MONTHS.contains(&w.to_lowercase().as_str()));
    let b = t.as_bytes();
    let stamp = (1..b.len().saturating_sub(2)).any(|i| {
        matches!(b[i], b'/' | b':' | b'.')
            && b[i - 1].is_ascii_digit()
            && b[i + 1].is_ascii_digit()
            && b[i + 2].is_ascii_digit()
    });
    digits && (month || stamp) && datey * 10 >= words.len() * 8
}

/// Lines after the article asking the reader to follow, subscribe, write in.
fn is_call_to_action(t: &str) -> bool {
    let l = t.to_lowercase();
    const CTA: &[&str] = &[
        "follow us",
        "follow her",
        "follow him",
        "follow them",
        "on twitter",
        "on facebook",
        "subscribe",
        "newsletter",
        "sign up",
        "contributed to this report",
        "all rights reserved",
        "copyright",
        "©",
        "may be reached at",
        "can be reached at",
        "click here",
        "share this",
        "sharing is caring",
    ];
    CTA.iter().any(|c| l.contains(c))
}

fn sibling_text_ends_sentence(blocks: &[Block], owner: NodeId) -> bool {
    blocks
        .iter()
        .filter(|b| b.owner == owner)
        .any(|b| b.text.ends_with('.') || b.text.contains(". "))
}

fn is_ancestor(dom: &Dom, anc: NodeId, id: NodeId) -> bool {
    dom.is_ancestor(anc, id)
}

fn norm_text(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Short lines that are page furniture in any article (calls to action, ad labels).
fn is_boilerplate_line(t: &str) -> bool {
    if t.chars().count() > 60 {
        return false;
    }
    let l = t.to_lowercase();
    let l = l.trim_matches(|c: char| !c.is_alphanumeric());
    const EXACT: &[&str] = &[
        "advertisement",
        "advertising",
        "ad",
        "sponsored",
        "story continues below advertisement",
        "continue reading below",
        "article continues below",
        "share",
        "share this",
        "share this article",
        "share this story",
        "tweet",
        "email",
        "print",
        "comments",
        "read more",
        "related",
        "related articles",
        "related stories",
        "recommended",
        "loading",
        "skip to content",
        "skip to main content",
        "publicidade",
        "publicidad",
        "anzeige",
        "werbung",
        "pubblicità",
        "publicité",
        "реклама",
        "advert",
        "adverts",
        "iklan",
        "annonce",
        "previous post",
        "next post",
        "previous article",
        "next article",
        "back to top",
    ];
    EXACT.contains(&l)
}
