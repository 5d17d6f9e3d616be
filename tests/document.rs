//! `document`: Markdown and Hexo tag plugins → the typed tree, with links and images resolved
//! and problems reported with file and line. Every post is built in a temporary blog.

mod common;

use std::path::PathBuf;

use inkstone::collect::Book;
use inkstone::diag::{Diagnostic, Severity};
use inkstone::document::{
    Alignment, Block, Document, Footnote, Image, ImageSource, Inline, InlineStyle, LinkTarget,
    ListItem, QuoteStyle,
};

use common::blog::Blog;
use tempfile::TempDir;

// ---- helpers ------------------------------------------------------------------------------

const PIXEL_PNG: &[u8] = include_bytes!("fixtures/pixel.png");

/// Front matter of four lines: a post's body starts on line 5.
const FRONT_LINES: usize = 4;

/// A Hexo blog with post asset folders and `posts/:abbrlink/` permalinks.
fn blog() -> Blog {
    Blog::with_config(
        "url: https://example.com\nroot: /\npermalink: posts/:abbrlink/\npost_asset_folder: true\n",
    )
}

/// Collects and parses every post of `blog`.
fn parse(blog: &Blog) -> Parsed {
    let (book, docs, diags) = blog.parse();
    Parsed { book, docs, diags }
}

struct Parsed {
    book: Book,
    docs: Vec<Document>,
    diags: Vec<Diagnostic>,
}

impl Parsed {
    fn doc_of(&self, title: &str) -> &Document {
        let i = self.index_of(title);
        &self.docs[i]
    }

    fn index_of(&self, title: &str) -> usize {
        self.book
            .posts
            .iter()
            .position(|p| p.title == title)
            .unwrap_or_else(|| panic!("no post titled {title}"))
    }

    fn warnings(&self) -> Vec<&Diagnostic> {
        self.diags
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect()
    }

    /// Fails unless the only warning is at body line `line` of `path` and says each of
    /// `words`.
    fn assert_one_warning(&self, path: &std::path::Path, line: usize, words: &[&str]) {
        let warnings = self.warnings();
        assert_eq!(
            located(&warnings),
            vec![(Some(path.to_path_buf()), file_line(line))]
        );
        let message = &warnings[0].message;
        assert!(words.iter().all(|w| message.contains(w)), "{message}");
    }
}

/// One post (`测试`, path `source/_posts/test.md`) whose body starts on line 5.
fn one_post(body: &str) -> (Blog, Parsed, PathBuf) {
    let blog = blog();
    let path = blog.dated_post("test", "测试", "2020-01-01 10:00:00", body);
    let parsed = parse(&blog);
    (blog, parsed, path)
}

/// The blocks of a one-post blog with `body`; asserts there was no diagnostic.
fn blocks_of(body: &str) -> Vec<Block> {
    let (_blog, parsed, _) = one_post(body);
    assert!(
        parsed.diags.is_empty(),
        "unexpected diagnostics: {:#?}",
        parsed.diags
    );
    parsed.docs[0].blocks.clone()
}

/// Line `n` (1-based) of the body is line `n + FRONT_LINES` of the file.
fn file_line(body_line: usize) -> Option<usize> {
    Some(body_line + FRONT_LINES)
}

