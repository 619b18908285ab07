//! Database-per-tenant fleets: the targets of `[fleet]` in pgshift.toml, the order a
//! rollout takes them in (canaries one by one, then the rest a bounded number at once),
//! the failure budget, and what one target's upgrade and status are. Each target has its
//! own connection, advisory lock and version table, exactly as a single-database run:
//! the version table of each target is its record, and a re-run is the resume.

use super::files::{self, Migration};
use super::project::Config;
use super::{applied, rollout, runner, Applied, Runner};
use crate::error::{Error, Result};
use crate::source::{connect, ConnInfo};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// `[fleet]` in pgshift.toml.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FleetConfig {
    /// Target database URLs.
    pub targets: Vec<String>,
    /// A query run on the project's database (`DATABASE_URL`) that returns one target
    /// URL per row (first column, text).
    pub targets_query: Option<String>,
    /// Canary targets: URLs of the target list, or 0-based indexes into it.
    pub canary: Vec<CanaryRef>,
    /// Or: the first N targets are canaries.
    pub canaries: Option<usize>,
    /// Targets upgraded at once after the canaries.
    pub concurrency: usize,
    /// Failed targets tolerated before no new target is started (0: stop on the first).
    pub failure_budget: usize,
}

impl Default for FleetConfig {
    fn default() -> FleetConfig {
        FleetConfig {
            targets: vec![],
            targets_query: None,
            canary: vec![],
            canaries: None,
            concurrency: 4,
            failure_budget: 0,
        }
    }
}

impl FleetConfig {
    pub fn is_unset(&self) -> bool {
        *self == FleetConfig::default()
    }
}

/// A canary: a target's URL or its index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CanaryRef {
    Index(usize),
    Url(String),
}

/// One database of the fleet.
#[derive(Clone, Debug)]
pub struct Target {
    pub url: String,
    pub info: ConnInfo,
}

impl Target {
    /// The target as shown: no password.
    pub fn display(&self) -> String {
        self.info.display()
    }
}

/// The fleet's targets, in order, without duplicates: the listed URLs, then the rows of
/// `targets_query` run on `home` (the project's database).
pub fn targets(config: &FleetConfig, home: Option<&ConnInfo>) -> Result<Vec<Target>> {
    let mut urls = config.targets.clone();
    if let Some(query) = &config.targets_query {
        let home = home.ok_or_else(|| Error::BadUrl {
            url: "[fleet] targets_query".into(),
            reason: "it runs on the project's database: set its URL (--database or the \
                     environment variable pgshift.toml names)"
                .into(),
        })?;
        let mut client = connect(home)?;
        let rows = client
            .query(query.as_str(), &[])
            .map_err(|e| Error::Database {
                what: "[fleet] targets_query".into(),
                target: home.display(),
                reason: e.to_string(),
            })?;
        for row in rows {
            let url: String = row.try_get(0).map_err(|e| Error::Database {
                what: "[fleet] targets_query".into(),
                target: home.display(),
                reason: format!("it must return one text column: {e}"),
            })?;
            urls.push(url);
        }
    }
    let mut out: Vec<Target> = vec![];
    for url in urls {
        if out.iter().any(|t| t.url == url) {
            continue;
        }
        let info = ConnInfo::parse(&url)?;
        out.push(Target { url, info });
    }
    if out.is_empty() {
        return Err(Error::History(
            "the fleet has no targets: set `targets` or `targets_query` under [fleet] in \
             pgshift.toml"
                .into(),
        ));
    }
    Ok(out)
}

