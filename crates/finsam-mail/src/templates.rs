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
            ("macros.html", include_str!("../templates/macros.html")),
            (
                "signing_invitation.html",
                include_str!("../templates/signing_invitation.html"),
            ),
            (
                "signing_invitation.txt",
                include_str!("../templates/signing_invitation.txt"),
            ),
            (
                "signing_code.html",
                include_str!("../templates/signing_code.html"),
            ),
            (
                "signing_code.txt",
                include_str!("../templates/signing_code.txt"),
            ),
            (
                "distribution.html",
                include_str!("../templates/distribution.html"),
            ),
            (
                "distribution.txt",
                include_str!("../templates/distribution.txt"),
            ),
            ("notice.html", include_str!("../templates/notice.html")),
            ("notice.txt", include_str!("../templates/notice.txt")),
        ] {
            env.add_template(name, src)
                .expect("mail templates are valid");
        }
        // Only web addresses become `<a href>`; anything else is printed as text.
        env.add_test("web_address", |v: &str| is_web_address(v));
        env
    })
}

fn is_web_address(s: &str) -> bool {
    let lower = s.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// A subject line: one line, whatever the input held (line breaks and other control characters
/// become spaces, runs of spaces collapse).
fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Free text as paragraphs of lines: a blank line separates paragraphs, a single line break
/// stays a line break. CRLF and CR count as line breaks; trailing spaces are dropped.
fn paragraphs(s: &str) -> Vec<Vec<String>> {
    let normalized = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in normalized.split('\n') {
        let line = line.trim_end();
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line.to_owned());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The plain-text form of [`paragraphs`].
fn paragraphs_text(ps: &[Vec<String>]) -> String {
    ps.iter()
        .map(|p| p.join("\n"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// "Anna", "Anna och Bo", "Anna, Bo och Cecilia".
fn swedish_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} och {last}", init.join(", ")),
    }
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

/// An invitation (or a reminder) to sign a document.
pub struct SigningInvitation<'a> {
    pub signer_name: &'a str,
    /// The förbund's name, e.g. "Samordningsförbundet Höglandet".
    pub forbund: &'a str,
    /// E.g. "Årsredovisning 2024".
    pub document_title: &'a str,
    /// Who asks, e.g. the kansli person's name.
    pub sender: &'a str,
    /// The kansli's own message: any characters; blank lines separate paragraphs.
    pub message: Option<&'a str>,
    /// The signer's personal link, `https://host/sign/{token}`.
    pub link: &'a str,
    /// The last day, e.g. "2025-03-31"; the link works until 23:59 that day.
    pub deadline: &'a str,
    /// The other signers' names.
    pub other_signers: &'a [String],
    /// A reminder rather than the first invitation.
    pub reminder: bool,
}

pub fn signing_invitation(i: &SigningInvitation<'_>) -> Rendered {
    let subject = if i.reminder {
        format!("Påminnelse: underskrift begärs: {}", i.document_title)
    } else {
        format!("Underskrift begärs: {}", i.document_title)
    };
    let message = i.message.map(paragraphs).unwrap_or_default();
    render(
        "signing_invitation",
        one_line(&subject),
        context! {
            signer_name => i.signer_name, forbund => i.forbund, tenant_name => i.forbund,
            document_title => i.document_title, sender => i.sender,
            message_text => paragraphs_text(&message), message_paragraphs => message,
            link => i.link, deadline => i.deadline,
            other_signers => swedish_list(i.other_signers), reminder => i.reminder,
        },
    )
}

/// The one-time code a signer confirms a signature with.
pub struct SigningCode<'a> {
    pub signer_name: &'a str,
    pub document_title: &'a str,
    pub code: &'a str,
    pub valid_minutes: u32,
}

/// The text part has the line `Kod: {code}`. The code is never in the subject, which many clients
/// show in notifications on a locked screen.
pub fn signing_code(c: &SigningCode<'_>) -> Rendered {
    let valid_for = match c.valid_minutes {
        1 => "1 minut".to_owned(),
        n => format!("{n} minuter"),
    };
    render(
        "signing_code",
        one_line(&format!("Din kod för att underteckna {}", c.document_title)),
        context! {
            signer_name => c.signer_name, document_title => c.document_title, code => c.code,
            valid_for => valid_for,
        },
    )
}

/// A sealed document sent to its recipients.
pub struct Distribution<'a> {
    pub forbund: &'a str,
    pub document_title: &'a str,
    /// The round's reference number, printed on the signature page.
    pub reference: &'a str,
    /// Where anyone can check the file.
    pub verify_url: &'a str,
    /// The PDF is attached to the message.
    pub attached: bool,
    /// When the file is too large to attach: a link with an expiring token.
    pub download_link: Option<&'a str>,
    /// The last day the download link works, e.g. "2026-12-22".
    pub link_expires: Option<&'a str>,
    /// The förbund's own message: any characters; blank lines separate paragraphs.
    pub message: Option<&'a str>,
}

