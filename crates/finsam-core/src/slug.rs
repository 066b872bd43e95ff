//! Keys for records made by hand: lower-case ASCII with hyphens, from a Swedish name.

/// `"SE-Höglandet"` → `"se-hoglandet"`, `"Välfärdsguiden"` → `"valfardsguiden"`.
pub fn key(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' | 'ë' => 'e',
            'ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys() {
        assert_eq!(super::key("SE-Höglandet"), "se-hoglandet");
        assert_eq!(super::key("Välfärdsguiden"), "valfardsguiden");
        assert_eq!(super::key("  Räkna med oss! "), "rakna-med-oss");
        assert_eq!(super::key("Region Jönköpings län"), "region-jonkopings-lan");
    }
}