fn text(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

fn para(s: &str) -> Block {
    Block::Paragraph(vec![text(s)])
}

/// All warnings as (file, line, message).
fn located(diags: &[&Diagnostic]) -> Vec<(Option<PathBuf>, Option<usize>)> {
    diags.iter().map(|d| (d.file.clone(), d.line)).collect()
}

/// The only block of a list, else a panic showing them all.
fn single(blocks: Vec<Block>) -> Block {
    assert_eq!(blocks.len(), 1, "expected one block: {blocks:#?}");
    blocks.into_iter().next().unwrap_or(Block::Rule)
}

// ---- tag plugins ----------------------------------------------------------------------------

#[test]
fn asset_img_is_a_figure_from_the_post_asset_folder() {
    let blog = blog();
    blog.dated_post(
        "test",
        "测试",
        "2020-01-01 10:00:00",
        "{% asset_img garden.png 孩子画的后花园 %}\n",
    );
    let garden = blog.file("source/_posts/test/garden.png", PIXEL_PNG);
    let parsed = parse(&blog);
    assert!(parsed.diags.is_empty(), "{:#?}", parsed.diags);
    assert_eq!(
        parsed.docs[0].blocks,
        vec![Block::Figure {
            image: Image {
                source: ImageSource::File(garden),
                alt: "孩子画的后花园".into(),
                title: Some("孩子画的后花园".into()),
            },
            caption: vec![text("孩子画的后花园")],
        }]
    );
}

#[test]
fn post_link_links_to_the_named_post() {
    let blog = blog();
    blog.dated_post("early", "标点的位置", "2021-09-10 23:05:41", "标点。\n");
    blog.dated_post(
        "later",
        "开明式",
        "2022-02-14 20:10:00",
        "在 {% post_link early %} 那篇文章里。\n",
    );
    let parsed = parse(&blog);
    assert!(parsed.diags.is_empty(), "{:#?}", parsed.diags);
    let target = parsed.index_of("标点的位置");
    assert_eq!(
        parsed.doc_of("开明式").blocks,
        vec![Block::Paragraph(vec![
            text("在 "),
            Inline::Link {
                target: LinkTarget::Post {
                    index: target,
                    fragment: None
                },
                title: None,
                content: vec![text("标点的位置")],
            },
            text(" 那篇文章里。"),
        ])]
    );
}

#[test]
fn post_link_with_custom_text_uses_that_text() {
    let blog = blog();
    blog.dated_post("why-write", "为什么还要写", "2019-01-05 22:40:00", "写。\n");
    blog.dated_post(
        "notebooks",
        "本子",
        "2023-05-19 10:00:00",
        "见{% post_link why-write '为什么还要写作' %}。\n",
    );
    let parsed = parse(&blog);
    let target = parsed.index_of("为什么还要写");
    assert_eq!(
        parsed.doc_of("本子").blocks,
        vec![Block::Paragraph(vec![
            text("见"),
            Inline::Link {
                target: LinkTarget::Post {
                    index: target,
                    fragment: None
                },
                title: None,
                content: vec![text("为什么还要写作")],
            },
            text("。"),
        ])]
    );
}

#[test]
fn link_tag_is_an_external_link() {
    let blocks = blocks_of("更多见 {% link 旅行笔记索引 https://example.org/travel %}。\n");
    assert_eq!(
        blocks,
        vec![Block::Paragraph(vec![
            text("更多见 "),
            Inline::Link {
                target: LinkTarget::External("https://example.org/travel".into()),
                title: None,
                content: vec![text("旅行笔记索引")],
            },
            text("。"),
        ])]
    );
}

#[test]
fn blockquote_tag_keeps_author_and_source_as_attribution() {
    let body = "{% blockquote 孔子, 论语·卫灵公 https://example.org/lunyu 卫灵公篇 %}\n工欲善其事，必先利其器。\n{% endblockquote %}\n";
    let Block::Quote {
        style,
        blocks,
        attribution,
    } = single(blocks_of(body))
    else {
        panic!("not a quote")
    };
    assert_eq!(style, QuoteStyle::Plain);
    assert_eq!(blocks, vec![para("工欲善其事，必先利其器。")]);
    let plain = Inline::plain_text(&attribution);
    assert!(plain.starts_with("孔子"), "attribution: {plain}");
    assert!(plain.contains("论语·卫灵公"), "attribution: {plain}");
    let links: Vec<&LinkTarget> = attribution
        .iter()
        .filter_map(|i| match i {
            Inline::Link { target, .. } => Some(target),
            _ => None,
        })
        .collect();
    assert_eq!(
        links,
        vec![&LinkTarget::External("https://example.org/lunyu".into())]
    );
}

/// Hexo prints the link title (`卫灵公篇`) as the text of the source link; it must not vanish.
#[test]
fn blockquote_tag_keeps_the_link_title() {
    let body = "{% blockquote 孔子, 论语·卫灵公 https://example.org/lunyu 卫灵公篇 %}\n工欲善其事。\n{% endblockquote %}\n";
    let Block::Quote { attribution, .. } = single(blocks_of(body)) else {
        panic!("not a quote")
    };
    let plain = Inline::plain_text(&attribution);
    assert!(
        plain.contains("卫灵公篇"),
        "the link title is lost: {plain}"
    );
}

#[test]
fn codeblock_tag_has_language_and_caption() {
    let body = "{% codeblock count.rs lang:rust %}\nfn main() {\n    println!(\"{}\", 1);\n}\n{% endcodeblock %}\n";
    assert_eq!(
        blocks_of(body),
        vec![Block::code(
            Some("rust".into()),
            vec![text("count.rs")],
            "fn main() {\n    println!(\"{}\", 1);\n}\n".into(),
        )]
    );
}

#[test]
fn pullquote_tag_is_a_pull_quote() {
    let body = "{% pullquote %}\n标点也是字。\n{% endpullquote %}\n";
    assert_eq!(
        blocks_of(body),
        vec![Block::Quote {
            style: QuoteStyle::Pull,
            blocks: vec![para("标点也是字。")],
            attribution: vec![]
        }]
    );
}

#[test]
fn raw_tag_with_text_keeps_template_syntax_literally() {
    let body = "{% raw %}\n{{ page.title }} 和 {% now %}\n{% endraw %}\n";
    assert_eq!(
        blocks_of(body),
        vec![Block::code(
            None,
            vec![],
            "{{ page.title }} 和 {% now %}\n".into(),
        )]
    );
}

#[test]
fn raw_tag_with_html_becomes_blocks() {
    let body = "{% raw %}\n<p>原样的 <b>{{ x }}</b></p>\n{% endraw %}\n";
    assert_eq!(
        blocks_of(body),
        vec![Block::Paragraph(vec![
            text("原样的 "),
            Inline::Strong(vec![text("{{ x }}")])
        ])]
    );
}

#[test]
fn img_tag_is_a_figure_with_title_and_alt() {
    let blog = blog();
    let teacup = blog.file("source/images/teacup.png", PIXEL_PNG);
    blog.dated_post(
        "test",
        "测试",
        "2020-01-01 10:00:00",
        "{% img /images/teacup.png 200 100 '\"一只旧茶杯\" \"白瓷茶杯的简笔画\"' %}\n",
    );
    let parsed = parse(&blog);
    assert!(parsed.diags.is_empty(), "{:#?}", parsed.diags);
    assert_eq!(
        parsed.docs[0].blocks,
        vec![Block::Figure {
            image: Image {
                source: ImageSource::File(teacup),
                alt: "白瓷茶杯的简笔画".into(),
                title: Some("一只旧茶杯".into()),
            },
            caption: vec![text("一只旧茶杯")],
        }]
    );
}

#[test]
fn asset_path_inside_a_markdown_image_is_the_asset_file() {
    let blog = blog();
    blog.dated_post(
        "test",
        "测试",
        "2020-01-01 10:00:00",
        "![地图]({% asset_path map.png %})\n",
    );
    let map = blog.file("source/_posts/test/map.png", PIXEL_PNG);
    let parsed = parse(&blog);
    assert!(parsed.diags.is_empty(), "{:#?}", parsed.diags);
    assert_eq!(
        parsed.docs[0].blocks,
        vec![Block::Figure {
            image: Image {
                source: ImageSource::File(map),
                alt: "地图".into(),
                title: None
            },
            caption: vec![text("地图")],
        }]
    );
}

#[test]
fn asset_link_keeps_its_text() {
    let blog = blog();
    blog.dated_post(
        "test",
        "测试",
        "2020-01-01 10:00:00",
        "见{% asset_link map.png 呼兰小城地图 %}。\n",
    );
    blog.file("source/_posts/test/map.png", PIXEL_PNG);
    let parsed = parse(&blog);
    assert!(parsed.diags.is_empty(), "{:#?}", parsed.diags);
    assert_eq!(parsed.docs[0].blocks, vec![para("见呼兰小城地图。")]);
}

#[test]
fn post_path_inside_a_markdown_link_links_to_the_post() {
    let blog = blog();
    blog.dated_post("toolchain", "工具链", "2024-08-10 22:15:00", "工具。\n");
    blog.dated_post(
        "book",
        "印书",
        "2024-03-01 10:00:00",
        "见[那一篇]({% post_path toolchain %})。\n",
    );
    let parsed = parse(&blog);
    assert!(parsed.diags.is_empty(), "{:#?}", parsed.diags);
    let target = parsed.index_of("工具链");
    assert_eq!(
        parsed.doc_of("印书").blocks,
        vec![Block::Paragraph(vec![
            text("见"),
            Inline::Link {
                target: LinkTarget::Post {
                    index: target,
                    fragment: None
                },
                title: None,
                content: vec![text("那一篇")],
            },
            text("。"),
        ])]
    );
}

fn embed_url(body: &str) -> String {
    match single(blocks_of(body)) {
        Block::Embed { label, url } => {
            assert!(!label.is_empty(), "an embed is labelled");
            url
        }
        other => panic!("not an embed: {other:#?}"),
    }
}

#[test]
fn iframe_tag_is_an_embed_with_its_address() {
    assert_eq!(
        embed_url("{% iframe https://example.org/embed/text-spacing-trim 600 400 %}\n"),
        "https://example.org/embed/text-spacing-trim"
    );
}

#[test]
fn youtube_tag_is_an_embed_with_the_video_address() {
    assert_eq!(
        embed_url("{% youtube dQw4w9WgXcQ %}\n"),
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    );
}

#[test]
fn vimeo_tag_is_an_embed_with_the_video_address() {
    assert_eq!(
        embed_url("{% vimeo 76979871 %}\n"),
        "https://vimeo.com/76979871"
    );
}

#[test]
fn an_iframe_showing_a_file_of_the_blog_links_nowhere_as_a_markdown_link_to_it() {
    // fightinggg, DataMining/data-mining.md: the PDF is not in the book.
    let body = "[点我直接查看pdf文件](pdf/data_mining.pdf)\n\n\
                <iframe frameborder=\"no\" src=\"pdf/data_mining.pdf\" width=\"100%\"></iframe>\n";
    let blocks = blocks_of(body);
    let target = LinkTarget::Unresolved("pdf/data_mining.pdf".into());
    assert_eq!(
        blocks,
        vec![
            Block::Paragraph(vec![Inline::Link {
                target: target.clone(),
                title: None,
                content: vec![text("点我直接查看pdf文件")],
            }]),
            Block::Embed {
                label: "网页".into(),
                url: "pdf/data_mining.pdf".into(),
            },
        ]
    );
    assert_eq!(LinkTarget::embedded("pdf/data_mining.pdf"), target);
}

#[test]
fn an_embedded_address_links_only_to_the_web() {
    for (address, target) in [
        (
            "https://example.org/embed",
            LinkTarget::External("https://example.org/embed".into()),
        ),
        (
            "//player.bilibili.com/player.html?aid=1",
            LinkTarget::External("https://player.bilibili.com/player.html?aid=1".into()),
        ),
        (
            "/files/a.html",
            LinkTarget::Unresolved("/files/a.html".into()),
        ),
        (
            "a.pdf#page=2",
            LinkTarget::Unresolved("a.pdf#page=2".into()),
        ),
        (
            "javascript:alert(1)",
            LinkTarget::Unresolved("javascript:alert(1)".into()),
        ),
    ] {
        assert_eq!(LinkTarget::embedded(address), target, "{address}");
    }
}

#[test]
fn an_iframe_tag_in_running_text_links_a_file_of_the_blog_nowhere() {
    assert_eq!(
        blocks_of("看 {% iframe pdf/a.pdf %} 这里\n"),
        vec![Block::Paragraph(vec![
            text("看 嵌入网页："),
            Inline::Link {
                target: LinkTarget::Unresolved("pdf/a.pdf".into()),
                title: None,
                content: vec![text("pdf/a.pdf")],
            },
            text(" 这里"),
        ])]
    );
}

// ---- raw HTML and fenced code ----------------------------------------------------------------

#[test]
fn a_fence_right_under_an_html_line_is_code_as_hexo_shows_it() {
    // fightinggg, Vim/vim入门教程.md line 86: no blank line between `<summary>` and the fence,
    // so CommonMark reads the fence into the HTML block; Hexo's `backtick_code_block` filter
    // has made it code before Markdown is read. A `<summary>` outside `<details>` shows.
    let body = "我们的配置前面就多了一些东西\n\
                <summary>代码</summary>\n\
                ```\n\
                \" Vundle set nocompatible\n\
                Plugin 'vim-airline/vim-airline' \" 状态栏\n\
                ```\n \
                这里的Plugin \"...\"指的是使用啥啥啥插件的意思。\n";
    assert_eq!(
        blocks_of(body),
        vec![
            para("我们的配置前面就多了一些东西"),
            para("代码"),
            Block::code(
                None,
                Vec::new(),
                "\" Vundle set nocompatible\nPlugin 'vim-airline/vim-airline' \" 状态栏\n".into(),
            ),
            para("这里的Plugin \"...\"指的是使用啥啥啥插件的意思。"),
        ]
    );
}

#[test]
fn a_fence_right_under_a_details_summary_is_the_folds_code() {
    let body = "<details>\n<summary>代码</summary>\n```cpp\nint x;\n```\n</details>\n";
    assert_eq!(
        blocks_of(body),
        vec![Block::Fold {
            summary: vec![text("代码")],
            blocks: vec![Block::code(
                Some("cpp".into()),
                Vec::new(),
                "int x;\n".into(),
            )],
        }]
    );
}

#[test]
fn a_fence_right_under_pre_stays_the_pres_text() {
    // A `<pre>` block runs to `</pre>`, blank lines or not: the fence is its text.
    let body = "<pre>\n```\ny\n```\n</pre>\n";
    assert_eq!(
        blocks_of(body),
        vec![Block::code(None, Vec::new(), "```\ny\n```\n".into(),)]
    );
}

#[test]
fn only_the_first_summary_of_details_is_its_title() {
    assert_eq!(
        blocks_of("<details><summary>甲</summary><summary>乙</summary>丙</details>\n"),
        vec![Block::Fold {
            summary: vec![text("甲")],
            blocks: vec![para("乙"), para("丙")],
        }]
    );
}

#[test]
fn note_tag_has_kind_title_and_body() {
    let body = "{% note warning 雨季出行 %}\n记得带伞。\n{% endnote %}\n";
    assert_eq!(
        blocks_of(body),
        vec![Block::Note {
            kind: "warning".into(),
            title: vec![text("雨季出行")],
            blocks: vec![para("记得带伞。")]
        }]
    );
}

#[test]
fn note_tag_without_title_has_only_kind() {
    let body = "{% note info %}\n提示。\n{% endnote %}\n";
    assert_eq!(
        blocks_of(body),
        vec![Block::Note {
            kind: "info".into(),
            title: vec![],
            blocks: vec![para("提示。")]
        }]
    );
}

#[test]
fn tabs_tag_becomes_titled_sections() {
    let body = "{% tabs 日期解析, 1 %}\n<!-- tab 原生 Date -->\n用 Date。\n<!-- endtab -->\n<!-- tab dayjs -->\n用 dayjs。\n<!-- endtab -->\n{% endtabs %}\n";
    assert_eq!(
        blocks_of(body),
        vec![Block::Tabs(vec![
            (vec![text("原生 Date")], vec![para("用 Date。")]),
            (vec![text("dayjs")], vec![para("用 dayjs。")]),
        ])]
    );
}

#[test]
fn label_tag_is_a_styled_inline_with_its_class() {
    assert_eq!(
        blocks_of("{% label primary@CSS Text Level 4 %} 里有一个新属性。\n"),
        vec![Block::Paragraph(vec![
            Inline::Styled {
                style: InlineStyle::Label("primary".into()),
                content: vec![text("CSS Text Level 4")]
            },
            text(" 里有一个新属性。"),
        ])]
    );
}

#[test]
fn cq_tag_is_a_centred_quote() {
    assert_eq!(
        blocks_of("{% cq %}\n我写，是为了知道自己在想什么。\n{% endcq %}\n"),
        vec![Block::Quote {
            style: QuoteStyle::Centered,
            blocks: vec![para("我写，是为了知道自己在想什么。")],
            attribution: vec![],
        }]
    );
}

#[test]
fn fold_tag_is_a_fold_with_its_summary() {
    assert_eq!(
        blocks_of("{% fold 点击展开：全诗 %}\n风急天高猿啸哀\n{% endfold %}\n"),
        vec![Block::Fold {
            summary: vec![text("点击展开：全诗")],
            blocks: vec![para("风急天高猿啸哀")]
        }]
    );
}

// ---- include_code ---------------------------------------------------------------------------

/// One post (`source/_posts/test.md`, body from line 5) in a blog with this `_config.yml` and
/// these files (paths below the blog root).
fn code_post(config: &str, files: &[(&str, &[u8])], body: &str) -> (Blog, Parsed, PathBuf) {
    let blog = Blog::with_config(config);
    for (name, bytes) in files {
        blog.file(name, bytes);
    }
    let path = blog.dated_post("test", "测试", "2020-01-01 10:00:00", body);
    let parsed = parse(&blog);
    (blog, parsed, path)
}

fn code(language: Option<&str>, caption: &str, text: &str) -> Block {
    Block::code(
        language.map(str::to_string),
        vec![self::text(caption)],
        text.into(),
    )
}

#[test]
fn include_code_reads_the_file_below_the_configured_code_dir() {
    // As in a real blog: `code_dir: ./`, the files under `source/cpp/`, Chinese file names.
    let (_blog, parsed, _) = code_post(
        "title: 代码\ncode_dir: ./\n",
        &[(
            "source/cpp/p4336-生成树计数.cpp",
            b"#include <cstdio>\nint main() {}\n",
        )],
        "{% include_code p4336 lang:cpp cpp/p4336-生成树计数.cpp %}\n",
    );
    assert!(parsed.diags.is_empty(), "{:#?}", parsed.diags);
    assert_eq!(
        parsed.docs[0].blocks,
        vec![code(
            Some("cpp"),
            "p4336",
            "#include <cstdio>\nint main() {}\n"
        )]
    );
}

#[test]
fn include_code_from_and_to_are_inclusive_line_numbers_in_hexos_default_code_dir() {
    // No `code_dir`: Hexo's `downloads/code`. No title: the file's name; no `lang:`: its
    // extension. `to:` past the end stops at the end.
    let file = b"one\r\ntwo\r\nthree\r\nfour\r\nfive\r\n";
    let (_blog, parsed, _) = code_post(
        "title: 代码\n",
        &[("source/downloads/code/demo/count.py", file)],
        "{% include_code from:2 to:4 demo/count.py %}\n\n\
         {% include_code 结尾 lang:python from:4 to:99 /demo/count.py %}\n",
    );
    assert!(parsed.diags.is_empty(), "{:#?}", parsed.diags);
    assert_eq!(
        parsed.docs[0].blocks,
        vec![
            code(Some("py"), "count.py", "two\nthree\nfour\n"),
            code(Some("python"), "结尾", "four\nfive\n"),
        ]
    );
}

#[test]
fn include_code_of_a_missing_file_says_so_and_warns_at_the_tag() {
    let (_blog, parsed, path) = code_post(
        "code_dir: ./\n",
        &[],
        "前文。\n\n{% include_code 例子 lang:cpp cpp/没有这个文件.cpp %}\n",
    );
    assert_eq!(
        parsed.docs[0].blocks,
        vec![para("前文。"), para("代码文件缺失：cpp/没有这个文件.cpp")]
    );
    parsed.assert_one_warning(&path, 3, &["include_code", "cpp/没有这个文件.cpp"]);
}

#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs a disk that tells upper and lower case apart"
)]
fn include_code_takes_the_one_file_whose_name_differs_only_in_case_and_warns() {
    // fightinggg writes `cpp/perfect/data_structure/B_tree.h` for `b_tree.h`: Hexo finds it on
    // a disk that ignores case.
    let (_blog, parsed, path) = code_post(
        "code_dir: ./\n",
        &[("source/cpp/Perfect/b_tree.h", b"struct B;\n")],
        "{% include_code tree lang:cpp cpp/perfect/B_tree.h %}\n",
    );
    assert_eq!(
        parsed.docs[0].blocks,
        vec![code(Some("cpp"), "tree", "struct B;\n")]
    );
    parsed.assert_one_warning(&path, 1, &["Perfect/b_tree.h"]);
}

