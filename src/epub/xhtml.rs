//! Documents → XHTML. Every page is a complete, well-formed XHTML 5 file with the book's
//! language on it; every link points at a file and an id that exist.

use std::collections::HashSet;
use std::fmt::Write;

use super::images::Images;
use super::xml::{escape, escape_url};
use crate::config::CodeStyle;
use crate::document::{
    Alignment, Block, Document, Image, ImageSource, Inline, InlineStyle, LinkTarget, QuoteStyle,
};

/// What rendering needs to know about the rest of the book.
pub struct Links<'a> {
    /// File name of each post's page, by post index.
    pub post_files: &'a [String],
    /// The ids each post's page defines, by post index.
    pub ids: &'a [HashSet<String>],
    pub images: &'a Images,
    /// Highlighting and line numbers of listings.
    pub code: CodeStyle,
}

/// A whole XHTML page around `body`.
pub fn page(language: &str, title: &str, body_type: &str, body: &str) -> String {
    let language = escape(language);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{language}\" lang=\"{language}\">\n\
         <head>\n<meta charset=\"UTF-8\"/>\n<title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"../styles/book.css\"/>\n</head>\n\
         <body epub:type=\"{body_type}\">\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// Ids given to headings: the heading's text (as Hexo's anchors are), made unique.
pub fn heading_ids(doc: &Document) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut ids = Vec::new();
    visit_headings(&doc.blocks, &mut |_, content| {
        let base = anchor_of(&Inline::plain_text(content));
        let mut id = base.clone();
        let mut n = 1;
        while !seen.insert(id.clone()) {
            n += 1;
            id = format!("{base}-{n}");
        }
        ids.push(id);
    });
    ids
}

/// Calls `f` on every heading among `blocks` and the blocks nested in them, in the order
/// [`PostWriter`] writes them (which takes their ids in that order).
fn visit_headings<'b>(
    blocks: impl IntoIterator<Item = &'b Block>,
    f: &mut dyn FnMut(u8, &[Inline]),
) {
    for block in blocks {
        match block {
            Block::Heading { level, content } => f(*level, content),
            other => visit_headings(other.children(), f),
        }
    }
}

/// An XML id from heading text: spaces become `-`; it starts with a letter.
fn anchor_of(text: &str) -> String {
    let mut id: String = text
        .trim()
        .chars()
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    if !id
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
    {
        id.insert_str(0, "h-");
    }
    id
}

/// A formula as MathML, its TeX as `alttext` (what screen readers and search read).
fn formula(tex: &str, display: bool) -> String {
    let mathml = crate::math::mathml(tex, display);
    match mathml.strip_prefix("<math") {
        Some(rest) => format!("<math alttext=\"{}\"{rest}", escape(tex)),
        None => mathml,
    }
}

/// The id of the `k`-th reference to note `n`: `fnref-3`, then `fnref-3-2`, `fnref-3-3`…
fn note_ref_id(n: usize, k: usize) -> String {
    if k <= 1 {
        format!("fnref-{n}")
    } else {
        format!("fnref-{n}-{k}")
    }
}

/// Renders one post's page body: title block, content, footnotes.
pub struct PostWriter<'a> {
    links: &'a Links<'a>,
    index: usize,
    heading_ids: std::vec::IntoIter<String>,
    /// Added to Markdown heading levels so a post's highest heading is `h2` (under the post
    /// title's `h1`), whether the author started at `#` or `###`.
    heading_shift: i32,
    /// The level of the heading written last (1: the post title): a heading goes at most one
    /// level deeper, so a skipped level (`##` then `####`) leaves no gap for screen readers.
    last_heading: i32,
    /// Whether an `<a>` is open: what is written now may not link anywhere else.
    in_link: bool,
    /// How many times each footnote has been referenced so far (each reference gets its own
    /// id, and the note links back to each).
    note_refs: Vec<usize>,
    out: String,
}

