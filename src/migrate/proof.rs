//! Proves a history's downs: on one scratch database, for every migration in order,
//! apply its up, run its down and compare the schema with the one before the up (the
//! catalog comparison the round-trip tests use: both read back with `introspect`, equal
//! as data, and the difference written as the SQL that would restore it), then apply the
//! up again and go on. Where a down leaves the database in another state, the history is
//! replayed again on a new database through that migration, so the next one is tested
//! from where its up really starts.

use super::foreign::{ForeignMigration, History};
use super::project::strip_version_table;
use super::runner::Runner;
use super::split::split;
use crate::error::{Error, Result};
use crate::pg::{ScratchDatabase, ScratchServer};
use crate::plan::plan;
use crate::schema::{QualifiedName, Schema};
use crate::source::{introspect, IntrospectOptions};
use postgres::Client;
use std::ops::Range;
use std::path::PathBuf;

/// What was found for one migration.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Its down restores the schema before it exactly.
    Restores,
    /// The tool has no down for it (refinery, a one-file sqlx migration): the up ran.
    NoDownByDesign(&'static str),
    /// Its down file does not exist.
    MissingDown,
    /// Its down file holds no statement, while its up changes the schema. The SQL that
    /// would restore the schema before it.
    EmptyDown { restore: String },
    /// Its down failed (the error, with file:line:column).
    DownFails { error: String },
    /// Its down ran but left another schema; the SQL that would restore the one before.
    NotRestored { restore: String },
    /// Its up failed when run again after its down.
    UpAgainFails { error: String },
    /// Its up failed: the history cannot be tested past it.
    UpFails { error: String },
    /// Not tested: an earlier up failed.
    NotReached,
    /// An `_undo_N` part of the migration labelled so: tested with it, as one step.
    PartOf(String),
}

impl Verdict {
    /// Whether this is a problem to report (exit 1).
    pub fn is_problem(&self) -> bool {
        !matches!(
            self,
            Verdict::Restores | Verdict::NoDownByDesign(_) | Verdict::PartOf(_)
        )
    }

    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Restores => "ok",
            Verdict::NoDownByDesign(_) => "no down",
            Verdict::MissingDown => "MISSING",
            Verdict::EmptyDown { .. } => "EMPTY",
            Verdict::DownFails { .. } => "FAILS",
            Verdict::NotRestored { .. } => "DIFFERS",
            Verdict::UpAgainFails { .. } => "UP AGAIN",
            Verdict::UpFails { .. } => "UP FAILS",
            Verdict::NotReached => "skipped",
            Verdict::PartOf(_) => "part",
        }
    }
}

/// One migration's result.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub label: String,
    pub name: String,
    /// The up file.
    pub path: PathBuf,
    /// The down file (or where it would be).
    pub down_path: PathBuf,
    pub verdict: Verdict,
    /// With the data proof: rows or values that did not survive the up or the down.
    pub data: Vec<String>,
}

impl Outcome {
    pub fn is_problem(&self) -> bool {
        self.verdict.is_problem() || !self.data.is_empty()
    }
}

/// What happens around each migration besides the schema check (the data proof).
pub trait Observer {
    /// Before the up runs, on the schema before it.
    fn before_up(&mut self, client: &mut Client, before: &Schema) -> Result<()>;
    /// After the up ran: problems with the rows, none when they survived.
    fn after_up(
        &mut self,
        client: &mut Client,
        m: &ForeignMigration,
        after: &Schema,
    ) -> Result<Vec<String>>;
    /// After the down restored the schema: problems with the rows.
    fn after_down(&mut self, client: &mut Client, m: &ForeignMigration) -> Result<Vec<String>>;
}

