//! Applies and rolls back migrations on a live database, recording each in a version
//! table, under a PostgreSQL advisory lock so two runners at once never both apply.
//!
//! Each migration starts from a clean session (`RESET ALL`: a `SET` in one migration
//! never reaches the next; `DISCARD ALL` would also release the advisory lock). A
//! transactional migration runs statement by statement in one transaction with its
//! version row. A `-- no-transaction` migration runs statement by statement outside one,
//! each statement with the timeouts it needs (see `statement::runs_without_timeouts`)
//! unless the file sets its own, and each statement an interrupted run may have done
//! already is checked first (`resume`), so running it again after any interruption
//! finishes it.

use super::files::{Migration, NO_TRANSACTION};
use super::split::{line_col, offset_of_position, split, Statement};
use super::statement::{runs_without_timeouts, sets_timeouts, transaction_control};
use super::{interrupt, resume, version_table};
use crate::error::{Error, Result};
use crate::plan::SqlOptions;
use crate::schema::QualifiedName;
use crate::source::describe_pg_error;
use crate::sql::{literal, qualified};
use postgres::error::ErrorPosition;
use postgres::Client;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use super::version_table::Applied;

/// How far the last migration run got, for the report after an interruption.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub version: i64,
    pub name: String,
    pub transactional: bool,
    /// Statements that finished (and, outside a transaction, stay).
    pub done: usize,
    pub total: usize,
    /// Whether the version table records it (applied) or no longer does (reverted).
    pub recorded: bool,
}

pub struct Runner<'a> {
    client: &'a mut Client,
    table: QualifiedName,
    target: String,
    timeouts: Option<SqlOptions>,
    notes: Vec<String>,
    progress: Progress,
    /// On a scratch database, where migrations run as a role that is not a superuser:
    /// the connection with the server's rights that runs their `CREATE EXTENSION`s.
    extensions: Option<&'a mut Client>,
    /// Session parameters set for every migration after its `RESET ALL` (the
    /// `[backfill]` settings the generated backfills read).
    settings: Vec<(String, String)>,
}

impl<'a> Runner<'a> {
    /// `target` names the database in messages.
    pub fn new(client: &'a mut Client, table: QualifiedName, target: String) -> Runner<'a> {
        Runner {
            client,
            table,
            target,
            timeouts: None,
            notes: vec![],
            progress: Progress::default(),
            extensions: None,
            settings: vec![],
        }
    }

    /// Replays on a scratch database run as its owner, which may not create an untrusted
    /// extension (postgis, postgres_fdw, ...): a statement that is exactly `CREATE
    /// EXTENSION ...` runs on `admin` instead, written again by pgshift from the names it
    /// gives, as model loading does. Never for a live database.
    pub fn with_extensions_by(mut self, admin: &'a mut Client) -> Runner<'a> {
        self.extensions = Some(admin);
        self
    }

    /// The project's `lock_timeout` and `statement_timeout`, for the statements of
    /// `-- no-transaction` migrations that may be cut short (without it they run with
    /// the server's defaults).
    pub fn with_timeouts(mut self, timeouts: SqlOptions) -> Runner<'a> {
        self.timeouts = Some(timeouts);
        self
    }

    /// Session parameters for every migration (`pgshift.batch_rows`, ...).
    pub fn with_settings(mut self, settings: Vec<(String, String)>) -> Runner<'a> {
        self.settings = settings;
        self
    }

