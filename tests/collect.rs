//! `collect`: front matter forms, categories → parts and chapters, ordering, filters, drafts,
//! fallbacks and error reporting. Every blog is built in a temporary folder by the test.

mod common;

use std::path::{Path, PathBuf};

use inkstone::collect::{Book, Division, Post, collect};
use inkstone::config::GroupBy;
use inkstone::diag::{Diagnostic, Diagnostics, Severity};
use jiff::civil::date;

use common::blog::Blog;

// ---- helpers ------------------------------------------------------------------------------

/// A YAML post with the given extra front matter lines.
fn yaml_post(title: &str, date: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n{extra}---\n\n正文。\n")
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn only_post(book: &Book) -> &Post {
    assert_eq!(
        book.posts.len(),
        1,
        "expected exactly one post: {:?}",
        titles(book)
    );
    &book.posts[0]
}

fn titles(book: &Book) -> Vec<String> {
    book.posts.iter().map(|p| p.title.clone()).collect()
}

fn part_titles(book: &Book) -> Vec<String> {
    book.divisions.iter().map(|p| p.title.clone()).collect()
}

fn chapter_titles(chapters: &[Division]) -> Vec<String> {
    chapters.iter().map(|c| c.title.clone()).collect()
}

/// The division tree, one line per division: indented by depth, its label, title and posts.
fn tree(book: &Book) -> Vec<String> {
    book.divisions()
        .map(|d| {
            let indent = "  ".repeat(d.level.depth());
            format!("{indent}{} {} {:?}", d.label, d.title, d.posts)
        })
        .collect()
}

/// Titles of the posts with these indices.
fn post_titles(book: &Book, indices: &[usize]) -> Vec<String> {
    indices
        .iter()
        .map(|&i| book.posts[i].title.clone())
        .collect()
}

/// Every post index the tree refers to, in tree order.
fn indices_in_tree(book: &Book) -> Vec<usize> {
    book.divisions().flat_map(|d| d.posts.clone()).collect()
}

/// `2024-05-19T10:20:30+08:00` as a timestamp.
fn instant(text: &str) -> jiff::Timestamp {
    text.parse().expect("timestamp literal")
}

fn warnings_for<'d>(diags: &'d [Diagnostic], path: &Path) -> Vec<&'d Diagnostic> {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Warning && d.file.as_deref() == Some(path))
        .collect()
}

// ---- front matter forms -----------------------------------------------------------------

#[test]
fn yaml_front_matter_gives_title_date_tags_and_categories() {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        "---\ntitle: 徽州的雨\ndate: 2024-05-19 10:20:30\ntags:\n  - 旅行\n  - 徽州\ncategories: [生活, 旅行]\n---\n\n正文。\n",
    );
    let (book, _) = blog.book();
    let post = only_post(&book);
    assert_eq!(post.title, "徽州的雨");
    // No timezone in _config.yml: civil dates are read in UTC+8.
    assert_eq!(post.date.timestamp(), instant("2024-05-19T10:20:30+08:00"));
    assert_eq!(post.tags, strings(&["旅行", "徽州"]));
    assert_eq!(post.category, strings(&["生活", "旅行"]));
    assert_eq!(post.body_text(), "\n正文。\n");
}

#[test]
fn yaml_front_matter_without_opening_fence_is_read() {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        "title: 为什么还要写\ndate: 2019-01-05 22:40:00\ncategories: [写作, 手记]\ntags: [写作, 博客]\n---\n\n新年第一篇。\n",
    );
    let (book, _) = blog.book();
    let post = only_post(&book);
    assert_eq!(post.title, "为什么还要写");
    assert_eq!(post.date.timestamp(), instant("2019-01-05T22:40:00+08:00"));
    assert_eq!(post.tags, strings(&["写作", "博客"]));
    assert_eq!(post.category, strings(&["写作", "手记"]));
    assert_eq!(post.body_text(), "\n新年第一篇。\n");
    assert_eq!(post.body_line, 6);
}

