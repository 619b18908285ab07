//! Fleets: many databases (or many schemas of one database) with the same schema, one
//! per tenant. The targets of `[fleet]` in pgshift.toml, the order a rollout takes them in
//! (canaries one by one, then the rest a bounded number at once), the failure budget, and
//! what one target's upgrade, complete, downgrade and status are. Each target has its own
//! session (`session`: connection, advisory lock, version table) exactly as a
//! single-database run: the version table of each target is its record, and a re-run is
//! the resume.

use super::files::{self, Migration};
use super::progress::Output;
use super::project::Config;
use super::session::{self, Session};
use super::split::line_col;
use super::{applied, interrupt, rollout, runner, Applied, Runner};
use crate::error::{Error, Result};
use crate::pg::Shared;
use crate::source::{connect, ConnInfo};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
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
    /// Schema-per-tenant: a `LIKE` pattern; each schema of `database` it matches is a
    /// target (instead of `targets` and `targets_query`).
    pub schemas: Option<String>,
    /// The database of `schemas`; by default the project's (`DATABASE_URL`, --database).
    pub database: Option<String>,
    /// Named waves after the canaries, in order: each finishes before the next starts;
    /// the targets of no wave come last.
    pub waves: Vec<WaveConfig>,
    /// Schema-per-tenant: schemas every tenant shares (extensions, common types),
    /// appended to each tenant's search path after its own schema; names qualified with
    /// them may be written in migrations.
    pub shared_schemas: Vec<String>,
}

/// `[[fleet.waves]]`: a name and its targets (URLs or schema names of the fleet, or
/// 0-based indexes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaveConfig {
    pub name: String,
    pub targets: Vec<CanaryRef>,
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
            schemas: None,
            database: None,
            waves: vec![],
            shared_schemas: vec![],
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

/// One target of the fleet: a database, or a schema of one.
#[derive(Clone, Debug)]
pub struct Target {
    /// The URL as listed (for a schema target: its schema's name).
    pub url: String,
    pub info: ConnInfo,
    /// Schema-per-tenant: the tenant's schema.
    pub schema: Option<String>,
}

impl Target {
    /// The target as shown: no password.
    pub fn display(&self) -> String {
        session::describe(&self.info, self.schema.as_deref())
    }
}

/// The fleet's targets, in order, without duplicates: the listed URLs, then the rows of
/// `targets_query` run on `home` (the project's database); or the schemas `schemas`
/// matches in `database` (by default `home`), in name order.
pub fn targets(config: &FleetConfig, home: Option<&ConnInfo>) -> Result<Vec<Target>> {
    if let Some(pattern) = &config.schemas {
        return schema_targets(config, pattern, home);
    }
    if !config.shared_schemas.is_empty() {
        return Err(Error::History(
            "[fleet] shared_schemas are for schema-per-tenant fleets (the search path of \
             each tenant schema): set `schemas` too, or remove `shared_schemas`"
                .into(),
        ));
    }
    if config.database.is_some() {
        return Err(Error::History(
            "[fleet] database is the database of `schemas` (schema-per-tenant): set \
             `schemas` too, or remove `database`"
                .into(),
        ));
    }
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
        out.push(Target {
            url,
            info,
            schema: None,
        });
    }
    if out.is_empty() {
        return Err(Error::History(
            "the fleet has no targets: set `targets`, `targets_query` or `schemas` under \
             [fleet] in pgshift.toml"
                .into(),
        ));
    }
    Ok(out)
}

/// What a schema-per-tenant fleet shares with its tenants, read from its database
/// (`database` under [fleet], by default `home`): the `shared_schemas` and the
/// extensions installed in them. `None` for any other fleet, or none shared.
pub fn shared(config: &FleetConfig, home: Option<&ConnInfo>) -> Result<Option<Shared>> {
    if config.schemas.is_none() || config.shared_schemas.is_empty() {
        return Ok(None);
    }
    let info = schema_database(config, home)?;
    shared_in(&info, &config.shared_schemas).map(Some)
}

