//! Adopting another tool's history: `pgshift init --adopt DIR` (its migrations read in
//! place, new ones written in its layout) and `pgshift stamp` (record migrations as
//! applied without running them, as that tool's version table says).

use super::migrations::{self, DatabaseArgs};
use clap::Args;
use pgshift::migrate::foreign::{self, Layout};
use pgshift::migrate::project::Config;
use pgshift::migrate::{stamp, Runner};
use pgshift::source::connect;
use pgshift::sql::terminal;
use pgshift::Result;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Args)]
pub struct AdoptArgs {
    /// Adopt the migrations of another tool in DIR (sqlx, golang-migrate, diesel or
    /// refinery): check, generate, test and upgrade read them in place, and new ones are
    /// written in the same layout. `pgshift stamp` then records, on a database that tool
    /// migrated, which ones it has.
    #[arg(long, value_name = "DIR")]
    adopt: Option<PathBuf>,
    /// The layout of the --adopt folder; detected from its file names when not given.
    #[arg(long, value_parser = Layout::NAMES, requires = "adopt")]
    layout: Option<String>,
}

/// Points the new pgshift.toml at the adopted folder and its layout.
pub fn configure(args: &AdoptArgs, config: &mut Config) -> Result<()> {
    let Some(dir) = &args.adopt else {
        return Ok(());
    };
    let layout = match args.layout.as_deref().and_then(Layout::parse) {
        Some(l) => l,
        None => foreign::detect(dir)?,
    };
    let history = foreign::read(dir, layout)?;
    config.set_migrations(dir.clone());
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
            Layout::Refinery => " (new migrations are not written in refinery's layout)",
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
    /// version table (sqlx, diesel, refinery, golang-migrate) lists.
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