#[test]
fn toml_front_matter_between_plus_lines_is_read() {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        "+++\ntitle = \"把博客印成一本书\"\ndate = 2024-03-01T10:00:00+08:00\ncategories = [\"技术\", \"Rust\"]\ntags = [\"Rust\", \"EPUB\"]\n+++\n\n正文。\n",
    );
    let (book, _) = blog.book();
    let post = only_post(&book);
    assert_eq!(post.title, "把博客印成一本书");
    assert_eq!(post.date.timestamp(), instant("2024-03-01T10:00:00+08:00"));
    assert_eq!(post.tags, strings(&["Rust", "EPUB"]));
    assert_eq!(post.category, strings(&["技术", "Rust"]));
    assert_eq!(post.body_text(), "\n正文。\n");
}

#[test]
fn json_front_matter_without_braces_is_read() {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        "\"title\": \"网页上的标点挤压\",\n\"date\": \"2022/11/5 20:46:25\",\n\"categories\": [\"技术\", \"前端\"],\n\"tags\": [\"CSS\", \"排版\"]\n;;;\n\n正文。\n",
    );
    let (book, _) = blog.book();
    let post = only_post(&book);
    assert_eq!(post.title, "网页上的标点挤压");
    assert_eq!(post.date.timestamp(), instant("2022-11-05T20:46:25+08:00"));
    assert_eq!(post.tags, strings(&["CSS", "排版"]));
    assert_eq!(post.category, strings(&["技术", "前端"]));
    assert_eq!(post.body_text(), "\n正文。\n");
}

#[test]
fn json_front_matter_with_braces_is_read() {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        "{\n  \"title\": \"开明式\",\n  \"date\": \"2022-02-14 20:10:00\",\n  \"categories\": [[\"写作\", \"排版\"]],\n  \"tags\": [\"排版\", \"旧书\"]\n}\n;;;\n\n正文。\n",
    );
    let (book, _) = blog.book();
    let post = only_post(&book);
    assert_eq!(post.title, "开明式");
    assert_eq!(post.date.timestamp(), instant("2022-02-14T20:10:00+08:00"));
    assert_eq!(post.tags, strings(&["排版", "旧书"]));
    assert_eq!(post.category, strings(&["写作", "排版"]));
    assert_eq!(post.body_text(), "\n正文。\n");
}

#[test]
fn dates_are_read_in_the_time_zone_of_config_yml() {
    let blog = Blog::empty();
    blog.file("_config.yml", "timezone: America/New_York\n");
    blog.raw("a.md", yaml_post("纽约", "2024-01-15 09:00:00", ""));
    let (book, _) = blog.book();
    assert_eq!(
        only_post(&book).date.timestamp(),
        instant("2024-01-15T09:00:00-05:00")
    );
}

// ---- categories → parts and chapters --------------------------------------------------

#[test]
fn category_list_is_one_path_part_then_chapter() {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        yaml_post("甲", "2020-01-01 10:00:00", "categories: [技术, Rust]\n"),
    );
    let (book, _) = blog.book();
    assert_eq!(tree(&book), ["第一部 技术 []", "  第一章 Rust [0]"]);
}

#[test]
fn several_category_paths_file_the_post_once_under_the_first() {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        yaml_post(
            "重读《边城》",
            "2020-10-12 21:18:00",
            "categories: [[读书, 小说], [随笔]]\n",
        ),
    );
    let (book, _) = blog.book();
    assert_eq!(only_post(&book).category, strings(&["读书", "小说"]));
    assert_eq!(part_titles(&book), strings(&["读书"]));
    assert_eq!(indices_in_tree(&book), vec![0]);
    assert_eq!(
        chapter_titles(&book.divisions[0].children),
        strings(&["小说"])
    );
}

