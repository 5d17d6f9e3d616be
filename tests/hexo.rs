//! Hexo as the oracle: every corpus blog read by real Hexo 7 (its own loader, through
//! `tests/hexo/posts.js`) and by `inkstone check --json` gives the same posts, titles, dates
//! to the minute, category paths and tags. Where inkstone differs on purpose (a title from
//! the file name where Hexo has none, copies and editor leftovers left out, categories from
//! folders for the book's parts) the difference is checked to be exactly that.
//!
//! Needs Node.js and Hexo, which `.ci/run` installs into `target/hexo`
//! (`npm install --prefix target/hexo hexo@7`; another folder holding `node_modules/hexo`
//! can be named in `INKSTONE_HEXO`); without them the test says so and skips (fails under
//! CI=true).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{corpus_blogs, find_tool, inkstone, missing, stderr};
use serde_json::Value;

const POSTS_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hexo/posts.js");

/// The `node_modules` folder holding Hexo, or `None` after the CI rule.
fn hexo_modules() -> Option<PathBuf> {
    let root = std::env::var_os("INKSTONE_HEXO")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/hexo"));
    let modules = root.join("node_modules");
    if !modules.join("hexo/package.json").is_file() {
        missing(&format!(
            "Hexo not found in {} (npm install --prefix target/hexo hexo@7)",
            modules.display()
        ));
        return None;
    }
    Some(modules)
}

/// The posts as Hexo reads them, by source path.
fn hexo_posts(node: &Path, modules: &Path, blog: &Path) -> BTreeMap<String, Value> {
    let output = Command::new(node)
        .arg(POSTS_SCRIPT)
        .arg(blog)
        .env("NODE_PATH", modules)
        // A blog that names no time zone is read in UTC+8 by inkstone; Hexo uses the
        // machine's zone, so the machine's is set to China's.
        .env("TZ", "Asia/Shanghai")
        .output()
        .expect("run node");
    assert!(
        output.status.success(),
        "Hexo could not read {}: {}",
        blog.display(),
        stderr(&output)
    );
    let posts: Vec<Value> = serde_json::from_slice(&output.stdout).expect("Hexo's JSON");
    by_source(posts)
}

/// `inkstone check --json`: the posts by source path, and the files left out with why.
fn inkstone_posts(blog: &Path) -> (BTreeMap<String, Value>, BTreeMap<String, String>) {
    let output = inkstone()
        .args(["check", "--json", "--quiet"])
        .arg(blog)
        .output()
        .expect("run inkstone");
    assert!(output.status.success(), "{}", stderr(&output));
    let listing: Value = serde_json::from_slice(&output.stdout).expect("inkstone's JSON");
    let posts = listing["posts"].as_array().expect("posts").clone();
    let left_out = listing["left_out"]
        .as_array()
        .expect("left_out")
        .iter()
        .map(|o| (text(o, "source"), text(o, "reason")))
        .collect();
    (by_source(posts), left_out)
}

fn by_source(posts: Vec<Value>) -> BTreeMap<String, Value> {
    posts.into_iter().map(|p| (text(&p, "source"), p)).collect()
}

fn text(value: &Value, key: &str) -> String {
    value[key].as_str().unwrap_or_default().to_string()
}

/// Left out on purpose, as the README lists: a copy of another post, an editor's or sync
/// tool's leftover. (Hexo keeps both.)
fn left_out_by_design(reason: &str) -> bool {
    reason.starts_with("a copy of ") || reason == "an editor or sync leftover"
}

/// Every difference between Hexo's reading of one post and inkstone's that is not by design.
fn differences(source: &str, hexo: &Value, ours: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let (their_title, our_title) = (text(hexo, "title"), text(ours, "title"));
    // Hexo leaves a post without `title:` untitled; inkstone titles it by its file name.
    let stem = source.rsplit('/').next().unwrap_or(source);
    let stem = stem.rsplit_once('.').map_or(stem, |(stem, _)| stem);
    let title_by_design =
        their_title.is_empty() && !our_title.is_empty() && stem.ends_with(&our_title);
    if their_title != our_title && !title_by_design {
        found.push(format!(
            "title: Hexo {their_title:?}, inkstone {our_title:?}"
        ));
    }
    for key in ["date", "categories", "tags"] {
        if hexo[key] != ours[key] {
            found.push(format!("{key}: Hexo {}, inkstone {}", hexo[key], ours[key]));
        }
    }
    found
}

#[test]
fn every_corpus_blog_reads_as_hexo_reads_it() {
    let Some(blogs) = corpus_blogs() else {
        return;
    };
    let Some(node) = find_tool("node", "apt-get install nodejs") else {
        return;
    };
    let Some(modules) = hexo_modules() else {
        return;
    };
    let mut problems = Vec::new();
    for blog in blogs {
        let name = blog
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let theirs = hexo_posts(&node, &modules, &blog);
        let (ours, left_out) = inkstone_posts(&blog);
        assert!(!theirs.is_empty(), "Hexo found no post in {name}");
        for source in theirs.keys() {
            match (ours.contains_key(source), left_out.get(source)) {
                (true, _) => {}
                (false, Some(reason)) if left_out_by_design(reason) => {}
                (false, Some(reason)) => problems.push(format!(
                    "{name}/{source}: left out ({reason}), Hexo reads it"
                )),
                (false, None) => problems.push(format!("{name}/{source}: not read by inkstone")),
            }
        }
        for source in ours.keys().filter(|s| !theirs.contains_key(*s)) {
            problems.push(format!("{name}/{source}: read by inkstone, not by Hexo"));
        }
        for (source, hexo) in &theirs {
            if let Some(ours) = ours.get(source) {
                for difference in differences(source, hexo, ours) {
                    problems.push(format!("{name}/{source}: {difference}"));
                }
            }
        }
        // A post that names no category is filed by the folders it sits in (fightinggg's
        // posts all are), else under the default category.
        for (source, post) in &ours {
            let folders: Vec<&str> = source.split('/').collect();
            let folders = &folders[..folders.len() - 1];
            let names_none = post["categories"].as_array().is_some_and(Vec::is_empty);
            let filed: Vec<&str> = (post["filed_under"].as_array().expect("filed_under").iter())
                .filter_map(Value::as_str)
                .collect();
            if names_none && !folders.is_empty() && filed != folders {
                problems.push(format!(
                    "{name}/{source}: filed under {filed:?}, not its folders"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} difference(s) from Hexo:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
