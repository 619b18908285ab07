//! Applying migrations in phases: `upgrade` (the expand phase: pending migrations up to
//! the first contract migration; `--all` or a target for everything) and `complete` (the
//! contract migrations, once the backfills they depend on are done). A thin layer over
//! `pgshift::migrate::rollout`.

use super::migrations::{database_url, listed, lock, open, open_project, RunArgs};
use clap::Args;
use pgshift::migrate::files::{self, Migration};
use pgshift::migrate::fleet::Action;
use pgshift::migrate::progress::{Monitor, Output};
use pgshift::migrate::rollout::{self, select, Phase};
use pgshift::migrate::session::{self, Session};
use pgshift::migrate::{applied, interrupt, project, runner, script, Runner};
use pgshift::source::{connect, ConnInfo};
use pgshift::{Error, Result};

#[derive(Args)]
pub struct UpgradeArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Apply every pending migration, the contract phase included (development, CI
    /// databases); a contract migration is refused, as by `complete`, while a backfill
    /// it depends on has rows left.
    #[arg(long)]
    all: bool,
    /// Every target of `[fleet]` in pgshift.toml: canaries first, then the rest
    /// `concurrency` at once, each with its own lock and version table (not with --sql:
    /// run `upgrade --sql --database URL` per target).
    #[arg(long, conflicts_with = "sql")]
    fleet: bool,
    /// The version to stop at, contract migrations included; by default the expand
    /// phase: every pending migration before the first contract migration.
    target: Option<i64>,
}

#[derive(Args)]
pub struct CompleteArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Every target of `[fleet]` in pgshift.toml, as `upgrade --fleet` runs them; a
    /// target whose backfill has rows left is refused (nothing run on it).
    #[arg(long, conflicts_with = "sql")]
    fleet: bool,
}

/// What waits for `complete`, and what must happen first.
fn waiting_message(waiting: &[&Migration]) -> String {
    let contract: Vec<String> = waiting
        .iter()
        .filter(|m| rollout::phase(m) == Phase::Contract && m.undo_of().is_none())
        .map(|m| format!("  {} {}", m.version, m.name))
        .collect();
    format!(
        "Stopped before the contract phase: {} migration{} wait{}:\n{}\nBefore `pgshift \
         complete`: deploy the application that no longer uses the old shape (the old \
         column names, NULLs in the new columns), and let the backfills finish (`complete` \
         checks them). `pgshift downgrade` now rolls the expand phase back.",
        contract.len(),
        if contract.len() == 1 { "" } else { "s" },
        if contract.len() == 1 { "s" } else { "" },
        contract.join("\n"),
    )
}

pub fn upgrade(args: UpgradeArgs) -> Result<i32> {
    if args.fleet {
        let action = Action::Upgrade {
            all: args.all,
            to: args.target,
        };
        return super::fleet::run(&args.run.db, action, args.run.lock_wait, args.run.quiet);
    }
    if args.run.sql {
        return upgrade_sql(&args);
    }
    run(&args.run, "upgrade", &|migrations, applied, _| {
        let s = select(migrations, applied, args.target, args.all);
        Ok((versions(&s.now), versions(&s.waiting)))
    })
}

pub fn complete(args: CompleteArgs) -> Result<i32> {
    if args.fleet {
        let (db, wait) = (&args.run.db, args.run.lock_wait);
        return super::fleet::run(db, Action::Complete, wait, args.run.quiet);
    }
    if args.run.sql {
        return complete_sql(&args);
    }
    run(&args.run, "complete", &|migrations, applied, info| {
        let contract = rollout::contract_to_run(migrations, applied)?;
        if !contract.is_empty() {
            let mut client = connect(info)?;
            rollout::refuse_unfinished(
                &mut client,
                migrations,
                applied,
                &contract,
                &info.display(),
            )?;
        }
        Ok((versions(&contract), vec![]))
    })
}

