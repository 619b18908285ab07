//! The migration workflow: init, generate, merge, upgrade, downgrade, current, history,
//! status, check, verify. A thin layer over `pgshift::migrate`.

use clap::Args;
use pgshift::migrate::files::{self, Migration};
use pgshift::migrate::project::{self, Config, Format, CONFIG_FILE};
use pgshift::migrate::session::Session;
use pgshift::migrate::{
    applied, drift, interrupt, progress, replay_cache, rollout, script, Applied, Project, Runner,
};
use pgshift::source::{connect, ConnInfo, IntrospectOptions, Loader, Source};
use pgshift::{Error, Result};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Args)]
pub struct ProjectArgs {
    /// The project settings file.
    #[arg(long, global = true, default_value = CONFIG_FILE, value_name = "FILE")]
    config: PathBuf,
}

#[derive(Args)]
pub struct InitArgs {
    /// The model source to write into pgshift.toml.
    #[arg(long, default_value = "schema.sql", value_name = "SOURCE")]
    model: String,
    /// Also copy the default templates into ./templates so the team can change them.
    #[arg(long)]
    templates: bool,
    /// How migrations are written: sql files (sqlx-cli runs them too) or sea-orm modules
    /// in a sea-orm-migration crate (./migration).
    #[arg(long, default_value = "sql", value_parser = ["sql", "sea-orm"])]
    format: String,
    #[command(flatten)]
    adopt: super::adopt::AdoptArgs,
}

#[derive(Args)]
pub struct MergeArgs {
    #[command(flatten)]
    project: ProjectArgs,
    /// What the merge migration says; it names the file.
    #[arg(short, long, default_value = "merge")]
    message: String,
    #[command(flatten)]
    dev: DevServerArgs,
}

#[derive(Args)]
pub struct GenerateArgs {
    #[command(flatten)]
    project: ProjectArgs,
    /// What the migration does; it names the files.
    #[arg(short, long)]
    message: String,
    /// Compare the model with this database instead of replaying the migrations.
    #[arg(long, value_name = "URL")]
    database: Option<String>,
    /// Leave out objects whose schema-qualified name matches this glob (repeatable):
    /// `audit.*`, `*.tmp_*`, a schema's bare name. `*` matches any run of characters, `?`
    /// one. The version tables of pgshift, sqlx, diesel, refinery, sea-orm-migration,
    /// Alembic, Flyway and golang-migrate are always left out,
    /// with the project's `version_table` and the `exclude` list of pgshift.toml.
    #[arg(long = "exclude", value_name = "PATTERN")]
    exclude: Vec<String>,
    #[command(flatten)]
    dev: DevServerArgs,
}

/// Where models are built and migrations replayed.
#[derive(Args)]
pub struct DevServerArgs {
    /// Build models and replays on this server instead of a private throwaway cluster
    /// (needs the right to CREATE DATABASE).
    #[arg(
        long,
        value_name = "URL",
        env = "PGSHIFT_DEV_URL",
        hide_env_values = true
    )]
    pub(super) dev_url: Option<String>,
}

/// The project and its database.
#[derive(Args)]
pub struct DatabaseArgs {
    #[command(flatten)]
    project: ProjectArgs,
    /// The database; by default the URL in the environment variable pgshift.toml names.
    #[arg(long, value_name = "URL")]
    database: Option<String>,
}

/// What the commands that apply or revert migrations take.
#[derive(Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub(super) db: DatabaseArgs,
    /// How long to wait for another runner's lock before giving up, in seconds (at most
    /// a week).
    #[arg(long, default_value_t = 60, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(0..=604_800))]
    pub(super) lock_wait: u64,
    /// Print what would run as a script for `psql -v ON_ERROR_STOP=1 -f` instead of
    /// running it; writes nothing.
    #[arg(long)]
    pub(super) sql: bool,
    /// No progress output for long statements (backfills, index builds, lock waits).
    #[arg(long, short)]
    pub(super) quiet: bool,
}

