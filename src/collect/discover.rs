//! Finding post files under `source/_posts/` (and `source/_drafts/`) and reading each into a
//! `Post`: front matter, title and date fallbacks, asset folder.

use std::path::{Path, PathBuf};

use super::front_matter;
use super::permalink;
use super::{Omission, Post};
use crate::config::{CategorySource, Config};
use crate::diag::{Diagnostic, Diagnostics, Error, Result};

/// A post file found on disk.
pub struct PostFile {
    pub path: PathBuf,
    /// Path below `_posts/` or `_drafts/`, with `/` separators, extension removed.
    pub slug: String,
    pub is_draft: bool,
}

/// What Hexo's Markdown renderers (hexo-renderer-marked, -markdown-it) take as Markdown.
const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mkd", "mkdn", "mdwn", "mdtxt", "mdtext"];

/// All post files, sorted by path so every run sees them in the same order, and the editor
/// leftovers skipped among them. As Hexo, it leaves out names starting with `.` or `_` below
/// the posts folder and what `_config.yml`'s `exclude`, `ignore` and `skip_render` name
/// (globs from `source/`, or from anywhere with `**/`).
pub fn post_files(
    blog_root: &Path,
    drafts: bool,
    ignored: &[String],
    diags: &Diagnostics,
) -> Result<(Vec<PostFile>, Vec<PathBuf>)> {
    let source = blog_root.join("source");
    let posts_dir = source.join("_posts");
    if !posts_dir.is_dir() {
        return Err(Error::NoPostsFolder(posts_dir));
    }
    let walker = Walker {
        source: &source,
        ignored: ignored_globs(ignored, &blog_root.join(crate::config::HEXO_FILE), diags),
        diags,
        leftovers: std::cell::RefCell::new(Vec::new()),
    };
    let mut files = Vec::new();
    walker.walk(&posts_dir, &posts_dir, false, &mut files)?;
    let drafts_dir = source.join("_drafts");
    if drafts && drafts_dir.is_dir() {
        walker.walk(&drafts_dir, &drafts_dir, true, &mut files)?;
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, walker.leftovers.into_inner()))
}

/// The patterns as one set; one that is no glob is reported and left out.
fn ignored_globs(patterns: &[String], config: &Path, diags: &Diagnostics) -> globset::GlobSet {
    let mut set = globset::GlobSetBuilder::new();
    for pattern in patterns {
        // `*` stays inside one folder, as micromatch reads it.
        let glob = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build();
        match glob {
            Ok(glob) => {
                set.add(glob);
            }
            Err(e) => diags.warn(
                config,
                None,
                format!("'{pattern}' is no glob pattern ({e}); ignored"),
            ),
        }
    }
    set.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

/// Walks the posts folders, leaving out what Hexo leaves out.
struct Walker<'a> {
    source: &'a Path,
    ignored: globset::GlobSet,
    diags: &'a Diagnostics,
    /// Conflict copies and backups found on the way.
    leftovers: std::cell::RefCell<Vec<PathBuf>>,
}

impl Walker<'_> {
    /// Whether Hexo leaves `path` out: matched by a pattern, from `source/`.
    fn is_ignored(&self, path: &Path) -> bool {
        let relative = path.strip_prefix(self.source).unwrap_or(path);
        let relative = relative.to_string_lossy().replace('\\', "/");
        self.ignored.is_match(&relative)
    }

    fn walk(&self, dir: &Path, base: &Path, is_draft: bool, out: &mut Vec<PostFile>) -> Result<()> {
        let diags = self.diags;
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with('.') || name.starts_with('_') || self.is_ignored(&path) {
                continue;
            }
            if path.is_dir() {
                self.walk(&path, base, is_draft, out)?;
                continue;
            }
            let is_markdown = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| MARKDOWN_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
            if !is_markdown {
                continue;
            }
            if is_editor_leftover(&name) {
                diags.warn(
                    &path,
                    None,
                    "skipped: looks like an editor or sync leftover, not a post",
                );
                self.leftovers.borrow_mut().push(path);
                continue;
            }
            let relative = path.strip_prefix(base).unwrap_or(&path).with_extension("");
            let slug = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push(PostFile {
                path,
                slug,
                is_draft,
            });
        }
        Ok(())
    }
}