/// The indexes of the canaries, in order, and of the rest.
pub fn order(config: &FleetConfig, targets: &[Target]) -> Result<(Vec<usize>, Vec<usize>)> {
    let mut canaries: Vec<usize> = vec![];
    for c in &config.canary {
        let i = match c {
            CanaryRef::Index(i) if *i < targets.len() => *i,
            CanaryRef::Index(i) => {
                return Err(Error::History(format!(
                    "[fleet] canary {i}: the fleet has {} targets (indexes start at 0)",
                    targets.len()
                )))
            }
            CanaryRef::Url(u) => targets.iter().position(|t| &t.url == u).ok_or_else(|| {
                let shown = ConnInfo::parse(u).map(|i| i.display()).unwrap_or_default();
                Error::History(format!(
                    "[fleet] canary {shown} is not one of the fleet's targets"
                ))
            })?,
        };
        if !canaries.contains(&i) {
            canaries.push(i);
        }
    }
    for i in 0..config.canaries.unwrap_or(0).min(targets.len()) {
        if !canaries.contains(&i) {
            canaries.push(i);
        }
    }
    let rest = (0..targets.len())
        .filter(|i| !canaries.contains(i))
        .collect();
    Ok((canaries, rest))
}

/// How a target's run ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Done,
    Failed,
    /// Not started: the failure budget was exceeded.
    Skipped,
}

impl State {
    pub fn as_str(&self) -> &'static str {
        match self {
            State::Done => "done",
            State::Failed => "failed",
            State::Skipped => "not started",
        }
    }
}

/// One target's line of a rollout.
#[derive(Clone, Debug, Serialize)]
pub struct Record {
    pub target: String,
    pub canary: bool,
    pub state: State,
    pub detail: String,
}

/// Runs `each` on every target: the canaries one by one, then the rest with at most
/// `concurrency` at once (one thread each). Once more than `budget` targets failed, no
/// new target starts. `report` sees each record as its target finishes. Records come
/// back in target order.
pub fn roll_out(
    targets: &[Target],
    (canaries, rest): (&[usize], &[usize]),
    concurrency: usize,
    budget: usize,
    each: &(dyn Fn(&Target) -> Result<String> + Sync),
    report: &(dyn Fn(&Record) + Sync),
) -> Vec<Record> {
    let records: Mutex<Vec<Option<Record>>> = Mutex::new(vec![None; targets.len()]);
    let failures = AtomicUsize::new(0);
    let run_one = |i: usize, canary: bool| {
        let t = &targets[i];
        let (state, detail) = match each(t) {
            Ok(d) => (State::Done, d),
            Err(e) => {
                failures.fetch_add(1, Ordering::SeqCst);
                (State::Failed, e.to_string())
            }
        };
        let r = Record {
            target: t.display(),
            canary,
            state,
            detail,
        };
        report(&r);
        records.lock().unwrap()[i] = Some(r);
    };
    let over = || failures.load(Ordering::SeqCst) > budget;
    for &i in canaries {
        if over() {
            break;
        }
        run_one(i, true);
    }
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..concurrency.max(1).min(rest.len()) {
            s.spawn(|| loop {
                if over() {
                    break;
                }
                let k = next.fetch_add(1, Ordering::SeqCst);
                let Some(&i) = rest.get(k) else { break };
                run_one(i, false);
            });
        }
    });
    let records = records.into_inner().unwrap();
    records
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.unwrap_or_else(|| Record {
                target: targets[i].display(),
                canary: canaries.contains(&i),
                state: State::Skipped,
                detail: format!("failure budget ({budget}) exceeded"),
            })
        })
        .collect()
}