/// Before a migration that `upgrade` (with `--all` or a target) is about to apply: for a
/// contract migration, the check of `complete` on the versions applied so far.
fn check_contract(
    info: &ConnInfo,
    migrations: &[Migration],
    applied: &[i64],
    m: &Migration,
    rest: usize,
) -> Result<()> {
    if rollout::contract_backfills(migrations, applied, m).is_empty() {
        return Ok(());
    }
    let mut client = connect(info)?;
    rollout::check_contract(&mut client, migrations, applied, m, rest, &info.display())
}

fn versions(migrations: &[&Migration]) -> Vec<i64> {
    migrations.iter().map(|m| m.version).collect()
}

/// Picks, of the migrations and the applied versions, the versions to apply now and
/// those that wait.
type Choose<'a> = dyn Fn(&[Migration], &[i64], &ConnInfo) -> Result<(Vec<i64>, Vec<i64>)> + 'a;

/// Opens the project and database, takes the lock, and applies what `choose` picks of the
/// pending migrations, with progress; then says what waits.
fn run(args: &RunArgs, command: &str, choose: &Choose<'_>) -> Result<i32> {
    let (project, migrations, info) = open(&args.db, command)?;
    let config = &project.config;
    let _interrupts = interrupt::Guard::install();
    let output = Output::detect(args.quiet);
    let mut session = Session::open(&info, None, config, (output, None))?;
    let pid = session.pid;
    let mut runner = session.runner();
    // Lock first: two runners must not even create the version table at once.
    if let Some(code) = lock(&mut runner, args.lock_wait)? {
        return Ok(code);
    }
    let result = (|| -> Result<i32> {
        let applied = session::prepare(&mut runner, &migrations, &project.dir(), command)?;
        let heads = files::heads(&migrations)?;
        if heads.len() > 1 {
            return Err(project::multiple_heads(&migrations, &heads, command));
        }
        let applied_versions: Vec<i64> = applied.iter().map(|a| a.version).collect();
        let (now, waiting) = choose(&migrations, &applied_versions, &info)?;
        let pick = |vs: &[i64]| -> Vec<&Migration> {
            migrations
                .iter()
                .filter(|m| vs.contains(&m.version))
                .collect()
        };
        let (now, waiting) = (pick(&now), pick(&waiting));
        // Every file is checked before the first one runs.
        for m in &now {
            runner::check_script(&m.up, m.transactional(), &m.path)?;
        }
        if now.is_empty() && waiting.is_empty() {
            match command {
                "complete" => outln!("Nothing to complete: no contract migration is pending."),
                _ => outln!("Up to date."),
            }
        }
        let newest = applied_versions.iter().copied().max();
        // `complete` checked its backfills before anything ran; `upgrade` checks before
        // each contract migration it applies, after the backfills of this run.
        let mut done = applied_versions.clone();
        let mut guard = |m: &Migration, rest: usize| -> Result<()> {
            if command == "upgrade" {
                check_contract(&info, &migrations, &done, m, rest)?;
            }
            done.push(m.version);
            Ok(())
        };
        let code = apply(&mut runner, &now, newest, &info, (pid, output), &mut guard)?;
        if code == 0 && !waiting.is_empty() {
            outln!("{}", waiting_message(&waiting));
        }
        Ok(code)
    })();
    runner.unlock();
    result
}

/// Checks a migration before it runs, given how many of the run come after it.
type Guard<'a> = dyn FnMut(&Migration, usize) -> Result<()> + 'a;