/// The shared schemas of the database `info` and the extensions installed in them.
pub fn shared_in(info: &ConnInfo, shared: &[String]) -> Result<Shared> {
    let mut client = connect(info)?;
    let rows = client
        .query(
            "SELECT x.extname::text, n.nspname::text FROM pg_catalog.pg_extension x \
             JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace \
             WHERE n.nspname = ANY($1) ORDER BY x.extname",
            &[&shared],
        )
        .map_err(|e| Error::Database {
            what: "listing the extensions of the shared schemas ([fleet] shared_schemas)".into(),
            target: info.display(),
            reason: e.to_string(),
        })?;
    Ok(Shared {
        schemas: shared.to_vec(),
        extensions: rows.iter().map(|r| (r.get(0), r.get(1))).collect(),
    })
}

/// The database of a schema-per-tenant fleet.
fn schema_database(config: &FleetConfig, home: Option<&ConnInfo>) -> Result<ConnInfo> {
    match (&config.database, home) {
        (Some(url), _) => ConnInfo::parse(url),
        (None, Some(home)) => Ok(home.clone()),
        (None, None) => Err(Error::BadUrl {
            url: "[fleet] schemas".into(),
            reason: "the tenant schemas are those of one database: set `database` under \
                     [fleet], or the environment variable pgshift.toml names (fleet commands \
                     also take it from --database)"
                .into(),
        }),
    }
}

fn schema_targets(
    config: &FleetConfig,
    pattern: &str,
    home: Option<&ConnInfo>,
) -> Result<Vec<Target>> {
    if !config.targets.is_empty() || config.targets_query.is_some() {
        return Err(Error::History(
            "[fleet] has `schemas` (one database, a schema per tenant) and `targets` or \
             `targets_query` (a database per tenant): keep one of the two"
                .into(),
        ));
    }
    let info = schema_database(config, home)?;
    let mut client = connect(&info)?;

    let rows = client
        .query(
            "SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname LIKE $1 \
             AND nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' \
             ORDER BY nspname COLLATE \"C\"",
            &[&pattern],
        )
        .map_err(|e| Error::Database {
            what: format!("listing the schemas that match [fleet] schemas = {pattern:?}"),
            target: info.display(),
            reason: e.to_string(),
        })?;
    let out: Vec<Target> = rows
        .iter()
        .map(|r| {
            let schema: String = r.get(0);
            Target {
                url: schema.clone(),
                info: info.clone(),
                schema: Some(schema),
            }
        })
        .collect();
    if let Some(s) = out
        .iter()
        .filter_map(|t| t.schema.as_ref())
        .find(|s| config.shared_schemas.contains(s))
    {
        return Err(Error::History(format!(
            "[fleet] shared_schemas names {s:?}, which [fleet] schemas = {pattern:?} matches: \
             a shared schema cannot be a tenant"
        )));
    }
    if out.is_empty() {
        return Err(Error::History(format!(
            "the fleet has no targets: no schema of {} matches [fleet] schemas = {pattern:?} \
             (a LIKE pattern: `%` any characters, `_` one)",
            info.display()
        )));
    }
    Ok(out)
}

/// A group of targets a rollout finishes before it starts the next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wave {
    /// `canary`, a `[[fleet.waves]]` name, or `rest`.
    pub name: String,
    pub targets: Vec<usize>,
    /// Canaries run one by one; other waves `concurrency` at once.
    pub one_by_one: bool,
}

/// The index of a target named by URL (schema name) or index, for `what` in messages.
fn find_target(c: &CanaryRef, targets: &[Target], what: &str) -> Result<usize> {
    match c {
        CanaryRef::Index(i) if *i < targets.len() => Ok(*i),
        CanaryRef::Index(i) => Err(Error::History(format!(
            "[fleet] {what} {i}: the fleet has {} targets (indexes start at 0)",
            targets.len()
        ))),
        CanaryRef::Url(u) => targets.iter().position(|t| &t.url == u).ok_or_else(|| {
            let shown = match targets.first().and_then(|t| t.schema.as_ref()) {
                Some(_) => format!("schema {u:?}"),
                None => ConnInfo::parse(u).map(|i| i.display()).unwrap_or_default(),
            };
            Error::History(format!(
                "[fleet] {what} {shown} is not one of the fleet's targets"
            ))
        }),
    }
}

