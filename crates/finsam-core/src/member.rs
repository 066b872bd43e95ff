//! Member organisations of a förbund.

use serde::{Deserialize, Serialize};

/// The four kinds of member the law allows. Funding follows the kind: the state pays half through
/// Försäkringskassan (on behalf of FK and AF), the region a quarter, the kommuner a quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberKind {
    Kommun,
    Region,
    Forsakringskassan,
    Arbetsformedlingen,
}

impl MemberKind {
    pub const ALL: [MemberKind; 4] = [
        Self::Kommun,
        Self::Region,
        Self::Forsakringskassan,
        Self::Arbetsformedlingen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kommun => "kommun",
            Self::Region => "region",
            Self::Forsakringskassan => "forsakringskassan",
            Self::Arbetsformedlingen => "arbetsformedlingen",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// How the kind is written in Swedish running text.
    pub fn label(self) -> &'static str {
        match self {
            Self::Kommun => "Kommun",
            Self::Region => "Region",
            Self::Forsakringskassan => "Försäkringskassan",
            Self::Arbetsformedlingen => "Arbetsförmedlingen",
        }
    }

    /// Order in member lists: the state first, then the region, then the kommuner (as the förbund list them).
    pub fn sort_key(self) -> u8 {
        match self {
            Self::Forsakringskassan => 0,
            Self::Arbetsformedlingen => 1,
            Self::Region => 2,
            Self::Kommun => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in MemberKind::ALL {
            assert_eq!(MemberKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(MemberKind::parse("Kommun"), None);
    }
}
