//! A cache of replayed histories for `pgshift check` and `pgshift generate`: the schema a
//! history produces (with the dependencies read from `pg_depend`, which order statements),
//! keyed by every migration's version and checksums (up and down), the version table,
//! what is left out, what a schema-per-tenant fleet shares with its tenants (`[fleet]
//! shared_schemas` and the extensions the fleet's database has in them, set up on the
//! scratch database before the replay) and the pgshift version. The folder is safe to delete. The PostgreSQL
//! binaries' folder is part of the key (`/usr/lib/postgresql/16/bin`); with `--dev-url`
//! delete the folder after upgrading that server.
//!
//! `check` uses an entry only to say "the model matches": a hit whose schema differs
//! from the model is replayed again for real, so a stale entry never hides a change.
//! `generate` plans from the entry, and builds the history's schema on its scratch
//! database from it in one script (`project::generate_from`) instead of replaying
//! every migration; a rebuild that does not read back as the entry falls back to the
//! replay. After writing, it stores the entry of the history with its new migrations,
//! so the next `check` or `generate` starts warm.

use super::files::{checksum, Migration};
use super::project::replay;
use crate::error::Result;
use crate::pg::Shared;
use crate::plan::plan;
use crate::schema::{Dependencies, ObjectId, QualifiedName, Schema};
use crate::source::{IntrospectOptions, Loader};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The cache folder of a project: `.pgshift/replay-cache` beside pgshift.toml.
pub fn dir(base: &Path) -> PathBuf {
    base.join(".pgshift").join("replay-cache")
}

/// What one entry holds.
#[derive(Serialize, Deserialize)]
struct Entry {
    schema: Schema,
    /// `Schema::dependencies` (not serialized with the schema): each object with one
    /// it needs.
    needs: Vec<(ObjectId, ObjectId)>,
}

/// The schema `migrations` produce, for comparing with `model`: from the cache when an
/// entry for exactly these files matches the model (then `true`), else replayed (and
/// stored).
pub fn replayed_for(
    cache: &Path,
    loader: &Loader,
    migrations: &[Migration],
    table: &QualifiedName,
    options: &IntrospectOptions,
    shared: Option<&Shared>,
    model: &Schema,
) -> Result<(Schema, bool)> {
    if let Some(cached) = lookup(cache, migrations, table, options, shared) {
        if plan(&cached, model).is_ok_and(|p| p.is_empty()) {
            return Ok((cached, true));
        }
    }
    let schema = replay(loader.scratch()?, migrations, table, options)?;
    store(cache, migrations, table, options, shared, &schema);
    Ok((schema, false))
}

/// The entry for exactly these files, with its dependencies, if there is one that reads.
pub fn lookup(
    cache: &Path,
    migrations: &[Migration],
    table: &QualifiedName,
    options: &IntrospectOptions,
    shared: Option<&Shared>,
) -> Option<Schema> {
    let path = cache.join(format!("{}.json", key(migrations, table, options, shared)));
    let bytes = std::fs::read(path).ok()?;
    let entry: Entry = serde_json::from_slice(&bytes).ok()?;
    let mut schema = entry.schema;
    let mut deps = Dependencies::with_capacity(entry.needs.len());
    for (dependent, needs) in &entry.needs {
        deps.add(dependent, needs);
    }
    schema.dependencies = deps;
    Some(schema)
}

/// Writes the entry of `migrations`; a cache that cannot be written is no error (it is
/// only a cache).
pub fn store(
    cache: &Path,
    migrations: &[Migration],
    table: &QualifiedName,
    options: &IntrospectOptions,
    shared: Option<&Shared>,
    schema: &Schema,
) {
    let path = cache.join(format!("{}.json", key(migrations, table, options, shared)));
    if std::fs::create_dir_all(cache).is_err() {
        return;
    }
    // Never committed by accident.
    if let Some(top) = cache.parent() {
        let _ = std::fs::write(top.join(".gitignore"), "*\n");
    }
    let entry = Entry {
        schema: schema.clone(),
        needs: schema
            .dependencies
            .iter()
            .map(|(d, n)| (d.clone(), n.clone()))
            .collect(),
    };
    if let Ok(json) = serde_json::to_vec(&entry) {
        let temp = path.with_extension("tmp");
        if std::fs::write(&temp, json).is_ok() {
            let _ = std::fs::rename(&temp, path);
        }
    }
}

fn key(
    migrations: &[Migration],
    table: &QualifiedName,
    options: &IntrospectOptions,
    shared: Option<&Shared>,
) -> String {
    let mut text = format!(
        "pgshift {}\n{:?}\n{}.{}\n{:?}\n{:?}\n",
        env!("CARGO_PKG_VERSION"),
        crate::pg::find_binaries().ok(),
        table.schema,
        table.name,
        options,
        shared.map(|s| (&s.schemas, &s.extensions)),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A replay on a scratch database with other shared schemas or extensions is
    /// another entry.
    #[test]
    fn the_key_holds_what_the_fleet_shares() {
        let table = QualifiedName::new("public", "pgshift_migrations");
        let options = IntrospectOptions::default();
        let shared = |extensions: &[&str]| Shared {
            schemas: vec!["extensions".into()],
            extensions: extensions
                .iter()
                .map(|e| (e.to_string(), "extensions".to_string()))
                .collect(),
        };
        let none = key(&[], &table, &options, None);
        let citext = key(&[], &table, &options, Some(&shared(&["citext"])));
        let both = key(&[], &table, &options, Some(&shared(&["citext", "hstore"])));
        assert_ne!(none, citext);
        assert_ne!(citext, both);
        assert_eq!(
            citext,
            key(&[], &table, &options, Some(&shared(&["citext"])))
        );
    }
}