/// The waves of a rollout, in order: the canaries (`canary`, then the first `canaries`),
/// the named waves, then the targets of none (`rest`). A target is in the first wave
/// that names it; empty waves are left out.
pub fn waves(config: &FleetConfig, targets: &[Target]) -> Result<Vec<Wave>> {
    let mut placed: Vec<usize> = vec![];
    let mut place = |i: usize, into: &mut Vec<usize>| {
        if !placed.contains(&i) {
            placed.push(i);
            into.push(i);
        }
    };
    let mut canaries = vec![];
    for c in &config.canary {
        place(find_target(c, targets, "canary")?, &mut canaries);
    }
    for i in 0..config.canaries.unwrap_or(0).min(targets.len()) {
        place(i, &mut canaries);
    }
    let mut out = vec![Wave {
        name: "canary".into(),
        targets: canaries,
        one_by_one: true,
    }];
    for w in &config.waves {
        let mut these = vec![];
        for c in &w.targets {
            let what = format!("wave {:?}: target", w.name);
            place(find_target(c, targets, &what)?, &mut these);
        }
        out.push(Wave {
            name: w.name.clone(),
            targets: these,
            one_by_one: false,
        });
    }
    let mut rest = vec![];
    for i in 0..targets.len() {
        place(i, &mut rest);
    }
    out.push(Wave {
        name: "rest".into(),
        targets: rest,
        one_by_one: false,
    });
    out.retain(|w| !w.targets.is_empty());
    Ok(out)
}

/// How a target's run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Done,
    Failed,
    /// Ctrl-C or SIGTERM stopped it while it ran.
    Interrupted,
    /// Not started: the failure budget was exceeded, or the rollout was interrupted.
    Skipped,
}

impl State {
    pub fn as_str(&self) -> &'static str {
        match self {
            State::Done => "done",
            State::Failed => "failed",
            State::Interrupted => "interrupted",
            State::Skipped => "not started",
        }
    }
}

/// One target's line of a rollout.
#[derive(Clone, Debug, Serialize)]
pub struct Record {
    pub target: String,
    pub canary: bool,
    /// The wave it ran in (`canary`, a named wave, or `rest`).
    pub wave: String,
    pub state: State,
    pub detail: String,
}

/// Runs `each` on every target, wave after wave: the canaries one by one, every other
/// wave with at most `concurrency` at once (one thread each), finished before the next
/// starts. Once more than `budget` targets failed, or after Ctrl-C or SIGTERM, no new
/// target starts. `report` sees each record as its target finishes. Records come back in
/// target order.
pub fn roll_out(
    targets: &[Target],
    waves: &[Wave],
    concurrency: usize,
    budget: usize,
    each: &(dyn Fn(&Target) -> (State, String) + Sync),
    report: &(dyn Fn(&Record) + Sync),
) -> Vec<Record> {
    let records: Mutex<Vec<Option<Record>>> = Mutex::new(vec![None; targets.len()]);
    let failures = AtomicUsize::new(0);
    let run_one = |i: usize, wave: &Wave| {
        let t = &targets[i];
        let (state, detail) = each(t);
        if state == State::Failed {
            failures.fetch_add(1, Ordering::SeqCst);
        }
        let r = Record {
            target: t.display(),
            canary: wave.one_by_one,
            wave: wave.name.clone(),
            state,
            detail,
        };
        report(&r);
        records.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
    };
    let stop = || failures.load(Ordering::SeqCst) > budget || interrupt::interrupted();
    for wave in waves {
        let at_once = match wave.one_by_one {
            true => 1,
            false => concurrency.max(1),
        };
        let next = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..at_once.min(wave.targets.len()) {
                s.spawn(|| loop {
                    if stop() {
                        break;
                    }
                    let k = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&i) = wave.targets.get(k) else { break };
                    run_one(i, wave);
                });
            }
        });
    }
    let records = records.into_inner().unwrap_or_else(|e| e.into_inner());
    let why = if interrupt::interrupted() {
        "interrupted before it started".to_string()
    } else {
        format!("failure budget ({budget}) exceeded")
    };
    records
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.unwrap_or_else(|| {
                let wave = waves.iter().find(|w| w.targets.contains(&i));
                Record {
                    target: targets[i].display(),
                    canary: wave.is_some_and(|w| w.one_by_one),
                    wave: wave.map(|w| w.name.clone()).unwrap_or_default(),
                    state: State::Skipped,
                    detail: why.clone(),
                }
            })
        })
        .collect()
}