/// The folders a post file sits in below `_posts/` (or `_drafts/`), from its slug.
fn folders_of(slug: &str) -> Vec<String> {
    let mut parts: Vec<String> = slug.split('/').map(str::to_string).collect();
    parts.pop();
    parts
}

/// The category path the book files a post under, from its front matter's first path and its
/// folders as `source` says; `None` when neither gives one.
fn filed_under(
    front: Option<&[String]>,
    folders: &[String],
    source: CategorySource,
) -> Option<Vec<String>> {
    let folders = (!folders.is_empty()).then(|| folders.to_vec());
    match source {
        // Date folders (`2019/03/`) sort files; they name no category.
        CategorySource::FrontMatter => front.map(<[String]>::to_vec).or_else(|| {
            folders.filter(|f| {
                !f.iter()
                    .all(|name| name.chars().all(|c| c.is_ascii_digit()))
            })
        }),
        CategorySource::Folders => folders.or_else(|| front.map(<[String]>::to_vec)),
        CategorySource::Both => match (folders, front) {
            (Some(mut path), Some(front)) => {
                path.extend(front.iter().cloned());
                Some(path)
            }
            (folders, front) => folders.or_else(|| front.map(<[String]>::to_vec)),
        },
    }
}

/// Conflict copies from sync tools are not posts of their own.
fn is_editor_leftover(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.contains("_downloadconflict")
        || lower.contains(".sync-conflict")
        || lower.contains("(conflict")
}

