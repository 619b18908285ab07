//! A project: `pgshift.toml`, a model source and a migrations folder. Generating a
//! migration replays the existing ones on a scratch database, plans from there to the
//! model, and applies each new migration there too before writing it, so every
//! migration written has run once, and each downgrade is planned from the very schemas
//! around it.

use super::files::{self, Migration};
use super::runner::Runner;
use crate::error::{Error, Result};
use crate::pg::ScratchServer;
use crate::plan::rules::backfill::set_defaults;
use crate::plan::{plan, plan_with, HazardCode, Plan, SqlOptions, Step};
use crate::render::migration::{self, Header};
use crate::render::Templates;
use crate::schema::{QualifiedName, Schema};
use crate::source::Hints;
use crate::source::{introspect, IntrospectOptions};
use crate::sql::comment;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "pgshift.toml";

/// How migrations are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `<version>_<slug>.up.sql` and `.down.sql`, the files sqlx-cli runs too.
    #[default]
    Sql,
    /// A Rust module per migration in a `sea-orm-migration` crate, registered in its
    /// `Migrator`; run with sea-orm-migration's own CLI.
    SeaOrm,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Sql => "sql",
            Format::SeaOrm => "sea-orm",
        }
    }

    /// Where migrations go unless pgshift.toml says: the sql files' folder, or the
    /// sea-orm migration crate (its modules in `src/`).
    pub fn default_dir(self) -> PathBuf {
        PathBuf::from(match self {
            Format::Sql => "migrations",
            Format::SeaOrm => "migration",
        })
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The model: a .sql file, a TOML spec, Rust sources, or a database URL.
    pub model: String,
    /// Where migrations live: the folder of sql files, or the sea-orm migration crate.
    #[serde(default)]
    migrations: Option<PathBuf>,
    #[serde(default)]
    pub format: Format,
    /// Another tool's migrations, read in place and written in its layout (`sqlx`,
    /// `golang-migrate`, `diesel`, `refinery`): see `pgshift init --adopt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<String>,
    /// The project's templates; they override the built-in ones file by file.
    #[serde(default = "defaults::templates")]
    pub templates: PathBuf,
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
    /// Objects pgshift leaves alone on both sides (globs, see `source::exclude`), besides
    /// the version tables of pgshift and the common migration tools.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Schema-design lint: a level per rule and an allow list (docs/lint/).
    #[serde(default)]
    pub lint: crate::lint::LintConfig,
    /// How batched backfills run (`[backfill]`): read when they run, not when written.
    #[serde(default)]
    pub backfill: BackfillConfig,
    /// Rust models: `auto_increment = "identity"` (SeaORM 2) or `"serial"` (SeaORM 1.x).
    #[serde(default)]
    pub rust: crate::source::rust::Options,
    /// Rust models: a Rust type (`lldap_domain::UserId`, or its last segment) -> the
    /// PostgreSQL type of its columns, for types defined outside the files read.
    #[serde(default)]
    pub types: std::collections::BTreeMap<String, String>,
    /// A database-per-tenant fleet (`[fleet]`): its targets and how a rollout runs.
    #[serde(default, skip_serializing_if = "super::fleet::FleetConfig::is_unset")]
    pub fleet: super::fleet::FleetConfig,
}

/// `[backfill]` in pgshift.toml (defined with the backfills that read it).
pub type BackfillConfig = crate::plan::rules::backfill::BatchSettings;

