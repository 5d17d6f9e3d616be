//! Front matter: the block of metadata at the top of a Hexo post, read into typed fields.
//!
//! This module owns front matter parsing and nothing else. It is handed one post's text and
//! the blog's time zone and gives back the typed fields and where the Markdown body starts.
//! It knows nothing of posts, books or files: the caller puts the file name on errors.
//!
//! The forms, as Hexo's `hexo-front-matter` reads them:
//! - YAML between `---` lines (three or more dashes). The opening line may be missing: then
//!   the text up to the first `---` line is front matter only if its first line looks like
//!   `key: value` and the whole of it is a YAML mapping; otherwise that `---` is a Markdown
//!   rule and the whole file is body. Leading tabs are read as two spaces each, as Hexo does.
//! - TOML between `+++` lines.
//! - JSON ended by a `;;;` line, either the members without braces or a whole `{...}`
//!   object; the opening `;;;` line is optional.
//!
//! A byte order mark is skipped and CRLF line ends work. Values are first read untyped
//! ([`Raw`]) and then converted field by field, so a value of the wrong type is reported with
//! the field's name and the line of its key. Every error carries a 1-based line (and column
//! when known) in the whole file.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use jiff::ZonedDateTime;
use jiff::civil::{Date, Time};
use jiff::tz::{Offset, TimeZone};
use serde_saphyr::MessageFormatter;

/// The fields of a post's front matter that inkstone uses; unknown keys are ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    /// In the blog's time zone.
    pub date: Option<ZonedDateTime>,
    pub updated: Option<ZonedDateTime>,
    /// Category paths (`[A, B]` is one path A ▸ B); empty when none is given.
    pub categories: Vec<Vec<String>>,
    pub tags: Vec<String>,
    /// True unless the post says `published: false`.
    pub published: bool,
    pub abbrlink: Option<String>,
    pub permalink: Option<String>,
    pub lang: Option<String>,
    pub description: Option<String>,
}

impl Default for FrontMatter {
    fn default() -> Self {
        FrontMatter {
            title: None,
            date: None,
            updated: None,
            categories: Vec::new(),
            tags: Vec::new(),
            published: true,
            abbrlink: None,
            permalink: None,
            lang: None,
            description: None,
        }
    }
}

/// A post split into its front matter and the place of its Markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub front: FrontMatter,
    /// Byte range of the Markdown body in the input (after a BOM when there is no front matter).
    pub body: Range<usize>,
    /// 1-based line of the input on which the body starts.
    pub body_line: usize,
}

/// Why a post's front matter could not be read; line and column are 1-based in the whole file.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatterError {
    pub line: usize,
    pub column: Option<usize>,
    pub message: String,
}

impl FrontMatterError {
    fn new(line: usize, column: Option<usize>, message: impl Into<String>) -> Self {
        FrontMatterError {
            line,
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for FrontMatterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(f, "line {}, column {}: {}", self.line, column, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

impl std::error::Error for FrontMatterError {}

/// Reads the front matter of a post; civil dates are taken to be in `tz`.
///
/// No front matter at all gives the default [`FrontMatter`] and the whole text as body.
pub fn parse(text: &str, tz: &TimeZone) -> Result<Parsed, FrontMatterError> {
    let from = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let whole = Parsed {
        front: FrontMatter::default(),
        body: from..text.len(),
        body_line: 1,
    };
    let Some(block) = split(text, from)? else {
        return Ok(whole);
    };
    let Some(map) = read_block(text, &block)? else {
        return Ok(whole);
    };
    let fields = Fields {
        map: &map,
        text,
        block: &block,
    };
    Ok(Parsed {
        front: fields.front_matter(tz)?,
        body: block.body_start..text.len(),
        body_line: block.body_line,
    })
}

// ---------------------------------------------------------------------------------------------
// Splitting the text into front matter and body

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Yaml,
    Toml,
    Json,
}

impl Format {
    fn fence(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
            Format::Json => ";;;",
        }
    }
}

/// Where the front matter is: its format, its text and where the body starts.
#[derive(Debug)]
struct Block {
    format: Format,
    /// Whether an opening fence line was given.
    fenced: bool,
    /// The opening fence line, or the first line when there is none.
    open_line: usize,
    /// Byte range of the front matter text, without the fence lines.
    content: Range<usize>,
    /// File line of the first byte of `content`.
    content_line: usize,
    body_start: usize,
    body_line: usize,
}

impl Block {
    /// The line of the fence that closes the front matter.
    fn close_line(&self) -> usize {
        self.body_line - 1
    }
}

/// One line of the input: its text without the line end, where it and the next line start.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    start: usize,
    next: usize,
    number: usize,
}

/// The lines of `text` from byte `from` on, numbered from `first_number`.
fn lines(text: &str, from: usize, first_number: usize) -> impl Iterator<Item = Line<'_>> {
    let mut start = from;
    let mut number = first_number;
    let rest = text.get(from..).unwrap_or_default();
    rest.split_inclusive('\n').map(move |raw| {
        let line = Line {
            text: raw.trim_end_matches(['\n', '\r']),
            start,
            next: start + raw.len(),
            number,
        };
        start = line.next;
        number += 1;
        line
    })
}

/// The format a fence line (`---`, `+++`, `;;;`, three or more) opens or closes.
fn fence(line: &str) -> Option<Format> {
    let line = line.trim_end_matches([' ', '\t']);
    let first = line.chars().next()?;
    let format = match first {
        '-' => Format::Yaml,
        '+' => Format::Toml,
        ';' => Format::Json,
        _ => return None,
    };
    (line.len() >= 3 && line.chars().all(|c| c == first)).then_some(format)
}

/// Finds the front matter block; `from` is where the text starts after a BOM.
fn split(text: &str, from: usize) -> Result<Option<Block>, FrontMatterError> {
    let mut rest = lines(text, from, 1);
    let Some(first) = rest.next() else {
        return Ok(None);
    };
    if let Some(format) = fence(first.text) {
        let Some(close) = rest.find(|line| fence(line.text) == Some(format)) else {
            let message = format!(
                "front matter opened on line {} is never closed (no closing `{}` line)",
                first.number,
                format.fence()
            );
            return Err(FrontMatterError::new(first.number, None, message));
        };
        return Ok(Some(Block {
            format,
            fenced: true,
            open_line: first.number,
            content: first.next..close.start,
            content_line: first.number + 1,
            body_start: close.next,
            body_line: close.number + 1,
        }));
    }
    Ok(unfenced_block(first, rest))
}

/// Front matter without an opening fence, ended by the first `---` or `;;;` line, if the
/// first line looks like the start of one (Hexo's rule; a Markdown rule must not eat a post).
fn unfenced_block<'a>(first: Line<'a>, mut rest: impl Iterator<Item = Line<'a>>) -> Option<Block> {
    let close = rest.find(|line| matches!(fence(line.text), Some(Format::Yaml | Format::Json)))?;
    let format = fence(close.text)?;
    let plausible = match format {
        Format::Yaml => looks_like_yaml_key(first.text),
        _ => looks_like_json_start(first.text),
    };
    plausible.then_some(Block {
        format,
        fenced: false,
        open_line: first.number,
        content: first.start..close.start,
        content_line: first.number,
        body_start: close.next,
        body_line: close.number + 1,
    })
}

