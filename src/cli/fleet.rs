//! `--fleet` for `upgrade`, `complete`, `downgrade`, `status` and `verify`: the same work
//! on every target of `[fleet]` in pgshift.toml (databases, or the schemas of one), with a
//! line per target and a table. A thin layer over `pgshift::migrate::fleet`.

use super::migrations::{database_url, open_project, DatabaseArgs};
use clap::{Args, ValueEnum};
use pgshift::migrate::fleet::{self, Action, Record, Rollout, State, Target, TargetStatus};
use pgshift::migrate::interrupt;
use pgshift::migrate::progress::Output;
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

/// The fleet's targets and order; the project's database runs `targets_query` (and holds
/// the tenant schemas of `schemas`, unless `[fleet] database` names another).
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
    let needs_home =
        config.targets_query.is_some() || (config.schemas.is_some() && config.database.is_none());
    let home = match (needs_home, database_url(db, &project.config)) {
        (true, Some(url)) => Some(ConnInfo::parse(&url)?),
        _ => None,
    };
    let targets = fleet::targets(config, home.as_ref())?;
    Ok((project, migrations, targets))
}

/// `upgrade --fleet`, `complete --fleet`, `downgrade --fleet`: canaries one by one, then
/// the rest `concurrency` at once; a line per target as it finishes, then a table. Exit 1
/// when a target failed, 130 when Ctrl-C or SIGTERM stopped the rollout.
pub fn run(db: &DatabaseArgs, action: Action, lock_wait: u64, quiet: bool) -> Result<i32> {
    let command = action.command();
    let (project, migrations, targets) = resolve(db, command)?;
    fleet::check_heads(&migrations, command)?;
    fleet::check_unqualified(
        &targets,
        &migrations,
        &action,
        &project.config.fleet.shared_schemas,
    )?;
    let config = &project.config;
    let waves = fleet::waves(&config.fleet, &targets)?;
    let canaries = waves
        .iter()
        .find(|w| w.one_by_one)
        .map_or(0, |w| w.targets.len());
    let _interrupts = interrupt::Guard::install();
    let rollout = Rollout {
        config,
        migrations: &migrations,
        dir: project.dir(),
        lock_wait: Duration::from_secs(lock_wait),
        output: match quiet {
            true => Output::Quiet,
            // Lines, never a bar: several targets print at once.
            false => Output::Lines,
        },
    };
    let each = |t: &Target| fleet::run_target(t, &rollout, &action);
    let report = |r: &Record| {
        let first = r.detail.lines().next().unwrap_or_default();
        outln!(
            "{}{} {}: {first}",
            r.state.as_str(),
            match r.wave.as_str() {
                "rest" | "" => String::new(),
                "canary" => " (canary)".into(),
                w => format!(" (wave {w})"),
            },
            r.target
        );
    };
    let what = match &action {
        Action::Upgrade { .. } => "upgrade".to_string(),
        Action::Complete => "complete".to_string(),
        Action::Downgrade(to) => format!("downgrade {to}"),
    };
    outln!(
        "Fleet {what}: {} targets, {} canar{}, concurrency {}, failure budget {}",
        targets.len(),
        canaries,
        if canaries == 1 { "y" } else { "ies" },
        config.fleet.concurrency,
        config.fleet.failure_budget
    );
    if !config.fleet.waves.is_empty() {
        let listed: Vec<String> = waves
            .iter()
            .map(|w| format!("{} ({})", w.name, w.targets.len()))
            .collect();
        outln!("Waves, in order: {}", listed.join(", "));
    }
    let records = fleet::roll_out(
        &targets,
        &waves,
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
                match r.wave.as_str() {
                    "rest" => String::new(),
                    w => w.to_string(),
                },
                r.state.as_str().into(),
                r.detail.lines().next().unwrap_or_default().into(),
            ]
        })
        .collect();
    out!(
        "\n{}",
        table(&["target", "wave", "result", "detail"], &rows)
    );
    let count = |s: State| records.iter().filter(|r| r.state == s).count();
    let (done, failed, interrupted, skipped) = (
        count(State::Done),
        count(State::Failed),
        count(State::Interrupted),
        count(State::Skipped),
    );
    let stopped = interrupt::interrupted();
    let interrupted_part = if stopped || interrupted > 0 {
        format!(", {interrupted} interrupted")
    } else {
        String::new()
    };
    outln!(
        "{done} done, {failed} failed{interrupted_part}, {skipped} not started{}",
        if stopped {
            format!(
                ": interrupted; run `pgshift {command} --fleet` again to finish (targets \
                 already done say so, nothing runs twice)"
            )
        } else if failed + skipped > 0 {
            format!(
                ": fix the failures and run `pgshift {command} --fleet` again (targets \
                 already done say so, nothing runs twice)"
            )
        } else {
            String::new()
        }
    );
    for r in records
        .iter()
        .filter(|r| matches!(r.state, State::Failed | State::Interrupted))
    {
        errln!("{}:\n  {}", r.target, r.detail.replace('\n', "\n  "));
    }
    Ok(if stopped || interrupted > 0 {
        130
    } else {
        i32::from(failed > 0)
    })
}

