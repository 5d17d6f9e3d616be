//! inkstone: a Hexo blog in, a book out: an EPUB 3 and a PDF typeset by our own engine.
//!
//! Data flows one way: `config` → `collect` (a `Book` of posts in parts and chapters) →
//! `document` (each post as a typed tree) → `images` (every image checked once, remote ones
//! fetched when asked) → back ends (`epub`; `layout` → `pdf`). `pipeline` runs these stages;
//! `cli` only parses arguments, calls `pipeline` and prints. Beside them, used by all and using
//! none: `diag` (warnings and errors), `cjk` (classes of CJK characters) and `zh` (the words
//! the book prints of its own).

pub mod cjk;
pub mod cli;
pub mod collect;
pub mod config;
pub mod diag;
pub mod document;
pub mod epub;
pub mod fonts;
pub mod highlight;
pub mod images;
pub mod layout;
pub mod math;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod zh;
