//! The Swedish web UI, one module per area. Handlers parse the form, call [`crate::service`], render.

pub mod account;
pub mod admin;
pub mod documents;
pub mod insatser;
pub mod login;
pub mod logo;
pub mod meetings;
pub mod members;
pub mod organisation;
pub mod organisation_edit;
pub mod reports;
pub mod schedule;
pub mod signing;
pub mod surveys;
pub mod tenant;
pub mod year;
pub mod yeardata;

/// A `next` parameter is followed only to a path on this server.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let n = next?;
    (n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && !n.contains("://"))
        .then(|| n.to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_stays_on_this_server() {
        assert_eq!(
            super::safe_next(Some("/t/hoglandet")),
            Some("/t/hoglandet".into())
        );
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "t/x",
        ] {
            assert_eq!(super::safe_next(Some(bad)), None, "{bad}");
        }
    }
}