/// Upgrades one target as `pgshift upgrade` does one database: its own connection, the
/// advisory lock, the version table, the same selection (expand phase, or `all`). The
/// migration files are checked once by the caller (heads); this checks them against the
/// target's version table. Says what was applied, or that the target is up to date.
pub fn upgrade_target(
    target: &Target,
    config: &Config,
    migrations: &[Migration],
    dir: &Path,
    all: bool,
    lock_wait: Duration,
) -> Result<String> {
    let mut client = connect(&target.info)?;
    let mut runner = Runner::new(&mut client, config.version_table(), target.display())
        .with_timeouts(config.sql_options())
        .with_settings(config.backfill.settings());
    runner.lock(lock_wait)?;
    let result = (|| -> Result<String> {
        runner.ensure_table()?;
        let done = applied::recognise_squashed(migrations, runner.applied()?);
        applied::check_files(migrations, &done, dir, "upgrade", true)?;
        let versions: Vec<i64> = done.iter().map(|a| a.version).collect();
        let s = rollout::select(migrations, &versions, None, all);
        for m in &s.now {
            runner::check_script(&m.up, m.transactional(), &m.path)?;
        }
        let mut applied_now = vec![];
        let mut done = versions.clone();
        for (i, m) in s.now.iter().enumerate() {
            // `--all`: a contract migration waits for its backfills, as in `complete`.
            let rest = s.now.len() - i - 1;
            let target = target.display();
            rollout::check_contract(runner.client(), migrations, &done, m, rest, &target)?;
            runner.apply(m)?;
            done.push(m.version);
            applied_now.push(m.version.to_string());
        }
        let waiting = s.waiting.iter().filter(|m| m.undo_of().is_none()).count();
        let wait = if waiting > 0 {
            format!("; {waiting} contract migration(s) wait for `complete`")
        } else {
            String::new()
        };
        Ok(match applied_now.len() {
            0 => format!("up to date{wait}"),
            _ => format!("applied {}{wait}", applied_now.join(", ")),
        })
    })();
    runner.unlock();
    result
}

/// One target's state, read without writing anything.
#[derive(Clone, Debug, Serialize)]
pub struct TargetStatus {
    pub target: String,
    /// The newest applied version, none at base.
    pub current: Option<i64>,
    /// Migrations on disk not applied (undo parts not counted).
    pub pending: usize,
    /// `expand pending`, `contract waiting` or `complete`.
    pub phase: String,
    /// Applied migrations whose file changed or is gone.
    pub changed: Vec<String>,
    /// Why the target could not be read.
    pub error: Option<String>,
}

impl TargetStatus {
    pub fn ok(&self) -> bool {
        self.error.is_none() && self.pending == 0 && self.changed.is_empty()
    }
}

/// Reads one target's version table.
pub fn status_target(target: &Target, config: &Config, migrations: &[Migration]) -> TargetStatus {
    let read = || -> Result<Vec<Applied>> {
        let mut client = connect(&target.info)?;
        let done = Runner::new(&mut client, config.version_table(), target.display()).applied()?;
        Ok(applied::recognise_squashed(migrations, done))
    };
    match read() {
        Ok(done) => describe(target.display(), migrations, &done),
        Err(e) => TargetStatus {
            target: target.display(),
            current: None,
            pending: 0,
            phase: String::new(),
            changed: vec![],
            error: Some(e.to_string()),
        },
    }
}

fn describe(target: String, migrations: &[Migration], done: &[Applied]) -> TargetStatus {
    let pending: Vec<&Migration> = migrations
        .iter()
        .filter(|m| !done.iter().any(|a| a.version == m.version))
        .collect();
    let (expand, waiting) = rollout::expand_part(&pending);
    let phase = if !expand.is_empty() {
        "expand pending"
    } else if !waiting.is_empty() {
        "contract waiting"
    } else {
        "complete"
    };
    let changed = done
        .iter()
        .filter_map(
            |a| match migrations.iter().find(|m| m.version == a.version) {
                None => Some(format!("{} {} (file gone)", a.version, a.name)),
                Some(m) if m.checksum() != a.checksum => {
                    Some(format!("{} {} (edited)", a.version, a.name))
                }
                Some(_) => None,
            },
        )
        .collect();
    TargetStatus {
        target,
        current: done.iter().map(|a| a.version).max(),
        pending: pending.iter().filter(|m| m.undo_of().is_none()).count(),
        phase: phase.to_string(),
        changed,
        error: None,
    }
}

/// Checks the files once for the whole fleet: a single head.
pub fn check_heads(migrations: &[Migration], command: &str) -> Result<()> {
    let heads = files::heads(migrations)?;
    if heads.len() > 1 {
        return Err(super::project::multiple_heads(migrations, &heads, command));
    }
    Ok(())
}
