//! Adopting another tool's history: `pgshift init --adopt DIR` (its migrations read in
//! place, new ones written in its layout) and `pgshift stamp` (record migrations as
//! applied without running them, as that tool's version table says).

use super::migrations::{self, DatabaseArgs};
use clap::Args;
use pgshift::migrate::foreign::{self, Layout};
use pgshift::migrate::project::{Config, Format};
use pgshift::migrate::{adopted, files, layout, sea_orm_crate, squash, stamp, Runner};
use pgshift::source::{connect, Loader};
use pgshift::sql::terminal;
use pgshift::{Error, Result};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Args)]
pub struct AdoptArgs {
    /// Adopt the migrations of another tool in DIR (sqlx, golang-migrate, diesel or
    /// refinery): check, generate, test and upgrade read them in place, and new ones are
    /// written in the same layout. `pgshift stamp` then records, on a database that tool
    /// migrated, which ones it has. A sea-orm-migration crate whose modules pass SQL
    /// literals to execute_unprepared is adopted as the sea-orm format; one built with
    /// sea-query's schema builders is squashed (--squash).
    #[arg(long, value_name = "DIR")]
    adopt: Option<PathBuf>,
    /// The layout of the --adopt folder; detected from its file names when not given.
    #[arg(long, value_parser = Layout::NAMES, requires = "adopt")]
    layout: Option<String>,
    /// With --adopt: replace the history with one baseline migration in pgshift's layout,
    /// written only when it is proven to give the same database (as `pgshift squash`
    /// proves it); the old files are removed. For a sea-orm-migration crate, the crate is
    /// built and run (`cargo run -- up`) on a throwaway database, the baseline is written
    /// in ./migrations from the schema it makes, and the crate is left as it is.
    /// `pgshift stamp` records the baseline as applied on a database the tool migrated
    /// (all of the history).
    #[arg(long, requires = "adopt")]
    squash: bool,
    #[command(flatten)]
    dev: migrations::DevServerArgs,
}

/// Points the new pgshift.toml at the adopted folder and its layout.
pub fn configure(args: &AdoptArgs, config: &mut Config) -> Result<()> {
    let Some(dir) = &args.adopt else {
        return Ok(());
    };
    if is_sea_orm_crate(dir) {
        return adopt_sea_orm(args, config, dir);
    }
    let layout = match args.layout.as_deref().and_then(Layout::parse) {
        Some(l) => l,
        None => foreign::detect(dir)?,
    };
    let history = foreign::read(dir, layout)?;
    config.set_migrations(dir.clone());
    if args.squash {
        return squash(args, config, &history);
    }
    if layout != Layout::Pgshift {
        config.layout = Some(layout.as_str().to_string());
    }
    outln!(
        "Adopted {} {} migration{} in {}, read in place{}. On a database {} already \
         migrated, run `pgshift stamp` to record them as applied.",
        history.migrations.len(),
        layout.as_str(),
        if history.migrations.len() == 1 {
            ""
        } else {
            "s"
        },
        terminal(&dir.display().to_string()),
        match layout {
            Layout::Refinery => {
                "; new ones are written as V<n>__<name>.sql, without downs (refinery has none)"
            }
            _ => "; new ones are written in the same layout",
        },
        layout.as_str()
    );
    Ok(())
}

#[derive(Args)]
pub struct StampArgs {
    #[command(flatten)]
    db: DatabaseArgs,
    /// Record every migration up to this version. By default, those the other tool's
    /// version table (sqlx, diesel, refinery, golang-migrate, sea-orm-migration) lists.
    version: Option<i64>,
    /// How long to wait for another runner's lock, in seconds.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    lock_wait: u64,
}

