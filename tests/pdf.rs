//! Whole runs of the `inkstone` binary with `--format pdf`: fonts, structure, fidelity to the
//! posts' text, page count, front matter and determinism of the PDF book.
//!
//! The sample book is the repository itself (book.toml → examples/blog); the corpus blogs are
//! the folders of /work/shared/corpus (`seed`, `xovel`), compiled in place (never modified).
//! Reads the PDFs with Debian's poppler-utils (`pdffonts`, `pdftotext`) and `qpdf`; without
//! them these tests say they skipped, unless `CI=true`, where they fail.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{
    BookText, Characters, EXCLUDED_TEXT, Format, SAMPLE_PROJECT, assert_no_problems, book_of,
    built, character_problems, compile, compile_to, corpus_blogs, fidelity_problems, find_tool,
    pdfs_in, sample_and_corpus, small_blog, stderr,
};
use tempfile::TempDir;

// =============================================================================================
// helpers: the external tools
// =============================================================================================

/// How to get every tool these tests use.
const INSTALL: &str = "apt-get install poppler-utils qpdf";

fn sample_pdf() -> PathBuf {
    built(Path::new(SAMPLE_PROJECT), Format::Pdf)
}

/// `name` ready to run; `None` (after the CI rule: fail under `CI=true`, else print
/// `skipped: …`) when it is not installed.
fn tool(name: &str) -> Option<Command> {
    find_tool(name, INSTALL).map(Command::new)
}

/// Runs `name args… <pdf> after…`; `None` when the tool is not installed.
fn run(name: &str, args: &[&str], pdf: &Path, after: &[&str]) -> Option<Output> {
    let output = tool(name)?
        .args(args)
        .arg(pdf)
        .args(after)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {name}: {e}"));
    Some(output)
}

