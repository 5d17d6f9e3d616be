//! Every word the book prints of its own, in Chinese: labels of parts and chapters, the line
//! under a post's title, the copyright page, the contents and landmarks, the stand-in text of
//! a missing image. Every back end prints these, never its own wording; the EPUB's font subsets
//! are computed from what they return.

//!
//! It knows no type of the book's: callers hand it names and numbers, so every module may use
//! it and it uses none.

use crate::config::BookMeta;

/// 1 → 一, 12 → 十二, 21 → 二十一 (as in 第十二章); from 100 on, Arabic digits.
pub fn number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let unit = |d: usize| if d == 0 { "" } else { DIGITS[d] };
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", unit(n % 10)),
        20..=99 => format!("{}十{}", DIGITS[n / 10], unit(n % 10)),
        _ => n.to_string(),
    }
}

/// `第三部` for the third part (1-based).
pub fn part_label(n: usize) -> String {
    format!("第{}部", number(n))
}

/// `第三章` for the third chapter (1-based).
pub fn chapter_label(n: usize) -> String {
    format!("第{}章", number(n))
}

/// A division as contents and bookmarks list it: `第一部　写作`, or the bare title.
pub fn division_heading(label: &str, title: &str) -> String {
    if label.is_empty() {
        title.to_string()
    } else {
        format!("{label}　{title}")
    }
}

/// The part a year of posts makes when the book is grouped by date, and a year of the
/// chronology: `2024 年`.
pub fn year(year: i16) -> String {
    format!("{year} 年")
}

/// The chapter a month makes when the book is grouped by date: `5 月`.
pub fn month(month: i8) -> String {
    format!("{month} 月")
}

/// `2024 年 5 月 19 日`
pub fn date(date: jiff::civil::Date) -> String {
    format!("{} 年 {} 月 {} 日", date.year(), date.month(), date.day())
}

/// A day of the chronology, within its year: `3 月 14 日`.
pub fn month_day(date: jiff::civil::Date) -> String {
    format!("{} 月 {} 日", date.month(), date.day())
}

/// What follows the date under a post's title: `　标签：读书、随笔`, or nothing without tags.
pub fn tags_after_date(tags: &[String]) -> Option<String> {
    (!tags.is_empty()).then(|| format!("　标签：{}", tags.join(TAG_SEPARATOR)))
}

/// Between two tags of a post.
pub const TAG_SEPARATOR: &str = "、";

/// The heading of the table of contents.
pub const CONTENTS: &str = "目录";

/// The index of tags at the back of the PDF, and its group of tags that begin with a digit or
/// a symbol.
pub const INDEX: &str = "索引";
pub const INDEX_SYMBOLS: &str = "符号与数字";

/// The list of posts by date at the back of the PDF.
pub const CHRONOLOGY: &str = "年表";

/// The EPUB's accessibility summary, for readers who cannot see the pages.
pub const ACCESSIBILITY_SUMMARY: &str = "本书为可重排的文字书：有目录，各部、章与文章都有标题可供导航，阅读顺序与原文一致；书中没有闪烁、声音或动画。";

/// Characters written only in traditional Chinese, and their simplified forms, among the most
/// common: enough to tell which of the two a post is written in.
const TRADITIONAL_ONLY: &str = "們這個來為說時會對發麼國學與還後過裡話經實點體開關問間見現樣頭無讓書長東應當從動將機寫總種興電邊聽覺網頁讀筆記爾歲號處錢鐘難雖業產認義變氣們愛歡";
const SIMPLIFIED_ONLY: &str = "们这个来为说时会对发么国学与还后过里话经实点体开关问间见现样头无让书长东应当从动将机写总种兴电边听觉网页读笔记尔岁号处钱钟难虽业产认义变气们爱欢";

/// Whether `text` is written in traditional characters: it holds many more of the common
/// traditional-only forms than of their simplified ones.
pub fn is_traditional(text: &str) -> bool {
    let (mut traditional, mut simplified) = (0usize, 0usize);
    for c in text.chars() {
        if TRADITIONAL_ONLY.contains(c) {
            traditional += 1;
        } else if SIMPLIFIED_ONLY.contains(c) {
            simplified += 1;
        }
    }
    traditional >= 5 && traditional > 4 * simplified
}

/// Whether a language tag names traditional Chinese (`zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO`).
pub fn is_traditional_tag(tag: &str) -> bool {
    let tag = tag.to_ascii_lowercase();
    ["zh-hant", "zh-tw", "zh-hk", "zh-mo"]
        .iter()
        .any(|t| tag.starts_with(t))
}

/// The part that holds the posts of the blog's default category.
pub const OTHERS: &str = "其他";