/// Reads one post; problems go to `diags`, and the error says why the post is not in the book
/// (it cannot be read, reported as an error; or it is not published).
pub fn read_post(file: &PostFile, config: &Config, diags: &Diagnostics) -> Result<Post, Omission> {
    let path = &file.path;
    let text = match std::fs::read(path) {
        Ok(bytes) => match decode(bytes) {
            Ok((text, None)) => text,
            Ok((text, Some(encoding))) => {
                diags.warn(
                    path,
                    None,
                    format!("read as {encoding}; saving the file as UTF-8 is safer"),
                );
                text
            }
            Err((offset, line)) => {
                diags.push(Diagnostic::error(
                    path.clone(),
                    Some(line),
                    format!("not valid UTF-8, UTF-16 or GB18030 (first bad byte at offset {offset}); save the file as UTF-8"),
                ));
                return Err(Omission::Unreadable);
            }
        },
        Err(e) => {
            diags.push(Diagnostic::error(
                path.clone(),
                None,
                format!("cannot read: {e}"),
            ));
            return Err(Omission::Unreadable);
        }
    };
    let parsed = match front_matter::parse(&text, &config.site.timezone) {
        Ok(parsed) => parsed,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    path.clone(),
                    Some(e.line),
                    format!("front matter: {}", e.message),
                )
                .at_column(e.column),
            );
            return Err(Omission::Unreadable);
        }
    };
    let mut front = parsed.front;
    if !front.published && !config.filter.drafts {
        return Err(Omission::Unpublished);
    }
    for warning in std::mem::take(&mut front.warnings) {
        diags.warn(
            path,
            Some(warning.line),
            format!("front matter: {}", warning.message),
        );
    }
    drop_controls(path, &mut front, diags);
    let file_name = file.slug.rsplit('/').next().unwrap_or(&file.slug);
    let title = front.title.clone().unwrap_or_else(|| {
        diags.warn(
            path,
            Some(1),
            "no title in front matter; using the file name",
        );
        title_from_file_name(file_name)
    });
    // Without a date (or with one that is not a date, which Hexo builds all the same), the
    // post is dated by its file name, else by the file's time, as Hexo does.
    let (why, line) = match &front.bad_date {
        Some(bad) => (format!("front matter: {}", bad.message), bad.line),
        None => ("no date in front matter".to_string(), 1),
    };
    let date = front
        .date
        .clone()
        .or_else(|| {
            let date = date_from_file_name(file_name, &config.site.timezone)?;
            diags.warn(
                path,
                Some(line),
                format!("{why}; using the date in the file name"),
            );
            Some(date)
        })
        .unwrap_or_else(|| {
            let or_name = if front.bad_date.is_some() {
                ""
            } else {
                " or file name"
            };
            diags.warn(
                path,
                Some(line),
                format!("{why}{or_name}; using the file's modification time"),
            );
            modification_time(path, &config.site.timezone)
        });
    // The permalink's `:category` is the front matter's, as Hexo's; the book may file the
    // post by its folders instead.
    let front_category = front.categories.first().filter(|c| !c.is_empty()).cloned();
    let category = filed_under(
        front_category.as_deref(),
        &folders_of(&file.slug),
        config.structure.categories,
    )
    .unwrap_or_else(|| vec![config.site.default_category.clone()]);
    let permalink_category =
        front_category.unwrap_or_else(|| vec![config.site.default_category.clone()]);
    let asset_dir =
        Some(path.with_extension("")).filter(|dir| config.site.post_asset_folder && dir.is_dir());
    let url_path = match &front.permalink {
        Some(p) => permalink::normalise_url_path(p, &config.site),
        None => permalink::url_path(
            &config.site,
            &file.slug,
            &title,
            &date,
            &permalink_category,
            front.abbrlink.as_deref(),
        ),
    };
    let language = post_language(front.lang.as_deref(), &text[parsed.body.clone()], config);
    Ok(Post {
        index: 0,
        path: path.clone(),
        slug: file.slug.clone(),
        title,
        date,
        updated: front.updated,
        tags: front.tags,
        categories: front.categories,
        category,
        abbrlink: front.abbrlink,
        url_path,
        body: parsed.body,
        body_line: parsed.body_line,
        text,
        asset_dir,
        is_draft: file.is_draft || !front.published,
        math: front.math.unwrap_or(config.site.math),
        language,
    })
}