    /// What the runner did that the user should know (work an interrupted run had done
    /// already, found and kept or redone). Taken once.
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    /// How far the last `apply` or `revert` got.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    fn db_error(&self, what: &str) -> impl Fn(postgres::Error) -> Error + '_ {
        let what = what.to_string();
        move |e| Error::Database {
            what: what.clone(),
            target: self.target.clone(),
            reason: describe_pg_error(&e),
        }
    }

    /// Creates the version table (and its schema) when missing; writes nothing when it
    /// exists.
    pub fn ensure_table(&mut self) -> Result<()> {
        version_table::ensure(self.client, &self.table, &self.target)
    }

    /// The applied migrations; none when the version table does not exist. Never writes.
    pub fn applied(&mut self) -> Result<Vec<Applied>> {
        version_table::read(self.client, &self.table, &self.target)
    }

    /// Takes the advisory lock for this version table, waiting up to `wait`.
    pub fn lock(&mut self, wait: Duration) -> Result<()> {
        let key = lock_key(&self.table);
        // A wait too long to add to now is no deadline at all.
        let deadline = Instant::now().checked_add(wait);
        loop {
            let row = self
                .client
                .query_one("SELECT pg_try_advisory_lock($1)", &[&key]);
            let got: bool = row
                .map_err(self.db_error("taking the migration lock"))?
                .get(0);
            if got {
                return Ok(());
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Err(Error::Database {
                    what: "taking the migration lock".into(),
                    target: self.target.clone(),
                    reason: format!(
                        "another pgshift run holds it (advisory lock {key}); waited {}s: wait \
                         for it to finish or raise --lock-wait",
                        wait.as_secs()
                    ),
                });
            }
            if interrupt::interrupted() {
                return Err(Error::Interrupted);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn unlock(&mut self) {
        let _ = self
            .client
            .execute("SELECT pg_advisory_unlock($1)", &[&lock_key(&self.table)]);
    }

    /// Applies `m` and records it, in one transaction unless it is marked
    /// `-- no-transaction`; a failure leaves the version table as it was.
    pub fn apply(&mut self, m: &Migration) -> Result<()> {
        self.apply_as(
            m,
            Script {
                text: &m.up,
                transactional: m.transactional(),
                path: &m.path,
            },
        )
    }

    /// Applies `m` by running `script`, which may differ from `m.up` in where it comes
    /// from and how it runs: another tool's migration (a diesel `up.sql` with
    /// `run_in_transaction = false` in its metadata.toml, ...). Recorded as `apply` does.
    pub fn apply_as(&mut self, m: &Migration, script: Script) -> Result<()> {
        let record = format!(
            "INSERT INTO {} (version, name, checksum, execution_ms) VALUES ($1, $2, $3, $4)",
            qualified(&self.table)
        );
        let checksum = m.checksum();
        self.progress.recorded = false;
        self.run(
            m,
            script.text,
            script.transactional,
            script.path,
            &|client, ms| client.execute(&record, &[&m.version, &m.name, &checksum, &ms]),
        )?;
        self.progress.recorded = true;
        Ok(())
    }

    /// Runs the down script of `m` and removes its record.
    pub fn revert(&mut self, m: &Migration) -> Result<()> {
        let down = down_script(m)?;
        self.revert_as(
            m,
            Script {
                text: down,
                transactional: m.down_transactional(),
                path: &down_path(m),
            },
        )
    }

    /// Reverts `m` by running `script` (another tool's down file) and removes its record.
    pub fn revert_as(&mut self, m: &Migration, script: Script) -> Result<()> {
        // A squash migration's row may be the rows of the migrations it replaced.
        let forget = format!(
            "DELETE FROM {} WHERE version = ANY($1)",
            qualified(&self.table)
        );
        let mut versions = super::files::squashes(&m.up);
        versions.push(m.version);
        self.progress.recorded = true;
        self.run(
            m,
            script.text,
            script.transactional,
            script.path,
            &|client, _| client.execute(&forget, &[&versions]),
        )?;
        self.progress.recorded = false;
        Ok(())
    }

    fn run(
        &mut self,
        m: &Migration,
        script: &str,
        transactional: bool,
        path: &Path,
        record: &dyn Fn(&mut Client, i64) -> std::result::Result<u64, postgres::Error>,
    ) -> Result<()> {
        let statements = split(script);
        if transactional {
            refuse_transaction_control(script, &statements, path)?;
        }
        self.progress = Progress {
            version: m.version,
            name: m.name.clone(),
            transactional,
            done: 0,
            total: statements.len(),
            recorded: self.progress.recorded,
        };
        let started = Instant::now();
        let at = Located {
            m,
            path,
            script,
            transactional,
        };
        self.reset_session(&at)?;
        let bookkeeping = |e: postgres::Error| at.error(None, &e);
        if transactional {
            self.client.batch_execute("BEGIN").map_err(bookkeeping)?;
            for s in &statements {
                if let Err(e) = self.statement(&at, s) {
                    let _ = self.client.batch_execute("ROLLBACK");
                    return Err(e);
                }
                self.progress.done += 1;
            }
            let ms = started.elapsed().as_millis() as i64;
            let recorded =
                record(self.client, ms).and_then(|_| self.client.batch_execute("COMMIT"));
            if let Err(e) = recorded {
                let _ = self.client.batch_execute("ROLLBACK");
                return Err(bookkeeping(e));
            }
        } else {
            let own_timeouts = statements.iter().any(sets_timeouts);
            for s in &statements {
                if resume::already_done(self, &at, s)? {
                    self.progress.done += 1;
                    continue;
                }
                if !own_timeouts {
                    self.set_timeouts(runs_without_timeouts(s))
                        .map_err(bookkeeping)?;
                }
                self.statement(&at, s)?;
                self.progress.done += 1;
            }
            let ms = started.elapsed().as_millis() as i64;
            record(self.client, ms).map_err(bookkeeping)?;
        }
        Ok(())
    }

    /// A clean session: no setting of an earlier migration stays. Where the server can
    /// (PostgreSQL 14+), it also checks every second that pgshift is still connected,
    /// so a statement of a killed runner stops instead of running on.
    fn reset_session(&mut self, at: &Located) -> Result<()> {
        self.client
            .batch_execute(
                "RESET ALL; SELECT set_config('client_connection_check_interval', '1000', false) \
                 WHERE current_setting('server_version_num')::int >= 140000",
            )
            .map_err(|e| at.error(None, &e))?;
        for (name, value) in &self.settings {
            self.client
                .execute("SELECT set_config($1, $2, false)", &[name, value])
                .map_err(|e| at.error(None, &e))?;
        }
        Ok(())
    }

    fn set_timeouts(&mut self, none: bool) -> std::result::Result<(), postgres::Error> {
        let sql = match (&self.timeouts, none) {
            (_, true) => "SET lock_timeout = 0; SET statement_timeout = 0".to_string(),
            (Some(t), false) => format!(
                "SET lock_timeout = {}; SET statement_timeout = {}",
                literal(&t.lock_timeout),
                literal(&t.statement_timeout)
            ),
            (None, false) => "RESET lock_timeout; RESET statement_timeout".to_string(),
        };
        self.client.batch_execute(&sql)
    }

    /// Runs one statement of the migration so that an interrupt cancels it.
    fn statement(&mut self, at: &Located, s: &Statement) -> Result<()> {
        let sql = s.sql;
        if let Some(admin) = self.extensions.as_deref_mut() {
            if let Some(create) = crate::source::create_extension_statement(sql) {
                return admin
                    .batch_execute(&create)
                    .map_err(|e| at.error(Some(s), &e));
            }
        }
        match interrupt::cancellable(self.client, |c| c.batch_execute(sql)) {
            None => Err(Error::Interrupted),
            Some(Ok(())) => Ok(()),
            Some(Err(e)) if interrupt::interrupted() && is_cancel(&e) => Err(Error::Interrupted),
            Some(Err(e)) => Err(at.error(Some(s), &e)),
        }
    }

    /// For `resume`: the client, outside any statement of the migration.
    pub(super) fn client(&mut self) -> &mut Client {
        self.client
    }

    pub(super) fn note(&mut self, at: &Located, text: String) {
        self.notes
            .push(format!("{} {}: {text}", at.m.version, at.m.name));
    }

    /// Runs a statement of the runner's own (not the file's), cancellable.
    pub(super) fn own_statement(&mut self, at: &Located, sql: &str) -> Result<()> {
        match interrupt::cancellable(self.client, |c| c.batch_execute(sql)) {
            None => Err(Error::Interrupted),
            Some(Ok(())) => Ok(()),
            Some(Err(e)) if interrupt::interrupted() && is_cancel(&e) => Err(Error::Interrupted),
            Some(Err(e)) => Err(at.error(None, &e)),
        }
    }

    pub(super) fn lock_timeout(&self) -> String {
        self.timeouts
            .as_ref()
            .map_or_else(|| "5s".to_string(), |t| t.lock_timeout.clone())
    }

    pub(super) fn set_no_timeouts(&mut self) -> std::result::Result<(), postgres::Error> {
        self.set_timeouts(true)
    }
}

fn is_cancel(e: &postgres::Error) -> bool {
    e.code() == Some(&postgres::error::SqlState::QUERY_CANCELED)
}

/// A script to run as a migration's up or down, and how.
#[derive(Clone, Copy)]
pub struct Script<'s> {
    pub text: &'s str,
    pub transactional: bool,
    /// The file it was read from, for errors (`file:line:column`).
    pub path: &'s Path,
}

/// The file being run, for errors that point into it.
pub(super) struct Located<'m> {
    pub m: &'m Migration,
    pub path: &'m Path,
    pub script: &'m str,
    pub transactional: bool,
}

