//! Issue 5: bad input, faults and hostile content. One test per row of the table (or
//! per part of a row): each makes its input in a temporary folder and checks the message, the
//! book, or both.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::blog::{
    Blog, about, book_file, epub_file, epub_files, failure, first_post_xhtml, success, warnings,
    xml,
};
use common::{compile, find_tool, stderr};
use inkstone::collect::Book;
use inkstone::diag::{Diagnostic, Error, Severity};
use inkstone::document::Block;
use tempfile::TempDir;

// =============================================================================================
// helpers
// =============================================================================================

fn all_text(blocks: &[Block]) -> String {
    format!("{blocks:?}")
}

// =============================================================================================
// front matter
// =============================================================================================

#[test]
fn every_broken_front_matter_is_reported_in_one_run_with_file_line_and_column() {
    let blog = Blog::new();
    let unclosed = blog.raw(
        "a-unclosed.md",
        b"---\ntitle: A\ndate: 2020-01-01\n\nbody\n",
    );
    let yaml = blog.raw(
        "b-yaml.md",
        b"---\ntitle: \"never closed\ndate: 2020-01-01\n---\nbody\n",
    );
    let tabs = blog.raw(
        "c-tabs.md",
        b"---\ntitle: T\ndate: 2020-01-01\nmeta:\n  b:\n  \tc: 1\n---\nbody\n",
    );
    let toml = blog.raw(
        "d-toml.md",
        b"+++\ntitle = \"T\"\ndate = 2020-01-01\ntags = [\"a\"\n+++\nbody\n",
    );
    let json = blog.raw(
        "e-json.md",
        b"{\n\"title\": \"T\",\n\"date\": \"2020-01-01\",,\n}\n;;;\nbody\n",
    );
    blog.post("f-good", "Good", "fine\n");
    let (book, diags) = blog.collect();
    // The book of the post that can be read is still made.
    let book = book.unwrap_or_else(|e| panic!("{e}: {diags:#?}"));
    assert_eq!(book.posts.len(), 1);
    assert_eq!(book.left_out, 5);
    for path in [&unclosed, &yaml, &tabs, &toml, &json] {
        let found = about(&diags, path);
        assert_eq!(found.len(), 1, "{}: {diags:#?}", path.display());
        let d = found[0];
        assert_eq!(d.severity, Severity::Error);
        assert!(d.line.is_some(), "no line: {d}");
        assert!(d.message.contains("front matter"), "{d}");
    }
    // The parsers that know the column say it.
    let yaml_error = about(&diags, &yaml)[0];
    assert!(yaml_error.column.is_some(), "{yaml_error:?}");
    assert!(about(&diags, &unclosed)[0].line == Some(1));
}

#[test]
fn wrong_types_are_errors_naming_the_field() {
    let blog = Blog::new();
    let title = blog.raw("a.md", b"---\ntitle: [a, b]\ndate: 2020-01-01\n---\nx\n");
    let tags = blog.raw(
        "c.md",
        b"---\ntitle: C\ndate: 2020-01-01\ntags: {x: 1}\n---\nx\n",
    );
    let (book, diags) = blog.collect();
    assert!(
        matches!(book, Err(Error::Invalid { count: 2 })),
        "{diags:#?}"
    );
    for (path, field) in [(&title, "title"), (&tags, "tags")] {
        let found = about(&diags, path);
        assert_eq!(found.len(), 1, "{diags:#?}");
        assert!(
            found[0].message.contains(field) && found[0].line.is_some(),
            "{} should name `{field}` and a line: {}",
            path.display(),
            found[0]
        );
    }
}

#[test]
fn a_date_hexo_cannot_read_builds_with_a_warning_and_the_file_name_date() {
    // A typo for 2020 that Hexo reads as the year 202, and a word: Hexo builds both.
    let blog = Blog::new();
    let typo = blog.raw(
        "2020-02-23-typo.md",
        b"---\ntitle: A\ndate: 202-02-23 20:49:45\n---\nx\n",
    );
    let word = blog.raw("b.md", b"---\ntitle: B\n\ndate: tomorrow\n---\ny\n");
    let (book, diags) = blog.collect();
    let book = book.unwrap_or_else(|e| panic!("{e}: {diags:#?}"));
    assert_eq!(book.posts.len(), 2);
    for (path, line) in [(&typo, 3), (&word, 4)] {
        let found = about(&diags, path);
        assert_eq!(found.len(), 1, "{diags:#?}");
        assert_eq!(found[0].severity, Severity::Warning);
        assert_eq!(found[0].line, Some(line));
        assert!(found[0].message.contains("field 'date'"), "{}", found[0]);
    }
    let typo_post = book.posts.iter().find(|p| p.title == "A").expect("post A");
    assert_eq!(
        typo_post.date.date().to_string(),
        "2020-02-23",
        "the file name's date"
    );
}

// =============================================================================================
// encodings and odd characters
// =============================================================================================

#[test]
fn gbk_and_utf16_posts_are_read_with_a_warning_naming_the_encoding() {
    let blog = Blog::new();
    let text = "---\ntitle: 旧文\ndate: 2010-01-01\n---\n十年前的中文博客。\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let gbk_path = blog.raw("gbk.md", &gbk);
    let mut utf16 = vec![0xFF, 0xFE];
    // Another post (the same text twice would be one post and its copy).
    let text = text.replace("博客。", "博客，又一篇。");
    for unit in text.encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    let utf16_path = blog.raw("utf16.md", &utf16);
    let (book, docs, diags) = blog.parse();
    assert_eq!(book.posts.len(), 2);
    for (post, doc) in book.posts.iter().zip(&docs) {
        assert_eq!(post.title, "旧文");
        assert!(all_text(&doc.blocks).contains("十年前的中文博客"));
    }
    let gbk_warning = about(&diags, &gbk_path);
    assert!(
        gbk_warning.iter().any(|d| d.message.contains("GB18030")),
        "{diags:#?}"
    );
    let utf16_warning = about(&diags, &utf16_path);
    assert!(
        utf16_warning.iter().any(|d| d.message.contains("UTF-16")),
        "{diags:#?}"
    );
}

