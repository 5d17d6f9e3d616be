//! The index of tags (索引): every tag of the book's posts in pinyin order, grouped under
//! initial letters, each with the posts that carry it. Latin tags are sorted among the pinyin
//! by their letters, as Chinese indexes mix them; tags that begin with a digit or a symbol
//! come first, in a group of their own.

use std::collections::BTreeMap;

use pinyin::ToPinyin;

use super::Book;

/// Tags under one initial letter (or the group of digits and symbols).
#[derive(Debug, Clone, PartialEq)]
pub struct IndexGroup {
    /// `A` … `Z`, or `zh::INDEX_SYMBOLS`.
    pub heading: String,
    pub entries: Vec<IndexEntry>,
}

/// One tag and the posts that carry it, in reading order (indices into `Book::posts`).
#[derive(Debug, Clone, PartialEq)]
pub struct IndexEntry {
    pub tag: String,
    pub posts: Vec<usize>,
}

impl Book {
    /// The index of the book's tags; empty when no post has a tag.
    pub fn tag_index(&self) -> Vec<IndexGroup> {
        // Posts in reading order, so each tag's posts are listed as the pages go.
        let mut posts_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for post in self.reading_order() {
            for tag in &self.posts[post].tags {
                let posts = posts_of.entry(tag.trim()).or_default();
                if !tag.trim().is_empty() && !posts.contains(&post) {
                    posts.push(post);
                }
            }
        }
        let mut entries: Vec<(SortKey, IndexEntry)> = posts_of
            .into_iter()
            .filter(|(tag, _)| !tag.is_empty())
            .map(|(tag, posts)| {
                let entry = IndexEntry {
                    tag: tag.to_string(),
                    posts,
                };
                (SortKey::of(tag), entry)
            })
            .collect();
        entries.sort_by(|a, b| {
            (a.0.rank(), &a.0)
                .cmp(&(b.0.rank(), &b.0))
                .then_with(|| a.1.tag.cmp(&b.1.tag))
        });
        let mut groups: Vec<IndexGroup> = Vec::new();
        for (key, entry) in entries {
            let heading = key.initial();
            match groups.last_mut() {
                Some(group) if group.heading == heading => group.entries.push(entry),
                _ => groups.push(IndexGroup {
                    heading,
                    entries: vec![entry],
                }),
            }
        }
        groups
    }

    /// Post indices in the order the book sets them.
    fn reading_order(&self) -> Vec<usize> {
        self.entries()
            .into_iter()
            .filter_map(|placed| match placed.entry {
                super::Entry::Post(post) => Some(post.index),
                super::Entry::Division(_) => None,
            })
            .collect()
    }
}

/// Words whose first character is read otherwise than its most common reading (which is all a
/// character alone tells): the words of blog tags where that reading would file them under
/// the wrong letter (重构 is chóng, not zhòng).
const WORD_READINGS: &[(&str, &str)] = &[
    ("重构", "chong2 gou4"),
    ("重写", "chong2 xie3"),
    ("重启", "chong2 qi3"),
    ("重装", "chong2 zhuang1"),
    ("重读", "chong2 du2"),
    ("重阳", "chong2 yang2"),
    ("重庆", "chong2 qing4"),
    ("重复", "chong2 fu4"),
    ("重新", "chong2 xin1"),
    ("重置", "chong2 zhi4"),
    ("重载", "chong2 zai4"),
    ("重建", "chong2 jian4"),
    ("重组", "chong2 zu3"),
    ("重排", "chong2 pai2"),
    ("重定向", "chong2 ding4 xiang4"),
    ("重命名", "chong2 ming4 ming2"),
    ("银行", "yin2 hang2"),
    ("行业", "hang2 ye4"),
    ("音乐", "yin1 yue4"),
    ("乐队", "yue4 dui4"),
    ("乐器", "yue4 qi4"),
    ("调试", "tiao2 shi4"),
    ("调整", "tiao2 zheng3"),
    ("调参", "tiao2 can1"),
];

/// How a tag sorts: syllable by syllable (a Han character's pinyin, or a run of Latin letters
/// and digits as one word), each by its letters, then its tone, then the character itself.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey(Vec<Syllable>);

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Syllable {
    /// Lowercase letters (pinyin without tone, or the Latin word); empty for a symbol.
    letters: String,
    tone: u8,
    text: String,
}