#[derive(Args)]
pub struct DowngradeArgs {
    #[command(flatten)]
    run: RunArgs,
    /// -N to revert the newest N migrations, an applied VERSION to go back to (it stays
    /// applied), base to revert all, or expand to roll back the expand phase that waits
    /// for `complete`.
    #[arg(default_value = "-1", allow_hyphen_values = true)]
    target: String,
    /// Every target of `[fleet]` in pgshift.toml, as `upgrade --fleet` runs them; each
    /// goes back by the same TARGET.
    #[arg(long, conflicts_with = "sql")]
    fleet: bool,
}

#[derive(Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    db: DatabaseArgs,
    /// Also compare the live schema with what the applied migrations produce, and print
    /// the drift as SQL that would bring the database back.
    #[arg(long)]
    schema: bool,
    #[command(flatten)]
    dev: DevServerArgs,
    #[command(flatten)]
    fleet: super::fleet::FleetArgs,
}

/// `status`: one database, or with --fleet every target.
#[derive(Args)]
pub struct StatusArgs {
    #[command(flatten)]
    db: DatabaseArgs,
    #[command(flatten)]
    fleet: super::fleet::FleetArgs,
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    project: ProjectArgs,
    /// Leave out objects whose schema-qualified name matches this glob (repeatable):
    /// `audit.*`, `*.tmp_*`, a schema's bare name. `*` matches any run of characters, `?`
    /// one. The version tables of pgshift, sqlx, diesel, refinery, sea-orm-migration,
    /// Alembic, Flyway and golang-migrate are always left out,
    /// with the project's `version_table` and the `exclude` list of pgshift.toml.
    #[arg(long = "exclude", value_name = "PATTERN")]
    exclude: Vec<String>,
    #[command(flatten)]
    dev: DevServerArgs,
}

pub fn init(args: InitArgs) -> Result<i32> {
    let path = Path::new(CONFIG_FILE);
    if path.exists() {
        return Err(Error::Io {
            path: path.to_path_buf(),
            reason: "already exists; nothing was changed".into(),
        });
    }
    let format = match args.format.as_str() {
        "sea-orm" => Format::SeaOrm,
        _ => Format::Sql,
    };
    let mut config = Config::new(&args.model, format);
    super::adopt::configure(&args.adopt, &mut config)?;
    if args.templates {
        // First, so that a template in the way leaves nothing behind.
        for written in pgshift::render::templates::copy_defaults(&config.templates)? {
            outln!("wrote {}", written.display());
        }
    }
    let dir = match format {
        Format::Sql => config.migrations(),
        Format::SeaOrm => config.migrations().join("src"),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::Io {
        path: dir.clone(),
        reason: e.to_string(),
    })?;
    std::fs::write(path, config.to_toml()).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    outln!(
        "Wrote {CONFIG_FILE} and {}/. Set {} to your database URL, then run `pgshift generate -m \"...\"`.",
        dir.display(),
        config.database_url_env
    );
    Ok(0)
}

