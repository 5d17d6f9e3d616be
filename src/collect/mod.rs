//! Collecting a Hexo blog into a `Book`: finding post files, reading their front matter, leaving
//! out drafts and filtered posts, and arranging the rest into parts and chapters.
//!
//! Knows Hexo's rules; knows nothing of Markdown bodies, pages or output formats.

mod discover;
pub mod front_matter;
mod index;
mod permalink;
pub mod plan;
mod structure;

use std::ops::Range;
use std::path::PathBuf;

use crate::config::{BookMeta, Config, ConfigFile, Site};
use crate::diag::{Diagnostics, Error, Result};

pub use index::{IndexEntry, IndexGroup};
pub use permalink::normalise_url_path;
pub use plan::{ContentsNode, Division, Entry, Level, Placed};

/// The whole book: metadata, the part ▸ chapter tree, and the posts in reading order.
#[derive(Debug, Clone)]
pub struct Book {
    pub meta: BookMeta,
    /// The parts, each holding its chapters (see `plan`).
    pub divisions: Vec<Division>,
    /// Every post of the book, in reading order; divisions refer to them by index.
    pub posts: Vec<Post>,
    /// Where the blog lives: images with absolute paths are looked up under its `source/`.
    pub blog_root: PathBuf,
    /// The site's address settings, to recognise links to the blog's own pages.
    pub site: Site,
    /// The configuration files the book's metadata was read from (book.toml, _config.yml).
    pub config_files: Vec<ConfigFile>,
    /// Posts left out because they cannot be read (front matter that does not parse, bytes
    /// of no known encoding), each reported as an error.
    pub left_out: usize,
    /// Every post file found but not in the book, with the reason, in file order.
    pub omitted: Vec<Omitted>,
}

/// A post file that is not in the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Omitted {
    pub path: PathBuf,
    pub reason: Omission,
}

/// Why a post file is not in the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Omission {
    /// A sync tool's conflict copy or an editor's backup, skipped with a warning.
    EditorLeftover,
    /// It cannot be read (reported as an error).
    Unreadable,
    /// `published: false`, without `--drafts`.
    Unpublished,
    /// Left out by `[filter]` in book.toml.
    Filtered,
    /// The same title and text as this post, without `--keep-duplicates`.
    CopyOf(PathBuf),
}

impl std::fmt::Display for Omission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Omission::EditorLeftover => f.write_str("an editor or sync leftover"),
            Omission::Unreadable => f.write_str("it cannot be read"),
            Omission::Unpublished => f.write_str("not published"),
            Omission::Filtered => f.write_str("left out by [filter]"),
            Omission::CopyOf(first) => write!(f, "a copy of {}", first.display()),
        }
    }
}

/// One blog post, its front matter resolved.
#[derive(Debug, Clone)]
pub struct Post {
    /// Position in reading order (index into `Book::posts`).
    pub index: usize,
    /// The file, as found under the blog root.
    pub path: PathBuf,
    /// Path below `_posts/` (or `_drafts/`) without the extension: what `post_link` names.
    pub slug: String,
    pub title: String,
    pub date: jiff::ZonedDateTime,
    pub updated: Option<jiff::ZonedDateTime>,
    pub tags: Vec<String>,
    /// The category path this post is filed under in the book: its first path, or its
    /// folders (`[structure] categories`), or the default category.
    pub category: Vec<String>,
    /// Every category path the front matter names, as Hexo reads them; filters look at
    /// these and at `category`.
    pub categories: Vec<Vec<String>>,
    pub abbrlink: Option<String>,
    /// The post's address on the blog (`posts/abc123`, no slashes at the ends), so links written
    /// against the website can be turned into links inside the book.
    pub url_path: String,
    /// The whole file; `body` is the Markdown part of it.
    pub text: String,
    pub body: Range<usize>,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
    /// The post's asset folder (`post_asset_folder: true`), when it exists.
    pub asset_dir: Option<PathBuf>,
    pub is_draft: bool,
    /// Whether `$…$`, `$$…$$`, `\(…\)` and `\[…\]` are math in this post, as its blog
    /// renders them.
    pub math: bool,
    /// The post's language where it is not the book's: its front matter's `lang`, or
    /// `zh-Hant` for a post written in traditional characters in a book in simplified ones.
    pub language: Option<String>,
}

impl Post {
    pub fn body_text(&self) -> &str {
        &self.text[self.body.clone()]
    }
}

impl Book {
    /// Warns of each of `chars`, characters of the book's own lines (its title, part and
    /// chapter names, contents, running heads, cover) that no font has, where it was written.
    pub fn report_missing_chars(&self, chars: impl IntoIterator<Item = char>, diags: &Diagnostics) {
        for c in chars {
            let message = crate::diag::no_font_has(c);
            match self.origin_of(c) {
                Some((file, line)) => diags.warn(&file, Some(line), message),
                None => diags.push(crate::diag::Diagnostic::warning(None, None, message)),
            }
        }
    }

    /// Where a character the book prints was written: the first post whose file holds it (its
    /// title, category or body line), else the configuration file that holds it (the book's
    /// title or author).
    pub fn origin_of(&self, c: char) -> Option<(PathBuf, usize)> {
        let in_post = self.posts.iter().find_map(|post| {
            let at = post.text.find(c)?;
            Some((post.path.clone(), crate::config::line_of(&post.text, at)))
        });
        in_post.or_else(|| {
            self.config_files.iter().find_map(|file| {
                let at = file.text.find(c)?;
                Some((file.path.clone(), crate::config::line_of(&file.text, at)))
            })
        })
    }
}

