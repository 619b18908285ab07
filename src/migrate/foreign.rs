//! Migration histories written for other tools, read in place: each tool's file layout
//! becomes the same [`Migration`] values pgshift's own files do, with what that tool
//! would do differently (a diesel `metadata.toml` that turns the transaction off, a
//! refinery migration that has no down by design) kept beside them.
//!
//! - pgshift: `<version>_<name>.up.sql` + `.down.sql`, with `-- parent:` headers.
//! - sqlx: the same pair (reversible), or one `<version>_<name>.sql` (no down);
//!   `-- no-transaction` on the first line turns the transaction off.
//! - golang-migrate: `<version>_<title>.up.sql` + `.down.sql`, versions often
//!   zero-padded (`000001`); each file is sent as one query.
//! - diesel: a folder `<version>_<name>/` with `up.sql`, `down.sql` and an optional
//!   `metadata.toml` (`run_in_transaction = false`); versions like `2020-01-01-000000`.
//! - refinery: `V<n>__<name>.sql` (versioned) and `U<n>__<name>.sql` (unversioned), ups
//!   only: refinery has no down migrations.

use super::files::{self, Migration};
use super::runner::Script;
use super::split::split;
use super::statement::{runs_without_timeouts, transaction_control};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Pgshift,
    Sqlx,
    GolangMigrate,
    Diesel,
    Refinery,
}

impl Layout {
    pub const NAMES: [&'static str; 5] =
        ["pgshift", "sqlx", "golang-migrate", "diesel", "refinery"];

    pub fn parse(name: &str) -> Option<Layout> {
        Some(match name {
            "pgshift" => Layout::Pgshift,
            "sqlx" => Layout::Sqlx,
            "golang-migrate" => Layout::GolangMigrate,
            "diesel" => Layout::Diesel,
            "refinery" => Layout::Refinery,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Pgshift => "pgshift",
            Layout::Sqlx => "sqlx",
            Layout::GolangMigrate => "golang-migrate",
            Layout::Diesel => "diesel",
            Layout::Refinery => "refinery",
        }
    }
}

/// One migration of a history, as its tool would run it.
#[derive(Clone, Debug)]
pub struct ForeignMigration {
    /// Version (digits of the tool's version), name, up and down text, the up's path.
    pub migration: Migration,
    /// The version as the tool writes it (`2020-01-01-000000`, `000001`, `V3`).
    pub label: String,
    pub up_transactional: bool,
    pub down_transactional: bool,
    /// Where the down file is, or would be.
    pub down_path: PathBuf,
    /// Why there is no down file, when the tool has none for this migration.
    pub no_down_by_design: Option<&'static str>,
}

impl ForeignMigration {
    pub fn up(&self) -> Script<'_> {
        Script {
            text: &self.migration.up,
            transactional: self.up_transactional,
            path: &self.migration.path,
        }
    }

    /// The down script; None when there is no down file.
    pub fn down(&self) -> Option<Script<'_>> {
        Some(Script {
            text: self.migration.down.as_deref()?,
            transactional: self.down_transactional,
            path: &self.down_path,
        })
    }
}

/// A history read in place.
#[derive(Clone, Debug)]
pub struct History {
    pub layout: Layout,
    pub dir: PathBuf,
    pub migrations: Vec<ForeignMigration>,
}

impl History {
    /// The migrations as pgshift's own (each following the one before it).
    pub fn plain(&self) -> Vec<Migration> {
        self.migrations
            .iter()
            .map(|f| f.migration.clone())
            .collect()
    }
}

