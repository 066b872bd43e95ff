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
    fn sums_stay_exact() {
        let parts = [Ore(11_731_250), Ore(200_991_000)];
        assert_eq!(parts.into_iter().sum::<Ore>(), Ore(212_722_250));
        assert_eq!(Ore::from_kronor(2) - Ore(1), Ore(199));
    }
}
