//! Configuration from the environment (`FINSAM_*`) over an optional `finsam.toml`, with the embedded
//! defaults: everything under the data dir, no services needed. See docs/configuration.md.

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// As read: every field optional except where a default exists.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawConfig {
    pub data_dir: PathBuf,
    pub listen: String,
    pub database_url: Option<String>,
    /// PostgreSQL: the tables' owner, for migrations only. The application then connects with
    /// `database_url` as a role that owns nothing and is granted what it needs after each migration.
    pub database_owner_url: Option<String>,
    pub storage_url: Option<String>,
    pub smtp_url: Option<String>,
    pub smtp_user: Option<String>,
    pub smtp_password: Option<String>,
    pub jwt_secret: Option<String>,
    pub jwt_secret_previous: Option<String>,
    pub base_url: Option<String>,
    pub mail_from: Option<String>,
    pub session_idle_minutes: i64,
    pub log_format: String,
    /// Sealed PDFs up to this size are attached to the members' e-mail; larger go as a link.
    pub mail_attach_limit_mib: u64,
    /// Run pending migrations when a process starts (the embedded default); `false` where
    /// `finsam migrate` runs them as its own step and the application's role may not change the schema.
    pub migrate_on_start: bool,
}

impl Default for RawConfig {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            listen: "127.0.0.1:8080".into(),
            database_url: None,
            database_owner_url: None,
            storage_url: None,
            smtp_url: None,
            smtp_user: None,
            smtp_password: None,
            jwt_secret: None,
            jwt_secret_previous: None,
            base_url: None,
            mail_from: None,
            session_idle_minutes: 8 * 60,
            log_format: "text".into(),
            mail_attach_limit_mib: 10,
            migrate_on_start: true,
        }
    }
}

impl RawConfig {
    /// Defaults, then `finsam.toml` (or the file in `FINSAM_CONFIG`), then `FINSAM_*` variables.
    pub fn load() -> anyhow::Result<Self> {
        let file = std::env::var("FINSAM_CONFIG").unwrap_or_else(|_| "finsam.toml".into());
        Figment::from(Serialized::defaults(RawConfig::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("FINSAM_").ignore(&[
                "config",
                "demo_password",
                "test_postgres_url",
            ]))
            .extract()
            .context("reading the configuration (finsam.toml and FINSAM_* variables)")
    }
}

/// Where e-mail goes.
#[derive(Debug, Clone)]
pub enum MailConfig {
    OutboxFolder(PathBuf),
    Smtp(finsam_mail::transport::SmtpSettings),
}

/// The configuration, resolved and checked.
#[derive(Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub listen: String,
    pub database_url: String,
    /// The owner's connection for migrations (`FINSAM_DATABASE_OWNER_URL`), PostgreSQL only.
    pub database_owner_url: Option<String>,
    /// Where documents are stored (`FINSAM_STORAGE_URL`); open it with [`crate::app::storage`].
    pub storage: finsam_storage::Location,
    pub mail: MailConfig,
    pub jwt_secret: Vec<u8>,
    /// The secret before a rotation, still accepted (`FINSAM_JWT_SECRET_PREVIOUS`).
    pub jwt_secret_previous: Option<Vec<u8>>,
    pub base_url: url::Url,
    pub mail_from: finsam_mail::Mailbox,
    pub session_idle: chrono::Duration,
    pub log_format: String,
    pub mail_attach_limit: u64,
    pub migrate_on_start: bool,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("listen", &self.listen)
            .field("database", &redact_url(&self.database_url))
            .field(
                "database_owner",
                &self.database_owner_url.as_deref().map(redact_url),
            )
            .field("storage", &self.storage)
            .field("mail", &self.mail)
            .field("base_url", &self.base_url.as_str())
            .finish_non_exhaustive()
    }
}

/// A URL with any password replaced, for logs.
pub fn redact_url(s: &str) -> String {
    match url::Url::parse(s) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => s.to_owned(),
    }
}