/// Which tool's layout `dir` holds, from its file names.
pub fn detect(dir: &Path) -> Result<Layout> {
    let mut pairs = vec![];
    let mut single_sql = false;
    for (path, file) in entries(dir)? {
        if path.is_dir() {
            if path.join("up.sql").is_file() {
                return Ok(Layout::Diesel);
            }
            continue;
        }
        if refinery_name(&file).is_some() {
            return Ok(Layout::Refinery);
        }
        if let Some(stem) = file.strip_suffix(".up.sql") {
            pairs.push((path.clone(), stem.to_string()));
        } else if file.ends_with(".sql")
            && !file.ends_with(".down.sql")
            && version_of(&file).is_some()
        {
            single_sql = true;
        }
    }
    if single_sql {
        return Ok(Layout::Sqlx);
    }
    if pairs.is_empty() {
        return Err(Error::History(format!(
            "no migrations found in {}: expected <version>_<name>.up.sql files (pgshift, \
             sqlx, golang-migrate), <version>_<name>/up.sql folders (diesel) or \
             V<n>__<name>.sql files (refinery)\n  hint: name the folder (`pgshift test DIR`) \
             or the layout (`--layout {}`)",
            dir.display(),
            Layout::NAMES.join("|")
        )));
    }
    for (path, _) in &pairs {
        let text = read_text(path)?;
        if files::header(&text, "parent").is_some() {
            return Ok(Layout::Pgshift);
        }
    }
    // golang-migrate's `migrate create -seq` pads versions with zeros; sqlx and pgshift
    // write timestamps.
    if pairs.iter().any(|(_, stem)| stem.starts_with('0')) {
        return Ok(Layout::GolangMigrate);
    }
    Ok(Layout::Sqlx)
}

/// Reads the history in `dir` as `layout` lays it out, by version.
pub fn read(dir: &Path, layout: Layout) -> Result<History> {
    let mut migrations = match layout {
        Layout::Pgshift | Layout::Sqlx | Layout::GolangMigrate => read_pairs(dir, layout)?,
        Layout::Diesel => read_diesel(dir)?,
        Layout::Refinery => read_refinery(dir)?,
    };
    migrations.sort_by_key(|m| m.migration.version);
    if let Some(w) = migrations
        .windows(2)
        .find(|w| w[0].migration.version == w[1].migration.version)
    {
        return Err(Error::Io {
            path: w[1].migration.path.clone(),
            reason: format!(
                "version {} is also used by {}",
                w[1].label,
                w[0].migration.path.display()
            ),
        });
    }
    if layout != Layout::Pgshift {
        for i in 0..migrations.len() {
            migrations[i].migration.parents = match i {
                0 => vec![],
                _ => vec![migrations[i - 1].migration.version],
            };
        }
    } else {
        let plain =
            files::link_unparented(migrations.iter().map(|f| f.migration.clone()).collect());
        for (f, m) in migrations.iter_mut().zip(plain) {
            f.migration = m;
        }
    }
    Ok(History {
        layout,
        dir: dir.to_path_buf(),
        migrations,
    })
}

/// Wraps pgshift's own migrations (a project's, any format) as a history.
pub fn from_project(dir: &Path, migrations: Vec<Migration>) -> History {
    let migrations = migrations
        .into_iter()
        .map(|m| ForeignMigration {
            label: m.version.to_string(),
            up_transactional: m.transactional(),
            down_transactional: m.down_transactional(),
            down_path: super::runner::down_path(&m),
            no_down_by_design: None,
            migration: m,
        })
        .collect();
    History {
        layout: Layout::Pgshift,
        dir: dir.to_path_buf(),
        migrations,
    }
}

fn entries(dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    let io = |e: std::io::Error| Error::Io {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    };
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if let Some(file) = path.file_name().and_then(|f| f.to_str()) {
            out.push((path.clone(), file.to_string()));
        }
    }
    out.sort();
    Ok(out)
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map(|t| t.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(t))
        .map_err(|e| Error::Io {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
}

/// The leading version of `<version>_<name>...`: its digits (dashes allowed, as diesel
/// writes them), and the name after the first `_`.
fn version_of(stem: &str) -> Option<(i64, String, String)> {
    let (label, name) = stem.split_once('_').unwrap_or((stem, ""));
    if label.is_empty() || !label.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return None;
    }
    let digits: String = label.chars().filter(char::is_ascii_digit).collect();
    let name = name.strip_suffix(".sql").unwrap_or(name);
    Some((digits.parse().ok()?, label.to_string(), name.to_string()))
}

