//! Hexo tag plugins (Hexo's own and the NexT/Butterfly themes') → tree nodes.
//!
//! Tags standing on lines of their own become blocks; tags in running text become inlines.
//! An unknown tag keeps its text and is reported, so nothing the author wrote is lost.
//!
//! A tag's body is Markdown that may hold further tags: it is read through [`BodyReader`],
//! which the Markdown reader implements, so this module never imports the reader that
//! imports it.

use super::html;
use super::links::{CodeFile, Context};
use super::tags::{FORMULA, Tag};
use super::tree::{
    Block, Image, ImageSource, Inline, InlineStyle, LinkTarget, Math, QuoteStyle, check_box,
    plain_text_of_block,
};
use crate::zh;

/// What a tag plugin needs from the reader that met it: the post's context, and reading the
/// tag's body (Markdown with further tags) into blocks.
pub trait BodyReader<'a> {
    /// The post's context: resolving links and images, reporting at a line.
    fn context(&self) -> &'a Context<'a>;

    /// Reads a tag's body, whose first line is `first_line` of the post file, as blocks.
    fn body_blocks(&mut self, body: &str, first_line: usize) -> Vec<Block>;

    /// The number of the post's next counted display formula (1, 2, …).
    fn next_equation_number(&mut self) -> usize;

    /// Reads text that must stay inline (a caption, a title) as Markdown inlines: the
    /// inlines of its paragraphs and headings, joined by spaces.
    fn inline(&mut self, text: &str, line: usize) -> Vec<Inline> {
        let mut out = Vec::new();
        for block in self.body_blocks(text, line) {
            if let Block::Paragraph(inlines)
            | Block::Heading {
                content: inlines, ..
            } = block
            {
                if !out.is_empty() {
                    out.push(Inline::Text(" ".into()));
                }
                out.extend(inlines);
            }
        }
        out
    }
}

/// A tag that stands on lines of its own.
pub fn block(tag: &Tag, reader: &mut dyn BodyReader<'_>) -> Vec<Block> {
    let ctx = reader.context();
    let body = |reader: &mut dyn BodyReader<'_>| match &tag.body {
        Some(text) => reader.body_blocks(text, tag.body_line),
        None => Vec::new(),
    };
    let block = match tag.name.as_str() {
        "blockquote" | "quote" => {
            let attribution = quote_attribution(tag, ctx);
            Block::Quote {
                style: QuoteStyle::Plain,
                blocks: body(reader),
                attribution,
            }
        }
        "pullquote" => Block::Quote {
            style: QuoteStyle::Pull,
            blocks: body(reader),
            attribution: Vec::new(),
        },
        "cq" | "centerquote" => Block::Quote {
            style: QuoteStyle::Centered,
            blocks: body(reader),
            attribution: Vec::new(),
        },
        "codeblock" | "code" => code_block(tag),
        "include_code" => return include_code(tag, ctx),
        "mermaid" => mermaid(tag),
        "raw" if has_math(tag, ctx) => return raw_math(tag, reader),
        "raw" => return raw(tag, ctx),
        FORMULA | "math" | "mathjax" | "katex" | "latex" if tag.body.is_some() => {
            let display = tag.is_display_math();
            let math = formula(tag, display, reader);
            if display {
                Block::Math(math)
            } else {
                Block::Paragraph(vec![Inline::Math(math)])
            }
        }
        "note" => {
            let (kind, title) = note_header(&tag.args);
            let title = if title.is_empty() {
                Vec::new()
            } else {
                reader.inline(&title, tag.line)
            };
            Block::Note {
                kind,
                title,
                blocks: body(reader),
            }
        }
        "tabs" | "subtabs" => Block::Tabs(tabs(tag, reader)),
        // `{% spoiler title %}…{% endspoiler %}` (hexo-sliding-spoiler) folds; without a body
        // (Fluid, hexo-spoiler) it is a word in running text.
        "fold" | "folding" | "hidetoggle" | "hideblock" | "details" | "spoiler"
            if tag.body.is_some() || tag.name != "spoiler" =>
        {
            let summary = reader.inline(&fold_title(tag), tag.line);
            Block::Fold {
                summary,
                blocks: body(reader),
            }
        }
        "box" => Block::Division(body(reader)),
        "iframe" | "youtube" | "vimeo" | "pdf" | "dplayer" => match embed(tag) {
            Some(block) => block,
            None => return unknown_block(tag, reader),
        },
        "asset_img" | "asset_image" | "img" | "image" => {
            let inlines = inline(tag, reader);
            return match inlines.as_slice() {
                [Inline::Image(image)] => vec![Block::figure(image.clone())],
                _ => vec![Block::Paragraph(inlines)],
            };
        }
        _ if is_inline_name(&tag.name) => Block::Paragraph(inline(tag, reader)),
        _ => return unknown_block(tag, reader),
    };
    vec![block]
}