/// Exit 0 when recorded (or nothing to record), 2 when refused.
pub fn run(args: StampArgs) -> Result<i32> {
    let (project, all, info) = migrations::open(&args.db, "stamp")?;
    let table = project.config.version_table();
    let mut client = connect(&info)?;
    let tool = stamp::read_tool_state(
        &mut client,
        project.config.layout.as_deref(),
        &info.display(),
    )?;
    let chosen = stamp::to_record(&all, args.version, tool.as_ref())?;
    let applied = {
        let mut runner = Runner::new(&mut client, table.clone(), info.display());
        runner.lock(Duration::from_secs(args.lock_wait))?;
        runner.ensure_table()?;
        runner.applied()?
    };
    // The advisory lock stays with the session until unlocked below.
    let new: Vec<_> = chosen
        .iter()
        .copied()
        .filter(|m| !applied.iter().any(|a| a.version == m.version))
        .collect();
    let recorded = stamp::record(&mut client, &table, &new, &info.display());
    Runner::new(&mut client, table.clone(), info.display()).unlock();
    let n = recorded?;
    match &tool {
        Some(t) => outln!(
            "{} says {} migration(s) are applied.",
            terminal(&t.tool),
            chosen.len()
        ),
        None => outln!(
            "Stamping up to version {}.",
            args.version.unwrap_or_default()
        ),
    }
    outln!("Recorded {n} migration(s) as applied without running them:");
    for m in &new {
        outln!("  {} {}", m.version, terminal(&m.name));
    }
    Ok(0)
}