pub fn generate(args: GenerateArgs) -> Result<i32> {
    let project = Project::open(&args.project.config)?;
    let config = &project.config;
    let existing = project.read()?;
    let templates = project.templates()?;
    let options = config.introspect_options(&args.exclude);
    let loader =
        Loader::new(args.dev.dev_url.clone(), options.clone()).with_rust(config.rust_options());
    let source = Source::parse(&config.model)?;
    let shared = share_schemas(config, &loader)?;
    let shared = shared.as_ref();
    let (model, hints) = loader.load_with_hints(&source)?;
    if let Some(url) = &args.database {
        // Compare with a live database: print what generate would write.
        let info = ConnInfo::parse(url)?;
        let mut client = connect(&info)?;
        let live = pgshift::source::introspect(&mut client, &options, &info.display())?;
        let p = pgshift::plan::plan_with(&live, &model, &hints)?;
        out!("{}", p.to_sql_with(&config.sql_options()));
        super::lint::warn_touched(
            &model,
            &source,
            &config.lint,
            &config.rust_options(),
            &p.touched(),
        )?;
        return Ok(0);
    }
    let heads = files::heads(&existing)?;
    if heads.len() > 1 {
        return Err(project::multiple_heads(&existing, &heads, "generate"));
    }
    let cache = replay_cache::dir(&project.base);
    let table = config.version_table();
    let known = replay_cache::lookup(&cache, &existing, &table, &options, shared);
    if let Some(known) = &known {
        if pgshift::plan::plan_with(known, &model, &hints)?.is_empty() {
            note_cached(existing.len());
            outln!("No changes: the model matches the migrations. Nothing was written.");
            return Ok(0);
        }
    }
    let start = project::Start {
        server: loader.scratch()?,
        existing: &existing,
        known,
        config,
        options: &options,
        tenant_model: config.fleet.schemas.is_some() && config.format == Format::Sql,
    };
    let generation =
        project::generate_from(start, &model, &hints, &args.message, &templates, now())?;
    if generation.rebuilt {
        note_cached(existing.len());
    } else {
        replay_cache::store(
            &cache,
            &existing,
            &table,
            &options,
            shared,
            &generation.history,
        );
    }
    let new = generation.migrations;
    if new.is_empty() {
        outln!("No changes: the model matches the migrations. Nothing was written.");
        return Ok(0);
    }
    for path in project.write(&new)? {
        outln!("wrote {}", path.display());
    }
    // The history with its new migrations, as read back, produces `result` when what
    // was read back is what ran on the scratch database.
    if let Ok(now_existing) = project.read() {
        let (old, added) = now_existing.split_at(existing.len().min(now_existing.len()));
        let same = old.len() == existing.len()
            && added.len() == new.len()
            && added.iter().zip(&new).all(|(read, g)| {
                read.version == g.migration.version
                    && read.up == g.migration.up
                    && read.down == g.migration.down
            });
        if same {
            replay_cache::store(
                &cache,
                &now_existing,
                &table,
                &options,
                shared,
                &generation.result,
            );
        }
    }
    out!("{}", generated_summary(&new));
    let touched: Vec<_> = new.iter().flat_map(|g| g.touched.iter().cloned()).collect();
    super::lint::warn_touched(
        &model,
        &source,
        &config.lint,
        &config.rust_options(),
        &touched,
    )?;
    Ok(0)
}

/// Each migration written, its phase and transaction mode, then every hazard with the
/// step (and so the object) it concerns, DATA_LOSS first.
fn generated_summary(new: &[project::Generated]) -> String {
    let mut out = format!(
        "\n{} migration{}, to run in this order:\n",
        new.len(),
        if new.len() == 1 { "" } else { "s" }
    );
    for g in new {
        let m = &g.migration;
        if let Some(of) = m.undo_of() {
            out.push_str(&format!(
                "  {}_{}  its up does nothing; its down is a part of the downgrade of {of}, \
                 in a transaction of its own\n",
                m.version, m.name
            ));
            continue;
        }
        let mode = if m.transactional() {
            "in a transaction"
        } else {
            "outside a transaction (-- no-transaction)"
        };
        out.push_str(&format!(
            "  {}_{}  {}, {mode}\n",
            m.version, m.name, g.phase
        ));
    }
    let mut hazards: Vec<(pgshift::plan::HazardCode, i64, &str)> = new
        .iter()
        .flat_map(|g| {
            g.hazards
                .iter()
                .map(|(code, step)| (*code, g.migration.version, step.as_str()))
        })
        .collect();
    hazards.sort_by_key(|(code, version, _)| (*code, *version));
    if !hazards.is_empty() {
        out.push_str("Hazards (see docs/hazards/<CODE>.md):\n");
        for (code, version, step) in hazards {
            out.push_str(&format!("  {:<22} {version}: {step}\n", code.as_str()));
        }
    }
    out
}

