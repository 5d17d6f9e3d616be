//! A post body (Markdown with Hexo tag plugins and raw HTML) → document tree. The book is built
//! in memory: one post, a blog root that does not exist, so nothing is read from disk.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use inkstone::collect::{Book, Post};
use inkstone::config::{BookMeta, Site};
use inkstone::diag::Diagnostics;
use inkstone::document::{LinkIndex, parse_post};
use libfuzzer_sys::fuzz_target;

fn post(text: String) -> Post {
    let date = jiff::civil::datetime(2020, 1, 1, 0, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .expect("a fixed date");
    Post {
        index: 0,
        path: PathBuf::from("/nonexistent-inkstone-fuzz/source/_posts/fuzz.md"),
        slug: "fuzz".into(),
        title: "Fuzz".into(),
        date,
        updated: None,
        tags: vec!["t".into()],
        category: vec!["c".into()],
        categories: vec![vec!["c".into()]],
        abbrlink: Some("abc123".into()),
        url_path: "posts/abc123".into(),
        body: 0..text.len(),
        text,
        body_line: 1,
        asset_dir: None,
        is_draft: false,
    }
}

/// A book of two posts, so `post_link` and links by title have something to find.
fn book() -> &'static (Book, LinkIndex) {
    static BOOK: OnceLock<(Book, LinkIndex)> = OnceLock::new();
    BOOK.get_or_init(|| {
        let mut other = post("other".into());
        other.index = 1;
        other.slug = "other-post".into();
        other.title = "Other post".into();
        other.abbrlink = Some("def456".into());
        other.url_path = "posts/def456".into();
        let book = Book {
            meta: BookMeta {
                title: "Fuzz".into(),
                subtitle: None,
                author: None,
                language: "zh-Hans".into(),
                identifier: "urn:uuid:00000000-0000-0000-0000-000000000000".into(),
                date: None,
                cover: None,
                description: None,
            },
            divisions: Vec::new(),
            posts: vec![post("fuzz".into()), other],
            blog_root: PathBuf::from("/nonexistent-inkstone-fuzz"),
            site: Site::default(),
            config_files: Vec::new(),
            left_out: 0,
        };
        let index = LinkIndex::new(&book);
        (book, index)
    })
}

fuzz_target!(|data: &[u8]| {
    let (_, index) = book();
    let post = post(String::from_utf8_lossy(data).into_owned());
    let diags = Diagnostics::new();
    let _ = parse_post(&post, index, &diags);
});
