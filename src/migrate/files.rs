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
    /// The migrations recorded before this one when it was generated: one, or several
    /// for a merge migration, none for the first.
    pub parents: Vec<i64>,
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

    /// For a migration that holds part of another's downgrade (`<slug>_undo_N`, see
    /// `project::generate`): the version whose downgrade it belongs to. Its up does
    /// nothing; reverting runs its down before the down of that version.
    pub fn undo_of(&self) -> Option<i64> {
        undo_of(&self.up)
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
            std::fs::read_to_string(p)
                .map(strip_bom)
                .map_err(|e| Error::Io {
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
                parents: parents(&up).unwrap_or_default(),
                up,
                down,
                path,
            },
        );
    }
    Ok(link_unparented(found.into_values().collect()))
}

/// Editors on Windows may start a file with a UTF-8 byte order mark; PostgreSQL would
/// read it as part of the first statement and the runners would miss a
/// `-- no-transaction` after it. The checksum is of the text without it.
fn strip_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// A migration written by hand (no parent header) follows the one before it.
pub fn link_unparented(mut migrations: Vec<Migration>) -> Vec<Migration> {
    for i in 1..migrations.len() {
        if parents(&migrations[i].up).is_none() {
            migrations[i].parents = vec![migrations[i - 1].version];
        }
    }
    migrations
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

/// The `-- squashes:` header of a migration `pgshift squash` wrote: the versions it
/// replaced. Empty for any other migration.
pub fn squashes(script: &str) -> Vec<i64> {
    header(script, "squashes")
        .map(|v| v.split(',').filter_map(|p| p.trim().parse().ok()).collect())
        .unwrap_or_default()
}

/// The `-- undo-of:` header: the version whose downgrade this migration's down is part of.
pub fn undo_of(script: &str) -> Option<i64> {
    header(script, "undo-of")?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The migration a version belongs to as one step of `downgrade` and `status`: itself,
/// or for an undo part, the migration whose downgrade it holds part of.
pub fn owner(migrations: &[Migration], version: i64) -> i64 {
    migrations
        .iter()
        .find(|m| m.version == version)
        .and_then(Migration::undo_of)
        .unwrap_or(version)
}

/// The undo parts of `version`, by version.
pub fn undo_parts(migrations: &[Migration], version: i64) -> Vec<&Migration> {
    migrations
        .iter()
        .filter(|m| m.undo_of() == Some(version))
        .collect()
}

/// The `-- parent:` header: `none`, a version, or versions joined by `, ` (a merge).
/// None when there is no such header or it does not read.
pub fn parents(script: &str) -> Option<Vec<i64>> {
    let value = header(script, "parent")?;
    if value == "none" {
        return Some(vec![]);
    }
    value.split(',').map(|v| v.trim().parse().ok()).collect()
}

/// The migrations no other migration names as parent. More than one means two branches
/// each added a migration: they must be merged before going on. A parent that has no
/// file is an error naming it: a deleted file is not a branch, and merging will not help.
pub fn heads(migrations: &[Migration]) -> Result<Vec<i64>> {
    let versions: std::collections::BTreeSet<i64> = migrations.iter().map(|m| m.version).collect();
    for m in migrations {
        if let Some(missing) = m.parents.iter().find(|p| !versions.contains(p)) {
            let dir = m.path.parent().unwrap_or(Path::new("."));
            return Err(Error::History(format!(
                "migration {} ({}) follows migration {missing}, which has no file in {}: it \
                 was deleted or not checked out.\n  hint: restore {missing}_*.up.sql and \
                 .down.sql from git history (`git log --all --diff-filter=D --name-only -- \
                 {}`) or a backup; this is not a second branch, so `pgshift merge` will not \
                 help",
                m.version,
                m.name,
                dir.display(),
                dir.display()
            )));
        }
    }
    let parents: std::collections::BTreeSet<i64> = migrations
        .iter()
        .flat_map(|m| m.parents.iter().copied())
        .collect();
    Ok(migrations
        .iter()
        .filter(|m| !parents.contains(&m.version))
        .map(|m| m.version)
        .collect())
}

/// Writes the up and down files of each migration, all or nothing.
pub fn write_all(dir: &Path, migrations: &[Migration]) -> Result<Vec<PathBuf>> {
    let mut files = vec![];
    for m in migrations {
        let stem = format!("{}_{}", m.version, m.name);
        files.push((dir.join(format!("{stem}.up.sql")), m.up.clone(), false));
        if let Some(down) = &m.down {
            files.push((dir.join(format!("{stem}.down.sql")), down.clone(), false));
        }
    }
    write_files(&files)
}

/// Writes `(path, text, may_replace)` files all or nothing: everything goes to temporary
/// files first and is renamed into place only when every write succeeded. A file that
/// exists and may not be replaced stops everything before anything is written.
pub fn write_files(files: &[(PathBuf, String, bool)]) -> Result<Vec<PathBuf>> {
    let io = |p: &Path, e: std::io::Error| Error::Io {
        path: p.to_path_buf(),
        reason: e.to_string(),
    };
    if let Some((path, _, _)) = files.iter().find(|(p, _, replace)| !replace && p.exists()) {
        return Err(Error::Io {
            path: path.clone(),
            reason: "already exists; nothing was written".into(),
        });
    }
    let mut staged: Vec<(PathBuf, PathBuf)> = vec![];
    for (path, text, _) in files {
        let temp = path.with_extension("pgshift.tmp");
        let written = match path.parent() {
            Some(dir) => std::fs::create_dir_all(dir).and_then(|_| std::fs::write(&temp, text)),
            None => std::fs::write(&temp, text),
        };
        if let Err(e) = written {
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            return Err(io(&temp, e));
        }
        staged.push((temp, path.clone()));
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
    fn parent_headers() {
        assert_eq!(parents("-- x: 1\n-- parent: none\n"), Some(vec![]));
        assert_eq!(parents("-- parent: 1, 22\n"), Some(vec![1, 22]));
        assert_eq!(parents("-- parent: 1, x\n"), None);
        assert_eq!(parents("CREATE TABLE t ();\n-- parent: 1\n"), None);
        assert_eq!(undo_of("-- parent: 1\n-- undo-of: 7 (part 2)\n"), Some(7));
        assert_eq!(undo_of("-- parent: 1\n"), None);
    }

    #[test]
    fn a_merge_migration_makes_both_branches_non_heads() {
        let m = |version, parents: &[i64]| Migration {
            version,
            name: String::new(),
            up: String::new(),
            down: None,
            parents: parents.to_vec(),
            path: PathBuf::new(),
        };
        let mut all = vec![m(1, &[]), m(2, &[1]), m(3, &[1])];
        assert_eq!(heads(&all).unwrap(), vec![2, 3]);
        all.push(m(4, &[2, 3]));
        assert_eq!(heads(&all).unwrap(), vec![4]);
    }

    #[test]
    fn a_missing_parent_is_named_not_taken_for_a_branch() {
        let m = |version, parents: &[i64]| Migration {
            version,
            name: format!("m{version}"),
            up: String::new(),
            down: None,
            parents: parents.to_vec(),
            path: PathBuf::from(format!("migrations/{version}_m{version}.up.sql")),
        };
        let err = heads(&[m(1, &[]), m(3, &[2])]).unwrap_err().to_string();
        assert!(
            err.contains("migration 3 (m3) follows migration 2, which has no file in migrations"),
            "{err}"
        );
        assert!(
            err.contains("git log") && err.contains("not a second branch"),
            "{err}"
        );
    }

    #[test]
    fn a_byte_order_mark_is_stripped() {
        let dir = std::env::temp_dir().join(format!("pgshift-bom-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("1_a.up.sql"),
            "\u{feff}-- no-transaction\nSELECT 1;\n",
        )
        .unwrap();
        let read = read_dir(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(!read[0].transactional());
        assert!(read[0].up.starts_with("-- no-transaction"));
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Add user preferences!"), "add_user_preferences");
        assert_eq!(slug("  "), "migration");
    }
}