#[test]
fn bytes_of_no_known_encoding_are_an_error_with_the_byte_offset() {
    let blog = Blog::new();
    let mut bytes = b"---\ntitle: T\ndate: 2020-01-01\n---\nok\n".to_vec();
    let offset = bytes.len();
    bytes.extend([0xFF, 0xFF, b'\n']);
    let path = blog.raw("bad.md", &bytes);
    let (book, diags) = blog.collect();
    assert!(matches!(book, Err(Error::Invalid { count: 1 })));
    let found = about(&diags, &path);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains(&format!("offset {offset}")),
        "{}",
        found[0]
    );
    assert_eq!(found[0].line, Some(6));
}

#[test]
fn bom_crlf_tabs_full_width_spaces_and_zero_width_characters_just_work() {
    let blog = Blog::new();
    let text = "\u{FEFF}---\r\ntitle: 标题\r\ndate: 2020-01-01\r\ntags: [甲]\r\n---\r\n\
                第一段\u{3000}有全角空格，\t有制表符，有零宽\u{200B}字符。\r\n\r\n第二段。\r\n";
    let path = blog.raw("odd.md", text.as_bytes());
    let (book, docs, diags) = blog.parse();
    assert!(about(&diags, &path).is_empty(), "{diags:#?}");
    assert_eq!(book.posts[0].title, "标题");
    assert_eq!(book.posts[0].tags, vec!["甲".to_string()]);
    let paragraphs: Vec<&Block> = docs[0]
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Paragraph(_)))
        .collect();
    assert_eq!(paragraphs.len(), 2, "{:#?}", docs[0].blocks);
    let shown = all_text(&docs[0].blocks);
    assert!(!shown.contains('\r'), "{shown}");
    assert!(shown.contains("第二段"), "{shown}");
    // And a whole run writes both books without a word.
    let (output, out) = blog.run(&["-q"]);
    success(&output);
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
    let page = first_post_xhtml(out.path());
    assert!(page.contains("第一段\u{3000}有全角空格"), "{page}");
}

#[test]
fn control_characters_are_dropped_with_a_warning_naming_file_and_line() {
    let blog = Blog::new();
    let path = blog.post("ctl", "T", "第一行\n\n有\u{0}空\u{8}字\u{1B}符\n");
    let (output, out) = blog.run(&[]);
    success(&output);
    let err = stderr(&output);
    assert!(
        err.contains(&format!("{}:7", path.display())),
        "warning should name {}:7:\n{err}",
        path.display()
    );
    let page = first_post_xhtml(out.path());
    assert!(page.contains("有空字符"), "{page}");
    assert!(!page.contains(['\u{0}', '\u{8}', '\u{1B}']));
    let pdf = std::fs::read(book_file(out.path(), "pdf")).expect("pdf");
    assert!(pdf.starts_with(b"%PDF"));
}

// =============================================================================================
// missing metadata, leftovers, duplicates, empty posts
// =============================================================================================

#[test]
fn title_and_date_come_from_the_file_name_with_a_warning() {
    let blog = Blog::new();
    let path = blog.raw("2016-05-19-hello-world.md", b"just text\n");
    let (book, diags) = blog.collect();
    let book = book.expect("book");
    let post = &book.posts[0];
    assert_eq!(post.title, "hello-world");
    assert_eq!(post.date.date(), jiff::civil::date(2016, 5, 19));
    let found = about(&diags, &path);
    assert!(found.iter().any(|d| d.message.contains("title")));
    assert!(found.iter().any(|d| d.message.contains("date")));
    assert!(warnings(&diags).len() == diags.len());
}

#[test]
fn editor_leftovers_are_never_posts() {
    let blog = Blog::new();
    blog.post("real", "Real", "正文\n");
    let conflict = blog.post("real_DownloadConflict", "Conflict", "冲突副本\n");
    blog.raw(
        "real.md~",
        b"---\ntitle: Backup\n---\n\xE5\xA4\x87\xE4\xBB\xBD\n",
    );
    blog.raw(".#real.md", b"---\ntitle: Lock\n---\nlock\n");
    let (book, diags) = blog.collect();
    let book = book.expect("book");
    let titles: Vec<&str> = book.posts.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, vec!["Real"]);
    assert!(
        about(&diags, &conflict)
            .iter()
            .any(|d| d.severity == Severity::Warning),
        "{diags:#?}"
    );
}

#[test]
fn a_copy_of_a_post_goes_in_once_with_a_warning_naming_both() {
    let blog = Blog::new();
    let post = "---\ntitle: 同一篇\ndate: 2020-01-01\n---\n完全相同的正文。\n";
    let first = blog.raw("a/post.md", post);
    let copy = blog.raw("b/post.md", post);
    let (book, diags) = blog.collect();
    let book = book.expect("book");
    assert_eq!(book.posts.len(), 1);
    assert_eq!(book.posts[0].path, first);
    let found = about(&diags, &copy);
    assert_eq!(found.len(), 1, "{diags:#?}");
    assert!(
        found[0].message.contains(&first.display().to_string()),
        "{}",
        found[0]
    );
    // --keep-duplicates keeps both.
    let overrides = inkstone::config::Overrides {
        keep_duplicates: true,
        ..Default::default()
    };
    let config = inkstone::config::load(blog.root(), &overrides).expect("configuration");
    let kept =
        inkstone::collect::collect(&config, &inkstone::diag::Diagnostics::new()).expect("book");
    assert_eq!(kept.posts.len(), 2);
}