/// `init --adopt DIR --squash`: the baseline written into DIR in pgshift's layout, then
/// the history's files removed (the baseline's own path excepted).
fn squash(args: &AdoptArgs, config: &mut Config, history: &foreign::History) -> Result<()> {
    let migrations = adopted::read(&history.dir, history.layout)?;
    config.layout = None;
    let options = config.introspect_options(&[]);
    let loader = Loader::new(args.dev.dev_url.clone(), options.clone());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let baseline = squash::baseline(
        loader.scratch()?,
        &migrations,
        "baseline",
        config,
        &options,
        now,
    )
    .map_err(|e| {
        super::squash::with_squash_hint(
            e,
            "adopt the history as it is, without --squash (pgshift runs its migrations)",
        )
    })?;
    let written = files::write_all(&history.dir, std::slice::from_ref(&baseline))?;
    let remove = |path: &Path| -> Result<()> {
        if written.iter().any(|w| w == path) || !path.is_file() {
            return Ok(());
        }
        std::fs::remove_file(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
    };
    for f in &history.migrations {
        remove(&f.migration.path)?;
        remove(&f.down_path)?;
        if history.layout == Layout::Diesel {
            if let Some(folder) = f.migration.path.parent() {
                remove(&folder.join("metadata.toml"))?;
                // Only when nothing else of the team's is in it.
                let _ = std::fs::remove_dir(folder);
            }
        }
    }
    outln!(
        "Squashed {} {} migrations into {} (proven: the same schema as pgshift reads it and \
         as pg_dump prints it); their files were removed. On a database {} migrated, run \
         `pgshift stamp` to record the baseline as applied.",
        history.migrations.len(),
        history.layout.as_str(),
        terminal(&written[0].display().to_string()),
        history.layout.as_str()
    );
    Ok(())
}

/// A sea-orm-migration crate: a Cargo.toml that depends on `sea-orm-migration`, and `src/`.
fn is_sea_orm_crate(dir: &Path) -> bool {
    dir.join("src").is_dir()
        && std::fs::read_to_string(dir.join("Cargo.toml"))
            .is_ok_and(|t| t.contains("sea-orm-migration") || t.contains("sea_orm_migration"))
}

/// What to do with a sea-orm-migration history pgshift cannot read in place.
const SEA_ORM_WORKAROUND: &str = "pgshift reads sea-orm-migration modules in place when \
     their up and down pass SQL string literals to execute_unprepared \
     (`manager.get_connection().execute_unprepared(\"...\")`); it cannot know what \
     sea-query's schema builders do without compiling them. Squash the history instead: \
     `pgshift init --adopt CRATE --squash` builds and runs the crate (`cargo run -- up`) on \
     a throwaway database and writes one baseline migration in pgshift's layout from the \
     schema it makes, proven identical; then `pgshift stamp` on each database the crate \
     migrated (it reads seaql_migrations), and `pgshift upgrade` from there on. Or rewrite \
     the modules with execute_unprepared to keep running them with sea-orm-migration";

/// `init --adopt CRATE` on a sea-orm-migration crate: the project takes the `sea-orm`
/// format with the crate as its migrations, so pgshift reads its modules and registers new
/// ones in its `Migrator`; sea-orm-migration keeps running them and recording them in
/// `seaql_migrations`, so there is nothing to stamp.
fn adopt_sea_orm(args: &AdoptArgs, config: &mut Config, dir: &Path) -> Result<()> {
    if args.layout.is_some() {
        return Err(Error::History(format!(
            "{} is a sea-orm-migration crate: it is adopted as the sea-orm format, or \
             squashed (--squash), without --layout.\n  hint: `pgshift init --adopt {}`",
            terminal(&dir.display().to_string()),
            terminal(&dir.display().to_string())
        )));
    }
    if args.squash {
        return squash_sea_orm(args, config, dir);
    }
    let modules = layout::read_sea_orm(&dir.join("src")).map_err(|e| match e {
        Error::SeaOrm { path, message, .. } => Error::SeaOrm {
            path,
            message,
            hint: SEA_ORM_WORKAROUND.into(),
        },
        e => e,
    })?;
    config.format = Format::SeaOrm;
    config.set_migrations(dir.to_path_buf());
    outln!(
        "Adopted {} sea-orm-migration module{} in {}, read in place; new ones are written \
         as modules registered in its Migrator. sea-orm-migration keeps running them and \
         recording them in seaql_migrations: there is nothing to stamp.",
        modules.len(),
        if modules.len() == 1 { "" } else { "s" },
        terminal(&dir.display().to_string())
    );
    Ok(())
}

/// `init --adopt CRATE --squash`: the crate built and run on a throwaway database, and one
/// baseline migration in pgshift's sql layout (./migrations) written from the schema it
/// made, proven as `pgshift squash` proves it. The crate is left as it is: the team
/// retires it once every database is stamped.
fn squash_sea_orm(args: &AdoptArgs, config: &mut Config, krate: &Path) -> Result<()> {
    let shown = terminal(&krate.display().to_string());
    if config.format != Format::Sql {
        return Err(Error::History(format!(
            "--squash replaces the history of {shown} with a baseline in pgshift's sql layout, \
             which pgshift runs (sea-orm-migration would not): leave out --format sea-orm"
        )));
    }
    let target = config.migrations();
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    if same(&target, krate) {
        return Err(Error::History(format!(
            "the crate is in {shown}, where the baseline would be written; nothing was \
             written.\n  hint: move the crate (sea-orm-cli names it `migration`)"
        )));
    }
    if !files::read_dir(&target)?.is_empty() {
        return Err(Error::History(format!(
            "{} already holds migrations; the baseline of {shown} would go there; nothing was \
             written",
            terminal(&target.display().to_string())
        )));
    }
    let options = config.introspect_options(&[]);
    let loader = Loader::new(args.dev.dev_url.clone(), options.clone());
    let server = loader.scratch()?;
    let built = server.create_database()?;
    errln!(
        "Running {shown} with `cargo run -- up` on a throwaway database (its first build can \
         take minutes)..."
    );
    let applied = sea_orm_crate::run_up(krate, &built)?;
    if applied.is_empty() {
        return Err(Error::History(format!(
            "{shown} applied no migration on an empty database: there is nothing to squash"
        )));
    }
    let replaced = squash::Replaced {
        versions: applied.iter().map(|a| a.version).collect(),
        parents: vec![],
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let baseline = squash::baseline_of(
        server, &built, &replaced, "baseline", config, &options, now,
    )
    .map_err(|e| {
        super::squash::with_squash_hint(
            e,
            "adopt the history as it is, without --squash (pgshift runs its migrations)",
        )
    })?;
    let written = files::write_all(&target, std::slice::from_ref(&baseline))?;
    outln!(
        "Squashed the {} sea-orm-migration migrations of {shown} into {} (proven: the same \
         schema as the crate makes, as pgshift reads it and as pg_dump prints it). pgshift \
         runs it and new migrations (`pgshift upgrade`); on a database sea-orm-migration \
         migrated, run `pgshift stamp` (it reads seaql_migrations). The crate was left as it \
         is: retire it once every database is stamped.",
        applied.len(),
        terminal(&written[0].display().to_string())
    );
    Ok(())
}
