//! Configuration: `book.toml` (the book) layered over the blog's Hexo `_config.yml` (the site),
//! over defaults. A bare folder holding only `source/_posts/` is a valid blog.
//!
//! Knows nothing of posts or output formats beyond their names.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Diagnostic, Error, Result};

pub mod profiles;
mod typography;

pub use typography::{MM, PageProfile, PunctuationStyle, RunningHead};

pub const BOOK_FILE: &str = "book.toml";
pub const HEXO_FILE: &str = "_config.yml";

/// Everything the pipeline needs to know, with every default filled in.
#[derive(Debug, Clone)]
pub struct Config {
    /// The folder holding `source/_posts/`.
    pub blog_root: PathBuf,
    pub meta: BookMeta,
    pub structure: Structure,
    pub filter: Filter,
    pub fonts: Fonts,
    pub output_dir: PathBuf,
    pub output_stem: String,
    pub site: Site,
    /// How punctuation is set in the PDF (`[typography] punctuation`).
    pub punctuation: PunctuationStyle,
    /// The PDF's trim size, margins and text grid.
    pub page: PageProfile,
    /// How listings are set in both books (`[code]`).
    pub code: CodeStyle,
    /// What follows the body in the PDF (`[back]`).
    pub back: BackMatter,
    /// Each picture that falls short of what a printer wants is a warning (`--preflight`).
    pub preflight: bool,
    /// The thickness of one leaf of the paper, mm (`[cover] paper`): the spine's width is the
    /// leaves times this.
    pub caliper: f32,
    /// How images are sized for the EPUB (`[images]`; the PDF's resolution is in `page`).
    pub images: ImageSettings,
    /// The configuration files that were read (book.toml, _config.yml), so a problem found
    /// later in what they said can point at them.
    pub files: Vec<ConfigFile>,
}

/// A configuration file as it was read.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub text: String,
}

impl ConfigFile {
    /// The file at `path`, or `None` when there is none.
    fn read(path: &Path) -> Result<Option<ConfigFile>> {
        if !path.is_file() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Ok(Some(ConfigFile {
            path: path.to_path_buf(),
            text,
        }))
    }
}

/// What the title page, copyright page and EPUB metadata say.
#[derive(Debug, Clone, Default)]
pub struct BookMeta {
    pub title: String,
    pub subtitle: Option<String>,
    pub author: Option<String>,
    pub language: String,
    pub identifier: String,
    /// Publication date; `None` means "the date of the newest post".
    pub date: Option<jiff::civil::Date>,
    pub cover: Option<PathBuf>,
    pub description: Option<String>,
}

/// Where a post's category path comes from (`[structure] categories`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CategorySource {
    /// The front matter's `categories`; a post without any that sits in a folder below
    /// `_posts/` is filed by its folders (as sites that take categories from the folder tree).
    #[default]
    FrontMatter,
    /// The folders below `_posts/`; the front matter for a post directly in `_posts/`.
    Folders,
    /// The folders, then the front matter's categories below them.
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// Top-level category → part, second level → chapter (Hexo's category tree).
    #[default]
    Category,
    /// Year → part, month → chapter (a diary-like blog).
    Year,
}

#[derive(Debug, Clone, Default)]
pub struct Structure {
    pub group_by: GroupBy,
    pub categories: CategorySource,
    /// Parts in this order first; the rest follow by their earliest post.
    pub parts: Vec<String>,
    /// Per part, chapters in this order first.
    pub chapters: Vec<(String, Vec<String>)>,
    /// The title of the part that holds the posts of the blog's default category (`None`:
    /// 其他).
    pub others: Option<String>,
}

/// Which posts go into the book.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub include_categories: Vec<String>,
    pub exclude_categories: Vec<String>,
    pub include_tags: Vec<String>,
    pub exclude_tags: Vec<String>,
    pub since: Option<jiff::civil::Date>,
    pub until: Option<jiff::civil::Date>,
    pub drafts: bool,
    /// Keep every copy of a post held twice (same title, same text).
    pub keep_duplicates: bool,
}