#[test]
fn category_string_is_a_part_holding_the_post_directly() {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        yaml_post("清明不能回乡", "2020-04-04 18:30:00", "categories: 随笔\n"),
    );
    let (book, _) = blog.book();
    assert_eq!(only_post(&book).category, strings(&["随笔"]));
    assert_eq!(tree(&book), ["第一部 随笔 [0]"]);
}

#[test]
fn no_category_files_the_post_under_default_category_of_config_yml() {
    let blog = Blog::empty();
    blog.file("_config.yml", "default_category: 未分类\n");
    blog.raw(
        "a.md",
        yaml_post("搬家清单", "2020-07-01 22:10:00", "tags:\n"),
    );
    let (book, _) = blog.book();
    assert_eq!(only_post(&book).category, strings(&["未分类"]));
    // The default category is no part title.
    assert_eq!(tree(&book), ["第一部 其他 [0]"]);
}

#[test]
fn no_category_and_no_config_yml_gives_hexo_default_uncategorized() {
    let blog = Blog::empty();
    blog.raw("a.md", yaml_post("无类", "2020-07-01 22:10:00", ""));
    let (book, _) = blog.book();
    assert_eq!(only_post(&book).category, strings(&["uncategorized"]));
    assert_eq!(part_titles(&book), strings(&["其他"]));
}

/// Two posts in 生活 and 技术, and `unfiled` posts without categories, the first of them
/// the earliest post of the blog.
fn blog_with_unfiled_posts(unfiled: usize) -> Blog {
    let blog = Blog::empty();
    blog.file("_config.yml", "default_category: 未分类\n");
    blog.raw(
        "a.md",
        yaml_post("生活文", "2019-04-28 15:20:00", "categories: [生活]\n"),
    );
    blog.raw(
        "b.md",
        yaml_post("技术文", "2021-04-18 21:30:00", "categories: [技术]\n"),
    );
    for n in 0..unfiled {
        blog.raw(
            &format!("u{n}.md"),
            yaml_post(&format!("杂文{n}"), &format!("201{n}-01-01 08:00:00"), ""),
        );
    }
    blog
}

#[test]
fn posts_of_the_default_category_go_after_the_named_parts_under_others() {
    let (book, _) = blog_with_unfiled_posts(2).book();
    assert_eq!(
        tree(&book),
        ["第一部 生活 [0]", "第二部 技术 [1]", "第三部 其他 [2, 3]"]
    );
    assert_eq!(post_titles(&book, &[2, 3]), strings(&["杂文0", "杂文1"]));
}

#[test]
fn a_lone_post_of_the_default_category_joins_the_part_before() {
    let (book, _) = blog_with_unfiled_posts(1).book();
    assert_eq!(tree(&book), ["第一部 生活 [0]", "第二部 技术 [1, 2]"]);
    // Inside its part it is ordered by date like the part's own posts.
    assert_eq!(post_titles(&book, &[1, 2]), strings(&["杂文0", "技术文"]));
}

#[test]
fn structure_others_names_the_part_and_parts_may_order_the_default_category() {
    let blog = blog_with_unfiled_posts(2);
    let mut config = blog.config(false);
    config.structure.others = Some("杂记".into());
    let (book, _) = blog.book_with(&config);
    assert_eq!(part_titles(&book), strings(&["生活", "技术", "杂记"]));
    config.structure.parts = strings(&["未分类"]);
    let (book, _) = blog.book_with(&config);
    assert_eq!(part_titles(&book), strings(&["未分类", "生活", "技术"]));
}