#[test]
fn the_same_post_twice_is_flagged_and_kept_in_a_fixed_order() {
    let blog = Blog::new();
    let body = "完全相同的正文。\n";
    let first = blog.post("copy-a", "甲", body);
    let second = blog.post("copy-b", "乙", body);
    let (book, diags) = blog.collect();
    let book = book.expect("book");
    let warned: Vec<&Diagnostic> = warnings(&diags)
        .into_iter()
        .filter(|d| d.message.contains("same") || d.message.contains("duplicate"))
        .collect();
    assert!(
        !warned.is_empty(),
        "two posts with the same body must be flagged: {diags:#?}"
    );
    let named: String = warned.iter().map(|d| d.to_string()).collect();
    assert!(
        named.contains(&first.display().to_string()) || named.contains("copy-a"),
        "{named}"
    );
    assert!(
        named.contains(&second.display().to_string()) || named.contains("copy-b"),
        "{named}"
    );
    // Deterministic: the same blog, the same order, every time.
    let (again, _) = blog.collect();
    let order = |b: &Book| b.posts.iter().map(|p| p.title.clone()).collect::<Vec<_>>();
    assert_eq!(order(&book), order(&again.expect("book")));
}

#[test]
fn duplicate_abbrlinks_and_titles_are_flagged() {
    let blog = Blog::new();
    blog.raw(
        "a.md",
        "---\ntitle: 同名\ndate: 2020-01-01\nabbrlink: abc\n---\n第一篇\n".as_bytes(),
    );
    blog.raw(
        "b.md",
        "---\ntitle: 同名\ndate: 2020-01-02\nabbrlink: abc\n---\n第二篇\n".as_bytes(),
    );
    let (book, diags) = blog.collect();
    let book = book.expect("book");
    assert_eq!(book.posts.len(), 2, "both posts stay in the book");
    let text: Vec<String> = warnings(&diags).iter().map(|d| d.to_string()).collect();
    let text = text.join("\n");
    assert!(text.contains("abbrlink"), "{text}");
    assert!(text.contains("title"), "{text}");
}

#[test]
fn empty_posts_and_posts_with_only_front_matter_are_warned_about() {
    let blog = Blog::new();
    blog.post("real", "Real", "正文\n");
    let empty = blog.raw("empty.md", b"");
    let front_only = blog.raw("front.md", b"---\ntitle: Front\ndate: 2020-01-01\n---\n");
    let (book, diags) = blog.collect();
    book.expect("book");
    for path in [&empty, &front_only] {
        assert!(
            about(&diags, path)
                .iter()
                .any(|d| d.severity == Severity::Warning && d.message.contains("empty")),
            "{}: {diags:#?}",
            path.display()
        );
    }
}

#[test]
fn a_blog_with_no_posts_is_a_clear_error() {
    let blog = Blog::new();
    let (output, out) = blog.run(&[]);
    failure(&output);
    let err = stderr(&output);
    assert!(err.contains("no posts"), "{err}");
    assert!(err.contains("source/_posts"), "{err}");
    assert_eq!(std::fs::read_dir(out.path()).expect("out").count(), 0);
}

// =============================================================================================
// images and paths
// =============================================================================================

#[test]
fn missing_and_refused_images_become_placeholders_with_a_warning() {
    let blog = Blog::new();
    std::fs::write(blog.root().join("outside.png"), b"not read").expect("outside");
    let escape = std::env::temp_dir().join("inkstone-bad-input-secret.png");
    std::fs::write(&escape, b"secret").expect("secret");
    #[cfg(unix)]
    {
        let link = blog.root().join("source/images/link.png");
        std::fs::create_dir_all(link.parent().expect("images")).expect("images");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&escape, &link).expect("symlink");
    }
    let path = blog.post(
        "img",
        "Img",
        "缺图：![缺失的图](nowhere.png)\n\n\
         {% asset_img ../../../../etc/passwd 密码 %}\n\n\
         ![上级](/../../outside.png)\n\n\
         ![链接](/images/link.png)\n",
    );
    let (_, docs, diags) = blog.parse();
    let found = about(&diags, &path);
    assert!(found.len() >= 3, "{diags:#?}");
    let debug = all_text(&docs[0].blocks);
    assert!(!debug.contains("root:"), "{debug}");
    assert!(!debug.contains("secret"), "{debug}");
    let (output, out) = blog.run(&["--format", "epub"]);
    success(&output);
    let files = epub_files(&book_file(out.path(), "epub"));
    for (name, text) in &files {
        assert!(!text.contains("root:x:0:0"), "{name} holds /etc/passwd");
        assert!(
            !text.contains("secret"),
            "{name} holds a file outside the blog"
        );
        assert!(
            !text.contains("not read"),
            "{name} holds a file outside source/"
        );
    }
    let page = epub_file(&files, "post-0001.xhtml");
    assert!(page.contains("缺失的图"), "the alt text stays: {page}");
}

#[test]
fn remote_images_are_kept_as_links_not_downloaded() {
    let blog = Blog::new();
    // An address nothing answers on: a download would fail or hang.
    blog.post("remote", "Remote", "![远程图](http://192.0.2.1/a.png)\n");
    let started = Instant::now();
    let (output, out) = blog.run(&["--format", "epub"]);
    success(&output);
    assert!(started.elapsed() < Duration::from_secs(60));
    let page = first_post_xhtml(out.path());
    assert!(page.contains("http://192.0.2.1/a.png"), "{page}");
    assert!(!page.contains("<img src=\"http"), "{page}");
    assert!(page.contains("远程图"), "{page}");
}

// =============================================================================================
// hostile HTML
// =============================================================================================

