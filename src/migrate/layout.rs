//! Where a project's migrations live on disk, by format: reading them (the sql files, or
//! the SQL inside sea-orm modules) and writing new ones, all or nothing.

use super::adopted;
use super::files::{self, Migration};
use super::foreign::Layout;
use super::project::{Config, Format, Generated};
use crate::error::{Error, Result};
use crate::render::{sea_orm, sea_orm_phases, Templates};
use std::path::{Path, PathBuf};

/// A project opened from its `pgshift.toml`.
pub struct Project {
    pub config: Config,
    /// The folder of `pgshift.toml`: paths in it are relative to this.
    pub base: PathBuf,
}

impl Project {
    pub fn open(config_file: &Path) -> Result<Project> {
        let base = config_file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        Ok(Project {
            config: Config::load(config_file)?,
            base,
        })
    }

    /// The migrations folder (sql) or the migration crate (sea-orm).
    pub fn dir(&self) -> PathBuf {
        self.base.join(self.config.migrations())
    }

    /// The built-in templates with the project's own in their place.
    pub fn templates(&self) -> Result<Templates> {
        Templates::load(Some(&self.base.join(&self.config.templates)))
    }

    /// Every migration, by version.
    pub fn read(&self) -> Result<Vec<Migration>> {
        match (self.config.format, self.adopted()) {
            (Format::Sql, Some(layout)) => Ok(adopted::read(&self.dir(), layout)?),
            (Format::Sql, None) => files::read_dir(&self.dir()),
            (Format::SeaOrm, _) => read_sea_orm(&self.dir().join("src")),
        }
    }

    /// The other tool whose migrations this project reads in place (`layout` in
    /// pgshift.toml), if any.
    pub fn adopted(&self) -> Option<Layout> {
        self.config
            .layout
            .as_deref()
            .and_then(Layout::parse)
            .filter(|l| *l != Layout::Pgshift)
    }

    /// Refuses the commands that run migrations on a sea-orm project.
    pub fn runs_migrations(&self, command: &str) -> Result<()> {
        match self.config.format {
            Format::Sql => Ok(()),
            Format::SeaOrm => Err(Error::History(format!(
                "cannot {command}: this project's migrations are sea-orm modules (format = \
                 \"sea-orm\" in pgshift.toml), which sea-orm-migration runs and records in its \
                 own seaql_migrations table.\n  hint: run them with sea-orm-migration's CLI, \
                 e.g. `cargo run --manifest-path {}/Cargo.toml -- up` (or `sea-orm-cli migrate \
                 up`); `pgshift generate`, `merge` and `check` work on this project",
                self.config.migrations().display()
            ))),
        }
    }

    /// Writes new migrations, all or nothing; for sea-orm, registers them in the crate's
    /// `lib.rs` too (written when absent).
    pub fn write(&self, new: &[Generated]) -> Result<Vec<PathBuf>> {
        let dir = self.dir();
        match self.config.format {
            Format::Sql => {
                let migrations: Vec<Migration> = new.iter().map(|g| g.migration.clone()).collect();
                match self.adopted() {
                    Some(layout) => adopted::write(&dir, layout, &migrations),
                    None => files::write_all(&dir, &migrations),
                }
            }
            Format::SeaOrm => write_sea_orm(&dir.join("src"), new),
        }
    }
}

/// The new modules, `lib.rs` with them registered, and `pgshift_phases.rs` written again
/// from every module's phase and backfills.
fn write_sea_orm(src: &Path, new: &[Generated]) -> Result<Vec<PathBuf>> {
    let mut out = vec![];
    let mut modules = vec![];
    let mut phases: Vec<sea_orm_phases::Entry> = read_sea_orm(src)?
        .iter()
        .map(sea_orm_phases::Entry::of)
        .collect();
    for g in new {
        let m = &g.migration;
        let module = sea_orm::module_name(m.version, &m.name);
        let direction = |script: &str, transactional: bool| sea_orm::Direction {
            statements: sea_orm::statements(script),
            transactional,
        };
        let text = sea_orm::module(
            &g.sea_orm_doc,
            &direction(&m.up, m.transactional()),
            &direction(m.down.as_deref().unwrap_or(""), m.down_transactional()),
        );
        out.push((src.join(format!("{module}.rs")), text, false));
        modules.push(module);
        phases.push(sea_orm_phases::Entry {
            contract: g.phase == "contract",
            ..sea_orm_phases::Entry::of(m)
        });
    }
    let lib = src.join("lib.rs");
    let lib_text = match std::fs::read_to_string(&lib) {
        Ok(text) => sea_orm::register(&lib, &text, &modules)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => sea_orm::new_lib(&modules),
        Err(e) => {
            return Err(Error::Io {
                path: lib,
                reason: e.to_string(),
            })
        }
    };
    out.push((lib, lib_text, true));
    out.push((
        src.join(format!("{}.rs", sea_orm_phases::MODULE)),
        sea_orm_phases::module(&phases),
        true,
    ));
    files::write_files(&out)
}

/// The migrations of a sea-orm crate's `src/`: the modules named `m<date>_<time>_<slug>.rs`,
/// each read back as the SQL scripts it runs.
pub fn read_sea_orm(src: &Path) -> Result<Vec<Migration>> {
    let io = |p: &Path, e: std::io::Error| Error::Io {
        path: p.to_path_buf(),
        reason: e.to_string(),
    };
    let entries = match std::fs::read_dir(src) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(io(src, e)),
    };
    let mut migrations = vec![];
    for entry in entries {
        let path = entry.map_err(|e| io(src, e))?.path();
        let Some(stem) = path
            .file_name()
            .and_then(|f| f.to_str())
            .and_then(|f| f.strip_suffix(".rs"))
        else {
            continue;
        };
        let Some((version, name)) = sea_orm::parse_module_name(stem) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
        let module = sea_orm::read_module(&path, &text)?;
        // The module's `//!` lines as the header comments of the sql format, each kept
        // on its line by `sql::comment` (a no-op on the lines pgshift writes).
        let header: String = module
            .doc
            .lines()
            .map(|l| format!("-- {}\n", crate::sql::comment(l)))
            .collect();
        let up = sea_orm::script(&header, &module.up);
        migrations.push(Migration {
            version,
            name: name.to_string(),
            parents: files::parents(&up).unwrap_or_default(),
            down: Some(sea_orm::script(&header, &module.down)),
            up,
            path,
        });
    }
    migrations.sort_by_key(|m| m.version);
    if let Some(pair) = migrations.windows(2).find(|w| w[0].version == w[1].version) {
        return Err(Error::Io {
            path: pair[1].path.clone(),
            reason: format!(
                "version {} is also used by {}",
                pair[0].version,
                pair[0].path.display()
            ),
        });
    }
    Ok(files::link_unparented(migrations))
}