impl Located<'_> {
    pub fn error(&self, s: Option<&Statement>, e: &postgres::Error) -> Error {
        let location = s.map(|s| {
            let offset = match e.as_db_error().and_then(|d| d.position()) {
                Some(ErrorPosition::Original(p)) => offset_of_position(s, *p as usize),
                _ => s.start,
            };
            let (line, column) = line_col(self.script, offset);
            format!("{}:{line}:{column}", self.path.display())
        });
        let mut reason = describe_pg_error(e);
        if !self.transactional && s.is_some() {
            reason.push_str(
                "\n  note: this migration runs outside a transaction: the statements before \
                 this one stay done and it is not recorded. Fix the cause and run the command \
                 again: it runs the migration from the top, keeping an index an earlier run \
                 built and rebuilding one it left INVALID",
            );
        }
        Error::Migration {
            version: self.m.version,
            name: self.m.name.clone(),
            statement: s.map(Statement::code),
            location,
            reason,
        }
    }
}

/// A transactional migration must not end the transaction the runner runs it in: a
/// later failure would leave the statements before the COMMIT applied and no version row.
fn refuse_transaction_control(script: &str, statements: &[Statement], path: &Path) -> Result<()> {
    for s in statements {
        if let Some(words) = transaction_control(s) {
            let (line, column) = line_col(script, s.start);
            return Err(Error::SqlFile {
                path: path.to_path_buf(),
                line,
                column,
                message: format!(
                    "`{words}` controls the transaction pgshift runs this migration in: a \
                     failure after it would leave earlier statements applied with no version \
                     row; nothing was run"
                ),
                hint: Some(format!(
                    "remove it, or put `{NO_TRANSACTION}` on the first line of the file to run \
                     it outside a transaction, statement by statement, as written"
                )),
            });
        }
    }
    Ok(())
}