/// The text `pdftotext -raw -enc UTF-8` reads from `pdf` (pages `first..=last` when given).
///
/// `-raw` keeps the order in which the text is drawn, which is the order the book set it in
/// (and the order copy and paste and screen readers get from an untagged PDF). Without it,
/// pdftotext guesses a reading order from positions and gets it wrong where the book is right:
/// it reads a table cell's second line after the next cell (sample book, the punctuation table
/// of 2021-09-10-chinese-punctuation.md: 行首，且不可 / 居中 / 拆开) and splits a widely spaced
/// justified line into columns (2024-05-19-huizhou.md: 索引 before 旅行笔记).
fn pdf_text(pdf: &Path, pages: Option<(u32, u32)>) -> Option<String> {
    let mut args = vec!["-raw".to_string(), "-enc".to_string(), "UTF-8".to_string()];
    if let Some((first, last)) = pages {
        args.extend([
            "-f".into(),
            first.to_string(),
            "-l".into(),
            last.to_string(),
        ]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = run("pdftotext", &args, pdf, &["-"])?;
    assert!(
        output.status.success(),
        "pdftotext {} failed ({}):\n{}",
        pdf.display(),
        output.status,
        stderr(&output)
    );
    Some(String::from_utf8(output.stdout).expect("pdftotext -enc UTF-8 writes UTF-8"))
}

/// `text` without any white space (pdftotext ends every line of the page with a newline).
fn without_space(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

// =============================================================================================
// fonts: pdffonts
// =============================================================================================

/// What is wrong with the fonts in a `pdffonts` listing: a font not embedded, not a subset or
/// without a ToUnicode map, a Type 3 font, or no font at all.
///
/// The columns are `name type encoding emb sub uni object-ID`; the type may hold spaces
/// (`CID TrueType`, `Type 3`), so a row is read from its right end.
fn font_listing_problems(listing: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut lines = listing.lines();
    let header_ok = lines.next().is_some_and(|l| l.starts_with("name"))
        && lines.next().is_some_and(|l| l.starts_with("----"));
    if !header_ok {
        return vec![format!("not a pdffonts listing:\n{listing}")];
    }
    let mut fonts = 0;
    for row in lines.filter(|l| !l.trim().is_empty()) {
        fonts += 1;
        let cells: Vec<&str> = row.split_whitespace().collect();
        let n = cells.len();
        if n < 8 {
            problems.push(format!("cannot read the row: {row}"));
            continue;
        }
        let kind = cells[1..n - 6].join(" ");
        let (emb, sub, uni) = (cells[n - 5], cells[n - 4], cells[n - 3]);
        if kind.starts_with("Type 3") {
            problems.push(format!("Type 3 font: {row}"));
        }
        for (flag, what) in [
            (emb, "embedded"),
            (sub, "a subset"),
            (uni, "Unicode-mapped"),
        ] {
            if flag != "yes" {
                problems.push(format!("font not {what}: {row}"));
            }
        }
    }
    if fonts == 0 {
        problems.push("no font at all".into());
    }
    problems
}

/// Every problem with `pdf`'s fonts; `None` when pdffonts is not installed.
fn font_problems(pdf: &Path) -> Option<Vec<String>> {
    let output = run("pdffonts", &[], pdf, &[])?;
    let mut problems: Vec<String> = font_listing_problems(&String::from_utf8_lossy(&output.stdout))
        .into_iter()
        .map(|p| format!("{}: {p}", pdf.display()))
        .collect();
    if !output.status.success() || !output.stderr.is_empty() {
        problems.push(format!(
            "{}: pdffonts {}:\n{}",
            pdf.display(),
            output.status,
            stderr(&output)
        ));
    }
    Some(problems)
}

/// The listing checker itself: it must see every bad flag and a Type 3 font.
#[test]
fn font_check_finds_unembedded_unmapped_and_type3_fonts() {
    let head = "name                                 type              encoding         emb sub uni object ID\n\
                ------------------------------------ ----------------- ---------------- --- --- --- ---------\n";
    let good = format!(
        "{head}ELZYSC+NotoSansSC-Bold               CID TrueType      Identity-H       yes yes yes    302  0\n"
    );
    assert_eq!(font_listing_problems(&good), Vec::<String>::new());
    assert_eq!(font_listing_problems(head).len(), 1, "no font at all");
    for bad in [
        "NotoSerifSC-Regular                  CID TrueType      Identity-H       no  no  yes    305  0",
        "ABCDEF+NotoSerifSC-Regular           CID TrueType      Identity-H       yes no  yes    305  0",
        "ABCDEF+NotoSerifSC-Regular           CID TrueType      Identity-H       yes yes no     305  0",
        "[none]                               Type 3            Custom           yes yes yes     12  0",
    ] {
        assert!(
            !font_listing_problems(&format!("{good}{bad}\n")).is_empty(),
            "accepted: {bad}"
        );
    }
}

#[test]
fn sample_book_fonts_are_embedded_subsets_with_unicode_maps() {
    if let Some(problems) = font_problems(&sample_pdf()) {
        assert_no_problems(&problems);
    }
}

#[test]
fn corpus_books_fonts_are_embedded_subsets_with_unicode_maps() {
    let Some(blogs) = corpus_blogs() else { return };
    let mut problems = Vec::new();
    for blog in blogs {
        let Some(found) = font_problems(&built(&blog, Format::Pdf)) else {
            return;
        };
        problems.extend(found);
    }
    assert_no_problems(&problems);
}

// =============================================================================================
// structure: qpdf --check
// =============================================================================================

/// What `qpdf --check` says is wrong with `pdf`: `Some(Ok)` when it exits 0, warns of nothing
/// and finds no syntax or stream error; `None` when qpdf is not installed.
fn qpdf_verdict(pdf: &Path) -> Option<Result<(), String>> {
    let output = run("qpdf", &["--check"], pdf, &[])?;
    let out = String::from_utf8_lossy(&output.stdout);
    let err = stderr(&output);
    let clean = output.status.code() == Some(0)
        && out.contains("No syntax or stream encoding errors found")
        && !out.contains("WARNING")
        && err.trim().is_empty();
    if clean {
        return Some(Ok(()));
    }
    Some(Err(format!(
        "qpdf --check {}: {}\n{out}{err}",
        pdf.display(),
        output.status
    )))
}

#[test]
fn qpdf_check_finds_nothing_in_the_sample_book() {
    if let Some(Err(report)) = qpdf_verdict(&sample_pdf()) {
        panic!("{report}");
    }
}

#[test]
fn qpdf_check_finds_nothing_in_the_corpus_books() {
    let Some(blogs) = corpus_blogs() else { return };
    let mut reports = Vec::new();
    for blog in blogs {
        match qpdf_verdict(&built(&blog, Format::Pdf)) {
            None => return,
            Some(Ok(())) => {}
            Some(Err(report)) => reports.push(report),
        }
    }
    assert!(reports.is_empty(), "{}", reports.join("\n"));
}

// =============================================================================================
// fidelity
// =============================================================================================

/// Every problem with the Han text of `project`'s posts in `pdf`, read as one text: the posts
/// one after the other, page furniture between; `None` when pdftotext is not installed.
fn pdf_fidelity_problems(project: &Path, pdf: &Path) -> Option<Vec<String>> {
    pdf_character_problems(project, pdf, Characters::Han)
}

/// The same for `chars`.
fn pdf_character_problems(project: &Path, pdf: &Path, chars: Characters) -> Option<Vec<String>> {
    let text = pdf_text(pdf, None)?;
    Some(character_problems(
        &book_of(project),
        &BookText::Whole(text),
        chars,
    ))
}

/// The whole-text check itself: posts in order, furniture between them allowed, nothing lost,
/// and a post's footnote looked for near that post only.
#[test]
fn whole_text_fidelity_check_finds_lost_and_reordered_posts() {
    let (blog, _) = small_blog(
        "---\ntitle: 一篇\ndate: 2020-01-01 10:00:00\n---\n\n春眠不觉晓，处处闻啼鸟。[^1]\n\n[^1]: 孟浩然。\n",
    );
    std::fs::write(
        blog.path().join("source/_posts/two.md"),
        "---\ntitle: 二篇\ndate: 2020-02-01 10:00:00\n---\n\n床前明月光，疑是地上霜。\n",
    )
    .expect("second post");
    let book = book_of(blog.path());
    assert_eq!(book.posts.len(), 2);
    let problems = |text: &str| fidelity_problems(&book, &BookText::Whole(text.into()));
    let good = "目录 一篇 二篇\n一篇\n春眠不觉晓，\n小书 3\n处处闻啼鸟。1\n1 孟浩然。\n二篇\n床前明月光，疑是地上霜。\n";
    assert_eq!(problems(good), Vec::<String>::new());
    // A character lost, the posts swapped, a footnote missing, a footnote only far away.
    for bad in [
        "一篇\n春眠不觉晓，处处闻啼。\n孟浩然。\n二篇\n床前明月光，疑是地上霜。\n",
        "二篇\n床前明月光，疑是地上霜。\n一篇\n春眠不觉晓，处处闻啼鸟。\n孟浩然。\n",
        "一篇\n春眠不觉晓，处处闻啼鸟。\n二篇\n床前明月光，疑是地上霜。\n",
        "一篇\n春眠不觉晓，处处闻啼鸟。\n二篇\n床前明月光，疑是地上霜。\n孟浩然。\n",
    ] {
        assert!(!problems(bad).is_empty(), "accepted:\n{bad}");
    }
}

#[test]
fn sample_book_keeps_every_han_character_of_every_post_in_order() {
    if let Some(problems) = pdf_fidelity_problems(Path::new(SAMPLE_PROJECT), &sample_pdf()) {
        assert_no_problems(&problems);
    }
}

#[test]
fn corpus_books_keep_every_han_character_of_every_post_in_order() {
    let Some(blogs) = corpus_blogs() else { return };
    let mut problems = Vec::new();
    for blog in blogs {
        let Some(found) = pdf_fidelity_problems(&blog, &built(&blog, Format::Pdf)) else {
            return;
        };
        problems.extend(found);
    }
    assert_no_problems(&problems);
}

#[test]
fn every_letter_and_digit_of_every_post_is_in_the_pdf_in_order() {
    let mut problems = Vec::new();
    for project in sample_and_corpus() {
        let pdf = built(&project, Format::Pdf);
        let Some(found) = pdf_character_problems(&project, &pdf, Characters::Letters) else {
            return;
        };
        problems.extend(found);
    }
    assert_no_problems(&problems);
}

#[test]
fn no_text_of_an_excluded_post_appears_in_the_pdf() {
    let Some(text) = pdf_text(&sample_pdf(), None) else {
        return;
    };
    let text = without_space(&text);
    let leaks: Vec<&&str> = EXCLUDED_TEXT
        .iter()
        .filter(|p| text.contains(**p))
        .collect();
    assert!(
        leaks.is_empty(),
        "text of excluded posts in the PDF: {leaks:?}"
    );
}

/// The other side of the test above: the phrases are found when they are there.
#[test]
fn drafts_flag_puts_the_drafts_into_the_pdf() {
    let out = TempDir::new().expect("output folder");
    let output = compile(
        Path::new(SAMPLE_PROJECT),
        out.path(),
        &["-q", "--drafts", "--format", "pdf"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let pdfs = pdfs_in(out.path());
    assert_eq!(pdfs.len(), 1, "{pdfs:?}");
    let Some(text) = pdf_text(&pdfs[0], None) else {
        return;
    };
    let text = without_space(&text);
    for phrase in EXCLUDED_TEXT {
        assert!(text.contains(phrase), "--drafts: {phrase} missing");
    }
}

// =============================================================================================
// the file: header, pages, front matter, determinism
// =============================================================================================

#[test]
fn sample_book_is_a_pdf_of_more_than_20_pages() {
    let pdf = sample_pdf();
    let bytes = std::fs::read(&pdf).expect("read the PDF");
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{} does not start with %PDF-: {:?}",
        pdf.display(),
        String::from_utf8_lossy(&bytes[..bytes.len().min(16)])
    );
    let Some(output) = run("qpdf", &["--show-npages"], &pdf, &[]) else {
        return;
    };
    assert!(output.status.success(), "{}", stderr(&output));
    let pages: u32 = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("qpdf --show-npages prints a number");
    assert!(pages > 20, "the sample book has only {pages} pages");
}

#[test]
fn corpus_books_are_pdfs() {
    let Some(blogs) = corpus_blogs() else { return };
    for blog in blogs {
        let pdf = built(&blog, Format::Pdf);
        let bytes = std::fs::read(&pdf).expect("read the PDF");
        assert!(
            bytes.starts_with(b"%PDF-"),
            "{} is not a PDF",
            pdf.display()
        );
    }
}

#[test]
fn front_matter_shows_the_title_and_the_contents() {
    let Some(text) = pdf_text(&sample_pdf(), Some((1, 6))) else {
        return;
    };
    let text = without_space(&text);
    for wanted in ["砚边集", "目录"] {
        assert!(text.contains(wanted), "pages 1–6 lack {wanted}:\n{text}");
    }
}

#[test]
fn compiling_twice_gives_identical_pdf_bytes() {
    let (one, two) = (TempDir::new().expect("dir"), TempDir::new().expect("dir"));
    let a = compile_to(Path::new(SAMPLE_PROJECT), one.path(), Format::Pdf);
    let b = compile_to(Path::new(SAMPLE_PROJECT), two.path(), Format::Pdf);
    let (x, y) = (
        std::fs::read(&a).expect("first PDF"),
        std::fs::read(&b).expect("second PDF"),
    );
    if x != y {
        let at = x.iter().zip(&y).take_while(|(p, q)| p == q).count();
        let around = |bytes: &[u8]| {
            String::from_utf8_lossy(&bytes[at.saturating_sub(40)..(at + 40).min(bytes.len())])
                .into_owned()
        };
        panic!(
            "{} and {} differ ({} vs {} bytes), first at byte {at}:\n{:?}\n{:?}",
            a.display(),
            b.display(),
            x.len(),
            y.len(),
            around(&x),
            around(&y)
        );
    }
}

// =============================================================================================
// page profiles
// =============================================================================================

/// Every built-in profile: on every page a TrimBox of the size it names and, in print, a
/// BleedBox 3 mm (0.125 in) larger on each side; in print, parts open on right-hand (odd)
/// pages; on a screen, no bleed and no page is blank.
#[test]
fn every_page_profile_gives_its_trim_size_and_its_kind_of_pages() {
    const MM: f64 = 72.0 / 25.4;
    let profiles = [
        ("32k", 130.0, 184.0, 3.0),
        ("32k-large", 140.0, 203.0, 3.0),
        ("a5", 148.0, 210.0, 3.0),
        ("16k", 184.0, 260.0, 3.0),
        ("6x9", 152.4, 228.6, 3.175),
        ("ereader-6", 90.0, 122.0, 0.0),
        ("ereader-7", 107.0, 142.0, 0.0),
        ("ereader-10", 157.0, 209.0, 0.0),
    ];
    for (name, width, height, bleed) in profiles {
        let print = bleed > 0.0;
        let out = TempDir::new().expect("output folder");
        let output = compile(
            Path::new(SAMPLE_PROJECT),
            out.path(),
            &["--format", "pdf", "--profile", name, "--quiet"],
        );
        assert!(output.status.success(), "{name}: {}", stderr(&output));
        let pdf = pdfs_in(out.path()).remove(0);
        let (Some(trims), Some(bleeds)) = (
            page_boxes(&pdf, "TrimBox:", u32::MAX),
            page_boxes(&pdf, "BleedBox:", u32::MAX),
        ) else {
            return;
        };
        assert!(
            !trims.is_empty() && trims.len() == bleeds.len(),
            "{name}: {trims:?} {bleeds:?}"
        );
        let near = |points: f64, mm: f64| (points / MM - mm).abs() < 0.01;
        for (trim, bleed_box) in trims.iter().zip(&bleeds) {
            assert!(
                near(trim[2] - trim[0], width) && near(trim[3] - trim[1], height),
                "{name}: TrimBox {trim:?}"
            );
            for side in 0..2 {
                assert!(
                    near(trim[side] - bleed_box[side], bleed),
                    "{name}: {bleed_box:?}"
                );
                assert!(
                    near(bleed_box[side + 2] - trim[side + 2], bleed),
                    "{name}: {bleed_box:?}"
                );
            }
        }
        let sizes = trims;
        let Some(text) = pdf_text(&pdf, None) else {
            return;
        };
        // pdftotext ends every page with a form feed.
        let mut pages: Vec<&str> = text.split('\u{c}').collect();
        pages.pop();
        assert_eq!(pages.len(), sizes.len(), "{name}");
        let blank = pages.iter().filter(|p| p.trim().is_empty()).count();
        let part_pages: Vec<usize> = (pages.iter().enumerate())
            .filter(|(_, p)| p.trim() == "第一部\n写作" || p.trim() == "第二部\n读书")
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(part_pages.len(), 2, "{name}: the part pages");
        if print {
            assert!(blank > 0, "{name}: no blank back in print");
            assert!(
                part_pages.iter().all(|p| p % 2 == 1),
                "{name}: parts on {part_pages:?}"
            );
        } else {
            assert_eq!(blank, 0, "{name}: blank pages on a screen");
        }
    }
}

#[test]
fn an_unknown_profile_or_one_that_cannot_hold_its_text_is_an_error_naming_book_toml() {
    let (blog, _) = small_blog("---\ntitle: 一篇\ndate: 2020-01-01 10:00:00\n---\n\n正文。\n");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &["--profile", "b5"]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("no page profile 'b5'") && err.contains("ereader-6"),
        "{err}"
    );
    std::fs::write(
        blog.path().join("book.toml"),
        "[pdf]\nprofile = \"a5\"\nchars_per_line = 40\n",
    )
    .expect("book.toml");
    let output = compile(blog.path(), out.path(), &[]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("book.toml") && err.contains("40 characters"),
        "{err}"
    );
    // A field that fits replaces the profile's.
    std::fs::write(
        blog.path().join("book.toml"),
        "[pdf]\nprofile = \"a5\"\nfont_size = 12.0\nchars_per_line = 27\nlines_per_page = 24\n",
    )
    .expect("book.toml");
    let output = compile(blog.path(), out.path(), &["--format", "pdf"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

/// `--pages-multiple N` pads the book with blank pages at its end to a multiple of N.
#[test]
fn pages_multiple_pads_the_book_with_blank_pages_at_its_end() {
    let pages_of = |extra: &[&str]| -> Option<Vec<String>> {
        let out = TempDir::new().expect("output folder");
        let mut args = vec!["--format", "pdf", "--quiet"];
        args.extend_from_slice(extra);
        let output = compile(Path::new(SAMPLE_PROJECT), out.path(), &args);
        assert!(output.status.success(), "{}", stderr(&output));
        let text = pdf_text(&pdfs_in(out.path()).remove(0), None)?;
        let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
        pages.pop();
        Some(pages)
    };
    let Some(plain) = pages_of(&[]) else {
        return;
    };
    for multiple in [4, 16] {
        let Some(padded) = pages_of(&["--pages-multiple", &multiple.to_string()]) else {
            return;
        };
        assert_eq!(padded.len() % multiple, 0, "{multiple}");
        assert!(padded.len() >= plain.len() && padded.len() < plain.len() + multiple);
        assert_eq!(
            padded[..plain.len()],
            plain[..],
            "the book before the padding"
        );
        assert!(padded[plain.len()..].iter().all(|p| p.trim().is_empty()));
    }
}

/// The box `which` (`"TrimBox:"`) of each of the first `pages` pages of `pdf` (`u32::MAX`:
/// all), as `pdfinfo -box` gives it in points: `Page    7 TrimBox:  8.50  8.50  377.01  530.08`.
fn page_boxes(pdf: &Path, which: &str, pages: u32) -> Option<Vec<[f64; 4]>> {
    let last = pages.min(9999).to_string();
    let info = run("pdfinfo", &["-box", "-f", "1", "-l", &last], pdf, &[])?;
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let boxes = info
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(which))
        .map(|l| {
            let n: Vec<f64> = l
                .split(which)
                .nth(1)
                .unwrap_or("")
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            [n[0], n[1], n[2], n[3]]
        })
        .collect();
    Some(boxes)
}

/// The physical page (from 0) of each page label of `pdf`, as `qpdf --json` reads them.
fn page_labels(pdf: &Path) -> Option<Vec<String>> {
    let output = run("qpdf", &["--json", "--json-key=pagelabels"], pdf, &[])?;
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("qpdf --json");
    let ranges = json["pagelabels"].as_array().expect("page labels");
    let pages = pdf_text(pdf, None)?.split('\u{c}').count() - 1;
    let labels = (0..pages)
        .map(|page| {
            let range = ranges
                .iter()
                .rfind(|r| r["index"].as_u64().is_some_and(|i| i as usize <= page))
                .expect("a label range for every page");
            let start = range["index"].as_u64().unwrap_or(0) as usize;
            let first = range["label"]["/St"].as_u64().unwrap_or(1) as usize;
            let number = first + page - start;
            match range["label"]["/S"].as_str() {
                Some("/D") => number.to_string(),
                _ => format!("roman {number}"),
            }
        })
        .collect();
    Some(labels)
}

/// A blog whose posts carry tags, some of them long enough to take several pages.
fn tagged_blog() -> TempDir {
    let dir = TempDir::new().expect("temporary folder");
    let posts = dir.path().join("source/_posts");
    std::fs::create_dir_all(&posts).expect("posts folder");
    std::fs::write(dir.path().join("_config.yml"), "title: 标签之书\n").expect("_config.yml");
    let long = "这一段话写得很长，为的是让文章占去好几页的篇幅。".repeat(40);
    let posts_and_tags = [
        ("甲篇文章", "2021-03-01", "[读书, Rust]", 1),
        ("乙篇文章", "2019-05-02", "[读书]", 3),
        ("丙篇文章", "2020-07-03", "[旅行, 重庆]", 1),
        ("丁篇文章", "2022-01-04", "[Rust, 3D打印]", 5),
        ("戊篇文章", "2020-02-05", "[旅行, 读书, 茶]", 2),
    ];
    for (i, (title, date, tags, paragraphs)) in posts_and_tags.iter().enumerate() {
        let body = vec![long.as_str(); *paragraphs].join("\n\n");
        let text = format!(
            "---\ntitle: {title}\ndate: {date} 10:00:00\ncategories: [随笔]\ntags: {tags}\n---\n\n{body}\n"
        );
        std::fs::write(posts.join(format!("p{i}.md")), text).expect("post");
    }
    dir
}

/// The index lists every tag with the pages its posts begin on, as the PDF's own page labels
/// number them; the chronology lists the posts by date with theirs.
#[test]
fn the_index_and_the_chronology_give_the_pages_where_the_posts_begin() {
    let blog = tagged_blog();
    std::fs::write(blog.path().join("book.toml"), "[back]\nchronology = true\n").expect("toml");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &["--format", "pdf", "--quiet"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = pdfs_in(out.path()).remove(0);
    let (Some(text), Some(labels)) = (pdf_text(&pdf, None), page_labels(&pdf)) else {
        return;
    };
    let pages: Vec<&str> = text.split('\u{c}').collect();
    // Where each post begins: the first body page that shows its title.
    let start_of = |title: &str| -> String {
        let page = (0..labels.len())
            .find(|&p| !labels[p].starts_with("roman") && pages[p].contains(title))
            .unwrap_or_else(|| panic!("{title} is on no body page"));
        labels[page].clone()
    };
    let index_page = pages
        .iter()
        .position(|p| p.trim_start().starts_with("索引"))
        .expect("an index page");
    // Each line: the tag (pdftotext shows the quarter em between Latin and Han as a space),
    // then its page numbers.
    let entries: Vec<(String, Vec<String>)> = pages[index_page]
        .lines()
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let is_number = |w: &&&str| w.trim_end_matches(',').parse::<usize>().is_ok();
            let numbers = words.iter().rev().take_while(is_number).count();
            let (tag, numbers) = words.split_at(words.len() - numbers);
            let numbers = numbers.iter().map(|n| n.trim_end_matches(',').to_string());
            (tag.concat(), numbers.collect())
        })
        .collect();
    let numbers_of = |tag: &str| -> Vec<String> {
        let entry = entries.iter().find(|(t, _)| t == tag);
        entry
            .unwrap_or_else(|| panic!("{tag} is not in the index:\n{}", pages[index_page]))
            .1
            .clone()
    };
    let expect = |titles: &[&str]| -> Vec<String> {
        let mut pages: Vec<String> = titles.iter().map(|t| start_of(t)).collect();
        pages.sort_by_key(|p| p.parse::<usize>().unwrap_or(0));
        pages.dedup();
        pages
    };
    assert_eq!(
        numbers_of("读书"),
        expect(&["甲篇文章", "乙篇文章", "戊篇文章"])
    );
    assert_eq!(numbers_of("Rust"), expect(&["甲篇文章", "丁篇文章"]));
    assert_eq!(numbers_of("旅行"), expect(&["丙篇文章", "戊篇文章"]));
    assert_eq!(numbers_of("3D打印"), expect(&["丁篇文章"]));
    // In pinyin order under their letters, digits and symbols first.
    let order: Vec<&str> = entries
        .iter()
        .map(|(tag, _)| tag.as_str())
        .filter(|w| ["3D打印", "C", "茶", "D", "读书", "R", "Rust", "L", "旅行"].contains(w))
        .collect();
    assert_eq!(
        order,
        ["3D打印", "C", "茶", "D", "读书", "L", "旅行", "R", "Rust"]
    );
    // Every index page opens on a right-hand page, and so does the chronology.
    assert_eq!(
        index_page % 2,
        0,
        "the index opens on page {}",
        index_page + 1
    );
    let chronology = pages
        .iter()
        .position(|p| p.trim_start().starts_with("年表"))
        .expect("a chronology page");
    assert_eq!(chronology % 2, 0);
    let dated: Vec<(String, String)> = pages[chronology]
        .lines()
        .filter(|l| l.contains("篇文章"))
        .map(|l| {
            let title = l
                .split_whitespace()
                .find(|w| w.contains("篇文章"))
                .unwrap_or("");
            let page = l.split_whitespace().last().unwrap_or("").to_string();
            (title.to_string(), page)
        })
        .collect();
    let by_date = ["乙篇文章", "戊篇文章", "丙篇文章", "甲篇文章", "丁篇文章"];
    let expected: Vec<(String, String)> = by_date
        .iter()
        .map(|t| (t.to_string(), start_of(t)))
        .collect();
    assert_eq!(dated, expected);
    // Both are in the contents.
    let contents = pages[..labels.iter().position(|l| l == "1").unwrap_or(0)].concat();
    assert!(
        contents.contains("索引") && contents.contains("年表"),
        "{contents}"
    );
}

/// `[back] index = false` leaves the index out.
#[test]
fn the_index_can_be_left_out() {
    let blog = tagged_blog();
    std::fs::write(blog.path().join("book.toml"), "[back]\nindex = false\n").expect("toml");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &["--format", "pdf", "--quiet"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let Some(text) = pdf_text(&pdfs_in(out.path()).remove(0), None) else {
        return;
    };
    assert!(!text.contains("索引"), "{text}");
}

/// Page `page` of `pdf` rendered in gray at `dpi`: width, height and one byte per pixel.
fn rendered_gray(pdf: &Path, page: u32, dpi: u32) -> Option<(usize, usize, Vec<u8>)> {
    let dir = TempDir::new().expect("temporary folder");
    let prefix = dir.path().join("page");
    let n = page.to_string();
    let r = dpi.to_string();
    let args = ["-gray", "-singlefile", "-r", &r, "-f", &n, "-l", &n];
    let output = run(
        "pdftoppm",
        &args,
        pdf,
        &[prefix.to_str().expect("UTF-8 path")],
    )?;
    assert!(output.status.success(), "pdftoppm: {}", stderr(&output));
    let pgm = std::fs::read(prefix.with_extension("pgm")).expect("the rendered page");
    // `P5\n<width> <height>\n255\n` then the pixels.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        let end = at + pgm[at..].iter().position(|b| b.is_ascii_whitespace())?;
        if end > at {
            fields.push(String::from_utf8_lossy(&pgm[at..end]).into_owned());
        }
        at = end + 1;
    }
    let (width, height) = (fields[1].parse().ok()?, fields[2].parse().ok()?);
    Some((width, height, pgm[at..].to_vec()))
}

/// `--marks` draws crop marks on the lines of the trim's edges, outside the bleed, and the
/// media box grows to hold them; the trim and bleed boxes stay as they were.
#[test]
fn marks_are_crop_marks_at_the_trim_corners_outside_the_bleed() {
    let out = TempDir::new().expect("output folder");
    let args = ["--format", "pdf", "--marks", "--quiet"];
    let output = compile(Path::new(SAMPLE_PROJECT), out.path(), &args);
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = pdfs_in(out.path()).remove(0);
    let box_of = |which: &str| page_boxes(&pdf, which, 1).and_then(|b| b.first().copied());
    let (Some(media), Some(bleed), Some(trim)) =
        (box_of("MediaBox:"), box_of("BleedBox:"), box_of("TrimBox:"))
    else {
        return;
    };
    let info = format!("media {media:?}, bleed {bleed:?}, trim {trim:?}");
    const MM: f64 = 72.0 / 25.4;
    assert!(((trim[2] - trim[0]) / MM - 130.0).abs() < 0.01, "{info}");
    assert!(((trim[0] - bleed[0]) / MM - 3.0).abs() < 0.01, "{info}");
    assert!(
        bleed[0] - media[0] >= 5.0 * MM,
        "no room for the marks: {info}"
    );
    // Four pixels a point; y from the top of the media box.
    let scale = 4.0;
    let Some((width, _, pixels)) = rendered_gray(&pdf, 1, 288) else {
        return;
    };
    let dark = |x: f64, y_up: f64| -> bool {
        let (px, py) = ((x * scale) as usize, ((media[3] - y_up) * scale) as usize);
        // The hairline may fall between two rows of pixels: look at the neighbours too.
        (py.saturating_sub(1)..=py + 1)
            .flat_map(|y| (px.saturating_sub(1)..=px + 1).map(move |x| (x, y)))
            .any(|(x, y)| pixels.get(y * width + x).is_some_and(|&v| v < 160))
    };
    for (x, outward_x) in [(trim[0], -1.0), (trim[2], 1.0)] {
        for (y, outward_y) in [(trim[1], -1.0), (trim[3], 1.0)] {
            let corner = format!("the corner at ({x:.1}, {y:.1})");
            // A horizontal mark on the edge's line, 1 to 4 mm beyond the bleed.
            for mm in [1.0, 2.5, 4.0] {
                let beyond = 3.0 * MM + mm * MM;
                assert!(
                    dark(x + outward_x * beyond, y),
                    "{corner}: no mark {mm} mm out"
                );
                assert!(
                    dark(x, y + outward_y * beyond),
                    "{corner}: no mark {mm} mm out"
                );
            }
            // Nothing inside the bleed at the corner.
            for mm in [0.5, 1.5, 2.5] {
                let inside = mm * MM;
                assert!(
                    !dark(x + outward_x * inside, y),
                    "{corner}: a mark in the bleed"
                );
                assert!(
                    !dark(x, y + outward_y * inside),
                    "{corner}: a mark in the bleed"
                );
            }
        }
    }
}

/// `--pdfa` writes a PDF/A-2b file (krilla's validator refuses to write one that breaks its
/// rules), marks and all; its XMP metadata says so and qpdf finds nothing wrong with it.
#[test]
fn pdfa_writes_a_pdf_a_2b_file() {
    let out = TempDir::new().expect("output folder");
    let args = ["--format", "pdf", "--pdfa", "--marks", "--quiet"];
    let output = compile(Path::new(SAMPLE_PROJECT), out.path(), &args);
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = pdfs_in(out.path()).remove(0);
    let Some(meta) = run("pdfinfo", &["-meta"], &pdf, &[]) else {
        return;
    };
    let meta = String::from_utf8_lossy(&meta.stdout);
    assert!(
        meta.contains("<pdfaid:part>2</pdfaid:part>")
            && meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{meta}"
    );
    if let Some(verdict) = qpdf_verdict(&pdf) {
        verdict.unwrap_or_else(|e| panic!("{e}"));
    }
    // Without it, no PDF/A claim.
    let plain = sample_pdf();
    let Some(meta) = run("pdfinfo", &["-meta"], &plain, &[]) else {
        return;
    };
    assert!(!String::from_utf8_lossy(&meta.stdout).contains("pdfaid"));
}

/// The trim box of page 1 of `pdf`, in points.
fn trim_box(pdf: &Path) -> Option<[f64; 4]> {
    page_boxes(pdf, "TrimBox:", 1)?.first().copied()
}

/// `--cover` writes `<stem>-cover.pdf`: back, spine and front side by side, the spine as wide
/// as the book's leaves (pages ÷ 2, rounded up) times the paper's caliper, its title set in
/// embedded fonts; a spine under 5 mm carries no text, and the summary says so.
#[test]
fn the_cover_spread_has_a_spine_as_thick_as_the_book() {
    const MM: f64 = 72.0 / 25.4;
    for (paper, caliper, spine_text) in [("0.6", 0.6, true), ("\"70g\"", 0.09, false)] {
        let blog = tagged_blog();
        let toml = format!("[book]\nauthor = \"某人\"\n\n[cover]\npaper = {paper}\n");
        std::fs::write(blog.path().join("book.toml"), toml).expect("book.toml");
        let out = TempDir::new().expect("output folder");
        let output = compile(blog.path(), out.path(), &["--format", "pdf", "--cover"]);
        assert!(output.status.success(), "{}", stderr(&output));
        let mut pdfs = pdfs_in(out.path());
        pdfs.sort();
        let (interior, cover) = (&pdfs[1], &pdfs[0]);
        assert!(cover.to_string_lossy().ends_with("-cover.pdf"), "{pdfs:?}");
        let Some(text) = pdf_text(interior, None) else {
            return;
        };
        let pages = text.split('\u{c}').count() - 1;
        let (Some(page), Some(spread)) = (trim_box(interior), trim_box(cover)) else {
            return;
        };
        let spine = (spread[2] - spread[0]) - 2.0 * (page[2] - page[0]);
        let expected = pages.div_ceil(2) as f64 * caliper;
        assert!(
            (spine / MM - expected).abs() < 0.01,
            "paper {paper}: spine {} mm for {pages} pages",
            spine / MM
        );
        assert!((spread[3] - spread[1] - (page[3] - page[1])).abs() < 0.01);
        let summary = stderr(&output);
        assert!(
            summary.contains(&format!("cover: spine {expected:.1} mm")),
            "{summary}"
        );
        assert_eq!(summary.contains("left blank"), !spine_text, "{summary}");
        let Some(cover_text) = pdf_text(cover, None) else {
            return;
        };
        // The front's title and author; the spine's title is one character to a line.
        let han = without_space(&cover_text);
        assert!(
            han.contains("标签之书") && han.contains("某人"),
            "{cover_text}"
        );
        let spine_lines = cover_text.lines().filter(|l| l.trim() == "标").count();
        assert_eq!(spine_lines > 0, spine_text, "{cover_text}");
        if let Some(problems) = font_problems(cover) {
            assert!(problems.is_empty(), "{problems:?}");
        }
        // The paper and the band reach the bleed's edge: the corners of the media box.
        let Some((width, height, pixels)) = rendered_gray(cover, 1, 72) else {
            return;
        };
        let at = |x: usize, y: usize| pixels[y * width + x];
        let (top, foot) = (at(1, 1), at(width - 2, height - 2));
        assert!(
            (200..250).contains(&top),
            "the paper at the top corner: {top}"
        );
        assert!(foot < 100, "the band at the foot corner: {foot}");
    }
}

#[test]
fn a_paper_that_is_no_thickness_is_an_error_naming_book_toml() {
    let blog = tagged_blog();
    std::fs::write(
        blog.path().join("book.toml"),
        "[cover]\npaper = \"cardboard\"\n",
    )
    .expect("toml");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &["--cover"]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("book.toml") && err.contains("70g"), "{err}");
}

/// `--preflight` names each picture a printer would object to (under 300 dpi where it is
/// printed, or RGB), at the post and line that show it; without it the summary counts them.
/// A screen profile is not checked.
#[test]
fn preflight_names_each_picture_a_printer_would_object_to() {
    let check = |extra: &[&str]| -> String {
        let mut args = vec!["--format", "pdf"];
        args.extend_from_slice(extra);
        let out = TempDir::new().expect("output folder");
        let output = compile(Path::new(SAMPLE_PROJECT), out.path(), &args);
        assert!(output.status.success(), "{}", stderr(&output));
        stderr(&output)
    };
    let named = check(&["--preflight"]);
    let warnings: Vec<&str> = named
        .lines()
        .filter(|l| l.starts_with("warning:") && l.contains("print: image"))
        .collect();
    // The sample's photo of Quanzhou harbour, named at its line in the post.
    let harbor = warnings
        .iter()
        .find(|l| l.contains("harbor.jpg"))
        .unwrap_or_else(|| panic!("{named}"));
    let post = Path::new(SAMPLE_PROJECT).join("examples/blog/source/_posts/2019-08-15-quanzhou.md");
    let line = common::blog::line_containing(&post, "harbor.jpg");
    assert!(
        harbor.contains(&format!("2019-08-15-quanzhou.md:{line}:")),
        "{harbor}"
    );
    assert!(harbor.contains("dpi") && harbor.contains("RGB"), "{harbor}");
    let counted = format!("print: {} images under 300 dpi", warnings.len());
    assert!(named.contains(&counted), "{named}");
    let quiet = check(&[]);
    assert!(!quiet.contains("print: image"), "{quiet}");
    assert!(
        quiet.contains(&counted) && quiet.contains("--preflight names each"),
        "{quiet}"
    );
    let screen = check(&["--preflight", "--profile", "ereader-7"]);
    assert!(!screen.contains("print:"), "{screen}");
}

/// The front matter is numbered in roman, the body from an arabic 1: the page labels say so,
/// and the contents' pages after its first print their roman folio.
#[test]
fn front_matter_has_roman_folios_and_the_body_starts_at_1() {
    let pdf = sample_pdf();
    let (Some(labels), Some(text)) = (page_labels(&pdf), pdf_text(&pdf, None)) else {
        return;
    };
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let body = labels.iter().position(|l| l == "1").expect("a page 1");
    assert!(body >= 4, "{labels:?}");
    for (i, label) in labels[..body].iter().enumerate() {
        assert_eq!(label, &format!("roman {}", i + 1));
    }
    for (i, label) in labels[body..].iter().enumerate() {
        assert_eq!(label, &(i + 1).to_string());
    }
    let numerals = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];
    let contents = (0..body)
        .filter(|&p| pages[p].contains("目录") || pages[p].contains(" . . ."))
        .collect::<Vec<_>>();
    assert!(
        contents.len() >= 2,
        "the sample's contents take two pages or more"
    );
    for &p in &contents[1..] {
        let last = pages[p]
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        assert_eq!(last.trim(), numerals[p], "page {}", p + 1);
    }
}
