//! `finsam backup` and `finsam restore` for the embedded mode: the SQLite database (a consistent copy
//! made while the server may be running), the stored documents, the sent e-mail files and the JWT
//! secret, in a folder with a manifest of every file's SHA-256. A restore checks every file before it
//! writes anything, and writes into an empty data dir only. PostgreSQL and S3 deployments back up with
//! their own tools (docs/operations.md).

use crate::config::Config;
use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The manifest's name in a backup folder.
pub const MANIFEST: &str = "finsam-backup.json";
const FORMAT: u32 = 1;
const DATABASE: &str = "finsam.db";

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub finsam_version: String,
    /// Europe/Stockholm with the offset.
    pub created_at: String,
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the data dir, with `/`.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

fn is_empty_or_missing(dir: &Path) -> anyhow::Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e).with_context(|| format!("reading {}", dir.display())),
    }
}

fn sha256_file(path: &Path) -> anyhow::Result<(u64, String)> {
    let mut f = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut h = Sha256::new();
    let n = std::io::copy(&mut f, &mut h)?;
    Ok((n, hex::encode(h.finalize())))
}

/// Every file under `root/sub`, as paths relative to `root`, sorted.
fn files_under(root: &Path, sub: &str) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![root.join(sub)];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
        };
        for e in entries {
            let e = e?;
            let path = e.path();
            if e.file_type()?.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(root) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                // Files being written (`*.tmp` in the outbox) are not part of the state.
                if !rel.ends_with(".tmp") {
                    out.push(rel);
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

fn copy_file(from: &Path, to: &Path) -> anyhow::Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::copy(from, to)
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    Ok(())
}

/// Writes a backup of the embedded data into `out` (missing or empty).
pub async fn backup(
    cfg: &Config,
    db: &sea_orm::DatabaseConnection,
    out: &Path,
) -> anyhow::Result<Manifest> {
    if db.get_database_backend() != DbBackend::Sqlite {
        bail!(
            "finsam backup is for the embedded mode (SQLite): back up PostgreSQL with pg_dump and the bucket with its own tools (docs/operations.md)"
        );
    }
    if !is_empty_or_missing(out)? {
        bail!("{} is not empty: back up into a new folder", out.display());
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    // A consistent copy of the database, also while the server writes to it.
    let target = out.join(DATABASE);
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO ?",
        [target.to_string_lossy().into_owned().into()],
    ))
    .await
    .context("copying the database (VACUUM INTO)")?;

    let data = &cfg.data_dir;
    let objects = objects_subdir(cfg)?;
    let mut files = vec![DATABASE.to_owned()];
    for sub in [objects.as_str(), "outbox"] {
        for rel in files_under(data, sub)? {
            copy_file(&data.join(&rel), &out.join(&rel))?;
            files.push(rel);
        }
    }
    if data.join("jwt-secret").exists() {
        copy_file(&data.join("jwt-secret"), &out.join("jwt-secret"))?;
        files.push("jwt-secret".into());
    }
    let mut entries = Vec::new();
    for rel in files {
        let (bytes, sha256) = sha256_file(&out.join(&rel))?;
        entries.push(FileEntry {
            path: rel,
            bytes,
            sha256,
        });
    }
    let manifest = Manifest {
        format: FORMAT,
        finsam_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at: finsam_core::time::format_stockholm(chrono::Utc::now()),
        files: entries,
    };
    std::fs::write(
        out.join(MANIFEST),
        serde_json::to_string_pretty(&manifest)? + "\n",
    )?;
    Ok(manifest)
}

/// The object folder as a path under the data dir (backups hold the embedded layout only).
fn objects_subdir(cfg: &Config) -> anyhow::Result<String> {
    let finsam_storage::Location::Local(dir) = &cfg.storage else {
        bail!(
            "finsam backup is for the embedded mode: the documents are in a bucket, back it up with the provider's tools (docs/operations.md)"
        );
    };
    match dir.strip_prefix(&cfg.data_dir) {
        Ok(rel) => Ok(rel.to_string_lossy().replace('\\', "/")),
        Err(_) => bail!(
            "the object folder {} is outside FINSAM_DATA_DIR: back it up with the data dir's backup tools",
            dir.display()
        ),
    }
}

/// Restores a backup from `from` into `data_dir`, which must be missing or empty. Every file is
/// checked against the manifest first; the files are written to a folder beside `data_dir` and moved
/// into place at the end, so an interrupted restore leaves no half-filled data dir.
pub fn restore(from: &Path, data_dir: &Path) -> anyhow::Result<Manifest> {
    let text = std::fs::read_to_string(from.join(MANIFEST))
        .with_context(|| format!("{} has no {MANIFEST}: not a Finsam backup", from.display()))?;
    let manifest: Manifest = serde_json::from_str(&text).context("reading the manifest")?;
    if manifest.format != FORMAT {
        bail!(
            "backup format {} is not known to this version",
            manifest.format
        );
    }
    for f in &manifest.files {
        let rel = Path::new(&f.path);
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            bail!("the manifest names a path outside the backup: {}", f.path);
        }
        let (bytes, sha256) = sha256_file(&from.join(rel))?;
        if bytes != f.bytes || sha256 != f.sha256 {
            bail!(
                "{} does not match the manifest: the backup is damaged",
                f.path
            );
        }
    }
    if !is_empty_or_missing(data_dir)? {
        bail!(
            "{} is not empty: restore into an empty FINSAM_DATA_DIR",
            data_dir.display()
        );
    }
    let staging = sibling(data_dir, ".restoring")?;
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    for f in &manifest.files {
        copy_file(&from.join(&f.path), &staging.join(&f.path))?;
    }
    #[cfg(unix)]
    if staging.join("jwt-secret").exists() {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            staging.join("jwt-secret"),
            std::fs::Permissions::from_mode(0o600),
        )?;
    }
    if data_dir.exists() {
        std::fs::remove_dir(data_dir)?;
    }
    std::fs::rename(&staging, data_dir)
        .with_context(|| format!("moving the restored files into {}", data_dir.display()))?;
    Ok(manifest)
}

fn sibling(dir: &Path, suffix: &str) -> anyhow::Result<PathBuf> {
    let name = dir
        .file_name()
        .with_context(|| format!("{} has no folder name", dir.display()))?;
    let mut s = name.to_os_string();
    s.push(suffix);
    Ok(dir.with_file_name(s))
}