#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs a disk that tells upper and lower case apart"
)]
fn include_code_with_two_files_differing_only_in_case_from_the_name_takes_neither() {
    let (_blog, parsed, _) = code_post(
        "code_dir: ./\n",
        &[("source/a.H", b"1\n"), ("source/A.h", b"2\n")],
        "{% include_code a.h %}\n",
    );
    assert_eq!(parsed.docs[0].blocks, vec![para("代码文件缺失：a.h")]);
    assert_eq!(parsed.warnings().len(), 1);
}

#[test]
fn include_code_leaving_the_blog_is_refused() {
    let (_blog, parsed, path) = code_post(
        "code_dir: ./\n",
        &[],
        "{% include_code ../../../../etc/passwd %}\n",
    );
    assert_eq!(
        parsed.docs[0].blocks,
        vec![para("代码文件缺失：../../../../etc/passwd")]
    );
    parsed.assert_one_warning(&path, 1, &["outside"]);
}

#[test]
fn include_code_of_a_file_that_is_not_utf8_shows_replacement_characters_and_warns() {
    let (_blog, parsed, path) = code_post(
        "code_dir: code\n",
        &[("source/code/latin1.c", b"/* caf\xe9 */\nint x;\n")],
        "{% include_code latin1.c %}\n",
    );
    assert_eq!(
        parsed.docs[0].blocks,
        vec![code(Some("c"), "latin1.c", "/* caf\u{FFFD} */\nint x;\n")]
    );
    parsed.assert_one_warning(&path, 1, &["UTF-8"]);
}