impl<'a> PostWriter<'a> {
    pub fn new(links: &'a Links<'a>, index: usize, doc: &Document) -> Self {
        let mut top = 6;
        visit_headings(&doc.blocks, &mut |level, _| top = top.min(level));
        PostWriter {
            links,
            index,
            heading_ids: heading_ids(doc).into_iter(),
            heading_shift: 2 - i32::from(top),
            last_heading: 1,
            in_link: false,
            note_refs: vec![0; doc.footnotes.len()],
            out: String::new(),
        }
    }

    pub fn render(mut self, header: &str, doc: &Document) -> String {
        self.out
            .push_str("<section class=\"post\" epub:type=\"chapter\" role=\"doc-chapter\">\n");
        self.out.push_str(header);
        self.blocks(&doc.blocks);
        if !doc.footnotes.is_empty() {
            self.out.push_str("<section class=\"footnotes\" epub:type=\"footnotes\">\n<hr class=\"footnotes-rule\"/>\n");
            for (i, note) in doc.footnotes.iter().enumerate() {
                let n = i + 1;
                let _ = write!(
                    self.out,
                    "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-{n}\" class=\"footnote\">\n<p class=\"footnote-label\"><a href=\"#fnref-{n}\">{n}</a>"
                );
                // A note referenced more than once links back to every reference.
                for k in 2..=self.note_refs.get(i).copied().unwrap_or(0) {
                    let _ = write!(
                        self.out,
                        " <a class=\"backref\" href=\"#{}\">↑<sup>{k}</sup></a>",
                        note_ref_id(n, k)
                    );
                }
                self.out.push_str("</p>\n");
                self.blocks(&note.blocks);
                self.out.push_str("</aside>\n");
            }
            self.out.push_str("</section>\n");
        }
        self.out.push_str("</section>\n");
        self.out
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph(content) => self.wrap("<p>", content, "</p>\n"),
            Block::Heading { level, content } => {
                let id = self.heading_ids.next().unwrap_or_default();
                let text = Inline::plain_text(content);
                let blank = content.iter().all(|i| match i {
                    Inline::Text(t) => t.trim().is_empty(),
                    Inline::SoftBreak | Inline::LineBreak => true,
                    _ => false,
                });
                if blank {
                    // A heading the author left empty (`## `) heads nothing; its id stays, for
                    // a link that names it.
                    let _ = writeln!(self.out, "<div id=\"{}\"></div>", escape(&id));
                    return;
                }
                // The post title is h1; the post's own headings start at h2.
                let level = (i32::from(*level) + self.heading_shift)
                    .clamp(2, 6)
                    .min(self.last_heading + 1);
                self.last_heading = level;
                // A heading of formulas only is named by their TeX (MathML has no name).
                let only_math = content.iter().all(|i| {
                    matches!(i, Inline::Math(_))
                        || Inline::plain_text(std::slice::from_ref(i))
                            .trim()
                            .is_empty()
                });
                let label = if only_math {
                    format!(" aria-label=\"{}\"", escape(text.trim()))
                } else {
                    String::new()
                };
                let _ = write!(self.out, "<h{level} id=\"{}\"{label}>", escape(&id));
                self.inlines(content);
                let _ = writeln!(self.out, "</h{level}>");
            }
            Block::Quote {
                style,
                blocks,
                attribution,
            } => {
                let class = match style {
                    QuoteStyle::Plain => "",
                    QuoteStyle::Pull => " class=\"pullquote\"",
                    QuoteStyle::Centered => " class=\"centerquote\"",
                };
                let _ = writeln!(self.out, "<blockquote{class}>");
                self.blocks(blocks);
                if !attribution.is_empty() {
                    self.wrap("<p class=\"attribution\">——", attribution, "</p>\n");
                }
                self.out.push_str("</blockquote>\n");
            }
            Block::List { start, items } => {
                let tag = if start.is_some() { "ol" } else { "ul" };
                match start {
                    Some(n) if *n != 1 => {
                        let _ = writeln!(self.out, "<ol start=\"{n}\">");
                    }
                    _ => {
                        let _ = writeln!(self.out, "<{tag}>");
                    }
                }
                for item in items {
                    match item.task_mark() {
                        Some(mark) => {
                            let _ = write!(
                                self.out,
                                "<li class=\"task\"><span class=\"task-box\">{mark}</span>"
                            );
                        }
                        None => self.out.push_str("<li>"),
                    }
                    self.list_item(&item.blocks);
                    self.out.push_str("</li>\n");
                }
                let _ = writeln!(self.out, "</{tag}>");
            }
            Block::Code {
                language,
                caption,
                text,
                tokens,
            } => {
                self.out.push_str("<div class=\"code\">\n");
                if !caption.is_empty() {
                    self.wrap("<p class=\"code-caption\">", caption, "</p>\n");
                }
                let pre =
                    super::listing::listing(language.as_deref(), text, tokens, self.links.code);
                let _ = writeln!(self.out, "{pre}\n</div>");
            }
            Block::Table {
                alignments,
                head,
                rows,
            } => self.table(alignments, head, rows),
            Block::Figure { image, caption } => {
                self.out.push_str("<figure class=\"figure\">\n");
                self.image(image, true);
                if !caption.is_empty() {
                    self.wrap("<figcaption>", caption, "</figcaption>\n");
                }
                self.out.push_str("</figure>\n");
            }
            Block::Note {
                kind,
                title,
                blocks,
            } => {
                let _ = writeln!(self.out, "<div class=\"note note-{}\">", escape(kind));
                if !title.is_empty() {
                    self.wrap("<p class=\"note-title\">", title, "</p>\n");
                }
                self.blocks(blocks);
                self.out.push_str("</div>\n");
            }
            Block::Tabs(tabs) => {
                self.out.push_str("<div class=\"tabs\">\n");
                for (title, blocks) in tabs {
                    self.out.push_str("<div class=\"tab\">\n");
                    if !title.is_empty() {
                        self.wrap("<p class=\"tab-title\">", title, "</p>\n");
                    }
                    self.blocks(blocks);
                    self.out.push_str("</div>\n");
                }
                self.out.push_str("</div>\n");
            }
            Block::Fold { summary, blocks } => {
                self.out.push_str("<div class=\"fold\">\n");
                if !summary.is_empty() {
                    self.wrap("<p class=\"fold-title\">", summary, "</p>\n");
                }
                self.blocks(blocks);
                self.out.push_str("</div>\n");
            }
            Block::Embed { label, url } => {
                // The address as written; linked only where it leads somewhere outside the book.
                let _ = write!(self.out, "<p class=\"embed\">{}：", escape(label));
                self.link(
                    &LinkTarget::embedded(url),
                    None,
                    &[Inline::Text(url.clone())],
                );
                self.out.push_str("</p>\n");
            }
            Block::Division(blocks) => {
                self.out.push_str("<div class=\"division\">\n");
                self.blocks(blocks);
                self.out.push_str("</div>\n");
            }
            Block::Definitions(items) => {
                self.out.push_str("<dl>\n");
                for (term, blocks) in items {
                    self.wrap("<dt>", term, "</dt>\n");
                    self.out.push_str("<dd>");
                    self.list_item(blocks);
                    self.out.push_str("</dd>\n");
                }
                self.out.push_str("</dl>\n");
            }
            Block::Math(math) => self.display_formula(math),
            Block::Rule => self.out.push_str("<hr/>\n"),
        }
    }

    /// A tight list item's single paragraph is written without `<p>`.
    fn list_item(&mut self, blocks: &[Block]) {
        match blocks {
            [Block::Paragraph(content)] => self.inlines(content),
            _ => {
                self.out.push('\n');
                self.blocks(blocks);
            }
        }
    }

    fn table(&mut self, alignments: &[Alignment], head: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) {
        self.out.push_str("<table>\n");
        let align = |i: usize| match alignments.get(i) {
            Some(Alignment::Left) => " class=\"left\"",
            Some(Alignment::Center) => " class=\"center\"",
            Some(Alignment::Right) => " class=\"right\"",
            _ => "",
        };
        if !head.is_empty() {
            self.out.push_str("<thead><tr>");
            for (i, cell) in head.iter().enumerate() {
                // A header cell with no text (the corner of a table) heads nothing: a screen
                // reader would announce an empty header for every cell below it.
                let tag = if Inline::plain_text(cell).trim().is_empty() {
                    "td"
                } else {
                    "th"
                };
                let _ = write!(self.out, "<{tag}{}>", align(i));
                self.inlines(cell);
                let _ = write!(self.out, "</{tag}>");
            }
            self.out.push_str("</tr></thead>\n");
        }
        if !rows.is_empty() {
            self.out.push_str("<tbody>\n");
            for row in rows {
                self.out.push_str("<tr>");
                for (i, cell) in row.iter().enumerate() {
                    let _ = write!(self.out, "<td{}>", align(i));
                    self.inlines(cell);
                    self.out.push_str("</td>");
                }
                self.out.push_str("</tr>\n");
            }
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table>\n");
    }

    fn wrap(&mut self, open: &str, content: &[Inline], close: &str) {
        self.out.push_str(open);
        self.inlines(content);
        self.out.push_str(close);
    }

    fn inlines(&mut self, content: &[Inline]) {
        for inline in content {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(text) => self.out.push_str(&escape(text)),
            Inline::Code(text) => {
                let _ = write!(self.out, "<code>{}</code>", escape(text));
            }
            Inline::Emphasis(c) => self.wrap("<em>", c, "</em>"),
            Inline::Strong(c) => self.wrap("<strong>", c, "</strong>"),
            Inline::Strikethrough(c) => self.wrap("<del>", c, "</del>"),
            Inline::Styled { style, content } => {
                let (open, close) = match style {
                    InlineStyle::Superscript => ("<sup>".to_string(), "</sup>"),
                    InlineStyle::Subscript => ("<sub>".to_string(), "</sub>"),
                    InlineStyle::Keyboard => ("<kbd>".to_string(), "</kbd>"),
                    InlineStyle::Mark => ("<mark>".to_string(), "</mark>"),
                    InlineStyle::Underline => ("<u>".to_string(), "</u>"),
                    InlineStyle::Small => ("<small>".to_string(), "</small>"),
                    InlineStyle::Abbreviation => ("<abbr>".to_string(), "</abbr>"),
                    InlineStyle::Label(class) => (
                        format!("<span class=\"label label-{}\">", escape(class)),
                        "</span>",
                    ),
                };
                self.wrap(&open, content, close);
            }
            Inline::Link {
                target,
                title,
                content,
            } => self.link(target, title.as_deref(), content),
            Inline::Image(image) => self.image(image, false),
            Inline::FootnoteRef(i) => {
                let n = i + 1;
                let k = match self.note_refs.get_mut(*i) {
                    Some(count) => {
                        *count += 1;
                        *count
                    }
                    None => 1,
                };
                let _ = write!(
                    self.out,
                    "<a epub:type=\"noteref\" role=\"doc-noteref\" class=\"noteref\" id=\"{}\" href=\"#fn-{n}\"><sup>{n}</sup></a>",
                    note_ref_id(n, k)
                );
            }
            Inline::Math(math) if math.error.is_some() => {
                let _ = write!(self.out, "<code class=\"tex\">{}</code>", escape(&math.tex));
            }
            Inline::Math(math) => self.out.push_str(&formula(&math.tex, false)),
            Inline::LineBreak => self.out.push_str("<br/>"),
            Inline::SoftBreak => self.out.push(' '),
        }
    }

    /// A display formula in MathML, its number beside it; what cannot be typeset is printed
    /// as its TeX.
    fn display_formula(&mut self, math: &crate::document::Math) {
        if math.error.is_some() {
            let _ = writeln!(self.out, "<pre class=\"tex\">{}</pre>", escape(&math.tex));
            return;
        }
        // A formula wider than the screen scrolls in its box, which the keyboard can reach.
        self.out.push_str("<div class=\"formula\" tabindex=\"0\">");
        if let Some(number) = &math.number {
            let _ = write!(
                self.out,
                "<span class=\"formula-number\">({})</span>",
                escape(number)
            );
        }
        self.out.push_str(&formula(&math.tex, true));
        self.out.push_str("</div>\n");
    }

    /// The `href` a link target gets in this book, or `None` when it points at nothing the book
    /// holds (a post's own page, an id the page lacks, a file of the blog): then only its text
    /// is written.
    fn href(&self, target: &LinkTarget) -> Option<String> {
        match target {
            LinkTarget::External(url) => Some(escape_url(url)),
            LinkTarget::Post { index, fragment } => {
                let file = self
                    .links
                    .post_files
                    .get(*index)
                    .cloned()
                    .unwrap_or_default();
                let fragment = fragment.as_ref().filter(|f| {
                    self.links
                        .ids
                        .get(*index)
                        .is_some_and(|ids| ids.contains(*f))
                });
                let file = if *index == self.index {
                    String::new()
                } else {
                    file
                };
                match fragment {
                    Some(f) => Some(format!("{}#{}", escape(&file), escape_url(f))),
                    None if file.is_empty() => None,
                    None => Some(escape(&file)),
                }
            }
            LinkTarget::Fragment(f) => {
                let defined = self
                    .links
                    .ids
                    .get(self.index)
                    .is_some_and(|ids| ids.contains(f));
                defined.then(|| format!("#{}", escape_url(f)))
            }
            LinkTarget::Unresolved(_) => None,
        }
    }

    /// A link. XHTML allows no `<a>` inside another, so a link whose text holds links of its own
    /// (raw HTML `<a>` in a Markdown link) or footnote references is written in runs around
    /// them: they keep their own targets, as in the PDF, and the rest links where it did.
    fn link(&mut self, target: &LinkTarget, title: Option<&str>, content: &[Inline]) {
        let href = if self.in_link {
            None
        } else {
            self.href(target)
        };
        let Some(href) = href else {
            self.inlines(content);
            return;
        };
        let mut pieces = self.pieces(content);
        if pieces.is_empty() {
            // A link without text is still written, as the author made it.
            pieces.push(Piece::Run(Vec::new()));
        }
        for piece in pieces {
            match piece {
                Piece::Run(run) => {
                    let mut title = title
                        .map(|t| format!(" title=\"{}\"", escape(t)))
                        .unwrap_or_default();
                    if Inline::plain_text(&run).trim().is_empty() {
                        // A link without text is named by where it leads.
                        title.push_str(&format!(" aria-label=\"{href}\""));
                    }
                    let _ = write!(self.out, "<a href=\"{href}\"{title}>");
                    self.in_link = true;
                    self.inlines(&run);
                    self.in_link = false;
                    self.out.push_str("</a>");
                }
                Piece::Own(inline) => self.inline(&inline),
            }
        }
    }

    /// Whether `inline` goes somewhere of its own when it stands inside a link.
    fn has_own_target(&self, inline: &Inline) -> bool {
        match inline {
            Inline::Link { target, .. } => self.href(target).is_some(),
            Inline::FootnoteRef(_) => true,
            _ => false,
        }
    }

    /// `content` cut into runs that stay in the link and the inlines with their own targets,
    /// each of those inside copies of the formatting around it (`<em>`, …).
    fn pieces(&self, content: &[Inline]) -> Vec<Piece> {
        let mut out: Vec<Piece> = Vec::new();
        for inline in content {
            if self.has_own_target(inline) {
                out.push(Piece::Own(inline.clone()));
                continue;
            }
            let inner = match inline {
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Strikethrough(c)
                | Inline::Styled { content: c, .. }
                | Inline::Link { content: c, .. } => Some(c),
                _ => None,
            };
            match inner.map(|c| self.pieces(c)) {
                Some(inner) if inner.iter().any(|p| matches!(p, Piece::Own(_))) => {
                    for piece in inner {
                        out.push(match piece {
                            Piece::Run(run) => Piece::Run(vec![rewrap(inline, run)]),
                            Piece::Own(own) => Piece::Own(rewrap(inline, vec![own])),
                        });
                    }
                }
                _ => out.push(Piece::Run(vec![inline.clone()])),
            }
        }
        // Neighbouring runs are one run: one `<a>` where nothing needed cutting.
        let mut merged: Vec<Piece> = Vec::new();
        for piece in out {
            match (merged.last_mut(), piece) {
                (Some(Piece::Run(last)), Piece::Run(run)) => last.extend(run),
                (_, piece) => merged.push(piece),
            }
        }
        merged
    }

    fn image(&mut self, image: &Image, block: bool) {
        let alt = escape(&image.alt);
        let class = if block { "" } else { " class=\"inline\"" };
        match &image.source {
            ImageSource::File(path) => match self.links.images.get(path) {
                Some(stored) => {
                    let _ = write!(
                        self.out,
                        "<img src=\"../{}\" alt=\"{alt}\"{class}/>",
                        stored.name
                    );
                }
                None => self.placeholder(&image.alt),
            },
            // Inside a link the stand-in is that link's text: a link holds no other.
            ImageSource::Remote(_) if self.in_link => {
                let _ = write!(
                    self.out,
                    "<span class=\"remote-image\">［{}：{}］</span>",
                    crate::zh::IMAGE,
                    escape(remote_label(&image.alt))
                );
            }
            ImageSource::Remote(url) => {
                let _ = write!(
                    self.out,
                    "<span class=\"remote-image\">［{}：<a href=\"{}\">{}</a>］</span>",
                    crate::zh::IMAGE,
                    escape_url(url),
                    escape(remote_label(&image.alt))
                );
            }
            ImageSource::Missing(_) | ImageSource::Unusable(_) => self.placeholder(&image.alt),
        }
    }

    fn placeholder(&mut self, alt: &str) {
        let _ = write!(
            self.out,
            "<span class=\"missing-image\">［{}］</span>",
            escape(&crate::zh::missing_image(alt))
        );
    }
}

