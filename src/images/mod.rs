//! The images of a book, between the document tree and the back ends. Each file a post names
//! is read and checked once (remote images are downloaded first, when asked for); a file that
//! cannot be shown becomes a placeholder with its alt text and a warning naming the post, the
//! line and the file, so neither back end meets a broken image and both show the same thing.

pub mod check;
pub mod encode;
pub mod fetch;
pub mod format;
pub mod print;
pub mod screen;
pub mod svg;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::collect::{Book, Post};
use crate::config::line_of;
use crate::diag::{Diagnostics, Error};
use crate::document::{Document, ImageSource};

/// What scaling and recompressing saved in one book: how many images changed, and their
/// size before and after (bytes in the EPUB; pixels in the PDF, which deflates a PNG's
/// pixels anew).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Saving {
    pub images: usize,
    pub before: u64,
    pub after: u64,
}

impl Saving {
    /// Counts one image stored as `after` bytes instead of `before` (unchanged ones too,
    /// which count for nothing).
    pub fn add(&mut self, before: usize, after: usize) {
        if before != after {
            self.images += 1;
            self.before += before as u64;
            self.after += after as u64;
        }
    }
}

/// What the image stage may do beyond checking files.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Download remote images into the blog's cache (`--fetch-images`).
    pub fetch: bool,
}

/// Fetches (when asked) and checks every image of `docs`, which are the posts of `book` in
/// order; sources that cannot be shown are replaced.
pub fn prepare(book: &Book, docs: &mut [Document], options: &Options, diags: &Diagnostics) {
    let downloaded = if options.fetch {
        fetch_remote(book, docs, diags)
    } else {
        BTreeMap::new()
    };
    check_files(book, docs, &downloaded, diags);
}

/// Each distinct value `pick` finds among the images, with the first post that uses it.
fn first_uses<K: Ord + Clone>(
    docs: &[Document],
    pick: impl Fn(&ImageSource) -> Option<&K>,
) -> BTreeMap<K, usize> {
    let mut found = BTreeMap::new();
    for (post, doc) in docs.iter().enumerate() {
        doc.for_each_image(&mut |image| {
            if let Some(key) = pick(&image.source) {
                found.entry(key.clone()).or_insert(post);
            }
        });
    }
    found
}

/// Replaces every source for which `replace` gives a new one.
fn replace_sources(docs: &mut [Document], replace: impl Fn(&ImageSource) -> Option<ImageSource>) {
    for doc in docs {
        doc.for_each_image_mut(&mut |image| {
            if let Some(new) = replace(&image.source) {
                image.source = new;
            }
        });
    }
}

/// Downloads the remote images and puts the cached files in their place; returns the address
/// each cached file came from.
fn fetch_remote(
    book: &Book,
    docs: &mut [Document],
    diags: &Diagnostics,
) -> BTreeMap<PathBuf, String> {
    let urls = first_uses(docs, |source| match source {
        ImageSource::Remote(url) => Some(url),
        _ => None,
    });
    if urls.is_empty() {
        return BTreeMap::new();
    }
    let fetcher = fetch::Fetcher::new(&book.blog_root);
    let results = fetcher.fetch_all(urls.keys().cloned().collect());
    let mut fetched: BTreeMap<String, PathBuf> = BTreeMap::new();
    for (url, result) in results {
        match result {
            Ok(path) => {
                fetched.insert(url, path);
            }
            Err(reason) => {
                let post = urls.get(&url).copied().unwrap_or_default();
                let message = format!("cannot download image {url}: {reason}; it stays a link");
                warn_at_use(diags, book, post, &url, message);
            }
        }
    }
    replace_sources(docs, |source| match source {
        ImageSource::Remote(url) => fetched.get(url).cloned().map(ImageSource::File),
        _ => None,
    });
    fetched.into_iter().map(|(url, path)| (path, url)).collect()
}

/// Checks every image file; `downloaded` names the address a cached download came from.
fn check_files(
    book: &Book,
    docs: &mut [Document],
    downloaded: &BTreeMap<PathBuf, String>,
    diags: &Diagnostics,
) {
    let files = first_uses(docs, |source| match source {
        ImageSource::File(path) => Some(path),
        _ => None,
    });
    // Found files are named by their real path; messages name them from the blog folder.
    let root = book
        .blog_root
        .canonicalize()
        .unwrap_or_else(|_| book.blog_root.clone());
    let unusable: BTreeSet<PathBuf> = files
        .into_par_iter()
        .filter_map(|(path, post)| {
            let verdict = std::fs::read(&path)
                .map_err(|e| format!("it cannot be read ({e})"))
                .and_then(|bytes| check::check(&bytes).map(drop));
            let reason = verdict.err()?;
            // The post names the file (its file name is what to look for) or the address.
            let (shown, needle) = match downloaded.get(&path) {
                Some(url) => (url.clone(), url.clone()),
                None => {
                    let shown = path
                        .strip_prefix(&root)
                        .or_else(|_| path.strip_prefix(&book.blog_root))
                        .unwrap_or(&path);
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                    (shown.display().to_string(), name.unwrap_or_default())
                }
            };
            let message =
                format!("image {shown} cannot be shown: {reason}; its alt text is shown instead");
            warn_at_use(diags, book, post, &needle, message);
            Some(path)
        })
        .collect();
    replace_sources(docs, |source| match source {
        ImageSource::File(path) if unusable.contains(path) => {
            Some(ImageSource::Unusable(path.clone()))
        }
        _ => None,
    });
}

/// A warning at the post that uses an image, on the line where `needle` (its address or file
/// name) first appears.
pub(crate) fn warn_at_use(
    diags: &Diagnostics,
    book: &Book,
    post: usize,
    needle: &str,
    message: String,
) {
    let Some(post) = book.posts.get(post) else {
        return;
    };
    diags.warn(&post.path, line_of_use(post, needle), message);
}

fn line_of_use(post: &Post, needle: &str) -> Option<usize> {
    let at = post.text.find(needle).filter(|_| !needle.is_empty())?;
    Some(line_of(&post.text, at))
}

/// The cover named in book.toml: a whole PNG or JPEG, or an error naming the file.
pub fn read_cover(path: &std::path::Path) -> Result<Vec<u8>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    match check::check(&bytes) {
        Ok(checked) if matches!(checked.format, format::Format::Png | format::Format::Jpeg) => {
            Ok(bytes)
        }
        Ok(checked) => Err(Error::CoverFormat {
            path: path.to_path_buf(),
            format: checked.format.name(),
        }),
        Err(reason) => Err(Error::CoverUnusable {
            path: path.to_path_buf(),
            reason,
        }),
    }
}
