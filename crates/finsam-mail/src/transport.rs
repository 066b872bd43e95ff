//! Transports. Each delivers one outbox message and reports whether a retry may help.

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, header};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

/// One message from the outbox, as the transport needs it.
#[derive(Debug, Clone)]
pub struct OutgoingMessage {
    /// The outbox row id; names the `.eml` file so a repeated delivery overwrites instead of duplicating.
    pub id: i64,
    pub idempotency_key: String,
    pub from: Mailbox,
    pub reply_to: Option<Mailbox>,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// A file sent with the message, e.g. a sealed PDF. With one, the message is multipart/mixed.
    pub attachment: Option<Attachment>,
}

/// A file attached to an [`OutgoingMessage`].
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The name the receiver sees, e.g. `Årsredovisning 2024.pdf`; any characters (non-ASCII is
    /// encoded per RFC 2231). Path separators and control characters are replaced when sent.
    pub filename: String,
    /// A MIME type such as `application/pdf`.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    // The bytes can be megabytes; a log line only needs their size.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Worth retrying: the connection failed, or the server answered 4xx.
    #[error("temporary: {0}")]
    Transient(String),
    /// Retrying will not help: a 5xx answer, or an address that cannot be used.
    #[error("permanent: {0}")]
    Permanent(String),
}

#[async_trait::async_trait]
pub trait Transport: Send + Sync {
    async fn send(&self, msg: &OutgoingMessage) -> Result<(), SendError>;
    fn describe(&self) -> String;
}

impl OutgoingMessage {
    /// The RFC 5322 message. Its Message-ID is derived from the idempotency key, so a receiver that
    /// sees the message twice after a crash can tell it is the same one.
    pub fn build(&self) -> Result<Message, SendError> {
        let to: Mailbox = self
            .to
            .parse()
            .map_err(|e| SendError::Permanent(format!("mottagaradress: {e}")))?;
        let domain = self.from.email.domain().to_owned();
        let mut b = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(self.subject.clone())
            .message_id(Some(format!(
                "<{}@{}>",
                message_id_local(&self.idempotency_key),
                domain
            )));
        if let Some(r) = &self.reply_to {
            b = b.reply_to(r.clone());
        }
        let body = MultiPart::alternative_plain_html(self.text.clone(), self.html.clone());
        let body = match &self.attachment {
            None => body,
            Some(a) => {
                let filename = attachment_filename(&a.filename);
                let content_type = attachment_content_type(&a.content_type, &filename)?;
                // The real name goes in Content-Disposition (RFC 2231, UTF-8); Content-Type gets an
                // ASCII `name` for old clients that only look there.
                let part =
                    lettre::message::Attachment::new(filename).body(a.bytes.clone(), content_type);
                MultiPart::mixed().multipart(body).singlepart(part)
            }
        };
        b.multipart(body)
            .map_err(|e| SendError::Permanent(e.to_string()))
    }
}

/// `content_type` with a `name` parameter: the filename spelled in ASCII (å, ä → a, ö → o, other
/// characters → `_`).
fn attachment_content_type(content_type: &str, filename: &str) -> Result<ContentType, SendError> {
    let base = ContentType::parse(content_type)
        .map_err(|e| SendError::Permanent(format!("bilagans typ {content_type:?}: {e}")))?;
    if content_type.contains(';') {
        // Already has parameters; leave it as given.
        return Ok(base);
    }
    let ascii: String = filename
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'Å' | 'Ä' | 'À' | 'Á' => 'A',
            'ö' | 'ø' | 'ó' => 'o',
            'Ö' | 'Ø' | 'Ó' => 'O',
            'é' | 'è' | 'ë' => 'e',
            'É' | 'È' => 'E',
            'ü' => 'u',
            'Ü' => 'U',
            c if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' => c,
            _ => '_',
        })
        .collect();
    Ok(ContentType::parse(&format!("{content_type}; name=\"{ascii}\"")).unwrap_or(base))
}

/// The filename as sent: no path separators or control characters (a receiving client should not
/// be offered a path), and never empty.
fn attachment_filename(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() {
                ' '
            } else if c == '/' || c == '\\' {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        "bilaga".to_owned()
    } else {
        cleaned.to_owned()
    }
}

/// The local part of the Message-ID of the message with this idempotency key: the key, with everything
/// but ASCII letters, digits, `.` and `-` as `-`. The same key always gives the same Message-ID.
pub fn message_id_local(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Writes each message as `{id}.eml` in a folder: the embedded default, and what tests read.
pub struct OutboxFolder {
    dir: PathBuf,
}

impl OutboxFolder {
    pub fn new(dir: impl Into<PathBuf>) -> std::io::Result<Self> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)?;
        Ok(Self { dir })
    }
}