pub fn distribution(d: &Distribution<'_>) -> Rendered {
    let message = d.message.map(paragraphs).unwrap_or_default();
    render(
        "distribution",
        one_line(&format!("{} från {}", d.document_title, d.forbund)),
        context! {
            forbund => d.forbund, tenant_name => d.forbund, document_title => d.document_title,
            reference => d.reference, verify_url => d.verify_url, attached => d.attached,
            download_link => d.download_link, link_expires => d.link_expires,
            message_text => paragraphs_text(&message), message_paragraphs => message,
        },
    )
}

/// A message to the kansli: a signer declined, a round expired, a document was sealed, the yearly
/// schedule rendered something or found data missing.
pub struct Notice<'a> {
    pub forbund: &'a str,
    pub subject: &'a str,
    pub heading: &'a str,
    /// Each entry is a paragraph; a line break inside one is kept.
    pub paragraphs: &'a [String],
    /// A bullet list, may be empty (e.g. what is missing).
    pub items: &'a [String],
    pub link: Option<&'a str>,
    /// What the link leads to, e.g. "Öppna underskriftsomgången"; printed before the address.
    pub link_text: Option<&'a str>,
}

pub fn notice(n: &Notice<'_>) -> Rendered {
    let body: Vec<Vec<String>> = n.paragraphs.iter().flat_map(|p| paragraphs(p)).collect();
    let items: Vec<String> = n
        .items
        .iter()
        .map(|i| one_line(i))
        .filter(|i| !i.is_empty())
        .collect();
    let link_label = n
        .link_text
        .map(|t| one_line(t).trim_end_matches(':').trim_end().to_owned())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "Öppna i Finsam".to_owned());
    render(
        "notice",
        one_line(n.subject),
        context! {
            forbund => n.forbund, tenant_name => n.forbund, heading => one_line(n.heading),
            body_text => paragraphs_text(&body), body_paragraphs => body, items => items,
            link => n.link, link_label => link_label,
        },
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

    fn signers() -> Vec<String> {
        vec!["Bo Berg".to_owned(), "Cecilia Ek".to_owned()]
    }

    fn sample_invitation<'a>(other_signers: &'a [String]) -> SigningInvitation<'a> {
        SigningInvitation {
            signer_name: "Anna Andersson",
            forbund: "Samordningsförbundet Höglandet",
            document_title: "Årsredovisning 2024",
            sender: "Eva Lind",
            message: Some(
                "Hej!\r\nHär är årsredovisningen som styrelsen beslutade om den 12 mars.\r\n\r\nHör av dig om något är oklart.",
            ),
            link: "https://finsam.example/sign/Zx81kQ",
            deadline: "2025-03-31",
            other_signers,
            reminder: false,
        }
    }

    fn sample_code() -> SigningCode<'static> {
        SigningCode {
            signer_name: "Anna Andersson",
            document_title: "Årsredovisning 2024",
            code: "123456",
            valid_minutes: 10,
        }
    }

    fn sample_distribution() -> Distribution<'static> {
        Distribution {
            forbund: "Samordningsförbundet Höglandet",
            document_title: "Årsredovisning 2024",
            reference: "7K3QX9M2TD",
            verify_url: "https://finsam.example/verify/7K3QX9M2TD",
            attached: true,
            download_link: None,
            link_expires: None,
            message: Some(
                "Bifogat finns årsredovisningen för 2024.\n\nMed vänlig hälsning\nEva Lind, förbundschef",
            ),
        }
    }

    fn sample_notice<'a>(paragraphs: &'a [String], items: &'a [String]) -> Notice<'a> {
        Notice {
            forbund: "Samordningsförbundet Höglandet",
            subject: "Underlag saknas för årsredovisning 2024",
            heading: "Underlag saknas",
            paragraphs,
            items,
            link: Some("https://finsam.example/hoglandet/arsdata/2024"),
            link_text: Some("Komplettera uppgifterna"),
        }
    }

    fn notice_paragraphs() -> Vec<String> {
        vec![
            "Årsredovisningen för 2024 kunde inte tas fram automatiskt eftersom uppgifter saknas."
                .to_owned(),
            "Följande behöver kompletteras:".to_owned(),
        ]
    }

    fn notice_items() -> Vec<String> {
        vec![
            "Deltagarstatistik för fjärde kvartalet".to_owned(),
            "Medlemmarnas bidrag från Region Jönköpings län".to_owned(),
        ]
    }

    #[test]
    fn signing_invitation_snapshot() {
        let others = signers();
        insta::assert_json_snapshot!(signing_invitation(&sample_invitation(&others)));
    }

    #[test]
    fn signing_reminder_snapshot() {
        let r = signing_invitation(&SigningInvitation {
            message: None,
            other_signers: &[],
            reminder: true,
            ..sample_invitation(&[])
        });
        assert_eq!(
            r.subject,
            "Påminnelse: underskrift begärs: Årsredovisning 2024"
        );
        insta::assert_json_snapshot!(r);
    }

    #[test]
    fn signing_code_snapshot() {
        insta::assert_json_snapshot!(signing_code(&sample_code()));
    }

    #[test]
    fn distribution_snapshot() {
        insta::assert_json_snapshot!(distribution(&sample_distribution()));
    }

    #[test]
    fn distribution_download_snapshot() {
        insta::assert_json_snapshot!(distribution(&Distribution {
            attached: false,
            download_link: Some("https://finsam.example/download/Qm93aXNl"),
            link_expires: Some("2026-12-22"),
            message: None,
            ..sample_distribution()
        }));
    }

    #[test]
    fn notice_snapshot() {
        let (p, i) = (notice_paragraphs(), notice_items());
        insta::assert_json_snapshot!(notice(&sample_notice(&p, &i)));
    }

    #[test]
    fn notice_without_list_or_link_snapshot() {
        let p = vec!["Cecilia Ek har avböjt att skriva under Årsredovisning 2024.\nSkäl: Jag är inte längre ledamot.".to_owned()];
        insta::assert_json_snapshot!(notice(&Notice {
            subject: "Underskrift avböjd: Årsredovisning 2024",
            heading: "Cecilia Ek har avböjt att skriva under",
            link: None,
            link_text: None,
            ..sample_notice(&p, &[])
        }));
    }

    #[test]
    fn subjects() {
        let others = signers();
        assert_eq!(
            signing_invitation(&sample_invitation(&others)).subject,
            "Underskrift begärs: Årsredovisning 2024"
        );
        assert_eq!(
            distribution(&sample_distribution()).subject,
            "Årsredovisning 2024 från Samordningsförbundet Höglandet"
        );
        let c = signing_code(&sample_code());
        assert_eq!(c.subject, "Din kod för att underteckna Årsredovisning 2024");
        let (p, i) = (notice_paragraphs(), notice_items());
        assert_eq!(
            notice(&sample_notice(&p, &i)).subject,
            "Underlag saknas för årsredovisning 2024"
        );
        // A line break in a title cannot split the subject header.
        let r = distribution(&Distribution {
            document_title: "Protokoll\r\nBcc: eve@example.com",
            ..sample_distribution()
        });
        assert_eq!(
            r.subject,
            "Protokoll Bcc: eve@example.com från Samordningsförbundet Höglandet"
        );
    }

    #[test]
    fn the_code_is_on_its_own_line_and_not_in_the_subject() {
        let r = signing_code(&SigningCode {
            code: "048213",
            valid_minutes: 15,
            ..sample_code()
        });
        assert!(r.text.lines().any(|l| l == "Kod: 048213"), "{}", r.text);
        let found: Vec<_> = r
            .text
            .lines()
            .filter_map(|l| l.strip_prefix("Kod: "))
            .collect();
        assert_eq!(found, ["048213"]);
        assert!(!r.subject.contains("048213"));
        assert!(r.text.contains("15 minuter"));
        assert!(r.html.contains("048213"));
        let one = signing_code(&SigningCode {
            valid_minutes: 1,
            ..sample_code()
        });
        assert!(one.text.contains("gäller i 1 minut."), "{}", one.text);
    }

    #[test]
    fn distribution_says_where_the_file_is() {
        let attached = distribution(&sample_distribution());
        assert!(attached.text.contains("bilaga"));
        assert!(!attached.text.contains("ladda ner"));
        let linked = distribution(&Distribution {
            attached: false,
            download_link: Some("https://finsam.example/download/t"),
            link_expires: Some("2026-12-22"),
            ..sample_distribution()
        });
        assert!(linked.text.contains("för stort för att skickas som bilaga"));
        assert!(
            linked
                .text
                .contains("\nhttps://finsam.example/download/t\n")
        );
        assert!(linked.text.contains("till och med 2026-12-22"));
        for r in [&attached, &linked] {
            assert!(r.text.contains("Referensnummer: 7K3QX9M2TD"), "{}", r.text);
            assert!(
                r.text
                    .contains("\nhttps://finsam.example/verify/7K3QX9M2TD\n")
            );
        }
    }

    // ---- escaping, links and images --------------------------------------------------------

    /// Input a hostile user could type, distinct per field so a test knows which field leaked.
    fn hostile(field: &str) -> String {
        format!("<script>alert('{field}')</script> & \"{field}\" <b>")
    }

    /// How an HTML text or attribute value must appear: minijinja's escaping.
    fn html_escaped(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#x27;")
            .replace('/', "&#x2f;")
    }

    fn html_unescaped(s: &str) -> String {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#x2f;", "/")
            .replace("&amp;", "&")
    }

    /// Each value is escaped in the HTML (never raw) and literal in the text.
    fn assert_escaped(r: &Rendered, values: &[&str]) {
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("<b>"), "{}", r.html);
        for v in values {
            assert!(
                r.html.contains(&html_escaped(v)),
                "{v:?} escaped in: {}",
                r.html
            );
            assert!(r.text.contains(v), "{v:?} literal in: {}", r.text);
        }
    }

    /// Every `<a href="X">` has X as its visible text, and X is one of `links`.
    fn assert_links(r: &Rendered, links: &[&str]) {
        let mut rest = r.html.as_str();
        let mut seen = 0;
        while let Some(start) = rest.find("<a ") {
            let tag = &rest[start..];
            let open_end = tag.find('>').expect("tag closes");
            let attrs = &tag[3..open_end];
            let href = attrs
                .strip_prefix("href=\"")
                .and_then(|a| a.strip_suffix('"'))
                .unwrap_or_else(|| panic!("only href on <a>: {attrs}"));
            let close = tag.find("</a>").expect("anchor closes");
            let visible = &tag[open_end + 1..close];
            assert_eq!(href, visible, "the visible text is the address");
            assert!(
                links.contains(&html_unescaped(href).as_str()),
                "{href} is one of {links:?}"
            );
            seen += 1;
            rest = &tag[close..];
        }
        assert_eq!(seen, r.html.matches("href").count(), "no href outside <a>");
        assert_eq!(seen, links.len(), "each link once: {}", r.html);
        for l in links {
            assert!(
                r.text.lines().any(|line| line == *l),
                "{l} on its own line in: {}",
                r.text
            );
        }
    }

    const MESSAGE: &str = "Hej <alla>!\r\nRad två & \"citat\"\n\n\nNytt stycke</p><p>slut ";

    fn assert_message_kept(r: &Rendered) {
        assert!(
            r.html.contains(&format!(
                "<p>{}<br>{}</p>\n<p>{}</p>",
                html_escaped("Hej <alla>!"),
                html_escaped("Rad två & \"citat\""),
                html_escaped("Nytt stycke</p><p>slut")
            )),
            "{}",
            r.html
        );
        assert!(
            r.text
                .contains("Hej <alla>!\nRad två & \"citat\"\n\nNytt stycke</p><p>slut\n"),
            "{}",
            r.text
        );
    }

    #[test]
    fn signing_invitation_escapes_and_keeps_paragraphs() {
        let (name, forbund, title, sender, deadline) = (
            hostile("name"),
            hostile("forbund"),
            hostile("title"),
            hostile("sender"),
            hostile("deadline"),
        );
        let others = vec![hostile("other1"), hostile("other2")];
        let link = "https://finsam.example/sign/a?b=1&c=\"<x>\"";
        for reminder in [false, true] {
            let r = signing_invitation(&SigningInvitation {
                signer_name: &name,
                forbund: &forbund,
                document_title: &title,
                sender: &sender,
                message: Some(MESSAGE),
                link,
                deadline: &deadline,
                other_signers: &others,
                reminder,
            });
            assert_escaped(
                &r,
                &[
                    &name, &forbund, &title, &sender, &deadline, &others[0], &others[1],
                ],
            );
            assert_message_kept(&r);
            assert_links(&r, &[link]);
            assert!(r.subject.contains(&title), "the subject is plain text");
        }
    }

    #[test]
    fn signing_code_escapes() {
        let (name, title, code) = (hostile("name"), hostile("title"), hostile("code"));
        let r = signing_code(&SigningCode {
            signer_name: &name,
            document_title: &title,
            code: &code,
            valid_minutes: 10,
        });
        assert_escaped(&r, &[&name, &title, &code]);
        assert!(r.text.lines().any(|l| l == format!("Kod: {code}")));
        assert_links(&r, &[]);
    }

    #[test]
    fn distribution_escapes_and_keeps_paragraphs() {
        let (forbund, title, reference, expires) = (
            hostile("forbund"),
            hostile("title"),
            hostile("reference"),
            hostile("expires"),
        );
        let verify = "https://finsam.example/verify/X?a=1&b='<y>'";
        let download = "https://finsam.example/download/T?x=\"1\"&y=<2>";
        for attached in [true, false] {
            let r = distribution(&Distribution {
                forbund: &forbund,
                document_title: &title,
                reference: &reference,
                verify_url: verify,
                attached,
                download_link: Some(download),
                link_expires: Some(&expires),
                message: Some(MESSAGE),
            });
            assert_escaped(&r, &[&forbund, &title, &reference, &expires]);
            assert_message_kept(&r);
            assert_links(&r, &[download, verify]);
        }
    }

    #[test]
    fn notice_escapes_and_keeps_line_breaks() {
        let (forbund, subject, heading, link_text) = (
            hostile("forbund"),
            hostile("subject"),
            hostile("heading"),
            hostile("link_text"),
        );
        let paragraphs = vec![hostile("p1"), MESSAGE.to_owned()];
        let items = vec![hostile("item1"), hostile("item2")];
        let link = "https://finsam.example/t/x?a=1&b=\"<z>\"";
        let r = notice(&Notice {
            forbund: &forbund,
            subject: &subject,
            heading: &heading,
            paragraphs: &paragraphs,
            items: &items,
            link: Some(link),
            link_text: Some(&link_text),
        });
        assert_escaped(
            &r,
            &[
                &forbund,
                &heading,
                &link_text,
                &paragraphs[0],
                &items[0],
                &items[1],
            ],
        );
        assert!(
            r.html
                .contains(&format!("<title>{}</title>", html_escaped(&subject)))
        );
        assert_eq!(r.subject, subject, "the subject is plain text");
        assert!(
            r.html
                .contains(&format!("<li>{}</li>", html_escaped(&items[0])))
        );
        assert!(r.text.contains(&format!("\n- {}\n", items[1])));
        assert_message_kept(&r);
        assert_links(&r, &[link]);
    }

    #[test]
    fn only_web_addresses_become_links() {
        let r = notice(&Notice {
            link: Some("javascript:alert(1)"),
            ..sample_notice(&[], &[])
        });
        assert_links(&r, &[]);
        assert!(r.html.contains("javascript:alert(1)"), "printed as text");
        let others = signers();
        let r = signing_invitation(&SigningInvitation {
            link: "data:text/html,<script>x</script>",
            ..sample_invitation(&others)
        });
        assert!(!r.html.contains("href"), "{}", r.html);
        assert!(!r.html.contains("<script"));
    }

    /// Every template, in each of its shapes.
    fn every_message() -> Vec<Rendered> {
        let others = signers();
        let (p, i) = (notice_paragraphs(), notice_items());
        vec![
            invitation(&Invitation {
                name: "Anna Andersson",
                inviter: "Eva Lind",
                tenant: Some(("Samordningsförbundet Höglandet", "kansli")),
                link: "https://finsam.example/inbjudan/abc",
                expires: "2026-11-29 10:00 +01:00",
                needs_password: true,
            }),
            password_reset(&PasswordReset {
                name: "Anna Andersson",
                email: "anna@eksjo.se",
                link: "https://finsam.example/aterstall/abc",
                expires: "2026-11-22 12:00 +01:00",
            }),
            signing_invitation(&sample_invitation(&others)),
            signing_invitation(&SigningInvitation {
                reminder: true,
                ..sample_invitation(&[])
            }),
            signing_code(&sample_code()),
            distribution(&sample_distribution()),
            distribution(&Distribution {
                attached: false,
                download_link: Some("https://finsam.example/download/t"),
                link_expires: Some("2026-12-22"),
                ..sample_distribution()
            }),
            notice(&sample_notice(&p, &i)),
            notice(&Notice {
                link: None,
                ..sample_notice(&p, &[])
            }),
            notice(&Notice {
                link_text: None,
                ..sample_notice(&[], &i)
            }),
            signing_invitation(&SigningInvitation {
                message: None,
                ..sample_invitation(&others)
            }),
            distribution(&Distribution {
                download_link: Some("https://finsam.example/download/t"),
                link_expires: None,
                message: None,
                ..sample_distribution()
            }),
            distribution(&Distribution {
                attached: false,
                ..sample_distribution()
            }),
        ]
    }

    #[test]
    fn no_images_or_tracking_anywhere() {
        for r in every_message() {
            let html = r.html.to_ascii_lowercase();
            for banned in ["<img", "src=", "url(", "<script", "<iframe", "<link"] {
                assert!(!html.contains(banned), "{banned} in {}", r.html);
            }
        }
    }

    #[test]
    fn every_href_is_also_the_visible_text() {
        for r in every_message() {
            let mut rest = r.html.as_str();
            while let Some(at) = rest.find("<a href=\"") {
                let tag = &rest[at + "<a href=\"".len()..];
                let (href, after) = tag.split_once("\">").expect("href closes");
                let (visible, after) = after.split_once("</a>").expect("anchor closes");
                assert_eq!(href, visible, "in {}", r.subject);
                let url = html_unescaped(href);
                assert!(url.starts_with("https://"), "{url}");
                assert!(r.text.contains(&url), "{url} also in the text part");
                rest = after;
            }
            assert!(!rest.contains("href"), "{}", r.html);
        }
    }

    #[test]
    fn text_parts_have_no_markup_and_no_blank_line_runs() {
        for r in every_message() {
            assert!(!r.text.contains('<'), "{}", r.text);
            assert!(!r.text.contains("\n\n\n"), "{:?}", r.text);
            assert!(!r.text.starts_with('\n'), "{:?}", r.text);
        }
    }

    #[test]
    fn swedish_lists_and_paragraphs() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(swedish_list(&[]), "");
        assert_eq!(swedish_list(&names(&["Anna"])), "Anna");
        assert_eq!(swedish_list(&names(&["Anna", "Bo"])), "Anna och Bo");
        assert_eq!(
            swedish_list(&names(&["Anna", "Bo", "Cecilia"])),
            "Anna, Bo och Cecilia"
        );
        assert_eq!(
            paragraphs("\n a \r\nb\r\r  \n\nc\n"),
            vec![vec![" a".to_owned(), "b".to_owned()], vec!["c".to_owned()]]
        );
        assert!(paragraphs(" \n\t\n").is_empty());
    }
}
