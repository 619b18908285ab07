//! Migration files: `<version>_<slug>.up.sql` and `.down.sql` side by side, the layout
//! sqlx-cli runs too (`-- no-transaction` on the first line for a migration that cannot
//! run in a transaction). The version is the UTC creation time, `YYYYMMDDHHMMSS`.

use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const NO_TRANSACTION: &str = "-- no-transaction";

#[derive(Clone, Debug, PartialEq)]
pub struct Migration {
    pub version: i64,
    pub name: String,
    pub up: String,
    pub down: Option<String>,
    /// The migration recorded before this one when it was generated.
    pub parent: Option<i64>,
    pub path: PathBuf,
}

impl Migration {
    pub fn transactional(&self) -> bool {
        !self.up.starts_with(NO_TRANSACTION)
    }

    pub fn down_transactional(&self) -> bool {
        !self
            .down
            .as_deref()
            .unwrap_or("")
            .starts_with(NO_TRANSACTION)
    }

    /// SHA-256 of the up script, as applied.
    pub fn checksum(&self) -> String {
        checksum(&self.up)
    }
}

pub fn checksum(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every migration in `dir`, by version. A missing directory holds none.
pub fn read_dir(dir: &Path) -> Result<Vec<Migration>> {
    let io = |e: std::io::Error| Error::Io {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    };
    let mut found: BTreeMap<i64, Migration> = BTreeMap::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(io(e)),
    };
    for entry in entries {
        let path = entry.map_err(io)?.path();
        let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
            continue;
        };
        let Some(stem) = file.strip_suffix(".up.sql") else {
            continue;
        };
        let (version, name) = parse_stem(stem).ok_or_else(|| Error::Io {
            path: path.clone(),
            reason: "expected <version>_<name>.up.sql with a numeric version".into(),
        })?;
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|e| Error::Io {
                path: p.to_path_buf(),
                reason: e.to_string(),
            })
        };
        let up = read(&path)?;
        let down_path = dir.join(format!("{stem}.down.sql"));
        let down = if down_path.exists() {
            Some(read(&down_path)?)
        } else {
            None
        };
        let parent = header(&up, "parent").and_then(|p| p.parse().ok());
        if let Some(other) = found.get(&version) {
            return Err(Error::Io {
                path: path.clone(),
                reason: format!("version {version} is also used by {}", other.path.display()),
            });
        }
        found.insert(
            version,
            Migration {
                version,
                name: name.to_string(),
                up,
                down,
                parent,
                path,
            },
        );
    }
    // A migration written by hand (no parent header) follows the one before it.
    let mut migrations: Vec<Migration> = found.into_values().collect();
    for i in 1..migrations.len() {
        if migrations[i].parent.is_none() && header(&migrations[i].up, "parent").is_none() {
            migrations[i].parent = Some(migrations[i - 1].version);
        }
    }
    Ok(migrations)
}

fn parse_stem(stem: &str) -> Option<(i64, &str)> {
    let (version, name) = stem.split_once('_').unwrap_or((stem, ""));
    Some((version.parse().ok()?, name))
}

/// `-- key: value` from a script's header comments.
pub fn header(script: &str, key: &str) -> Option<String> {
    let prefix = format!("-- {key}: ");
    script
        .lines()
        .take_while(|l| l.starts_with("--"))
        .find_map(|l| l.strip_prefix(&prefix).map(|v| v.trim().to_string()))
}

/// The migrations no other migration names as parent. More than one means two branches
/// each added a migration: they must be merged before going on.
pub fn heads(migrations: &[Migration]) -> Vec<i64> {
    let parents: std::collections::BTreeSet<i64> =
        migrations.iter().filter_map(|m| m.parent).collect();
    migrations
        .iter()
        .filter(|m| !parents.contains(&m.version))
        .map(|m| m.version)
        .collect()
}

/// Writes the up and down files of each migration, all or nothing: everything goes to
/// temporary files first and is renamed into place only when every write succeeded.
pub fn write_all(dir: &Path, migrations: &[Migration]) -> Result<Vec<PathBuf>> {
    let io = |p: &Path, e: std::io::Error| Error::Io {
        path: p.to_path_buf(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let mut staged = vec![];
    for m in migrations {
        let stem = format!("{}_{}", m.version, m.name);
        let mut files = vec![(dir.join(format!("{stem}.up.sql")), m.up.clone())];
        if let Some(down) = &m.down {
            files.push((dir.join(format!("{stem}.down.sql")), down.clone()));
        }
        for (path, text) in files {
            if path.exists() {
                return Err(Error::Io {
                    path,
                    reason: "already exists; nothing was written".into(),
                });
            }
            let temp = path.with_extension("sql.tmp");
            if let Err(e) = std::fs::write(&temp, text) {
                for (t, _) in &staged {
                    let _ = std::fs::remove_file(t);
                }
                return Err(io(&temp, e));
            }
            staged.push((temp, path));
        }
    }
    let mut written = vec![];
    for (temp, path) in staged {
        std::fs::rename(&temp, &path).map_err(|e| io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

/// A file-name slug of a message: lower case, words joined by `_`.
pub fn slug(message: &str) -> String {
    let words: Vec<String> = message
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let s = words.join("_");
    if s.is_empty() {
        "migration".into()
    } else {
        s.chars().take(60).collect()
    }
}

/// `YYYYMMDDHHMMSS` and an ISO 8601 string for a Unix time (UTC).
pub fn timestamp(unix: i64) -> (i64, String) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let version = ((((year * 100 + month) * 100 + day) * 100 + h) * 100 + m) * 100 + s;
    let iso = format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z");
    (version, iso)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(
            timestamp(0),
            (19700101000000, "1970-01-01T00:00:00Z".into())
        );
        assert_eq!(timestamp(1_795_000_000).1, "2026-11-18T11:06:40Z");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Add user preferences!"), "add_user_preferences");
        assert_eq!(slug("  "), "migration");
    }
}
