//! A synthetic Hexo blog for benchmarks: `cargo run --release --example generate_blog -- N DIR
//! [SEED]` writes N posts into DIR/source/_posts/, a `_config.yml` and a few images.
//!
//! Each post holds about 3,000 Han characters with full-width punctuation, Latin words and
//! numbers among them, under two-level categories and a few tags, with headings, a list, a
//! quote, a listing, and (every third post) a table and (every tenth) an image. The text is
//! drawn from a seeded generator: the same N and seed give the same bytes, on every machine.

use std::fmt::Write as _;
use std::path::Path;

/// Common Han characters the text is drawn from.
const HAN: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞";

/// Latin words and numbers set among the Chinese, as tech blogs have them.
const LATIN: &[&str] = &[
    "Rust",
    "HTTP/2",
    "Linux",
    "GitHub",
    "JSON",
    "API",
    "Docker",
    "Python",
    "2024 年",
    "3.14",
    "100%",
    "v1.2.0",
    "CPU",
    "UTF-8",
    "Kubernetes",
    "SQL",
    "42",
    "1080p",
    "iPhone",
    "Web",
];

const CATEGORIES: &[(&str, &[&str])] = &[
    ("技术", &["Rust", "前端", "数据库", "运维"]),
    ("读书", &["小说", "历史", "诗词", "随笔"]),
    ("生活", &["旅行", "饮食", "家", "节气"]),
    ("工作", &["项目", "团队", "写作", "复盘"]),
    ("学习", &["数学", "英语", "算法", "笔记"]),
    ("杂记", &["电影", "音乐", "摄影", "其他"]),
];

const TAGS: &[&str] = &[
    "Rust",
    "Python",
    "JavaScript",
    "Linux",
    "读书",
    "旅行",
    "茶",
    "写作",
    "排版",
    "算法",
    "数据库",
    "重构",
    "随笔",
    "摄影",
    "电影",
    "音乐",
    "历史",
    "诗词",
    "家",
    "春天",
    "夏天",
    "秋天",
    "冬天",
    "工具",
    "效率",
    "笔记",
    "复盘",
    "团队",
    "英语",
    "数学",
    "Docker",
    "Git",
    "前端",
    "CSS",
    "HTTP",
    "网络",
    "安全",
    "性能",
    "测试",
    "设计",
];