#[test]
fn a_post_without_categories_in_a_folder_is_filed_by_its_folders() {
    let blog = Blog::empty();
    blog.file("_config.yml", "permalink: :category/:title/\n");
    blog.raw(
        "技术/Rust/a.md",
        yaml_post("文一", "2020-07-01 22:10:00", ""),
    );
    // Date folders sort files; they are no categories.
    blog.raw("2019/03/d.md", yaml_post("文四", "2019-03-01 22:10:00", ""));
    blog.raw("b.md", yaml_post("文二", "2020-07-02 22:10:00", ""));
    blog.raw(
        "随笔/c.md",
        yaml_post("文三", "2020-07-03 22:10:00", "categories: [读书]\n"),
    );
    let category = |book: &Book, title: &str| {
        let post = book.posts.iter().find(|p| p.title == title);
        post.map(|p| p.category.clone()).unwrap_or_default()
    };
    let (book, _) = blog.book();
    assert_eq!(category(&book, "文一"), strings(&["技术", "Rust"]));
    // Its address keeps Hexo's category: the default one.
    let first = book.posts.iter().find(|p| p.title == "文一");
    assert!(
        first.is_some_and(|p| p.url_path.starts_with("uncategorized/")),
        "{:?}",
        first.map(|p| &p.url_path)
    );
    assert_eq!(category(&book, "文二"), strings(&["uncategorized"]));
    assert_eq!(category(&book, "文四"), strings(&["uncategorized"]));
    assert_eq!(category(&book, "文三"), strings(&["读书"]));
    let mut config = blog.config(false);
    config.structure.categories = inkstone::config::CategorySource::Folders;
    let (book, _) = blog.book_with(&config);
    assert_eq!(category(&book, "文三"), strings(&["随笔"]));
    // The post keeps the front matter's categories (filters see both).
    assert_eq!(
        book.posts
            .iter()
            .find(|p| p.title == "文三")
            .map(|p| p.categories.clone()),
        Some(vec![strings(&["读书"])])
    );
    let mut only_reading = config.clone();
    only_reading.filter.include_categories = strings(&["读书"]);
    assert!(
        blog.book_with(&only_reading)
            .0
            .posts
            .iter()
            .any(|p| p.title == "文三")
    );
    only_reading.filter.include_categories = strings(&["随笔"]);
    assert!(
        blog.book_with(&only_reading)
            .0
            .posts
            .iter()
            .any(|p| p.title == "文三")
    );
    config.structure.categories = inkstone::config::CategorySource::Both;
    let (book, _) = blog.book_with(&config);
    assert_eq!(category(&book, "文三"), strings(&["随笔", "读书"]));
    assert_eq!(category(&book, "文一"), strings(&["技术", "Rust"]));
}

#[test]
fn files_hexo_leaves_out_are_no_posts() {
    let blog = Blog::empty();
    blog.file(
        "_config.yml",
        "exclude: [\"_posts/old/**\"]\nskip_render: _posts/raw.md\nignore:\n  - \"**/*.tmp.md\"\n",
    );
    for name in [
        ".obsidian/workspace.md",
        "_note.md",
        "_parts/a.md",
        "old/2015/a.md",
        "raw.md",
        "draft.tmp.md",
        "kept.md",
    ] {
        blog.raw(name, yaml_post(name, "2020-07-01 22:10:00", ""));
    }
    let (book, diags) = blog.book();
    assert_eq!(titles(&book), strings(&["kept.md"]));
    assert!(common::blog::warnings(&diags).is_empty(), "{diags:?}");
}

#[test]
fn third_category_level_nests_as_a_chapter_of_a_chapter() {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        yaml_post(
            "Rust 入门",
            "2021-04-18 21:30:00",
            "categories: [技术, Rust]\n",
        ),
    );
    blog.raw(
        "b.md",
        yaml_post(
            "工具链",
            "2024-08-10 22:15:00",
            "categories: [技术, Rust, 工具链]\n",
        ),
    );
    let (book, _) = blog.book();
    assert_eq!(titles(&book), strings(&["Rust 入门", "工具链"]));
    assert_eq!(
        tree(&book),
        ["第一部 技术 []", "  第一章 Rust [0]", "     工具链 [1]"]
    );
}

// ---- ordering ---------------------------------------------------------------------------