impl Config {
    pub fn resolve(raw: RawConfig) -> anyhow::Result<Self> {
        let data_dir = raw.data_dir.clone();
        std::fs::create_dir_all(&data_dir)
            .with_context(|| format!("creating the data dir {}", data_dir.display()))?;
        let database_url = match raw.database_url {
            Some(u) => u,
            None => format!("sqlite://{}?mode=rwc", data_dir.join("finsam.db").display()),
        };
        let is_postgres =
            database_url.starts_with("postgres:") || database_url.starts_with("postgresql:");
        if !is_postgres && !database_url.starts_with("sqlite:") {
            bail!("FINSAM_DATABASE_URL must start with sqlite: or postgres:");
        }
        let database_owner_url = match raw.database_owner_url.filter(|u| !u.is_empty()) {
            Some(_) if !is_postgres => bail!(
                "FINSAM_DATABASE_OWNER_URL is for PostgreSQL only: FINSAM_DATABASE_URL is SQLite"
            ),
            Some(u) if !(u.starts_with("postgres:") || u.starts_with("postgresql:")) => {
                bail!("FINSAM_DATABASE_OWNER_URL must start with postgres:")
            }
            other => other,
        };
        let jwt_secret = match raw.jwt_secret {
            Some(s) if s.len() >= 32 => s.into_bytes(),
            Some(_) => bail!("FINSAM_JWT_SECRET must be at least 32 characters"),
            None if is_postgres => bail!(
                "FINSAM_JWT_SECRET is required with a PostgreSQL database: set it to a random string of at least 32 characters, the same in every process"
            ),
            None => embedded_secret(&data_dir)?,
        };
        let jwt_secret_previous = match raw.jwt_secret_previous.filter(|s| !s.is_empty()) {
            Some(s) if s.len() >= 32 => Some(s.into_bytes()),
            Some(_) => bail!("FINSAM_JWT_SECRET_PREVIOUS must be at least 32 characters"),
            None => None,
        };
        let storage = match raw.storage_url.as_deref() {
            None => finsam_storage::Location::Local(data_dir.join("objects")),
            // Endpoint, region, credentials and path style: the standard AWS_* variables.
            Some(u) => finsam_storage::Location::parse(u)
                .map_err(|e| anyhow::anyhow!("FINSAM_STORAGE_URL: {e}"))?
                .with_aws_env(),
        };
        let mail = match raw.smtp_url.as_deref() {
            Some(u) => MailConfig::Smtp(
                finsam_mail::transport::SmtpSettings::from_url(u, raw.smtp_user, raw.smtp_password)
                    .map_err(anyhow::Error::msg)?,
            ),
            None => MailConfig::OutboxFolder(data_dir.join("outbox")),
        };
        let base_url = url::Url::parse(
            raw.base_url
                .as_deref()
                .unwrap_or(&format!("http://{}", raw.listen)),
        )
        .context("FINSAM_BASE_URL is not a URL")?;
        let mail_from = match raw.mail_from {
            Some(m) => m
                .parse()
                .context("FINSAM_MAIL_FROM is not an address like Finsam <no-reply@example.se>")?,
            None => {
                let host = base_url.host_str().unwrap_or("localhost");
                let domain = if host.contains('.') && host.parse::<std::net::IpAddr>().is_err() {
                    host.to_owned()
                } else {
                    "finsam.localhost".into()
                };
                format!("Finsam <no-reply@{domain}>")
                    .parse()
                    .context("building the sender address")?
            }
        };
        if raw.session_idle_minutes < 5 {
            bail!("FINSAM_SESSION_IDLE_MINUTES must be at least 5");
        }
        Ok(Self {
            data_dir,
            listen: raw.listen,
            database_url,
            database_owner_url,
            storage,
            mail,
            jwt_secret,
            jwt_secret_previous,
            base_url,
            mail_from,
            session_idle: chrono::Duration::minutes(raw.session_idle_minutes),
            log_format: raw.log_format,
            mail_attach_limit: raw.mail_attach_limit_mib.saturating_mul(1024 * 1024),
            migrate_on_start: raw.migrate_on_start,
        })
    }
}

