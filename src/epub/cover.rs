// TEMPORARY stand-in until the real cover renderer lands.
pub struct CoverText<'a> {
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    pub author: Option<&'a str>,
}
#[derive(Debug)]
pub struct CoverError(pub String);
impl std::fmt::Display for CoverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for CoverError {}
pub fn render_cover(_t: &CoverText, _h: &[u8], _b: &[u8]) -> Result<Vec<u8>, CoverError> {
    Ok(vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'])
}