/// Names of the EPUB's landmarks (cover, contents, start of the text) and their list.
pub const LANDMARK_COVER: &str = "封面";
pub const LANDMARK_BODY: &str = "正文";
pub const LANDMARKS: &str = "导航";

/// The title of the copyright page.
pub const COPYRIGHT_PAGE: &str = "版权页";

/// The copyright page, line by line: title, author, date, the © line (for the `years` the posts
/// were written in, first and last), how many posts the book holds and what made it.
pub fn copyright_lines(meta: &BookMeta, years: Option<(i16, i16)>, posts: usize) -> Vec<String> {
    let mut lines = vec![format!("《{}》", meta.title)];
    if let Some(author) = &meta.author {
        lines.push(format!("著者：{author}"));
    }
    if let Some(day) = meta.date {
        lines.push(date(day));
    }
    let holder = meta.author.as_deref().unwrap_or(&meta.title);
    lines.push(format!("© {} {holder}", year_span(years)));
    lines.push(format!("收录文章 {posts} 篇"));
    lines.push(format!(
        "本书由 inkstone {} 据博客原文排版",
        env!("CARGO_PKG_VERSION")
    ));
    lines
}

/// `2016–2024`, or one year when every post is from the same year.
fn year_span(years: Option<(i16, i16)>) -> String {
    match years {
        Some((first, last)) if first != last => format!("{first}–{last}"),
        Some((year, _)) => year.to_string(),
        None => String::new(),
    }
}

/// Printed where an image cannot be shown: `图片缺失：alt`, or `图片缺失` without alt text.
pub fn missing_image(alt: &str) -> String {
    if alt.is_empty() {
        MISSING_IMAGE.to_string()
    } else {
        format!("{MISSING_IMAGE}：{alt}")
    }
}

const MISSING_IMAGE: &str = "图片缺失";

/// What a remote image the book does not hold is called when it has no alt text.
pub const REMOTE_IMAGE: &str = "网络图片";

/// What an image without alt text is called in the PDF's stand-in text.
pub const IMAGE: &str = "图";

/// Printed where `{% include_code %}` names a file the blog does not hold:
/// `代码文件缺失：cpp/a.cpp`.
pub fn missing_code_file(path: &str) -> String {
    format!("代码文件缺失：{path}")
}

/// The caption of a Mermaid diagram (`{% mermaid %}`), which the book prints as its source.
pub const MERMAID_SOURCE: &str = "Mermaid 图（源码）";

/// What an embedded page, video or document is called before its address: `嵌入网页：https://…`.
pub const EMBEDDED_PAGE: &str = "嵌入网页";
pub const YOUTUBE_VIDEO: &str = "YouTube 视频";
pub const VIMEO_VIDEO: &str = "Vimeo 视频";
pub const VIDEO: &str = "视频";
pub const PDF_FILE: &str = "PDF 文件";

/// The title of a fold whose tag gives none.
pub const FOLD: &str = "展开";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_in_chapter_titles() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (12, "十二"),
            (20, "二十"),
            (21, "二十一"),
            (100, "100"),
        ];
        for (n, expected) in cases {
            assert_eq!(number(n), expected);
        }
    }

    #[test]
    fn a_missing_image_is_named_by_its_alt_text() {
        assert_eq!(missing_image(""), "图片缺失");
        assert_eq!(missing_image("茶杯"), "图片缺失：茶杯");
    }

    #[test]
    fn division_headings_join_label_and_title() {
        assert_eq!(division_heading("第一部", "写作"), "第一部　写作");
        assert_eq!(division_heading("", "工具链"), "工具链");
    }

    #[test]
    fn tags_follow_the_date_after_an_ideographic_space() {
        assert_eq!(tags_after_date(&[]), None);
        let tags = ["读书".to_string(), "随笔".to_string()];
        assert_eq!(
            tags_after_date(&tags).as_deref(),
            Some("　标签：读书、随笔")
        );
    }

    #[test]
    fn the_copyright_page_names_the_years_and_the_posts() {
        let meta = BookMeta {
            title: "砚边集".into(),
            author: Some("青简".into()),
            date: Some(jiff::civil::date(2024, 12, 1)),
            ..BookMeta::default()
        };
        let lines = copyright_lines(&meta, Some((2019, 2024)), 22);
        assert_eq!(
            lines[..5],
            [
                "《砚边集》",
                "著者：青简",
                "2024 年 12 月 1 日",
                "© 2019–2024 青简",
                "收录文章 22 篇"
            ]
        );
        assert_eq!(
            copyright_lines(&meta, Some((2020, 2020)), 1)[3],
            "© 2020 青简"
        );
    }

    #[test]
    fn dates_have_spaces_around_the_numbers() {
        assert_eq!(date(jiff::civil::date(2024, 5, 9)), "2024 年 5 月 9 日");
    }
}