#[test]
fn scripts_frames_styles_handlers_and_javascript_links_never_reach_the_epub() {
    let blog = Blog::new();
    let path = blog.post(
        "hostile",
        "Hostile",
        "正文<script>alert('s1')</script>结束\n\n\
         <script>\nalert('s2')\n</script>\n\n\
         <style>p { display: none }</style>\n\n\
         <iframe src=\"http://evil.example/frame\" onload=\"alert('f')\"></iframe>\n\n\
         <p onmouseover=\"alert('p')\" style=\"x\">段落</p>\n\n\
         <a href=\"javascript:alert('a')\" onclick=\"alert('c')\">链接一</a>\n\n\
         [链接二](javascript:alert('m'))\n\n\
         <img src=\"x.png\" onerror=\"alert('i')\" alt=\"图\">\n\n\
         <div onclick=\"alert('d')\"><span onfocus=\"alert('sp')\">块</span></div>\n",
    );
    let (output, out) = blog.run(&["--format", "epub"]);
    success(&output);
    let err = stderr(&output);
    for tag in ["<script>", "<style>"] {
        assert!(err.contains(tag), "no warning for {tag}:\n{err}");
    }
    assert!(err.contains(&path.display().to_string()));
    let files = epub_files(&book_file(out.path(), "epub"));
    for (name, text) in &files {
        if !name.ends_with(".xhtml") {
            continue;
        }
        let lower = text.to_ascii_lowercase();
        for bad in [
            "<script",
            "<iframe",
            "<style",
            "javascript:",
            "alert(",
            "onload",
            "onclick",
            "onerror",
            "onmouseover",
            "onfocus",
        ] {
            assert!(!lower.contains(bad), "{name} holds {bad}:\n{text}");
        }
        // No attribute named on… at all, whatever its case.
        let doc = xml(text).expect("well-formed");
        for node in doc.descendants() {
            for attr in node.attributes() {
                assert!(
                    !attr.name().to_ascii_lowercase().starts_with("on"),
                    "{name}: attribute {} on <{}>",
                    attr.name(),
                    node.tag_name().name()
                );
            }
        }
    }
    let page = epub_file(&files, "post-0001.xhtml");
    for kept in ["正文", "结束", "段落", "链接一", "链接二", "块"] {
        assert!(page.contains(kept), "text {kept} lost:\n{page}");
    }
}

#[test]
fn javascript_links_are_reported() {
    let blog = Blog::new();
    blog.post(
        "js",
        "Js",
        "[点我](javascript:alert(1))\n\n<a href=\"javascript:void(0)\">也点我</a>\n",
    );
    let (_, _, diags) = blog.parse();
    let text: Vec<String> = warnings(&diags).iter().map(|d| d.to_string()).collect();
    assert_eq!(
        text.iter().filter(|t| t.contains("javascript:")).count(),
        2,
        "{text:#?}"
    );
}

#[test]
fn markup_characters_in_titles_and_text_are_escaped_everywhere() {
    let blog = Blog::with_config("title: \"书 <b> & ]]> 名\"\nauthor: \"作者 <i> & ]]>\"\n");
    blog.raw(
        "esc.md",
        "---\ntitle: \"标题 <em>x</em> & ]]> 完\"\ndate: 2020-01-01\ntags: [\"<t> & ]]>\"]\n---\n\
         正文 a < b && c > d ]]> 与 `<code> & ]]>`。\n"
            .as_bytes(),
    );
    let (output, out) = blog.run(&[]);
    success(&output);
    let files = epub_files(&book_file(out.path(), "epub"));
    for (name, text) in &files {
        let is_xml = [".xhtml", ".opf", ".ncx", ".xml"]
            .iter()
            .any(|e| name.ends_with(e));
        if is_xml {
            xml(text).unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}\n{text}"));
        }
    }
    let text_of = |suffix: &str| {
        let raw = epub_file(&files, suffix);
        let doc = xml(&raw).expect("xml");
        doc.descendants()
            .filter(|n| n.is_text())
            .map(|n| n.text().unwrap_or(""))
            .collect::<String>()
    };
    assert!(text_of("post-0001.xhtml").contains("标题 <em>x</em> & ]]> 完"));
    assert!(text_of("post-0001.xhtml").contains("正文 a < b && c > d ]]> 与"));
    assert!(text_of("post-0001.xhtml").contains("<code> & ]]>"));
    assert!(text_of("toc.ncx").contains("标题 <em>x</em> & ]]> 完"));
    assert!(text_of("toc.ncx").contains("书 <b> & ]]> 名"));
    assert!(text_of("content.opf").contains("书 <b> & ]]> 名"));
    assert!(text_of("content.opf").contains("作者 <i> & ]]>"));
    assert!(text_of("nav.xhtml").contains("标题 <em>x</em> & ]]> 完"));
    // The PDF's metadata, as a PDF reader shows it.
    let pdf = book_file(out.path(), "pdf");
    if let Some(pdfinfo) = find_tool("pdfinfo", "apt-get install poppler-utils") {
        let info = std::process::Command::new(pdfinfo)
            .arg(&pdf)
            .output()
            .expect("pdfinfo");
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(info.contains("书 <b> & ]]> 名"), "{info}");
        assert!(info.contains("作者 <i> & ]]>"), "{info}");
    }
}

// =============================================================================================
// --strict, output faults, fonts
// =============================================================================================

#[test]
fn strict_turns_warnings_into_an_error_and_writes_nothing() {
    let blog = Blog::new();
    blog.post("w", "W", "![缺](missing.png)\n");
    let (output, out) = blog.run(&["--strict"]);
    failure(&output);
    let err = stderr(&output);
    assert!(err.contains("--strict"), "{err}");
    assert!(err.contains("missing.png"), "{err}");
    assert_eq!(std::fs::read_dir(out.path()).expect("out").count(), 0);
    let (output, _) = blog.run(&["-q"]);
    success(&output);
}

