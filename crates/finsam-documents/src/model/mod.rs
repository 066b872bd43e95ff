//! The input of each template, built from the stored year: `{"meta": …, "data": …}` as
//! `typst-templates/README.md` describes it. Every figure is computed here by `finsam_core::finance` and
//! formatted the Swedish way; the templates only lay out. Texts written by the kansli are passed as
//! parsed blocks ([`blocks`]), never as markup.

pub mod arsredovisning;
pub mod delarsrapport;
pub mod minnesanteckningar;
pub mod verksamhetsplan;

use crate::Kind;
use chrono::NaiveDate;
use finsam_core::money::{Ore, format_integer, format_percent_tenths};
use serde_json::{Value, json};

/// What every document carries beside its data.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// The förbund's name, as printed.
    pub forbund: String,
    /// The förbund's organisationsnummer, when known.
    pub orgnr: Option<String>,
    /// The document's date: the PDF's creation date comes from it, so the same input gives the same file.
    pub date: Option<NaiveDate>,
    /// `/logo.png` or `/logo.svg` when the förbund has a logo.
    pub logo: Option<String>,
    /// Why this is a draft (stamped UTKAST on every page), if it is one.
    pub draft: Option<String>,
    /// The signature page's data, once the document is signed.
    pub signing: Option<Value>,
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{0}")]
    Missing(String),
}

/// The envelope `{meta, data}` for a kind, with its title.
pub fn envelope(
    kind: Kind,
    meta: &Meta,
    title: String,
    subtitle: Option<String>,
    data: Value,
) -> Value {
    let date = meta
        .date
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid"));
    json!({
        "meta": {
            "kind": kind.as_str(),
            "title": title,
            "subtitle": subtitle,
            "forbund": meta.forbund,
            "orgnr": meta.orgnr,
            "date": date.to_string(),
            "logo": meta.logo,
            "draft": meta.draft.as_ref().map(|r| json!({ "reason": r })),
            "signing": meta.signing,
        },
        "data": data,
    })
}

/// Whole kronor the Swedish way, with no-break spaces between groups and a real minus: `8 438 882`.
pub fn kr(o: Ore) -> String {
    nbsp(o.format_kr())
}

/// [`kr`] of an optional amount in öre, or null.
pub fn kr_opt(o: Option<i64>) -> Value {
    o.map_or(Value::Null, |v| Value::String(kr(Ore(v))))
}

/// Thousands of kronor, rounded half away from zero: `8 439`.
pub fn tkr(o: Ore) -> String {
    let kronor = o.round_kronor();
    let t = if kronor >= 0 {
        (kronor + 500) / 1000
    } else {
        (kronor - 500) / 1000
    };
    nbsp(format_integer(t))
}

/// An integer with no-break spaces between groups.
pub fn int(n: i64) -> String {
    nbsp(format_integer(n))
}

/// A percentage from tenths, with one decimal: `18,5 %`.
pub fn percent_tenths(tenths: i64) -> String {
    nbsp(format_percent_tenths(tenths))
}

/// A percentage from tenths, rounded to whole per cent: `70 %`.
pub fn percent_whole(tenths: i64) -> String {
    let whole = if tenths >= 0 {
        (tenths + 5) / 10
    } else {
        (tenths - 5) / 10
    };
    nbsp(format!("{} %", format_integer(whole)))
}

fn nbsp(s: String) -> String {
    s.replace(' ', "\u{a0}")
}

/// A kansli text as the templates take it: parsed blocks of spans, `[]` for no text.
pub fn blocks(text: &str) -> Value {
    serde_json::to_value(finsam_core::markup::parse(text)).expect("blocks always serialise")
}

/// A date as printed: `2024-12-31`.
pub fn date(d: NaiveDate) -> String {
    d.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_figures() {
        assert_eq!(kr(Ore(-15_557_390)), "\u{2212}155\u{a0}574");
        assert_eq!(kr(Ore(843_888_200)), "8\u{a0}438\u{a0}882");
        assert_eq!(tkr(Ore(843_888_200)), "8\u{a0}439");
        assert_eq!(tkr(Ore(-15_557_390)), "\u{2212}156");
        assert_eq!(percent_tenths(185), "18,5\u{a0}%");
        assert_eq!(percent_whole(698), "70\u{a0}%");
        assert_eq!(kr_opt(None), Value::Null);
    }

    #[test]
    fn user_text_is_data_never_markup() {
        let b = blocks("#read(\"/etc/passwd\") ]# **fet**\n\n- punkt");
        assert_eq!(b[0]["type"], "paragraph");
        assert_eq!(b[0]["content"][0]["text"], "#read(\"/etc/passwd\") ]# ");
        assert_eq!(b[0]["content"][1]["bold"], true);
        assert_eq!(b[1]["type"], "list");
    }
}
