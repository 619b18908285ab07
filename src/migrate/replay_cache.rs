//! A cache of replayed histories for `pgshift check`: the schema a history produces,
//! keyed by every migration's version and checksums (up and down), the version table,
//! what is left out and the pgshift version. It only ever answers "the model matches":
//! a hit whose schema differs from the model is replayed again for real, so a stale
//! entry never hides a change, and the folder is safe to delete. The PostgreSQL binaries'
//! folder is part of the key (`/usr/lib/postgresql/16/bin`); with `--dev-url` delete the
//! folder after upgrading that server.

use super::files::{checksum, Migration};
use super::project::replay;
use crate::error::Result;
use crate::plan::plan;
use crate::schema::{QualifiedName, Schema};
use crate::source::{IntrospectOptions, Loader};
use std::path::{Path, PathBuf};

/// The cache folder of a project: `.pgshift/replay-cache` beside pgshift.toml.
pub fn dir(base: &Path) -> PathBuf {
    base.join(".pgshift").join("replay-cache")
}

/// The schema `migrations` produce, for comparing with `model`: from the cache when an
/// entry for exactly these files matches the model, else replayed (and stored).
pub fn replayed_for(
    cache: &Path,
    loader: &Loader,
    migrations: &[Migration],
    table: &QualifiedName,
    options: &IntrospectOptions,
    model: &Schema,
) -> Result<Schema> {
    let path = cache.join(format!("{}.json", key(migrations, table, options)));
    if let Some(cached) = std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Schema>(&bytes).ok())
    {
        if plan(&cached, model).is_ok_and(|p| p.is_empty()) {
            return Ok(cached);
        }
    }
    let schema = replay(loader.scratch()?, migrations, table, options)?;
    store(cache, &path, &schema);
    Ok(schema)
}

/// Writes an entry; a cache that cannot be written is no error (it is only a cache).
fn store(cache: &Path, path: &Path, schema: &Schema) {
    if std::fs::create_dir_all(cache).is_err() {
        return;
    }
    // Never committed by accident.
    if let Some(top) = cache.parent() {
        let _ = std::fs::write(top.join(".gitignore"), "*\n");
    }
    if let Ok(json) = serde_json::to_vec(schema) {
        let temp = path.with_extension("tmp");
        if std::fs::write(&temp, json).is_ok() {
            let _ = std::fs::rename(&temp, path);
        }
    }
}

fn key(migrations: &[Migration], table: &QualifiedName, options: &IntrospectOptions) -> String {
    let mut text = format!(
        "pgshift {}\n{:?}\n{}.{}\n{:?}\n",
        env!("CARGO_PKG_VERSION"),
        crate::pg::find_binaries().ok(),
        table.schema,
        table.name,
        options
    );
    for m in migrations {
        text.push_str(&format!(
            "{} {} {}\n",
            m.version,
            m.checksum(),
            checksum(m.down.as_deref().unwrap_or(""))
        ));
    }
    checksum(&text)
}
