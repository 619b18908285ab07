//! pgshift in a project's own `cargo test`: load the project (`pgshift.toml`), check in
//! one call that the model has no change the migrations lack, render what `pgshift
//! generate` would write (each file's name, text, phase and hazards, written nowhere),
//! and describe what the existing migrations do, all as plain values that `insta`
//! snapshots well. See docs/testing-api.md.
//!
//! ```no_run
//! use pgshift::testing::TestProject;
//!
//! let project = TestProject::open("pgshift.toml").unwrap();
//! project.check().unwrap(); // fails with the pending changes as SQL
//! let files = project.at(1_767_225_600).generate("add nicknames").unwrap();
//! for file in &files {
//!     println!("{} ({}): {:?}", file.name, file.phase, file.hazards);
//! }
//! ```
//!
//! Models and replays are built on a private throwaway cluster (the PostgreSQL server
//! binaries must be installed), started once per `TestProject`, or on the server
//! `PGSHIFT_DEV_URL` names. Build with `default-features = false` to leave out the
//! command-line dependencies.

use crate::error::{Error, Result};
use crate::migrate::files::{self, Migration};
use crate::migrate::project::{self, replay, strip_version_table};
use crate::migrate::runner::Runner;
use crate::migrate::Project;
use crate::plan::{plan, Plan};
use crate::schema::Schema;
use crate::source::{introspect, IntrospectOptions, Loader, Source};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A pgshift project opened for tests.
pub struct TestProject {
    project: Project,
    loader: Loader,
    options: IntrospectOptions,
    now: Option<i64>,
}

/// One file `generate` would write.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GeneratedFile {
    /// The file name, relative to the migrations folder: `<version>_<slug>.up.sql`.
    pub name: String,
    /// `expand`, `contract`, or `down` for a downgrade file.
    pub phase: String,
    /// Whether it runs in a transaction (false: `-- no-transaction`).
    pub transactional: bool,
    /// Each hazard as `CODE: step` (DATA_LOSS first); empty for down files.
    pub hazards: Vec<String>,
    /// The file's text, exactly as `generate` writes it.
    pub text: String,
}

/// What one existing migration does, read by replaying the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub version: i64,
    pub name: String,
    /// The `-- phase:` header, for a migration pgshift wrote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    /// The schema changes it makes, as pgshift names them (`add column public.t.c`).
    pub changes: Vec<String>,
    /// The hazards pgshift finds in those changes, as `CODE: step`.
    pub hazards: Vec<String>,
}

impl TestProject {
    /// Opens `pgshift.toml` (or the folder that holds it). Paths in it are relative to
    /// its folder, wherever the test runs from.
    pub fn open(path: impl AsRef<Path>) -> Result<TestProject> {
        let path = path.as_ref();
        let config: PathBuf = if path.is_dir() {
            path.join(project::CONFIG_FILE)
        } else {
            path.to_path_buf()
        };
        let project = Project::open(&config)?;
        let options = project.config.introspect_options(&[]);
        let dev_url = std::env::var("PGSHIFT_DEV_URL").ok();
        Ok(TestProject {
            loader: Loader::new(dev_url, options.clone()),
            options,
            project,
            now: None,
        })
    }

    /// Generates as if at `unix_time` (seconds): versions and `created` headers are
    /// then the same on every run, as snapshots need.
    pub fn at(mut self, unix_time: i64) -> TestProject {
        self.now = Some(unix_time);
        self
    }

    /// Ok when the model matches what the migrations produce; else an error listing the
    /// pending changes as SQL (what `pgshift check` exits 1 for).
    pub fn check(&self) -> Result<()> {
        let (model, _) = self.model()?;
        let replayed = self.replayed()?;
        let pending = plan(&replayed, &model)?;
        if pending.is_empty() {
            return Ok(());
        }
        Err(Error::History(format!(
            "the model has changes that no migration holds; run `pgshift generate -m \
             \"...\"`:\n{}",
            pending.to_sql_with(&self.project.config.sql_options())
        )))
    }