/// Font files; `None` means the font shipped with inkstone.
#[derive(Debug, Clone, Default)]
pub struct Fonts {
    pub body: Option<PathBuf>,
    pub heading: Option<PathBuf>,
    pub emphasis: Option<PathBuf>,
    pub mono: Option<PathBuf>,
}

/// The Hexo site settings that change how posts are read.
#[derive(Debug, Clone)]
pub struct Site {
    pub default_category: String,
    pub post_asset_folder: bool,
    pub permalink: String,
    pub url: String,
    pub root: String,
    pub timezone: jiff::tz::TimeZone,
    /// Where `{% include_code %}` finds its files, below `source/`.
    pub code_dir: String,
    /// The blog turns MathJax or KaTeX on for every post (a post's own `mathjax:` or `math:`
    /// decides for that post).
    pub math: bool,
    /// Glob patterns of files Hexo does not render as posts: `exclude`, `ignore` and
    /// `skip_render` of `_config.yml`.
    pub ignored: Vec<String>,
}

impl Default for Site {
    fn default() -> Self {
        Site {
            default_category: "uncategorized".into(),
            post_asset_folder: false,
            permalink: ":year/:month/:day/:title/".into(),
            url: "http://example.com".into(),
            root: "/".into(),
            timezone: jiff::tz::TimeZone::UTC,
            code_dir: "downloads/code".into(),
            math: false,
            ignored: Vec::new(),
        }
    }
}

/// What follows the body in the PDF (`[back]` in book.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BackMatter {
    /// `index = false` leaves out the index of tags (索引), set when any post has a tag.
    pub index: bool,
    /// `chronology = true` adds a list of the posts by date (年表).
    pub chronology: bool,
}

impl Default for BackMatter {
    fn default() -> Self {
        BackMatter {
            index: true,
            chronology: false,
        }
    }
}

/// Papers `[cover] paper` may name, with the thickness of one leaf in mm (book papers, 胶版纸).
pub const PAPERS: &[(&str, f32)] = &[("60g", 0.08), ("70g", 0.09), ("80g", 0.1), ("100g", 0.12)];

/// The caliper when book.toml names no paper: 80 g offset paper.
pub const DEFAULT_CALIPER: f32 = 0.1;

/// How images are sized for e-readers (`[images]` in book.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageSettings {
    /// The long side an EPUB image is scaled down to, in pixels (`max_side`; 0: any size).
    pub max_side: u32,
}

impl Default for ImageSettings {
    fn default() -> Self {
        // About a 10-inch reader's screen (1600 × 2400); smaller screens scale down further.
        ImageSettings { max_side: 1600 }
    }
}

/// How listings are set (`[code]` in book.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeStyle {
    /// `highlight = "color" | "gray" | "off"`.
    #[serde(default)]
    pub highlight: Highlight,
    /// `line_numbers = true` numbers each line of a listing.
    #[serde(default)]
    pub line_numbers: bool,
}

/// How highlighted code is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Highlight {
    /// Colours with AA contrast (readable in grey on e-ink too).
    #[default]
    Color,
    /// Greys only, for monochrome printing.
    Gray,
    /// Code in the text colour.
    Off,
}

/// Command-line settings that override the files.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub output_dir: Option<PathBuf>,
    /// `--profile NAME`, over `[pdf] profile`.
    pub profile: Option<String>,
    /// `--pages-multiple N`, over `[pdf] pages_multiple`.
    pub pages_multiple: Option<u32>,
    /// `--marks`, over `[pdf] marks`.
    pub marks: bool,
    /// `--pdfa`, over `[pdf] pdfa`.
    pub pdfa: bool,
    /// `--preflight`.
    pub preflight: bool,
    pub drafts: bool,
    pub keep_duplicates: bool,
}