/// What a rollout does on each target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// `upgrade`: the expand phase, or every pending migration (`all`), or up to a
    /// version.
    Upgrade { all: bool, to: Option<i64> },
    /// `complete`: the contract migrations, once the backfills they depend on are done.
    Complete,
    /// `downgrade TARGET`: `-N`, an applied VERSION, `base` or `expand`.
    Downgrade(String),
}

impl Action {
    pub fn command(&self) -> &'static str {
        match self {
            Action::Upgrade { .. } => "upgrade",
            Action::Complete => "complete",
            Action::Downgrade(_) => "downgrade",
        }
    }
}

/// What every target of a rollout shares.
pub struct Rollout<'a> {
    pub config: &'a Config,
    pub migrations: &'a [Migration],
    /// The migrations folder, for messages.
    pub dir: PathBuf,
    pub lock_wait: Duration,
    /// How notices of pgshift's statements (backfill batches retried) are printed.
    pub output: Output,
}

/// Where one target's run got to, for the report when it is interrupted.
#[derive(Default)]
struct Work {
    todo: Vec<String>,
    finished: Vec<String>,
    running: bool,
    notes: Vec<String>,
}

/// Runs `action` on one target, as the single-database command does on one database:
/// its own session, the advisory lock, the version table, every file checked before the
/// first one runs. Says what was done, or why the target failed or stopped.
pub fn run_target(target: &Target, r: &Rollout, action: &Action) -> (State, String) {
    let label = target.display();
    let mut session = match Session::open(
        &target.info,
        target.schema.as_deref(),
        r.config,
        (r.output, Some(label.clone())),
    ) {
        Ok(s) => s,
        Err(e) => return (State::Failed, e.to_string()),
    };
    let mut runner = session.runner();
    match runner.lock(r.lock_wait) {
        Ok(()) => {}
        Err(Error::Interrupted) => {
            return (
                State::Interrupted,
                "interrupted while waiting for the migration lock: nothing was run".into(),
            )
        }
        Err(e) => return (State::Failed, e.to_string()),
    }
    let mut work = Work::default();
    let result = act(&mut runner, r, action, &label, &mut work);
    let reverting = matches!(action, Action::Downgrade(_));
    let outcome = match result {
        Ok(detail) => (State::Done, detail),
        Err(Error::Interrupted) => {
            let progress = if work.running {
                runner.progress().clone()
            } else {
                Default::default()
            };
            let skip = work.finished.len() + usize::from(work.running);
            let rest = work.todo.get(skip..).unwrap_or_default().to_vec();
            let report = applied::interruption_report(&work.finished, &progress, &rest, reverting);
            // The table shows the first line: what stopped, and whether anything stays.
            let summary = match (work.running, progress.transactional) {
                (true, true) => format!(
                    "interrupted in {} {} (rolled back); {} before it: {}",
                    progress.version,
                    progress.name,
                    if reverting { "reverted" } else { "applied" },
                    work.finished.len()
                ),
                (true, false) => format!(
                    "interrupted in {} {} ({} of {} statements stay; run again to finish it)",
                    progress.version, progress.name, progress.done, progress.total
                ),
                (false, _) => format!(
                    "interrupted between migrations: {} of {} done",
                    work.finished.len(),
                    work.todo.len()
                ),
            };
            let details: Vec<&str> = report.lines().skip(1).collect();
            (
                State::Interrupted,
                format!("{summary}\n{}", details.join("\n")),
            )
        }
        Err(e) => {
            let mut detail = e.to_string();
            if !work.finished.is_empty() {
                let did = if reverting { "reverted" } else { "applied" };
                detail.push_str(&format!(
                    "\n  {did} before the failure: {}",
                    work.finished.join(", ")
                ));
            }
            (State::Failed, detail)
        }
    };
    runner.unlock();
    let (state, mut detail) = outcome;
    for note in work.notes {
        detail.push_str(&format!("\n  note: {note}"));
    }
    (state, detail)
}