#[test]
fn posts_are_sorted_by_date_inside_a_chapter() {
    let blog = Blog::empty();
    // File names sort a, b, c; dates sort c, a, b.
    blog.raw(
        "a.md",
        yaml_post(
            "二〇二二",
            "2022-06-21 21:05:00",
            "categories: [生活, 四时]\n",
        ),
    );
    blog.raw(
        "b.md",
        yaml_post(
            "二〇二四",
            "2024-11-07 22:30:00",
            "categories: [生活, 四时]\n",
        ),
    );
    blog.raw(
        "c.md",
        yaml_post(
            "二〇二一",
            "2021-07-07 13:14:00",
            "categories: [生活, 四时]\n",
        ),
    );
    let (book, _) = blog.book();
    assert_eq!(
        titles(&book),
        strings(&["二〇二一", "二〇二二", "二〇二四"])
    );
    assert_eq!(book.divisions[0].children[0].posts, vec![0, 1, 2]);
    for (i, post) in book.posts.iter().enumerate() {
        assert_eq!(post.index, i, "Post::index is its place in reading order");
    }
}

#[test]
fn posts_on_the_same_date_and_time_keep_file_order() {
    let blog = Blog::empty();
    blog.raw(
        "b.md",
        yaml_post("乙", "2022-06-21 21:05:00", "categories: [生活]\n"),
    );
    blog.raw(
        "a.md",
        yaml_post("甲", "2022-06-21 21:05:00", "categories: [生活]\n"),
    );
    let (book, _) = blog.book();
    assert_eq!(titles(&book), strings(&["甲", "乙"]));
}

#[test]
fn parts_are_ordered_by_their_earliest_post() {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        yaml_post(
            "技术文",
            "2021-04-18 21:30:00",
            "categories: [技术, Rust]\n",
        ),
    );
    blog.raw(
        "b.md",
        yaml_post(
            "生活文",
            "2019-04-28 15:20:00",
            "categories: [生活, 茶事]\n",
        ),
    );
    // 读书's earliest post is in a chapter and comes between the other two.
    blog.raw(
        "c.md",
        yaml_post(
            "读书文",
            "2020-10-12 21:18:00",
            "categories: [读书, 小说]\n",
        ),
    );
    blog.raw(
        "d.md",
        yaml_post(
            "读书文二",
            "2024-01-21 16:30:00",
            "categories: [读书, 诗词]\n",
        ),
    );
    let (book, _) = blog.book();
    assert_eq!(part_titles(&book), strings(&["生活", "读书", "技术"]));
    assert_eq!(
        titles(&book),
        strings(&["生活文", "读书文", "读书文二", "技术文"])
    );
}

#[test]
fn structure_parts_order_comes_first_then_the_rest_by_earliest_post() {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        yaml_post("技术文", "2021-04-18 21:30:00", "categories: [技术]\n"),
    );
    blog.raw(
        "b.md",
        yaml_post("生活文", "2019-04-28 15:20:00", "categories: [生活]\n"),
    );
    blog.raw(
        "c.md",
        yaml_post("读书文", "2020-10-12 21:18:00", "categories: [读书]\n"),
    );
    blog.raw(
        "d.md",
        yaml_post("写作文", "2022-01-01 08:00:00", "categories: [写作]\n"),
    );
    let mut config = blog.config(false);
    config.structure.parts = strings(&["写作", "技术"]);
    let (book, _) = blog.book_with(&config);
    assert_eq!(
        part_titles(&book),
        strings(&["写作", "技术", "生活", "读书"])
    );
    assert_eq!(
        titles(&book),
        strings(&["写作文", "技术文", "生活文", "读书文"])
    );
}

#[test]
fn structure_chapters_order_comes_first_inside_its_part() {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        yaml_post(
            "前端文",
            "2019-06-20 09:05:00",
            "categories: [技术, 前端]\n",
        ),
    );
    blog.raw(
        "b.md",
        yaml_post(
            "Rust文",
            "2021-04-18 21:30:00",
            "categories: [技术, Rust]\n",
        ),
    );
    let mut config = blog.config(false);
    config.structure.chapters = vec![("技术".into(), strings(&["Rust", "前端"]))];
    let (book, _) = blog.book_with(&config);
    assert_eq!(
        chapter_titles(&book.divisions[0].children),
        strings(&["Rust", "前端"])
    );
    assert_eq!(titles(&book), strings(&["Rust文", "前端文"]));
}