// ---- book.toml as written ----

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BookFile {
    #[serde(default)]
    book: BookSection,
    #[serde(default)]
    structure: StructureSection,
    #[serde(default)]
    filter: FilterSection,
    #[serde(default)]
    fonts: FontsSection,
    #[serde(default)]
    output: OutputSection,
    #[serde(default)]
    typography: TypographySection,
    #[serde(default)]
    code: CodeStyle,
    #[serde(default)]
    back: BackMatter,
    #[serde(default)]
    cover: CoverSection,
    #[serde(default)]
    images: ImagesSection,
    /// `profile = "a5"` and any field of a profile over it (see `profiles`).
    #[serde(default)]
    pdf: toml::Table,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CoverSection {
    /// mm per leaf, or the name of a paper in `PAPERS`.
    paper: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImagesSection {
    max_side: Option<u32>,
    dpi: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TypographySection {
    punctuation: Option<PunctuationStyle>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BookSection {
    source: Option<PathBuf>,
    title: Option<String>,
    subtitle: Option<String>,
    author: Option<String>,
    language: Option<String>,
    identifier: Option<String>,
    date: Option<toml::value::Datetime>,
    cover: Option<PathBuf>,
    description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StructureSection {
    group_by: Option<GroupBy>,
    categories: Option<CategorySource>,
    #[serde(default)]
    parts: Vec<String>,
    #[serde(default)]
    chapters: toml::Table,
    others: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilterSection {
    #[serde(default)]
    include_categories: Vec<String>,
    #[serde(default)]
    exclude_categories: Vec<String>,
    #[serde(default)]
    include_tags: Vec<String>,
    #[serde(default)]
    exclude_tags: Vec<String>,
    since: Option<toml::value::Datetime>,
    until: Option<toml::value::Datetime>,
    #[serde(default)]
    drafts: bool,
    #[serde(default)]
    keep_duplicates: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FontsSection {
    body: Option<PathBuf>,
    heading: Option<PathBuf>,
    emphasis: Option<PathBuf>,
    mono: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutputSection {
    dir: Option<PathBuf>,
    name: Option<String>,
}

/// Hexo `_config.yml` fields we read, each optional (Hexo's own defaults apply).
#[derive(Debug, Default)]
struct HexoConfig {
    title: Option<String>,
    subtitle: Option<String>,
    description: Option<String>,
    author: Option<String>,
    language: Option<String>,
    timezone: Option<String>,
    url: Option<String>,
    root: Option<String>,
    permalink: Option<String>,
    default_category: Option<String>,
    post_asset_folder: Option<bool>,
    code_dir: Option<String>,
    math: bool,
    ignored: Vec<String>,
}

/// Loads the configuration for the book project or blog at `folder`.
pub fn load(folder: &Path, overrides: &Overrides) -> Result<Config> {
    let book_path = folder.join(BOOK_FILE);
    let book_file = ConfigFile::read(&book_path)?;
    let book = match &book_file {
        Some(file) => parse_book_file(file)?,
        None => BookFile::default(),
    };
    let blog_root = match &book.book.source {
        Some(source) => folder.join(source),
        None => folder.to_path_buf(),
    };
    if !blog_root.join("source").is_dir() {
        return Err(Error::NotABlog {
            root: blog_root,
            has_book_file: book_path.is_file(),
        });
    }
    let hexo_file = ConfigFile::read(&blog_root.join(HEXO_FILE))?;
    let hexo = match &hexo_file {
        Some(file) => parse_hexo_config(file)?,
        None => HexoConfig::default(),
    };
    let mut config = resolve(folder, blog_root, book, hexo, overrides)?;
    config.files = book_file.into_iter().chain(hexo_file).collect();
    Ok(config)
}

fn parse_book_file(file: &ConfigFile) -> Result<BookFile> {
    toml::from_str(&file.text).map_err(|e| {
        let line = e.span().map(|span| line_of(&file.text, span.start));
        Error::Located(Diagnostic::error(
            file.path.clone(),
            line,
            e.message().trim().to_string(),
        ))
    })
}

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn parse_hexo_config(file: &ConfigFile) -> Result<HexoConfig> {
    let (path, text) = (&file.path, &file.text);
    if text.trim().is_empty() {
        return Ok(HexoConfig::default());
    }
    let value: serde_json::Value = serde_saphyr::from_str(text).map_err(|e| {
        Error::Located(Diagnostic::error(
            path.to_path_buf(),
            None,
            format!("cannot read Hexo configuration: {e}"),
        ))
    })?;
    let text_field = |key: &str| -> Option<String> {
        match value.get(key)? {
            serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            // Hexo allows a list of languages; the first is the site's own.
            serde_json::Value::Array(items) => items.first()?.as_str().map(str::to_string),
            _ => None,
        }
    };
    Ok(HexoConfig {
        title: text_field("title"),
        subtitle: text_field("subtitle"),
        description: text_field("description"),
        author: text_field("author"),
        language: text_field("language"),
        timezone: text_field("timezone"),
        url: text_field("url"),
        root: text_field("root"),
        permalink: text_field("permalink"),
        default_category: text_field("default_category"),
        post_asset_folder: value.get("post_asset_folder").and_then(|v| v.as_bool()),
        // An empty `code_dir` is the source folder itself, as Hexo joins it.
        code_dir: value
            .get("code_dir")
            .and_then(|v| v.as_str())
            .map(|dir| dir.trim().to_string()),
        math: turns_math_on(&value),
        ignored: ["exclude", "ignore", "skip_render"]
            .iter()
            .flat_map(|key| text_list(value.get(*key)))
            .collect(),
    })
}

/// A `_config.yml` value that is one text or a list of them.
fn text_list(value: Option<&serde_json::Value>) -> Vec<String> {
    match value {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => vec![s.trim().to_string()],
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a site configuration turns math on for every page, as the math plugins and themes
/// spell it: `mathjax: true`, `mathjax: {enable: true}` (NexT before 7, Fluid, Butterfly),
/// `math: {enable: true, per_page: false}` (NexT 7 and later: `per_page` asks each post),
/// `math: {mathjax: true}`, hexo-filter-mathjax's `mathjax: {every_page: true}`, `katex: …`.
fn turns_math_on(config: &serde_json::Value) -> bool {
    let on = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_bool()) == Some(true);
    ["mathjax", "katex", "math"].iter().any(|key| {
        let Some(value) = config.get(*key) else {
            return false;
        };
        if on(Some(value)) || on(value.get("every_page")) {
            return true;
        }
        let enabled = on(value.get("enable")) || on(value.get("mathjax")) || on(value.get("katex"));
        enabled && !on(value.get("per_page"))
    })
}

fn resolve(
    folder: &Path,
    blog_root: PathBuf,
    book: BookFile,
    hexo: HexoConfig,
    overrides: &Overrides,
) -> Result<Config> {
    let book_path = folder.join(BOOK_FILE);
    let b = book.book;
    let clean = |s: Option<String>| {
        s.map(|s| without_controls(&s))
            .filter(|s| !s.trim().is_empty())
    };
    let title = clean(b.title)
        .or(clean(hexo.title))
        .unwrap_or_else(|| folder_name(&blog_root));
    let author = clean(b.author).or(clean(hexo.author));
    let language = normalise_language(b.language.or(hexo.language).as_deref());
    let identifier = b
        .identifier
        .unwrap_or_else(|| derived_identifier(&title, author.as_deref()));
    let date = b
        .date
        .map(|d| toml_date(&d).ok_or_else(|| bad_value(&book_path, "book.date", &d.to_string())))
        .transpose()?;

    let timezone = match hexo.timezone.as_deref() {
        Some(name) => jiff::tz::TimeZone::get(name).map_err(|_| {
            Error::Located(Diagnostic::error(
                blog_root.join(HEXO_FILE),
                None,
                format!("unknown time zone '{name}' (use an IANA name such as Asia/Shanghai)"),
            ))
        })?,
        // Hexo uses the machine's zone; a book must not depend on the machine, so a blog that
        // names none is read in UTC+8, the zone of nearly every Chinese blog.
        None => jiff::tz::TimeZone::fixed(jiff::tz::offset(8)),
    };
    let defaults = Site::default();
    let site = Site {
        default_category: hexo.default_category.unwrap_or(defaults.default_category),
        post_asset_folder: hexo.post_asset_folder.unwrap_or(false),
        math: hexo.math,
        permalink: hexo.permalink.unwrap_or(defaults.permalink),
        url: hexo.url.unwrap_or(defaults.url),
        root: hexo.root.unwrap_or(defaults.root),
        timezone,
        code_dir: hexo.code_dir.unwrap_or(defaults.code_dir),
        ignored: hexo.ignored,
    };

    let s = book.structure;
    let mut chapters = Vec::new();
    for (part, list) in s.chapters {
        let names = list
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .ok_or_else(|| {
                bad_value(
                    &book_path,
                    &format!("structure.chapters.{part}"),
                    "not a list",
                )
            })?;
        chapters.push((part, names));
    }
    let f = book.filter;
    let date_of = |d: Option<toml::value::Datetime>, key: &str| {
        d.map(|d| toml_date(&d).ok_or_else(|| bad_value(&book_path, key, &d.to_string())))
            .transpose()
    };
    let filter = Filter {
        include_categories: f.include_categories,
        exclude_categories: f.exclude_categories,
        include_tags: f.include_tags,
        exclude_tags: f.exclude_tags,
        since: date_of(f.since, "filter.since")?,
        until: date_of(f.until, "filter.until")?,
        drafts: f.drafts || overrides.drafts,
        keep_duplicates: f.keep_duplicates || overrides.keep_duplicates,
    };
    let in_folder = |p: Option<PathBuf>| p.map(|p| folder.join(p));
    let fonts = Fonts {
        body: in_folder(book.fonts.body),
        heading: in_folder(book.fonts.heading),
        emphasis: in_folder(book.fonts.emphasis),
        mono: in_folder(book.fonts.mono),
    };
    let mut page = page_profile(book.pdf, overrides, &book_path)?;
    if let Some(multiple) = overrides.pages_multiple {
        page.pages_multiple = multiple;
    }
    page.marks |= overrides.marks;
    page.pdfa |= overrides.pdfa;
    if let Some(dpi) = book.images.dpi {
        page.image_dpi = dpi as f32;
    }
    let caliper = caliper(book.cover.paper.as_ref(), &book_path)?;
    let images = ImageSettings {
        max_side: book
            .images
            .max_side
            .unwrap_or(ImageSettings::default().max_side),
    };
    let output_dir = overrides
        .output_dir
        .clone()
        .unwrap_or_else(|| folder.join(book.output.dir.unwrap_or_else(|| "book".into())));
    let output_stem = book
        .output
        .name
        .unwrap_or_else(|| file_stem_for(&title, &blog_root));
    Ok(Config {
        meta: BookMeta {
            title,
            subtitle: clean(b.subtitle).or(clean(hexo.subtitle)),
            author,
            language,
            identifier,
            date,
            cover: b.cover.map(|c| folder.join(c)),
            description: clean(b.description).or(clean(hexo.description)),
        },
        structure: Structure {
            group_by: s.group_by.unwrap_or_default(),
            categories: s.categories.unwrap_or_default(),
            parts: s.parts,
            chapters,
            others: clean(s.others),
        },
        filter,
        fonts,
        output_dir,
        output_stem,
        site,
        punctuation: book.typography.punctuation.unwrap_or_default(),
        page,
        code: book.code,
        back: book.back,
        caliper,
        preflight: overrides.preflight,
        images,
        files: Vec::new(),
        blog_root,
    })
}

/// The page profile `--profile` or `[pdf] profile` names (the default one without), with
/// the other `[pdf]` fields over it.
fn page_profile(
    mut pdf: toml::Table,
    overrides: &Overrides,
    book_path: &Path,
) -> Result<PageProfile> {
    let invalid =
        |message: String| Error::Located(Diagnostic::error(book_path.to_path_buf(), None, message));
    let named = match pdf.remove("profile") {
        Some(toml::Value::String(name)) => Some(name),
        Some(other) => {
            return Err(invalid(format!(
                "[pdf] profile must be a name, not {other}"
            )));
        }
        None => None,
    };
    let name = overrides.profile.clone().or(named);
    let name = name.as_deref().unwrap_or(profiles::DEFAULT);
    let base = profiles::built_in(name).map_err(|e| invalid(format!("[pdf] profile: {e}")))?;
    let fields: profiles::ProfileFields = toml::Value::Table(pdf)
        .try_into()
        .map_err(|e| invalid(format!("[pdf]: {e}")))?;
    profiles::page(&fields.over(base)).map_err(|e| invalid(format!("[pdf] (profile {name}): {e}")))
}

/// The thickness of a leaf `[cover] paper` gives, as mm or as the name of a paper.
fn caliper(paper: Option<&toml::Value>, book_path: &Path) -> Result<f32> {
    let caliper = match paper {
        None => return Ok(DEFAULT_CALIPER),
        Some(toml::Value::Float(mm)) => Some(*mm as f32),
        Some(toml::Value::Integer(mm)) => Some(*mm as f32),
        Some(toml::Value::String(name)) => PAPERS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, mm)| *mm),
        Some(_) => None,
    };
    match caliper {
        Some(mm) if mm > 0.0 && mm <= 1.0 => Ok(mm),
        _ => {
            let names: Vec<&str> = PAPERS.iter().map(|(n, _)| *n).collect();
            Err(Error::Located(Diagnostic::error(
                book_path.to_path_buf(),
                None,
                format!(
                    "[cover] paper must be the thickness of a leaf in mm (such as 0.1) or one of {}",
                    names.join(", ")
                ),
            )))
        }
    }
}

/// Text without control characters, which XML forbids and PDF viewers show as garbage.
fn without_controls(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

fn bad_value(file: &Path, key: &str, value: &str) -> Error {
    Error::Located(Diagnostic::error(
        file.to_path_buf(),
        None,
        format!("invalid value for {key}: {value} (expected a date such as 2024-05-01)"),
    ))
}

fn toml_date(d: &toml::value::Datetime) -> Option<jiff::civil::Date> {
    let date = d.date?;
    jiff::civil::Date::new(date.year as i16, date.month as i8, date.day as i8).ok()
}

fn folder_name(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Untitled".into())
}

/// Hexo writes `zh-CN`, `zh_CN`, `zh-Hans`; EPUB wants a BCP 47 tag.
fn normalise_language(lang: Option<&str>) -> String {
    match lang
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "default")
    {
        Some(l) => l.replace('_', "-"),
        None => "zh-CN".into(),
    }
}

/// A stable `urn:uuid:` from title and author, so rebuilding a book keeps its identity.
fn derived_identifier(title: &str, author: Option<&str>) -> String {
    let name = format!("inkstone:{title}:{}", author.unwrap_or(""));
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes());
    format!("urn:uuid:{id}")
}

/// The output file stem: an ASCII slug of the title, or of the blog folder's name when the
/// title has no ASCII letters (most Chinese titles), or `book`.
fn file_stem_for(title: &str, blog_root: &Path) -> String {
    let slug = |s: &str| {
        let mut out = String::new();
        for c in s.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        out.trim_end_matches('-').to_string()
    };
    [slug(title), slug(&folder_name(blog_root))]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| "book".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_normalised() {
        assert_eq!(normalise_language(Some("zh_CN")), "zh-CN");
        assert_eq!(normalise_language(Some("zh-Hans")), "zh-Hans");
        assert_eq!(normalise_language(None), "zh-CN");
        assert_eq!(normalise_language(Some("default")), "zh-CN");
    }

    #[test]
    fn identifier_is_stable_and_depends_on_title() {
        let a = derived_identifier("砚边集", Some("林间"));
        assert_eq!(a, derived_identifier("砚边集", Some("林间")));
        assert_ne!(a, derived_identifier("砚边集二", Some("林间")));
        assert!(a.starts_with("urn:uuid:"));
    }

    #[test]
    fn file_stem_prefers_ascii_title_then_folder() {
        let root = Path::new("/nonexistent/my-blog");
        assert_eq!(file_stem_for("Notes on Rust", root), "notes-on-rust");
        assert_eq!(
            file_stem_for("砚边集", Path::new("/nonexistent/博客")),
            "book"
        );
        assert_eq!(file_stem_for("砚边集", root), "my-blog");
    }

    #[test]
    fn line_of_counts_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }
}
