//! Resolving what a post points at: other posts (by file name, title, abbrlink or the blog's
//! own address), images and assets on disk (refusing anything outside the blog), web links.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::tags::POST_SCHEME;
use super::tree::{ImageSource, LinkTarget};
use crate::collect::{Book, Post, normalise_url_path};
use crate::config::Site;
use crate::diag::Diagnostics;

/// Every way a post of the book can be named, for cross-references.
pub struct LinkIndex {
    by_slug: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    by_title: HashMap<String, usize>,
    by_url: HashMap<String, usize>,
    titles: Vec<String>,
    blog_root: PathBuf,
    site: Site,
    /// Where `include_code` reads its files: `source/` and the blog's `code_dir`.
    code_dir: PathBuf,
}

impl LinkIndex {
    pub fn new(book: &Book) -> Self {
        let mut index = LinkIndex {
            by_slug: HashMap::new(),
            by_name: HashMap::new(),
            by_title: HashMap::new(),
            by_url: HashMap::new(),
            titles: book.posts.iter().map(|p| p.title.clone()).collect(),
            blog_root: book.blog_root.clone(),
            site: book.site.clone(),
            code_dir: book
                .blog_root
                .join("source")
                .join(code_dir_setting(&book.site)),
        };
        // First post wins on a clash, so the result does not depend on hash order.
        for post in &book.posts {
            let name = post
                .slug
                .rsplit('/')
                .next()
                .unwrap_or(&post.slug)
                .to_string();
            index.by_slug.entry(post.slug.clone()).or_insert(post.index);
            index.by_name.entry(name).or_insert(post.index);
            index
                .by_title
                .entry(post.title.clone())
                .or_insert(post.index);
            index
                .by_url
                .entry(post.url_path.clone())
                .or_insert(post.index);
            if let Some(abbrlink) = &post.abbrlink {
                index.by_url.entry(abbrlink.clone()).or_insert(post.index);
            }
        }
        index
    }

    /// A post named as `post_link` names it: its file name (with or without folders) or title.
    pub fn post_by_name(&self, name: &str) -> Option<usize> {
        let name = name.trim().trim_end_matches(".md");
        self.by_slug
            .get(name)
            .or_else(|| self.by_name.get(name))
            .or_else(|| self.by_title.get(name))
            .copied()
    }

    /// A post named by a link to the blog's website, if the link is one.
    fn post_by_url(&self, url: &str) -> Option<usize> {
        let path = normalise_url_path(url, &self.site);
        if path.is_empty() {
            return None;
        }
        self.by_url
            .get(&path)
            .or_else(|| {
                // `…/2016-05-19-foo.md` written against the source tree.
                let last = path.rsplit('/').next().unwrap_or(&path);
                self.by_name.get(last.trim_end_matches(".md"))
            })
            .copied()
    }
}

/// The blog's `code_dir` as a plain path below `source/`: `./` (the source folder itself) and
/// a leading `/` are dropped, so warnings name the file as the post wrote it.
fn code_dir_setting(site: &Site) -> PathBuf {
    Path::new(site.code_dir.trim_start_matches('/'))
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// Where the file an `include_code` tag names was found.
#[derive(Debug, Clone, PartialEq)]
pub enum CodeFile {
    Found(PathBuf),
    /// Not under that name, but under one that differs from it only in case (`B_tree.h` for
    /// `b_tree.h`), the only such one: what Hexo reads on a disk that ignores case.
    OtherCase(PathBuf),
    /// Not there; the folder it was looked for in.
    Missing(PathBuf),
    /// The path leaves the blog folder.
    Outside,
}

/// `relative` below `dir`, each of its names matched without regard to case where the exact
/// one is not there, if exactly one entry matches at every step.
fn find_ignoring_case(dir: &Path, relative: &Path) -> Option<PathBuf> {
    let mut at = dir.to_path_buf();
    for component in relative.components() {
        let Component::Normal(name) = component else {
            at.push(component.as_os_str());
            continue;
        };
        let exact = at.join(name);
        if exact.exists() {
            at = exact;
            continue;
        }
        let wanted = name.to_string_lossy().to_lowercase();
        let mut matching = std::fs::read_dir(&at)
            .ok()?
            .filter_map(Result::ok)
            .map(|entry| entry.file_name())
            .filter(|found| found.to_string_lossy().to_lowercase() == wanted);
        let found = matching.next()?;
        if matching.next().is_some() {
            return None;
        }
        at.push(found);
    }
    at.is_file().then_some(at)
}

/// What parsing one post needs to resolve names and report problems.
pub struct Context<'a> {
    pub post: &'a Post,
    pub index: &'a LinkIndex,
    pub diags: &'a Diagnostics,
}