/// A tag in running text.
pub fn inline(tag: &Tag, reader: &mut dyn BodyReader<'_>) -> Vec<Inline> {
    let ctx = reader.context();
    let args = &tag.args;
    let line = tag.line;
    match tag.name.as_str() {
        "post_link" => {
            let Some(name) = args.first() else {
                return unknown_inline(tag, ctx);
            };
            match ctx.index.post_by_name(name) {
                Some(index) => {
                    let text = args
                        .get(1)
                        .filter(|t| !t.is_empty() && *t != "true" && *t != "false")
                        .cloned();
                    let text = text.unwrap_or_else(|| ctx.index_title(index));
                    vec![Inline::Link {
                        target: LinkTarget::Post {
                            index,
                            fragment: None,
                        },
                        title: None,
                        content: vec![Inline::Text(text)],
                    }]
                }
                None => {
                    ctx.warn(
                        line,
                        format!("post_link: no post named '{name}' in the book; its text is kept"),
                    );
                    vec![Inline::Text(
                        args.get(1).cloned().unwrap_or_else(|| name.clone()),
                    )]
                }
            }
        }
        "post_path" => {
            let Some(name) = args.first() else {
                return unknown_inline(tag, ctx);
            };
            match ctx.index.post_by_name(name) {
                Some(index) => {
                    let title = ctx.index_title(index);
                    vec![Inline::Link {
                        target: LinkTarget::Post {
                            index,
                            fragment: None,
                        },
                        title: None,
                        content: vec![Inline::Text(title)],
                    }]
                }
                None => {
                    ctx.warn(
                        line,
                        format!("post_path: no post named '{name}' in the book"),
                    );
                    vec![Inline::Text(name.clone())]
                }
            }
        }
        "asset_img" | "asset_image" => {
            // `{% asset_img [class] slug [width] [height] [title [alt]] %}`
            let rest = skip_classes(args, has_extension);
            let Some(name) = rest.first() else {
                return unknown_inline(tag, ctx);
            };
            let rest = skip_sizes(&rest[1..]);
            let (title, alt) = title_and_alt(&rest.join(" "));
            let source = ctx.asset(name, line);
            vec![Inline::Image(Image {
                source,
                alt: alt.or_else(|| title.clone()).unwrap_or_default(),
                title,
            })]
        }
        "asset_path" => match args.first() {
            Some(name) => vec![Inline::Text(name.clone())],
            None => unknown_inline(tag, ctx),
        },
        "asset_link" => {
            let Some(name) = args.first() else {
                return unknown_inline(tag, ctx);
            };
            let text = args
                .get(1..)
                .map(|a| a.join(" "))
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| name.clone());
            if let ImageSource::Missing(_) = ctx.asset(name, line) {
                // Warned by `asset`; the text stays.
            }
            vec![Inline::Text(text)]
        }
        "img" | "image" => {
            // `{% img [class] /path [width] [height] ['"title" "alt"'] %}`
            let rest = skip_classes(args, |a| a.contains('/') || a.contains('.'));
            let Some(src) = rest.first() else {
                return unknown_inline(tag, ctx);
            };
            let rest = skip_sizes(&rest[1..]);
            let (title, alt) = title_and_alt(&rest.join(" "));
            let source = ctx.image_source(src, line);
            vec![Inline::Image(Image {
                source,
                alt: alt.or_else(|| title.clone()).unwrap_or_default(),
                title,
            })]
        }
        "link" => {
            // `{% link text url [external] [title] %}`: the url is the first argument that looks like one.
            let Some(at) = args.iter().position(|a| looks_like_url(a)) else {
                return unknown_inline(tag, ctx);
            };
            let text = if at == 0 {
                args[0].clone()
            } else {
                args[..at].join(" ")
            };
            let title = args
                .get(at + 1..)
                .map(|a| {
                    a.iter()
                        .filter(|x| *x != "true" && *x != "false")
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .filter(|t| !t.is_empty());
            vec![Inline::Link {
                target: ctx.link_target(&args[at]),
                title,
                content: vec![Inline::Text(text)],
            }]
        }
        "label" => {
            let (class, text) = label(tag);
            vec![Inline::Styled {
                style: InlineStyle::Label(class),
                content: vec![Inline::Text(text)],
            }]
        }
        // Fluid, hexo-spoiler: `{% spoiler text %}`, hidden until clicked; a book shows it.
        "spoiler" => reader.inline(&args.join(" "), line),
        // Butterfly: `{% hideInline content,display,bg,color %}` → its content.
        "hideinline" => {
            let joined = args.join(" ");
            let content = joined.split(',').next().unwrap_or("").trim();
            reader.inline(content, line)
        }
        "btn" | "button" => button(tag, ctx),
        "kbd" if !args.is_empty() => vec![Inline::Styled {
            style: InlineStyle::Keyboard,
            content: vec![Inline::Text(args.join(" "))],
        }],
        "checkbox" | "cb" => checkbox(tag, reader),
        "iframe" | "youtube" | "vimeo" | "pdf" | "dplayer" => match embed(tag) {
            Some(Block::Embed { label, url }) => vec![
                Inline::Text(format!("{label}：")),
                Inline::Link {
                    target: LinkTarget::embedded(&url),
                    title: None,
                    content: vec![Inline::Text(url)],
                },
            ],
            _ => unknown_inline(tag, ctx),
        },
        "raw" if has_math(tag, ctx) => raw_math(tag, reader)
            .into_iter()
            .flat_map(|b| match b {
                Block::Paragraph(i) => i,
                Block::Math(math) => vec![Inline::Math(math)],
                other => vec![Inline::Text(plain_text_of_block(&other))],
            })
            .collect(),
        "raw" => tag.body.iter().map(|b| Inline::Text(b.clone())).collect(),
        FORMULA | "math" | "mathjax" | "katex" | "latex" if tag.body.is_some() => {
            let display = tag.is_display_math();
            vec![Inline::Math(formula(tag, display, reader))]
        }
        _ if tag.body.is_some() || tag.name == "include_code" => {
            let blocks = block(tag, reader);
            blocks
                .into_iter()
                .flat_map(|b| match b {
                    Block::Paragraph(i) => i,
                    other => vec![Inline::Text(plain_text_of_block(&other))],
                })
                .collect()
        }
        _ => unknown_inline(tag, ctx),
    }
}

pub fn is_inline_name(name: &str) -> bool {
    matches!(
        name,
        "post_link"
            | "post_path"
            | "asset_path"
            | "asset_link"
            | "link"
            | "label"
            | "spoiler"
            | "hideinline"
            | "btn"
            | "button"
            | "kbd"
            | "checkbox"
            | "cb"
    )
}

/// `{% blockquote [author[, source]] [link] [link title] %}` → the attribution line, read as
/// Hexo reads it: with a web link, everything before it is the author and everything after it
/// the link's text; without one, a comma separates author and source.
fn quote_attribution(tag: &Tag, ctx: &Context) -> Vec<Inline> {
    let args = &tag.args;
    let is_web = |a: &String| {
        let lower = a.to_ascii_lowercase();
        lower.starts_with("http://") || lower.starts_with("https://")
    };
    let mut out = Vec::new();
    match args.iter().position(is_web) {
        Some(at) => {
            let author = args[..at].join(" ");
            let title = args[at + 1..].join(" ");
            let url = &args[at];
            let shown = if title.is_empty() {
                short_url(url)
            } else {
                title
            };
            if !author.is_empty() {
                out.push(Inline::Text(format!("{author}，")));
            }
            out.push(Inline::Link {
                target: ctx.link_target(url),
                title: None,
                content: vec![Inline::Text(shown)],
            });
        }
        None => {
            let text = args.join(" ");
            match text.split_once(',') {
                Some((author, source)) => out.push(Inline::Text(format!(
                    "{}，{}",
                    author.trim(),
                    source.trim()
                ))),
                None if !text.is_empty() => out.push(Inline::Text(text)),
                None => {}
            }
        }
    }
    out
}

/// `https://example.com/a/index.html` → `example.com/a`, as Hexo shows a bare source link.
fn short_url(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest
        .trim_end_matches("index.html")
        .trim_end_matches("index.htm");
    rest.trim_end_matches('/').to_string()
}

/// `{% codeblock [title] [lang:language] [url] [link text] %}`
fn code_block(tag: &Tag) -> Block {
    let mut language = None;
    let mut caption = Vec::new();
    for arg in &tag.args {
        if let Some(lang) = arg.strip_prefix("lang:") {
            language = Some(lang.to_string());
        } else if !arg.contains(':') || !looks_like_url(arg) {
            caption.push(arg.clone());
        }
    }
    let caption = if caption.is_empty() {
        Vec::new()
    } else {
        vec![Inline::Text(caption.join(" "))]
    };
    let text = tag.body.clone().unwrap_or_default();
    Block::code(
        language,
        caption,
        text.trim_end_matches('\n').to_string() + "\n",
    )
}

/// A formula tag (one found in the text, or `{% math %}`, `{% mathjax %}`, `{% katex %}`,
/// `{% latex %}` with a body): its TeX, number, and whether it can be typeset; a formula that
/// cannot is reported at its line and printed as written.
fn formula(tag: &Tag, display: bool, reader: &mut dyn BodyReader<'_>) -> Math {
    let tex = tag.body.as_deref().unwrap_or_default();
    let math = math_of(tex, display, &mut || Some(reader.next_equation_number()));
    if let Some(why) = &math.error {
        reader.context().warn(tag.line, cannot_typeset(why));
    }
    math
}

/// The formula `tex` as MathJax reads it, numbered (`next_number` gives an environment's
/// number, where there is a count) and with why it cannot be typeset, if it cannot.
pub fn math_of(tex: &str, display: bool, next_number: &mut dyn FnMut() -> Option<usize>) -> Math {
    let numbered = crate::math::numbering(tex);
    let number = match numbered.tag {
        Some(tag) => Some(tag),
        None if display && numbered.counted => next_number().map(|n| n.to_string()),
        None => None,
    };
    let reading = crate::math::read(&numbered.tex);
    Math {
        tex: reading.tex,
        display,
        number,
        error: reading.problem,
    }
}

/// The warning for a formula that cannot be typeset, `why` naming the construct.
pub fn cannot_typeset(why: &str) -> String {
    format!("formula cannot be typeset ({why}); it is printed as TeX")
}

/// Whether a `{% raw %}` body holds formulas for MathJax (in a post where math is on).
fn has_math(tag: &Tag, ctx: &Context) -> bool {
    let body = tag.body.as_deref().unwrap_or_default();
    ctx.post.math
        && !body.trim_start().starts_with('<')
        && ["$", "\\(", "\\["].iter().any(|d| body.contains(d))
}

/// `{% raw %}` around formulas (kept from a Markdown renderer that would eat their
/// backslashes): the formulas, and the text between them.
fn raw_math(tag: &Tag, reader: &mut dyn BodyReader<'_>) -> Vec<Block> {
    reader.body_blocks(tag.body.as_deref().unwrap_or_default(), tag.body_line)
}

/// `{% raw %}`: HTML stays HTML; anything else (TeX for MathJax, templates) is shown as written.
fn raw(tag: &Tag, ctx: &Context) -> Vec<Block> {
    let body = tag.body.clone().unwrap_or_default();
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return Vec::new();
    }
    if trimmed.starts_with('<') {
        return html::to_blocks(trimmed, ctx, tag.body_line);
    }
    vec![Block::code(
        None,
        Vec::new(),
        body.trim_end_matches('\n').to_string() + "\n",
    )]
}