#[test]
fn a_post_that_cannot_be_read_is_left_out_of_a_book_that_is_still_written() {
    let blog = Blog::new();
    blog.post("good", "好的", "正文。\n");
    // An unpublished post is left out on purpose: no error.
    blog.raw("hidden.md", b"---\ntitle: H\npublished: false\n---\nbody\n");
    let bad = blog.raw("bad.md", b"---\ntitle: \"never closed\n---\nbody\n");
    let (output, out) = blog.run(&[]);
    failure(&output);
    let err = stderr(&output);
    assert!(err.contains(&format!("{}:", bad.display())), "{err}");
    assert!(err.contains("1 post left out"), "{err}");
    assert!(
        err.contains("1 post,"),
        "the summary counts the book's posts: {err}"
    );
    assert_eq!(std::fs::read_dir(out.path()).expect("out").count(), 2);
    // --strict keeps all or nothing.
    let (output, out) = blog.run(&["--strict"]);
    failure(&output);
    assert_eq!(std::fs::read_dir(out.path()).expect("out").count(), 0);
}

#[test]
fn check_reports_as_compile_does_and_writes_nothing() {
    let blog = Blog::new();
    blog.post("w", "W", "![缺](missing.png)\n");
    let out = TempDir::new().expect("output folder");
    let output = common::inkstone()
        .arg("check")
        .arg(blog.root())
        .arg("-o")
        .arg(out.path())
        .output()
        .expect("run inkstone");
    success(&output);
    let err = stderr(&output);
    assert!(err.contains("missing.png"), "{err}");
    assert!(err.contains("checked (not written)"), "{err}");
    assert!(err.contains("1 post,"), "{err}");
    assert_eq!(std::fs::read_dir(out.path()).expect("out").count(), 0);
}

#[test]
fn init_writes_a_book_toml_with_the_parts_and_never_overwrites_one() {
    let blog = Blog::new();
    blog.raw(
        "a.md",
        "---\ntitle: 一\ndate: 2020-01-01\ncategories: [读书]\n---\n正文一。\n",
    );
    blog.raw(
        "b.md",
        "---\ntitle: 二\ndate: 2021-01-01\ncategories: [读书, 小说]\n---\n正文二。\n",
    );
    let init = || {
        common::inkstone()
            .arg("init")
            .arg(blog.root())
            .output()
            .expect("run inkstone")
    };
    success(&init());
    let written = std::fs::read_to_string(blog.root().join("book.toml")).expect("book.toml");
    assert!(written.contains("\"读书\",  # 2 posts"), "{written}");
    // What it wrote is a book.toml inkstone reads.
    let out = TempDir::new().expect("output folder");
    success(&compile(blog.root(), out.path(), &["-q"]));
    let output = init();
    failure(&output);
    assert!(
        stderr(&output).contains("never overwrites"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(blog.root().join("book.toml")).expect("book.toml"),
        written
    );
}

#[test]
fn completions_and_the_manual_page_come_from_the_arguments() {
    let run = |args: &[&str]| {
        let output = common::inkstone()
            .args(args)
            .output()
            .expect("run inkstone");
        success(&output);
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    for shell in ["bash", "zsh", "fish"] {
        let script = run(&["completions", shell]);
        assert!(script.contains("inkstone"), "{shell}: {script}");
        assert!(script.contains("keep-duplicates"), "{shell}: {script}");
    }
    let man = run(&["man"]);
    assert!(man.contains(".TH inkstone"), "{man}");
    assert!(man.contains("compile"), "{man}");
}

#[test]
fn strict_also_counts_warnings_from_typesetting() {
    let blog = Blog::new();
    // No shipped font has a private-use character: only the PDF stage notices.
    blog.post("pua", "PUA", "一个符号 \u{F0001} 在这里。\n");
    let (output, out) = blog.run(&["--strict"]);
    failure(&output);
    let err = stderr(&output);
    assert!(err.contains("U+F0001"), "{err}");
    assert_eq!(
        std::fs::read_dir(out.path()).expect("out").count(),
        0,
        "neither EPUB nor PDF written"
    );
}

#[test]
fn an_output_folder_that_cannot_be_made_is_an_error_and_leaves_nothing() {
    let blog = Blog::new();
    blog.post("p", "P", "正文\n");
    let place = TempDir::new().expect("temp");
    // A regular file where the output folder's parent should be: even root cannot write there.
    let blocker = place.path().join("file");
    std::fs::write(&blocker, b"a file").expect("blocker");
    let output = compile(blog.root(), &blocker.join("book"), &["--format", "epub"]);
    failure(&output);
    let err = stderr(&output);
    assert!(err.contains("error"), "{err}");
    assert!(err.contains(&blocker.display().to_string()), "{err}");
    let left: Vec<_> = std::fs::read_dir(place.path())
        .expect("place")
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("file")]);
    assert_eq!(std::fs::read(&blocker).expect("blocker"), b"a file");
}

