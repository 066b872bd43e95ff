//! Object storage behind `object_store`: a local folder in the embedded default, or an S3-compatible
//! bucket in production ([`Location`]). Objects are written once under a key made of the tenant and the
//! SHA-256 of the content, so a key always means the same bytes: writing an existing key is a no-op, and
//! nothing is ever overwritten.

use bytes::Bytes;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("object {0} not found")]
    NotFound(String),
    #[error("storage: {0}")]
    Store(#[from] object_store::Error),
    #[error("storage: {0}")]
    Setup(String),
}

/// Where the objects are kept: what `FINSAM_STORAGE_URL` names.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// A local folder (made if missing).
    Local(PathBuf),
    /// An S3-compatible bucket, with every key under `prefix` (empty: at the top).
    S3 {
        bucket: String,
        prefix: String,
        /// Connection settings as `object_store`'s S3 backend names them, e.g. `aws_endpoint`,
        /// `aws_region`, `aws_access_key_id`, `aws_secret_access_key`, `aws_allow_http`,
        /// `aws_virtual_hosted_style_request`; see [`Location::with_aws_env`]. Unknown names are ignored.
        options: Vec<(String, String)>,
    },
}

/// Settings whose values never print.
const SECRET_OPTIONS: &[&str] = &[
    "aws_secret_access_key",
    "secret_access_key",
    "aws_session_token",
    "aws_token",
    "session_token",
    "token",
    "aws_sse_customer_key_base64",
];

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Local(dir) => f.debug_tuple("Local").field(dir).finish(),
            Location::S3 {
                bucket,
                prefix,
                options,
            } => {
                let shown: Vec<(&str, &str)> = options
                    .iter()
                    .map(|(k, v)| {
                        let secret = SECRET_OPTIONS.contains(&k.to_ascii_lowercase().as_str());
                        (k.as_str(), if secret { "***" } else { v.as_str() })
                    })
                    .collect();
                f.debug_struct("S3")
                    .field("bucket", bucket)
                    .field("prefix", prefix)
                    .field("options", &shown)
                    .finish()
            }
        }
    }
}

impl Location {
    /// Reads a storage URL: `s3://bucket` or `s3://bucket/prefix`, `file:///path`, or a plain path.
    /// The S3 connection settings are not in the URL; add them with [`Location::with_aws_env`].
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url.is_empty() {
            return Err("empty; give s3://bucket, file:///path or a folder".into());
        }
        if let Some(path) = url.strip_prefix("file://") {
            if path.is_empty() {
                return Err(format!("{url:?} names no folder"));
            }
            return Ok(Location::Local(PathBuf::from(path)));
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            return parse_s3(rest);
        }
        if let Some((scheme, _)) = url.split_once("://") {
            return Err(format!(
                "{scheme}:// is not supported: give s3://bucket, file:///path or a folder"
            ));
        }
        Ok(Location::Local(PathBuf::from(url)))
    }

    /// For S3: the connection settings from the process's `AWS_*` variables (`AWS_ENDPOINT`,
    /// `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_ALLOW_HTTP`,
    /// `AWS_VIRTUAL_HOSTED_STYLE_REQUEST`, …), as `object_store`'s `AmazonS3Builder::from_env` reads them.
    pub fn with_aws_env(self) -> Self {
        self.with_aws_options(
            std::env::vars()
                .filter_map(|(k, v)| k.starts_with("AWS_").then(|| (k.to_ascii_lowercase(), v))),
        )
    }

    /// For S3: adds connection settings (later ones win). A local folder is returned unchanged.
    pub fn with_aws_options(self, extra: impl IntoIterator<Item = (String, String)>) -> Self {
        match self {
            Location::S3 {
                bucket,
                prefix,
                mut options,
            } => {
                options.extend(extra);
                Location::S3 {
                    bucket,
                    prefix,
                    options,
                }
            }
            local => local,
        }
    }
}