#[test]
fn include_code_lines_past_the_end_select_nothing_and_warn() {
    let (_blog, parsed, path) = code_post(
        "code_dir: ./\n",
        &[("source/a.txt", b"only line\n")],
        "{% include_code from:5 to:6 a.txt %}\n",
    );
    assert_eq!(
        parsed.docs[0].blocks,
        vec![code(Some("txt"), "a.txt", "\n")]
    );
    parsed.assert_one_warning(&path, 1, &["has 1 lines; from:5 to to:6"]);
}

// ---- theme tags -----------------------------------------------------------------------------

#[test]
fn spoiler_tag_shows_its_text() {
    assert_eq!(
        blocks_of("谜底是{% spoiler **一只猫** %}。\n"),
        vec![Block::Paragraph(vec![
            text("谜底是"),
            Inline::Strong(vec![text("一只猫")]),
            text("。"),
        ])]
    );
}

#[test]
fn spoiler_tag_with_a_body_is_a_fold() {
    assert_eq!(
        blocks_of("{% spoiler 剧透 %}\n凶手是管家。\n{% endspoiler %}\n"),
        vec![Block::Fold {
            summary: vec![text("剧透")],
            blocks: vec![para("凶手是管家。")]
        }]
    );
}

#[test]
fn butterfly_note_reads_colour_icon_and_style() {
    let body = "{% note blue 'fas fa-bullhorn' modern %}\n公告。\n{% endnote %}\n\n\
                {% note orange fa-solid fa-triangle-exclamation flat 小心台阶 %}\n慢行。\n{% endnote %}\n\n\
                {% note '不用颜色的标题' %}\n正文。\n{% endnote %}\n";
    assert_eq!(
        blocks_of(body),
        vec![
            Block::Note {
                kind: "info".into(),
                title: vec![],
                blocks: vec![para("公告。")]
            },
            Block::Note {
                kind: "warning".into(),
                title: vec![text("小心台阶")],
                blocks: vec![para("慢行。")]
            },
            Block::Note {
                kind: "default".into(),
                title: vec![text("不用颜色的标题")],
                blocks: vec![para("正文。")]
            },
        ]
    );
}