#[test]
fn group_by_year_makes_year_parts_and_month_chapters() {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        yaml_post("二〇年七月", "2020-07-01 22:10:00", "categories: [生活]\n"),
    );
    blog.raw(
        "b.md",
        yaml_post("一九年八月", "2019-08-15 20:00:00", "categories: [生活]\n"),
    );
    blog.raw(
        "c.md",
        yaml_post("一九年四月", "2019-04-28 15:20:00", "categories: [技术]\n"),
    );
    blog.raw(
        "d.md",
        yaml_post(
            "一九年四月二",
            "2019-04-30 08:00:00",
            "categories: [读书]\n",
        ),
    );
    let mut config = blog.config(false);
    config.structure.group_by = GroupBy::Year;
    let (book, _) = blog.book_with(&config);
    assert_eq!(part_titles(&book), strings(&["2019 年", "2020 年"]));
    assert_eq!(
        chapter_titles(&book.divisions[0].children),
        strings(&["4 月", "8 月"])
    );
    assert_eq!(
        chapter_titles(&book.divisions[1].children),
        strings(&["7 月"])
    );
    assert_eq!(
        post_titles(&book, &book.divisions[0].children[0].posts),
        strings(&["一九年四月", "一九年四月二"])
    );
    assert_eq!(
        titles(&book),
        strings(&["一九年四月", "一九年四月二", "一九年八月", "二〇年七月"])
    );
}

// ---- filters ----------------------------------------------------------------------------

/// Four posts in different categories, with different tags and dates.
fn filter_blog() -> Blog {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        yaml_post(
            "Rust 文",
            "2020-01-01 00:00:00",
            "categories: [技术, Rust]\ntags: [Rust]\n",
        ),
    );
    blog.raw(
        "b.md",
        yaml_post(
            "前端文",
            "2020-06-01 12:00:00",
            "categories: [技术, 前端]\ntags: [CSS, 排版]\n",
        ),
    );
    blog.raw(
        "c.md",
        yaml_post(
            "茶文",
            "2020-12-31 23:30:00",
            "categories: [生活, 茶事]\ntags: [茶]\n",
        ),
    );
    blog.raw(
        "d.md",
        yaml_post(
            "排版文",
            "2021-01-01 00:00:00",
            "categories: [写作, 排版]\ntags: [排版]\n",
        ),
    );
    blog
}

fn sorted_titles(book: &Book) -> Vec<String> {
    let mut t = titles(book);
    t.sort();
    t
}

fn sorted(items: &[&str]) -> Vec<String> {
    let mut t = strings(items);
    t.sort();
    t
}

#[test]
fn include_categories_keeps_only_posts_in_those_categories() {
    let blog = filter_blog();
    let mut config = blog.config(false);
    config.filter.include_categories = strings(&["技术"]);
    let (book, _) = blog.book_with(&config);
    assert_eq!(sorted_titles(&book), sorted(&["Rust 文", "前端文"]));
    assert_eq!(part_titles(&book), strings(&["技术"]));
}

#[test]
fn exclude_categories_drops_posts_under_a_subcategory() {
    let blog = filter_blog();
    let mut config = blog.config(false);
    config.filter.exclude_categories = strings(&["前端"]);
    let (book, _) = blog.book_with(&config);
    assert_eq!(sorted_titles(&book), sorted(&["Rust 文", "茶文", "排版文"]));
}

#[test]
fn include_tags_keeps_only_posts_with_one_of_them() {
    let blog = filter_blog();
    let mut config = blog.config(false);
    config.filter.include_tags = strings(&["排版", "茶"]);
    let (book, _) = blog.book_with(&config);
    assert_eq!(sorted_titles(&book), sorted(&["前端文", "茶文", "排版文"]));
}

