//! A project: `pgshift.toml`, a model source and a migrations folder. Generating a
//! migration replays the existing ones on a scratch database, plans from there to the
//! model, and applies each new migration there too before writing it, so every
//! migration written has run once, and each downgrade is planned from the very schemas
//! around it.

use super::files::{self, Migration, NO_TRANSACTION};
use super::runner::Runner;
use crate::error::{Error, Result};
use crate::pg::ScratchServer;
use crate::plan::{plan, plan_with, HazardCode, Phase, Plan, SqlOptions, Step};
use crate::schema::{QualifiedName, Schema};
use crate::source::Hints;
use crate::source::{introspect, IntrospectOptions};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "pgshift.toml";

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The model: a .sql file, a TOML spec, Rust sources, or a database URL.
    pub model: String,
    /// Where migrations live.
    #[serde(default = "defaults::migrations")]
    pub migrations: PathBuf,
    /// Migration format: `sql` (sqlx-compatible files).
    #[serde(default = "defaults::format")]
    pub format: String,
    /// The environment variable that holds the database URL.
    #[serde(default = "defaults::database_url_env")]
    pub database_url_env: String,
    #[serde(default = "defaults::lock_timeout")]
    pub lock_timeout: String,
    #[serde(default = "defaults::statement_timeout")]
    pub statement_timeout: String,
    /// The version table, `schema.table`.
    #[serde(default = "defaults::version_table")]
    pub version_table: String,
}

mod defaults {
    use std::path::PathBuf;
    pub fn migrations() -> PathBuf {
        PathBuf::from("migrations")
    }
    pub fn format() -> String {
        "sql".into()
    }
    pub fn database_url_env() -> String {
        "DATABASE_URL".into()
    }
    pub fn lock_timeout() -> String {
        "5s".into()
    }
    pub fn statement_timeout() -> String {
        "30min".into()
    }
    pub fn version_table() -> String {
        "public.pgshift_migrations".into()
    }
}

impl Config {
    pub fn new(model: &str) -> Config {
        Config {
            model: model.to_string(),
            migrations: defaults::migrations(),
            format: defaults::format(),
            database_url_env: defaults::database_url_env(),
            lock_timeout: defaults::lock_timeout(),
            statement_timeout: defaults::statement_timeout(),
            version_table: defaults::version_table(),
        }
    }

    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            reason: format!("{e}; run `pgshift init` to create it"),
        })?;
        let config: Config = ::toml::from_str(&text).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        if config.format != "sql" {
            return Err(Error::Io {
                path: path.to_path_buf(),
                reason: format!(
                    "format {:?} is not supported yet; use \"sql\"",
                    config.format
                ),
            });
        }
        Ok(config)
    }

    pub fn version_table(&self) -> QualifiedName {
        QualifiedName::parse(&self.version_table, "public")
            .unwrap_or_else(|| QualifiedName::new("public", "pgshift_migrations"))
    }

    pub fn sql_options(&self) -> SqlOptions {
        SqlOptions {
            lock_timeout: self.lock_timeout.clone(),
            statement_timeout: self.statement_timeout.clone(),
        }
    }

    pub fn to_toml(&self) -> String {
        format!(
            "# pgshift project settings.\n\
             # The model: a .sql file, a TOML spec (.toml), Rust sources (.rs or a folder).\n\
             model = {model}\n\
             # Where migrations are written and read from.\n\
             migrations = {migrations}\n\
             # Migration format: sql (files sqlx-cli can run too).\n\
             format = \"sql\"\n\
             # The environment variable that holds the database URL.\n\
             database_url_env = {env}\n\
             # Set at the top of every migration.\n\
             lock_timeout = {lock}\n\
             statement_timeout = {statement}\n\
             # Where applied migrations are recorded (schema.table).\n\
             version_table = {table}\n",
            model = toml_string(&self.model),
            migrations = toml_string(&self.migrations.display().to_string()),
            env = toml_string(&self.database_url_env),
            lock = toml_string(&self.lock_timeout),
            statement = toml_string(&self.statement_timeout),
            table = toml_string(&self.version_table),
        )
    }
}