#[test]
fn fluid_note_and_label_and_butterfly_label() {
    let body = "{% note success %}\n成功。\n{% endnote %}\n\n\
                {% label primary @主要 %} 与 {% label 重要 red %}\n";
    assert_eq!(
        blocks_of(body),
        vec![
            Block::Note {
                kind: "success".into(),
                title: vec![],
                blocks: vec![para("成功。")]
            },
            Block::Paragraph(vec![
                Inline::Styled {
                    style: InlineStyle::Label("primary".into()),
                    content: vec![text("主要")]
                },
                text(" 与 "),
                Inline::Styled {
                    style: InlineStyle::Label("red".into()),
                    content: vec![text("重要")]
                },
            ]),
        ]
    );
}

#[test]
fn hide_inline_shows_its_content() {
    assert_eq!(
        blocks_of("答案：{% hideInline 四十二,查看答案,#FF7242,#fff %}。\n"),
        vec![Block::Paragraph(vec![text("答案：四十二。")])]
    );
}

#[test]
fn hide_block_and_hide_toggle_are_folds_titled_by_their_display_text() {
    let body = "{% hideBlock 查看答案,blue %}\n四十二。\n{% endhideBlock %}\n\n\
                {% hideToggle 显示代码,#f0f0f0,#333 %}\n代码在此。\n{% endhideToggle %}\n";
    assert_eq!(
        blocks_of(body),
        vec![
            Block::Fold {
                summary: vec![text("查看答案")],
                blocks: vec![para("四十二。")]
            },
            Block::Fold {
                summary: vec![text("显示代码")],
                blocks: vec![para("代码在此。")]
            },
        ]
    );
}

#[test]
fn butterfly_btn_links_its_text_and_prints_a_web_address() {
    assert_eq!(
        blocks_of(
            "{% btn https://butterfly.js.org/,Butterfly 文档,far fa-hand-point-right,outline blue larger %}\n"
        ),
        vec![Block::Paragraph(vec![
            Inline::Link {
                target: LinkTarget::External("https://butterfly.js.org/".into()),
                title: None,
                content: vec![text("Butterfly 文档")],
            },
            text("（https://butterfly.js.org/）"),
        ])]
    );
}

#[test]
fn next_button_to_a_page_of_the_blog_prints_no_address() {
    assert_eq!(
        blocks_of("见 {% button /about/, 关于我, user, 作者介绍 %}。\n"),
        vec![Block::Paragraph(vec![
            text("见 "),
            Inline::Link {
                target: LinkTarget::Unresolved("/about/".into()),
                title: Some("作者介绍".into()),
                content: vec![text("关于我")],
            },
            text("。"),
        ])]
    );
}

#[test]
fn kbd_tag_is_a_key() {
    let key = |k: &str| Inline::Styled {
        style: InlineStyle::Keyboard,
        content: vec![text(k)],
    };
    assert_eq!(
        blocks_of("按 {% kbd Ctrl %} + {% kbd C %} 复制。\n"),
        vec![Block::Paragraph(vec![
            text("按 "),
            key("Ctrl"),
            text(" + "),
            key("C"),
            text(" 复制。"),
        ])]
    );
}

#[test]
fn checkbox_tags_print_an_open_or_ticked_box_before_the_text() {
    let body = "{% checkbox 待办事项 %}\n\n\
                {% checkbox red checked, 已完成, 含逗号 %}\n\n\
                {% checkbox plus green, 未完成 %}\n\n\
                {% cb 买牛奶, true %}\n\n\
                {% cb 倒垃圾, false %}\n\n\
                {% cb checked %}\n\n\
                {% checkbox 买菜, checked %}\n";
    assert_eq!(
        blocks_of(body),
        vec![
            para("□ 待办事项"),
            para("▣ 已完成, 含逗号"),
            para("□ 未完成"),
            para("▣ 买牛奶"),
            para("□ 倒垃圾"),
            para("▣"),
            para("▣ 买菜"),
        ]
    );
}

#[test]
fn mermaid_tag_is_its_source_as_code() {
    let body = "{% mermaid graph TD %}\nA --> B\n{% endmermaid %}\n\n\
                {% mermaid %}\npie\n  \"甲\" : 1\n{% endmermaid %}\n";
    assert_eq!(
        blocks_of(body),
        vec![
            code(Some("mermaid"), "Mermaid 图（源码）", "graph TD\nA --> B\n"),
            code(Some("mermaid"), "Mermaid 图（源码）", "pie\n  \"甲\" : 1\n"),
        ]
    );
}

#[test]
fn pdf_and_dplayer_tags_are_embeds() {
    let body = "{% pdf https://example.org/paper.pdf %}\n\n\
                {% dplayer \"url=https://example.org/v.mp4\" \"pic=https://example.org/p.png\" \"loop=yes\" %}\n";
    assert_eq!(
        blocks_of(body),
        vec![
            Block::Embed {
                label: "PDF 文件".into(),
                url: "https://example.org/paper.pdf".into()
            },
            Block::Embed {
                label: "视频".into(),
                url: "https://example.org/v.mp4".into()
            },
        ]
    );
}

#[test]
fn unknown_block_tag_keeps_its_text_and_warns_with_file_and_line() {
    let (_blog, parsed, path) = one_post("前文。\n\n{% mystery a b %}\n\n后文。\n");
    assert_eq!(
        parsed.docs[0].blocks,
        vec![para("前文。"), para("{% mystery a b %}"), para("后文。")]
    );
    assert_eq!(
        located(&parsed.warnings()),
        vec![(Some(path), file_line(3))]
    );
    assert!(
        parsed.warnings()[0].message.contains("mystery"),
        "{}",
        parsed.warnings()[0].message
    );
}