/// Checks `script` as the runner would before running it: transaction control in a
/// transactional migration is an error naming the line.
pub fn check_script(script: &str, transactional: bool, path: &Path) -> Result<()> {
    if transactional {
        refuse_transaction_control(script, &split(script), path)?;
    }
    Ok(())
}

pub fn down_path(m: &Migration) -> PathBuf {
    // A diesel migration's folder holds `up.sql` and `down.sql`.
    if m.path.file_name().is_some_and(|f| f == "up.sql") {
        return m.path.with_file_name("down.sql");
    }
    let up = m.path.display().to_string();
    match up.strip_suffix(".up.sql") {
        Some(stem) => PathBuf::from(format!("{stem}.down.sql")),
        None => m.path.clone(),
    }
}

pub fn down_script(m: &Migration) -> Result<&str> {
    m.down.as_deref().ok_or_else(|| Error::Migration {
        version: m.version,
        name: m.name.clone(),
        statement: None,
        location: None,
        reason: format!(
            "{} is missing: the migration cannot be reverted",
            down_path(m).display()
        ),
    })
}

/// A stable 64-bit key for the advisory lock of one version table (FNV-1a).
fn lock_key(table: &QualifiedName) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in format!("pgshift:{}", qualified(table)).bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

/// The header line that marks a migration for runners that honour it (pgshift, sqlx).
pub fn no_transaction_marker() -> &'static str {
    NO_TRANSACTION
}