/// Whether `script` can run in one transaction as the runner runs it: it neither
/// controls the transaction itself (`BEGIN; ... COMMIT;`, common in golang-migrate
/// files) nor holds a statement PostgreSQL refuses in one (`CREATE INDEX CONCURRENTLY`).
fn fits_a_transaction(script: &str) -> bool {
    !split(script).iter().any(|s| {
        transaction_control(s).is_some()
            || runs_without_timeouts(s) && s.words(8).iter().any(|w| w == "concurrently")
    })
}

fn read_pairs(dir: &Path, layout: Layout) -> Result<Vec<ForeignMigration>> {
    let mut out = vec![];
    for (path, file) in entries(dir)? {
        if path.is_dir() || !file.ends_with(".sql") || file.ends_with(".down.sql") {
            continue;
        }
        let (stem, reversible) = match file.strip_suffix(".up.sql") {
            Some(stem) => (stem, true),
            None => (file.strip_suffix(".sql").unwrap_or(&file), false),
        };
        if !reversible && layout != Layout::Sqlx {
            continue;
        }
        let (version, label, name) = version_of(stem).ok_or_else(|| Error::Io {
            path: path.clone(),
            reason: format!(
                "expected <version>_<name>{} with a numeric version ({} layout)",
                if reversible { ".up.sql" } else { ".sql" },
                layout.as_str()
            ),
        })?;
        let up = read_text(&path)?;
        let down_path = dir.join(format!("{stem}.down.sql"));
        let down = if reversible && down_path.is_file() {
            Some(read_text(&down_path)?)
        } else {
            None
        };
        // pgshift and sqlx honour `-- no-transaction`; golang-migrate sends a file as one
        // query, which PostgreSQL runs as one implicit transaction unless it holds
        // transaction control.
        let transactional = |text: &str| match layout {
            Layout::GolangMigrate => fits_a_transaction(text),
            _ => !text.starts_with(files::NO_TRANSACTION),
        };
        out.push(ForeignMigration {
            up_transactional: transactional(&up),
            down_transactional: down.as_deref().is_none_or(transactional),
            label,
            down_path,
            no_down_by_design: (!reversible)
                .then_some("a sqlx migration written as one .sql file has no down"),
            migration: Migration {
                version,
                name,
                parents: vec![],
                up,
                down,
                path,
            },
        });
    }
    Ok(out)
}

fn read_diesel(dir: &Path) -> Result<Vec<ForeignMigration>> {
    let mut out = vec![];
    for (path, file) in entries(dir)? {
        let up_path = path.join("up.sql");
        if !path.is_dir() || !up_path.is_file() {
            continue;
        }
        let (version, label, name) = version_of(&file).ok_or_else(|| Error::Io {
            path: path.clone(),
            reason: "expected a folder <version>_<name> (diesel layout)".into(),
        })?;
        let up = read_text(&up_path)?;
        let down_path = path.join("down.sql");
        let down = if down_path.is_file() {
            Some(read_text(&down_path)?)
        } else {
            None
        };
        let in_transaction = diesel_runs_in_transaction(&path.join("metadata.toml"))?;
        out.push(ForeignMigration {
            migration: Migration {
                version,
                name,
                parents: vec![],
                up,
                down,
                path: up_path,
            },
            label,
            up_transactional: in_transaction,
            down_transactional: in_transaction,
            down_path,
            no_down_by_design: None,
        });
    }
    Ok(out)
}

/// `run_in_transaction` from a diesel migration's `metadata.toml` (true when absent).
fn diesel_runs_in_transaction(path: &Path) -> Result<bool> {
    if !path.is_file() {
        return Ok(true);
    }
    let text = read_text(path)?;
    let value: ::toml::Table = ::toml::from_str(&text).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    Ok(value
        .get("run_in_transaction")
        .and_then(::toml::Value::as_bool)
        .unwrap_or(true))
}

/// `V<n>__<name>.sql` or `U<n>__<name>.sql`: (versioned, n, name).
fn refinery_name(file: &str) -> Option<(bool, i64, String)> {
    let versioned = match file.chars().next()? {
        'V' => true,
        'U' => false,
        _ => return None,
    };
    let (number, rest) = file[1..].split_once("__")?;
    let name = rest
        .strip_suffix(".sql")
        .or_else(|| rest.strip_suffix(".rs"))?;
    Some((versioned, number.parse().ok()?, name.to_string()))
}

