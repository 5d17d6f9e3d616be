//! Remote images, downloaded only when asked for (`--fetch-images`) and kept in a cache in
//! the blog folder, so a second build reads the same bytes without the network and the book
//! stays the same when a site changes or goes away.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::output::write_atomically;

/// Where the downloads are kept, inside the blog folder.
pub const CACHE_DIR: &str = ".inkstone-cache/images";

/// Largest download accepted: a photo, not a video or a disk image.
const MAX_BYTES: u64 = 32 << 20;

/// How long one download may take, start to end.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Downloads remote images into a cache folder.
pub struct Fetcher {
    cache: PathBuf,
    agent: ureq::Agent,
}

impl Fetcher {
    pub fn new(blog_root: &Path) -> Fetcher {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .user_agent(concat!("inkstone/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Fetcher {
            cache: blog_root.join(CACHE_DIR),
            agent,
        }
    }

    /// The cached file for `url`, downloaded first if it is not in the cache yet.
    pub fn fetch(&self, url: &str) -> Result<PathBuf, String> {
        let url = absolute(url);
        let path = self.cache.join(cache_name(&url));
        if std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() > 0) {
            return Ok(path);
        }
        let bytes = self.download(&url)?;
        write_atomically(&path, &bytes).map_err(|e| format!("cannot keep it in the cache: {e}"))?;
        Ok(path)
    }

    fn download(&self, url: &str) -> Result<Vec<u8>, String> {
        let mut response = self.agent.get(url).call().map_err(|e| e.to_string())?;
        let mut bytes = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| e.to_string())?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(format!("it is larger than {} MB", MAX_BYTES >> 20));
        }
        if bytes.is_empty() {
            return Err("the server sent an empty file".into());
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
    }
}