/// `^[A-Za-z_][\w-]*:`
fn looks_like_yaml_key(line: &str) -> bool {
    let mut chars = line.chars();
    if !chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
    {
        return false;
    }
    for c in chars {
        match c {
            ':' => return true,
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' => {}
            _ => return false,
        }
    }
    false
}

/// A line `{` or one starting with `"key":`.
fn looks_like_json_start(line: &str) -> bool {
    let line = line.trim();
    if line == "{" {
        return true;
    }
    let Some(rest) = line.strip_prefix('"') else {
        return false;
    };
    rest.split_once('"')
        .is_some_and(|(_, after)| after.trim_start().starts_with(':'))
}

// ---------------------------------------------------------------------------------------------
// Reading the block untyped

/// A front matter value before it is given a type.
#[derive(Debug, Clone, PartialEq)]
enum Raw {
    Null,
    Bool(bool),
    /// A number, already written as text the way JavaScript would (`1.0` → `1`).
    Number(String),
    Text(String),
    /// A TOML date or datetime, as TOML writes it.
    Date(String),
    List(Vec<Raw>),
    Map(Vec<(String, Raw)>),
}

impl Raw {
    fn kind(&self) -> &'static str {
        match self {
            Raw::Null => "nothing",
            Raw::Bool(_) => "true/false",
            Raw::Number(_) => "a number",
            Raw::Text(_) => "text",
            Raw::Date(_) => "a date",
            Raw::List(_) => "a list",
            Raw::Map(_) => "a map of keys",
        }
    }

    /// The value as text, for a scalar.
    fn scalar_text(&self) -> Option<String> {
        match self {
            Raw::Bool(b) => Some(b.to_string()),
            Raw::Number(s) | Raw::Text(s) | Raw::Date(s) => Some(s.clone()),
            Raw::Null | Raw::List(_) | Raw::Map(_) => None,
        }
    }
}

impl From<serde_json::Value> for Raw {
    fn from(value: serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => Raw::Null,
            Value::Bool(b) => Raw::Bool(b),
            Value::Number(n) => Raw::Number(match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => i.to_string(),
                (_, Some(u), _) => u.to_string(),
                (_, _, Some(f)) => f.to_string(),
                _ => n.to_string(),
            }),
            Value::String(s) => Raw::Text(s),
            Value::Array(items) => Raw::List(items.into_iter().map(Raw::from).collect()),
            Value::Object(map) => Raw::Map(map.into_iter().map(|(k, v)| (k, v.into())).collect()),
        }
    }
}

impl From<toml::Value> for Raw {
    fn from(value: toml::Value) -> Self {
        use toml::Value;
        match value {
            Value::String(s) => Raw::Text(s),
            Value::Integer(i) => Raw::Number(i.to_string()),
            Value::Float(f) => Raw::Number(f.to_string()),
            Value::Boolean(b) => Raw::Bool(b),
            Value::Datetime(d) => Raw::Date(d.to_string()),
            Value::Array(items) => Raw::List(items.into_iter().map(Raw::from).collect()),
            Value::Table(table) => {
                Raw::Map(table.into_iter().map(|(k, v)| (k, v.into())).collect())
            }
        }
    }
}

/// The keys and values of the block, or `None` when it is not front matter after all
/// (Hexo reads a paragraph between two `---` rules, or unreadable YAML without an opening
/// fence, as body).
fn read_block(text: &str, block: &Block) -> Result<Option<Vec<(String, Raw)>>, FrontMatterError> {
    let src = text.get(block.content.clone()).unwrap_or_default();
    let raw = match block.format {
        Format::Yaml => match read_yaml(src, block) {
            Ok(raw) => raw,
            Err(error) if block.fenced => return Err(error),
            Err(_) => return Ok(None),
        },
        Format::Toml => read_toml(src, block)?,
        Format::Json => read_json(src, block)?,
    };
    match raw {
        Raw::Map(map) => Ok(Some(map)),
        Raw::Null => Ok(Some(Vec::new())),
        Raw::List(_) if block.fenced => Err(FrontMatterError::new(
            block.content_line,
            None,
            "front matter must be `key: value` lines, found a list",
        )),
        _ => Ok(None),
    }
}

fn read_yaml(src: &str, block: &Block) -> Result<Raw, FrontMatterError> {
    let options = serde_saphyr::options! {
        with_snippet: false,
        strict_booleans: true,
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::AsString,
    };
    let expanded = expand_leading_tabs(src);
    match serde_saphyr::from_str_with_options::<serde_json::Value>(&expanded, options) {
        Ok(value) => Ok(Raw::from(value)),
        Err(error) => Err(yaml_error(&error, src, block)),
    }
}

/// Hexo's `escapeYAML`: each tab at the start of a line becomes two spaces.
fn expand_leading_tabs(src: &str) -> Cow<'_, str> {
    if !src.contains('\t') {
        return Cow::Borrowed(src);
    }
    let mut out = String::with_capacity(src.len() + 16);
    for line in src.split_inclusive('\n') {
        let rest = line.trim_start_matches('\t');
        out.extend(std::iter::repeat_n("  ", line.len() - rest.len()));
        out.push_str(rest);
    }
    Cow::Owned(out)
}

fn yaml_error(error: &serde_saphyr::Error, src: &str, block: &Block) -> FrontMatterError {
    let inner = error.without_snippet();
    let text = serde_saphyr::UserMessageFormatter.format_message(inner);
    let message = format!("invalid YAML: {}", one_line(&text));
    let Some(location) = error.location().filter(|l| l.line() > 0) else {
        return FrontMatterError::new(block.open_line, None, message);
    };
    let line_in = usize::try_from(location.line()).unwrap_or(usize::MAX);
    let column = usize::try_from(location.column()).unwrap_or(1);
    let line = (block.content_line + line_in - 1).min(block.close_line());
    let original = src.lines().nth(line_in - 1).unwrap_or_default();
    // Map the column back through the tab expansion.
    let tabs = original.len() - original.trim_start_matches('\t').len();
    let column = if column <= 2 * tabs {
        column.div_ceil(2)
    } else {
        column - tabs
    };
    FrontMatterError::new(line, Some(column), message)
}

fn read_toml(src: &str, block: &Block) -> Result<Raw, FrontMatterError> {
    match toml::from_str::<toml::Table>(src) {
        Ok(table) => Ok(Raw::from(toml::Value::Table(table))),
        Err(error) => {
            let message = format!("invalid TOML: {}", one_line(error.message()));
            let Some(span) = error.span() else {
                return Err(FrontMatterError::new(block.open_line, None, message));
            };
            let (line, column) = position(src, span.start);
            let line = (block.content_line + line - 1).min(block.close_line());
            Err(FrontMatterError::new(line, Some(column), message))
        }
    }
}

