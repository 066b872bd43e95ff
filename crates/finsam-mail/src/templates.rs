//! Message templates. HTML is auto-escaped; the plain-text part is not HTML and is never escaped.

use minijinja::{Environment, context};
use serde::Serialize;
use std::sync::OnceLock;

/// A rendered message, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // `.html` templates are escaped for HTML by minijinja's default rule; `.txt` are not escaped.
        for (name, src) in [
            ("base.html", include_str!("../templates/base.html")),
            (
                "invitation.html",
                include_str!("../templates/invitation.html"),
            ),
            (
                "invitation.txt",
                include_str!("../templates/invitation.txt"),
            ),
            (
                "password_reset.html",
                include_str!("../templates/password_reset.html"),
            ),
            (
                "password_reset.txt",
                include_str!("../templates/password_reset.txt"),
            ),
        ] {
            env.add_template(name, src)
                .expect("mail templates are valid");
        }
        env
    })
}

fn render(name: &str, subject: String, ctx: minijinja::Value) -> Rendered {
    let env = env();
    let ctx = context! { subject => subject.clone(), ..ctx };
    let text = env
        .get_template(&format!("{name}.txt"))
        .and_then(|t| t.render(&ctx));
    let html = env
        .get_template(&format!("{name}.html"))
        .and_then(|t| t.render(&ctx));
    Rendered {
        subject,
        // The templates are compiled in and tested; a failure here is a programming error.
        text: text.expect("mail text template renders"),
        html: html.expect("mail html template renders"),
    }
}

pub struct Invitation<'a> {
    pub name: &'a str,
    pub inviter: &'a str,
    /// The förbund and the role, when the invitation gives a role in one.
    pub tenant: Option<(&'a str, &'a str)>,
    pub link: &'a str,
    pub expires: &'a str,
    /// A new account chooses its password through the link; an existing one just signs in.
    pub needs_password: bool,
}

pub fn invitation(i: &Invitation<'_>) -> Rendered {
    let subject = match i.tenant {
        Some((tenant, _)) => format!("Inbjudan till Finsam: {tenant}"),
        None => "Inbjudan till Finsam".to_owned(),
    };
    render(
        "invitation",
        subject,
        context! {
            name => i.name, inviter => i.inviter, link => i.link, expires => i.expires,
            tenant_name => i.tenant.map(|t| t.0), role => i.tenant.map(|t| t.1),
            needs_password => i.needs_password,
        },
    )
}

pub struct PasswordReset<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub link: &'a str,
    pub expires: &'a str,
}

pub fn password_reset(r: &PasswordReset<'_>) -> Rendered {
    render(
        "password_reset",
        "Nytt lösenord till Finsam".to_owned(),
        context! { name => r.name, email => r.email, link => r.link, expires => r.expires },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitation_snapshot() {
        let r = invitation(&Invitation {
            name: "Anna Andersson",
            inviter: "Finsam (plattformsadministratör)",
            tenant: Some(("Höglandets samordningsförbund", "kansli")),
            link: "https://finsam.example/inbjudan/abc123",
            expires: "2026-11-29 10:00 +01:00",
            needs_password: true,
        });
        insta::assert_json_snapshot!(r);
    }

    #[test]
    fn password_reset_snapshot() {
        let r = password_reset(&PasswordReset {
            name: "Anna Andersson",
            email: "anna@eksjo.se",
            link: "https://finsam.example/aterstall/abc123",
            expires: "2026-11-22 12:00 +01:00",
        });
        insta::assert_json_snapshot!(r);
    }

    #[test]
    fn html_is_escaped_and_text_is_not() {
        let r = invitation(&Invitation {
            name: "<script>alert(1)</script> & Co",
            inviter: "\"Eve\" <eve@example.com>",
            tenant: Some(("Förbund <b>", "kansli")),
            link: "https://finsam.example/inbjudan/x",
            expires: "i morgon",
            needs_password: false,
        });
        assert!(!r.html.contains("<script>"));
        assert!(
            r.html
                .contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; Co"),
            "{}",
            r.html
        );
        assert!(r.html.contains("Förbund &lt;b&gt;"));
        assert!(
            r.text.contains("<script>alert(1)</script> & Co"),
            "plain text keeps the name as written"
        );
    }
}