/// A post's own language: a well-formed `lang` of its front matter other than the book's, or
/// traditional Chinese found in its text when the book is in simplified Chinese.
fn post_language(lang: Option<&str>, body: &str, config: &Config) -> Option<String> {
    let book = config.meta.language.as_str();
    let well_formed = |tag: &str| {
        !tag.is_empty()
            && tag.len() <= 35
            && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if let Some(lang) = lang.map(str::trim).filter(|l| well_formed(l)) {
        return (!lang.eq_ignore_ascii_case(book)).then(|| lang.to_string());
    }
    let simplified_book = book.starts_with("zh") && !crate::zh::is_traditional_tag(book);
    (simplified_book && crate::zh::is_traditional(body)).then(|| "zh-Hant".to_string())
}

/// Control characters (NUL, backspace, … which XML forbids and a PDF cannot show) written into
/// the front matter's texts, such as YAML's `"\b"`, are dropped with a warning naming the field.
fn drop_controls(path: &Path, front: &mut front_matter::FrontMatter, diags: &Diagnostics) {
    let is_bad = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    let clean = |field: &str, text: &mut String| {
        if let Some(bad) = text.chars().find(|&c| is_bad(c)) {
            diags.warn(
                path,
                Some(1),
                format!(
                    "dropped control character U+{:04X} from the {field} in the front matter",
                    bad as u32
                ),
            );
            text.retain(|c| !is_bad(c));
        }
    };
    if let Some(title) = &mut front.title {
        clean("title", title);
    }
    for tag in &mut front.tags {
        clean("tags", tag);
    }
    for category in front.categories.iter_mut().flatten() {
        clean("categories", category);
    }
    if let Some(abbrlink) = &mut front.abbrlink {
        clean("abbrlink", abbrlink);
    }
    if let Some(permalink) = &mut front.permalink {
        clean("permalink", permalink);
    }
}

/// The text of a post file: UTF-8 as it should be; UTF-16 with a byte-order mark, or GB18030
/// (which covers GBK and GB2312), as old Chinese blogs have them, named in the second value.
/// On failure: the offset of the first byte that is not UTF-8, and its line.
fn decode(bytes: Vec<u8>) -> Result<(String, Option<&'static str>), (usize, usize)> {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok((text, None)),
        Err(e) => e.into_bytes(),
    };
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(&bytes) {
        let (text, _, had_errors) = encoding.decode(&bytes);
        if !had_errors {
            return Ok((text.into_owned(), Some(encoding.name())));
        }
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
    if !had_errors {
        return Ok((text.into_owned(), Some("GB18030")));
    }
    let offset = std::str::from_utf8(&bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    Err((offset, line))
}

/// `2016-05-19-hello-world` → `hello-world` (Hexo's `:year-:month-:day-:title` names).
fn title_from_file_name(name: &str) -> String {
    let rest = match split_date_prefix(name) {
        Some((_, rest)) if !rest.is_empty() => rest,
        _ => name,
    };
    rest.to_string()
}

fn split_date_prefix(name: &str) -> Option<((i16, i8, i8), &str)> {
    let bytes = name.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = name.get(0..4)?.parse().ok()?;
    let month = name.get(5..7)?.parse().ok()?;
    let day = name.get(8..10)?.parse().ok()?;
    let rest = name.get(10..)?.trim_start_matches(['-', '_', ' ']);
    Some(((year, month, day), rest))
}

fn date_from_file_name(name: &str, tz: &jiff::tz::TimeZone) -> Option<jiff::ZonedDateTime> {
    let ((y, m, d), _) = split_date_prefix(name)?;
    jiff::civil::Date::new(y, m, d)
        .ok()?
        .to_zoned_datetime(tz.clone())
        .ok()
}

fn modification_time(path: &Path, tz: &jiff::tz::TimeZone) -> jiff::ZonedDateTime {
    let timestamp = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| jiff::Timestamp::try_from(t).ok())
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    timestamp.to_zoned_datetime(tz.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_file_names_without_the_date() {
        assert_eq!(
            title_from_file_name("2016-05-19-hello-world"),
            "hello-world"
        );
        assert_eq!(title_from_file_name("hello"), "hello");
        assert_eq!(title_from_file_name("2016-05-19"), "2016-05-19");
    }

    #[test]
    fn dates_come_from_file_name_prefixes() {
        let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
        let date = date_from_file_name("2016-05-19-foo", &tz).map(|z| z.date());
        assert_eq!(date, Some(jiff::civil::date(2016, 5, 19)));
        assert_eq!(date_from_file_name("2016-13-19-foo", &tz), None);
        assert_eq!(date_from_file_name("foo", &tz), None);
    }

    #[test]
    fn old_encodings_are_read_and_named() {
        // 中文 in GBK, and in UTF-16 LE with its byte-order mark.
        assert_eq!(
            decode(vec![0xD6, 0xD0, 0xCE, 0xC4]),
            Ok(("中文".to_string(), Some("GB18030")))
        );
        assert_eq!(
            decode(vec![0xFF, 0xFE, 0x2D, 0x4E, 0x87, 0x65]),
            Ok(("中文".to_string(), Some("UTF-16LE")))
        );
        assert_eq!(
            decode("中文".as_bytes().to_vec()),
            Ok(("中文".to_string(), None))
        );
        // 0xFF starts no character in any of the three.
        assert_eq!(decode(vec![b'a', b'\n', 0xFF]), Err((2, 2)));
    }

    #[test]
    fn sync_conflicts_are_leftovers() {
        assert!(is_editor_leftover("post_DownloadConflict.md"));
        assert!(!is_editor_leftover("conflict-resolution.md"));
    }
}
