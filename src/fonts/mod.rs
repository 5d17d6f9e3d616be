//! Fonts: finding the shipped fonts or the ones book.toml names, and subsetting them.
//!
//! The shipped fonts live in the repository's `fonts/` folder. An installed inkstone finds
//! them through `INKSTONE_FONTS`, beside the executable (`fonts/` or `../share/inkstone/fonts/`),
//! or in the source tree it was built from.

pub mod face;
pub mod subset;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::config::Fonts;

/// Why the book's fonts cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("cannot read font {}: {source} (check [fonts] in book.toml)", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not a font file inkstone can read (TrueType or OpenType)", path.display())]
    NotAFont { path: PathBuf },
    #[error("{} is not a font inkstone can shape with", path.display())]
    NotShapable { path: PathBuf },
    #[error(
        "the shipped font {file} was not found (searched {searched}); set INKSTONE_FONTS to \
         inkstone's fonts/ folder or name fonts in book.toml"
    )]
    ShippedMissing { file: String, searched: String },
    #[error("no font loaded for {0:?}")]
    NoFontFor(Role),
}

type Result<T, E = FontError> = std::result::Result<T, E>;

/// The role a font plays in the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// 宋体: body text.
    Body,
    /// 黑体: headings and strong emphasis.
    Heading,
    /// 楷体: emphasis.
    Emphasis,
    /// Code.
    Mono,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Body, Role::Heading, Role::Emphasis, Role::Mono];

    fn shipped_file(self) -> &'static str {
        match self {
            Role::Body => "NotoSerifSC-Regular.ttf",
            Role::Heading => "NotoSansSC-Bold.ttf",
            Role::Emphasis => "LXGWWenKai-Regular.ttf",
            Role::Mono => "JetBrainsMono-Regular.ttf",
        }
    }
}

/// The fallback chain for characters none of the book fonts has (PDF only), in order: dingbats,
/// arrows and other symbols; math operators; older symbol blocks; emoji.
const FALLBACK_FILES: [&str; 4] = [
    "NotoSansSymbols2-Regular.ttf",
    "NotoSansMath-Regular.ttf",
    "NotoSansSymbols-Regular.ttf",
    "NotoEmoji-Regular.ttf",
];

/// The math font: its MATH table drives the layout of formulas, and, last in the chain, it
/// sets the symbols no other face has.
const MATH_FILE: &str = "STIXTwoMath-Regular.ttf";

/// Han characters of the supplementary planes (Extension B onwards, U+20000–U+3FFFF), the last
/// face of the chain: 30 MB, so read only when a book holds such a character.
const RARE_HAN_FILE: &str = "HanaMinB.ttf";

fn is_supplementary_han(c: char) -> bool {
    matches!(c as u32, 0x20000..=0x3FFFF)
}

/// A font file read into memory.
pub struct FontFile {
    pub role: Role,
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Reads the font for `role`: the configured file, else the shipped one.
pub fn load(role: Role, fonts: &Fonts) -> Result<FontFile> {
    let configured = match role {
        Role::Body => &fonts.body,
        Role::Heading => &fonts.heading,
        Role::Emphasis => &fonts.emphasis,
        Role::Mono => &fonts.mono,
    };
    let path = match configured {
        Some(path) => path.clone(),
        None => shipped(role.shipped_file())?,
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(source) => return Err(FontError::Unreadable { path, source }),
    };
    if harfrust::Font::new(bytes.clone(), 0).is_none() {
        return Err(FontError::NotAFont { path });
    }
    Ok(FontFile { role, path, bytes })
}

/// Reads the font of every role, in `Role::ALL` order.
pub fn load_all(fonts: &Fonts) -> Result<Vec<FontFile>> {
    Role::ALL.iter().map(|&role| load(role, fonts)).collect()
}

/// A shipped fallback face and the characters of a book it is to set.
pub struct Fallback {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub chars: BTreeSet<char>,
}

/// The shipped fallback faces that hold some of `chars` (characters the book's fonts lack), in
/// the order of the chain, each with the characters it is the first to have. The rare-Han face
/// is read only when `chars` holds supplementary-plane Han.
pub fn fallbacks_for(chars: &BTreeSet<char>) -> Vec<Fallback> {
    let mut left = chars.clone();
    let rare = chars
        .iter()
        .any(|&c| is_supplementary_han(c))
        .then_some(RARE_HAN_FILE);
    let mut found = Vec::new();
    for file in FALLBACK_FILES.iter().copied().chain(rare) {
        if left.is_empty() {
            break;
        }
        let Ok(path) = shipped(file) else { continue };
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let mine = subset::mapped_chars(&bytes, &left);
        if mine.is_empty() {
            continue;
        }
        left.retain(|c| !mine.contains(c));
        found.push(Fallback {
            path,
            bytes,
            chars: mine,
        });
    }
    found
}

/// The folders the shipped fonts may be in, most specific first.
fn shipped_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("INKSTONE_FONTS") {
        dirs.push(PathBuf::from(dir));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir.join("fonts"));
        dirs.push(exe_dir.join("../share/inkstone/fonts"));
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"));
    dirs
}