#[test]
fn exclude_tags_drops_posts_with_one_of_them() {
    let blog = filter_blog();
    let mut config = blog.config(false);
    config.filter.exclude_tags = strings(&["排版"]);
    let (book, _) = blog.book_with(&config);
    assert_eq!(sorted_titles(&book), sorted(&["Rust 文", "茶文"]));
}

#[test]
fn since_and_until_keep_posts_on_the_boundary_days() {
    let blog = filter_blog();
    let mut config = blog.config(false);
    config.filter.since = Some(date(2020, 6, 1));
    config.filter.until = Some(date(2020, 12, 31));
    let (book, _) = blog.book_with(&config);
    // 23:30 on 31 December in the blog's zone is still 31 December.
    assert_eq!(sorted_titles(&book), sorted(&["前端文", "茶文"]));
}

#[test]
fn a_filter_that_leaves_no_post_is_an_error() {
    let blog = filter_blog();
    let mut config = blog.config(false);
    config.filter.include_tags = strings(&["没有这个标签"]);
    let diags = Diagnostics::new();
    assert!(collect(&config, &diags).is_err());
}

/// Hexo files a post with `categories: [[A, B], [C]]` under both A ▸ B and C; a filter naming C
/// should therefore see it, even though the book files it once, under A ▸ B.
#[test]
fn include_category_matches_a_posts_second_category_path() {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        yaml_post(
            "重读《边城》",
            "2020-10-12 21:18:00",
            "categories: [[读书, 小说], [随笔]]\n",
        ),
    );
    blog.raw(
        "b.md",
        yaml_post("别的", "2020-10-13 21:18:00", "categories: [技术]\n"),
    );
    let mut config = blog.config(false);
    config.filter.include_categories = strings(&["随笔"]);
    let (book, _) = blog.book_with(&config);
    assert_eq!(titles(&book), strings(&["重读《边城》"]));
}

// ---- drafts -----------------------------------------------------------------------------

fn drafts_blog() -> Blog {
    let blog = Blog::empty();
    blog.raw(
        "a.md",
        yaml_post("正式", "2020-01-01 10:00:00", "categories: [写作]\n"),
    );
    blog.raw(
        "b.md",
        yaml_post(
            "未发表",
            "2020-02-01 10:00:00",
            "categories: [写作]\npublished: false\n",
        ),
    );
    blog.file(
        "source/_drafts/c.md",
        yaml_post("草稿", "2020-03-01 10:00:00", "categories: [技术, 排版]\n"),
    );
    blog
}

#[test]
fn unpublished_posts_and_drafts_are_left_out_by_default() {
    let blog = drafts_blog();
    let (book, _) = blog.book();
    assert_eq!(titles(&book), strings(&["正式"]));
    assert_eq!(part_titles(&book), strings(&["写作"]));
}

#[test]
fn drafts_override_includes_unpublished_posts_and_the_drafts_folder() {
    let blog = drafts_blog();
    let (book, _) = blog.book_with(&blog.config(true));
    assert_eq!(sorted_titles(&book), sorted(&["正式", "未发表", "草稿"]));
    let draft_flags: Vec<(String, bool)> = book
        .posts
        .iter()
        .map(|p| (p.title.clone(), p.is_draft))
        .collect();
    assert!(
        draft_flags.contains(&("正式".into(), false)),
        "{draft_flags:?}"
    );
    assert!(
        draft_flags.contains(&("未发表".into(), true)),
        "{draft_flags:?}"
    );
    assert!(
        draft_flags.contains(&("草稿".into(), true)),
        "{draft_flags:?}"
    );
}

#[test]
fn drafts_setting_in_book_toml_includes_drafts() {
    let blog = drafts_blog();
    blog.file("book.toml", "[filter]\ndrafts = true\n");
    let (book, _) = blog.book();
    assert_eq!(sorted_titles(&book), sorted(&["正式", "未发表", "草稿"]));
}