/// The posts with every second copy of a post left out: the same title and the same text (a
/// sync-conflict copy, the same post kept in two folders), each with a warning naming both.
fn without_copies(posts: Vec<Post>, omitted: &mut Vec<Omitted>, diags: &Diagnostics) -> Vec<Post> {
    use std::collections::HashMap;
    use std::collections::hash_map::Entry;
    let mut seen: HashMap<(String, String), std::path::PathBuf> = HashMap::new();
    let mut kept = Vec::with_capacity(posts.len());
    for post in posts {
        let body = post.body_text().trim().to_string();
        if body.is_empty() {
            kept.push(post);
            continue;
        }
        match seen.entry((post.title.clone(), body)) {
            Entry::Occupied(first) => {
                diags.warn(
                    &post.path,
                    Some(1),
                    format!(
                        "a copy of {}: the same title and text; left out (--keep-duplicates keeps it)",
                        first.get().display()
                    ),
                );
                omitted.push(Omitted {
                    path: post.path,
                    reason: Omission::CopyOf(first.get().clone()),
                });
            }
            Entry::Vacant(slot) => {
                slot.insert(post.path.clone());
                kept.push(post);
            }
        }
    }
    kept
}

/// Warns about posts with no text, and about posts that repeat another's body, abbrlink or
/// title (a copied file, a sync leftover): each stays in the book, but the blogger should know
/// the book holds the same thing twice, or that a link to that abbrlink or title picks the
/// first post. `posts` are in file order, so the warnings name the same files every run.
fn report_empty_and_duplicates(posts: &[Post], diags: &Diagnostics) {
    use std::collections::HashMap;
    let mut bodies: HashMap<&str, &Post> = HashMap::new();
    let mut abbrlinks: HashMap<&str, &Post> = HashMap::new();
    let mut titles: HashMap<&str, &Post> = HashMap::new();
    for post in posts {
        let body = post.body_text().trim();
        if body.is_empty() {
            diags.warn(
                &post.path,
                Some(post.body_line),
                "empty post: nothing after the front matter; the book shows only its title",
            );
        } else if let Some(first) = bodies.get(body) {
            diags.warn(
                &post.path,
                Some(post.body_line),
                format!(
                    "duplicate post: the same text as {}; both are in the book",
                    first.path.display()
                ),
            );
        } else {
            bodies.insert(body, post);
        }
        if let Some(abbrlink) = post.abbrlink.as_deref().filter(|a| !a.is_empty()) {
            match abbrlinks.get(abbrlink).copied() {
                Some(first) => diags.warn(
                    &post.path,
                    Some(1),
                    format!(
                        "duplicate abbrlink `{abbrlink}`: {} has it too",
                        first.path.display()
                    ),
                ),
                None => {
                    abbrlinks.insert(abbrlink, post);
                }
            }
        }
        match titles.get(post.title.as_str()) {
            Some(first) => diags.warn(
                &post.path,
                Some(1),
                format!(
                    "duplicate title `{}`: {} has it too; a link by this title goes to \
                     whichever comes first in the book",
                    post.title,
                    first.path.display()
                ),
            ),
            None => {
                titles.insert(&post.title, post);
            }
        }
    }
}

/// Reads the blog named by `config` into a book. Every post that cannot be read (front matter
/// that does not parse, as Hexo could not read it either) is reported to `diags` and left out;
/// the run fails only when no post is left.
pub fn collect(config: &Config, diags: &Diagnostics) -> Result<Book> {
    let (files, leftovers) = discover::post_files(
        &config.blog_root,
        config.filter.drafts,
        &config.site.ignored,
        diags,
    )?;
    let mut omitted: Vec<Omitted> = (leftovers.into_iter())
        .map(|path| Omitted {
            path,
            reason: Omission::EditorLeftover,
        })
        .collect();
    let mut posts = Vec::new();
    for file in files {
        match discover::read_post(&file, config, diags) {
            Ok(post) => posts.push(post),
            Err(reason) => omitted.push(Omitted {
                path: file.path,
                reason,
            }),
        }
    }
    let errors = diags.error_count();
    if errors > 0 && posts.is_empty() {
        return Err(Error::Invalid { count: errors });
    }
    posts.retain(|post| {
        let included = structure::is_included(post, &config.filter);
        if !included {
            omitted.push(Omitted {
                path: post.path.clone(),
                reason: Omission::Filtered,
            });
        }
        included
    });
    if posts.is_empty() {
        return Err(Error::NoPosts {
            folder: config.blog_root.join("source/_posts"),
            filtered: config.filter != Default::default(),
        });
    }
    if !config.filter.keep_duplicates {
        posts = without_copies(posts, &mut omitted, diags);
    }
    report_empty_and_duplicates(&posts, diags);
    let (divisions, posts) =
        structure::arrange(posts, &config.structure, &config.site.default_category);
    omitted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut meta = config.meta.clone();
    if meta.date.is_none() {
        meta.date = posts.iter().map(|p| p.date.date()).max();
    }
    Ok(Book {
        meta,
        divisions,
        posts,
        blog_root: config.blog_root.clone(),
        site: config.site.clone(),
        config_files: config.files.clone(),
        left_out: (omitted.iter())
            .filter(|o| o.reason == Omission::Unreadable)
            .count(),
        omitted,
    })
}
