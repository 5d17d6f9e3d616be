// TEMPORARY stand-in until the real subsetter lands.
#[derive(Debug)]
pub struct SubsetError(pub String);
impl std::fmt::Display for SubsetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for SubsetError {}
pub fn subset_for_epub(
    font: &[u8],
    _index: u32,
    _chars: &std::collections::BTreeSet<char>,
) -> Result<Vec<u8>, SubsetError> {
    Ok(font.to_vec())
}