impl SortKey {
    fn of(tag: &str) -> Self {
        let mut syllables: Vec<Syllable> = Vec::new();
        let mut word = String::new();
        let flush = |word: &mut String, syllables: &mut Vec<Syllable>| {
            if !word.is_empty() {
                syllables.push(Syllable {
                    letters: word.to_lowercase(),
                    tone: 0,
                    text: std::mem::take(word),
                });
            }
        };
        let mut rest = tag;
        while let Some(c) = rest.chars().next() {
            if c.is_ascii_alphanumeric() || (c.is_alphabetic() && !crate::cjk::is_han(c)) {
                word.push(c);
                rest = &rest[c.len_utf8()..];
                continue;
            }
            flush(&mut word, &mut syllables);
            if let Some((read, readings)) = WORD_READINGS.iter().find(|(w, _)| rest.starts_with(w))
            {
                for (c, reading) in read.chars().zip(readings.split(' ')) {
                    let (letters, tone) = reading.split_at(reading.len() - 1);
                    syllables.push(Syllable {
                        letters: letters.to_string(),
                        tone: tone.parse().unwrap_or(5),
                        text: c.to_string(),
                    });
                }
                rest = &rest[read.len()..];
                continue;
            }
            rest = &rest[c.len_utf8()..];
            if c.is_whitespace() {
                continue;
            }
            let syllable = match c.to_pinyin() {
                Some(reading) => {
                    let numbered = reading.with_tone_num_end();
                    let tone = numbered
                        .chars()
                        .last()
                        .and_then(|t| t.to_digit(10))
                        .unwrap_or(5) as u8;
                    Syllable {
                        letters: reading.plain().to_string(),
                        tone,
                        text: c.to_string(),
                    }
                }
                None => Syllable {
                    letters: String::new(),
                    tone: 0,
                    text: c.to_string(),
                },
            };
            syllables.push(syllable);
        }
        flush(&mut word, &mut syllables);
        SortKey(syllables)
    }

    /// The group a tag is listed under: its first letter, or the digits-and-symbols group.
    fn initial(&self) -> String {
        self.0
            .first()
            .and_then(|s| s.letters.chars().next())
            .filter(|c| c.is_ascii_alphabetic())
            .map_or_else(
                || crate::zh::INDEX_SYMBOLS.to_string(),
                |c| c.to_ascii_uppercase().to_string(),
            )
    }

    /// Tags of the digits-and-symbols group sort before those under letters.
    fn rank(&self) -> u8 {
        u8::from(self.initial() != crate::zh::INDEX_SYMBOLS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(tags: &[&str]) -> Vec<String> {
        let mut keys: Vec<(u8, SortKey, &str)> = tags
            .iter()
            .map(|t| {
                let key = SortKey::of(t);
                (key.rank(), key, *t)
            })
            .collect();
        keys.sort();
        keys.into_iter().map(|(_, _, t)| t.to_string()).collect()
    }

    #[test]
    fn tags_sort_by_pinyin_then_tone_with_latin_words_among_them() {
        assert_eq!(
            sorted(&[
                "数据库",
                "Rust",
                "算法",
                "日记",
                "读书",
                "3D打印",
                "C++",
                "杜甫",
                "阿里"
            ]),
            [
                "3D打印",
                "阿里",
                "C++",
                "读书",
                "杜甫",
                "日记",
                "Rust",
                "数据库",
                "算法"
            ]
        );
    }

    #[test]
    fn a_word_read_otherwise_is_sorted_by_its_reading() {
        assert_eq!(SortKey::of("重构").initial(), "C");
        assert_eq!(SortKey::of("重阳节").initial(), "C");
        assert_eq!(SortKey::of("重要").initial(), "Z");
        assert_eq!(
            sorted(&["重庆", "茶", "旅行", "银行"]),
            ["茶", "重庆", "旅行", "银行"]
        );
    }

    #[test]
    fn groups_are_initial_letters_and_symbols() {
        assert_eq!(SortKey::of("读书").initial(), "D");
        assert_eq!(SortKey::of("docker").initial(), "D");
        assert_eq!(SortKey::of("3D打印").initial(), crate::zh::INDEX_SYMBOLS);
        assert_eq!(SortKey::of("#话题").initial(), crate::zh::INDEX_SYMBOLS);
    }
}
