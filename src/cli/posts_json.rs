//! `inkstone check --json`: the posts as the collector reads them, as JSON on standard output
//! (what the Hexo conformance test compares with Hexo's own reading of the blog).

use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use super::CompileArgs;
use crate::collect::{self, Book, Post};
use crate::config;
use crate::diag::Diagnostics;

#[derive(Serialize)]
struct Listing<'a> {
    posts: Vec<PostFacts<'a>>,
    left_out: Vec<LeftOut>,
}

#[derive(Serialize)]
struct PostFacts<'a> {
    /// Below `source/_posts/` (`_drafts/…` for a draft), `/`-separated.
    source: String,
    title: &'a str,
    /// `YYYY-MM-DD HH:MM` in the blog's time zone.
    date: String,
    /// The category paths the front matter names.
    categories: Vec<&'a [String]>,
    /// The path the book files the post under.
    filed_under: &'a [String],
    tags: Vec<&'a str>,
}

#[derive(Serialize)]
struct LeftOut {
    source: String,
    reason: String,
}

pub fn run(args: &CompileArgs) -> ExitCode {
    let diags = Diagnostics::new();
    let book = config::load(&args.path, &super::compile::overrides(args))
        .and_then(|config| collect::collect(&config, &diags));
    super::compile::print_diagnostics(&diags, args.quiet);
    let book = match book {
        Ok(book) => book,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match serde_json::to_string_pretty(&listing(&book)) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn listing(book: &Book) -> Listing<'_> {
    let source = book.blog_root.join("source");
    let mut posts: Vec<PostFacts> = book.posts.iter().map(|p| facts(p, &source)).collect();
    posts.sort_by(|a, b| a.source.cmp(&b.source));
    let left_out = (book.omitted.iter())
        .map(|o| LeftOut {
            source: below_posts(&o.path, &source),
            reason: o.reason.to_string(),
        })
        .collect();
    Listing { posts, left_out }
}

fn facts<'a>(post: &'a Post, source: &Path) -> PostFacts<'a> {
    let mut categories: Vec<&[String]> = post.categories.iter().map(Vec::as_slice).collect();
    categories.sort();
    let mut tags: Vec<&str> = post.tags.iter().map(String::as_str).collect();
    tags.sort();
    PostFacts {
        source: below_posts(&post.path, source),
        title: &post.title,
        date: post.date.strftime("%Y-%m-%d %H:%M").to_string(),
        categories,
        filed_under: &post.category,
        tags,
    }
}

/// The file's path from `source/_posts/` (Hexo's `source` less its `_posts/`).
fn below_posts(path: &Path, source: &Path) -> String {
    let relative = path.strip_prefix(source).unwrap_or(path);
    let relative = relative.to_string_lossy().replace('\\', "/");
    relative
        .strip_prefix("_posts/")
        .map_or(relative.clone(), str::to_string)
}
