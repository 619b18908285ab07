//! `pgshift squash`: one migration in place of a run of them, written only when it is
//! proven to give the same database as replaying them: both are built on scratch
//! databases and compared twice, as pgshift reads the catalog and as `pg_dump
//! --schema-only` prints it. It takes the version of the last migration it replaces (the
//! migrations after it keep their parent) and lists the versions it replaces in a
//! `-- squashes:` header, so a database that applied them recognises it as applied
//! (`applied::recognise_squashed`).

use super::files::{self, Migration, NO_TRANSACTION};
use super::project::Config;
use super::proof::difference;
use crate::error::{Error, Result};
use crate::pg::{ScratchDatabase, ScratchServer};
use crate::plan::plan;
use crate::schema::Schema;
use crate::source::IntrospectOptions;
use crate::sql::comment;

/// The squash migration of `migrations` up to `through` (all by default), proven.
pub fn squash(
    server: &ScratchServer,
    migrations: &[Migration],
    through: Option<i64>,
    message: &str,
    config: &Config,
    options: &IntrospectOptions,
    now_unix: i64,
) -> Result<Migration> {
    let end = match through {
        Some(v) => migrations
            .iter()
            .position(|m| m.version == v)
            .ok_or_else(|| Error::History(format!("no migration has version {v}")))?,
        None => migrations
            .len()
            .checked_sub(1)
            .ok_or_else(|| Error::History("there are no migrations to squash".into()))?,
    };
    let run = &migrations[..=end];
    if run.len() < 2 {
        return Err(Error::History(
            "squashing needs at least two migrations".into(),
        ));
    }
    baseline(server, run, message, config, options, now_unix)
}

/// One migration in place of all of `run` (not empty), proven as `squash` proves it.
pub fn baseline(
    server: &ScratchServer,
    run: &[Migration],
    message: &str,
    config: &Config,
    options: &IntrospectOptions,
    now_unix: i64,
) -> Result<Migration> {
    if run.is_empty() {
        return Err(Error::History("there are no migrations to squash".into()));
    }
    let heads = files::heads(run)?;
    if heads.len() > 1 {
        return Err(super::project::multiple_heads(run, &heads, "squash"));
    }
    let replayed = server.create_database()?;
    let wanted = build(&replayed, run, config, options)?;
    let replaced = Replaced {
        versions: run.iter().map(|m| m.version).collect(),
        parents: run[0].parents.clone(),
    };
    prove(
        server, &replayed, wanted, &replaced, message, config, options, now_unix,
    )
}

/// The migrations a squash migration replaces: their versions (the last is its own) and
/// the parents of the first (its parents).
pub struct Replaced {
    pub versions: Vec<i64>,
    pub parents: Vec<i64>,
}

/// One migration in place of `replaced`, which another program ran on `built` (a
/// sea-orm-migration crate, `pgshift init --adopt CRATE --squash`): written from the
/// schema read back from `built`, and proven as `squash` proves it, with `built` as the
/// replay. `built` must hold no version table but pgshift's (the `options` leave the
/// other tools' out of the catalog comparison, not out of pg_dump).
#[allow(clippy::too_many_arguments)]
pub fn baseline_of(
    server: &ScratchServer,
    built: &ScratchDatabase,
    replaced: &Replaced,
    message: &str,
    config: &Config,
    options: &IntrospectOptions,
    now_unix: i64,
) -> Result<Migration> {
    if replaced.versions.is_empty() {
        return Err(Error::History("there are no migrations to squash".into()));
    }
    let mut client = built.connect()?;
    let mut wanted = crate::source::introspect(&mut client, options, &built.describe())?;
    super::project::strip_version_table(&mut wanted, &config.version_table());
    drop(client);
    prove(
        server, built, wanted, replaced, message, config, options, now_unix,
    )
}