/// Applies `pending` in order, each once `guard` lets it, printing each; 130 when
/// interrupted.
fn apply(
    runner: &mut Runner,
    pending: &[&Migration],
    newest: Option<i64>,
    info: &ConnInfo,
    (pid, output): (i32, Output),
    guard: &mut Guard<'_>,
) -> Result<i32> {
    let mut finished = vec![];
    for (i, m) in pending.iter().enumerate() {
        guard(m, pending.len() - i - 1)?;
        let result = {
            let _progress = Monitor::start(info, pid, output);
            runner.apply(m)
        };
        for note in runner.take_notes() {
            outln!("note: {note}");
        }
        match result {
            Ok(()) => {}
            Err(Error::Interrupted) => {
                let rest = listed(pending[i + 1..].iter().map(|m| (&m.version, &m.name)));
                let report =
                    applied::interruption_report(&finished, runner.progress(), &rest, false);
                errln!("{report}");
                return Ok(130);
            }
            Err(e) => return Err(e),
        }
        match newest.filter(|n| *n > m.version) {
            // Another branch's migration, older than what this database already has
            // (it came in with a merge): it still runs, and the user is told.
            Some(n) => outln!(
                "applied {} {} (out of order: newer migration {n} was already applied; it comes from another branch)",
                m.version, m.name
            ),
            None => match m.undo_of() {
                Some(of) => outln!(
                    "recorded {} {} (holds a part of the downgrade of {of}; its up does nothing)",
                    m.version, m.name
                ),
                None => outln!("applied {} {}", m.version, m.name),
            },
        }
        finished.push(format!("{} {}", m.version, m.name));
        if interrupt::interrupted() && i + 1 < pending.len() {
            let rest = listed(pending[i + 1..].iter().map(|m| (&m.version, &m.name)));
            errln!(
                "{}",
                applied::interruption_report(&finished, &Default::default(), &rest, false)
            );
            return Ok(130);
        }
    }
    Ok(0)
}

/// The applied versions `--sql` builds on: none without a database URL, else read.
fn sql_applied(
    run: &RunArgs,
    command: &str,
) -> Result<(pgshift::migrate::Project, Vec<Migration>, Vec<i64>, String)> {
    let (project, migrations) = open_project(&run.db, command)?;
    let config = &project.config;
    let table = config.version_table();
    let (applied, origin) = match database_url(&run.db, config) {
        None => (
            vec![],
            format!(
                "no database given (--database or ${}): every migration is included",
                config.database_url_env
            ),
        ),
        Some(url) => {
            let info = ConnInfo::parse(&url)?;
            let mut client = connect(&info)?;
            let applied = Runner::new(&mut client, table.clone(), info.display()).applied()?;
            let applied = applied::recognise_squashed(&migrations, applied);
            applied::check_files(&migrations, &applied, &project.dir(), command, true)?;
            (applied, format!("those not applied to {}", info.display()))
        }
    };
    let heads = files::heads(&migrations)?;
    if heads.len() > 1 {
        return Err(project::multiple_heads(&migrations, &heads, command));
    }
    let versions = applied.iter().map(|a| a.version).collect();
    Ok((project, migrations, versions, origin))
}

/// `upgrade --sql`: the migrations `upgrade` would apply, as a psql script. With no
/// database URL at all, every migration is pending; with one, the database is read
/// (never written).
fn upgrade_sql(args: &UpgradeArgs) -> Result<i32> {
    let (project, migrations, applied, origin) = sql_applied(&args.run, "upgrade")?;
    let s = select(&migrations, &applied, args.target, args.all);
    let config = &project.config;
    out!(
        "{}",
        script::upgrade_script(
            &config.version_table(),
            &s.now,
            &config.sql_options(),
            &config.backfill.settings(),
            &origin
        )?
    );
    if !s.waiting.is_empty() {
        let note = waiting_message(&s.waiting);
        for line in note.lines() {
            outln!("-- {}", pgshift::sql::comment(line));
        }
    }
    Ok(0)
}

/// `complete --sql`: the contract migrations as a psql script (the backfills are not
/// checked: there may be no database to check them on).
fn complete_sql(args: &CompleteArgs) -> Result<i32> {
    let (project, migrations, applied, origin) = sql_applied(&args.run, "complete")?;
    let contract = rollout::contract_to_run(&migrations, &applied)?;
    let config = &project.config;
    out!(
        "{}",
        script::upgrade_script(
            &config.version_table(),
            &contract,
            &config.sql_options(),
            &config.backfill.settings(),
            &origin
        )?
    );
    Ok(0)
}
