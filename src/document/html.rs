//! Self-contained raw HTML → blocks and inlines. Block HTML goes through a real HTML5 parser
//! (html5ever via `scraper`), so whatever was pasted comes out well-formed. Scripts, styles and
//! frames are dropped with a warning: e-readers would run them. Reads only the post's context
//! (to resolve links and images and to report at a line); the tags around a fragment were
//! scanned by `html_tags`.

use scraper::{ElementRef, Node};

use super::html_tags::style_of;
use super::links::{self, Context};
use super::paragraph::paragraph_or_figure;
use super::tree::{Alignment, Block, Image, Inline, ListItem, MAX_NESTING, QuoteStyle};
use super::{plugins, tags};

/// Completes a container opened by raw HTML with the blocks that came before its closing tag.
pub fn fill_container(open: Block, blocks: Vec<Block>) -> Block {
    match open {
        Block::Division(mut inner) => {
            inner.extend(blocks);
            Block::Division(inner)
        }
        Block::Fold {
            summary,
            blocks: mut inner,
        } => {
            inner.extend(blocks);
            Block::Fold {
                summary,
                blocks: inner,
            }
        }
        Block::Quote {
            style,
            blocks: mut inner,
            attribution,
        } => {
            inner.extend(blocks);
            Block::Quote {
                style,
                blocks: inner,
                attribution,
            }
        }
        other => {
            let mut all = vec![other];
            all.extend(blocks);
            Block::Division(all)
        }
    }
}

/// `fragment` without the marks that stand before formulas for the Markdown reader.
fn without_formula_marks(fragment: &str) -> String {
    fragment.replace(&tags::formula_mark_entity(), "")
}

/// Converts a self-contained HTML fragment to blocks.
pub fn to_blocks(fragment: &str, ctx: &Context, line: usize) -> Vec<Block> {
    let document = scraper::Html::parse_fragment(&without_formula_marks(fragment));
    let root = document.root_element();
    let mut converter = Converter::new(ctx, line);
    converter.blocks_of(root)
}

/// Converts the opening part of a container whose end is in a later block.
pub fn open_container(tag: &str, fragment: &str, ctx: &Context, line: usize) -> Block {
    let document = scraper::Html::parse_fragment(&without_formula_marks(fragment));
    let mut converter = Converter::new(ctx, line);
    let element = document
        .root_element()
        .children()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == tag);
    match element {
        Some(e) => converter.container(e),
        None => Block::Division(converter.blocks_of(document.root_element())),
    }
}

/// HTML elements nested deeper than this are read as their plain text, with a warning: the
/// conversion and every back end walk the tree recursively.
const MAX_HTML_DEPTH: usize = 16;

struct Converter<'s, 'a> {
    ctx: &'s Context<'a>,
    line: usize,
    /// Elements open around the one being converted.
    depth: usize,
    /// Quotes and lists open around it (each indents by 2 em).
    levels: usize,
}

impl<'s, 'a> Converter<'s, 'a> {
    fn new(ctx: &'s Context<'a>, line: usize) -> Self {
        Converter {
            ctx,
            line,
            depth: 0,
            levels: 0,
        }
    }

    fn warn(&self, message: String) {
        self.ctx.warn(self.line, message);
    }

    /// Whether `parent` lies too deep to convert; warns when it does.
    fn too_deep(&self) -> bool {
        let deep = self.depth >= MAX_HTML_DEPTH;
        if deep {
            self.warn(format!(
                "HTML elements nested more than {MAX_HTML_DEPTH} deep; the deeper ones are set \
                 as plain text"
            ));
        }
        deep
    }

    /// A quote or list nested deeper than `MAX_NESTING` is set as a plain group, with a warning.
    fn indents(&mut self) -> bool {
        if self.levels >= MAX_NESTING {
            self.warn(format!(
                "quotes or lists nested more than {MAX_NESTING} deep; the deeper levels are set \
                 at that level"
            ));
            false
        } else {
            true
        }
    }

