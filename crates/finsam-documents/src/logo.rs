//! The förbund's logo: a PNG or an SVG the kansli uploads, checked before it is kept. A logo is accepted
//! only when it is small, is what it says it is, refers to nothing outside itself, and a document with it
//! compiles to PDF/A.

use crate::model::{self, Meta};
use crate::{Engine, Job, Kind};

/// Logos above this size are refused.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoKind {
    Png,
    Svg,
}

impl LogoKind {
    pub fn ext(self) -> &'static str {
        match self {
            LogoKind::Png => "png",
            LogoKind::Svg => "svg",
        }
    }

    pub fn parse(ext: &str) -> Option<Self> {
        match ext {
            "png" => Some(LogoKind::Png),
            "svg" => Some(LogoKind::Svg),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            LogoKind::Png => "image/png",
            LogoKind::Svg => "image/svg+xml",
        }
    }

    /// The path the templates read it from.
    pub fn asset_path(self) -> &'static str {
        match self {
            LogoKind::Png => "/logo.png",
            LogoKind::Svg => "/logo.svg",
        }
    }
}

/// Checks an upload; answers its kind, or why it is refused (in Swedish, for the form).
pub fn check(bytes: &[u8]) -> Result<LogoKind, String> {
    if bytes.is_empty() {
        return Err("Välj en bildfil.".into());
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(format!(
            "Logotypen får vara högst {} kB.",
            MAX_LOGO_BYTES / 1024
        ));
    }
    let kind = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        check_png(bytes)?;
        LogoKind::Png
    } else {
        check_svg(bytes)?;
        LogoKind::Svg
    };
    // The proof: a document with it compiles to PDF/A.
    let meeting: finsam_core::yearfile::Meeting = serde_json::from_value(serde_json::json!({
        "key": "logo", "kind": "styrelsemote", "title": "Logotyp", "date": "2024-01-01", "place": "", "items": [],
    }))
    .expect("a bare meeting");
    let meta = Meta {
        forbund: "Förbundet".into(),
        logo: Some(kind.asset_path().into()),
        ..Meta::default()
    };
    let input = model::minnesanteckningar::build(&meeting, &meta).map_err(|e| e.to_string())?;
    Engine::global()
        .render(&Job {
            kind: Kind::Minnesanteckningar,
            input: &serde_json::to_vec(&input).expect("JSON"),
            date: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date"),
            assets: vec![(kind.asset_path(), bytes.to_vec())],
        })
        .map_err(|_| "Bilden kunde inte läsas. Spara den på nytt som PNG eller SVG.".to_owned())?;
    Ok(kind)
}

fn check_png(bytes: &[u8]) -> Result<(), String> {
    // IHDR is the first chunk: width and height as big-endian u32 at 16..24.
    if bytes.len() < 24 || &bytes[12..16] != b"IHDR" {
        return Err("Filen är ingen giltig PNG-bild.".into());
    }
    let w = u32::from_be_bytes(bytes[16..20].try_into().expect("4 bytes"));
    let h = u32::from_be_bytes(bytes[20..24].try_into().expect("4 bytes"));
    if w == 0 || h == 0 || w > 4000 || h > 4000 {
        return Err("Bilden ska vara högst 4000 × 4000 bildpunkter.".into());
    }
    Ok(())
}

fn check_svg(bytes: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| "Filen är varken en PNG- eller en SVG-bild.".to_owned())?;
    let lower = text.to_lowercase();
    if !lower.contains("<svg") {
        return Err("Filen är varken en PNG- eller en SVG-bild.".into());
    }
    if lower.contains("<script") || lower.contains("<foreignobject") || lower.contains("<!entity") {
        return Err("SVG-bilden innehåller skript eller inbäddat innehåll. Spara den utan.".into());
    }
    // Every reference must stay inside the file (#id) or be inline data.
    for attr in ["href=\"", "href='", "url("] {
        let mut rest = lower.as_str();
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let target = rest.trim_start_matches(['"', '\'']);
            if !(target.starts_with('#') || target.starts_with("data:")) {
                return Err(
                    "SVG-bilden hämtar något utifrån (en länk eller bild). Spara den fristående."
                        .into(),
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10"><rect width="40" height="10" fill="#1b4f72"/><use href="#r"/></svg>"##;

    fn png(w: u32, h: u32) -> Vec<u8> {
        // A real 1×1 PNG, with the IHDR size patched for the size checks.
        let mut b = vec![
            0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
            0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0d, 0x49,
            0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x60, 0x60, 0xf8, 0x0f, 0, 0x01, 0x04, 0x01,
            0, 0x5f, 0xe5, 0xc3, 0x4b, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
        ];
        b[16..20].copy_from_slice(&w.to_be_bytes());
        b[20..24].copy_from_slice(&h.to_be_bytes());
        b
    }

    #[test]
    fn a_plain_svg_and_a_real_png_are_accepted() {
        assert_eq!(check(SVG.as_bytes()), Ok(LogoKind::Svg));
        assert_eq!(check(&png(1, 1)), Ok(LogoKind::Png));
    }

    #[test]
    fn what_is_not_a_small_self_contained_image_is_refused_with_a_reason() {
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (vec![], "Välj"),
            (vec![b'x'; MAX_LOGO_BYTES + 1], "högst"),
            (b"GIF89a...".to_vec(), "varken"),
            (png(5000, 10), "4000"),
            (
                br#"<svg><script>alert(1)</script></svg>"#.to_vec(),
                "skript",
            ),
            (
                br#"<svg><image href="https://example.com/x.png"/></svg>"#.to_vec(),
                "utifrån",
            ),
            (
                br#"<svg><rect style="fill:url(http://x/y)"/></svg>"#.to_vec(),
                "utifrån",
            ),
            (b"<svg this is not xml".to_vec(), "kunde inte läsas"),
        ];
        for (bytes, why) in cases {
            let e = check(&bytes).unwrap_err();
            assert!(e.contains(why), "{e}");
        }
    }
}