/// Writes the squash migration that builds `wanted` (the schema of `replayed`) from
/// nothing, then proves it on a new database, against `replayed`.
#[allow(clippy::too_many_arguments)]
fn prove(
    server: &ScratchServer,
    replayed: &ScratchDatabase,
    wanted: Schema,
    replaced: &Replaced,
    message: &str,
    config: &Config,
    options: &IntrospectOptions,
    now_unix: i64,
) -> Result<Migration> {
    let table = config.version_table();
    let Some(&last_version) = replaced.versions.last() else {
        return Err(Error::History("there are no migrations to squash".into()));
    };
    let empty = server.create_database()?;
    let nothing = build(&empty, &[], config, options)?;
    let up_plan = plan(&nothing, &wanted)?;
    let down_plan = plan(&wanted, &nothing)?;
    let (_, created) = files::timestamp(now_unix);
    let versions: Vec<String> = replaced.versions.iter().map(i64::to_string).collect();
    let parent = match replaced.parents.as_slice() {
        [] => "none".to_string(),
        p => p.iter().map(i64::to_string).collect::<Vec<_>>().join(", "),
    };
    let header = format!(
        "-- pgshift migration: {}\n-- parent: {parent}\n-- created: {created}\n-- message: \
         {}\n-- phase: expand\n-- squashes: {}\n",
        last_version,
        comment(message),
        versions.join(", ")
    );
    let transactional = up_plan.steps.iter().all(|s| s.transactional);
    let up = format!(
        "{}{header}\n{}",
        if transactional {
            String::new()
        } else {
            format!("{NO_TRANSACTION}\n")
        },
        up_plan.to_sql_with(&config.sql_options())
    );
    let down_transactional = down_plan.steps.iter().all(|s| s.transactional);
    let down = format!(
        "{}-- pgshift downgrade of migration {}\n\n{}",
        if down_transactional {
            String::new()
        } else {
            format!("{NO_TRANSACTION}\n")
        },
        last_version,
        down_plan.to_sql_with(&config.sql_options())
    );
    let squashed = Migration {
        version: last_version,
        name: files::slug(message),
        up,
        down: Some(down),
        parents: replaced.parents.clone(),
        path: config
            .migrations()
            .join(format!("{}_{}.up.sql", last_version, files::slug(message))),
    };
    // The proof: the squash migration on a new database gives what the replay gave.
    let proved = server.create_database()?;
    let got = match build(&proved, std::slice::from_ref(&squashed), config, options) {
        Ok(schema) => schema,
        Err(Error::Interrupted) => return Err(Error::Interrupted),
        Err(e) => return Err(refusal("because it fails to run", &e.to_string())),
    };
    if let Some(sql) = difference(&got, &wanted)? {
        return Err(refusal("as pgshift reads the catalog", &sql));
    }
    let (a, b) = (dump(replayed, &table)?, dump(&proved, &table)?);
    if a != b {
        let only = |x: &str, y: &str| -> Vec<String> {
            let other: std::collections::BTreeSet<&str> = y.lines().collect();
            x.lines()
                .filter(|l| !other.contains(l))
                .take(10)
                .map(|l| format!("  {l}"))
                .collect()
        };
        return Err(refusal(
            "as pg_dump --schema-only prints it",
            &format!(
                "only in the replayed migrations:\n{}\nonly after the squash migration:\n{}",
                only(&a, &b).join("\n"),
                only(&b, &a).join("\n")
            ),
        ));
    }
    Ok(squashed)
}

fn refusal(oracle: &str, difference: &str) -> Error {
    Error::SquashRefused {
        oracle: oracle.into(),
        difference: difference.into(),
    }
}

/// Applies `migrations` on `db` and reads its schema back.
fn build(
    db: &ScratchDatabase,
    migrations: &[Migration],
    config: &Config,
    options: &IntrospectOptions,
) -> Result<Schema> {
    super::project::replay_on(db, migrations, &config.version_table(), options)
}

/// `pg_dump --schema-only` of `db`, without comments, settings, blank lines and the
/// version table.
fn dump(db: &ScratchDatabase, table: &crate::schema::QualifiedName) -> Result<String> {
    let config = db.admin_config();
    let bin = pg_dump_binary()?;
    let mut cmd = std::process::Command::new(&bin);
    cmd.args(["--schema-only", "--no-owner", "--no-privileges"]);
    if let Some(host) = config.get_hosts().first() {
        match host {
            postgres::config::Host::Tcp(h) => cmd.env("PGHOST", h),
            postgres::config::Host::Unix(p) => cmd.env("PGHOST", p),
        };
    }
    if let Some(port) = config.get_ports().first() {
        cmd.env("PGPORT", port.to_string());
    }
    if let Some(user) = config.get_user() {
        cmd.env("PGUSER", user);
    }
    if let Some(password) = config.get_password() {
        cmd.env("PGPASSWORD", String::from_utf8_lossy(password).to_string());
    }
    cmd.env("PGDATABASE", db.name())
        .env("PGCONNECT_TIMEOUT", "10");
    let out = cmd.output().map_err(|e| Error::Io {
        path: bin.clone(),
        reason: e.to_string(),
    })?;
    if !out.status.success() {
        return Err(Error::Database {
            what: "pg_dump --schema-only".into(),
            target: db.describe(),
            reason: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    let version_table = crate::sql::qualified(table);
    let mut skipping = false;
    let mut lines = vec![];
    for l in String::from_utf8_lossy(&out.stdout).lines() {
        // The version table's statements, up to their `;`.
        if l.contains(&version_table) {
            skipping = !l.trim_end().ends_with(';');
            continue;
        }
        if skipping {
            skipping = !l.trim_end().ends_with(';');
            continue;
        }
        if l.is_empty()
            || l.starts_with("--")
            || l.starts_with("SET ")
            || l.starts_with("SELECT pg_catalog.set_config")
            || l.starts_with("\\restrict")
            || l.starts_with("\\unrestrict")
        {
            continue;
        }
        lines.push(l.to_string());
    }
    Ok(lines.join("\n"))
}

/// `pg_dump` beside the server binaries (the same version), else on `PATH`, else the
/// newest under `/usr/lib/postgresql/*/bin`.
fn pg_dump_binary() -> Result<std::path::PathBuf> {
    let beside = crate::pg::find_binaries().map(|d| d.join("pg_dump"));
    if let Ok(p) = &beside {
        if p.is_file() {
            return Ok(p.clone());
        }
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    if let Some(d) = on_path.into_iter().find(|d| d.join("pg_dump").is_file()) {
        return Ok(d.join("pg_dump"));
    }
    let mut found: Vec<(u32, std::path::PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin/pg_dump");
            bin.is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, p)| p).ok_or_else(|| {
        Error::Cluster(
            "no pg_dump beside the server binaries, on PATH or under /usr/lib/postgresql: \
             squash proves its result with pg_dump --schema-only"
                .into(),
        )
    })
}
