//! Remote images, downloaded only when asked for (`--fetch-images`) and kept in a cache in
//! the blog folder, so a second build reads the same bytes without the network and the book
//! stays the same when a site changes or goes away.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;

use crate::output::write_atomically;

/// Where the downloads are kept, inside the blog folder.
pub const CACHE_DIR: &str = ".inkstone-cache/images";

/// Largest download accepted: a photo, not a video or a disk image.
const MAX_BYTES: u64 = 32 << 20;

/// How long one download may take, start to end, and how long to wait for a server to
/// answer at all.
const TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Downloads at once: they wait on the network, not on the processor.
const PARALLEL: usize = 8;

/// Why an image could not be downloaded.
enum Failure {
    /// The server cannot be reached: no other image from it is tried.
    Server(String),
    /// This file only (not found, too large, …).
    File(String),
}

/// Downloads remote images into a cache folder.
pub struct Fetcher {
    cache: PathBuf,
    agent: ureq::Agent,
}

impl Fetcher {
    pub fn new(blog_root: &Path) -> Fetcher {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .user_agent(concat!("inkstone/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Fetcher {
            cache: blog_root.join(CACHE_DIR),
            agent,
        }
    }

    /// The cached file for each address, downloaded first where it is not in the cache yet;
    /// or why it could not be had. Servers are asked in parallel, each for one file at a
    /// time, and a server that does not answer is not asked again.
    pub fn fetch_all(&self, urls: Vec<String>) -> BTreeMap<String, Result<PathBuf, String>> {
        let mut by_server: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for url in urls {
            by_server.entry(server_of(&url)).or_default().push(url);
        }
        let fetch_server = |(server, urls): (String, Vec<String>)| {
            let mut unreachable: Option<String> = None;
            let mut results = Vec::new();
            for url in urls {
                let result = match &unreachable {
                    Some(reason) => Err(format!("{server} did not answer ({reason})")),
                    None => self.fetch(&url).map_err(|failure| match failure {
                        Failure::Server(reason) => {
                            unreachable = Some(reason.clone());
                            reason
                        }
                        Failure::File(reason) => reason,
                    }),
                };
                results.push((url, result));
            }
            results
        };
        let servers: Vec<(String, Vec<String>)> = by_server.into_iter().collect();
        let results: Vec<Vec<_>> = match rayon::ThreadPoolBuilder::new()
            .num_threads(PARALLEL)
            .build()
        {
            Ok(pool) => pool.install(|| servers.into_par_iter().map(fetch_server).collect()),
            Err(_) => servers.into_iter().map(fetch_server).collect(),
        };
        results.into_iter().flatten().collect()
    }

    /// The cached file for `url`, downloaded first if it is not in the cache yet.
    fn fetch(&self, url: &str) -> Result<PathBuf, Failure> {
        let url = absolute(url);
        let path = self.cache.join(cache_name(&url));
        if std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() > 0) {
            return Ok(path);
        }
        let bytes = self.download(&url)?;
        write_atomically(&path, &bytes)
            .map_err(|e| Failure::File(format!("cannot keep it in the cache: {e}")))?;
        Ok(path)
    }

    fn download(&self, url: &str) -> Result<Vec<u8>, Failure> {
        let mut response = self.agent.get(url).call().map_err(|e| match e {
            ureq::Error::StatusCode(_) | ureq::Error::BadUri(_) | ureq::Error::TooManyRedirects => {
                Failure::File(e.to_string())
            }
            _ => Failure::Server(e.to_string()),
        })?;
        let mut bytes = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::File(e.to_string()))?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(Failure::File(format!(
                "it is larger than {} MB",
                MAX_BYTES >> 20
            )));
        }
        if bytes.is_empty() {
            return Err(Failure::File("the server sent an empty file".into()));
        }
        Ok(bytes)
    }
}

/// `//host/x` as the blog's pages would load it over HTTPS.
fn absolute(url: &str) -> String {
    match url.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => url.to_string(),
    }
}

/// `host:port` of an address, for grouping downloads by server.
fn server_of(url: &str) -> String {
    let url = absolute(url);
    let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or(rest)
        .to_ascii_lowercase()
}

/// A file name that stands for the address: the name-based UUID of the URL namespace.
fn cache_name(url: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, url.as_bytes()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_names_are_stable_and_differ_by_address() {
        assert_eq!(
            cache_name("https://a.example/x.png"),
            cache_name("https://a.example/x.png")
        );
        assert_ne!(
            cache_name("https://a.example/x.png"),
            cache_name("https://a.example/y.png")
        );
        assert_eq!(absolute("//cdn.example/p.jpg"), "https://cdn.example/p.jpg");
        assert_eq!(
            absolute("http://cdn.example/p.jpg"),
            "http://cdn.example/p.jpg"
        );
        assert_eq!(
            server_of("https://CDN.example:8080/a/b.png?x"),
            "cdn.example:8080"
        );
        assert_eq!(server_of("//cdn.example/p.jpg"), "cdn.example");
    }
}