#[async_trait::async_trait]
impl Transport for OutboxFolder {
    async fn send(&self, msg: &OutgoingMessage) -> Result<(), SendError> {
        let bytes = msg.build()?.formatted();
        let final_path = self.dir.join(format!("{:08}.eml", msg.id));
        let tmp_path = self.dir.join(format!(".{:08}.eml.tmp", msg.id));
        // Write then rename: a reader never sees half a message, and a second delivery replaces the first.
        tokio::fs::write(&tmp_path, &bytes)
            .await
            .map_err(|e| SendError::Transient(e.to_string()))?;
        tokio::fs::rename(&tmp_path, &final_path)
            .await
            .map_err(|e| SendError::Transient(e.to_string()))?;
        Ok(())
    }

    fn describe(&self) -> String {
        format!("outbox folder {}", self.dir.display())
    }
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// No TLS: only for relays on the same host or network.
    None,
    /// Plain connection upgraded with STARTTLS, required.
    StartTls,
    /// TLS from the first byte (`smtps://`, usually port 465).
    Implicit,
}

/// SMTP settings parsed from `FINSAM_SMTP_URL`.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub user: Option<String>,
    pub password: Option<String>,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

impl SmtpSettings {
    /// `smtp://host:port` (plain), `smtp://host:port?tls=starttls`, `smtps://host:port` (implicit TLS);
    /// credentials as `smtp://user:password@host`, or from `user`/`password` when given.
    pub fn from_url(
        url: &str,
        user: Option<String>,
        password: Option<String>,
    ) -> Result<Self, String> {
        let u = url::Url::parse(url).map_err(|e| format!("FINSAM_SMTP_URL: {e}"))?;
        let tls = u
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let security = match (u.scheme(), tls.as_deref()) {
            ("smtps", None | Some("implicit")) => SmtpSecurity::Implicit,
            ("smtp", None | Some("none")) => SmtpSecurity::None,
            ("smtp", Some("starttls" | "required")) => SmtpSecurity::StartTls,
            (s, t) => {
                return Err(format!(
                    "FINSAM_SMTP_URL: unsupported scheme {s:?} with tls={t:?}"
                ));
            }
        };
        let host = u
            .host_str()
            .ok_or("FINSAM_SMTP_URL: missing host")?
            .to_owned();
        let port = u.port().unwrap_or(match security {
            SmtpSecurity::Implicit => 465,
            SmtpSecurity::StartTls => 587,
            SmtpSecurity::None => 25,
        });
        let url_user = (!u.username().is_empty()).then(|| percent_decode(u.username()));
        let url_password = u.password().map(percent_decode);
        Ok(Self {
            host,
            port,
            security,
            user: user.or(url_user),
            password: password.or(url_password),
        })
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    settings: SmtpSettings,
}

impl Smtp {
    pub fn new(settings: SmtpSettings) -> Result<Self, String> {
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            .port(settings.port);
        let params = || TlsParameters::new(settings.host.clone()).map_err(|e| e.to_string());
        b = match settings.security {
            SmtpSecurity::None => b.tls(Tls::None),
            SmtpSecurity::StartTls => b.tls(Tls::Required(params()?)),
            SmtpSecurity::Implicit => b.tls(Tls::Wrapper(params()?)),
        };
        if let (Some(u), Some(p)) = (&settings.user, &settings.password) {
            b = b.credentials(Credentials::new(u.clone(), p.clone()));
        }
        b = b.timeout(Some(std::time::Duration::from_secs(30)));
        Ok(Self {
            transport: b.build(),
            settings,
        })
    }
}

#[async_trait::async_trait]
impl Transport for Smtp {
    async fn send(&self, msg: &OutgoingMessage) -> Result<(), SendError> {
        let m = msg.build()?;
        match self.transport.send(m).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Err(e) => Err(SendError::Transient(e.to_string())),
        }
    }

    fn describe(&self) -> String {
        format!(
            "SMTP {}:{} ({:?})",
            self.settings.host, self.settings.port, self.settings.security
        )
    }
}

/// Header name used by tests to find a message's outbox key in an `.eml` file.
pub fn message_id_header() -> header::HeaderName {
    header::HeaderName::new_from_ascii_str("Message-ID")
}

#[cfg(test)]
mod tests {
    use super::*;
    use mail_parser::MimeHeaders;

