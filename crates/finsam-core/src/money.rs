//! Money is kept in öre as integers; only printing rounds to kronor.

use serde::{Deserialize, Serialize};

/// An amount in öre (1 krona = 100 öre).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Ore(pub i64);

impl Ore {
    pub const fn from_kronor(kr: i64) -> Self {
        Self(kr * 100)
    }

    /// Whole kronor, rounded half away from zero, as accountants round for print.
    pub fn round_kronor(self) -> i64 {
        let q = self.0 / 100;
        let r = self.0 % 100;
        if r >= 50 {
            q + 1
        } else if r <= -50 {
            q - 1
        } else {
            q
        }
    }

    /// Whole kronor in Swedish print: `8 438 882`, `−155 574` (a real minus sign).
    pub fn format_kr(self) -> String {
        format_integer(self.round_kronor())
    }
}

impl std::ops::Add for Ore {
    type Output = Ore;
    fn add(self, rhs: Self) -> Self {
        Ore(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Ore {
    type Output = Ore;
    fn sub(self, rhs: Self) -> Self {
        Ore(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Ore {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        Ore(iter.map(|o| o.0).sum())
    }
}

/// An integer with a space between groups of three digits and U+2212 for negatives.
pub fn format_integer(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 3);
    if n < 0 {
        out.push('\u{2212}');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A percentage with one decimal and a decimal comma: `18,5 %`. `tenths` is the value × 10.
pub fn format_percent_tenths(tenths: i64) -> String {
    let sign = if tenths < 0 { "\u{2212}" } else { "" };
    let a = tenths.unsigned_abs();
    format!("{sign}{},{} %", format_integer((a / 10) as i64), a % 10)
}

/// Reads kronor as people type them: `10 000`, `10000`, `1 555 400,50`, `−155 574` (a real minus or `-`).
pub fn parse_kronor(input: &str) -> Result<Ore, &'static str> {
    const MSG: &str = "Ange ett belopp i kronor, till exempel 10 000 eller 1 234,50.";
    let s: String = input
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    let (negative, s) = match s.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest.to_owned()),
        None => (false, s),
    };
    let (whole, frac) = s.split_once([',', '.']).unwrap_or((&s, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(MSG);
    }
    let kr: i64 = whole.parse().map_err(|_| MSG)?;
    let ore: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().map_err(|_| MSG)?
    };
    let total = kr
        .checked_mul(100)
        .and_then(|v| v.checked_add(ore))
        .ok_or(MSG)?;
    Ok(Ore(if negative { -total } else { total }))
}

/// Kronor for a form field: `10 000` or `1 234,50` (no rounding, no minus sign trouble).
pub fn kronor_for_input(o: Ore) -> String {
    let sign = if o.0 < 0 { "-" } else { "" };
    let a = o.0.unsigned_abs();
    let whole = format_integer((a / 100) as i64);
    match a % 100 {
        0 => format!("{sign}{whole}"),
        f => format!("{sign}{whole},{f:02}"),
    }
}

/// Reads a percentage with one decimal: `20`, `18,5`, `18.5 %` → tenths (185).
pub fn parse_percent_tenths(input: &str) -> Result<i64, &'static str> {
    const MSG: &str = "Ange procent med högst en decimal, till exempel 20 eller 18,5.";
    let s = input.trim().trim_end_matches('%').trim();
    let (whole, frac) = s.split_once([',', '.']).unwrap_or((s, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 1
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(MSG);
    }
    let w: i64 = whole.parse().map_err(|_| MSG)?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| MSG)?
    };
    Ok(w * 10 + f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_print() {
        assert_eq!(Ore(843_888_200).format_kr(), "8 438 882");
        assert_eq!(Ore(-15_557_400).format_kr(), "\u{2212}155 574");
        assert_eq!(Ore(0).format_kr(), "0");
        assert_eq!(Ore(99_949).format_kr(), "999");
        assert_eq!(Ore(99_950).format_kr(), "1 000");
        assert_eq!(Ore(-150).format_kr(), "\u{2212}2");
        assert_eq!(format_percent_tenths(185), "18,5 %");
        assert_eq!(format_percent_tenths(-5), "\u{2212}0,5 %");
    }

    #[test]
    fn kronor_and_percent_as_typed() {
        assert_eq!(parse_kronor("10 000"), Ok(Ore(1_000_000)));
        assert_eq!(parse_kronor(" 1 555 400,5 "), Ok(Ore(155_540_050)));
        assert_eq!(parse_kronor("\u{2212}155 574"), Ok(Ore(-15_557_400)));
        assert_eq!(parse_kronor("500.25"), Ok(Ore(50_025)));
        for bad in ["", "tio", "1,234", "1,2,3", "12a", "--5"] {
            assert!(parse_kronor(bad).is_err(), "{bad}");
        }
        assert_eq!(kronor_for_input(Ore(155_540_050)), "1 555 400,50");
        assert_eq!(
            parse_kronor(&kronor_for_input(Ore(-12_345))),
            Ok(Ore(-12_345))
        );
        assert_eq!(parse_percent_tenths("18,5 %"), Ok(185));
        assert_eq!(parse_percent_tenths("20"), Ok(200));
        assert!(parse_percent_tenths("18,55").is_err() && parse_percent_tenths("x").is_err());
    }

    #[test]
    fn sums_stay_exact() {
        let parts = [Ore(11_731_250), Ore(200_991_000)];
        assert_eq!(parts.into_iter().sum::<Ore>(), Ore(212_722_250));
        assert_eq!(Ore::from_kronor(2) - Ore(1), Ore(199));
    }
}