/// NexT and Fluid `{% note [class] [no-icon] [summary] %}`, Butterfly
/// `{% note [color] [icon] [style] %}` (`{% note blue 'fas fa-bullhorn' modern %}`) → the kind
/// (one of NexT's classes; a Butterfly colour is read as the class of that colour) and the
/// title (what is left: `{% note 'title' %}`).
fn note_header(args: &[String]) -> (String, String) {
    const KINDS: &[&str] = &["default", "primary", "success", "info", "warning", "danger"];
    let mut kind = "default".to_string();
    let mut title = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        let colour = (i == 0).then(|| butterfly_colour_kind(arg)).flatten();
        if KINDS.contains(&arg.as_str()) {
            kind = arg.clone();
        } else if let Some(colour) = colour {
            kind = colour.to_string();
        } else if arg != "no-icon"
            && !matches!(arg.as_str(), "simple" | "modern" | "flat" | "disabled")
            && !is_icon(arg)
        {
            title.push(arg.clone());
        }
    }
    (kind, title.join(" "))
}

/// Butterfly's colours of notes and labels.
const BUTTERFLY_COLOURS: &[&str] = &[
    "default", "blue", "pink", "red", "purple", "orange", "green",
];

/// The NexT class a Butterfly colour looks like.
fn butterfly_colour_kind(colour: &str) -> Option<&'static str> {
    Some(match colour {
        "blue" => "info",
        "green" => "success",
        "orange" => "warning",
        "red" => "danger",
        "purple" | "pink" => "primary",
        _ => return None,
    })
}