/// Tests every migration of `history` on databases of `server`, in order.
pub fn prove(
    server: &ScratchServer,
    history: &History,
    table: &QualifiedName,
    options: &IntrospectOptions,
    mut observer: Option<&mut dyn Observer>,
) -> Result<Vec<Outcome>> {
    let mut work = Work::new(server, table)?;
    let mut before = work.snapshot(options)?;
    let mut out = vec![];
    let mut stopped = false;
    for unit in units(&history.migrations) {
        let members = &history.migrations[unit.clone()];
        let m = &members[0];
        let outcome = |verdict, data| Outcome {
            label: m.label.clone(),
            name: m.migration.name.clone(),
            path: m.migration.path.clone(),
            down_path: m.down_path.clone(),
            verdict,
            data,
        };
        let parts = |out: &mut Vec<Outcome>, verdict: &Verdict| {
            for part in &members[1..] {
                out.push(Outcome {
                    label: part.label.clone(),
                    name: part.migration.name.clone(),
                    path: part.migration.path.clone(),
                    down_path: part.down_path.clone(),
                    verdict: match verdict {
                        Verdict::NotReached => Verdict::NotReached,
                        _ => Verdict::PartOf(m.label.clone()),
                    },
                    data: vec![],
                });
            }
        };
        if stopped {
            out.push(outcome(Verdict::NotReached, vec![]));
            parts(&mut out, &Verdict::NotReached);
            continue;
        }
        if let Some(o) = observer.as_deref_mut() {
            o.before_up(&mut work.client, &before)?;
        }
        if let Err(e) = work.up_all(members) {
            out.push(outcome(
                Verdict::UpFails {
                    error: described(e)?,
                },
                vec![],
            ));
            parts(&mut out, &Verdict::NotReached);
            stopped = true;
            continue;
        }
        let after = work.snapshot(options)?;
        let mut data = vec![];
        if let Some(o) = observer.as_deref_mut() {
            data.extend(o.after_up(&mut work.client, m, &after)?);
        }
        let (mut verdict, in_step) = check_down(&mut work, members, &before, &after, options)?;
        if verdict == Verdict::Restores {
            if let Some(o) = observer.as_deref_mut() {
                for found in o.after_down(&mut work.client, m)? {
                    // What the up lost is not back after the down either: said once.
                    if !data.contains(&found) {
                        data.push(found);
                    }
                }
            }
        }
        // Back to the schema after the up: run it again where the down restored the
        // schema before it, else start over from a replay.
        if in_step == Step::Restored {
            if let Err(e) = work.up_all(members) {
                verdict = Verdict::UpAgainFails {
                    error: described(e)?,
                };
                work = Work::replayed(server, table, &history.migrations[..unit.end])?;
            } else if work.snapshot(options)?.comparable() != after.comparable() {
                work = Work::replayed(server, table, &history.migrations[..unit.end])?;
            }
        } else if in_step == Step::Elsewhere {
            work = Work::replayed(server, table, &history.migrations[..unit.end])?;
        }
        out.push(outcome(verdict.clone(), data));
        parts(&mut out, &verdict);
        before = after;
    }
    Ok(out)
}