fn toml_string(s: &str) -> String {
    ::toml::Value::String(s.to_string()).to_string()
}

/// The schema the migrations in `migrations` produce, replayed on a new scratch database
/// (the version table left out).
pub fn replay(
    server: &ScratchServer,
    migrations: &[Migration],
    table: &QualifiedName,
    options: &IntrospectOptions,
) -> Result<Schema> {
    let db = server.create_database()?;
    let mut client = db.connect()?;
    {
        let mut runner = Runner::new(&mut client, table.clone(), db.describe());
        runner.ensure_table()?;
        for m in migrations {
            runner.apply(m)?;
        }
    }
    let mut schema = introspect(&mut client, options, &db.describe())?;
    strip_version_table(&mut schema, table);
    Ok(schema)
}

/// The version table is pgshift's own bookkeeping, not part of the schema.
pub fn strip_version_table(schema: &mut Schema, table: &QualifiedName) {
    schema.tables.remove(table);
}

/// The next migrations that take the replayed schema of `existing` to `model`: one per run
/// of steps that share a phase and a transaction mode (contract steps go in a later
/// migration than expand steps; steps that cannot run in a transaction get their own).
/// Each is applied on a scratch database, and its downgrade planned from the schemas
/// before and after it. Empty when there is nothing to do.
pub fn generate(
    server: &ScratchServer,
    existing: &[Migration],
    model: &Schema,
    hints: &Hints,
    message: &str,
    config: &Config,
    now_unix: i64,
) -> Result<Vec<Migration>> {
    let options = &IntrospectOptions::default();
    let heads = files::heads(existing);
    if heads.len() > 1 {
        return Err(multiple_heads(&heads));
    }
    let table = config.version_table();
    let db = server.create_database()?;
    let mut client = db.connect()?;
    let snapshot = |client: &mut postgres::Client| -> Result<Schema> {
        let mut s = introspect(client, options, &db.describe())?;
        strip_version_table(&mut s, &table);
        Ok(s)
    };
    {
        let mut runner = Runner::new(&mut client, table.clone(), db.describe());
        runner.ensure_table()?;
        for m in existing {
            runner.apply(m)?;
        }
    }
    let mut before = snapshot(&mut client)?;
    let full = plan_with(&before, model, hints)?;
    if full.is_empty() {
        return Ok(vec![]);
    }
    let (mut version, created) = files::timestamp(now_unix);
    if let Some(last) = existing.last() {
        version = version.max(last.version + 1);
    }
    let mut parent = existing.last().map(|m| m.version);
    let groups = group_steps(&full);
    let total = groups.len();
    let mut out = vec![];
    for (i, group) in groups.into_iter().enumerate() {
        let part = Plan { steps: group };
        let phase = part.steps[0].phase;
        let name = match total {
            1 => files::slug(message),
            _ => format!("{}_{}", files::slug(message), i + 1),
        };
        let up = render(&part, version, parent, &created, message, phase, config, "");
        let mut m = Migration {
            version,
            name,
            up,
            down: None,
            parent,
            path: config
                .migrations
                .join(format!("{version}_migration.up.sql")),
        };
        {
            let mut runner = Runner::new(&mut client, table.clone(), db.describe());
            runner.apply(&m)?;
        }
        let after = snapshot(&mut client)?;
        // Within one migration the rename's contract has not run yet: plain plan back.
        let down_plan = plan_with(&after, &before, &hints.inverted())?;
        m.down = Some(render_down(&down_plan, version, config));
        out.push(m);
        before = after;
        parent = Some(version);
        version += 1;
    }
    let remaining = plan(&before, model)?;
    if !remaining.is_empty() {
        return Err(Error::Plan(format!(
            "the generated migrations leave differences behind (a pgshift bug):\n{}",
            remaining.to_sql()
        )));
    }
    Ok(out)
}