/// Every target's status, read `concurrency` at once, in target order.
fn statuses(
    config: &pgshift::migrate::project::Config,
    migrations: &[pgshift::migrate::Migration],
    targets: &[Target],
) -> Vec<TargetStatus> {
    let out: std::sync::Mutex<Vec<Option<TargetStatus>>> =
        std::sync::Mutex::new(vec![None; targets.len()]);
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..config.fleet.concurrency.max(1).min(targets.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(t) = targets.get(i) else { break };
                let st = fleet::status_target(t, config, migrations);
                out.lock().unwrap()[i] = Some(st);
            });
        }
    });
    out.into_inner().unwrap().into_iter().flatten().collect()
}

/// `status --fleet`: exit 1 unless every target is complete and unchanged.
pub fn status(db: &DatabaseArgs, format: ReportFormat) -> Result<i32> {
    let (project, migrations, targets) = resolve(db, "status")?;
    let all = statuses(&project.config, &migrations, &targets);
    print_statuses(&all, format, false)?;
    Ok(i32::from(!all.iter().all(TargetStatus::ok)))
}

/// `verify --fleet`: exit 1 when a target's applied files changed or it is unreachable;
/// with `--schema`, also when its live schema drifted from what its applied migrations
/// build (each tenant schema read as the model's).
pub fn verify(
    db: &DatabaseArgs,
    format: ReportFormat,
    schema: bool,
    dev_url: Option<String>,
) -> Result<i32> {
    let (project, migrations, targets) = resolve(db, "verify")?;
    let config = &project.config;
    let mut all = statuses(config, &migrations, &targets);
    if schema {
        let loader = pgshift::source::Loader::new(dev_url, config.introspect_options(&[]));
        pgshift::migrate::drift::fleet(&targets, &mut all, loader.scratch()?, &migrations, config);
    }
    print_statuses(&all, format, true)?;
    Ok(i32::from(all.iter().any(|s| {
        s.error.is_some() || !s.changed.is_empty() || s.drifted()
    })))
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
    let mut head = vec!["target", "current", "pending", "phase", last];
    let checked = all.iter().any(|s| s.drift.is_some());
    let rows = match checked {
        false => rows,
        true => {
            head.push("schema");
            rows.into_iter()
                .zip(all)
                .map(|(mut row, s)| {
                    row.push(match &s.drift {
                        None => String::new(),
                        Some(d) if d.is_empty() => "ok".into(),
                        Some(d) => format!("drifted: {} change{}", d.len(), plural(d.len())),
                    });
                    row
                })
                .collect()
        }
    };
    out!("{}", table(&head, &rows));
    for s in all.iter().filter(|s| s.drifted()) {
        let steps = s.drift.as_deref().unwrap_or_default();
        let path = match &s.schema {
            Some(t) => format!(" (with search_path set to {t:?}, as pgshift runs migrations)"),
            None => String::new(),
        };
        outln!(
            "\n{} has drifted from what its applied migrations build ({}). This SQL would \
             bring it back{path}:\n\n{}",
            s.target,
            steps.join("; "),
            s.drift_sql.as_deref().unwrap_or_default().trim_end()
        );
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
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