/// A Font Awesome icon as themes name it: `fas fa-bullhorn`, `fa-solid fa-fan`, `fab`.
fn is_icon(arg: &str) -> bool {
    !arg.trim().is_empty()
        && arg.split_whitespace().all(|word| {
            word.starts_with("fa-")
                || matches!(word, "fa" | "fas" | "far" | "fab" | "fal" | "fad" | "fat")
        })
}

/// NexT and Fluid `{% label primary @text %}`, Butterfly `{% label text [colour] %}` → (class,
/// text).
fn label(tag: &Tag) -> (String, String) {
    if let Some((class, text)) = tag.raw_args.split_once('@') {
        return (class.trim().to_string(), text.trim().to_string());
    }
    match tag.args.split_last() {
        Some((colour, text))
            if !text.is_empty() && BUTTERFLY_COLOURS.contains(&colour.as_str()) =>
        {
            (colour.clone(), text.join(" "))
        }
        _ => ("default".into(), tag.raw_args.trim().to_string()),
    }
}

/// Butterfly `{% btn url,text,icon,style %}`, NexT `{% button url, text, icon, title %}` → the
/// text linked to the address; a web address follows in parentheses, as a printed page cannot
/// be clicked.
fn button(tag: &Tag, ctx: &Context) -> Vec<Inline> {
    let joined = tag.args.join(" ");
    let parts: Vec<&str> = joined.split(',').map(str::trim).collect();
    let url = parts[0];
    if url.is_empty() {
        return unknown_inline(tag, ctx);
    }
    let given = |i: usize| parts.get(i).copied().filter(|p| !p.is_empty());
    // NexT's title, when the button shows only an icon.
    let title = if tag.name == "button" { given(3) } else { None };
    let text = given(1).or(title).unwrap_or(url);
    let target = ctx.link_target(url);
    let address = match &target {
        LinkTarget::External(address) if text != url => Some(address.clone()),
        _ => None,
    };
    let mut out = vec![Inline::Link {
        target,
        title: title.map(str::to_string),
        content: vec![Inline::Text(text.to_string())],
    }];
    if let Some(address) = address {
        out.push(Inline::Text(format!("（{address}）")));
    }
    out
}

