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
//! and then converted field by field, so a value of the wrong type is reported with
//! the field's name and the line of its key. Every error carries a 1-based line (and column
//! when known) in the whole file.
//!
//! The stages, one file each, in the order [`parse`] runs them:
//! 1. `fence`: where the block is, in which format, and where the body starts;
//! 2. `raw`: the block read as YAML, TOML or JSON into untyped keys and values;
//! 3. `fields`: the keys inkstone uses, each converted to its type;
//! 4. `dates`: Hexo's date formats and time zones, for `date` and `updated`.

mod dates;
mod fence;
mod fields;
mod raw;

use std::ops::Range;

use jiff::ZonedDateTime;
use jiff::tz::TimeZone;

pub use dates::parse_date;

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
    /// `mathjax:`, `math:` or `katex:` set to true or false: whether this post's `$…$` is math.
    pub math: Option<bool>,
    /// A `date` that is not one, at its key's line: Hexo builds the post all the same, dated
    /// by its file, and so does inkstone.
    pub bad_date: Option<FrontMatterError>,
    /// Other values Hexo tolerates and inkstone sets aside (an `updated` that is not a date),
    /// each at its key's line.
    pub warnings: Vec<FrontMatterError>,
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
            math: None,
            bad_date: None,
            warnings: Vec::new(),
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
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}{}: {message}", column.map(|c| format!(", column {c}")).unwrap_or_default())]
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
    // Where the block is; none: the whole text is body.
    let Some(block) = fence::split(text, from)? else {
        return Ok(whole);
    };
    // Its keys and values, untyped; none: it was body after all.
    let Some(map) = raw::read_block(text, &block)? else {
        return Ok(whole);
    };
    // The fields inkstone uses, each given its type (dates in `tz`).
    let fields = fields::Fields {
        map: &map,
        text,
        block: &block,
    };
    let mut front = fields.front_matter(tz)?;
    if block.blank_lines_before > 0 {
        front.warnings.push(FrontMatterError::new(
            block.open_line,
            None,
            match block.blank_lines_before {
                1 => "read below a blank line, as Hexo reads it; the blank line is safer removed"
                    .to_string(),
                n => format!(
                    "read below {n} blank lines (Hexo reads front matter below one blank line \
                     only); the blank lines are safer removed"
                ),
            },
        ));
    }
    Ok(Parsed {
        front,
        body: block.body_start..text.len(),
        body_line: block.body_line,
    })
}

#[cfg(test)]
mod test_support {
    use super::*;

    pub(super) fn shanghai() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    pub(super) fn ok(text: &str) -> Parsed {
        parse(text, &shanghai()).unwrap()
    }

    pub(super) fn err(text: &str) -> FrontMatterError {
        parse(text, &shanghai()).unwrap_err()
    }

    /// The body of `text`, as [`parse`] finds it.
    pub(super) fn body(text: &str) -> &str {
        &text[ok(text).body]
    }

    pub(super) fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{ok, shanghai, strings};
    use super::*;

    const YAML: &str =
        "---\ntitle: Hello\ndate: 2025-10-30 07:17:59\ntags:\n  - a\n  - b\n---\nBody\n";

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
    fn error_display_and_trait() {
        let e = FrontMatterError::new(3, Some(7), "boom");
        assert_eq!(e.to_string(), "line 3, column 7: boom");
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert_eq!(boxed.to_string(), "line 3, column 7: boom");
    }

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