/// Writes a merge migration whose parents are all the heads of the history.
pub fn merge(args: MergeArgs) -> Result<i32> {
    let project = Project::open(&args.project.config)?;
    let existing = project.read()?;
    let templates = project.templates()?;
    let loader = Loader::new(args.dev.dev_url.clone(), IntrospectOptions::default());
    let merged = pgshift::migrate::merge::merge(
        loader.scratch()?,
        &existing,
        &args.message,
        &project.config,
        &templates,
        now(),
    )?;
    let parents = merged.migration.parents.clone();
    for path in project.write(&[merged])? {
        outln!("wrote {}", path.display());
    }
    outln!(
        "Merged heads {}: check, generate and upgrade work again.",
        pgshift::render::migration::parent_list(&parents)
    );
    Ok(0)
}

/// A schema-per-tenant fleet's migrations run with the `[fleet] shared_schemas` on each
/// tenant's search path: the model is built, and the history replayed, on scratch
/// databases that have them too, with the extensions the fleet's database (`database`
/// under [fleet], else the project's) has in them.
fn share_schemas(config: &Config, loader: &Loader) -> Result<Option<pgshift::pg::Shared>> {
    let fleet = &config.fleet;
    if fleet.schemas.is_none() || fleet.shared_schemas.is_empty() {
        return Ok(None);
    }
    let home = match &fleet.database {
        Some(_) => None,
        None => std::env::var(&config.database_url_env)
            .ok()
            .map(|url| ConnInfo::parse(&url))
            .transpose()?,
    };
    let shared = pgshift::migrate::fleet::shared(fleet, home.as_ref())?;
    if let Some(s) = &shared {
        loader.scratch()?.share_schemas(s.clone());
    }
    Ok(shared)
}

/// Says on stderr that the history's schema came from the replay cache, so a user who
/// wonders why the run was quick (or distrusts it) knows what to delete.
fn note_cached(migrations: usize) {
    let files = match migrations {
        1 => "1 migration".to_string(),
        n => format!("{n} migrations"),
    };
    errln!(
        "note: not replayed: the schema of the {files} is in the replay cache \
         (.pgshift/replay-cache, safe to delete)"
    );
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

pub fn check(args: CheckArgs) -> Result<i32> {
    let project = Project::open(&args.project.config)?;
    let config = &project.config;
    let existing = project.read()?;
    let heads = files::heads(&existing)?;
    if heads.len() > 1 {
        return Err(project::multiple_heads(&existing, &heads, "check"));
    }
    let options = config.introspect_options(&args.exclude);
    let loader =
        Loader::new(args.dev.dev_url.clone(), options.clone()).with_rust(config.rust_options());
    let source = Source::parse(&config.model)?;
    let shared = share_schemas(config, &loader)?;
    // The model's hints (a type change's `using`) plan the change as generate would.
    let (model, hints) = loader.load_with_hints(&source)?;
    let cache = replay_cache::dir(&project.base);
    let table = config.version_table();
    let (replayed, cached) = replay_cache::replayed_for(
        &cache,
        &loader,
        &existing,
        &table,
        &options,
        shared.as_ref(),
        &model,
    )?;
    if cached {
        note_cached(existing.len());
    }
    let pending = pgshift::plan::plan_with(&replayed, &model, &hints)?;
    if pending.is_empty() {
        outln!(
            "OK: the model matches what the {} migrations produce.",
            existing.len()
        );
        return Ok(0);
    }
    outln!(
        "The model has changes that no migration holds. Run `pgshift generate -m \"...\"`.\n\n{}",
        pgshift::render::plan_text(&pending)
    );
    super::lint::warn_touched(
        &model,
        &source,
        &config.lint,
        &config.rust_options(),
        &pending.touched(),
    )?;
    Ok(1)
}

/// Opens the project of a command that works on a database, with its migrations.
pub(super) fn open_project(db: &DatabaseArgs, command: &str) -> Result<(Project, Vec<Migration>)> {
    let project = Project::open(&db.project.config)?;
    project.runs_migrations(command)?;
    let migrations = project.read()?;
    Ok((project, migrations))
}

/// The database URL: `--database`, else the environment variable pgshift.toml names,
/// else (as libpq) an empty one when PGHOST, PGHOSTADDR or PGDATABASE say where to go.
pub(super) fn database_url(db: &DatabaseArgs, config: &Config) -> Option<String> {
    db.database
        .clone()
        .or_else(|| std::env::var(&config.database_url_env).ok())
        .or_else(|| {
            ["PGHOST", "PGHOSTADDR", "PGDATABASE"]
                .iter()
                .any(|v| std::env::var_os(v).is_some())
                .then(String::new)
        })
}

/// The project, its migrations and its database.
pub(super) fn open(
    db: &DatabaseArgs,
    command: &str,
) -> Result<(Project, Vec<Migration>, ConnInfo)> {
    let (project, migrations) = open_project(db, command)?;
    let env = &project.config.database_url_env;
    let url = database_url(db, &project.config).ok_or_else(|| Error::BadUrl {
        url: format!("${env}"),
        reason: format!(
            "the environment variable {env} is not set; set it, pass --database, or set PGHOST/PGDATABASE"
        ),
    })?;
    let info = ConnInfo::parse(&url)?;
    Ok((project, migrations, info))
}

pub(super) fn listed<'a>(items: impl Iterator<Item = (&'a i64, &'a String)>) -> Vec<String> {
    items.map(|(v, n)| format!("{v} {n}")).collect()
}