/// `bucket[/prefix]` after `s3://`.
fn parse_s3(rest: &str) -> Result<Location, String> {
    if rest.contains(['?', '#', '@']) {
        return Err(
            "s3:// takes only a bucket and a prefix (s3://bucket/prefix); credentials, endpoint and region come from the AWS_* variables"
                .into(),
        );
    }
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let valid_bucket = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && bucket
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && bucket
            .bytes()
            .last()
            .is_some_and(|b| b.is_ascii_alphanumeric());
    if !valid_bucket {
        return Err(format!(
            "{bucket:?} is not a bucket name (3 to 63 characters: a-z, 0-9, '.', '-')"
        ));
    }
    let prefix = prefix.trim_matches('/');
    if !prefix.is_empty() {
        let parsed =
            ObjectPath::parse(prefix).map_err(|e| format!("the prefix {prefix:?}: {e}"))?;
        if parsed.as_ref() != prefix {
            return Err(format!("the prefix {prefix:?} is not a plain path"));
        }
    }
    Ok(Location::S3 {
        bucket: bucket.to_owned(),
        prefix: prefix.to_owned(),
        options: Vec::new(),
    })
}

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Storage({})", self.store)
    }
}

/// The key of a tenant's object: `t/{tenant}/{sha256}.{ext}`.
pub fn key(tenant_id: i64, sha256: &str, ext: &str) -> String {
    format!("t/{tenant_id}/{sha256}.{ext}")
}