#[test]
fn unknown_inline_tag_keeps_its_text_and_warns_with_file_and_line() {
    let (_blog, parsed, path) = one_post("第一行。\n前面 {% mystery x %} 后面。\n");
    let plain: Vec<String> = parsed.docs[0]
        .blocks
        .iter()
        .map(inkstone::document::plain_text_of_block)
        .collect();
    assert_eq!(
        plain,
        vec!["第一行。前面 {% mystery x %} 后面。".to_string()]
    );
    assert_eq!(
        located(&parsed.warnings()),
        vec![(Some(path), file_line(2))]
    );
}

// ---- images and links -----------------------------------------------------------------------

#[test]
fn missing_image_is_missing_and_warns_with_the_line() {
    let (_blog, parsed, path) = one_post("前文。\n\n![缺的图](missing.png)\n");
    assert_eq!(
        parsed.docs[0].blocks,
        vec![
            para("前文。"),
            Block::Figure {
                image: Image {
                    source: ImageSource::Missing("missing.png".into()),
                    alt: "缺的图".into(),
                    title: None
                },
                caption: vec![text("缺的图")],
            },
        ]
    );
    assert_eq!(
        located(&parsed.warnings()),
        vec![(Some(path), file_line(3))]
    );
}

#[test]
fn image_under_source_images_is_found() {
    let blog = blog();
    let tea = blog.file("source/images/spring-tea.png", PIXEL_PNG);
    blog.dated_post(
        "test",
        "测试",
        "2020-01-01 10:00:00",
        "![明前](/images/spring-tea.png)\n",
    );
    let parsed = parse(&blog);
    assert!(parsed.diags.is_empty(), "{:#?}", parsed.diags);
    let Block::Figure { image, .. } = single(parsed.docs[0].blocks.clone()) else {
        panic!("not a figure")
    };
    assert_eq!(image.source, ImageSource::File(tea));
}

#[test]
fn an_image_addressed_on_the_blogs_own_site_is_read_from_source() {
    let blog = blog();
    let tea = blog.file("source/images/spring-tea.png", PIXEL_PNG);
    blog.dated_post(
        "test",
        "测试",
        "2020-01-01 10:00:00",
        "![自己的](https://example.com/images/spring-tea.png)\n\n\
         ![换了协议](http://EXAMPLE.com/images/spring-tea.png?v=2)\n\n\
         ![别人的](https://example.com.evil.test/images/spring-tea.png)\n\n\
         ![不在了](https://example.com/images/gone.png)\n",
    );
    let parsed = parse(&blog);
    let sources: Vec<ImageSource> = parsed.docs[0]
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Figure { image, .. } => Some(image.source.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        sources,
        [
            ImageSource::File(tea.clone()),
            ImageSource::File(tea),
            ImageSource::Remote("https://example.com.evil.test/images/spring-tea.png".into()),
            ImageSource::Remote("https://example.com/images/gone.png".into()),
        ]
    );
}

#[test]
fn image_path_leaving_the_blog_is_refused_with_a_warning() {
    let (_blog, parsed, path) = one_post("![](../../../../etc/passwd)\n");
    let Block::Figure { image, .. } = single(parsed.docs[0].blocks.clone()) else {
        panic!("not a figure")
    };
    assert_eq!(
        image.source,
        ImageSource::Missing("../../../../etc/passwd".into())
    );
    assert_eq!(
        located(&parsed.warnings()),
        vec![(Some(path), file_line(1))]
    );
}

#[cfg(unix)]
#[test]
fn image_symlink_pointing_out_of_the_blog_is_refused() {
    let blog = blog();
    std::fs::create_dir_all(blog.root().join("source/images")).expect("images folder");
    let outside = TempDir::new().expect("outside folder");
    let secret = outside.path().join("secret.png");
    std::fs::write(&secret, PIXEL_PNG).expect("secret");
    std::os::unix::fs::symlink(&secret, blog.root().join("source/images/link.png"))
        .expect("symlink");
    let path = blog.dated_post(
        "test",
        "测试",
        "2020-01-01 10:00:00",
        "![](/images/link.png)\n",
    );
    let parsed = parse(&blog);
    let Block::Figure { image, .. } = single(parsed.docs[0].blocks.clone()) else {
        panic!("not a figure")
    };
    assert!(
        matches!(image.source, ImageSource::Missing(_)),
        "{:?}",
        image.source
    );
    assert_eq!(
        located(&parsed.warnings()),
        vec![(Some(path), file_line(1))]
    );
}

#[test]
fn markdown_link_to_a_post_permalink_links_inside_the_book() {
    let blog = blog();
    blog.dated_post("7e1b5d2f", "夏至", "2022-06-21 21:05:00", "夏至。\n");
    blog.dated_post(
        "3a9c6e1d",
        "立冬",
        "2024-11-07 22:30:00",
        "[上一篇](/posts/7e1b5d2f/)\n",
    );
    let parsed = parse(&blog);
    assert!(parsed.diags.is_empty(), "{:#?}", parsed.diags);
    let target = parsed.index_of("夏至");
    assert_eq!(
        parsed.doc_of("立冬").blocks,
        vec![Block::Paragraph(vec![Inline::Link {
            target: LinkTarget::Post {
                index: target,
                fragment: None
            },
            title: None,
            content: vec![text("上一篇")],
        }])]
    );
}

#[test]
fn full_url_to_a_post_permalink_links_inside_the_book() {
    let blog = blog();
    blog.dated_post("7e1b5d2f", "夏至", "2022-06-21 21:05:00", "夏至。\n");
    blog.dated_post(
        "3a9c6e1d",
        "立冬",
        "2024-11-07 22:30:00",
        "[上一篇](https://example.com/posts/7e1b5d2f/#晚饭)\n",
    );
    let parsed = parse(&blog);
    let target = parsed.index_of("夏至");
    let Block::Paragraph(inlines) = single(parsed.doc_of("立冬").blocks.clone()) else {
        panic!("not a paragraph")
    };
    assert!(
        matches!(&inlines[..], [Inline::Link { target: LinkTarget::Post { index, fragment: Some(f) }, .. }] if *index == target && f == "晚饭"),
        "{inlines:#?}"
    );
}

// ---- Markdown -------------------------------------------------------------------------------

#[test]
fn more_marker_leaves_nothing_behind() {
    assert_eq!(
        blocks_of("摘要。\n\n<!-- more -->\n\n正文。\n"),
        vec![para("摘要。"), para("正文。")]
    );
}

#[test]
fn footnote_reference_and_definition() {
    let (_blog, parsed, _) = one_post("诗[^1]在这里。\n\n[^1]: 高适《除夜作》。\n");
    assert!(parsed.diags.is_empty(), "{:#?}", parsed.diags);
    let doc = &parsed.docs[0];
    assert_eq!(
        doc.blocks,
        vec![Block::Paragraph(vec![
            text("诗"),
            Inline::FootnoteRef(0),
            text("在这里。")
        ])]
    );
    assert_eq!(
        doc.footnotes,
        vec![Footnote {
            label: "1".into(),
            blocks: vec![para("高适《除夜作》。")]
        }]
    );
}