fn multiple_heads(heads: &[i64]) -> Error {
    Error::Plan(format!(
        "the migrations have {} heads ({}): two branches each added a migration after the \
         same parent. Run `pgshift merge` to write a merge migration, then try again",
        heads.len(),
        heads
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// Consecutive transactional steps of one phase make one migration; a step that cannot
/// run in a transaction is a migration of its own, one statement where possible, because
/// sqlx-cli sends a `-- no-transaction` file as one multi-statement query, which
/// PostgreSQL runs as an implicit transaction.
fn group_steps(plan: &Plan) -> Vec<Vec<Step>> {
    let mut groups: Vec<Vec<Step>> = vec![];
    for step in &plan.steps {
        let same = groups
            .last()
            .is_some_and(|g| g[0].phase == step.phase && g[0].transactional && step.transactional);
        if same {
            groups.last_mut().expect("checked").push(step.clone());
        } else {
            groups.push(vec![step.clone()]);
        }
    }
    groups
}

#[allow(clippy::too_many_arguments)]
fn render(
    part: &Plan,
    version: i64,
    parent: Option<i64>,
    created: &str,
    message: &str,
    phase: Phase,
    config: &Config,
    extra: &str,
) -> String {
    let mut header = String::new();
    if part.steps.iter().any(|s| !s.transactional) {
        header.push_str(NO_TRANSACTION);
        header.push('\n');
    }
    let hazards: std::collections::BTreeSet<HazardCode> = part
        .steps
        .iter()
        .flat_map(|s| s.hazards.iter().map(|h| h.code))
        .collect();
    header.push_str(&format!("-- pgshift migration: {version}\n"));
    header.push_str(&format!(
        "-- parent: {}\n",
        parent
            .map(|p| p.to_string())
            .unwrap_or_else(|| "none".into())
    ));
    header.push_str(&format!("-- created: {created}\n"));
    header.push_str(&format!("-- message: {}\n", one_line(message)));
    header.push_str(&format!(
        "-- phase: {}\n",
        match phase {
            Phase::Expand => "expand",
            Phase::Contract =>
                "contract (run after the backfill is verified and the new application deployed)",
        }
    ));
    if !hazards.is_empty() {
        let codes: Vec<&str> = hazards.iter().map(|h| h.as_str()).collect();
        header.push_str(&format!("-- hazards: {}\n", codes.join(", ")));
    }
    header.push_str(extra);
    header.push('\n');
    header + &script(part, config)
}

/// A transactional migration gets the session timeouts; a non-transactional one is its
/// statements alone (concurrent builds must not be cut short by timeouts anyway).
fn script(part: &Plan, config: &Config) -> String {
    if part.steps.iter().all(|s| s.transactional) {
        return part.to_sql_with(&config.sql_options());
    }
    let mut out = String::new();
    for step in &part.steps {
        out.push_str(&format!("-- {}\n", one_line(&step.description)));
        for h in &step.hazards {
            out.push_str(&format!(
                "-- hazard {}: {}\n--   help: {}\n",
                h.code, h.message, h.help
            ));
        }
        for s in &step.statements {
            out.push_str(s);
            out.push_str(";\n");
        }
    }
    out
}

fn render_down(down: &Plan, version: i64, config: &Config) -> String {
    let mut header = String::new();
    if down.steps.iter().any(|s| !s.transactional) {
        header.push_str(NO_TRANSACTION);
        header.push('\n');
    }
    header.push_str(&format!("-- pgshift downgrade of migration {version}\n"));
    let losses: Vec<&str> = down
        .steps
        .iter()
        .filter(|s| s.hazards.iter().any(|h| h.code == HazardCode::DataLoss))
        .map(|s| s.description.as_str())
        .collect();
    if !losses.is_empty() {
        header.push_str(&format!(
            "-- warning: this downgrade loses data: {}\n",
            one_line(&losses.join("; "))
        ));
    }
    header.push('\n');
    header + &script(down, config)
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