    /// The files `pgshift generate -m message` would write (up then down, in order), or
    /// none when the model has no pending change. Nothing is written.
    pub fn generate(&self, message: &str) -> Result<Vec<GeneratedFile>> {
        let (model, hints) = self.model()?;
        let config = &self.project.config;
        let now = self.now.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
        let new = project::generate(
            self.loader.scratch()?,
            &self.migrations()?,
            &model,
            &hints,
            message,
            config,
            &self.options,
            &self.project.templates()?,
            now,
        )?;
        let mut out = vec![];
        for g in new {
            let m = &g.migration;
            let stem = format!("{}_{}", m.version, m.name);
            out.push(GeneratedFile {
                name: format!("{stem}.up.sql"),
                phase: g.phase.to_string(),
                transactional: m.transactional(),
                hazards: g
                    .hazards
                    .iter()
                    .map(|(code, step)| format!("{}: {step}", code.as_str()))
                    .collect(),
                text: m.up.clone(),
            });
            if let Some(down) = &m.down {
                out.push(GeneratedFile {
                    name: format!("{stem}.down.sql"),
                    phase: "down".into(),
                    transactional: m.down_transactional(),
                    hazards: vec![],
                    text: down.clone(),
                });
            }
        }
        Ok(out)
    }

    /// What each existing migration does to the schema, replayed in order.
    pub fn history(&self) -> Result<Vec<HistoryEntry>> {
        let migrations = self.migrations()?;
        let table = self.project.config.version_table();
        let db = self.loader.scratch()?.create_database()?;
        let mut client = db.connect()?;
        let mut admin = db.connect_admin()?;
        let snapshot = |client: &mut postgres::Client| -> Result<Schema> {
            let mut s = introspect(client, &self.options, &db.describe())?;
            strip_version_table(&mut s, &table);
            Ok(s)
        };
        Runner::new(&mut client, table.clone(), db.describe()).ensure_table()?;
        let mut before = snapshot(&mut client)?;
        let mut out = vec![];
        for m in &migrations {
            Runner::new(&mut client, table.clone(), db.describe())
                .with_extensions_by(&mut admin)
                .apply(m)?;
            let after = snapshot(&mut client)?;
            let change = plan(&before, &after)?;
            out.push(HistoryEntry {
                version: m.version,
                name: m.name.clone(),
                phase: files::header(&m.up, "phase"),
                changes: change.steps.iter().map(|s| s.description.clone()).collect(),
                hazards: hazards(&change),
            });
            before = after;
        }
        Ok(out)
    }

    /// The project's migrations, by version.
    pub fn migrations(&self) -> Result<Vec<Migration>> {
        self.project.read()
    }

    fn model(&self) -> Result<(Schema, crate::source::Hints)> {
        let mut source = Source::parse(&self.project.config.model)?;
        // Relative to pgshift.toml's folder, not the test's working directory.
        if let Source::SqlFile(p) | Source::Toml(p) | Source::Rust(p) = &mut source {
            if p.is_relative() {
                *p = self.project.base.join(&*p);
            }
        }
        self.loader.load_with_hints(&source)
    }

    fn replayed(&self) -> Result<Schema> {
        replay(
            self.loader.scratch()?,
            &self.migrations()?,
            &self.project.config.version_table(),
            &self.options,
        )
    }
}

fn hazards(plan: &Plan) -> Vec<String> {
    let mut out: Vec<(crate::plan::HazardCode, String)> = plan
        .steps
        .iter()
        .flat_map(|s| {
            s.hazards
                .iter()
                .map(|h| (h.code, format!("{}: {}", h.code.as_str(), s.description)))
        })
        .collect();
    out.sort_by_key(|(code, _)| *code);
    out.into_iter().map(|(_, text)| text).collect()
}