fn act(
    runner: &mut Runner,
    r: &Rollout,
    action: &Action,
    target: &str,
    work: &mut Work,
) -> Result<String> {
    let migrations = r.migrations;
    let reverting = matches!(action, Action::Downgrade(_));
    let (now, waiting): (Vec<&Migration>, usize) = match action {
        Action::Upgrade { all, to } => {
            let done = session::prepare(runner, migrations, &r.dir, "upgrade")?;
            let versions = versions(&done);
            let s = rollout::select(migrations, &versions, *to, *all);
            let waiting = s.waiting.iter().filter(|m| m.undo_of().is_none()).count();
            (s.now, waiting)
        }
        Action::Complete => {
            let done = session::prepare(runner, migrations, &r.dir, "complete")?;
            let versions = versions(&done);
            let contract = rollout::contract_to_run(migrations, &versions)?;
            if !contract.is_empty() {
                rollout::refuse_unfinished(
                    runner.client(),
                    migrations,
                    &versions,
                    &contract,
                    target,
                )?;
            }
            (contract, 0)
        }
        Action::Downgrade(to) => {
            let done = applied::recognise_squashed(migrations, runner.applied()?);
            (applied::revert_plan(migrations, &done, to, &r.dir)?, 0)
        }
    };
    if !reverting {
        for m in &now {
            runner::check_script(&m.up, m.transactional(), &m.path)?;
        }
    }
    work.todo = now
        .iter()
        .map(|m| format!("{} {}", m.version, m.name))
        .collect();
    let mut done = versions(&applied::recognise_squashed(migrations, runner.applied()?));
    for (i, m) in now.iter().enumerate() {
        if interrupt::interrupted() {
            return Err(Error::Interrupted);
        }
        if matches!(action, Action::Upgrade { .. }) {
            // `--all` or a version: a contract migration waits for its backfills, as in
            // `complete`.
            let rest = now.len() - i - 1;
            rollout::check_contract(runner.client(), migrations, &done, m, rest, target)?;
        }
        work.running = true;
        let result = if reverting {
            runner.revert(m)
        } else {
            runner.apply(m)
        };
        work.notes.extend(runner.take_notes());
        result?;
        work.running = false;
        done.push(m.version);
        work.finished.push(format!("{} {}", m.version, m.name));
    }
    let list = |ms: &[&Migration]| {
        ms.iter()
            .map(|m| m.version.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let wait = if waiting > 0 {
        format!("; {waiting} contract migration(s) wait for `complete`")
    } else {
        String::new()
    };
    Ok(match (action, now.is_empty()) {
        (Action::Upgrade { .. }, true) => format!("up to date{wait}"),
        (Action::Upgrade { .. }, false) => format!("applied {}{wait}", list(&now)),
        (Action::Complete, true) => "nothing to complete".into(),
        (Action::Complete, false) => format!("completed {}", list(&now)),
        (Action::Downgrade(_), true) => "nothing to downgrade".into(),
        (Action::Downgrade(_), false) => format!("reverted {}", list(&now)),
    })
}

fn versions(done: &[Applied]) -> Vec<i64> {
    done.iter().map(|a| a.version).collect()
}

/// One target's state, read without writing anything.
#[derive(Clone, Debug, Serialize)]
pub struct TargetStatus {
    pub target: String,
    /// The tenant schema of a schema-per-tenant fleet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
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
    /// The applied versions (a squash standing for those it replaced).
    #[serde(skip)]
    pub applied: Vec<i64>,
    /// `verify --schema`: what would bring the live schema back to what its applied
    /// migrations build, one line per step; empty when it has not drifted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift: Option<Vec<String>>,
    /// That as SQL, when it drifted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift_sql: Option<String>,
}

impl TargetStatus {
    pub fn ok(&self) -> bool {
        self.error.is_none() && self.pending == 0 && self.changed.is_empty()
    }

    /// `verify --schema` found drift.
    pub fn drifted(&self) -> bool {
        self.drift.as_ref().is_some_and(|d| !d.is_empty())
    }
}

/// Reads one target's version table.
pub fn status_target(target: &Target, config: &Config, migrations: &[Migration]) -> TargetStatus {
    let read = || -> Result<Vec<Applied>> {
        let mut client = connect(&target.info)?;
        let table = session::version_table(config, target.schema.as_deref());
        let done = Runner::new(&mut client, table, target.display()).applied()?;
        Ok(applied::recognise_squashed(migrations, done))
    };
    let mut status = match read() {
        Ok(done) => describe(target.display(), migrations, &done),
        Err(e) => TargetStatus {
            target: target.display(),
            schema: None,
            current: None,
            pending: 0,
            phase: String::new(),
            changed: vec![],
            error: Some(e.to_string()),
            applied: vec![],
            drift: None,
            drift_sql: None,
        },
    };
    status.schema = target.schema.clone();
    status
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
        schema: None,
        current: done.iter().map(|a| a.version).max(),
        pending: pending.iter().filter(|m| m.undo_of().is_none()).count(),
        phase: phase.to_string(),
        changed,
        error: None,
        applied: versions(done),
        drift: None,
        drift_sql: None,
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

/// Schema-per-tenant: every migration runs once per tenant schema with the search path
/// set to that schema, so a name qualified with a schema (`public.orders`, or any schema
/// of the database) would reach the same schema from every tenant. The files `action`
/// may run are refused at the first such name, before any target starts. `schemas` are
/// the database's schemas; `pg_catalog`, `information_schema` and the `shared` schemas
/// may be named.
pub fn check_unqualified(
    targets: &[Target],
    migrations: &[Migration],
    action: &Action,
    shared: &[String],
) -> Result<()> {
    let Some(first) = targets.first().filter(|t| t.schema.is_some()) else {
        return Ok(());
    };
    let mut client = connect(&first.info)?;
    let rows = client
        .query(
            "SELECT nspname::text FROM pg_catalog.pg_namespace \
             WHERE nspname NOT IN ('pg_catalog', 'information_schema')",
            &[],
        )
        .map_err(|e| Error::Database {
            what: "listing the database's schemas".into(),
            target: first.info.display(),
            reason: e.to_string(),
        })?;
    let mut schemas: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    schemas.push("public".into());
    // The shared schemas are the same for every tenant: naming them is what they are for.
    schemas.retain(|s| !shared.contains(s));
    for m in migrations {
        match action {
            Action::Downgrade(_) => {
                if let Some(down) = &m.down {
                    qualified_names(down, &runner::down_path(m), &schemas)?;
                }
            }
            _ => qualified_names(&m.up, &m.path, &schemas)?,
        }
    }
    Ok(())
}

/// The first name of `script` qualified with one of `schemas`, as an error at its place;
/// dollar-quoted bodies (`DO` blocks, functions) are read too.
fn qualified_names(script: &str, path: &Path, schemas: &[String]) -> Result<()> {
    match super::qualified::find(script, 0, schemas) {
        None => Ok(()),
        Some((at, schema, name)) => {
            let (line, column) = line_col(script, at);
            Err(Error::SqlFile {
                path: path.to_path_buf(),
                line,
                column,
                message: format!(
                    "`{name}` names the schema {schema:?}: in a schema-per-tenant fleet \
                     ([fleet] schemas) each migration runs once in every tenant's schema, \
                     with the search path set to it, and a qualified name would reach {schema:?} \
                     from every tenant; nothing was run"
                ),
                hint: Some(
                    "write the name without its schema; pgshift sets search_path to each \
                     tenant's schema, then [fleet] shared_schemas (pg_catalog, \
                     information_schema and the shared schemas may be named)"
                        .into(),
                ),
            })
        }
    }
}
