//! The documents the förbund sign and send: the typst templates under `typst-templates/`, compiled
//! in-process ([`engine`]) from JSON that [`model`] builds out of the stored year. User text reaches typst
//! only as data, never as source.

pub mod engine;
pub mod logo;
pub mod model;

pub use engine::{Engine, Job, RenderError, Rendered, TYPST_VERSION};

use serde::{Deserialize, Serialize};

/// The kinds of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Arsredovisning,
    Delarsrapport,
    Verksamhetsplan,
    Minnesanteckningar,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Arsredovisning,
        Kind::Delarsrapport,
        Kind::Verksamhetsplan,
        Kind::Minnesanteckningar,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Arsredovisning => "arsredovisning",
            Kind::Delarsrapport => "delarsrapport",
            Kind::Verksamhetsplan => "verksamhetsplan",
            Kind::Minnesanteckningar => "minnesanteckningar",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The template's folder under `typst-templates/`.
    pub fn folder(self) -> &'static str {
        self.as_str()
    }

    /// The name people use.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Arsredovisning => "Årsredovisning",
            Kind::Delarsrapport => "Delårsrapport",
            Kind::Verksamhetsplan => "Verksamhetsplan",
            Kind::Minnesanteckningar => "Minnesanteckningar",
        }
    }
}
