//! Fields: the keys inkstone uses, converted from raw values one at a time.
//!
//! Owns Hexo's leniency about what a field may hold (numbers and true/false as text, one tag
//! or category as a plain string, `tag` and `category` as other names, empty values as none)
//! and the errors that name a field and the line of its key. Which text is a date is for
//! `dates` to say.

use jiff::ZonedDateTime;
use jiff::tz::TimeZone;

use super::dates::parse_date;
use super::fence::{Block, lines};
use super::raw::Raw;
use super::{FrontMatter, FrontMatterError};

/// The top-level keys of the front matter, with what is needed to point at a key's line.
pub(super) struct Fields<'a> {
    pub(super) map: &'a [(String, Raw)],
    pub(super) text: &'a str,
    pub(super) block: &'a Block,
}

impl Fields<'_> {
    pub(super) fn front_matter(&self, tz: &TimeZone) -> Result<FrontMatter, FrontMatterError> {
        // A date Hexo cannot read is no error to Hexo: it dates the post by its file.
        let lenient_date = |key: &str| match self.get(&[key], |k, v| to_date(k, v, tz)) {
            Ok(date) => (date.flatten(), None),
            Err(e) => (None, Some(e)),
        };
        let (date, bad_date) = lenient_date("date");
        let (updated, bad_updated) = lenient_date("updated");
        let warnings = bad_updated
            .into_iter()
            .map(|mut e| {
                e.message.push_str("; left out");
                e
            })
            .collect();
        Ok(FrontMatter {
            title: self.get(&["title"], to_text)?.flatten(),
            date,
            updated,
            categories: self
                .get(&["categories", "category"], to_categories)?
                .unwrap_or_default(),
            tags: self.get(&["tags", "tag"], to_tags)?.unwrap_or_default(),
            published: self.get(&["published"], to_published)?.unwrap_or(true),
            abbrlink: self.get(&["abbrlink"], to_text)?.flatten(),
            permalink: self.get(&["permalink"], to_text)?.flatten(),
            lang: self.get(&["lang"], to_text)?.flatten(),
            description: self.get(&["description"], to_text)?.flatten(),
            math: self
                .get(&["mathjax", "math", "katex"], to_switch)?
                .flatten(),
            bad_date,
            warnings,
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

/// A switch a theme reads (`mathjax: true`): true or false, as text too; anything else is no
/// setting (themes read it as JavaScript truthiness, which no book should guess at).
fn to_switch(_key: &str, value: &Raw) -> Result<Option<bool>, String> {
    Ok(match value {
        Raw::Bool(b) => Some(*b),
        Raw::Text(s) => switch_word(s),
        _ => None,
    })
}

/// `true`/`yes` or `false`/`no`, in any case.
fn switch_word(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" => Some(true),
        "false" | "no" => Some(false),
        _ => None,
    }
}

/// `true`/`false` (also as text, and `yes`/`no`); null or empty means published.
fn to_published(key: &str, value: &Raw) -> Result<bool, String> {
    match value {
        Raw::Null => Ok(true),
        Raw::Bool(b) => Ok(*b),
        Raw::Text(s) if s.trim().is_empty() => Ok(true),
        Raw::Text(s) => switch_word(s)
            .ok_or_else(|| format!("field '{key}' must be true or false, found '{s}'")),
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

#[cfg(test)]
mod tests {
    use crate::collect::front_matter::test_support::{err, ok, strings};

    fn categories(text: &str) -> Vec<Vec<String>> {
        ok(text).front.categories
    }

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
    fn tags_map_is_an_error() {
        let e = err("---\ntags:\n  a: b\n---\n");
        assert_eq!(e.line, 2);
        assert_eq!(
            e.message,
            "field 'tags' must be a name or a list of names, found a map of keys"
        );
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
    fn date_empty_is_none() {
        assert_eq!(ok("---\ndate:\n---\n").front.date, None);
        assert_eq!(ok("---\ndate: ''\n---\n").front.date, None);
    }

    /// What `text`'s front matter says of its date, which it reads as none.
    fn date_warning(text: &str) -> super::super::FrontMatterError {
        let front = ok(text).front;
        assert_eq!((front.date, front.updated), (None, None));
        let mut found: Vec<_> = front.bad_date.into_iter().chain(front.warnings).collect();
        assert_eq!(found.len(), 1, "{found:?}");
        found.remove(0)
    }

    #[test]
    fn date_unparseable_names_field_and_value() {
        let e = date_warning("---\ntitle: T\ndate: tomorrow\n---\n");
        assert_eq!(e.line, 3);
        assert_eq!(e.column, None);
        assert_eq!(
            e.message,
            "field 'date' is 'tomorrow', which is not a date; write it like 2025-10-30 07:17:59"
        );
        // A year of three digits (a typo for 2020), which Hexo reads as the year 202.
        let e = date_warning("---\ndate: 202-02-23 20:49:45\n---\n");
        assert_eq!(e.line, 2);
        assert!(
            e.message
                .starts_with("field 'date' is '202-02-23 20:49:45'"),
            "{}",
            e.message
        );
    }

    #[test]
    fn an_updated_date_of_the_wrong_type_is_left_out() {
        let e = date_warning("---\nupdated: 20240519\n---\n");
        assert_eq!(e.line, 2);
        assert_eq!(
            e.message,
            "field 'updated' must be a date like 2025-10-30 07:17:59, found a number; left out"
        );
    }

    #[test]
    fn toml_local_time_is_not_a_date() {
        let e = date_warning("+++\ndate = 10:00:00\n+++\n");
        assert_eq!(e.line, 2);
        assert!(
            e.message.starts_with("field 'date' is '10:00:00'"),
            "{}",
            e.message
        );
    }

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
}