/// A stretch of a link's content: a run written inside the link, or an inline with a target of
/// its own written beside it.
enum Piece {
    Run(Vec<Inline>),
    Own(Inline),
}

/// `wrapper` (emphasis, a style, a link the book cannot make) around other `content`.
fn rewrap(wrapper: &Inline, content: Vec<Inline>) -> Inline {
    match wrapper {
        Inline::Emphasis(_) => Inline::Emphasis(content),
        Inline::Strong(_) => Inline::Strong(content),
        Inline::Strikethrough(_) => Inline::Strikethrough(content),
        Inline::Styled { style, .. } => Inline::Styled {
            style: style.clone(),
            content,
        },
        Inline::Link { target, title, .. } => Inline::Link {
            target: target.clone(),
            title: title.clone(),
            content,
        },
        other => other.clone(),
    }
}

/// What a remote image the book does not hold is shown as: its alt text, or a name for it.
fn remote_label(alt: &str) -> &str {
    if alt.is_empty() {
        crate::zh::REMOTE_IMAGE
    } else {
        alt
    }
}

/// The words printed in place of an image should it not be shown: for a remote image its
/// label and a link, for any other the missing-image note.
pub fn image_stand_in(alt: &str, source: &ImageSource) -> String {
    match source {
        ImageSource::Remote(_) => format!("［{}：{}］", crate::zh::IMAGE, remote_label(alt)),
        _ => format!("［{}］", crate::zh::missing_image(alt)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(text: &str) -> Block {
        Block::Heading {
            level: 2,
            content: vec![Inline::Text(text.into())],
        }
    }

    #[test]
    fn headings_nested_anywhere_get_ids_in_writing_order() {
        // A heading inside a definition (`<dd><h2>`) is written with an id like any other, so
        // it takes one here too, or every later heading would take its neighbour's id.
        let doc = Document {
            blocks: vec![
                heading("开头"),
                Block::Definitions(vec![(
                    vec![Inline::Text("术语".into())],
                    vec![heading("定义")],
                )]),
                Block::Quote {
                    style: QuoteStyle::Plain,
                    blocks: vec![heading("开头")],
                    attribution: Vec::new(),
                },
                heading("结尾"),
            ],
            footnotes: Vec::new(),
        };
        assert_eq!(heading_ids(&doc), ["开头", "定义", "开头-2", "结尾"]);
    }

    use crate::document::Footnote;

    /// The XHTML of a one-post book whose post is `blocks`.
    fn written(blocks: Vec<Block>, footnotes: usize) -> String {
        let doc = Document {
            blocks,
            footnotes: (0..footnotes)
                .map(|n| Footnote {
                    label: n.to_string(),
                    blocks: vec![Block::Paragraph(vec![Inline::Text("注".into())])],
                })
                .collect(),
        };
        let images = Images::default();
        let links = Links {
            post_files: &["post-0001.xhtml".to_string()],
            ids: &[HashSet::new()],
            images: &images,
            code: CodeStyle::default(),
        };
        PostWriter::new(&links, 0, &doc).render("", &doc)
    }

    fn web(url: &str, content: Vec<Inline>) -> Inline {
        Inline::Link {
            target: LinkTarget::External(url.into()),
            title: None,
            content,
        }
    }

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    /// The deepest `<a>` nesting in `xhtml`.
    fn link_depth(xhtml: &str) -> usize {
        let (mut depth, mut deepest) = (0usize, 0);
        for (i, _) in xhtml.match_indices('<') {
            let rest = &xhtml[i..];
            if rest.starts_with("<a ") || rest.starts_with("<a>") {
                depth += 1;
                deepest = deepest.max(depth);
            } else if rest.starts_with("</a>") {
                depth = depth.saturating_sub(1);
            }
        }
        deepest
    }

    #[test]
    fn a_note_referenced_twice_has_two_ids_and_links_back_to_both() {
        let para = Block::Paragraph(vec![
            text("一"),
            Inline::FootnoteRef(0),
            text("二"),
            Inline::FootnoteRef(0),
        ]);
        let page = written(vec![para], 1);
        assert!(page.contains("id=\"fnref-1\" href=\"#fn-1\""), "{page}");
        assert!(page.contains("id=\"fnref-1-2\" href=\"#fn-1\""), "{page}");
        assert!(
            page.contains(
                "<a href=\"#fnref-1\">1</a> <a class=\"backref\" href=\"#fnref-1-2\">↑<sup>2</sup></a></p>"
            ),
            "{page}"
        );
        assert_eq!(page.matches("id=\"fnref-1\"").count(), 1);
    }

    #[test]
    fn a_linked_remote_image_is_the_links_text_without_a_link_of_its_own() {
        // `[![Build Status](https://travis-ci.org/u/p.svg)](https://travis-ci.org/u/p)`
        let badge = Inline::Image(Image {
            source: ImageSource::Remote("https://travis-ci.org/u/p.svg".into()),
            alt: "Build Status".into(),
            title: None,
        });
        let out = written(
            vec![Block::Paragraph(vec![web(
                "https://travis-ci.org/u/p",
                vec![badge.clone()],
            )])],
            0,
        );
        assert!(
            out.contains(
                "<p><a href=\"https://travis-ci.org/u/p\"><span class=\"remote-image\">［图：Build \
                 Status］</span></a></p>"
            ),
            "{out}"
        );
        // Outside a link the stand-in still links to the image.
        let out = written(vec![Block::Paragraph(vec![badge])], 0);
        assert!(
            out.contains(
                "<p><span class=\"remote-image\">［图：<a href=\"https://travis-ci.org/u/p.svg\">\
                 Build Status</a>］</span></p>"
            ),
            "{out}"
        );
    }

    #[test]
    fn headings_go_one_level_deeper_at_most_and_an_empty_one_keeps_only_its_id() {
        let heading = |level: u8, words: &str| Block::Heading {
            level,
            content: vec![text(words)],
        };
        let out = written(
            vec![
                heading(2, "甲"),
                heading(4, "乙"),
                heading(3, " "),
                heading(2, "丙"),
            ],
            0,
        );
        let levels: Vec<&str> = out
            .match_indices("<h")
            .map(|(at, _)| &out[at..at + 3])
            .collect();
        assert_eq!(levels, ["<h2", "<h3", "<h2"], "{out}");
        assert!(out.contains("<div id="), "{out}");
    }

    #[test]
    fn a_link_without_text_is_named_by_its_address() {
        let out = written(
            vec![Block::Paragraph(vec![web("https://o.org/x", vec![])])],
            0,
        );
        assert!(
            out.contains("<a href=\"https://o.org/x\" aria-label=\"https://o.org/x\"></a>"),
            "{out}"
        );
    }

    #[test]
    fn an_empty_header_cell_is_a_plain_cell() {
        let out = written(
            vec![Block::Table {
                alignments: vec![Alignment::None, Alignment::None],
                head: vec![vec![], vec![text("价格")]],
                rows: vec![vec![vec![text("茶")], vec![text("三元")]]],
            }],
            0,
        );
        assert!(
            out.contains("<thead><tr><td></td><th>价格</th></tr></thead>"),
            "{out}"
        );
    }

    #[test]
    fn links_and_note_references_inside_a_link_keep_their_own_targets_beside_it() {
        // `[a <em>b <a href="https://y.org">c</a></em> d[^1]](https://o.org)`
        let content = vec![
            text("a "),
            Inline::Emphasis(vec![text("b "), web("https://y.org", vec![text("c")])]),
            text(" d"),
            Inline::FootnoteRef(0),
        ];
        let out = written(
            vec![Block::Paragraph(vec![web("https://o.org", content)])],
            1,
        );
        assert!(
            out.contains(
                "<p><a href=\"https://o.org\">a <em>b </em></a><em><a href=\"https://y.org\">c</a>\
                 </em><a href=\"https://o.org\"> d</a><a epub:type=\"noteref\" role=\"doc-noteref\" \
                 class=\"noteref\" id=\"fnref-1\" href=\"#fn-1\"><sup>1</sup></a></p>"
            ),
            "{out}"
        );
        assert_eq!(link_depth(&out), 1, "{out}");
    }

    #[test]
    fn a_link_the_book_cannot_make_inside_a_link_is_part_of_its_text() {
        let inner = Inline::Link {
            target: LinkTarget::Unresolved("pdf/a.pdf".into()),
            title: None,
            content: vec![text("b")],
        };
        let out = written(
            vec![Block::Paragraph(vec![web(
                "https://o.org",
                vec![text("a "), inner],
            )])],
            0,
        );
        assert!(
            out.contains("<p><a href=\"https://o.org\">a b</a></p>"),
            "{out}"
        );
    }

    #[test]
    fn an_embedded_file_of_the_blog_is_printed_without_a_link() {
        let embed = |url: &str| Block::Embed {
            label: "网页".into(),
            url: url.into(),
        };
        let out = written(
            vec![
                embed("pdf/data_mining.pdf"),
                embed("/files/a.html"),
                embed("//player.bilibili.com/player.html?aid=1&page=2"),
                embed("https://example.org/embed"),
            ],
            0,
        );
        for expected in [
            "<p class=\"embed\">网页：pdf/data_mining.pdf</p>\n",
            "<p class=\"embed\">网页：/files/a.html</p>\n",
            "<p class=\"embed\">网页：<a href=\"https://player.bilibili.com/player.html?aid=1&amp;\
             page=2\">//player.bilibili.com/player.html?aid=1&amp;page=2</a></p>\n",
            "<p class=\"embed\">网页：<a href=\"https://example.org/embed\">\
             https://example.org/embed</a></p>\n",
        ] {
            assert!(out.contains(expected), "{expected} not in {out}");
        }
    }
}
