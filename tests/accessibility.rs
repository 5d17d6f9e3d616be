//! DAISY Ace, the accessibility checker of EPUB publishers, on the sample book and every corpus
//! book: no violation of any impact.
//!
//! Needs Ace 1.4.6 and a Chromium, which `.ci/run` installs (`npm install --prefix target/ace
//! @daisy/ace@1.4.6` with `ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1`, and
//! Debian's `chromium`; another Chromium can be named in `PUPPETEER_EXECUTABLE_PATH`);
//! without them the test says so and skips (fails under CI=true).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Format, built, corpus_blogs, missing};
use serde_json::Value;
use tempfile::TempDir;

/// Ace's command and the Chromium it drives, or `None` after the CI rule.
fn ace() -> Option<(PathBuf, PathBuf)> {
    let ace =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ace/node_modules/.bin/ace-puppeteer");
    if !ace.is_file() {
        missing(&format!(
            "DAISY Ace not found at {} (ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
             npm install --prefix target/ace @daisy/ace@1.4.6)",
            ace.display()
        ));
        return None;
    }
    let chromium = std::env::var_os("PUPPETEER_EXECUTABLE_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.is_file() {
        missing(&format!(
            "Chromium not found at {} (apt-get install chromium)",
            chromium.display()
        ));
        return None;
    }
    Some((ace, chromium))
}

/// Ace's violations in `epub`: rule, impact and page of each.
fn violations(ace: &Path, chromium: &Path, epub: &Path) -> Vec<String> {
    let report = TempDir::new().expect("report folder");
    let output = Command::new(ace)
        .arg("-f")
        .arg("-o")
        .arg(report.path())
        .arg(epub)
        .env("PUPPETEER_EXECUTABLE_PATH", chromium)
        .output()
        .expect("run Ace");
    let json = std::fs::read(report.path().join("report.json")).unwrap_or_else(|e| {
        panic!(
            "Ace wrote no report for {} ({e}):\n{}{}",
            epub.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let report: Value = serde_json::from_slice(&json).expect("Ace's JSON");
    let mut found = Vec::new();
    for page in report["assertions"].as_array().into_iter().flatten() {
        let url = page["earl:testSubject"]["url"].as_str().unwrap_or("");
        for check in page["assertions"].as_array().into_iter().flatten() {
            if check["earl:result"]["earl:outcome"] == "fail" {
                found.push(format!(
                    "{url}: {} ({}): {}",
                    check["earl:test"]["dct:title"].as_str().unwrap_or(""),
                    check["earl:test"]["earl:impact"].as_str().unwrap_or(""),
                    check["earl:result"]["html"]
                        .as_str()
                        .unwrap_or("")
                        .chars()
                        .take(160)
                        .collect::<String>()
                ));
            }
        }
    }
    found
}

/// Ace on the book of `project`: no violation.
fn assert_no_violation(project: &Path) {
    let Some((ace, chromium)) = ace() else {
        return;
    };
    let epub = built(project, Format::Epub);
    let found = violations(&ace, &chromium, &epub);
    assert!(
        found.is_empty(),
        "{}:\n{}",
        project.display(),
        found.join("\n")
    );
}

/// The corpus blog `name`, or `None` (after the CI rule) without the corpus.
fn corpus_blog(name: &str) -> Option<PathBuf> {
    corpus_blogs()?.into_iter().find(|b| b.ends_with(name))
}

// One test a book, so that the tests' threads check two books at once.
#[test]
fn ace_finds_no_violation_in_the_sample_book() {
    assert_no_violation(Path::new(common::SAMPLE_PROJECT));
}

#[test]
fn ace_finds_no_violation_in_the_corpus_books() {
    for name in ["seed", "xovel"] {
        if let Some(blog) = corpus_blog(name) {
            assert_no_violation(&blog);
        }
    }
}

#[test]
fn ace_finds_no_violation_in_mythsman() {
    if let Some(blog) = corpus_blog("mythsman") {
        assert_no_violation(&blog);
    }
}

#[test]
fn ace_finds_no_violation_in_fightinggg() {
    if let Some(blog) = corpus_blog("fightinggg") {
        assert_no_violation(&blog);
    }
}

/// The check reads Ace's report: the sample book without its accessibility metadata breaks
/// Ace's rules.
#[test]
fn the_check_finds_a_book_without_accessibility_metadata() {
    let Some((ace, chromium)) = ace() else {
        return;
    };
    let epub = built(Path::new(common::SAMPLE_PROJECT), Format::Epub);
    let dir = TempDir::new().expect("temporary folder");
    let stripped = dir.path().join("stripped.epub");
    let mut source = zip::ZipArchive::new(std::fs::File::open(&epub).expect("epub")).expect("zip");
    let mut out = zip::ZipWriter::new(std::fs::File::create(&stripped).expect("copy"));
    for i in 0..source.len() {
        let mut entry = source.by_index(i).expect("entry");
        let name = entry.name().expect("name").to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read");
        if name.ends_with("content.opf") {
            let opf = String::from_utf8(bytes).expect("UTF-8");
            let kept: Vec<&str> = opf.lines().filter(|l| !l.contains("schema:")).collect();
            bytes = kept.join("\n").into_bytes();
        }
        let options =
            zip::write::SimpleFileOptions::default().compression_method(entry.compression());
        out.start_file(name, options).expect("start");
        std::io::Write::write_all(&mut out, &bytes).expect("write");
    }
    out.finish().expect("finish");
    let found = violations(&ace, &chromium, &stripped);
    assert!(
        found.iter().any(|v| v.contains("metadata")),
        "{}",
        found.join("\n")
    );
}
