//! `--fleet` for `upgrade`, `status` and `verify`: the same work on every database of
//! `[fleet]` in pgshift.toml, with a line per target and a table. A thin layer over
//! `pgshift::migrate::fleet`.

use super::migrations::{database_url, open_project, DatabaseArgs};
use clap::{Args, ValueEnum};
use pgshift::migrate::fleet::{self, Record, State, Target, TargetStatus};
use pgshift::source::ConnInfo;
use pgshift::{Error, Result};
use std::time::Duration;

/// How a fleet report is printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    #[default]
    Text,
    Json,
}

/// `--fleet` and `--format` of `status` and `verify`.
#[derive(Args)]
pub struct FleetArgs {
    /// Every target of `[fleet]` in pgshift.toml instead of one database: a table.
    #[arg(long)]
    pub fleet: bool,
    /// With --fleet: a text table or JSON.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// The fleet's targets and order; the project's database runs `targets_query`.
fn resolve(
    db: &DatabaseArgs,
    command: &str,
) -> Result<(
    pgshift::migrate::Project,
    Vec<pgshift::migrate::Migration>,
    Vec<Target>,
)> {
    let (project, migrations) = open_project(db, command)?;
    let config = &project.config.fleet;
    let home = match (&config.targets_query, database_url(db, &project.config)) {
        (Some(_), Some(url)) => Some(ConnInfo::parse(&url)?),
        _ => None,
    };
    let targets = fleet::targets(config, home.as_ref())?;
    Ok((project, migrations, targets))
}

/// `upgrade --fleet`: canaries one by one, then the rest `concurrency` at once; exit 1
/// when a target failed.
pub fn upgrade(db: &DatabaseArgs, all: bool, lock_wait: u64) -> Result<i32> {
    let (project, migrations, targets) = resolve(db, "upgrade")?;
    fleet::check_heads(&migrations, "upgrade")?;
    let config = &project.config;
    let (canaries, rest) = fleet::order(&config.fleet, &targets)?;
    let dir = project.dir();
    let each = |t: &Target| {
        fleet::upgrade_target(
            t,
            config,
            &migrations,
            &dir,
            all,
            Duration::from_secs(lock_wait),
        )
    };
    let report = |r: &Record| {
        let first = r.detail.lines().next().unwrap_or_default();
        outln!(
            "{}{} {}: {first}",
            r.state.as_str(),
            if r.canary { " (canary)" } else { "" },
            r.target
        );
    };
    outln!(
        "Fleet upgrade: {} targets, {} canar{}, concurrency {}, failure budget {}",
        targets.len(),
        canaries.len(),
        if canaries.len() == 1 { "y" } else { "ies" },
        config.fleet.concurrency,
        config.fleet.failure_budget
    );
    let records = fleet::roll_out(
        &targets,
        (&canaries, &rest),
        config.fleet.concurrency,
        config.fleet.failure_budget,
        &each,
        &report,
    );
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            vec![
                r.target.clone(),
                if r.canary { "canary" } else { "" }.into(),
                r.state.as_str().into(),
                r.detail.lines().next().unwrap_or_default().into(),
            ]
        })
        .collect();
    out!("\n{}", table(&["target", "", "result", "detail"], &rows));
    let failed = records.iter().filter(|r| r.state == State::Failed).count();
    let skipped = records.iter().filter(|r| r.state == State::Skipped).count();
    outln!(
        "{} done, {failed} failed, {skipped} not started{}",
        records.len() - failed - skipped,
        if failed + skipped > 0 {
            ": fix the failures and run `pgshift upgrade --fleet` again (targets already \
             upgraded are up to date)"
        } else {
            ""
        }
    );
    for r in records.iter().filter(|r| r.state == State::Failed) {
        errln!("{}:\n  {}", r.target, r.detail.replace('\n', "\n  "));
    }
    Ok(i32::from(failed > 0))
}

/// Every target's status, read `concurrency` at once, in target order.
fn statuses(db: &DatabaseArgs, command: &str) -> Result<Vec<TargetStatus>> {
    let (project, migrations, targets) = resolve(db, command)?;
    let config = &project.config;
    let out: std::sync::Mutex<Vec<Option<TargetStatus>>> =
        std::sync::Mutex::new(vec![None; targets.len()]);
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..config.fleet.concurrency.max(1).min(targets.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(t) = targets.get(i) else { break };
                let st = fleet::status_target(t, config, &migrations);
                out.lock().unwrap()[i] = Some(st);
            });
        }
    });
    Ok(out.into_inner().unwrap().into_iter().flatten().collect())
}

/// `status --fleet`: exit 1 unless every target is complete and unchanged.
pub fn status(db: &DatabaseArgs, format: ReportFormat) -> Result<i32> {
    let all = statuses(db, "status")?;
    print_statuses(&all, format, false)?;
    Ok(i32::from(!all.iter().all(TargetStatus::ok)))
}

/// `verify --fleet`: exit 1 when a target's applied files changed or it is unreachable.
pub fn verify(db: &DatabaseArgs, format: ReportFormat, schema: bool) -> Result<i32> {
    if schema {
        return Err(Error::History(
            "`verify --fleet --schema` is not supported yet: run `verify --schema` on one \
             target with --database"
                .into(),
        ));
    }
    let all = statuses(db, "verify")?;
    print_statuses(&all, format, true)?;
    Ok(i32::from(
        all.iter()
            .any(|s| s.error.is_some() || !s.changed.is_empty()),
    ))
}

fn print_statuses(all: &[TargetStatus], format: ReportFormat, verify: bool) -> Result<()> {
    if format == ReportFormat::Json {
        let text = serde_json::to_string_pretty(all).map_err(|e| Error::History(e.to_string()))?;
        outln!("{text}");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = all
        .iter()
        .map(|s| {
            let mut row = vec![
                s.target.clone(),
                s.current
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "base".into()),
                s.pending.to_string(),
                s.phase.clone(),
            ];
            let last = match &s.error {
                Some(e) => format!("error: {}", e.lines().next().unwrap_or_default()),
                None if s.changed.is_empty() => "ok".into(),
                None => format!("changed: {}", s.changed.join(", ")),
            };
            row.push(last);
            row
        })
        .collect();
    let last = if verify { "files" } else { "state" };
    out!(
        "{}",
        table(&["target", "current", "pending", "phase", last], &rows)
    );
    Ok(())
}

/// A plain text table, columns padded to their widest cell.
fn table(head: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..head.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([head[c].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(head.to_vec());
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}