/// The embedded mode's secret: generated once, kept in the data dir, readable only by its owner.
fn embedded_secret(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    use rand::RngCore;
    let path = data_dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let s = existing.trim();
        if s.len() >= 32 {
            return Ok(s.as_bytes().to_vec());
        }
    }
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    let secret = hex::encode(b);
    write_private(&path, secret.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(secret.into_bytes())
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(dir: &Path) -> RawConfig {
        RawConfig {
            data_dir: dir.to_path_buf(),
            ..Default::default()
        }
    }

    #[test]
    fn embedded_defaults_need_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::resolve(raw(dir.path())).unwrap();
        assert!(
            c.database_url.starts_with("sqlite://")
                && c.database_url.ends_with("finsam.db?mode=rwc")
        );
        assert!(matches!(c.mail, MailConfig::OutboxFolder(ref p) if p.ends_with("outbox")));
        assert_eq!(c.base_url.as_str(), "http://127.0.0.1:8080/");
        assert_eq!(c.jwt_secret.len(), 64);
        // The secret is kept: a restart signs with the same key.
        let again = Config::resolve(raw(dir.path())).unwrap();
        assert_eq!(c.jwt_secret, again.jwt_secret);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("jwt-secret"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn postgres_without_a_secret_does_not_start() {
        let dir = tempfile::tempdir().unwrap();
        let r = RawConfig {
            database_url: Some("postgres://app@127.0.0.1/finsam".into()),
            ..raw(dir.path())
        };
        let err = Config::resolve(r).err().unwrap().to_string();
        assert!(err.contains("FINSAM_JWT_SECRET is required"), "{err}");
    }

    #[test]
    fn an_owner_url_goes_only_with_postgres() {
        let dir = tempfile::tempdir().unwrap();
        let r = RawConfig {
            database_owner_url: Some("postgres://owner@127.0.0.1/finsam".into()),
            ..raw(dir.path())
        };
        let err = Config::resolve(r).err().unwrap().to_string();
        assert!(
            err.contains("FINSAM_DATABASE_OWNER_URL is for PostgreSQL only"),
            "{err}"
        );
        let r = RawConfig {
            database_url: Some("postgres://app@127.0.0.1/finsam".into()),
            database_owner_url: Some("sqlite://x".into()),
            jwt_secret: Some("a-test-secret-that-is-long-enough-0123456789".into()),
            ..raw(dir.path())
        };
        let err = Config::resolve(r).err().unwrap().to_string();
        assert!(
            err.contains("FINSAM_DATABASE_OWNER_URL must start with postgres:"),
            "{err}"
        );
        let r = RawConfig {
            database_url: Some("postgres://app@127.0.0.1/finsam".into()),
            database_owner_url: Some("postgres://owner:pw@127.0.0.1/finsam".into()),
            jwt_secret: Some("a-test-secret-that-is-long-enough-0123456789".into()),
            ..raw(dir.path())
        };
        let c = Config::resolve(r).unwrap();
        assert_eq!(
            c.database_owner_url.as_deref(),
            Some("postgres://owner:pw@127.0.0.1/finsam")
        );
        // The password never reaches a log line.
        assert!(!format!("{c:?}").contains("pw@"), "{c:?}");
    }

    #[test]
    fn bad_values_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let r = RawConfig {
            database_url: Some("mysql://x".into()),
            ..raw(dir.path())
        };
        assert!(
            Config::resolve(r)
                .err()
                .unwrap()
                .to_string()
                .contains("FINSAM_DATABASE_URL")
        );
        let r = RawConfig {
            jwt_secret: Some("short".into()),
            ..raw(dir.path())
        };
        assert!(
            Config::resolve(r)
                .err()
                .unwrap()
                .to_string()
                .contains("at least 32")
        );
        let r = RawConfig {
            jwt_secret_previous: Some("short".into()),
            ..raw(dir.path())
        };
        assert!(
            Config::resolve(r)
                .err()
                .unwrap()
                .to_string()
                .contains("FINSAM_JWT_SECRET_PREVIOUS")
        );
        let r = RawConfig {
            smtp_url: Some("http://x".into()),
            ..raw(dir.path())
        };
        assert!(
            Config::resolve(r)
                .err()
                .unwrap()
                .to_string()
                .contains("FINSAM_SMTP_URL")
        );
    }

    #[test]
    fn storage_urls() {
        use finsam_storage::Location;
        let dir = tempfile::tempdir().unwrap();
        let with = |url: Option<&str>| {
            Config::resolve(RawConfig {
                storage_url: url.map(str::to_owned),
                ..raw(dir.path())
            })
        };
        let c = with(None).unwrap();
        assert_eq!(c.storage, Location::Local(dir.path().join("objects")));
        let c = with(Some("file:///srv/finsam/objects")).unwrap();
        assert_eq!(c.storage, Location::Local("/srv/finsam/objects".into()));
        let c = with(Some("objekt")).unwrap();
        assert_eq!(c.storage, Location::Local("objekt".into()));
        let c = with(Some("s3://finsam-dokument/prod/")).unwrap();
        match &c.storage {
            Location::S3 { bucket, prefix, .. } => {
                assert_eq!(
                    (bucket.as_str(), prefix.as_str()),
                    ("finsam-dokument", "prod")
                )
            }
            other => panic!("{other:?}"),
        }
        assert!(format!("{c:?}").contains("finsam-dokument"));
        for bad in [
            "",
            "s3://",
            "s3://Versaler",
            "s3://u:p@finsam",
            "gs://finsam",
        ] {
            let err = with(Some(bad)).err().unwrap().to_string();
            assert!(err.starts_with("FINSAM_STORAGE_URL: "), "{bad:?}: {err}");
        }
        let err = with(Some("azure://x")).err().unwrap().to_string();
        assert!(err.contains("azure:// is not supported"), "{err}");
    }

    #[test]
    fn passwords_in_urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://app:hemligt@db/finsam"),
            "postgres://app:***@db/finsam"
        );
    }
}