/// Butterfly `{% checkbox [style] [checked], text %}`, Fluid `{% cb text, checked? %}` (and
/// `{% checkbox text, checked? %}`) → the box, open or ticked, then the text.
fn checkbox(tag: &Tag, reader: &mut dyn BodyReader<'_>) -> Vec<Inline> {
    const OPTIONS: &[&str] = &[
        "checked", "plus", "minus", "times", "red", "yellow", "green", "cyan", "blue", "purple",
        "orange", "pink",
    ];
    let joined = tag.args.join(" ");
    let parts: Vec<&str> = joined.split(',').map(str::trim).collect();
    let butterfly = tag.name == "checkbox"
        && parts.len() > 1
        && parts[0].split_whitespace().all(|w| OPTIONS.contains(&w));
    let (done, text) = if butterfly {
        // The text is all after the first comma, commas and all.
        let done = parts[0].split_whitespace().any(|w| w == "checked");
        let text = joined.split_once(',').map_or("", |(_, text)| text);
        (done, text.to_string())
    } else if parts.len() == 1 && matches!(parts[0], "checked" | "true" | "false") {
        // Fluid `{% cb checked %}`: a box alone.
        (parts[0] != "false", String::new())
    } else {
        let done = parts.get(1).is_some_and(|c| !c.is_empty() && *c != "false");
        (done, parts[0].to_string())
    };
    let text = text.trim();
    if text.is_empty() {
        return vec![Inline::Text(check_box(done).into())];
    }
    let mut out = reader.inline(text, tag.line);
    let mark = format!("{} ", check_box(done));
    match out.first_mut() {
        Some(Inline::Text(first)) => first.insert_str(0, &mark),
        _ => out.insert(0, Inline::Text(mark)),
    }
    out
}

