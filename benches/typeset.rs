//! `cargo bench`: the cost of each stage on a blog made of copies of the corpus posts
//! (`INKSTONE_BENCH_POSTS`, default 300; every third one ends with one of the sample blog's
//! images, so checking images and drawing them are measured too), printed as milliseconds and as a ratio to a baseline
//! measured in the same run (reading the files and parsing their Markdown with pulldown-cmark
//! alone), so numbers from different machines compare.

use std::path::{Path, PathBuf};
use std::time::Instant;

use inkstone::diag::Diagnostics;
use inkstone::pipeline::{self, Step};
use inkstone::{config, fonts};

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
    // The pipeline's reading stages, timed from the moments each one starts.
    let starts = std::cell::RefCell::new(Vec::new());
    let record = |step: Step| starts.borrow_mut().push((step, Instant::now()));
    let sources = pipeline::read(&config, false, &diags, &record).unwrap_or_else(|e| panic!("{e}"));
    let read_end = Instant::now();
    let starts = starts.into_inner();
    let stage_ms = |step: Step| {
        let at = starts.iter().position(|(s, _)| *s == step)?;
        let end = starts.get(at + 1).map_or(read_end, |(_, t)| *t);
        Some((end - starts[at].1).as_secs_f64() * 1000.0)
    };
    let collect_ms = stage_ms(Step::Collect).unwrap_or_default();
    let parse_ms = stage_ms(Step::Parse).unwrap_or_default();
    let images_ms = stage_ms(Step::Images { fetch: false }).unwrap_or_default();
    let (files, font_ms) =
        timed(|| fonts::load_all(&config.fonts).unwrap_or_else(|e| panic!("{e}")));
    let (epub_bytes, epub_ms) = timed(|| {
        pipeline::epub(&config, &sources, &files, &diags)
            .unwrap_or_else(|e| panic!("{e}"))
            .bytes
    });
    let set = fonts::FontSet::new(&files).unwrap_or_else(|e| panic!("{e}"));
    let (typeset, layout_ms) = timed(|| pipeline::typeset(&config, &sources, &set, &diags));
    let (pdf_bytes, pdf_ms) = timed(|| {
        pipeline::pdf(&typeset, &diags)
            .map(|written| written.bytes)
            .unwrap_or_default()
    });
    let book = &sources.book;

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