impl Storage {
    /// Opens the storage a [`Location`] names. Nothing is contacted yet: a wrong bucket or credentials
    /// show at the first read or write.
    pub fn open(location: &Location) -> Result<Self, StorageError> {
        match location {
            Location::Local(dir) => Self::local(dir),
            Location::S3 {
                bucket,
                prefix,
                options,
            } => {
                let mut b = AmazonS3Builder::new();
                for (k, v) in options {
                    // As `AmazonS3Builder::from_env`: names it does not know (AWS_PROFILE, …) are skipped.
                    if let Ok(key) = k.to_ascii_lowercase().parse::<AmazonS3ConfigKey>() {
                        b = b.with_config(key, v);
                    }
                }
                let s3 = b
                    .with_bucket_name(bucket)
                    .build()
                    .map_err(|e| StorageError::Setup(format!("S3 bucket {bucket}: {e}")))?;
                let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
                    Arc::new(s3)
                } else {
                    Arc::new(PrefixStore::new(s3, prefix.as_str()))
                };
                Ok(Self { store })
            }
        }
    }

    /// A local folder, made if missing.
    pub fn local(dir: &std::path::Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StorageError::Setup(format!("creating {}: {e}", dir.display())))?;
        let fs = LocalFileSystem::new_with_prefix(dir)?;
        Ok(Self {
            store: Arc::new(fs),
        })
    }

    /// Any `object_store` backend (tests).
    pub fn new(store: Arc<dyn ObjectStore>) -> Self {
        Self { store }
    }

    /// Writes `bytes` under `key` unless the key exists (content-addressed keys hold the same bytes).
    ///
    /// The write is conditional (`PutMode::Create`: `If-None-Match: *` on S3), so an existing object is
    /// never replaced. A store without conditional writes (S3 with `AWS_CONDITIONAL_PUT=disabled`) gets
    /// a HEAD, then a plain PUT when the key is missing. That is safe only because keys are content
    /// hashes: two writers racing between the HEAD and the PUT write the same bytes.
    pub async fn put_once(&self, key: &str, bytes: Vec<u8>) -> Result<(), StorageError> {
        let path = ObjectPath::from(key);
        let bytes = Bytes::from(bytes);
        let opts = PutOptions {
            mode: PutMode::Create,
            ..Default::default()
        };
        match self
            .store
            .put_opts(&path, PutPayload::from(bytes.clone()), opts)
            .await
        {
            Ok(_) | Err(object_store::Error::AlreadyExists { .. }) => Ok(()),
            Err(
                object_store::Error::NotImplemented { .. }
                | object_store::Error::NotSupported { .. },
            ) => {
                if self.exists(key).await? {
                    return Ok(());
                }
                self.store.put(&path, PutPayload::from(bytes)).await?;
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>, StorageError> {
        match self.store.get(&ObjectPath::from(key)).await {
            Ok(r) => Ok(r.bytes().await?.to_vec()),
            Err(object_store::Error::NotFound { .. }) => Err(StorageError::NotFound(key.into())),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn exists(&self, key: &str) -> Result<bool, StorageError> {
        match self.store.head(&ObjectPath::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The keys of the objects directly under `prefix` (e.g. `t/7`), sorted; not those in deeper folders.
    pub async fn list_dir(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let prefix = ObjectPath::from(prefix);
        let listed = self.store.list_with_delimiter(Some(&prefix)).await?;
        let mut keys: Vec<String> = listed
            .objects
            .into_iter()
            .map(|o| o.location.to_string())
            .collect();
        keys.sort();
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn objects_are_written_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::local(&dir.path().join("objects")).unwrap();
        let k = key(7, "abc", "pdf");
        assert_eq!(k, "t/7/abc.pdf");
        assert!(!s.exists(&k).await.unwrap());
        s.put_once(&k, b"first".to_vec()).await.unwrap();
        // A second write of the same key changes nothing.
        s.put_once(&k, b"second".to_vec()).await.unwrap();
        assert_eq!(s.get(&k).await.unwrap(), b"first");
        assert!(dir.path().join("objects/t/7/abc.pdf").exists());
        assert!(matches!(
            s.get("t/7/missing.pdf").await,
            Err(StorageError::NotFound(_))
        ));
        assert_eq!(s.list_dir("t/7").await.unwrap(), ["t/7/abc.pdf"]);
        assert!(s.list_dir("t/8").await.unwrap().is_empty());
    }

    fn s3(bucket: &str, prefix: &str) -> Location {
        Location::S3 {
            bucket: bucket.into(),
            prefix: prefix.into(),
            options: vec![],
        }
    }

    #[test]
    fn storage_urls() {
        assert_eq!(Location::parse("s3://finsam"), Ok(s3("finsam", "")));
        assert_eq!(
            Location::parse("s3://finsam-prod.eu/dokument/v1/"),
            Ok(s3("finsam-prod.eu", "dokument/v1"))
        );
        assert_eq!(
            Location::parse("file:///var/lib/finsam/objects"),
            Ok(Location::Local("/var/lib/finsam/objects".into()))
        );
        assert_eq!(
            Location::parse("data/objects"),
            Ok(Location::Local("data/objects".into()))
        );
        for bad in [
            "",
            "file://",
            "s3://",
            "s3://ab",
            "s3://Finsam",
            "s3://-finsam",
            "s3://fin_sam",
            "s3://key:secret@finsam",
            "s3://finsam?region=eu-north-1",
            "s3://finsam/a//b",
            "s3://finsam/a/../b",
            "gs://finsam",
            "https://s3.eu-north-1.amazonaws.com/finsam",
        ] {
            assert!(Location::parse(bad).is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn s3_options_are_added_and_secrets_never_print() {
        let l = Location::parse("s3://finsam").unwrap().with_aws_options([
            (
                "aws_endpoint".to_owned(),
                "http://127.0.0.1:9000".to_owned(),
            ),
            ("aws_access_key_id".to_owned(), "finsam".to_owned()),
            (
                "AWS_PROFILE".to_owned(),
                "unknown names are skipped".to_owned(),
            ),
            ("aws_secret_access_key".to_owned(), "hemligt".to_owned()),
        ]);
        let shown = format!("{l:?}");
        assert!(shown.contains("http://127.0.0.1:9000"), "{shown}");
        assert!(!shown.contains("hemligt"), "{shown}");
        Storage::open(&l).unwrap();
        // A local folder takes no S3 settings.
        assert_eq!(
            Location::Local("x".into()).with_aws_options([("aws_region".into(), "x".into())]),
            Location::Local("x".into())
        );
    }
}