fn read_refinery(dir: &Path) -> Result<Vec<ForeignMigration>> {
    let mut out = vec![];
    for (path, file) in entries(dir)? {
        let Some((versioned, version, name)) = refinery_name(&file) else {
            continue;
        };
        if file.ends_with(".rs") {
            return Err(Error::History(format!(
                "{}: refinery migrations written in Rust are not read, only .sql ones: \
                 pgshift cannot know the SQL this one runs without compiling it",
                path.display()
            )));
        }
        let up = read_text(&path)?;
        out.push(ForeignMigration {
            up_transactional: fits_a_transaction(&up),
            down_transactional: true,
            label: format!("{}{version}", if versioned { 'V' } else { 'U' }),
            down_path: path.clone(),
            no_down_by_design: Some(if versioned {
                "refinery migrations have no down"
            } else {
                "a refinery U file is an unversioned up, with no down"
            }),
            migration: Migration {
                version,
                name,
                parents: vec![],
                up,
                down: None,
                path,
            },
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> PathBuf {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "pgshift-foreign-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn each_layout_is_detected_and_read() {
        let diesel = folder(&[
            (
                "2020-01-01-000000_create_users/up.sql",
                "CREATE TABLE u ();",
            ),
            ("2020-01-01-000000_create_users/down.sql", "DROP TABLE u;"),
            (
                "2020-01-02-000000_idx/up.sql",
                "CREATE INDEX CONCURRENTLY i ON u ((1));",
            ),
            (
                "2020-01-02-000000_idx/metadata.toml",
                "run_in_transaction = false\n",
            ),
        ]);
        assert_eq!(detect(&diesel).unwrap(), Layout::Diesel);
        let h = read(&diesel, Layout::Diesel).unwrap();
        assert_eq!(h.migrations.len(), 2);
        assert_eq!(h.migrations[0].label, "2020-01-01-000000");
        assert_eq!(h.migrations[0].migration.version, 20200101000000);
        assert_eq!(h.migrations[1].migration.down, None);
        assert!(!h.migrations[1].up_transactional);
        assert_eq!(h.migrations[1].migration.parents, vec![20200101000000]);

        let refinery = folder(&[
            ("V1__init.sql", "CREATE TABLE t ();"),
            ("U2__more.sql", "SELECT 1;"),
        ]);
        assert_eq!(detect(&refinery).unwrap(), Layout::Refinery);
        let h = read(&refinery, Layout::Refinery).unwrap();
        assert_eq!(h.migrations[1].label, "U2");
        assert!(h.migrations[1]
            .no_down_by_design
            .unwrap()
            .contains("unversioned"));

        let golang = folder(&[
            ("000001_init.up.sql", "BEGIN; CREATE TABLE t (); COMMIT;"),
            ("000001_init.down.sql", "DROP TABLE t;"),
        ]);
        assert_eq!(detect(&golang).unwrap(), Layout::GolangMigrate);
        let h = read(&golang, Layout::GolangMigrate).unwrap();
        assert_eq!(h.migrations[0].label, "000001");
        assert!(!h.migrations[0].up_transactional);
        assert!(h.migrations[0].down_transactional);

        let sqlx = folder(&[("20240101000000_init.sql", "CREATE TABLE t ();")]);
        assert_eq!(detect(&sqlx).unwrap(), Layout::Sqlx);
        let h = read(&sqlx, Layout::Sqlx).unwrap();
        assert!(h.migrations[0].no_down_by_design.is_some());

        let pgshift = folder(&[("20240101000000_a.up.sql", "-- parent: none\nSELECT 1;")]);
        assert_eq!(detect(&pgshift).unwrap(), Layout::Pgshift);
        for d in [diesel, refinery, golang, sqlx, pgshift] {
            std::fs::remove_dir_all(d).unwrap();
        }
    }

    #[test]
    fn an_empty_folder_says_what_it_looked_for() {
        let empty = folder(&[("README.md", "")]);
        let err = detect(&empty).unwrap_err().to_string();
        std::fs::remove_dir_all(&empty).unwrap();
        assert!(
            err.contains("no migrations found") && err.contains("--layout"),
            "{err}"
        );
    }
}