    #[test]
    fn smtp_urls() {
        let s = SmtpSettings::from_url("smtp://127.0.0.1:8025", None, None).unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.security, s.user),
            ("127.0.0.1", 8025, SmtpSecurity::None, None)
        );
        let s = SmtpSettings::from_url("smtps://relay.example:465", None, None).unwrap();
        assert_eq!(s.security, SmtpSecurity::Implicit);
        let s = SmtpSettings::from_url(
            "smtp://u%40x:p%20w+1@relay.example?tls=starttls",
            None,
            None,
        )
        .unwrap();
        assert_eq!((s.port, s.security), (587, SmtpSecurity::StartTls));
        assert_eq!(
            (s.user.as_deref(), s.password.as_deref()),
            (Some("u@x"), Some("p w+1"))
        );
        let s = SmtpSettings::from_url(
            "smtp://a:b@relay.example",
            Some("env".into()),
            Some("secret".into()),
        )
        .unwrap();
        assert_eq!(
            (s.user.as_deref(), s.password.as_deref()),
            (Some("env"), Some("secret"))
        );
        assert!(SmtpSettings::from_url("http://relay.example", None, None).is_err());
        assert!(SmtpSettings::from_url("smtps://relay.example?tls=none", None, None).is_err());
        assert!(
            !format!("{s:?}").contains("secret"),
            "the password never prints"
        );
    }

    #[tokio::test]
    async fn smtp_transport_builds_for_each_security() {
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://mail.example?tls=starttls",
            "smtps://mail.example",
        ] {
            let s = SmtpSettings::from_url(url, Some("u".into()), Some("p".into())).unwrap();
            assert!(Smtp::new(s).is_ok(), "{url}");
        }
    }

    #[tokio::test]
    async fn outbox_folder_writes_one_file_per_message_even_when_sent_twice() {
        let dir = tempfile::tempdir().unwrap();
        let t = OutboxFolder::new(dir.path()).unwrap();
        let msg = OutgoingMessage {
            id: 7,
            idempotency_key: "invitation:42".into(),
            from: "Finsam <no-reply@finsam.example>".parse().unwrap(),
            reply_to: None,
            to: "anna@eksjo.se".into(),
            subject: "Inbjudan till Finsam".into(),
            text: "Hej".into(),
            html: "<p>Hej</p>".into(),
            attachment: None,
        };
        t.send(&msg).await.unwrap();
        t.send(&msg).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(files, vec![std::ffi::OsString::from("00000007.eml")]);
        let eml = std::fs::read_to_string(dir.path().join("00000007.eml")).unwrap();
        assert!(
            eml.contains("Message-ID: <invitation-42@finsam.example>"),
            "{eml}"
        );
        assert!(eml.contains("To: anna@eksjo.se"));
    }

    fn message_with(attachment: Option<Attachment>) -> OutgoingMessage {
        OutgoingMessage {
            id: 3,
            idempotency_key: "distribution:9:anna@eksjo.se".into(),
            from: "Finsam <no-reply@finsam.example>".parse().unwrap(),
            reply_to: None,
            to: "anna@eksjo.se".into(),
            subject: "Årsredovisning 2024 från Samordningsförbundet Höglandet".into(),
            text: "Hej!\n\nÅrsredovisningen är bifogad.\nReferensnummer: FS-2025-0042".into(),
            html: "<p>Hej!</p><p>Årsredovisningen är bifogad.</p>".into(),
            attachment,
        }
    }

    #[test]
    fn an_attachment_round_trips_through_a_mail_parser() {
        // Bytes that are not text, including CR/LF and NUL, so the transfer encoding matters.
        let mut pdf = b"%PDF-1.7\r\n%\xe2\xe3\xcf\xd3\r\n1 0 obj\n<<>>\nendobj\n".to_vec();
        pdf.extend((0..=255u8).cycle().take(5000));
        pdf.extend_from_slice(b"\n%%EOF\n");
        let msg = message_with(Some(Attachment {
            filename: "Årsredovisning 2024.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: pdf.clone(),
        }));
        let raw = msg.build().unwrap().formatted();
        let eml = String::from_utf8(raw.clone()).expect("the formatted message is 7-bit text");
        assert!(eml.contains("Content-Type: multipart/mixed"), "{eml}");
        assert!(eml.contains("Content-Type: multipart/alternative"), "{eml}");
        assert!(
            eml.contains("filename*0*=utf-8''%C3%85rsredovisning%202024.pdf"),
            "RFC 2231 name: {eml}"
        );
        assert!(
            eml.contains("Content-Type: application/pdf; name=\"Arsredovisning 2024.pdf\""),
            "ASCII fallback name: {eml}"
        );
        assert!(
            eml.contains("Message-ID: <distribution-9-anna-eksjo.se@finsam.example>"),
            "{eml}"
        );

        let parsed = mail_parser::MessageParser::default()
            .parse(&raw)
            .expect("parses");
        assert_eq!(
            parsed.subject(),
            Some("Årsredovisning 2024 från Samordningsförbundet Höglandet")
        );
        // Lines travel as CRLF, as RFC 5322 requires; the text is otherwise unchanged.
        assert_eq!(
            parsed
                .body_text(0)
                .map(|t| t.replace("\r\n", "\n"))
                .as_deref(),
            Some(msg.text.as_str())
        );
        assert_eq!(
            parsed.body_html(0).as_deref(),
            Some("<p>Hej!</p><p>Årsredovisningen är bifogad.</p>")
        );
        assert_eq!(parsed.attachment_count(), 1);
        let a = parsed.attachment(0).unwrap();
        assert_eq!(a.attachment_name(), Some("Årsredovisning 2024.pdf"));
        assert_eq!(a.contents(), pdf.as_slice());
        let ct = a.content_type().unwrap();
        assert_eq!((ct.ctype(), ct.subtype()), ("application", Some("pdf")));
        assert!(
            a.content_disposition()
                .is_some_and(|d| d.ctype() == "attachment"),
            "the PDF is an attachment, not inline"
        );
    }

    #[test]
    fn without_an_attachment_the_message_stays_alternative() {
        let eml = String::from_utf8(message_with(None).build().unwrap().formatted()).unwrap();
        assert!(eml.contains("Content-Type: multipart/alternative"), "{eml}");
        assert!(!eml.contains("multipart/mixed"), "{eml}");
    }

    #[test]
    fn attachment_names_cannot_carry_paths_or_header_breaks() {
        assert_eq!(
            attachment_filename("../../etc/passwd\r\nBcc: x@y"),
            ".._.._etc_passwd  Bcc: x@y"
        );
        assert_eq!(attachment_filename(" \t"), "bilaga");
        let msg = message_with(Some(Attachment {
            filename: "a\r\nBcc: eve@example.com\"x\".pdf".into(),
            content_type: "application/pdf".into(),
            bytes: vec![1, 2, 3],
        }));
        let raw = msg.build().unwrap().formatted();
        let eml = String::from_utf8_lossy(&raw);
        assert!(!eml.contains("\r\nBcc:"), "{eml}");
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        assert_eq!(
            parsed.attachment(0).unwrap().attachment_name(),
            Some("a  Bcc: eve@example.com\"x\".pdf")
        );
    }

    #[test]
    fn long_attachment_names_survive_header_folding() {
        let name = "Protokoll från styrelsemöte 2024-03-12, Samordningsförbundet Höglandet, bilaga 3 – ekonomisk uppföljning.pdf";
        let msg = message_with(Some(Attachment {
            filename: name.into(),
            content_type: "application/pdf".into(),
            bytes: b"%PDF-1.7".to_vec(),
        }));
        let raw = msg.build().unwrap().formatted();
        let eml = String::from_utf8(raw.clone()).unwrap();
        assert!(eml.lines().all(|l| l.len() <= 998), "{eml}");
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let a = parsed.attachment(0).unwrap();
        assert_eq!(a.attachment_name(), Some(name));
        assert_eq!(
            a.content_type().and_then(|ct| ct.attribute("name")),
            Some(
                "Protokoll fran styrelsemote 2024-03-12, Samordningsforbundet Hoglandet, bilaga 3 _ ekonomisk uppfoljning.pdf"
            )
        );
    }

    #[test]
    fn a_bad_attachment_type_is_permanent() {
        let msg = message_with(Some(Attachment {
            filename: "x.pdf".into(),
            content_type: "not a type".into(),
            bytes: vec![],
        }));
        assert!(matches!(msg.build(), Err(SendError::Permanent(_))));
        let ct =
            attachment_content_type("application/pdf", "Årsbokslut \"ÖK\" é\u{1F600}.pdf").unwrap();
        assert_eq!(
            format!("{ct:?}"),
            format!(
                "{:?}",
                ContentType::parse("application/pdf; name=\"Arsbokslut _OK_ e_.pdf\"").unwrap()
            )
        );
    }

    #[tokio::test]
    async fn a_bad_recipient_is_permanent() {
        let dir = tempfile::tempdir().unwrap();
        let t = OutboxFolder::new(dir.path()).unwrap();
        let msg = OutgoingMessage {
            id: 1,
            idempotency_key: "k".into(),
            from: "no-reply@finsam.example".parse().unwrap(),
            reply_to: None,
            to: "not an address".into(),
            subject: "s".into(),
            text: "t".into(),
            html: "h".into(),
            attachment: None,
        };
        assert!(matches!(t.send(&msg).await, Err(SendError::Permanent(_))));
    }
}