impl Context<'_> {
    /// The title of the post with this index.
    pub fn index_title(&self, index: usize) -> String {
        self.index.titles.get(index).cloned().unwrap_or_default()
    }

    pub fn warn(&self, line: usize, message: impl Into<String>) {
        self.diags.warn(&self.post.path, Some(line), message);
    }

    /// Where a Markdown or HTML link points.
    pub fn link_target(&self, url: &str) -> LinkTarget {
        let url = url.trim();
        if let Some(fragment) = url.strip_prefix('#') {
            return LinkTarget::Fragment(fragment.to_string());
        }
        if let Some(name) = url.strip_prefix(POST_SCHEME) {
            let name = name.replace("%20", " ");
            return match self.index.post_by_name(&name) {
                Some(index) => LinkTarget::Post {
                    index,
                    fragment: None,
                },
                None => LinkTarget::Unresolved(name),
            };
        }
        let fragment = url
            .split_once('#')
            .map(|(_, f)| f.to_string())
            .filter(|f| !f.is_empty());
        let lower = url.to_ascii_lowercase();
        let is_web = lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("//");
        let on_site = !is_web || lower.starts_with(&self.index.site.url.to_ascii_lowercase());
        if on_site && let Some(index) = self.index.post_by_url(url) {
            return LinkTarget::Post { index, fragment };
        }
        if is_web || lower.starts_with("mailto:") || lower.starts_with("ftp://") {
            let url = if url.starts_with("//") {
                format!("https:{url}")
            } else {
                url.to_string()
            };
            return LinkTarget::External(url);
        }
        if is_script_url(url) {
            return LinkTarget::Unresolved(String::new());
        }
        LinkTarget::Unresolved(url.to_string())
    }

    /// Finds an image named in the post: a web address is kept as it is, unless it is on the
    /// blog's own site and the file is in `source/`; a path is looked up in the post's asset
    /// folder, beside the post, then under `source/`.
    pub fn image_source(&self, src: &str, line: usize) -> ImageSource {
        let src = src.trim();
        let lower = src.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
        {
            return match self.own_site_file(src) {
                Some(found) => ImageSource::File(found),
                None => ImageSource::Remote(src.to_string()),
            };
        }
        if lower.starts_with("data:") || src.is_empty() {
            self.warn(
                line,
                "image without a usable file name; a placeholder is shown",
            );
            return ImageSource::Missing(src.chars().take(40).collect());
        }
        let decoded = normalise_url_path(src, &self.index.site);
        let file = src.split(['?', '#']).next().unwrap_or(src);
        let candidates = self.candidate_paths(file, &decoded);
        for candidate in &candidates {
            match self.inside_blog(candidate) {
                Some(found) if found.is_file() => return ImageSource::File(found),
                Some(_) => {}
                None => {
                    self.warn(
                        line,
                        format!("refused image '{src}': it lies outside the blog folder"),
                    );
                    return ImageSource::Missing(src.to_string());
                }
            }
        }
        self.warn(
            line,
            format!("image not found: {src}; its alt text is shown instead"),
        );
        ImageSource::Missing(src.to_string())
    }

    /// A file in the post's asset folder (`asset_img`, `asset_path`).
    pub fn asset(&self, name: &str, line: usize) -> ImageSource {
        let post_dir = self.post.path.with_extension("");
        let dir = self.post.asset_dir.clone().unwrap_or(post_dir);
        let candidate = dir.join(name.trim());
        match self.inside_blog(&candidate) {
            Some(found) if found.is_file() => ImageSource::File(found),
            Some(_) => {
                self.warn(
                    line,
                    format!("asset not found: {} (looked in {})", name, dir.display()),
                );
                ImageSource::Missing(name.to_string())
            }
            None => {
                self.warn(
                    line,
                    format!("refused asset '{name}': it lies outside the blog folder"),
                );
                ImageSource::Missing(name.to_string())
            }
        }
    }

    /// The file `{% include_code %}` names: `path` below the blog's code folder
    /// (`source/<code_dir>/`), as Hexo looks it up.
    pub fn code_file(&self, path: &str) -> CodeFile {
        let dir = &self.index.code_dir;
        let relative = Path::new(path.trim().trim_start_matches('/'));
        match self.inside_blog(&dir.join(relative)) {
            Some(found) if found.is_file() => CodeFile::Found(found),
            Some(_) => match find_ignoring_case(dir, relative).and_then(|f| self.inside_blog(&f)) {
                Some(found) => CodeFile::OtherCase(found),
                None => CodeFile::Missing(dir.clone()),
            },
            None => CodeFile::Outside,
        }
    }

    /// The file under `source/` that an address on the blog's own site (`url` in
    /// `_config.yml`) serves, if it is there: the blog's own images need no download.
    fn own_site_file(&self, address: &str) -> Option<PathBuf> {
        // Host names compare without case (and either scheme names the same site); the path
        // keeps its case, as file names do.
        fn after_scheme(s: &str) -> Option<&str> {
            s.split_once("://").map(|(_, rest)| rest)
        }
        let own = after_scheme(self.index.site.url.trim_end_matches('/'))?;
        let asked = after_scheme(address)?;
        let rest = asked.get(own.len()..)?;
        let same_site = asked.get(..own.len())?.eq_ignore_ascii_case(own);
        if own.is_empty() || !same_site || !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        let path = normalise_url_path(rest, &self.index.site);
        let candidate = self.index.blog_root.join("source").join(path);
        self.inside_blog(&candidate).filter(|found| found.is_file())
    }

    fn candidate_paths(&self, raw: &str, decoded: &str) -> Vec<PathBuf> {
        let source = self.index.blog_root.join("source");
        let mut out = Vec::new();
        let names: Vec<String> = if decoded.is_empty() || raw.contains('%') {
            vec![raw.trim_start_matches('/').to_string(), decoded.to_string()]
        } else {
            vec![raw.trim_start_matches('/').to_string()]
        };
        for name in names.iter().filter(|n| !n.is_empty()) {
            if raw.starts_with('/') {
                out.push(source.join(name));
                continue;
            }
            if let Some(dir) = &self.post.asset_dir {
                out.push(dir.join(name));
                // `post-name/x.png` written relative to `_posts/`.
                if let Some(parent) = dir.parent() {
                    out.push(parent.join(name));
                }
            }
            if let Some(dir) = self.post.path.parent() {
                out.push(dir.join(name));
            }
            out.push(source.join(name));
        }
        out
    }

    /// `path` made lexically absolute, if it stays inside the blog folder; `None` if it would
    /// leave it (`../../etc/passwd`, or a symlink pointing outside).
    fn inside_blog(&self, path: &Path) -> Option<PathBuf> {
        let root = lexical_normalise(&absolute(&self.index.blog_root));
        let normal = lexical_normalise(&absolute(path));
        if !normal.starts_with(&root) {
            return None;
        }
        match (normal.canonicalize(), root.canonicalize()) {
            (Ok(real), Ok(real_root)) if !real.starts_with(&real_root) => None,
            _ => Some(normal),
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Removes `.` and resolves `..` without touching the disk.
fn lexical_normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `javascript:` (any case, leading blanks and controls ignored, as browsers do): a link that
/// runs a script, which a book never keeps.
pub fn is_script_url(url: &str) -> bool {
    let url: String = url
        .trim_start_matches(|c: char| c.is_whitespace() || c.is_control())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(11)
        .collect();
    url.to_ascii_lowercase().starts_with("javascript:")
}