fn read_json(src: &str, block: &Block) -> Result<Raw, FrontMatterError> {
    let trimmed = src.trim_end();
    let wrapped;
    let (json, shift) = if trimmed.trim_start().starts_with('{') {
        (src, 0)
    } else {
        // Members without braces; a trailing comma before `;;;` is forgiven.
        let members = trimmed.strip_suffix(',').unwrap_or(trimmed);
        wrapped = format!("{{\n{members}\n}}");
        (wrapped.as_str(), 1)
    };
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(value @ serde_json::Value::Object(_)) => Ok(Raw::from(value)),
        Ok(value) => Err(FrontMatterError::new(
            block.content_line,
            None,
            format!(
                "JSON front matter must be an object of \"key\": value members, found {}",
                Raw::from(value).kind()
            ),
        )),
        Err(error) => Err(json_error(&error, src, shift, block)),
    }
}

fn json_error(
    error: &serde_json::Error,
    src: &str,
    shift: usize,
    block: &Block,
) -> FrontMatterError {
    let text = error.to_string();
    let text = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m);
    let message = format!("invalid JSON: {}", one_line(text));
    let line_in = error.line().saturating_sub(shift);
    match src.lines().nth(line_in.saturating_sub(1)) {
        Some(line_text) if line_in > 0 => {
            let column = char_column(line_text, error.column().saturating_sub(1));
            FrontMatterError::new(block.content_line + line_in - 1, Some(column), message)
        }
        _ => FrontMatterError::new(block.close_line(), None, message),
    }
}

/// 1-based line and character column of byte offset `byte` in `src`.
fn position(src: &str, byte: usize) -> (usize, usize) {
    let mut byte = byte.min(src.len());
    while !src.is_char_boundary(byte) {
        byte -= 1;
    }
    let before = src.get(..byte).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let column = before.get(line_start..).unwrap_or_default().chars().count() + 1;
    (line, column)
}

/// 1-based character column of byte offset `byte` within one line.
fn char_column(line: &str, byte: usize) -> usize {
    position(line, byte).1
}

/// A parser's message on one line, without control characters.
fn one_line(text: &str) -> String {
    let parts: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    parts
        .join("; ")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Converting field by field

/// The top-level keys of the front matter, with what is needed to point at a key's line.
struct Fields<'a> {
    map: &'a [(String, Raw)],
    text: &'a str,
    block: &'a Block,
}

impl Fields<'_> {
    fn front_matter(&self, tz: &TimeZone) -> Result<FrontMatter, FrontMatterError> {
        let date = |key: &str, value: &Raw| to_date(key, value, tz);
        Ok(FrontMatter {
            title: self.get(&["title"], to_text)?.flatten(),
            date: self.get(&["date"], date)?.flatten(),
            updated: self.get(&["updated"], date)?.flatten(),
            categories: self
                .get(&["categories", "category"], to_categories)?
                .unwrap_or_default(),
            tags: self.get(&["tags", "tag"], to_tags)?.unwrap_or_default(),
            published: self.get(&["published"], to_published)?.unwrap_or(true),
            abbrlink: self.get(&["abbrlink"], to_text)?.flatten(),
            permalink: self.get(&["permalink"], to_text)?.flatten(),
            lang: self.get(&["lang"], to_text)?.flatten(),
            description: self.get(&["description"], to_text)?.flatten(),
        })
    }

    /// Converts the first of `names` that is present; `None` when none is.
    fn get<T>(
        &self,
        names: &[&str],
        convert: impl Fn(&str, &Raw) -> Result<T, String>,
    ) -> Result<Option<T>, FrontMatterError> {
        let found = names
            .iter()
            .find_map(|name| self.map.iter().find(|(key, _)| key == name));
        let Some((key, value)) = found else {
            return Ok(None);
        };
        convert(key, value)
            .map(Some)
            .map_err(|message| FrontMatterError::new(self.key_line(key), None, message))
    }

    /// The line on which `key` is written (unindented first), else the opening line.
    fn key_line(&self, key: &str) -> usize {
        let upto = self.text.get(..self.block.content.end).unwrap_or_default();
        let lines = || lines(upto, self.block.content.start, self.block.content_line);
        lines()
            .find(|line| starts_with_key(line.text, key))
            .or_else(|| lines().find(|line| starts_with_key(line.text.trim_start(), key)))
            .map_or(self.block.open_line, |line| line.number)
    }
}

/// Whether `line` starts with `key`, bare or quoted, followed by `:` or `=`.
fn starts_with_key(line: &str, key: &str) -> bool {
    ["", "\"", "'"].iter().any(|quote| {
        line.strip_prefix(quote)
            .and_then(|rest| rest.strip_prefix(key))
            .and_then(|rest| rest.strip_prefix(quote))
            .is_some_and(|rest| matches!(rest.trim_start().chars().next(), Some(':' | '=')))
    })
}

/// Text; a number or true/false is written as text. Empty or null: `None`.
fn to_text(key: &str, value: &Raw) -> Result<Option<String>, String> {
    match value {
        Raw::List(_) | Raw::Map(_) => Err(format!(
            "field '{key}' must be text, found {}",
            value.kind()
        )),
        _ => Ok(value.scalar_text().filter(|s| !s.trim().is_empty())),
    }
}

/// A date in one of Hexo's formats, or a TOML datetime. Empty or null: `None`.
fn to_date(key: &str, value: &Raw, tz: &TimeZone) -> Result<Option<ZonedDateTime>, String> {
    match value {
        Raw::Null => Ok(None),
        Raw::Text(s) | Raw::Date(s) if s.trim().is_empty() => Ok(None),
        Raw::Text(s) | Raw::Date(s) => parse_date(s, tz).map(Some).ok_or_else(|| {
            format!(
                "field '{key}' is '{s}', which is not a date; write it like 2025-10-30 07:17:59"
            )
        }),
        _ => Err(format!(
            "field '{key}' must be a date like 2025-10-30 07:17:59, found {}",
            value.kind()
        )),
    }
}

/// `true`/`false` (also as text, and `yes`/`no`); null or empty means published.
fn to_published(key: &str, value: &Raw) -> Result<bool, String> {
    match value {
        Raw::Null => Ok(true),
        Raw::Bool(b) => Ok(*b),
        Raw::Text(s) if s.trim().is_empty() => Ok(true),
        Raw::Text(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" => Ok(true),
            "false" | "no" => Ok(false),
            _ => Err(format!("field '{key}' must be true or false, found '{s}'")),
        },
        _ => Err(format!(
            "field '{key}' must be true or false, found {}",
            value.kind()
        )),
    }
}

/// One name (a tag or a category level); null or empty: `None`.
fn to_name(key: &str, value: &Raw) -> Result<Option<String>, String> {
    match value {
        Raw::List(_) | Raw::Map(_) => Err(format!(
            "field '{key}' must be a name or a list of names, found {} in it",
            value.kind()
        )),
        _ => Ok(value
            .scalar_text()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())),
    }
}

/// The names of a list, skipping empty ones.
fn to_names(key: &str, items: &[Raw]) -> Result<Vec<String>, String> {
    items
        .iter()
        .filter_map(|item| to_name(key, item).transpose())
        .collect()
}

/// A list of tags, or one tag as a string.
fn to_tags(key: &str, value: &Raw) -> Result<Vec<String>, String> {
    match value {
        Raw::List(items) => to_names(key, items),
        Raw::Map(_) => Err(format!(
            "field '{key}' must be a name or a list of names, found {}",
            value.kind()
        )),
        _ => Ok(to_name(key, value)?.into_iter().collect()),
    }
}