/// The migrations tested as one step: each migration with the `_undo_N` parts that follow
/// it (pgshift writes a down that needs several transactions as extra migrations whose
/// downs hold its first parts), as `downgrade` reverts them.
fn units(migrations: &[ForeignMigration]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = vec![];
    for (i, m) in migrations.iter().enumerate() {
        match (m.migration.undo_of(), out.last_mut()) {
            (Some(of), Some(last)) if migrations[last.start].migration.version == of => {
                last.end = i + 1
            }
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// Where the database is after the down check.
#[derive(PartialEq, Eq)]
enum Step {
    /// Still after the up (no down ran, or it failed in its transaction).
    AfterUp,
    /// Back at the schema before the up.
    Restored,
    /// Somewhere else.
    Elsewhere,
}

/// Reverts a unit (its undo parts newest first, then the migration) and compares.
fn check_down(
    work: &mut Work,
    members: &[ForeignMigration],
    before: &Schema,
    after: &Schema,
    options: &IntrospectOptions,
) -> Result<(Verdict, Step)> {
    let mut downs = vec![];
    for part in members.iter().rev() {
        let Some(down) = part.down() else {
            return Ok(match part.no_down_by_design {
                Some(why) => (Verdict::NoDownByDesign(why), Step::AfterUp),
                None => (Verdict::MissingDown, Step::AfterUp),
            });
        };
        downs.push((part, down));
    }
    let empty = downs.iter().all(|(_, down)| split(down.text).is_empty());
    for (i, (part, down)) in downs.into_iter().enumerate() {
        if let Err(e) = work.runner().revert_as(&part.migration, down) {
            let error = described(e)?;
            // Nothing changed when the first down failed in its own transaction.
            let step = if down.transactional && i == 0 {
                Step::AfterUp
            } else {
                Step::Elsewhere
            };
            return Ok((Verdict::DownFails { error }, step));
        }
    }
    let restored = work.snapshot(options)?;
    match difference(&restored, before)? {
        None => Ok((Verdict::Restores, Step::Restored)),
        Some(restore) if empty => {
            let step = if restored.comparable() == after.comparable() {
                Step::AfterUp
            } else {
                Step::Elsewhere
            };
            Ok((Verdict::EmptyDown { restore }, step))
        }
        Some(restore) => Ok((Verdict::NotRestored { restore }, Step::Elsewhere)),
    }
}

/// None when `actual` is `wanted` as data; else the SQL that turns one into the other
/// (or, where pgshift writes no SQL for the difference, the objects that differ).
pub fn difference(actual: &Schema, wanted: &Schema) -> Result<Option<String>> {
    let (a, w) = (actual.comparable(), wanted.comparable());
    if a == w {
        return Ok(None);
    }
    let sql = match plan(&a, &w) {
        Ok(p) if !p.is_empty() => p.to_sql(),
        Ok(_) => String::new(),
        Err(e) => format!("-- pgshift cannot write this difference as SQL: {e}\n"),
    };
    if !sql.is_empty() {
        return Ok(Some(sql));
    }
    let (a, w) = (
        serde_json::to_value(&a).unwrap_or_default(),
        serde_json::to_value(&w).unwrap_or_default(),
    );
    let mut differing = vec![];
    if let (Some(a), Some(w)) = (a.as_object(), w.as_object()) {
        let kinds: std::collections::BTreeSet<&String> = a.keys().chain(w.keys()).collect();
        for kind in kinds {
            let (a_objects, w_objects) = (
                a.get(kind).cloned().unwrap_or_default(),
                w.get(kind).cloned().unwrap_or_default(),
            );
            if a_objects != w_objects {
                differing.push(format!(
                    "{kind} ({})",
                    named(&a_objects, &w_objects).join(", ")
                ));
            }
        }
    }
    Ok(Some(format!(
        "-- the schemas differ in what pgshift writes no SQL for: {}\n",
        differing.join(", ")
    )))
}

/// The entries of two JSON maps or lists that differ: their keys, or for lists of objects
/// their `identity` (the unsupported objects).
fn named(a: &serde_json::Value, b: &serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    let label = |v: &Value| -> String {
        v.get("identity")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string())
    };
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            keys.into_iter()
                .filter(|k| a.get(*k) != b.get(*k))
                .cloned()
                .collect()
        }
        (Value::Array(a), Value::Array(b)) => a
            .iter()
            .filter(|v| !b.contains(v))
            .chain(b.iter().filter(|v| !a.contains(v)))
            .map(label)
            .collect(),
        (Value::Array(x), _) | (_, Value::Array(x)) => x.iter().map(label).collect(),
        (Value::Object(x), _) | (_, Value::Object(x)) => x.keys().cloned().collect(),
        _ => vec![],
    }
}

/// A migration's failure, as text for the report; interruptions stay errors.
fn described(e: Error) -> Result<String> {
    match e {
        Error::Interrupted => Err(e),
        e => Ok(crate::sql::terminal(&e.to_string())),
    }
}

/// The scratch database the history runs on, and its two connections.
struct Work<'s> {
    client: Client,
    admin: Client,
    table: QualifiedName,
    // Dropped last: the database outlives its connections.
    db: ScratchDatabase<'s>,
}

impl<'s> Work<'s> {
    fn new(server: &'s ScratchServer, table: &QualifiedName) -> Result<Work<'s>> {
        let db = server.create_database()?;
        let mut w = Work {
            client: db.connect()?,
            admin: db.connect_admin()?,
            table: table.clone(),
            db,
        };
        w.runner().ensure_table()?;
        Ok(w)
    }

    /// A new database with the ups of `migrations` applied.
    fn replayed(
        server: &'s ScratchServer,
        table: &QualifiedName,
        migrations: &[ForeignMigration],
    ) -> Result<Work<'s>> {
        let mut w = Work::new(server, table)?;
        for m in migrations {
            w.up(m)?;
        }
        Ok(w)
    }

    fn runner(&mut self) -> Runner<'_> {
        Runner::new(&mut self.client, self.table.clone(), self.db.describe())
            .with_extensions_by(&mut self.admin)
    }

    fn up(&mut self, m: &ForeignMigration) -> Result<()> {
        self.runner().apply_as(&m.migration, m.up())
    }

    fn up_all(&mut self, members: &[ForeignMigration]) -> Result<()> {
        members.iter().try_for_each(|m| self.up(m))
    }

    fn snapshot(&mut self, options: &IntrospectOptions) -> Result<Schema> {
        let mut s = introspect(&mut self.client, options, &self.db.describe())?;
        strip_version_table(&mut s, &self.table);
        Ok(s)
    }
}