mod defaults {
    use std::path::PathBuf;
    pub fn templates() -> PathBuf {
        PathBuf::from("templates")
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
    pub fn new(model: &str, format: Format) -> Config {
        Config {
            model: model.to_string(),
            migrations: Some(format.default_dir()),
            format,
            layout: None,
            templates: defaults::templates(),
            database_url_env: defaults::database_url_env(),
            lock_timeout: defaults::lock_timeout(),
            statement_timeout: defaults::statement_timeout(),
            version_table: defaults::version_table(),
            exclude: vec![],
            lint: crate::lint::LintConfig::default(),
            backfill: BackfillConfig::default(),
            rust: Default::default(),
            types: Default::default(),
            fleet: Default::default(),
        }
    }

    /// How Rust models are read: `[rust]` with `[types]`.
    pub fn rust_options(&self) -> crate::source::rust::Options {
        crate::source::rust::Options {
            types: self.types.clone(),
            ..self.rust.clone()
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
        if QualifiedName::parse(&config.version_table, "public").is_none() {
            return Err(Error::Io {
                path: path.to_path_buf(),
                reason: format!(
                    "version_table = {} is not a table name: write `table` or                      `schema.table`, with double quotes around a part that needs them                      (`app.\"Migrations\"`)",
                    toml_string(&config.version_table)
                ),
            });
        }
        if let Some(layout) = &config.layout {
            if super::foreign::Layout::parse(layout).is_none() {
                return Err(Error::Io {
                    path: path.to_path_buf(),
                    reason: format!(
                        "layout = {} is not one pgshift reads: {}",
                        toml_string(layout),
                        super::foreign::Layout::NAMES.join(", ")
                    ),
                });
            }
        }
        config.lint.check().map_err(|reason| Error::Io {
            path: path.to_path_buf(),
            reason,
        })?;
        Ok(config)
    }

    /// Whether new migrations take the next number rather than a UTC timestamp: in an
    /// adopted refinery history (refinery keeps versions in 32 bits), and in a
    /// golang-migrate history numbered in sequence (`migrate create -seq`).
    pub fn numbers_versions(&self, existing: &[Migration]) -> bool {
        use super::foreign::Layout;
        match self.layout.as_deref().and_then(Layout::parse) {
            Some(Layout::Refinery) => true,
            Some(Layout::GolangMigrate) => existing
                .last()
                .is_some_and(|last| last.version < 1_000_000_000),
            _ => false,
        }
    }

    /// Whether new migrations get down files: not in an adopted refinery history
    /// (refinery has no downgrades).
    pub fn writes_downs(&self) -> bool {
        self.layout.as_deref() != Some("refinery")
    }

    /// The migrations folder (sql) or migration crate (sea-orm), as pgshift.toml says.
    pub fn migrations(&self) -> PathBuf {
        self.migrations
            .clone()
            .unwrap_or_else(|| self.format.default_dir())
    }

    /// Where migrations live, relative to pgshift.toml's folder.
    pub fn set_migrations(&mut self, dir: PathBuf) {
        self.migrations = Some(dir);
    }

    /// The version table. `load` refuses a value that does not parse; one set in code
    /// that does not is taken as a bare table name.
    pub fn version_table(&self) -> QualifiedName {
        QualifiedName::parse(&self.version_table, "public")
            .unwrap_or_else(|| QualifiedName::new("public", self.version_table.as_str()))
    }

    /// What every command of the project reads: the tools' version tables, the configured
    /// one, and `exclude` (plus `extra`, from the command line) left out.
    pub fn introspect_options(&self, extra: &[String]) -> IntrospectOptions {
        let mut options = IntrospectOptions::excluding(&self.exclude);
        let table = self.version_table();
        options
            .exclude
            .add(format!("{}.{}", table.schema, table.name));
        for pattern in extra {
            options.exclude.add(pattern.clone());
        }
        options
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
             # Where migrations are written and read from (sea-orm: the migration crate).\n\
             migrations = {migrations}\n\
             # Migration format: sql (files sqlx-cli can run too) or sea-orm (Rust modules\n\
             # for sea-orm-migration).\n\
             format = {format}\n\
             {layout}\
             # Templates that override the built-in ones (`pgshift init --templates`).\n\
             templates = {templates}\n\
             # The environment variable that holds the database URL.\n\
             database_url_env = {env}\n\
             # Set at the top of every migration.\n\
             lock_timeout = {lock}\n\
             statement_timeout = {statement}\n\
             # Where applied migrations are recorded (schema.table).\n\
             version_table = {table}\n\
             # Objects pgshift leaves alone, as globs on schema.name (`audit.*`, `*.tmp_*`);\n\
             # the version tables of pgshift, sqlx, diesel, refinery, sea-orm, Alembic,\n\
             # Flyway and golang-migrate are always left out.\n\
             exclude = {exclude}\n\
             \n\
             # Schema-design lint (`pgshift lint`, docs/lint/): levels per rule and objects\n\
             # allowed with a reason.\n\
             # [lint]\n\
             # rules = {{ \"timestamp-without-time-zone\" = \"error\", \"varchar-limit\" = \"off\" }}\n\
             # [[lint.allow]]\n\
             # rule = \"missing-primary-key\"\n\
             # object = \"public.event_log\"\n\
             # reason = \"append-only log, read by time range\"\n\
             \n\
             # Batched backfills (read when they run; docs/workflow.md#rollout-in-phases).\n\
             # [backfill]\n\
             # batch_rows = 2000          # rows per batch, each its own transaction\n\
             # pause = \"20ms\"             # between batches\n\
             # lock_timeout = \"1s\"        # a batch waiting longer for a row lock is retried\n\
             # max_replication_lag = \"10s\" # wait while a replica lags more (off by default)\n\
             # max_replication_lag_bytes = \"256MB\" # or has more WAL to replay (off by default)\n",
            model = toml_string(&self.model),
            migrations = toml_string(&self.migrations().display().to_string()),
            format = toml_string(self.format.as_str()),
            layout = match &self.layout {
                Some(l) => format!(
                    "# Another tool's migrations, read in place; new ones are written in its\n\
                     # layout too.\nlayout = {}\n",
                    toml_string(l)
                ),
                None => String::new(),
            },
            templates = toml_string(&self.templates.display().to_string()),
            env = toml_string(&self.database_url_env),
            lock = toml_string(&self.lock_timeout),
            statement = toml_string(&self.statement_timeout),
            table = toml_string(&self.version_table),
            exclude = ::toml::Value::Array(
                self.exclude
                    .iter()
                    .map(|p| ::toml::Value::String(p.clone()))
                    .collect()
            ),
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
    // Migrations that call Citus replay on a scratch database with the extension.
    if migrations
        .iter()
        .any(|m| crate::source::citus_sql::script_calls_citus(&m.up))
    {
        server.use_citus();
    }
    replay_on(&server.create_database()?, migrations, table, options)
}

/// Applies `migrations` on `db` and reads its schema back (the version table left out).
pub(crate) fn replay_on(
    db: &crate::pg::ScratchDatabase<'_>,
    migrations: &[Migration],
    table: &QualifiedName,
    options: &IntrospectOptions,
) -> Result<Schema> {
    // Roles the migrations grant to exist on the target, not on the scratch server.
    for m in migrations {
        for role in crate::source::sql_roles::named_roles(&m.up).into_keys() {
            db.ensure_role(&role)
                .map(drop)
                .map_err(|reason| Error::Database {
                    what: format!("preparing the replay of migration {}", m.version),
                    target: db.describe(),
                    reason,
                })?;
        }
    }
    let mut client = db.connect()?;
    let mut admin = db.connect_admin()?;
    {
        let mut runner =
            Runner::new(&mut client, table.clone(), db.describe()).with_extensions_by(&mut admin);
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

/// A migration `generate` wrote, with the doc comment of its sea-orm module.
#[derive(Debug)]
pub struct Generated {
    pub migration: Migration,
    pub sea_orm_doc: String,
    /// `expand`, `contract` or `merge`.
    pub phase: &'static str,
    /// The hazards of its steps, each with the step it belongs to (which names the
    /// object), DATA_LOSS first.
    pub hazards: Vec<(HazardCode, String)>,
    /// The objects its steps create, drop or rewrite (what `generate` lints).
    pub touched: Vec<crate::schema::ObjectId>,
}

impl Generated {
    pub(crate) fn new(
        migration: Migration,
        sea_orm_doc: String,
        phase: &'static str,
        part: &Plan,
    ) -> Self {
        let mut hazards: Vec<(HazardCode, String)> = part
            .steps
            .iter()
            .flat_map(|s| s.hazards.iter().map(|h| (h.code, comment(&s.description))))
            .collect();
        // Stable: steps keep their order within a code.
        hazards.sort_by_key(|(code, _)| *code);
        Generated {
            migration,
            sea_orm_doc,
            phase,
            hazards,
            touched: part.touched(),
        }
    }
}

/// The next migrations that take the replayed schema of `existing` to `model`: one per run
/// of quick transactional steps of one phase (contract steps go in a later migration than
/// expand steps), and one for each step that runs alone: one that cannot run in a
/// transaction, and one that needs a transaction of its own (see `group_steps`).
/// Each is applied on a scratch database, and its downgrade planned from the schemas
/// before and after it. Empty when there is nothing to do.
#[allow(clippy::too_many_arguments)]
pub fn generate(
    server: &ScratchServer,
    existing: &[Migration],
    model: &Schema,
    hints: &Hints,
    message: &str,
    config: &Config,
    options: &IntrospectOptions,
    templates: &Templates,
    now_unix: i64,
) -> Result<Vec<Generated>> {
    let start = Start {
        server,
        existing,
        known: None,
        config,
        options,
        tenant_model: config.fleet.schemas.is_some() && config.format == Format::Sql,
    };
    generate_from(start, model, hints, message, templates, now_unix).map(|g| g.migrations)
}

/// Where `generate_from` starts: the history, and its schema when the replay cache has
/// it.
pub struct Start<'a> {
    pub server: &'a ScratchServer,
    pub existing: &'a [Migration],
    /// The schema `existing` produces, with its dependencies (`replay_cache::lookup`).
    pub known: Option<Schema>,
    pub config: &'a Config,
    pub options: &'a IntrospectOptions,
    /// The model is one tenant of a schema-per-tenant fleet, written for `public`: the
    /// files name its objects without a schema (each tenant's search path finds them).
    pub tenant_model: bool,
}

/// What `generate_from` did.
pub struct Generation {
    pub migrations: Vec<Generated>,
    /// The schema the history produced (read back from the scratch database).
    pub history: Schema,
    /// The schema after the new migrations (equal to the model as pgshift compares).
    pub result: Schema,
    /// Whether the scratch database was built from the known schema in one script
    /// rather than by replaying every migration.
    pub rebuilt: bool,
}

/// `generate`, starting from `start.known` when given: the scratch database is built
/// from that schema in one script, as a squash of the history would be (its version
/// row is the last migration's), and used only when it reads back as that schema and
/// holds nothing pgshift does not model; otherwise the history is replayed.
pub fn generate_from(
    start: Start<'_>,
    model: &Schema,
    hints: &Hints,
    message: &str,
    templates: &Templates,
    now_unix: i64,
) -> Result<Generation> {
    let Start {
        server,
        existing,
        known,
        config,
        options,
        tenant_model,
    } = start;
    // A tenant model's objects are planned with no schema, and written so.
    fn written(s: &Schema, tenant_model: bool) -> std::borrow::Cow<'_, Schema> {
        match tenant_model {
            true => {
                std::borrow::Cow::Owned(s.move_schema(TENANT_MODEL_SCHEMA, crate::sql::UNQUALIFIED))
            }
            false => std::borrow::Cow::Borrowed(s),
        }
    }
    let model = written(model, tenant_model);
    let model = model.as_ref();
    let hints = match tenant_model {
        true => std::borrow::Cow::Owned(hints_unqualified(hints)),
        false => std::borrow::Cow::Borrowed(hints),
    };
    let hints = hints.as_ref();
    let heads = files::heads(existing)?;
    if heads.len() > 1 {
        return Err(multiple_heads(existing, &heads, "generate"));
    }
    let table = config.version_table();
    let (db, history, rebuilt) =
        match known.and_then(|k| rebuild(server, existing, &k, config, options).transpose()) {
            Some(Ok((db, schema))) => (db, schema, true),
            Some(Err(Error::Interrupted)) => return Err(Error::Interrupted),
            // A rebuild that fails to run is no error: the replay decides.
            Some(Err(_)) | None => {
                let db = server.create_database()?;
                let schema = replay_on(&db, existing, &table, options)?;
                (db, schema, false)
            }
        };
    let mut client = db.connect()?;
    let snapshot = |client: &mut postgres::Client| -> Result<Schema> {
        let mut s = introspect(client, options, &db.describe())?;
        strip_version_table(&mut s, &table);
        Ok(s)
    };
    let mut admin = db.connect_admin()?;
    let mut before = history.clone();
    let mut full = plan_with(&written(&before, tenant_model), model, hints)?;
    // The files run with sqlx-cli and sea-orm-migration too, which set no session
    // parameters: `[backfill]` becomes the backfills' defaults.
    set_defaults(&mut full, &config.backfill);
    if full.is_empty() {
        return Ok(Generation {
            migrations: vec![],
            result: history.clone(),
            history,
            rebuilt,
        });
    }
    let (mut version, created) = files::timestamp(now_unix);
    if let Some(last) = existing.last() {
        version = version.max(last.version + 1);
    }
    if config.numbers_versions(existing) {
        version = existing.last().map_or(1, |last| last.version + 1);
    }
    let mut parents: Vec<i64> = heads;
    let groups = group_steps(&full, true);
    let total = groups.len();
    let sql_options = config.sql_options();
    let mut out = vec![];
    for (i, group) in groups.into_iter().enumerate() {
        let part = Plan { steps: group };
        let name = match total {
            1 => files::slug(message),
            _ => format!("{}_{}", files::slug(message), i + 1),
        };
        let phase = migration::phase_name(part.steps[0].phase);
        let header = Header {
            version,
            parents: &parents,
            created: &created,
            message,
            phase,
            undo_of: None,
        };
        let up = migration::up_sql(templates, &part, &header, &sql_options)?;
        let mut m = Migration {
            version,
            name,
            up,
            down: None,
            parents: parents.clone(),
            path: config
                .migrations()
                .join(format!("{version}_migration.up.sql")),
        };
        {
            let mut runner = Runner::new(&mut client, table.clone(), db.describe())
                .with_extensions_by(&mut admin);
            runner.apply(&m)?;
        }
        let after = snapshot(&mut client)?;
        // Within one migration the rename's contract has not run yet: plain plan back.
        let mut down_plan = plan_with(
            &written(&after, tenant_model),
            &written(&before, tenant_model),
            &hints.inverted(),
        )?;
        set_defaults(&mut down_plan, &config.backfill);
        // A downgrade runs whole, newest first: the phases of its steps ordered them, and
        // a "run once the new application is deployed" line in a down file would mislead.
        for step in &mut down_plan.steps {
            step.phase = crate::plan::Phase::Expand;
        }
        // A downgrade is held to the rule of an upgrade: a step that runs alone (a
        // validation after its NOT VALID add, a batched backfill, a concurrent build)
        // gets a transaction of its own. Reverting runs the newest migration first, so
        // the first parts go into the downs of the `_undo_N` migrations that follow this
        // one (newest holds the first), and its own down holds the last part.
        let mut down_parts = group_steps(&down_plan, false);
        if down_parts.is_empty() {
            down_parts.push(vec![]);
        }
        let own = Plan {
            steps: down_parts.pop().expect("one part at least"),
        };
        m.down = Some(migration::down_sql(
            templates,
            &part,
            &own,
            version,
            &sql_options,
        )?);
        let sea_orm_doc = migration::sea_orm_header(templates, &part, &header, &down_plan)?;
        let main_name = m.name.clone();
        out.push(Generated::new(m, sea_orm_doc, phase, &part));
        parents = vec![version];
        let main_version = version;
        version += 1;
        let empty = Plan::default();
        if !config.writes_downs() {
            // Undo parts carry only downs.
            down_parts.clear();
        }
        for (j, steps) in down_parts.into_iter().rev().enumerate() {
            let down = Plan { steps };
            let header = Header {
                version,
                parents: &parents,
                created: &created,
                message,
                phase,
                undo_of: Some(main_version),
            };
            let undo = Migration {
                version,
                name: format!("{main_name}_undo_{}", j + 1),
                up: migration::up_sql(templates, &empty, &header, &sql_options)?,
                down: Some(migration::down_sql(
                    templates,
                    &empty,
                    &down,
                    main_version,
                    &sql_options,
                )?),
                parents: parents.clone(),
                path: config
                    .migrations()
                    .join(format!("{version}_migration.up.sql")),
            };
            let sea_orm_doc = migration::sea_orm_header(templates, &empty, &header, &down)?;
            out.push(Generated::new(undo, sea_orm_doc, phase, &empty));
            parents = vec![version];
            version += 1;
        }
        before = after;
    }
    let remaining = plan(&written(&before, tenant_model), model)?;
    if !remaining.is_empty() {
        return Err(Error::Plan(format!(
            "the generated migrations leave differences behind (a pgshift bug):\n{}",
            remaining.to_sql()
        )));
    }
    Ok(Generation {
        migrations: out,
        history,
        result: before,
        rebuilt,
    })
}

/// The schema a schema-per-tenant model is written for.
pub const TENANT_MODEL_SCHEMA: &str = "public";

/// A tenant model's hints, for its objects moved to no schema (`sql::UNQUALIFIED`).
fn hints_unqualified(hints: &Hints) -> Hints {
    let (from, to) = (TENANT_MODEL_SCHEMA, crate::sql::UNQUALIFIED);
    let name = |q: &QualifiedName| match q.schema == from {
        true => QualifiedName::new(to, q.name.clone()),
        false => q.clone(),
    };
    let text = |m: &BTreeMap<String, String>| -> BTreeMap<String, String> {
        m.iter()
            .map(|(k, v)| (k.clone(), crate::schema::requalify(v, from, to)))
            .collect()
    };
    let by_table = |m: &BTreeMap<QualifiedName, BTreeMap<String, String>>, sql: bool| {
        m.iter()
            .map(|(t, v)| (name(t), if sql { text(v) } else { v.clone() }))
            .collect()
    };
    Hints {
        renamed_tables: hints
            .renamed_tables
            .iter()
            .map(|(a, b)| (name(a), name(b)))
            .collect(),
        renamed_columns: by_table(&hints.renamed_columns, false),
        backfills: by_table(&hints.backfills, true),
        usings: by_table(&hints.usings, true),
        downgrade_usings: by_table(&hints.downgrade_usings, true),
        table_hint_origins: hints
            .table_hint_origins
            .iter()
            .map(|(t, o)| (name(t), o.clone()))
            .collect(),
        column_hint_origins: hints
            .column_hint_origins
            .iter()
            .map(|((t, c), o)| ((name(t), c.clone()), o.clone()))
            .collect(),
        match_by_definition: hints.match_by_definition,
        explicit_names: hints
            .explicit_names
            .iter()
            .map(|(t, n)| (name(t), n.clone()))
            .collect(),
    }
}

/// A scratch database in the state `existing` leaves it, built from `known` (the schema
/// they produce) in one migration with the last one's version: `None` when that cannot
/// stand for the replay (objects pgshift does not model, Citus, or a result that does
/// not read back as `known`).
fn rebuild<'s>(
    server: &'s ScratchServer,
    existing: &[Migration],
    known: &Schema,
    config: &Config,
    options: &IntrospectOptions,
) -> Result<Option<(crate::pg::ScratchDatabase<'s>, Schema)>> {
    let Some(last) = existing.last() else {
        return Ok(None);
    };
    if !known.unsupported.is_empty()
        || existing
            .iter()
            .any(|m| crate::source::citus_sql::script_calls_citus(&m.up))
    {
        return Ok(None);
    }
    let table = config.version_table();
    let db = server.create_database()?;
    let nothing = replay_on(&db, &[], &table, options)?;
    let steps = plan(&nothing, known)?;
    let up = format!(
        "{}{}",
        if steps.steps.iter().all(|s| s.transactional) {
            String::new()
        } else {
            format!("{}\n", files::NO_TRANSACTION)
        },
        steps.to_sql_with(&config.sql_options())
    );
    let baseline = Migration {
        version: last.version,
        name: last.name.clone(),
        up,
        down: None,
        parents: vec![],
        path: last.path.clone(),
    };
    let built = replay_on(&db, std::slice::from_ref(&baseline), &table, options)?;
    if !plan(&built, known)?.is_empty() {
        return Ok(None);
    }
    Ok(Some((db, built)))
}

/// Why `command` refuses a history with several heads, and what to run.
pub fn multiple_heads(migrations: &[Migration], heads: &[i64], command: &str) -> Error {
    let describe = |v: &i64| {
        let name = migrations
            .iter()
            .find(|m| m.version == *v)
            .map_or("", |m| m.name.as_str());
        format!("{v} {name}")
    };
    Error::History(format!(
        "cannot {command}: the migrations have {} heads ({}): two branches each added \
         migrations after the same parent, and no migration follows both yet.\n  hint: run \
         `pgshift merge -m \"merge\"` to write a merge migration whose parents are all the \
         heads (it checks that the branches do not change the same objects), then run \
         `pgshift {command}` again",
        heads.len(),
        heads.iter().map(describe).collect::<Vec<_>>().join(", ")
    ))
}

/// Consecutive transactional steps of one phase (with `by_phase`; a downgrade's parts
/// are split on transactions only) make one migration. A step that runs
/// alone is a migration of its own: one that cannot run in a transaction (one statement
/// where possible, because sqlx-cli sends a `-- no-transaction` file as one
/// multi-statement query, which PostgreSQL runs as an implicit transaction), and one that
/// needs a transaction of its own (a validation scan after the `NOT VALID` add, a
/// rewrite): the runner, sqlx-cli and sea-orm-migration all commit between migrations.
fn group_steps(plan: &Plan, by_phase: bool) -> Vec<Vec<Step>> {
    let mut groups: Vec<Vec<Step>> = vec![];
    for step in &plan.steps {
        let same = groups.last().is_some_and(|g| {
            (!by_phase || g[0].phase == step.phase) && !g[0].runs_alone() && !step.runs_alone()
        });
        if same {
            groups.last_mut().expect("checked").push(step.clone());
        } else {
            groups.push(vec![step.clone()]);
        }
    }
    groups
}