/// `A` is one path of one level; `[A, B]` one path A ▸ B; `[[A, B], [C]]` two paths (a plain
/// name beside lists is a path of one level).
fn to_categories(key: &str, value: &Raw) -> Result<Vec<Vec<String>>, String> {
    let paths = match value {
        Raw::List(items) if items.iter().any(|item| matches!(item, Raw::List(_))) => items
            .iter()
            .map(|item| match item {
                Raw::List(levels) => to_names(key, levels),
                _ => Ok(to_name(key, item)?.into_iter().collect()),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Raw::List(levels) => vec![to_names(key, levels)?],
        Raw::Map(_) => {
            return Err(format!(
                "field '{key}' must be a name or a list of names, found {}",
                value.kind()
            ));
        }
        _ => vec![to_name(key, value)?.into_iter().collect()],
    };
    Ok(paths.into_iter().filter(|path| !path.is_empty()).collect())
}

// ---------------------------------------------------------------------------------------------
// Dates

/// Parses a date in Hexo's formats (those moment.js reads): `2025-10-30 07:17:59`,
/// `2013/7/13 20:46:25`, `2024-05-19`, `2024/5/19`, ISO 8601 with or without an offset or `Z`,
/// `2024-05-19T10:20`; seconds and fractions of a second are optional.
///
/// A civil time is taken to be in `tz`; a time with an offset is converted into `tz`.
pub fn parse_date(s: &str, tz: &TimeZone) -> Option<ZonedDateTime> {
    let mut scan = Scanner {
        bytes: s.trim().as_bytes(),
        pos: 0,
    };
    let date = scan.date()?;
    let time = scan.time()?;
    let offset = scan.offset()?;
    if scan.pos != scan.bytes.len() {
        return None;
    }
    let civil = date.to_datetime(time);
    match offset {
        Some(offset) => Some(
            offset
                .to_timestamp(civil)
                .ok()?
                .to_zoned_datetime(tz.clone()),
        ),
        None => tz.to_zoned_datetime(civil).ok(),
    }
}

/// A cursor over the bytes of a date.
struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Takes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    /// A number of `min` to `max` digits.
    fn digits(&mut self, min: usize, max: usize) -> Option<i32> {
        let start = self.pos;
        let mut value = 0i32;
        let mut count = 0;
        while count < max {
            let Some(digit @ b'0'..=b'9') = self.peek() else {
                break;
            };
            value = value * 10 + i32::from(digit - b'0');
            self.pos += 1;
            count += 1;
        }
        if count < min {
            self.pos = start;
            return None;
        }
        Some(value)
    }

    fn skip_blanks(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// `YYYY-M-D` or `YYYY/M/D` (one or two digits for month and day).
    fn date(&mut self) -> Option<Date> {
        let year = self.digits(4, 4)?;
        let sep = self.peek().filter(|b| matches!(b, b'-' | b'/'))?;
        self.pos += 1;
        let month = self.digits(1, 2)?;
        if !self.eat(sep) {
            return None;
        }
        let day = self.digits(1, 2)?;
        Date::new(
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
        )
        .ok()
    }

    /// `THH:MM[:SS[.fff]]` or the same after blanks; midnight when the text ends here.
    fn time(&mut self) -> Option<Time> {
        if self.peek().is_none() {
            return Some(Time::midnight());
        }
        if !(self.eat(b'T') || self.eat(b't') || self.skip_blanks() > 0) {
            return None;
        }
        let hour = self.digits(1, 2)?;
        if !self.eat(b':') {
            return None;
        }
        let minute = self.digits(1, 2)?;
        let second = if self.eat(b':') {
            self.digits(1, 2)?
        } else {
            0
        };
        let nanos = if self.eat(b'.') || self.eat(b',') {
            self.fraction()?
        } else {
            0
        };
        Time::new(
            i8::try_from(hour).ok()?,
            i8::try_from(minute).ok()?,
            i8::try_from(second).ok()?,
            nanos,
        )
        .ok()
    }

    /// Digits after a decimal point, as nanoseconds (past nine digits they are dropped).
    fn fraction(&mut self) -> Option<i32> {
        let start = self.pos;
        let mut nanos = 0i32;
        let mut scale = 100_000_000;
        while let Some(digit @ b'0'..=b'9') = self.peek() {
            nanos += i32::from(digit - b'0') * scale;
            scale /= 10;
            self.pos += 1;
        }
        (self.pos > start).then_some(nanos)
    }

    /// `Z`, `UTC`, `GMT`, `+08`, `+0800`, `+08:00` or `+8`, after optional blanks;
    /// `Some(None)` when there is none.
    fn offset(&mut self) -> Option<Option<Offset>> {
        self.skip_blanks();
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        if rest.is_empty() {
            return Some(None);
        }
        if rest.eq_ignore_ascii_case(b"z")
            || rest.eq_ignore_ascii_case(b"utc")
            || rest.eq_ignore_ascii_case(b"gmt")
        {
            self.pos = self.bytes.len();
            return Some(Some(Offset::UTC));
        }
        let sign = match self.peek()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        self.pos += 1;
        let hours = self.digits(1, 2)?;
        let minutes = if self.eat(b':') {
            self.digits(2, 2)?
        } else {
            self.digits(2, 2).unwrap_or(0)
        };
        Offset::from_seconds(sign * (hours * 3600 + minutes * 60))
            .ok()
            .map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    fn ok(text: &str) -> Parsed {
        parse(text, &shanghai()).unwrap()
    }

    fn err(text: &str) -> FrontMatterError {
        parse(text, &shanghai()).unwrap_err()
    }

    fn body(text: &str) -> &str {
        &text[ok(text).body]
    }

    /// A date as jiff writes it, e.g. `2024-05-19T10:00:00+08:00[Asia/Shanghai]`.
    fn date(s: &str) -> String {
        parse_date(s, &shanghai()).unwrap().to_string()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn categories(text: &str) -> Vec<Vec<String>> {
        ok(text).front.categories
    }

    const YAML: &str =
        "---\ntitle: Hello\ndate: 2025-10-30 07:17:59\ntags:\n  - a\n  - b\n---\nBody\n";

    // --- the forms ---

    #[test]
    fn yaml_with_fences() {
        let parsed = ok(YAML);
        assert_eq!(parsed.front.title.as_deref(), Some("Hello"));
        assert_eq!(
            parsed.front.date.unwrap().to_string(),
            "2025-10-30T07:17:59+08:00[Asia/Shanghai]"
        );
        assert_eq!(parsed.front.tags, strings(&["a", "b"]));
        assert_eq!(parsed.body, 65..70);
        assert_eq!(&YAML[parsed.body], "Body\n");
        assert_eq!(parsed.body_line, 8);
    }

    #[test]
    fn yaml_without_opening_fence() {
        let text = "title: Hello\ntags: x\n---\nBody\n";
        let parsed = ok(text);
        assert_eq!(parsed.front.title.as_deref(), Some("Hello"));
        assert_eq!(parsed.front.tags, strings(&["x"]));
        assert_eq!(&text[parsed.body.clone()], "Body\n");
        assert_eq!(parsed.body, 25..30);
        assert_eq!(parsed.body_line, 4);
    }

    #[test]
    fn markdown_rule_without_front_matter_is_body() {
        let text = "Some paragraph.\n\n---\n\nMore text.\n";
        let parsed = ok(text);
        assert_eq!(parsed.front, FrontMatter::default());
        assert_eq!(parsed.body, 0..text.len());
        assert_eq!(parsed.body_line, 1);
    }

    #[test]
    fn key_like_first_line_that_is_not_a_mapping_is_body() {
        let text = "Note: read this first.\n\nA paragraph.\n\n---\n\nMore.\n";
        assert_eq!(ok(text).body, 0..text.len());
        let url = "http://example.com\n---\nMore.\n";
        assert_eq!(ok(url).body, 0..url.len());
    }

    #[test]
    fn heading_first_line_is_body() {
        let text = "# Title: a heading\n---\nMore.\n";
        assert_eq!(ok(text).body, 0..text.len());
    }

    #[test]
    fn paragraph_between_rules_is_body() {
        // Hexo reads a YAML scalar between two rules as content, not front matter.
        let text = "---\nJust a paragraph\n---\nMore.\n";
        let parsed = ok(text);
        assert_eq!(parsed.front, FrontMatter::default());
        assert_eq!(parsed.body, 0..text.len());
    }

    #[test]
    fn toml_front_matter() {
        let text =
            "+++\ntitle = \"Hi\"\ndate = 2024-03-01T10:00:00+08:00\ntags = [\"a\"]\n+++\nBody";
        let parsed = ok(text);
        assert_eq!(parsed.front.title.as_deref(), Some("Hi"));
        assert_eq!(
            parsed.front.date.unwrap().to_string(),
            "2024-03-01T10:00:00+08:00[Asia/Shanghai]"
        );
        assert_eq!(parsed.front.tags, strings(&["a"]));
        assert_eq!(&text[parsed.body], "Body");
        assert_eq!(parsed.body_line, 6);
    }

    #[test]
    fn toml_local_date_and_utc_datetime() {
        let text = "+++\ndate = 2024-03-01\nupdated = 2024-03-01T02:00:00Z\n+++\n";
        let front = ok(text).front;
        assert_eq!(
            front.date.unwrap().to_string(),
            "2024-03-01T00:00:00+08:00[Asia/Shanghai]"
        );
        assert_eq!(
            front.updated.unwrap().to_string(),
            "2024-03-01T10:00:00+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn json_members_without_braces() {
        let text = "\"title\": \"x\",\n\"date\": \"2013/7/13 20:46:25\"\n;;;\nBody\n";
        let parsed = ok(text);
        assert_eq!(parsed.front.title.as_deref(), Some("x"));
        assert_eq!(
            parsed.front.date.unwrap().to_string(),
            "2013-07-13T20:46:25+08:00[Asia/Shanghai]"
        );
        assert_eq!(&text[parsed.body], "Body\n");
        assert_eq!(parsed.body_line, 4);
    }

    #[test]
    fn json_full_object() {
        let text = "{\n  \"title\": \"x\",\n  \"tags\": [\"a\", \"b\"]\n}\n;;;\nBody\n";
        let parsed = ok(text);
        assert_eq!(parsed.front.title.as_deref(), Some("x"));
        assert_eq!(parsed.front.tags, strings(&["a", "b"]));
        assert_eq!(&text[parsed.body], "Body\n");
        assert_eq!(parsed.body_line, 6);
    }

    #[test]
    fn json_with_opening_fence() {
        let text = ";;;\n\"title\": \"x\",\n\"published\": false\n;;;\nBody";
        let parsed = ok(text);
        assert_eq!(parsed.front.title.as_deref(), Some("x"));
        assert!(!parsed.front.published);
        assert_eq!(&text[parsed.body], "Body");
        assert_eq!(parsed.body_line, 5);
    }

    #[test]
    fn json_trailing_comma_is_forgiven() {
        let text = "\"title\": \"x\",\n;;;\nBody";
        assert_eq!(ok(text).front.title.as_deref(), Some("x"));
    }

    #[test]
    fn bom_is_skipped() {
        let text = "\u{feff}---\ntitle: T\n---\nBody";
        let parsed = ok(text);
        assert_eq!(parsed.front.title.as_deref(), Some("T"));
        assert_eq!(&text[parsed.body], "Body");
        assert_eq!(parsed.body_line, 4);
    }

    #[test]
    fn bom_without_front_matter() {
        let text = "\u{feff}Just text";
        let parsed = ok(text);
        assert_eq!(parsed.body, 3..text.len());
        assert_eq!(&text[parsed.body], "Just text");
    }

    #[test]
    fn bom_and_yaml_without_opening_fence() {
        let text = "\u{feff}title: T\n---\nBody";
        assert_eq!(ok(text).front.title.as_deref(), Some("T"));
        assert_eq!(body(text), "Body");
    }

    #[test]
    fn crlf_line_ends() {
        let text = "---\r\ntitle: Hello\r\ntags:\r\n  - x\r\n  - y\r\n---\r\nBody\r\n";
        let parsed = ok(text);
        assert_eq!(parsed.front.title.as_deref(), Some("Hello"));
        assert_eq!(parsed.front.tags, strings(&["x", "y"]));
        assert_eq!(&text[parsed.body], "Body\r\n");
        assert_eq!(parsed.body_line, 7);
    }

    #[test]
    fn crlf_toml_and_json() {
        let toml = "+++\r\ntitle = \"T\"\r\n+++\r\nB";
        assert_eq!(ok(toml).front.title.as_deref(), Some("T"));
        assert_eq!(body(toml), "B");
        let json = "\"title\": \"J\"\r\n;;;\r\nB";
        assert_eq!(ok(json).front.title.as_deref(), Some("J"));
        assert_eq!(body(json), "B");
    }

    #[test]
    fn no_front_matter() {
        let text = "Hello\n\nWorld\n";
        let parsed = ok(text);
        assert_eq!(parsed.front, FrontMatter::default());
        assert!(parsed.front.published);
        assert_eq!(parsed.body, 0..text.len());
        assert_eq!(parsed.body_line, 1);
    }

    #[test]
    fn empty_input() {
        let parsed = ok("");
        assert_eq!(parsed.front, FrontMatter::default());
        assert_eq!(parsed.body, 0..0);
        assert_eq!(parsed.body_line, 1);
    }

    #[test]
    fn empty_front_matter() {
        let text = "---\n---\nBody";
        let parsed = ok(text);
        assert_eq!(parsed.front, FrontMatter::default());
        assert_eq!(&text[parsed.body], "Body");
        assert_eq!(parsed.body_line, 3);
    }

    #[test]
    fn long_fences_and_trailing_blanks() {
        let text = "-----\ntitle: T\n---  \nBody";
        assert_eq!(ok(text).front.title.as_deref(), Some("T"));
        assert_eq!(body(text), "Body");
    }

    #[test]
    fn closing_fence_at_end_without_newline() {
        let text = "---\ntitle: T\n---";
        let parsed = ok(text);
        assert_eq!(parsed.body, text.len()..text.len());
        assert_eq!(parsed.body_line, 4);
    }

    #[test]
    fn later_rules_stay_in_body() {
        let text = "---\ntitle: T\n---\nA\n\n---\n\nB\n";
        assert_eq!(body(text), "A\n\n---\n\nB\n");
    }

    #[test]
    fn leading_tabs_read_as_two_spaces_like_hexo() {
        let text = "---\ntags:\n\t- a\n\t- b\n---\n";
        assert_eq!(ok(text).front.tags, strings(&["a", "b"]));
    }

    // --- categories ---

    #[test]
    fn category_string_is_one_level() {
        assert_eq!(
            categories("---\ncategories: Life\n---\n"),
            vec![strings(&["Life"])]
        );
    }

    #[test]
    fn category_list_is_one_path() {
        assert_eq!(
            categories("---\ncategories: [Tech, Rust]\n---\n"),
            vec![strings(&["Tech", "Rust"])]
        );
        assert_eq!(
            categories("---\ncategories:\n  - Tech\n  - Rust\n---\n"),
            vec![strings(&["Tech", "Rust"])]
        );
    }

    #[test]
    fn category_list_of_lists_is_several_paths() {
        assert_eq!(
            categories("---\ncategories: [[Tech, Rust], [Life]]\n---\n"),
            vec![strings(&["Tech", "Rust"]), strings(&["Life"])]
        );
        assert_eq!(
            categories("---\ncategories:\n  - [Tech, Rust]\n  - Life\n---\n"),
            vec![strings(&["Tech", "Rust"]), strings(&["Life"])]
        );
    }

    #[test]
    fn category_numbers_and_bools_are_text() {
        assert_eq!(
            categories("---\ncategories: 2016\n---\n"),
            vec![strings(&["2016"])]
        );
        assert_eq!(
            categories("---\ncategories: [2016, true, 1.5]\n---\n"),
            vec![strings(&["2016", "true", "1.5"])]
        );
    }

    #[test]
    fn category_empty_or_null_is_none() {
        assert!(categories("---\ncategories:\n---\n").is_empty());
        assert!(categories("---\ncategories: []\n---\n").is_empty());
        assert!(categories("---\ncategories: ''\n---\n").is_empty());
        assert!(categories("---\ncategories: [[]]\n---\n").is_empty());
    }

    #[test]
    fn category_alias() {
        assert_eq!(
            categories("---\ncategory: Life\n---\n"),
            vec![strings(&["Life"])]
        );
    }

    #[test]
    fn categories_in_toml_and_json() {
        let toml = "+++\ncategories = [[\"A\", \"B\"], [\"C\"]]\n+++\n";
        assert_eq!(
            categories(toml),
            vec![strings(&["A", "B"]), strings(&["C"])]
        );
        let json = "\"categories\": [\"A\", \"B\"]\n;;;\n";
        assert_eq!(categories(json), vec![strings(&["A", "B"])]);
    }

    #[test]
    fn category_map_is_an_error() {
        let e = err("---\ntitle: T\ncategories: {a: b}\n---\n");
        assert_eq!(e.line, 3);
        assert_eq!(
            e.message,
            "field 'categories' must be a name or a list of names, found a map of keys"
        );
    }

    #[test]
    fn category_too_deep_is_an_error() {
        let e = err("---\ncategories: [[A, [B]]]\n---\n");
        assert_eq!(e.line, 2);
        assert_eq!(
            e.message,
            "field 'categories' must be a name or a list of names, found a list in it"
        );
    }

    // --- tags ---

    #[test]
    fn tags_list() {
        assert_eq!(
            ok("---\ntags: [a, b]\n---\n").front.tags,
            strings(&["a", "b"])
        );
    }

    #[test]
    fn tags_string_is_one_tag() {
        assert_eq!(
            ok("---\ntags: Rust lang\n---\n").front.tags,
            strings(&["Rust lang"])
        );
    }

    #[test]
    fn tags_numbers_are_text() {
        assert_eq!(
            ok("---\ntags: [2024, 3.5]\n---\n").front.tags,
            strings(&["2024", "3.5"])
        );
        assert_eq!(ok("---\ntags: 42\n---\n").front.tags, strings(&["42"]));
    }

    #[test]
    fn tags_empty_as_hexo_template_leaves_them() {
        assert!(ok("---\ntitle: T\ntags:\n---\n").front.tags.is_empty());
        assert!(ok("---\ntags: []\n---\n").front.tags.is_empty());
        assert!(ok("---\ntags: ~\n---\n").front.tags.is_empty());
    }

    #[test]
    fn tags_skip_null_items() {
        assert_eq!(
            ok("---\ntags:\n  - a\n  -\n  - b\n---\n").front.tags,
            strings(&["a", "b"])
        );
    }

    #[test]
    fn tag_alias() {
        assert_eq!(ok("---\ntag: [x]\n---\n").front.tags, strings(&["x"]));
    }

    #[test]
    fn yaml_1_1_words_stay_text() {
        // js-yaml (Hexo) reads YAML 1.2: `y`, `no`, `on` are strings, not booleans.
        let tags = ok("---\ntags: [y, no, on]\n---\n").front.tags;
        assert_eq!(tags, strings(&["y", "no", "on"]));
    }

    #[test]
    fn tags_map_is_an_error() {
        let e = err("---\ntags:\n  a: b\n---\n");
        assert_eq!(e.line, 2);
        assert_eq!(
            e.message,
            "field 'tags' must be a name or a list of names, found a map of keys"
        );
    }

    // --- dates ---

    #[test]
    fn date_hexo_default_format() {
        assert_eq!(
            date("2025-10-30 07:17:59"),
            "2025-10-30T07:17:59+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn date_slashes_and_single_digits() {
        assert_eq!(
            date("2013/7/13 20:46:25"),
            "2013-07-13T20:46:25+08:00[Asia/Shanghai]"
        );
        assert_eq!(
            date("2024/5/19"),
            "2024-05-19T00:00:00+08:00[Asia/Shanghai]"
        );
        assert_eq!(
            date("2024-5-9 8:05"),
            "2024-05-09T08:05:00+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn date_only() {
        assert_eq!(
            date("2024-05-19"),
            "2024-05-19T00:00:00+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn date_iso_without_seconds() {
        assert_eq!(
            date("2024-05-19T10:20"),
            "2024-05-19T10:20:00+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn date_iso_civil() {
        assert_eq!(
            date("2024-05-19T10:20:30"),
            "2024-05-19T10:20:30+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn date_utc_is_converted() {
        assert_eq!(
            date("2024-05-19T02:00:00Z"),
            "2024-05-19T10:00:00+08:00[Asia/Shanghai]"
        );
        assert_eq!(
            date("2024-05-19T02:00:00.000Z"),
            "2024-05-19T10:00:00+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn date_offsets_are_converted() {
        let expected = "2024-05-19T10:00:00+08:00[Asia/Shanghai]";
        assert_eq!(date("2024-05-19T10:00:00+8"), expected);
        assert_eq!(date("2024-05-19 02:00:00 +0"), expected);
        assert_eq!(date("2024-05-19T04:00:00+02:00"), expected);
        assert_eq!(date("2024-05-19T04:00:00+0200"), expected);
        assert_eq!(date("2024-05-19 04:00:00 +02"), expected);
        assert_eq!(date("2024-05-18T21:00:00-05:00"), expected);
        assert_eq!(date("2024-05-19 02:00:00 UTC"), expected);
    }

    #[test]
    fn date_fraction_of_second() {
        assert_eq!(
            date("2024-05-19T10:20:30.5"),
            "2024-05-19T10:20:30.5+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn date_in_another_zone() {
        let tz = TimeZone::get("America/New_York").unwrap();
        let zdt = parse_date("2024-07-01 12:00:00", &tz).unwrap();
        assert_eq!(
            zdt.to_string(),
            "2024-07-01T12:00:00-04:00[America/New_York]"
        );
        let zdt = parse_date("2024-07-01T16:00:00Z", &tz).unwrap();
        assert_eq!(
            zdt.to_string(),
            "2024-07-01T12:00:00-04:00[America/New_York]"
        );
    }

    #[test]
    fn date_rejects_nonsense() {
        for s in [
            "tomorrow",
            "2024",
            "2024-13-01",
            "2024-02-30",
            "2024-05-19 25:00",
            "2024-05-19T10",
            "2024-05-19 10:00 +",
            "2024-05-19 10:00 +081",
            "2024-05/19",
            "24-05-19",
            "2024-05-19x",
            "",
        ] {
            assert_eq!(parse_date(s, &shanghai()), None, "{s:?}");
        }
    }

    #[test]
    fn date_and_updated_fields() {
        let front = ok("---\ndate: 2024-05-19T02:00:00Z\nupdated: 2024/5/20\n---\n").front;
        assert_eq!(
            front.date.unwrap().to_string(),
            "2024-05-19T10:00:00+08:00[Asia/Shanghai]"
        );
        assert_eq!(
            front.updated.unwrap().to_string(),
            "2024-05-20T00:00:00+08:00[Asia/Shanghai]"
        );
    }

    #[test]
    fn date_empty_is_none() {
        assert_eq!(ok("---\ndate:\n---\n").front.date, None);
        assert_eq!(ok("---\ndate: ''\n---\n").front.date, None);
    }

    #[test]
    fn date_unparseable_names_field_and_value() {
        let e = err("---\ntitle: T\ndate: tomorrow\n---\n");
        assert_eq!(e.line, 3);
        assert_eq!(e.column, None);
        assert_eq!(
            e.message,
            "field 'date' is 'tomorrow', which is not a date; write it like 2025-10-30 07:17:59"
        );
    }

    #[test]
    fn date_number_is_an_error() {
        let e = err("---\nupdated: 20240519\n---\n");
        assert_eq!(e.line, 2);
        assert_eq!(
            e.message,
            "field 'updated' must be a date like 2025-10-30 07:17:59, found a number"
        );
    }

    #[test]
    fn toml_local_time_is_not_a_date() {
        let e = err("+++\ndate = 10:00:00\n+++\n");
        assert_eq!(e.line, 2);
        assert!(
            e.message.starts_with("field 'date' is '10:00:00'"),
            "{}",
            e.message
        );
    }

    // --- published and text fields ---

    #[test]
    fn published_default_true() {
        assert!(ok("---\ntitle: T\n---\n").front.published);
        assert!(ok("---\npublished:\n---\n").front.published);
        assert!(ok("---\npublished: ''\n---\n").front.published);
    }

    #[test]
    fn published_false() {
        assert!(!ok("---\npublished: false\n---\n").front.published);
        assert!(ok("---\npublished: true\n---\n").front.published);
    }

    #[test]
    fn published_as_text() {
        assert!(!ok("---\npublished: \"false\"\n---\n").front.published);
        assert!(ok("---\npublished: 'true'\n---\n").front.published);
        assert!(!ok("---\npublished: no\n---\n").front.published);
    }

    #[test]
    fn published_wrong_value() {
        let e = err("---\npublished: maybe\n---\n");
        assert_eq!(e.line, 2);
        assert_eq!(
            e.message,
            "field 'published' must be true or false, found 'maybe'"
        );
        let e = err("---\npublished: 0\n---\n");
        assert_eq!(
            e.message,
            "field 'published' must be true or false, found a number"
        );
    }

    #[test]
    fn text_fields() {
        let text =
            "---\nabbrlink: 4a17b156\npermalink: /p/x/\nlang: zh-CN\ndescription: 简介\n---\n";
        let front = ok(text).front;
        assert_eq!(front.abbrlink.as_deref(), Some("4a17b156"));
        assert_eq!(front.permalink.as_deref(), Some("/p/x/"));
        assert_eq!(front.lang.as_deref(), Some("zh-CN"));
        assert_eq!(front.description.as_deref(), Some("简介"));
    }

    #[test]
    fn numeric_abbrlink_and_title_are_text() {
        let front = ok("---\nabbrlink: 12345\ntitle: 2024\n---\n").front;
        assert_eq!(front.abbrlink.as_deref(), Some("12345"));
        assert_eq!(front.title.as_deref(), Some("2024"));
        assert_eq!(
            ok("---\ntitle: 1.0\n---\n").front.title.as_deref(),
            Some("1")
        );
    }

    #[test]
    fn empty_title_is_none() {
        assert_eq!(ok("---\ntitle:\n---\n").front.title, None);
        assert_eq!(ok("---\ntitle: \"\"\n---\n").front.title, None);
    }

    #[test]
    fn title_list_is_an_error_naming_the_field() {
        let e = err("---\ndate: 2024-05-19\ntitle: [a, b]\n---\n");
        assert_eq!(e.line, 3);
        assert_eq!(e.column, None);
        assert_eq!(e.message, "field 'title' must be text, found a list");
    }

    #[test]
    fn title_map_is_an_error() {
        let e = err("---\ntitle:\n  zh: 标题\n---\n");
        assert_eq!(e.line, 2);
        assert_eq!(e.message, "field 'title' must be text, found a map of keys");
    }

    #[test]
    fn wrong_type_line_in_json_and_toml() {
        let e = err(";;;\n\"tags\": [],\n  \"title\": [1]\n;;;\n");
        assert_eq!(e.line, 3);
        assert_eq!(e.message, "field 'title' must be text, found a list");
        let e = err("+++\ntitle = \"x\"\nlang = [\"zh\"]\n+++\n");
        assert_eq!(e.line, 3);
        assert_eq!(e.message, "field 'lang' must be text, found a list");
    }

    #[test]
    fn wrong_type_without_findable_key_points_at_opening_line() {
        // The key is written in flow style, so no line starts with it.
        let e = err("---\n{title: [a]}\n---\n");
        assert_eq!(e.line, 1);
    }

    #[test]
    fn unknown_keys_ignored() {
        let front =
            ok("---\ntitle: T\nlayout: post\ntoc: true\ncomments: [1, {a: b}]\n---\n").front;
        assert_eq!(front.title.as_deref(), Some("T"));
    }

    // --- errors ---

    #[test]
    fn unclosed_front_matter() {
        let e = err("---\ntitle: T\n\nBody text\n");
        assert_eq!(e.line, 1);
        assert_eq!(e.column, None);
        assert_eq!(
            e.message,
            "front matter opened on line 1 is never closed (no closing `---` line)"
        );
        assert_eq!(
            e.to_string(),
            "line 1: front matter opened on line 1 is never closed (no closing `---` line)"
        );
    }

    #[test]
    fn unclosed_toml_and_json() {
        assert_eq!(
            err("+++\ntitle = 1\n").message,
            "front matter opened on line 1 is never closed (no closing `+++` line)"
        );
        assert_eq!(err(";;;\n\"a\": 1\n").line, 1);
    }

    #[test]
    fn yaml_syntax_error_line_in_file() {
        let e = err("---\ntitle: T\ndate: 2024-05-19\ndescription: \"unclosed\n---\nBody\n");
        assert_eq!(e.line, 4);
        assert_eq!(e.column, Some(14));
        assert_eq!(e.message, "invalid YAML: unclosed quote");
        assert_eq!(
            e.to_string(),
            "line 4, column 14: invalid YAML: unclosed quote"
        );
    }

    #[test]
    fn yaml_error_column_counts_characters() {
        let e = err("---\ntitle: 标题\nx: [a, b\n---\n");
        assert_eq!((e.line, e.column), (3, Some(4)));
        assert_eq!(e.message, "invalid YAML: unclosed bracket '['");
    }

    #[test]
    fn yaml_error_after_bom_and_crlf() {
        let e = err("\u{feff}---\r\ntitle: a\r\n  bad: b\r\n---\r\n");
        assert_eq!((e.line, e.column), (3, Some(6)));
        assert_eq!(
            e.message,
            "invalid YAML: mapping values are not allowed in this context"
        );
    }

    #[test]
    fn yaml_tab_after_spaces_is_an_error() {
        let e = err("---\ntitle: T\nmeta:\n  b:\n  \tc: 1\n---\n");
        assert_eq!((e.line, e.column), (5, Some(4)));
        assert_eq!(
            e.message,
            "invalid YAML: tabs disallowed within this context (block indentation)"
        );
    }

    #[test]
    fn yaml_error_column_maps_back_through_tabs() {
        // The leading tab is read as two spaces; the column is reported in the file's terms.
        let e = err("---\nt:\n\ta: [b\n---\n");
        assert_eq!((e.line, e.column), (3, Some(5)));
    }

    #[test]
    fn yaml_duplicate_key_is_an_error() {
        let e = err("---\ntitle: a\ntitle: b\n---\n");
        assert_eq!((e.line, e.column), (3, Some(1)));
        assert_eq!(
            e.message,
            "invalid YAML: duplicate mapping key `title` is not allowed here"
        );
    }

    #[test]
    fn yaml_list_is_an_error() {
        let e = err("---\n- a\n- b\n---\n");
        assert_eq!(e.line, 2);
        assert_eq!(
            e.message,
            "front matter must be `key: value` lines, found a list"
        );
    }

    #[test]
    fn unfenced_yaml_that_does_not_parse_is_body() {
        let text = "title: \"oops\nmore\n---\nBody\n";
        assert_eq!(ok(text).body, 0..text.len());
    }

    #[test]
    fn toml_syntax_error() {
        let e = err("+++\ntitle = \"x\"\ndate = \n+++\n");
        assert_eq!((e.line, e.column), (3, Some(8)));
        assert_eq!(
            e.message,
            "invalid TOML: string values must be quoted, expected literal string"
        );
    }

    #[test]
    fn toml_unclosed_string() {
        let e = err("+++\ntitle = \"abc\n+++\n");
        assert_eq!(e.line, 2);
        assert!(e.message.starts_with("invalid TOML: "), "{}", e.message);
    }

    #[test]
    fn json_syntax_error_without_braces() {
        let e = err("\"title\": \"x\"\n\"date\": \"2024-05-19\"\n;;;\n");
        assert_eq!((e.line, e.column), (2, Some(1)));
        assert_eq!(e.message, "invalid JSON: expected `,` or `}`");
    }

    #[test]
    fn json_syntax_error_with_braces_and_cjk() {
        let e = err(";;;\n{\n\"t\": \"标题\" x\n}\n;;;\n");
        assert_eq!((e.line, e.column), (3, Some(11)));
        assert_eq!(e.message, "invalid JSON: expected `,` or `}`");
    }

    #[test]
    fn json_unterminated_points_at_closing_fence() {
        let e = err(";;;\n\"tags\": [\"a\",\n;;;\n");
        assert_eq!(e.line, 3);
        assert_eq!(e.column, None);
        assert!(e.message.starts_with("invalid JSON: "), "{}", e.message);
    }

    #[test]
    fn json_not_an_object() {
        let e = err(";;;\n[1, 2]\n;;;\n");
        assert_eq!(e.line, 2);
        assert_eq!(e.message, "invalid JSON: key must be a string");
    }

    #[test]
    fn error_display_and_trait() {
        let e = FrontMatterError::new(3, Some(7), "boom");
        assert_eq!(e.to_string(), "line 3, column 7: boom");
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert_eq!(boxed.to_string(), "line 3, column 7: boom");
    }

    // --- body range ---

    #[test]
    fn body_range_and_line_for_each_form() {
        let cases: [(&str, &str, usize); 6] = [
            ("---\na: 1\n---\nX\nY", "X\nY", 4),
            ("a: 1\nb: 2\n---\nX", "X", 4),
            ("+++\na = 1\n+++\n\nX", "\nX", 4),
            ("\"a\": 1\n;;;\nX", "X", 3),
            (";;;\n{\"a\": 1}\n;;;\nX", "X", 4),
            ("\u{feff}---\r\na: 1\r\n---\r\nX", "X", 4),
        ];
        for (text, expected, line) in cases {
            let parsed = ok(text);
            assert_eq!(&text[parsed.body.clone()], expected, "{text:?}");
            assert_eq!(parsed.body.end, text.len(), "{text:?}");
            assert_eq!(parsed.body_line, line, "{text:?}");
        }
    }

    // --- never panic ---

    #[test]
    fn truncated_prefixes_never_panic() {
        let samples = [
            YAML,
            "title: Hello\ntags: x\n---\nBody\n",
            "+++\ntitle = \"Hi\"\ndate = 2024-03-01T10:00:00+08:00\ntags = [\"a\"]\n+++\nBody",
            "\"title\": \"x\",\n\"date\": \"2013/7/13 20:46:25\"\n;;;\nBody\n",
            ";;;\n{\n  \"title\": \"标题\",\n  \"tags\": [\"a\", \"b\"]\n}\n;;;\nBody\n",
            "\u{feff}---\r\ntitle: 中文\r\ncategories: [[A, B], [C]]\r\ndate: 2024-05-19T02:00:00Z\r\n---\r\nBody",
            "---\ntags:\n\t- a\n\t- \"b\ndate: 2024/5/19 10:00 +08:00\n---\n",
        ];
        let tz = shanghai();
        let mut count = 0;
        for sample in samples {
            for (end, _) in sample.char_indices().chain([(sample.len(), ' ')]) {
                let prefix = &sample[..end];
                if let Ok(parsed) = parse(prefix, &tz) {
                    assert!(
                        parsed.body.start <= parsed.body.end && parsed.body.end == prefix.len()
                    );
                    assert!(prefix.get(parsed.body.clone()).is_some());
                }
                let _ = parse_date(prefix, &tz);
                count += 1;
            }
        }
        assert!(count > 300, "{count}");
    }
}
