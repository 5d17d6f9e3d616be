//! `cargo bench`: the cost of each stage on a blog made of copies of the corpus posts
//! (`INKSTONE_BENCH_POSTS`, default 300; every third one ends with one of the sample blog's
//! images, so checking images and drawing them are measured too), printed as milliseconds and as a ratio to a baseline
//! measured in the same run (reading the files and parsing their Markdown with pulldown-cmark
//! alone), so numbers from different machines compare.

use std::path::{Path, PathBuf};
use std::time::Instant;

use inkstone::diag::Diagnostics;
use inkstone::layout::linebreak::PunctuationStyle;
use inkstone::layout::profile::PageProfile;
use inkstone::{collect, config, document, epub, fonts, images, layout, pdf};

fn main() {
    let posts: usize = std::env::var("INKSTONE_BENCH_POSTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let Some(blog) = make_blog(posts) else {
        println!("skipped: no corpus at ../shared/corpus/xovel");
        return;
    };
    let root = blog.path();

    let baseline = time(|| {
        let mut events = 0usize;
        for entry in std::fs::read_dir(root.join("source/_posts"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            events += pulldown_cmark::Parser::new(&text).count();
        }
        events
    });

    let config =
        config::load(root, &config::Overrides::default()).unwrap_or_else(|e| panic!("{e}"));
    let diags = Diagnostics::new();
    let (book, collect_ms) =
        timed(|| collect::collect(&config, &diags).unwrap_or_else(|e| panic!("{e}")));
    let (mut docs, parse_ms) = timed(|| document::parse_book(&book, &diags));
    let options = images::Options::default();
    let ((), images_ms) = timed(|| images::prepare(&book, &mut docs, &options, &diags));
    let (files, font_ms) =
        timed(|| fonts::load_all(&config.fonts).unwrap_or_else(|e| panic!("{e}")));
    let input = epub::Input {
        book: &book,
        docs: &docs,
        fonts: &files,
        cover: None,
        modified: "2024-01-01T00:00:00Z".into(),
    };
    let (epub_bytes, epub_ms) =
        timed(|| epub::build(&input, &diags).unwrap_or_else(|e| panic!("{e}")));
    let set = fonts::FontSet::new(&files).unwrap_or_else(|e| panic!("{e}"));
    let profile = PageProfile::kai32();
    let (typeset, layout_ms) =
        timed(|| layout::book::typeset(&book, &docs, &set, &profile, PunctuationStyle::Compressed));
    let (pdf_bytes, pdf_ms) = timed(|| pdf::write(&typeset.pages, &diags).unwrap_or_default());

    println!(
        "inkstone benchmark: {} posts, {} pages",
        book.posts.len(),
        typeset.pages.pages.len()
    );
    println!("{:<28}{:>10}{:>10}", "stage", "ms", "× base");
    for (name, ms) in [
        ("baseline (read + Markdown)", baseline),
        ("collect", collect_ms),
        ("document", parse_ms),
        ("images", images_ms),
        ("load fonts", font_ms),
        ("EPUB", epub_ms),
        ("layout", layout_ms),
        ("PDF", pdf_ms),
    ] {
        println!("{name:<28}{ms:>10.1}{:>10.1}", ms / baseline.max(0.001));
    }
    println!(
        "EPUB {} KB, PDF {} KB",
        epub_bytes.len() / 1024,
        pdf_bytes.len() / 1024
    );
}

fn time<T>(f: impl FnOnce() -> T) -> f64 {
    timed(f).1
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed().as_secs_f64() * 1000.0)
}

/// A blog of `posts` posts: the corpus posts copied under new names, in a temporary folder.
fn make_blog(posts: usize) -> Option<tempfile::TempDir> {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/xovel/source/_posts");
    let mut originals: Vec<PathBuf> = std::fs::read_dir(&source)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    originals.sort();
    if originals.is_empty() {
        return None;
    }
    let dir = tempfile::tempdir().ok()?;
    let target = dir.path().join("source/_posts");
    std::fs::create_dir_all(&target).ok()?;
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/blog/source");
    let pictures = [
        "images/spring-tea.png",
        "images/teacup.png",
        "images/pipeline.svg",
        "_posts/2019-08-15-quanzhou/harbor.jpg",
    ];
    let images = dir.path().join("source/images");
    std::fs::create_dir_all(&images).ok()?;
    for picture in pictures {
        let name = Path::new(picture).file_name()?;
        std::fs::copy(sample.join(picture), images.join(name)).ok()?;
    }
    for i in 0..posts {
        let original = &originals[i % originals.len()];
        let name = original
            .file_name()?
            .to_string_lossy()
            .replace(".md", &format!("-{i}.md"));
        let mut text = std::fs::read_to_string(original).ok()?;
        if i % 3 == 0 {
            let picture = Path::new(pictures[i % pictures.len()]).file_name()?;
            text.push_str(&format!(
                "\n\n![图](/images/{})\n",
                picture.to_string_lossy()
            ));
        }
        std::fs::write(target.join(name), text).ok()?;
    }
    Some(dir)
}
