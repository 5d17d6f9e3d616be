//! inkstone: a Hexo blog in, a book out (EPUB 3 now; the PDF back end builds on the same tree).
//!
//! Data flows one way: `config` → `collect` (a `Book` of posts in parts and chapters) →
//! `document` (each post as a typed tree) → back ends (`epub`). `cli` only parses arguments
//! and calls these.

pub mod cli;
pub mod collect;
pub mod config;
pub mod diag;
pub mod document;
pub mod epub;
pub mod fonts;
pub mod layout;
pub mod output;
pub mod pdf;
pub mod zh;