/// `{% mermaid [type] %}…{% endmermaid %}` → the diagram's source, as code: the type (NexT
/// writes `{% mermaid graph TD %}`) is its first line.
fn mermaid(tag: &Tag) -> Block {
    let body = tag.body.as_deref().unwrap_or("");
    let head = tag.raw_args.trim();
    let text = if head.is_empty() {
        body.to_string()
    } else {
        format!("{head}\n{body}")
    };
    Block::code(
        Some("mermaid".into()),
        vec![Inline::Text(zh::MERMAID_SOURCE.into())],
        text.trim_end_matches('\n').to_string() + "\n",
    )
}

/// `{% include_code [title] [lang:language] [from:line] [to:line] path/to/file %}` → the
/// file's lines (`from` and `to` 1-based, both included) as code, read from the blog's code
/// folder as Hexo reads it; captioned by the title, else the file's name.
fn include_code(tag: &Tag, ctx: &Context) -> Vec<Block> {
    let mut language = None;
    let (mut from, mut to) = (None, None);
    let mut rest = Vec::new();
    for arg in &tag.args {
        let lower = arg.to_ascii_lowercase();
        let number = |prefix: &str| lower.strip_prefix(prefix)?.parse::<usize>().ok();
        if lower.starts_with("lang:") && arg.len() > 5 {
            language = Some(arg[5..].to_string());
        } else if let Some(n) = number("from:") {
            from = Some(n);
        } else if let Some(n) = number("to:") {
            to = Some(n);
        } else {
            rest.push(arg.clone());
        }
    }
    let Some((path, title)) = rest.split_last() else {
        ctx.warn(
            tag.line,
            "include_code names no file: its text is kept as written",
        );
        return vec![Block::Paragraph(vec![Inline::Text(tag.source.clone())])];
    };
    let missing = || {
        vec![Block::Paragraph(vec![Inline::Text(zh::missing_code_file(
            path,
        ))])]
    };
    let file = match ctx.code_file(path) {
        CodeFile::Found(file) => file,
        CodeFile::OtherCase(file) => {
            ctx.warn(
                tag.line,
                format!(
                    "include_code: no file {path}; using {}, whose name differs only in case",
                    file.display()
                ),
            );
            file
        }
        CodeFile::Missing(dir) => {
            ctx.warn(
                tag.line,
                format!(
                    "include_code: code file not found: {path} (looked in {})",
                    dir.display()
                ),
            );
            return missing();
        }
        CodeFile::Outside => {
            ctx.warn(
                tag.line,
                format!("include_code: refused '{path}': it lies outside the blog folder"),
            );
            return missing();
        }
    };
    let bytes = match std::fs::read(&file) {
        Ok(bytes) => bytes,
        Err(e) => {
            ctx.warn(
                tag.line,
                format!("include_code: cannot read {}: {e}", file.display()),
            );
            return missing();
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            ctx.warn(
                tag.line,
                format!(
                    "include_code: {path} is not all UTF-8; what cannot be read is shown as U+FFFD"
                ),
            );
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let count = text.lines().count();
    let start = from.unwrap_or(1).max(1);
    let end = to.unwrap_or(count).min(count);
    if start > end && (from.is_some() || to.is_some()) {
        let to = to.map_or("the end".to_string(), |to| format!("to:{to}"));
        ctx.warn(
            tag.line,
            format!(
                "include_code: {path} has {count} lines; from:{start} to {to} selects none of them"
            ),
        );
    }
    let selected: Vec<&str> = text
        .lines()
        .skip(start - 1)
        .take((end + 1).saturating_sub(start))
        .collect();
    let language = language.or_else(|| {
        std::path::Path::new(path)
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
    });
    let caption = if title.is_empty() {
        std::path::Path::new(path)
            .file_name()
            .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned())
    } else {
        title.join(" ")
    };
    vec![Block::code(
        language,
        vec![Inline::Text(caption)],
        selected.join("\n") + "\n",
    )]
}

fn fold_title(tag: &Tag) -> String {
    let title = tag.raw_args.trim();
    // Butterfly writes `{% hideToggle title,bg,color %}`, `{% hideBlock title,bg,color %}`.
    let title = if matches!(tag.name.as_str(), "hidetoggle" | "hideblock") {
        title.split(',').next().unwrap_or("")
    } else {
        title
    };
    if title.is_empty() {
        zh::FOLD.into()
    } else {
        title.trim_matches(['"', '\'']).to_string()
    }
}

/// NexT tabs: `<!-- tab caption -->` … `<!-- endtab -->` sections.
fn tabs(tag: &Tag, reader: &mut dyn BodyReader<'_>) -> Vec<(Vec<Inline>, Vec<Block>)> {
    let body = tag.body.as_deref().unwrap_or("");
    let mut out = Vec::new();
    let mut rest = body;
    let mut consumed = 0;
    let mut number = 0;
    while let Some(start) = rest.find("<!-- tab") {
        let Some(head_end) = rest[start..].find("-->").map(|e| start + e + 3) else {
            break;
        };
        let caption = rest[start + 8..head_end - 3].trim();
        let caption = caption.split('@').next().unwrap_or("").trim();
        let (content, next) = match rest[head_end..].find("<!-- endtab -->") {
            Some(end) => (
                &rest[head_end..head_end + end],
                head_end + end + "<!-- endtab -->".len(),
            ),
            None => (&rest[head_end..], rest.len()),
        };
        number += 1;
        let line = tag.body_line + body[..consumed + head_end].matches('\n').count();
        let title = if caption.is_empty() {
            format!("{} {number}", tab_name(&tag.args))
        } else {
            caption.to_string()
        };
        let title = reader.inline(&title, line);
        out.push((title, reader.body_blocks(content, line)));
        consumed += next;
        rest = &rest[next..];
    }
    if out.is_empty() {
        out.push((Vec::new(), reader.body_blocks(body, tag.body_line)));
    }
    out
}

fn tab_name(args: &[String]) -> String {
    args.join(" ")
        .split(',')
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

/// `iframe`, `youtube`, `vimeo`, `pdf`, `dplayer` → the address, printed.
fn embed(tag: &Tag) -> Option<Block> {
    let first = tag.args.first()?;
    let (label, url) = match tag.name.as_str() {
        "youtube" => (
            zh::YOUTUBE_VIDEO,
            format!("https://www.youtube.com/watch?v={first}"),
        ),
        "vimeo" => (zh::VIMEO_VIDEO, format!("https://vimeo.com/{first}")),
        // `{% pdf url %}` (hexo-pdf, Butterfly)
        "pdf" => (zh::PDF_FILE, first.clone()),
        // hexo-tag-dplayer: `{% dplayer "url=video.mp4" "pic=poster.png" … %}`
        "dplayer" => {
            let url = tag.args.iter().find_map(|a| a.strip_prefix("url="))?;
            (zh::VIDEO, url.to_string())
        }
        _ => (zh::EMBEDDED_PAGE, first.clone()),
    };
    Some(Block::Embed {
        label: label.into(),
        url,
    })
}

fn unknown_block(tag: &Tag, reader: &mut dyn BodyReader<'_>) -> Vec<Block> {
    let ctx = reader.context();
    ctx.warn(
        tag.line,
        format!(
            "unknown tag plugin '{}': its text is kept as written",
            tag.name
        ),
    );
    match &tag.body {
        Some(body) => {
            let mut blocks = reader.body_blocks(body, tag.body_line);
            if !tag.raw_args.is_empty() {
                blocks.insert(
                    0,
                    Block::Paragraph(vec![Inline::Text(tag.raw_args.clone())]),
                );
            }
            vec![Block::Division(blocks)]
        }
        None => vec![Block::Paragraph(vec![Inline::Text(tag.source.clone())])],
    }
}

fn unknown_inline(tag: &Tag, ctx: &Context) -> Vec<Inline> {
    ctx.warn(
        tag.line,
        format!(
            "tag plugin '{}' could not be read: its text is kept as written",
            tag.name
        ),
    );
    vec![Inline::Text(tag.source.clone())]
}

/// Leading CSS class names before the first argument that `is_target`.
fn skip_classes(args: &[String], is_target: impl Fn(&str) -> bool) -> Vec<String> {
    let start = args.iter().position(|a| is_target(a)).unwrap_or(0);
    args[start..].to_vec()
}

fn skip_sizes(args: &[String]) -> Vec<String> {
    let numeric = |a: &String| {
        a.trim_end_matches("px")
            .trim_end_matches('%')
            .parse::<f32>()
            .is_ok()
    };
    args.iter().skip_while(|a| numeric(a)).cloned().collect()
}

/// `'"title text" "alt text"'` or plain words → (title, alt).
fn title_and_alt(text: &str) -> (Option<String>, Option<String>) {
    let text = text.trim();
    if text.is_empty() {
        return (None, None);
    }
    let quoted: Vec<&str> = text
        .split('"')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if text.starts_with('"') {
        return (
            quoted.first().map(|s| s.to_string()),
            quoted.get(1).map(|s| s.to_string()),
        );
    }
    (Some(text.to_string()), None)
}

fn has_extension(arg: &str) -> bool {
    arg.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && (1..=5).contains(&ext.len()))
}

fn looks_like_url(arg: &str) -> bool {
    let lower = arg.to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("//")
        || lower.starts_with('/')
        || lower.starts_with("mailto:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_alt_from_img_arguments() {
        assert_eq!(
            title_and_alt(r#""标题" "替代文字""#),
            (Some("标题".into()), Some("替代文字".into()))
        );
        assert_eq!(title_and_alt("一张图"), (Some("一张图".into()), None));
        assert_eq!(title_and_alt(""), (None, None));
    }

    #[test]
    fn note_header_reads_kind_and_title() {
        let args: Vec<String> = ["warning", "no-icon", "小心"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(note_header(&args), ("warning".into(), "小心".into()));
    }
}
