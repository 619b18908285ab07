//! `pgshift squash`: replaces a run of migrations with one, proven to give the same
//! database (see `pgshift::migrate::squash`).

use super::migrations::DevServerArgs;
use clap::Args;
use pgshift::migrate::project::CONFIG_FILE;
use pgshift::migrate::{squash, Project};
use pgshift::source::Loader;
use pgshift::sql::terminal;
use pgshift::{Error, Result};
use std::path::PathBuf;

#[derive(Args)]
pub struct SquashArgs {
    /// The project settings file.
    #[arg(long, default_value = CONFIG_FILE, value_name = "FILE")]
    config: PathBuf,
    /// The last migration to squash (it gives the squash migration its version); the
    /// newest by default.
    #[arg(long, value_name = "VERSION")]
    through: Option<i64>,
    /// What the squash migration says; it names the file.
    #[arg(short, long, default_value = "squashed")]
    message: String,
    #[command(flatten)]
    dev: DevServerArgs,
}

pub fn run(args: SquashArgs) -> Result<i32> {
    let project = Project::open(&args.config)?;
    project.runs_migrations("squash")?;
    if let Some(layout) = project.adopted() {
        return Err(Error::History(format!(
            "cannot squash {} migrations in place: the squash migration is written in \
             pgshift's layout, which {} would not run",
            layout.as_str(),
            layout.as_str()
        )));
    }
    let migrations = project.read()?;
    let options = project.config.introspect_options(&[]);
    let loader = Loader::new(args.dev.dev_url.clone(), options.clone());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let squashed = squash::squash(
        loader.scratch()?,
        &migrations,
        args.through,
        &args.message,
        &project.config,
        &options,
        now,
    )
    .map_err(|e| {
        with_squash_hint(
            e,
            "squash up to a version before the migration that creates them (--through)",
        )
    })?;
    let replaced: Vec<_> = migrations
        .iter()
        .filter(|m| m.version <= squashed.version)
        .collect();
    // Write the new file first: if that fails, nothing is removed.
    let written =
        pgshift::migrate::files::write_all(&project.dir(), std::slice::from_ref(&squashed));
    let written = match written {
        Ok(w) => w,
        Err(Error::Io { path, reason }) if reason.starts_with("already exists") => {
            return Err(Error::Io {
                path,
                reason: "already exists: squash with another -m message".into(),
            })
        }
        Err(e) => return Err(e),
    };
    for m in &replaced {
        for path in [m.path.clone(), pgshift::migrate::runner::down_path(m)] {
            if !written.contains(&path) && path.exists() {
                std::fs::remove_file(&path).map_err(|e| Error::Io {
                    path: path.clone(),
                    reason: e.to_string(),
                })?;
            }
        }
    }
    outln!(
        "Squashed {} migrations into {} (proven: the same schema as pgshift reads it and as \
         pg_dump prints it). Databases that applied them see it as applied.",
        replaced.len(),
        terminal(&written[0].display().to_string())
    );
    Ok(0)
}

/// A refused squash with what pgshift leaves out (the usual cause) and how the command
/// that asked can go on.
pub(crate) fn with_squash_hint(e: Error, retry: &str) -> Error {
    match e {
        Error::SquashRefused { .. } => Error::History(format!(
            "{e}\n  hint: pgshift does not write SQL for some objects (see `pgshift diff` \
             warnings); {retry}"
        )),
        e => e,
    }
}