    /// The children of `parent` as blocks; runs of inline content become paragraphs.
    fn blocks_of(&mut self, parent: ElementRef) -> Vec<Block> {
        if self.too_deep() {
            let text = collapse_space(&flat_text(parent));
            return paragraph_or_figure(trim_inlines(vec![Inline::Text(text)]))
                .into_iter()
                .collect();
        }
        self.depth += 1;
        let blocks = self.blocks_of_unchecked(parent);
        self.depth -= 1;
        blocks
    }

    /// Blocks in an indented level (a quote, a list item); a plain group beyond `MAX_NESTING`.
    fn level_of(&mut self, parent: ElementRef) -> Vec<Block> {
        self.levels += 1;
        let blocks = self.blocks_of(parent);
        self.levels -= 1;
        blocks
    }

    fn blocks_of_unchecked(&mut self, parent: ElementRef) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut run: Vec<Inline> = Vec::new();
        for child in parent.children() {
            match child.value() {
                Node::Text(text) => run.push(Inline::Text(collapse_space(text))),
                Node::Element(_) => {
                    let Some(element) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if is_block_element(element.value().name()) {
                        flush_run(&mut run, &mut blocks);
                        blocks.extend(self.block(element));
                    } else {
                        run.extend(self.inline(element));
                    }
                }
                _ => {}
            }
        }
        flush_run(&mut run, &mut blocks);
        blocks
    }

    fn block(&mut self, e: ElementRef) -> Vec<Block> {
        let name = e.value().name();
        let block = match name {
            "p" => {
                return paragraph_or_figure(trim_inlines(self.inlines_of(e)))
                    .into_iter()
                    .collect();
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name[1..].parse().unwrap_or(2);
                Block::Heading {
                    level,
                    content: trim_inlines(self.inlines_of(e)),
                }
            }
            "blockquote" | "ul" | "ol" | "menu" if !self.indents() => {
                Block::Division(self.blocks_of(e))
            }
            "blockquote" => Block::Quote {
                style: QuoteStyle::Plain,
                blocks: self.level_of(e),
                attribution: Vec::new(),
            },
            "ul" | "ol" | "menu" => {
                let start = (name == "ol").then(|| {
                    e.value()
                        .attr("start")
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(1)
                });
                let items = e
                    .children()
                    .filter_map(ElementRef::wrap)
                    .map(|li| ListItem {
                        task: None,
                        blocks: self.level_of(li),
                    })
                    .collect();
                Block::List { start, items }
            }
            "pre" => Block::code(None, Vec::new(), e.text().collect()),
            "hr" => Block::Rule,
            // The first one is read by the enclosing `<details>`; any other shows as a line of
            // its own, as in a browser.
            "summary" if is_details_title(e) => return Vec::new(),
            "summary" => {
                return paragraph_or_figure(trim_inlines(self.inlines_of(e)))
                    .into_iter()
                    .collect();
            }
            "table" => self.table(e),
            "dl" => self.definitions(e),
            "img" => match self.image(e) {
                Some(image) => Block::Figure {
                    caption: Vec::new(),
                    image,
                },
                None => return Vec::new(),
            },
            "iframe" | "video" | "audio" | "embed" | "object" => {
                let url = ["src", "data"]
                    .iter()
                    .find_map(|a| e.value().attr(a))
                    .unwrap_or("")
                    .to_string();
                if url.is_empty() {
                    return Vec::new();
                }
                Block::Embed {
                    label: embed_label(name).into(),
                    url,
                }
            }
            "script" | "style" | "noscript" | "template" | "link" | "meta" | "head" | "title"
            | "svg" | "math" | "form" | "canvas" => {
                self.warn(format!(
                    "removed <{name}> from the post: a book cannot hold it"
                ));
                return Vec::new();
            }
            _ => self.container(e),
        };
        vec![block]
    }

    /// A generic grouping element (`div`, `details`, `center`, …).
    fn container(&mut self, e: ElementRef) -> Block {
        match e.value().name() {
            "details" => {
                let summary = e
                    .children()
                    .filter_map(ElementRef::wrap)
                    .find(|c| c.value().name() == "summary")
                    .map(|s| trim_inlines(self.inlines_of(s)))
                    .unwrap_or_default();
                Block::Fold {
                    summary,
                    blocks: self.blocks_of(e),
                }
            }
            "blockquote" | "center" if !self.indents() => Block::Division(self.blocks_of(e)),
            "blockquote" => Block::Quote {
                style: QuoteStyle::Plain,
                blocks: self.level_of(e),
                attribution: Vec::new(),
            },
            "center" => Block::Quote {
                style: QuoteStyle::Centered,
                blocks: self.level_of(e),
                attribution: Vec::new(),
            },
            _ => Block::Division(self.blocks_of(e)),
        }
    }

    fn table(&mut self, e: ElementRef) -> Block {
        let mut head = Vec::new();
        let mut rows = Vec::new();
        for row in e
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|r| r.value().name() == "tr")
        {
            let in_head = row
                .parent()
                .and_then(ElementRef::wrap)
                .is_some_and(|p| p.value().name() == "thead");
            let cells: Vec<ElementRef> = row
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .collect();
            let all_th = cells.iter().all(|c| c.value().name() == "th");
            let contents: Vec<Vec<Inline>> = cells
                .into_iter()
                .map(|c| trim_inlines(self.inlines_of(c)))
                .collect();
            if head.is_empty() && rows.is_empty() && (in_head || all_th) {
                head = contents;
            } else {
                rows.push(contents);
            }
        }
        let columns = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
        Block::Table {
            alignments: vec![Alignment::None; columns],
            head,
            rows,
        }
    }

    fn definitions(&mut self, e: ElementRef) -> Block {
        let mut items: Vec<(Vec<Inline>, Vec<Block>)> = Vec::new();
        for child in e.children().filter_map(ElementRef::wrap) {
            match child.value().name() {
                "dt" => items.push((trim_inlines(self.inlines_of(child)), Vec::new())),
                "dd" => {
                    let blocks = self.blocks_of(child);
                    match items.last_mut() {
                        Some((_, existing)) => existing.extend(blocks),
                        None => items.push((Vec::new(), blocks)),
                    }
                }
                _ => {}
            }
        }
        Block::Definitions(items)
    }

    fn inlines_of(&mut self, parent: ElementRef) -> Vec<Inline> {
        if self.too_deep() {
            return vec![Inline::Text(collapse_space(&flat_text(parent)))];
        }
        self.depth += 1;
        let inlines = self.inlines_of_unchecked(parent);
        self.depth -= 1;
        inlines
    }

    fn inlines_of_unchecked(&mut self, parent: ElementRef) -> Vec<Inline> {
        let mut out = Vec::new();
        for child in parent.children() {
            match child.value() {
                Node::Text(text) => out.push(Inline::Text(collapse_space(text))),
                Node::Element(_) => {
                    if let Some(element) = ElementRef::wrap(child) {
                        out.extend(self.inline(element));
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn inline(&mut self, e: ElementRef) -> Vec<Inline> {
        let name = e.value().name();
        let styled = |style| Inline::Styled {
            style,
            content: Vec::new(),
        };
        // A container is made empty, then filled with the element's content.
        let mut node = match name {
            "br" => return vec![Inline::LineBreak],
            tags::PLACEHOLDER => return self.placeholder(e),
            "img" => return self.image(e).map(Inline::Image).into_iter().collect(),
            "code" | "tt" | "samp" => return vec![Inline::Code(e.text().collect())],
            "script" | "style" | "iframe" | "svg" | "math" | "template" | "noscript" | "object"
            | "embed" => {
                self.warn(format!(
                    "removed <{name}> from the post: a book cannot hold it"
                ));
                return Vec::new();
            }
            "a" => {
                let href = e.value().attr("href").unwrap_or("");
                let content = self.inlines_of(e);
                if links::is_script_url(href) {
                    self.warn(
                        "removed the javascript: link from the text: a book runs no scripts".into(),
                    );
                    return content;
                }
                if href.is_empty() {
                    return content;
                }
                let target = self.ctx.link_target(href);
                let title = e.value().attr("title").map(str::to_string);
                return vec![Inline::Link {
                    target,
                    title,
                    content,
                }];
            }
            "strong" | "b" => Inline::Strong(Vec::new()),
            "em" | "i" | "cite" | "dfn" | "var" => Inline::Emphasis(Vec::new()),
            "s" | "del" | "strike" => Inline::Strikethrough(Vec::new()),
            _ => match style_of(name) {
                Some(style) => styled(style),
                None => return self.inlines_of(e),
            },
        };
        if let Some(children) = node.children_mut() {
            *children = self.inlines_of(e);
        }
        vec![node]
    }

    /// A formula found in the post's text, inside the HTML (its placeholder carries its TeX),
    /// and what the parser took in as the placeholder's children; any other tag plugin there
    /// is not read.
    fn placeholder(&mut self, e: ElementRef) -> Vec<Inline> {
        let mut out = Vec::new();
        if let Some(tex) = e.value().attr(tags::TEX_ATTRIBUTE) {
            let display = e.value().attr(tags::DISPLAY_ATTRIBUTE) == Some("true");
            // The equation count is the post's: inside HTML only a `\tag` numbers.
            let math = plugins::math_of(tex, display, &mut || None);
            if let Some(why) = &math.error {
                self.warn(plugins::cannot_typeset(why));
            }
            out.push(Inline::Math(math));
        }
        out.extend(self.inlines_of(e));
        out
    }

    fn image(&mut self, e: ElementRef) -> Option<Image> {
        let src = e
            .value()
            .attr("src")
            .or_else(|| e.value().attr("data-src"))?;
        let alt = e.value().attr("alt").unwrap_or("").to_string();
        let title = e.value().attr("title").map(str::to_string);
        let source = self.ctx.image_source(src, self.line);
        Some(Image { source, alt, title })
    }
}

/// The text of an element and everything in it, without recursion (it may be nested ten
/// thousand deep), leaving out what a reader never sees (scripts, styles, …).
fn flat_text(parent: ElementRef) -> String {
    let mut out = String::new();
    let mut stack: Vec<_> = parent.children().collect();
    stack.reverse();
    while let Some(node) = stack.pop() {
        match node.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(e)
                if !matches!(
                    e.name(),
                    "script"
                        | "style"
                        | "noscript"
                        | "template"
                        | "head"
                        | "title"
                        | "iframe"
                        | "object"
                        | "svg"
                        | "math"
                ) =>
            {
                let at = stack.len();
                stack.extend(node.children());
                stack[at..].reverse();
            }
            _ => {}
        }
    }
    out
}

/// Whether `summary` is the title of a `<details>`: the first `<summary>` in it.
fn is_details_title(summary: ElementRef) -> bool {
    summary
        .parent()
        .and_then(ElementRef::wrap)
        .filter(|p| p.value().name() == "details")
        .and_then(|p| {
            p.children()
                .filter_map(ElementRef::wrap)
                .find(|c| c.value().name() == "summary")
        })
        .is_some_and(|first| first.id() == summary.id())
}

fn embed_label(name: &str) -> &'static str {
    match name {
        "video" => "视频",
        "audio" => "音频",
        _ => "网页",
    }
}

fn is_block_element(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "main"
            | "nav"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "ul"
            | "ol"
            | "menu"
            | "pre"
            | "hr"
            | "table"
            | "dl"
            | "details"
            | "figure"
            | "center"
            | "iframe"
            | "video"
            | "audio"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "form"
            | "canvas"
            | "address"
            | "fieldset"
            | "figcaption"
            | "summary"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "link"
            | "meta"
            | "head"
            | "title"
    )
}

/// HTML collapses runs of white space to one space.
fn collapse_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

fn trim_inlines(mut inlines: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text(t)) = inlines.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(Inline::Text(t)) = inlines.last_mut() {
        *t = t.trim_end().to_string();
    }
    inlines.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
    inlines
}

fn flush_run(run: &mut Vec<Inline>, blocks: &mut Vec<Block>) {
    let inlines = trim_inlines(std::mem::take(run));
    if let Some(block) = paragraph_or_figure(inlines) {
        blocks.push(block);
    }
}