// ---- fallbacks from the file name ---------------------------------------------------------

#[test]
fn missing_title_comes_from_the_file_name_with_a_warning() {
    let blog = Blog::empty();
    let path = blog.raw(
        "2021-07-07-小暑.md",
        "---\ndate: 2021-07-07 13:14:00\n---\n\n小暑。\n",
    );
    let (book, diags) = blog.book();
    assert_eq!(only_post(&book).title, "小暑");
    let warnings = warnings_for(&diags, &path);
    assert_eq!(warnings.len(), 1, "{diags:#?}");
    assert_eq!(warnings[0].line, Some(1));
    assert!(
        warnings[0].message.contains("title"),
        "{}",
        warnings[0].message
    );
}

#[test]
fn missing_date_comes_from_the_file_name_prefix_with_a_warning() {
    let blog = Blog::empty();
    let path = blog.raw(
        "2023-05-19-notebooks.md",
        "---\ntitle: 我的几个本子\n---\n\n本子。\n",
    );
    let (book, diags) = blog.book();
    let post = only_post(&book);
    assert_eq!(post.date.date(), date(2023, 5, 19));
    assert_eq!(post.date.timestamp(), instant("2023-05-19T00:00:00+08:00"));
    let warnings = warnings_for(&diags, &path);
    assert!(
        warnings
            .iter()
            .any(|w| w.line.is_some() && w.message.contains("date")),
        "expected a warning (with a line) that the date was taken from the file name: {diags:#?}"
    );
}

#[test]
fn missing_title_and_date_both_come_from_the_file_name() {
    let blog = Blog::empty();
    let path = blog.raw("2016-05-19-hello-world.md", "没有前言的正文。\n");
    let (book, diags) = blog.book();
    let post = only_post(&book);
    assert_eq!(post.title, "hello-world");
    assert_eq!(post.date.date(), date(2016, 5, 19));
    assert!(!warnings_for(&diags, &path).is_empty(), "{diags:#?}");
}

// ---- broken front matter ------------------------------------------------------------------

#[test]
fn broken_front_matter_in_two_posts_reports_both_with_file_and_line_and_leaves_them_out() {
    let blog = Blog::empty();
    blog.raw("a-good.md", yaml_post("好的", "2020-01-01 10:00:00", ""));
    // TOML: the value on line 3 is missing.
    let toml = blog.raw(
        "b-bad.md",
        "+++\ntitle = \"坏的\"\ndate = \n+++\n\n正文。\n",
    );
    // YAML: `tags` on line 4 is a map. (A date that is not one is only a warning: Hexo builds
    // such a post.)
    let yaml = blog.raw(
        "c-bad.md",
        "---\ntitle: 也坏\ndate: 去年秋天\ntags: {a: 1}\n---\n\n正文。\n",
    );
    let config = blog.config(false);
    let diags = Diagnostics::new();
    let book = collect(&config, &diags).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(titles(&book), strings(&["好的"]));
    assert_eq!(book.left_out, 2);
    let errors: Vec<(PathBuf, Option<usize>)> = diags
        .snapshot()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.file.clone().unwrap_or_default(), d.line))
        .collect();
    assert_eq!(errors, vec![(toml, Some(3)), (yaml, Some(4))]);
}

#[test]
fn unclosed_front_matter_is_reported_on_its_opening_line() {
    let blog = Blog::empty();
    let path = blog.raw("a.md", "---\ntitle: 没有结尾\n\n正文。\n");
    let diags = Diagnostics::new();
    assert!(collect(&blog.config(false), &diags).is_err());
    let located: Vec<(Option<PathBuf>, Option<usize>)> = diags
        .snapshot()
        .into_iter()
        .map(|d| (d.file, d.line))
        .collect();
    assert_eq!(located, vec![(Some(path), Some(1))]);
}