#[test]
fn a_failed_run_leaves_the_older_book_intact_and_no_partial_file() {
    let blog = Blog::new();
    blog.post("p", "P", "正文\n");
    let out = TempDir::new().expect("out");
    let first = compile(blog.root(), out.path(), &["-q"]);
    success(&first);
    let epub = book_file(out.path(), "epub");
    let pdf = book_file(out.path(), "pdf");
    let old_epub = std::fs::read(&epub).expect("epub");
    let old_pdf = std::fs::read(&pdf).expect("pdf");
    // Now a broken font: the run fails after reading the posts.
    std::fs::write(blog.root().join("broken.ttf"), b"this is no font").expect("font");
    std::fs::write(
        blog.root().join("book.toml"),
        "[fonts]\nbody = \"broken.ttf\"\n",
    )
    .expect("book.toml");
    blog.post("p", "P", "改过的正文\n");
    let second = compile(blog.root(), out.path(), &[]);
    failure(&second);
    assert_eq!(std::fs::read(&epub).expect("epub"), old_epub);
    assert_eq!(std::fs::read(&pdf).expect("pdf"), old_pdf);
    let names: Vec<String> = std::fs::read_dir(out.path())
        .expect("out")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    assert_eq!(names.len(), 2, "only the two old books: {names:?}");
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("folder")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

/// A blog, its books already built once in `out`, and their bytes.
fn blog_with_a_book(posts: usize) -> (Blog, TempDir, Vec<(PathBuf, Vec<u8>)>) {
    let blog = Blog::new();
    let paragraph = "十年的博客里什么都有：旧文件、坏图片、从各处粘贴来的网页。".repeat(12);
    for i in 0..posts {
        blog.post(
            &format!("p{i:03}"),
            &format!("第{i}篇"),
            &format!("{paragraph}\n\n{paragraph}\n"),
        );
    }
    let out = TempDir::new().expect("out");
    success(&compile(blog.root(), out.path(), &["-q"]));
    let books = names_in(out.path())
        .into_iter()
        .map(|name| {
            let path = out.path().join(name);
            let bytes = std::fs::read(&path).expect("book");
            (path, bytes)
        })
        .collect();
    (blog, out, books)
}

/// The names and bytes of the books in `out`.
fn books_in(out: &Path) -> Vec<(String, Vec<u8>)> {
    names_in(out)
        .into_iter()
        .map(|name| {
            let bytes = std::fs::read(out.join(&name)).expect("book");
            (name, bytes)
        })
        .collect()
}

fn as_named(books: &[(PathBuf, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
    books
        .iter()
        .map(|(p, b)| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            (name.unwrap_or_default(), b.clone())
        })
        .collect()
}

fn assert_books_unchanged(out: &Path, books: &[(PathBuf, Vec<u8>)]) {
    let now = books_in(out);
    let names: Vec<&String> = now.iter().map(|(n, _)| n).collect();
    assert!(
        now == as_named(books),
        "only the older books, unchanged: {names:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_full_disk_is_an_error_naming_the_file_and_the_older_book_stays() {
    let (blog, out, books) = blog_with_a_book(3);
    blog.post("p000", "改过", "改过的正文。\n");
    // The shell lets no file grow past 64 blocks (at most 64 KiB), as a full disk would stop
    // it; with SIGXFSZ ignored the write fails with an error instead of killing the process.
    let script = "trap '' XFSZ; ulimit -f 64; exec \"$0\" compile \"$1\" -o \"$2\"";
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_inkstone"))
        .arg(blog.root())
        .arg(out.path())
        .output()
        .expect("run through sh");
    failure(&output);
    let err = stderr(&output);
    assert!(
        err.contains(&out.path().display().to_string()),
        "the file is named: {err}"
    );
    assert!(err.contains("too large") || err.contains("space"), "{err}");
    assert_books_unchanged(out.path(), &books);
}

#[cfg(unix)]
#[test]
fn ctrl_c_at_any_moment_leaves_the_older_books_or_the_new_ones_never_a_mix() {
    let (blog, out, old) = blog_with_a_book(40);
    blog.post("p000", "改过", "改过的正文。\n");
    // What a whole run gives now (the same blog always gives the same bytes).
    let fresh = TempDir::new().expect("fresh");
    success(&compile(blog.root(), fresh.path(), &["-q"]));
    let new = books_in(fresh.path());
    let old = as_named(&old);
    assert_ne!(new, old);
    let mut interrupted = 0;
    for delay_ms in [0, 100, 250, 450, 700] {
        let mut child = common::inkstone()
            .arg("compile")
            .arg(blog.root())
            .arg("-o")
            .arg(out.path())
            .arg("-v")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start inkstone");
        // The first step it prints comes after the interrupt handler is installed.
        let mut err_pipe = BufReader::new(child.stderr.take().expect("stderr"));
        let mut err = String::new();
        err_pipe.read_line(&mut err).expect("first step");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = std::process::Command::new("kill")
            .arg("-INT")
            .arg(child.id().to_string())
            .status();
        err_pipe.read_to_string(&mut err).expect("the rest");
        let status = child.wait().expect("wait");
        let now = books_in(out.path());
        let names: Vec<&String> = now.iter().map(|(n, _)| n).collect();
        if now == new {
            // Finished, or interrupted once the new books were in place: nothing more to try.
            assert!(
                status.success() || err.contains("already complete"),
                "{err}"
            );
            break;
        }
        assert!(
            now == old,
            "the older books, unchanged, and nothing else: {names:?}"
        );
        assert_eq!(status.code(), Some(130), "{err}");
        assert!(err.contains("interrupted: no book was written"), "{err}");
        interrupted += 1;
    }
    assert!(interrupted > 0, "no run was interrupted");
}

#[test]
fn a_broken_or_missing_font_named_in_book_toml_is_an_error_naming_the_file() {
    let blog = Blog::new();
    blog.post("p", "P", "正文\n");
    std::fs::write(blog.root().join("broken.ttf"), b"this is no font").expect("font");
    for (font, name) in [("broken.ttf", "broken.ttf"), ("fonts/none.otf", "none.otf")] {
        std::fs::write(
            blog.root().join("book.toml"),
            format!("[fonts]\nheading = \"{font}\"\n"),
        )
        .expect("book.toml");
        let (output, out) = blog.run(&[]);
        failure(&output);
        let err = stderr(&output);
        assert!(err.contains(name), "{font}: {err}");
        assert_eq!(std::fs::read_dir(out.path()).expect("out").count(), 0);
    }
}

// =============================================================================================
// sizes: deep nesting, long paragraphs, long addresses
// =============================================================================================

/// Runs the binary on one post of `body`, both formats; returns the time it took and the
/// output folder.
fn run_big(body: &str) -> (Duration, String, TempDir, Blog) {
    let blog = Blog::new();
    blog.post("big", "Big", body);
    let started = Instant::now();
    let (output, out) = blog.run(&[]);
    let took = started.elapsed();
    success(&output);
    (took, stderr(&output), out, blog)
}

#[test]
fn ten_thousand_nested_quotes_are_set_without_overflowing_the_stack() {
    let body = format!("{}最深处的话\n", "> ".repeat(10_000));
    let (_, err, out, _) = run_big(&body);
    assert!(err.contains("nested"), "{err}");
    let page = first_post_xhtml(out.path());
    assert!(page.contains("最深处的话"));
    let depth = page.matches("<blockquote").count();
    assert!(depth <= 8, "{depth} levels of quotes");
    if let Some(pdftotext) = find_tool("pdftotext", "apt-get install poppler-utils") {
        let text = std::process::Command::new(pdftotext)
            .arg(book_file(out.path(), "pdf"))
            .arg("-")
            .output()
            .expect("pdftotext");
        assert!(String::from_utf8_lossy(&text.stdout).contains("最深处的话"));
    }
}

#[test]
fn ten_thousand_nested_lists_are_set_without_overflowing_the_stack() {
    let body = format!("{}最深处的项\n", "- ".repeat(10_000));
    let (_, err, out, _) = run_big(&body);
    assert!(err.contains("nested"), "{err}");
    let page = first_post_xhtml(out.path());
    assert!(page.contains("最深处的项"));
    assert!(page.matches("<ul").count() <= 8);
    if let Some(pdftotext) = find_tool("pdftotext", "apt-get install poppler-utils") {
        let text = std::process::Command::new(pdftotext)
            .arg(book_file(out.path(), "pdf"))
            .arg("-")
            .output()
            .expect("pdftotext");
        assert!(String::from_utf8_lossy(&text.stdout).contains("最深处的项"));
    }
}

#[test]
fn nesting_within_the_limit_is_kept_without_a_warning() {
    let blog = Blog::new();
    let path = blog.post("q", "Q", &format!("{}八层\n", "> ".repeat(8)));
    let (_, docs, diags) = blog.parse();
    assert!(about(&diags, &path).is_empty(), "{diags:#?}");
    let mut depth = 0;
    let mut blocks = &docs[0].blocks;
    while let Some(Block::Quote { blocks: inner, .. }) = blocks.first() {
        depth += 1;
        blocks = inner;
    }
    assert_eq!(depth, 8);
}

#[test]
fn a_megabyte_paragraph_without_a_break_opportunity_is_laid_out_in_linear_time() {
    // Time a quarter and the whole: quadratic work would take 16 times as long, linear 4.
    let (quarter, _, _, _) = run_big(&format!("{}\n", "a".repeat(250_000)));
    let (whole, _, out, _) = run_big(&format!("{}\n", "a".repeat(1_000_000)));
    eprintln!("250 KB: {quarter:?}, 1 MB: {whole:?}");
    assert!(
        whole < quarter * 10,
        "1 MB took {whole:?}, 250 KB {quarter:?}: worse than linear"
    );
    let pdf = std::fs::read(book_file(out.path(), "pdf")).expect("pdf");
    assert!(pdf.len() > 1000);
}

#[test]
fn a_ten_thousand_character_address_is_broken_anywhere() {
    let url = format!("https://example.com/{}", "x".repeat(10_000));
    let (took, _, out, _) = run_big(&format!("见 {url} 完\n\n<{url}>\n"));
    eprintln!("10,000-character address: {took:?}");
    let page = first_post_xhtml(out.path());
    assert!(page.contains(&url));
    if let Some(pdftotext) = find_tool("pdftotext", "apt-get install poppler-utils") {
        let text = std::process::Command::new(pdftotext)
            .arg(book_file(out.path(), "pdf"))
            .arg("-")
            .output()
            .expect("pdftotext");
        let text = String::from_utf8_lossy(&text.stdout);
        let xs = text.matches('x').count();
        assert!(xs >= 20_000, "{xs} of 20,000 x's shown");
    }
}

#[test]
fn deep_html_quotes_lists_inline_styles_and_tag_plugins_are_set_without_overflow() {
    let blog = Blog::new();
    let n = 10_000;
    let posts = [
        (
            "a-html-quotes",
            format!(
                "{}深引一{}\n",
                "<blockquote>".repeat(n),
                "</blockquote>".repeat(n)
            ),
        ),
        (
            "b-html-lists",
            format!("{}深列二{}\n", "<ul><li>".repeat(n), "</li></ul>".repeat(n)),
        ),
        (
            "c-inline-html",
            format!("前{}深粗三{}后\n", "<b>".repeat(n), "</b>".repeat(n)),
        ),
        (
            "d-emphasis",
            format!("前{}深斜四{}后\n", "*".repeat(n), "*".repeat(n)),
        ),
        (
            "e-spans",
            format!("<p>{}深五{}</p>\n", "<span>".repeat(n), "</span>".repeat(n)),
        ),
        (
            "f-notes",
            format!(
                "{}深注六\n{}",
                "{% note %}\n".repeat(2000),
                "{% endnote %}\n".repeat(2000)
            ),
        ),
    ];
    for (slug, body) in &posts {
        blog.post(slug, slug, body);
    }
    let started = Instant::now();
    let (output, out) = blog.run(&[]);
    eprintln!("six deeply nested posts: {:?}", started.elapsed());
    success(&output);
    let err = stderr(&output);
    assert!(err.contains("nested"), "{err}");
    let files = epub_files(&book_file(out.path(), "epub"));
    let xhtml: String = files
        .iter()
        .filter(|(n, _)| n.contains("post-"))
        .map(|(_, t)| t.as_str())
        .collect();
    for word in ["深引一", "深列二", "深粗三", "深斜四", "深五", "深注六"] {
        assert!(xhtml.contains(word), "{word} lost from the EPUB");
    }
    assert!(xhtml.matches("<blockquote").count() <= 8 + 8);
    if let Some(pdftotext) = find_tool("pdftotext", "apt-get install poppler-utils") {
        let text = std::process::Command::new(pdftotext)
            .arg(book_file(out.path(), "pdf"))
            .arg("-")
            .output()
            .expect("pdftotext");
        // Lines may break inside a word: look for it with the line ends taken out.
        let text: String = String::from_utf8_lossy(&text.stdout)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for word in ["深引一", "深列二", "深粗三", "深斜四", "深五", "深注六"] {
            assert!(text.contains(word), "{word} lost from the PDF");
        }
    }
}

#[test]
fn post_links_to_missing_posts_and_link_cycles_keep_their_text_with_a_warning() {
    let blog = Blog::new();
    let a = blog.post(
        "a",
        "甲",
        "{% post_link nothing-here 不存在的文章 %}\n\n{% post_link b 去乙 %}\n",
    );
    blog.post(
        "b",
        "乙",
        "{% post_link a 回甲 %}\n\n{% post_link b 自己 %}\n",
    );
    let (_, docs, diags) = blog.parse();
    let found = about(&diags, &a);
    assert!(
        found.iter().any(|d| d.message.contains("nothing-here")),
        "{diags:#?}"
    );
    let text = all_text(&docs[0].blocks) + &all_text(&docs[1].blocks);
    for kept in ["不存在的文章", "去乙", "回甲", "自己"] {
        assert!(text.contains(kept), "{kept} lost: {text}");
    }
    let (output, _) = blog.run(&["-q", "--format", "epub"]);
    success(&output);
}

#[test]
fn the_same_blog_gives_the_same_bytes_under_another_directory_time_zone_and_locale() {
    let blog = Blog::new();
    blog.post("a", "甲", "正文一。\n");
    blog.raw("2019-03-04-b.md", "没有日期的文章。\n".as_bytes());
    let run = |cwd: &Path, tz: &str, lang: &str| {
        let out = TempDir::new().expect("out");
        let output = common::inkstone()
            .current_dir(cwd)
            .env("TZ", tz)
            .env("LANG", lang)
            .env("LC_ALL", lang)
            .arg("compile")
            .arg(blog.root())
            .arg("-o")
            .arg(out.path())
            .arg("-q")
            .output()
            .expect("run inkstone");
        success(&output);
        let epub = std::fs::read(book_file(out.path(), "epub")).expect("epub");
        let pdf = std::fs::read(book_file(out.path(), "pdf")).expect("pdf");
        (epub, pdf)
    };
    let first = run(blog.root(), "UTC", "C");
    let elsewhere = TempDir::new().expect("cwd");
    let second = run(elsewhere.path(), "America/New_York", "de_DE.UTF-8");
    assert!(first.0 == second.0, "the EPUBs differ");
    assert!(first.1 == second.1, "the PDFs differ");
}

#[test]
fn control_characters_in_front_matter_are_dropped_with_a_warning_naming_the_field() {
    let blog = Blog::new();
    let path = blog.raw(
        "ctl.md",
        b"---\ntitle: \"\\u6807\\u9898\\b\\u5C3E\"\ndate: 2020-01-01\ntags: [\"\\a\\u7532\"]\n---\nx\n",
    );
    let (book, diags) = blog.collect();
    let book = book.expect("book");
    assert_eq!(book.posts[0].title, "标题尾");
    assert_eq!(book.posts[0].tags, vec!["甲".to_string()]);
    let found: Vec<String> = about(&diags, &path).iter().map(|d| d.to_string()).collect();
    assert!(found.iter().any(|d| d.contains("title")), "{found:#?}");
    assert!(found.iter().any(|d| d.contains("tags")), "{found:#?}");
}

#[test]
fn a_broken_or_wrong_cover_is_an_error_naming_the_file_and_nothing_is_written() {
    let blog = Blog::new();
    blog.post("p", "P", "正文\n");
    let mut png = Vec::new();
    image::RgbImage::new(60, 80)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("png");
    let cut = png[..png.len() / 2].to_vec();
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg' width='6' height='8'/>".to_vec();
    for (name, bytes, expected) in [
        (
            "cut.png",
            cut,
            "the cover cannot be used: its PNG data cannot be decoded",
        ),
        (
            "cover.svg",
            svg,
            "the cover is SVG; it must be a PNG or JPEG image",
        ),
    ] {
        blog.file(name, &bytes);
        blog.file("book.toml", format!("[book]\ncover = \"{name}\"\n"));
        let (output, out) = blog.run(&["--format", "epub"]);
        failure(&output);
        let err = stderr(&output);
        assert!(err.contains(name) && err.contains(expected), "{err}");
        assert_eq!(names_in(out.path()), Vec::<String>::new());
    }
    // A whole PNG is the cover, with its pixels.
    let cover_of = |file: &str, bytes: &[u8]| {
        blog.file(file, bytes);
        blog.file("book.toml", format!("[book]\ncover = \"{file}\"\n"));
        let (output, out) = blog.run(&["--format", "epub"]);
        success(&output);
        let entries = common::blog::epub_entries(&book_file(out.path(), "epub"));
        let (_, cover) = (entries.into_iter())
            .find(|(n, _)| n.contains("images/cover."))
            .expect("a cover in the EPUB");
        image::load_from_memory(&cover).expect("the cover decodes")
    };
    let cover = cover_of("cover.png", &png);
    assert_eq!(
        cover.to_rgb8(),
        image::load_from_memory(&png).unwrap().to_rgb8()
    );
    // A camera-sized one is scaled to 2560 px high for the EPUB.
    let mut photo = Vec::new();
    image::RgbImage::from_fn(2000, 3200, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    })
    .write_to(
        &mut std::io::Cursor::new(&mut photo),
        image::ImageFormat::Jpeg,
    )
    .expect("jpeg");
    let cover = cover_of("big.jpg", &photo);
    assert_eq!((cover.width(), cover.height()), (1600, 2560));
}
