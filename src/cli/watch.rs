//! `inkstone watch`: builds the book, then again after every change to the blog's sources
//! (`source/`, `_config.yml`, `book.toml`), a burst of changes (an editor's save, a `git
//! checkout`) making one build. A build that finds a post it cannot read writes nothing, so
//! the books of the last good build stay until the post is saved whole.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use super::CompileArgs;
use super::compile::{overrides, run_with};
use crate::config;

/// How long the files must be quiet before a build starts: editors write a file in steps.
const SETTLE: Duration = Duration::from_millis(200);

pub fn run(args: &CompileArgs) -> ExitCode {
    run_with(args, true, true);
    let config = match config::load(&args.path, &overrides(args)) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let sources = Sources::of(&config, &args.path);
    let (events, changes) = mpsc::channel();
    let watcher = notify::recommended_watcher(events).and_then(|mut watcher| {
        for (path, mode) in sources.watched() {
            watcher.watch(&path, mode)?;
        }
        Ok(watcher)
    });
    let _watcher = match watcher {
        Ok(watcher) => watcher,
        Err(e) => {
            eprintln!("error: cannot watch {}: {e}", config.blog_root.display());
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "watching {} for changes (Ctrl-C to stop)",
        config.blog_root.display()
    );
    loop {
        let Ok(first) = changes.recv() else {
            return ExitCode::SUCCESS;
        };
        let mut changed: Vec<PathBuf> = sources.relevant(first);
        // The rest of the burst.
        while let Ok(next) = changes.recv_timeout(SETTLE) {
            changed.extend(sources.relevant(next));
        }
        if changed.is_empty() {
            continue;
        }
        changed.sort();
        changed.dedup();
        let shown: Vec<String> = changed
            .iter()
            .take(3)
            .map(|p| {
                p.strip_prefix(&sources.root)
                    .unwrap_or(p)
                    .display()
                    .to_string()
            })
            .collect();
        let more = changed.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        eprintln!("changed: {}{more}; building", shown.join(", "));
        run_with(args, true, true);
    }
}

/// What a build reads: the blog's `source/` and its configuration files.
struct Sources {
    root: PathBuf,
    source: PathBuf,
    files: Vec<PathBuf>,
}

impl Sources {
    fn of(config: &config::Config, project: &Path) -> Sources {
        // Events name absolute paths.
        let absolute = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        let root = absolute(&config.blog_root);
        let files = vec![
            root.join("_config.yml"),
            absolute(project).join(config::BOOK_FILE),
        ];
        Sources {
            source: root.join("source"),
            files,
            root,
        }
    }

    /// `source/` and all below it; the folders holding the configuration files, whose other
    /// entries are passed over.
    fn watched(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut watched = vec![(self.source.clone(), RecursiveMode::Recursive)];
        for file in &self.files {
            if let Some(folder) = file.parent() {
                let entry = (folder.to_path_buf(), RecursiveMode::NonRecursive);
                if !watched.contains(&entry) {
                    watched.push(entry);
                }
            }
        }
        watched
    }

    /// The paths of `event` that a build reads (an error or a read-only access is none).
    fn relevant(&self, event: notify::Result<notify::Event>) -> Vec<PathBuf> {
        let Ok(event) = event else {
            return Vec::new();
        };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return Vec::new();
        }
        event
            .paths
            .into_iter()
            .filter(|p| p.starts_with(&self.source) || self.files.contains(p))
            .collect()
    }
}