fn shipped(file: &str) -> Result<PathBuf> {
    let dirs = shipped_dirs();
    dirs.iter()
        .map(|d| d.join(file))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            let searched: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            FontError::ShippedMissing {
                file: file.to_string(),
                searched: searched.join(", "),
            }
        })
}

/// The faces of a book, one per role, with the fallback chain for characters a face lacks.
#[derive(Debug)]
pub struct FontSet {
    /// In the order of `Role::ALL`, then fallback faces.
    pub faces: Vec<Arc<face::Face>>,
    /// The index of the math font among `faces`, when it is there.
    math: Option<usize>,
    /// The face for supplementary-plane Han, read on first use (`None` inside: not shipped).
    rare_han: OnceLock<Option<Arc<face::Face>>>,
}

impl FontSet {
    /// Prepares the loaded files for shaping (in `Role::ALL` order).
    pub fn new(files: &[FontFile]) -> Result<FontSet> {
        let mut faces = Vec::new();
        for role in Role::ALL {
            let file = files
                .iter()
                .find(|f| f.role == role)
                .ok_or(FontError::NoFontFor(role))?;
            let face = face::Face::new(Arc::new(file.bytes.clone()), 0).ok_or_else(|| {
                FontError::NotShapable {
                    path: file.path.clone(),
                }
            })?;
            faces.push(Arc::new(face));
        }
        // Symbols and emoji none of the book fonts has: the shipped fallbacks that are present.
        faces.extend(
            FALLBACK_FILES
                .iter()
                .filter_map(|file| read_shipped_face(file)),
        );
        let math = read_shipped_face(MATH_FILE).map(|face| {
            faces.push(face);
            faces.len() - 1
        });
        Ok(FontSet {
            faces,
            math,
            rare_han: OnceLock::new(),
        })
    }

    /// The face with index `i` (as `face_for` gives).
    pub fn face(&self, i: usize) -> &face::Face {
        match self.faces.get(i) {
            Some(face) => face,
            None => self.rare_han().unwrap_or(&self.faces[0]),
        }
    }

    /// Every face loaded so far, in index order: what the PDF embeds.
    pub fn loaded(&self) -> Vec<Arc<face::Face>> {
        let mut all = self.faces.clone();
        all.extend(self.rare_han.get().cloned().flatten());
        all
    }

    fn rare_han(&self) -> Option<&face::Face> {
        self.rare_han
            .get_or_init(|| read_shipped_face(RARE_HAN_FILE))
            .as_deref()
    }

    /// The index of the math font, if it was found.
    pub fn math_face(&self) -> Option<usize> {
        self.math
    }

    pub fn index(role: Role) -> usize {
        Role::ALL.iter().position(|r| *r == role).unwrap_or(0)
    }

    /// The face to set `c` in for text of `role`: the role's own face if it has the
    /// character, else the first face of the chain body → heading → emphasis → mono →
    /// fallback (symbols, math, emoji, then supplementary-plane Han) that has it; `None` if no face has it.
    pub fn face_for(&self, role: Role, c: char) -> Option<usize> {
        let own = Self::index(role);
        if self.faces[own].has_char(c) {
            return Some(own);
        }
        (0..self.faces.len())
            .find(|&i| self.faces[i].has_char(c))
            .or_else(|| {
                let rare = is_supplementary_han(c).then(|| self.rare_han()).flatten()?;
                rare.has_char(c).then_some(self.faces.len())
            })
    }
}

/// A shipped face, if its file is there and readable.
fn read_shipped_face(file: &str) -> Option<Arc<face::Face>> {
    let path = shipped(file).ok()?;
    let bytes = std::fs::read(path).ok()?;
    face::Face::new(Arc::new(bytes), 0).map(Arc::new)
}
