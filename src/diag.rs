//! Diagnostics: warnings and errors that point at a file and line of the user's blog.
//!
//! Every stage reports problems here instead of printing, so the CLI decides how they are
//! shown (and `--strict` can turn warnings into errors). Stages may run in parallel, hence the
//! lock.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One message about the input, located as precisely as we know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn warning(
        file: impl Into<Option<PathBuf>>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            file: file.into(),
            line,
            column: None,
            message: message.into(),
        }
    }

    pub fn error(
        file: impl Into<Option<PathBuf>>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            ..Diagnostic::warning(file, line, message)
        }
    }

    pub fn at_column(mut self, column: Option<usize>) -> Self {
        self.column = column;
        self
    }

    /// `file:line:column: message`, the form compilers use, so editors can jump to it.
    pub fn location(&self) -> String {
        let mut out = String::new();
        if let Some(file) = &self.file {
            out.push_str(&file.display().to_string());
            if let Some(line) = self.line {
                out.push_str(&format!(":{line}"));
                if let Some(column) = self.column {
                    out.push_str(&format!(":{column}"));
                }
            }
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = self.location();
        if location.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{location}: {}", self.message)
        }
    }
}

/// Collects diagnostics from every stage, in a stable order for output.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&self, diagnostic: Diagnostic) {
        // A poisoned lock only means another thread panicked mid-push; the list is still usable.
        let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        items.push(diagnostic);
    }

    pub fn warn(&self, file: &Path, line: Option<usize>, message: impl Into<String>) {
        self.push(Diagnostic::warning(file.to_path_buf(), line, message));
    }

    pub fn error_count(&self) -> usize {
        self.snapshot()
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// All diagnostics sorted by file, line and message: parallel stages report in any order,
    /// the user should see the same list every run.
    pub fn snapshot(&self) -> Vec<Diagnostic> {
        let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner()).clone();
        items.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        items.dedup();
        items
    }
}

/// The warning for a character no font of the book has.
pub fn no_font_has(c: char) -> String {
    format!(
        "no font has the character {c} (U+{:04X}); the PDF prints its code point in a box",
        c as u32
    )
}

/// A failure in the input that stops the run: a file that cannot be read, a configuration or
/// blog that is not what it must be. (Failures of the back ends are `pipeline::Error`.)
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Located(Diagnostic),
    #[error("{count} error(s) in the input; no book was written")]
    Invalid { count: usize },
    #[error(
        "{} is not a Hexo blog: it has no source/ folder (expected source/_posts/*.md{})",
        root.display(),
        if *has_book_file { "; set [book] source in book.toml" } else { "" }
    )]
    NotABlog { root: PathBuf, has_book_file: bool },
    #[error("{} does not exist: a Hexo blog keeps its posts there", .0.display())]
    NoPostsFolder(PathBuf),
    #[error(
        "no posts to put in the book: {} holds no published post{}",
        folder.display(),
        if *filtered { " that passes the [filter] of book.toml" } else { "" }
    )]
    NoPosts { folder: PathBuf, filtered: bool },
    #[error("{}: the cover is {format}; it must be a PNG or JPEG image", path.display())]
    CoverFormat { path: PathBuf, format: &'static str },
    #[error("{}: the cover cannot be used: {reason}", path.display())]
    CoverUnusable { path: PathBuf, reason: String },
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