/// Takes the migration lock; `Some(exit code)` when Ctrl-C came while waiting for it.
pub(super) fn lock(runner: &mut Runner, seconds: u64) -> Result<Option<i32>> {
    match runner.lock(Duration::from_secs(seconds)) {
        Ok(()) => Ok(None),
        Err(Error::Interrupted) => {
            errln!("interrupted while waiting for the migration lock: nothing was run");
            Ok(Some(130))
        }
        Err(e) => Err(e),
    }
}

pub fn downgrade(args: DowngradeArgs) -> Result<i32> {
    if args.fleet {
        let action = pgshift::migrate::fleet::Action::Downgrade(args.target.clone());
        return super::fleet::run(&args.run.db, action, args.run.lock_wait, args.run.quiet);
    }
    let (project, migrations, info) = open(&args.run.db, "downgrade")?;
    let config = &project.config;
    let _interrupts = (!args.run.sql).then(interrupt::Guard::install);
    let output = progress::Output::detect(args.run.quiet);
    let mut session = Session::open(&info, None, config, (output, None))?;
    let pid = session.pid;
    let mut runner = session.runner();
    if !args.run.sql {
        if let Some(code) = lock(&mut runner, args.run.lock_wait)? {
            return Ok(code);
        }
    }
    let result = (|| -> Result<i32> {
        let applied = applied::recognise_squashed(&migrations, runner.applied()?);
        // Every file is found and checked before the first one is reverted.
        let to_revert = applied::revert_plan(&migrations, &applied, &args.target, &project.dir())?;
        if to_revert.is_empty() {
            outln!("Nothing to downgrade.");
            return Ok(0);
        }
        if args.run.sql {
            let origin = format!("applied to {}", info.display());
            out!(
                "{}",
                script::downgrade_script(
                    &config.version_table(),
                    &to_revert,
                    &config.sql_options(),
                    &origin
                )?
            );
            return Ok(0);
        }
        let steps: Vec<&&Migration> = to_revert.iter().filter(|m| m.undo_of().is_none()).collect();
        outln!(
            "Reverting {} migration{}, newest first:",
            steps.len(),
            if steps.len() == 1 { "" } else { "s" }
        );
        for m in &steps {
            let parts = files::undo_parts(&migrations, m.version);
            match parts.len() {
                0 => outln!("  {} {}", m.version, m.name),
                n => outln!(
                    "  {} {} (its downgrade runs in {} parts, each committed: {})",
                    m.version,
                    m.name,
                    n + 1,
                    parts
                        .iter()
                        .rev()
                        .map(|p| p.version.to_string())
                        .chain([m.version.to_string()])
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
            for part in parts.iter().rev().chain([*m]) {
                for w in applied::data_loss_warnings(part) {
                    outln!("    {w}");
                }
            }
        }
        let mut finished = vec![];
        for (i, m) in to_revert.iter().enumerate() {
            let result = {
                let _progress = progress::Monitor::start(&info, pid, output);
                runner.revert(m)
            };
            for note in runner.take_notes() {
                outln!("note: {note}");
            }
            let rest = || listed(to_revert[i + 1..].iter().map(|m| (&m.version, &m.name)));
            match result {
                Ok(()) => {}
                Err(Error::Interrupted) => {
                    errln!(
                        "{}",
                        applied::interruption_report(&finished, runner.progress(), &rest(), true)
                    );
                    return Ok(130);
                }
                Err(e) => return Err(e),
            }
            match m.undo_of() {
                Some(of) => outln!(
                    "  reverted {} {} (a part of the downgrade of {of})",
                    m.version,
                    m.name
                ),
                None => outln!("reverted {} {}", m.version, m.name),
            }
            finished.push(format!("{} {}", m.version, m.name));
            if interrupt::interrupted() && i + 1 < to_revert.len() {
                errln!(
                    "{}",
                    applied::interruption_report(&finished, &Default::default(), &rest(), true)
                );
                return Ok(130);
            }
        }
        Ok(0)
    })();
    runner.unlock();
    result
}

/// The applied migrations, read without writing anything.
fn read_applied(
    args: &DatabaseArgs,
    command: &str,
) -> Result<(Project, Vec<Migration>, Vec<Applied>)> {
    let (project, migrations, info) = open(args, command)?;
    let mut client = connect(&info)?;
    let applied =
        Runner::new(&mut client, project.config.version_table(), info.display()).applied()?;
    let applied = applied::recognise_squashed(&migrations, applied);
    Ok((project, migrations, applied))
}

pub fn current(args: DatabaseArgs) -> Result<i32> {
    let (_, _, applied) = read_applied(&args, "current")?;
    match applied.last() {
        Some(a) => outln!("{} {}", a.version, a.name),
        None => outln!("base (no migration applied)"),
    }
    Ok(0)
}

pub fn history(args: DatabaseArgs) -> Result<i32> {
    let (_, _, applied) = read_applied(&args, "history")?;
    for a in applied {
        outln!(
            "{} {}  applied {} by {} in {} ms",
            a.version,
            a.name,
            a.applied_at,
            a.applied_by,
            a.execution_ms
        );
    }
    Ok(0)
}

/// Every migration on disk with whether it is applied, and every applied one whose file
/// is missing; exit 1 when some are pending, changed or missing.
pub fn status(args: StatusArgs) -> Result<i32> {
    if args.fleet.fleet {
        return super::fleet::status(&args.db, args.fleet.format);
    }
    let (project, migrations, applied) = read_applied(&args.db, "status")?;
    let mut problems = 0;
    // A migration's undo parts are shown with it, as one step, unless one of them is in
    // another state than it.
    let state = |m: &Migration| match applied.iter().find(|a| a.version == m.version) {
        Some(a) if a.checksum != m.checksum() => ("applied", true),
        Some(_) => ("applied", false),
        None => ("pending", false),
    };
    for m in &migrations {
        let (what, changed) = state(m);
        let note = if changed {
            "  (file changed since it was applied)".to_string()
        } else {
            String::new()
        };
        problems += usize::from(changed || what == "pending");
        let parts = files::undo_parts(&migrations, m.version);
        let folded = parts.iter().filter(|p| state(p) == (what, false)).count();
        match m.undo_of() {
            Some(of) => {
                let owner = migrations.iter().find(|o| o.version == of);
                if owner.is_none_or(|o| state(o) != state(m) || changed) {
                    outln!(
                        "{what}  {} {}  (part of the downgrade of {of}){note}",
                        m.version,
                        m.name
                    );
                }
            }
            None if folded > 0 => outln!(
                "{what}  {} {}  (with {folded} undo part{}: its downgrade runs in {} \
                 transactions){note}",
                m.version,
                m.name,
                if folded == 1 { "" } else { "s" },
                parts.len() + 1
            ),
            None => outln!("{what}  {} {}{note}", m.version, m.name),
        }
    }
    outln!("{}", phase_line(&migrations, &applied));
    for a in applied
        .iter()
        .filter(|a| !migrations.iter().any(|m| m.version == a.version))
    {
        problems += 1;
        outln!(
            "missing  {} {}  (applied, but its file is missing from {}: restore it from git \
             history or a backup)",
            a.version,
            a.name,
            project.dir().display()
        );
    }
    Ok(if problems > 0 { 1 } else { 0 })
}

/// Where the rollout stands: which phase the database is in, and the command to run.
fn phase_line(migrations: &[Migration], applied: &[Applied]) -> String {
    let pending: Vec<&Migration> = migrations
        .iter()
        .filter(|m| !applied.iter().any(|a| a.version == m.version))
        .collect();
    let (expand, waiting) = rollout::expand_part(&pending);
    let count = |ms: &[&Migration]| ms.iter().filter(|m| m.undo_of().is_none()).count();
    if !expand.is_empty() {
        format!(
            "phase: expand pending: `pgshift upgrade` applies {} migration(s){}",
            count(&expand),
            if waiting.is_empty() {
                ""
            } else {
                ", then the contract phase waits for `pgshift complete`"
            }
        )
    } else if !waiting.is_empty() {
        format!(
            "phase: expand applied, contract waiting: {} migration(s) for `pgshift complete`, \
             once the new application is deployed (`pgshift downgrade expand` rolls back)",
            count(&waiting)
        )
    } else {
        "phase: complete (every migration applied)".to_string()
    }
}

/// Exit 1 when an applied migration's file was edited or deleted since it was applied
/// (or, with `--schema`, when the live schema drifted from what the migrations produce).
pub fn verify(args: VerifyArgs) -> Result<i32> {
    if args.fleet.fleet {
        return super::fleet::verify(
            &args.db,
            args.fleet.format,
            args.schema,
            args.dev.dev_url.clone(),
        );
    }
    let (project, migrations, info) = open(&args.db, "verify")?;
    let config = &project.config;
    let mut client = connect(&info)?;
    let applied = Runner::new(&mut client, config.version_table(), info.display()).applied()?;
    let applied = applied::recognise_squashed(&migrations, applied);
    let mut problems = vec![];
    for a in &applied {
        match migrations.iter().find(|m| m.version == a.version) {
            None => problems.push(format!(
                "{} {}: applied, but its file is gone",
                a.version, a.name
            )),
            Some(m) if m.checksum() != a.checksum => problems.push(format!(
                "{} {}: {} was edited after it was applied (checksum {} now, {} when applied)",
                a.version,
                a.name,
                m.path.display(),
                &m.checksum()[..12],
                &a.checksum[..a.checksum.len().min(12)]
            )),
            Some(_) => {}
        }
    }
    for p in &problems {
        outln!("{p}");
    }
    let mut drifted = false;
    if args.schema {
        let versions: Vec<i64> = applied.iter().map(|a| a.version).collect();
        let loader = Loader::new(args.dev.dev_url.clone(), config.introspect_options(&[]));
        let expected = drift::expected(loader.scratch()?, &migrations, &versions, config)?;
        let live = drift::live(&mut client, config, None, &info.display())?;
        let back = drift::drift(&live, &expected)?;
        if !back.is_empty() {
            drifted = true;
            outln!(
                "The database has drifted from what its {} applied migrations produce. \
                 This SQL would bring it back:\n\n{}",
                migrations
                    .iter()
                    .filter(|m| versions.contains(&m.version))
                    .count(),
                back.to_sql_with(&config.sql_options())
            );
        }
    }
    if problems.is_empty() && !drifted {
        outln!("OK: {} applied migrations verified.", applied.len());
        return Ok(0);
    }
    Ok(1)
}