#[test]
fn footnotes_are_numbered_in_order_of_reference() {
    let (_blog, parsed, _) = one_post("甲[^b]乙[^a]。\n\n[^a]: 注甲。\n[^b]: 注乙。\n");
    let doc = &parsed.docs[0];
    assert_eq!(
        doc.blocks,
        vec![Block::Paragraph(vec![
            text("甲"),
            Inline::FootnoteRef(0),
            text("乙"),
            Inline::FootnoteRef(1),
            text("。")
        ])]
    );
    let labels: Vec<&str> = doc.footnotes.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels, vec!["b", "a"]);
}

#[test]
fn table_with_alignments_head_and_rows() {
    assert_eq!(
        blocks_of("| 标点 | 名称 |\n|:--|--:|\n| 。 | 句号 |\n| ， | 逗号 |\n"),
        vec![Block::Table {
            alignments: vec![Alignment::Left, Alignment::Right],
            head: vec![vec![text("标点")], vec![text("名称")]],
            rows: vec![
                vec![vec![text("。")], vec![text("句号")]],
                vec![vec![text("，")], vec![text("逗号")]]
            ],
        }]
    );
}

#[test]
fn task_list_items_carry_their_check_state() {
    assert_eq!(
        blocks_of("- [ ] 读完所有权一章\n- [x] 装好 rustup\n"),
        vec![Block::List {
            start: None,
            items: vec![
                ListItem {
                    task: Some(false),
                    blocks: vec![para("读完所有权一章")]
                },
                ListItem {
                    task: Some(true),
                    blocks: vec![para("装好 rustup")]
                },
            ],
        }]
    );
}

#[test]
fn raw_html_div_around_markdown_is_a_division_of_the_markdown() {
    assert_eq!(
        blocks_of("<div class=\"note\">\n\n**雨季**出行要带伞。\n\n</div>\n\n后文。\n"),
        vec![
            Block::Division(vec![Block::Paragraph(vec![
                Inline::Strong(vec![text("雨季")]),
                text("出行要带伞。")
            ])]),
            para("后文。"),
        ]
    );
}

#[test]
fn script_block_is_dropped_with_a_warning() {
    let (_blog, parsed, path) = one_post("前文。\n\n<script>\nalert('嗨');\n</script>\n\n后文。\n");
    assert_eq!(parsed.docs[0].blocks, vec![para("前文。"), para("后文。")]);
    assert_eq!(
        located(&parsed.warnings()),
        vec![(Some(path), file_line(3))]
    );
}

#[test]
fn inline_script_is_dropped_with_its_content_and_a_warning() {
    let (_blog, parsed, path) = one_post("正文<script>alert('嗨')</script>结束。\n");
    assert_eq!(parsed.docs[0].blocks, vec![para("正文结束。")]);
    assert_eq!(
        located(&parsed.warnings()),
        vec![(Some(path), file_line(1))]
    );
}

#[test]
fn an_opening_script_tag_written_about_in_a_list_keeps_all_the_text_after_it() {
    let (_blog, parsed, path) =
        one_post("* <script>\\<img>等标签都可以跨域加载资源。\n* 第二项。\n\n后文还在。\n");
    let text: String = parsed.docs[0]
        .blocks
        .iter()
        .map(inkstone::document::plain_text_of_block)
        .collect::<Vec<_>>()
        .join("|");
    assert_eq!(
        text,
        "<script><img>等标签都可以跨域加载资源。 第二项。|后文还在。"
    );
    parsed.assert_one_warning(&path, 1, &["printed as text"]);
}

#[test]
fn an_inline_script_runs_no_further_than_its_paragraph() {
    let (_blog, parsed, _path) = one_post("正文<script>a = 1\n\n</script>后文。\n");
    assert!(
        parsed.docs[0]
            .blocks
            .iter()
            .any(|b| inkstone::document::plain_text_of_block(b).contains("后文")),
        "{:?}",
        parsed.docs[0].blocks
    );
}

#[test]
fn soft_break_between_chinese_characters_joins_them_without_space() {
    assert_eq!(blocks_of("中\n文\n"), vec![para("中文")]);
}

#[test]
fn soft_break_inside_inline_html_styles_joins_chinese_like_emphasis_does() {
    // `<mark>` (a style from inline HTML) and `*…*` (Markdown emphasis) alike.
    let mark = |content| Inline::Styled {
        style: InlineStyle::Mark,
        content,
    };
    assert_eq!(
        blocks_of("<mark>标记中\n文相连</mark>\n"),
        vec![Block::Paragraph(vec![mark(vec![text("标记中文相连")])])]
    );
    assert_eq!(
        blocks_of("*强调中\n文相连*\n"),
        vec![Block::Paragraph(vec![Inline::Emphasis(vec![text(
            "强调中文相连"
        )])])]
    );
    assert_eq!(
        blocks_of("<sup>plain\ntext</sup>\n"),
        vec![Block::Paragraph(vec![Inline::Styled {
            style: InlineStyle::Superscript,
            content: vec![text("plain text")],
        }])]
    );
}

#[test]
fn soft_break_between_latin_words_is_a_space() {
    assert_eq!(blocks_of("plain\ntext\n"), vec![para("plain text")]);
}

#[test]
fn soft_break_after_chinese_punctuation_joins_without_space() {
    assert_eq!(
        blocks_of("第一句。\n第二句。\n"),
        vec![para("第一句。第二句。")]
    );
}

/// Each `**x…**` or `~~x…~~` pair on one line of `text` (runs of exactly two, something
/// other than spaces between): delimiters left as characters.
fn literal_pairs(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        for delimiter in ["**", "~~"] {
            let mark = delimiter.chars().next().unwrap_or('*');
            let mut rest = line;
            while let Some(open) = rest.find(delimiter) {
                let before = rest[..open].chars().next_back();
                let after = &rest[open + 2..];
                let Some(close) = after.find(delimiter) else {
                    break;
                };
                let inner = &after[..close];
                let beyond = after[close + 2..].chars().next();
                let runs_of_two =
                    before != Some(mark) && !inner.starts_with(mark) && beyond != Some(mark);
                if runs_of_two && !inner.trim().is_empty() && !inner.contains([mark, '\u{1}']) {
                    found.push(format!("{delimiter}{inner}{delimiter}"));
                }
                rest = &after[close..];
            }
        }
    }
    found
}

