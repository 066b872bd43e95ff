//! Object storage behind `object_store`: a local folder in the embedded default. Objects are written once
//! under a key made of the tenant and the SHA-256 of the content, so a key always means the same bytes:
//! writing an existing key is a no-op, and nothing is ever overwritten.

use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload};
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
    /// A local folder, made if missing.
    pub fn local(dir: &std::path::Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StorageError::Setup(format!("creating {}: {e}", dir.display())))?;
        let fs = LocalFileSystem::new_with_prefix(dir)?;
        Ok(Self {
            store: Arc::new(fs),
        })
    }

    /// Any `object_store` backend (tests, S3).
    pub fn new(store: Arc<dyn ObjectStore>) -> Self {
        Self { store }
    }

    /// Writes `bytes` under `key` unless the key exists (content-addressed keys hold the same bytes).
    pub async fn put_once(&self, key: &str, bytes: Vec<u8>) -> Result<(), StorageError> {
        let opts = PutOptions {
            mode: PutMode::Create,
            ..Default::default()
        };
        match self
            .store
            .put_opts(&ObjectPath::from(key), PutPayload::from(bytes), opts)
            .await
        {
            Ok(_) | Err(object_store::Error::AlreadyExists { .. }) => Ok(()),
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
    }
}
