//! Raw values: the block's text read as YAML, TOML or JSON into untyped keys and values.
//!
//! Owns the three parsers and Hexo's way of calling them (leading tabs as two spaces, JSON
//! members without braces), puts their errors back on the file's lines and columns, and
//! decides when a block is not front matter after all. Gives no value a type (that is
//! `fields`).

use std::borrow::Cow;

use serde_saphyr::MessageFormatter;

use super::FrontMatterError;
use super::fence::{Block, Format};

/// A front matter value before it is given a type.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Raw {
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
    pub(super) fn kind(&self) -> &'static str {
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
    pub(super) fn scalar_text(&self) -> Option<String> {
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
pub(super) fn read_block(
    text: &str,
    block: &Block,
) -> Result<Option<Vec<(String, Raw)>>, FrontMatterError> {
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

#[cfg(test)]
mod tests {
    use crate::collect::front_matter::FrontMatter;
    use crate::collect::front_matter::test_support::{err, ok, strings};

    #[test]
    fn paragraph_between_rules_is_body() {
        // Hexo reads a YAML scalar between two rules as content, not front matter.
        let text = "---\nJust a paragraph\n---\nMore.\n";
        let parsed = ok(text);
        assert_eq!(parsed.front, FrontMatter::default());
        assert_eq!(parsed.body, 0..text.len());
    }

    #[test]
    fn key_like_first_line_that_is_not_a_mapping_is_body() {
        let text = "Note: read this first.\n\nA paragraph.\n\n---\n\nMore.\n";
        assert_eq!(ok(text).body, 0..text.len());
        let url = "http://example.com\n---\nMore.\n";
        assert_eq!(ok(url).body, 0..url.len());
    }

    #[test]
    fn unfenced_yaml_that_does_not_parse_is_body() {
        let text = "title: \"oops\nmore\n---\nBody\n";
        assert_eq!(ok(text).body, 0..text.len());
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
    fn json_trailing_comma_is_forgiven() {
        let text = "\"title\": \"x\",\n;;;\nBody";
        assert_eq!(ok(text).front.title.as_deref(), Some("x"));
    }

    #[test]
    fn leading_tabs_read_as_two_spaces_like_hexo() {
        let text = "---\ntags:\n\t- a\n\t- b\n---\n";
        assert_eq!(ok(text).front.tags, strings(&["a", "b"]));
    }

    #[test]
    fn yaml_1_1_words_stay_text() {
        // js-yaml (Hexo) reads YAML 1.2: `y`, `no`, `on` are strings, not booleans.
        let tags = ok("---\ntags: [y, no, on]\n---\n").front.tags;
        assert_eq!(tags, strings(&["y", "no", "on"]));
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
}