#[test]
fn corpus_posts_keep_no_emphasis_pair_as_asterisks_or_tildes() {
    let Some(blogs) = common::corpus_blogs() else {
        return;
    };
    for blog in blogs {
        let config = inkstone::config::load(&blog, &inkstone::config::Overrides::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let diags = inkstone::diag::Diagnostics::new();
        let sources = inkstone::pipeline::read(&config, false, &diags, &|_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        let mut found = Vec::new();
        for (post, doc) in sources.book.posts.iter().zip(&sources.docs) {
            let blocks = doc
                .blocks
                .iter()
                .chain(doc.footnotes.iter().flat_map(|f| &f.blocks));
            for block in blocks {
                // Text outside code, a separator at every other inline (so parsed markup never
                // looks like a pair of delimiters).
                let mut text = String::new();
                inkstone::document::visit_inlines(block, &mut |inline| {
                    if let Inline::Text(t) = inline {
                        text.push_str(t);
                    } else {
                        text.push('\u{1}');
                    }
                });
                for pair in literal_pairs(&text) {
                    found.push(format!("{}: {pair}", post.path.display()));
                }
            }
        }
        assert!(
            found.is_empty(),
            "{}:\n{}",
            blog.display(),
            found.join("\n")
        );
    }
}

// ---- math -----------------------------------------------------------------------------------

mod math {
    use super::*;
    use inkstone::document::Math;

    /// The blocks of a one-post blog whose `_config.yml` says `mathjax: true`.
    fn math_blocks(body: &str) -> Vec<Block> {
        let blog = Blog::with_config("url: https://example.com\nmathjax: true\n");
        blog.post("test", "测试", body);
        let parsed = parse(&blog);
        assert!(parsed.diags.is_empty(), "{:#?}", parsed.diags);
        parsed.docs[0].blocks.clone()
    }

    fn inline(tex: &str) -> Inline {
        Inline::Math(Math {
            tex: tex.to_string(),
            display: false,
            number: None,
            error: None,
        })
    }

    fn display(tex: &str, number: Option<&str>) -> Block {
        Block::Math(Math {
            tex: tex.to_string(),
            display: true,
            number: number.map(str::to_string),
            error: None,
        })
    }

    #[test]
    fn underscores_and_stars_inside_a_formula_are_not_emphasis() {
        let blocks = math_blocks("设 $a_1 + b_1$ 与 *重点* 及 $c_1 * d_1$ 相等。\n");
        assert_eq!(
            single(blocks),
            Block::Paragraph(vec![
                text("设 "),
                inline("a_1 + b_1"),
                text(" 与 "),
                Inline::Emphasis(vec![text("重点")]),
                text(" 及 "),
                inline("c_1 * d_1"),
                text(" 相等。"),
            ])
        );
    }

    #[test]
    fn double_backslashes_of_aligned_reach_the_formula() {
        let body = "$$\n\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}\n$$\n";
        assert_eq!(
            single(math_blocks(body)),
            display(
                "\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}",
                None
            )
        );
    }

    #[test]
    fn a_line_of_equals_inside_a_formula_is_no_heading() {
        let body = "$$\n\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}\n=\n\\begin{pmatrix} 3 \\end{pmatrix}\n$$\n";
        assert_eq!(
            single(math_blocks(body)),
            display(
                "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}\n=\n\\begin{pmatrix} 3 \\end{pmatrix}",
                None
            )
        );
    }

    #[test]
    fn dollar_amounts_stay_text() {
        assert_eq!(
            single(math_blocks("两本书 $5 and $6，共 $11。\n")),
            para("两本书 $5 and $6，共 $11。")
        );
    }

    #[test]
    fn an_escaped_dollar_is_a_dollar() {
        assert_eq!(
            single(math_blocks("价格 \\$x\\$ 元。\n")),
            para("价格 $x$ 元。")
        );
    }

    #[test]
    fn a_display_formula_inside_a_paragraph_splits_it() {
        let blocks = math_blocks("前文 $$x^2$$ 后文\n");
        assert_eq!(
            blocks,
            vec![para("前文"), display("x^2", None), para("后文")]
        );
    }

    #[test]
    fn text_on_the_line_under_a_formula_is_kept() {
        let body = "$$\nx^2\n$$\n即 $i$ 为质数。\n\n$f(x)$\n是一个函数。\n";
        assert_eq!(
            math_blocks(body),
            vec![
                display("x^2", None),
                Block::Paragraph(vec![text("即 "), inline("i"), text(" 为质数。")]),
                Block::Paragraph(vec![inline("f(x)"), text(" 是一个函数。")]),
            ]
        );
    }

    #[test]
    fn a_formula_inside_raw_html_is_still_a_formula() {
        let blocks = math_blocks("<span>\n设 $x_1$ 为根。\n</span>\n");
        let mut formulas = Vec::new();
        let mut text = String::new();
        for block in &blocks {
            inkstone::document::visit_inlines(block, &mut |inline| match inline {
                Inline::Math(math) => formulas.push(math.tex.clone()),
                Inline::Text(t) => text.push_str(t),
                _ => {}
            });
        }
        assert_eq!(formulas, vec!["x_1".to_string()], "{blocks:#?}");
        assert_eq!(text.trim(), "设  为根。");
    }

    #[test]
    fn tag_and_equation_environments_are_numbered() {
        let body = "$$E = mc^2 \\tag{1.1}$$\n\n\\begin{equation}\na = b\n\\end{equation}\n";
        assert_eq!(
            math_blocks(body),
            vec![
                display("E = mc^2", Some("1.1")),
                display("\\begin{equation}\na = b\n\\end{equation}", Some("1")),
            ]
        );
    }

    #[test]
    fn without_math_turned_on_dollars_are_text() {
        let blog = blog();
        blog.post("test", "测试", "设 $a_1$ 为首项。\n");
        let parsed = parse(&blog);
        assert_eq!(parsed.docs[0].blocks, vec![para("设 $a_1$ 为首项。")]);
    }

    #[test]
    fn front_matter_turns_math_on_for_one_post() {
        let blog = blog();
        blog.raw(
            "m.md",
            "---\ntitle: 数学\nmathjax: true\n---\n设 $a_1$ 为首项。\n",
        );
        let parsed = parse(&blog);
        assert_eq!(
            parsed.doc_of("数学").blocks,
            vec![Block::Paragraph(vec![
                text("设 "),
                inline("a_1"),
                text(" 为首项。")
            ])]
        );
    }

    #[test]
    fn a_formula_that_cannot_be_typeset_is_kept_with_a_warning_at_its_line() {
        let blog = Blog::with_config("url: https://example.com\nmathjax: true\n");
        let path = blog.post("test", "测试", "第一行。\n\n公式 $\\nosuch{a}$ 完。\n");
        let parsed = parse(&blog);
        parsed.assert_one_warning(&path, 3, &["formula", "`\\nosuch`", "TeX"]);
        let Block::Paragraph(inlines) = &parsed.docs[0].blocks[1] else {
            panic!("{:#?}", parsed.docs[0].blocks)
        };
        let Inline::Math(math) = &inlines[1] else {
            panic!("{inlines:#?}")
        };
        assert_eq!(math.tex, "\\nosuch{a}");
        assert!(math.error.is_some());
    }
}