/// splitmix64: small, fast, and the same sequence everywhere.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(count), Some(dir)) = (args.first().and_then(|n| n.parse().ok()), args.get(1)) else {
        eprintln!("usage: generate_blog N DIR [SEED]");
        std::process::exit(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    if let Err(e) = generate(count, Path::new(dir), seed) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn generate(count: usize, dir: &Path, seed: u64) -> std::io::Result<()> {
    let posts = dir.join("source/_posts");
    let images = dir.join("source/images");
    std::fs::create_dir_all(&posts)?;
    std::fs::create_dir_all(&images)?;
    std::fs::write(
        dir.join("_config.yml"),
        format!(
            "title: 千篇集\nsubtitle: {count} 篇生成的文章\nauthor: 基准\nlanguage: zh-CN\ntimezone: Asia/Shanghai\n"
        ),
    )?;
    for k in 0..4 {
        std::fs::write(images.join(format!("figure-{k}.png")), figure(k))?;
    }
    let han: Vec<char> = HAN.chars().collect();
    let mut random = Random(seed);
    for i in 0..count {
        let text = post(i, &han, &mut random);
        std::fs::write(posts.join(format!("post-{i:04}.md")), text)?;
    }
    Ok(())
}

/// Post `i`: front matter and about 3,000 Han characters of body.
fn post(i: usize, han: &[char], random: &mut Random) -> String {
    let (part, chapters) = random.pick(CATEGORIES);
    let chapter = random.pick(chapters);
    let mut tags: Vec<&str> = (0..1 + random.below(3))
        .map(|_| *random.pick(TAGS))
        .collect();
    tags.dedup();
    // Ten years of posts, one every few days, at a time of day that varies.
    let day = i * 3652 / 1000;
    let (year, rest) = (2015 + day / 365, day % 365);
    let (month, date) = (1 + rest / 31 % 12, 1 + rest % 28);
    let mut out = String::new();
    let _ = write!(
        out,
        "---\ntitle: {}\ndate: {year}-{month:02}-{date:02} {:02}:{:02}:00\ncategories: [{part}, {chapter}]\ntags: [{}]\n---\n\n",
        words(han, random, 4..12),
        8 + random.below(14),
        random.below(60),
        tags.join(", ")
    );
    let mut written = 0;
    let mut section = 0;
    while written < 3000 {
        if written > 0 && written / 700 > section {
            section = written / 700;
            let _ = write!(out, "## {}\n\n", words(han, random, 4..10));
        }
        let (paragraph, length) = paragraph(han, random);
        out.push_str(&paragraph);
        out.push_str("\n\n");
        written += length;
        if written > 1200 && written - length <= 1200 {
            blocks(&mut out, i, han, random);
        }
    }
    out
}

/// The post's other blocks: a list, a quote, a listing, a table, an image.
fn blocks(out: &mut String, i: usize, han: &[char], random: &mut Random) {
    for _ in 0..3 {
        let _ = writeln!(out, "- {}", sentence(han, random).0);
    }
    let _ = write!(out, "\n> {}\n\n", sentence(han, random).0);
    let _ = write!(
        out,
        "```rust\nfn total(prices: &[u32]) -> u32 {{\n    // {}\n    prices.iter().sum::<u32>() * {}\n}}\n```\n\n",
        words(han, random, 6..7),
        1 + random.below(9)
    );
    if i.is_multiple_of(3) {
        out.push_str("| 项目 | 数量 | 说明 |\n|---|---:|---|\n");
        for _ in 0..4 {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                words(han, random, 2..5),
                random.below(1000),
                words(han, random, 6..12)
            );
        }
        out.push('\n');
    }
    if i.is_multiple_of(10) {
        let _ = write!(
            out,
            "![{}](/images/figure-{}.png)\n\n",
            words(han, random, 5..6),
            random.below(4)
        );
    }
}

/// A paragraph of a few sentences, and its length in Han characters.
fn paragraph(han: &[char], random: &mut Random) -> (String, usize) {
    let mut text = String::new();
    let mut length = 0;
    for _ in 0..3 + random.below(4) {
        let (sentence, n) = sentence(han, random);
        text.push_str(&sentence);
        length += n;
    }
    (text, length)
}

/// A sentence of clauses between full-width marks, now and then quoting, naming a book or
/// holding a Latin word or a number.
fn sentence(han: &[char], random: &mut Random) -> (String, usize) {
    let mut text = String::new();
    let mut length = 0;
    let clauses = 1 + random.below(4);
    for c in 0..clauses {
        let clause = words(han, random, 4..18);
        length += clause.chars().count();
        match random.below(10) {
            0 => {
                let _ = write!(text, "“{clause}”");
            }
            1 => {
                let _ = write!(text, "《{clause}》");
            }
            2 => {
                let _ = write!(text, "{clause} {} ", random.pick(LATIN));
            }
            3 => {
                let _ = write!(text, "{clause}（{}）", words(han, random, 3..4));
            }
            _ => text.push_str(&clause),
        }
        let mark = if c + 1 == clauses {
            *random.pick(&["。", "。", "。", "！", "？", "……"])
        } else {
            *random.pick(&["，", "，", "，", "、", "；", "："])
        };
        text.push_str(mark);
    }
    (text, length)
}

/// Han characters, as many as a number drawn from `lengths`.
fn words(han: &[char], random: &mut Random, lengths: std::ops::Range<usize>) -> String {
    let n = lengths.start + random.below(lengths.len().max(1));
    (0..n).map(|_| *random.pick(han)).collect()
}

/// A small diagram, different for each `k`: bars on a light ground.
fn figure(k: usize) -> Vec<u8> {
    let (w, h) = (640u32, 400u32);
    let image = image::RgbImage::from_fn(w, h, |x, y| {
        let bar = (x / 80) as usize;
        let top = 60 + ((bar * 37 + k * 53) % 280) as u32;
        if y > top && x % 80 > 12 {
            image::Rgb([40 + (k as u8) * 40, 90, 160])
        } else {
            image::Rgb([245, 242, 235])
        }
    });
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("a PNG in memory");
    bytes
}
