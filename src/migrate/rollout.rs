//! Rollout in phases: which pending migrations `upgrade` applies (the expand phase, up to
//! the first contract migration), which `complete` applies (the contract migrations that
//! follow), and whether the backfills a contract depends on are finished.
//!
//! A migration's phase is the `-- phase:` line of its header, which `generate` writes
//! (`expand`, `contract (...)`, `merge`); a migration without one (written by hand) is
//! taken as expand. A backfill's `DO` block names its table and the condition a row still
//! to fill matches (`plan::rules::backfill`); `complete` counts those rows.

use super::files::{self, Migration};
use crate::error::{Error, Result};
use crate::plan::rules::backfill::{PENDING_MARKER, TABLE_MARKER};
use postgres::Client;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Expand,
    Contract,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Expand => "expand",
            Phase::Contract => "contract",
        }
    }
}

/// The phase a migration's header gives it.
pub fn phase(m: &Migration) -> Phase {
    match files::header(&m.up, "phase") {
        Some(p) if p.starts_with("contract") => Phase::Contract,
        _ => Phase::Expand,
    }
}

/// What `upgrade` runs of `pending` (in order): everything before the first contract
/// migration; and the rest, which waits for `complete`.
pub fn expand_part<'a>(pending: &[&'a Migration]) -> (Vec<&'a Migration>, Vec<&'a Migration>) {
    let first_contract = pending
        .iter()
        .position(|m| phase(m) == Phase::Contract)
        .unwrap_or(pending.len());
    (
        pending[..first_contract].to_vec(),
        pending[first_contract..].to_vec(),
    )
}

/// Which pending migrations `upgrade` runs now (up to `target`, or all, or the expand
/// phase), and which wait for `complete`.
pub struct Selection<'a> {
    pub now: Vec<&'a Migration>,
    pub waiting: Vec<&'a Migration>,
}

pub fn select<'a>(
    migrations: &'a [Migration],
    applied: &[i64],
    target: Option<i64>,
    all: bool,
) -> Selection<'a> {
    let target = target.map(|t| with_undo_parts(migrations, t));
    let pending: Vec<&Migration> = migrations
        .iter()
        .filter(|m| !applied.contains(&m.version))
        .filter(|m| target.is_none_or(|t| m.version <= t))
        .collect();
    if all || target.is_some() {
        return Selection {
            now: pending,
            waiting: vec![],
        };
    }
    let (now, waiting) = expand_part(&pending);
    Selection { now, waiting }
}

/// An upgrade target with the undo parts of its migration: they hold the first parts of
/// its downgrade, so a migration is applied with them or not at all.
fn with_undo_parts(migrations: &[Migration], target: i64) -> i64 {
    let owner = files::owner(migrations, target);
    files::undo_parts(migrations, owner)
        .iter()
        .map(|m| m.version)
        .fold(target, i64::max)
}

/// What `complete` runs of `pending`: the contract migrations at its head, up to the next
/// expand migration (the start of another rollout, for `upgrade`). An error when the
/// head is an expand migration: the expand phase is not applied yet.
pub fn contract_part<'a>(pending: &[&'a Migration]) -> Result<Vec<&'a Migration>> {
    let Some(first) = pending.first() else {
        return Ok(vec![]);
    };
    if phase(first) == Phase::Expand {
        return Err(Error::History(format!(
            "cannot complete: migration {} {} of the expand phase is not applied yet; \
             nothing was run.\n  hint: run `pgshift upgrade` first (it applies the expand \
             phase and stops before the contract), deploy the application, then `pgshift \
             complete`",
            first.version, first.name
        )));
    }
    let end = pending
        .iter()
        .position(|m| phase(m) == Phase::Expand)
        .unwrap_or(pending.len());
    Ok(pending[..end].to_vec())
}

/// The contract migrations `complete` runs, of those not in `applied`.
pub fn contract_to_run<'a>(
    migrations: &'a [Migration],
    applied: &[i64],
) -> Result<Vec<&'a Migration>> {
    let pending: Vec<&Migration> = migrations
        .iter()
        .filter(|m| !applied.contains(&m.version))
        .collect();
    contract_part(&pending)
}

/// `complete`'s check before anything runs: an error naming every backfill of the
/// rollout `contract` closes with rows still to fill.
pub fn refuse_unfinished(
    client: &mut Client,
    migrations: &[Migration],
    applied: &[i64],
    contract: &[&Migration],
    target: &str,
) -> Result<()> {
    let lines = unfinished_lines(client, migrations, applied, contract, target)?;
    if lines.is_empty() {
        return Ok(());
    }
    Err(Error::History(format!(
        "cannot complete: a backfill the contract phase depends on is unfinished; nothing \
         was run.\n{}\n  hint: {}, and `pgshift complete` again",
        lines.join("\n"),
        REFILL_HINT
    )))
}

/// A backfill of a migration: its table and the condition of a row still to fill.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backfill {
    pub version: i64,
    pub name: String,
    /// Quoted, as the file says it.
    pub table: String,
    pub pending: String,
}

/// The backfills in a migration's up file.
pub fn backfills(m: &Migration) -> Vec<Backfill> {
    let mut out = vec![];
    let mut table = None;
    for line in m.up.lines().map(str::trim_start) {
        if let Some(t) = line.strip_prefix(TABLE_MARKER) {
            table = Some(t.trim().to_string());
        } else if let (Some(p), Some(t)) = (line.strip_prefix(PENDING_MARKER), table.take()) {
            out.push(Backfill {
                version: m.version,
                name: m.name.clone(),
                table: t,
                pending: p.trim().to_string(),
            });
        }
    }
    out
}

/// The backfills the contract migrations `contract` depend on: those of the applied
/// migrations since the last applied contract migration (the current rollout).
pub fn rollout_backfills(
    migrations: &[Migration],
    applied: &[i64],
    contract: &[&Migration],
) -> Vec<Backfill> {
    let Some(first) = contract.first() else {
        return vec![];
    };
    let since = migrations
        .iter()
        .filter(|m| applied.contains(&m.version) && m.version < first.version)
        .filter(|m| phase(m) == Phase::Contract)
        .map(|m| m.version)
        .max()
        .unwrap_or(i64::MIN);
    migrations
        .iter()
        .filter(|m| applied.contains(&m.version) && m.version > since && m.version < first.version)
        .flat_map(backfills)
        .collect()
}

/// How many rows each backfill still has to fill; those with none left are left out.
pub fn unfinished(
    client: &mut Client,
    backfills: &[Backfill],
    target: &str,
) -> Result<Vec<(Backfill, i64)>> {
    let mut out = vec![];
    for b in backfills {
        // The table and condition are the file's own text, which pgshift generated from
        // quoted names (and which the checksum ties to what was applied).
        let sql = format!("SELECT count(*) FROM {} WHERE ({})", b.table, b.pending);
        let rows: i64 = client
            .query_one(&sql, &[])
            .map_err(|e| Error::Database {
                what: format!(
                    "counting the rows the backfill of migration {} {} has not filled",
                    b.version, b.name
                ),
                target: target.to_string(),
                reason: crate::source::describe_pg_error(&e),
            })?
            .get(0);
        if rows > 0 {
            out.push((b.clone(), rows));
        }
    }
    Ok(out)
}

/// The backfills of the rollout `contract` closes with rows still to fill, a line each;
/// none when every one is finished.
pub fn unfinished_lines(
    client: &mut Client,
    migrations: &[Migration],
    applied: &[i64],
    contract: &[&Migration],
    target: &str,
) -> Result<Vec<String>> {
    let backfills = rollout_backfills(migrations, applied, contract);
    Ok(unfinished(client, &backfills, target)?
        .iter()
        .map(|(b, rows)| {
            format!(
                "  migration {} {}: {rows} row{} of {} still match `{}`",
                b.version,
                b.name,
                if *rows == 1 { "" } else { "s" },
                b.table,
                b.pending
            )
        })
        .collect())
}

/// What to do about an unfinished backfill (`complete`, `upgrade --all`).
pub const REFILL_HINT: &str = "rows written since the backfill ran, by an application that \
     does not set the new column, need it too: deploy the application that does, then run \
     the backfill again (`pgshift downgrade` is not needed: run its file with `psql -f`, it \
     only fills the rows still to fill)";

/// The backfills a migration about to be applied depends on, when it is a contract
/// migration: those of the rollout it closes, on the versions `applied` so far.
pub fn contract_backfills(
    migrations: &[Migration],
    applied: &[i64],
    m: &Migration,
) -> Vec<Backfill> {
    match phase(m) {
        Phase::Contract => rollout_backfills(migrations, applied, &[m]),
        Phase::Expand => vec![],
    }
}

/// `complete`'s check, for a contract migration that `upgrade --all` (or to a target,
/// or of a fleet) is about to apply after the migrations before it in the same run:
/// an error naming the unfinished backfills, with `rest` migrations after it not run.
pub fn check_contract(
    client: &mut Client,
    migrations: &[Migration],
    applied: &[i64],
    m: &Migration,
    rest: usize,
    target: &str,
) -> Result<()> {
    if contract_backfills(migrations, applied, m).is_empty() {
        return Ok(());
    }
    let lines = unfinished_lines(client, migrations, applied, &[m], target)?;
    if lines.is_empty() {
        return Ok(());
    }
    Err(Error::History(format!(
        "cannot apply contract migration {} {}: a backfill it depends on is unfinished; \
         the migrations before it are applied, it and the {rest} after it were not run.\n{}\n  \
         hint: {REFILL_HINT}, then `pgshift complete` (or `pgshift upgrade --all`) again",
        m.version,
        m.name,
        lines.join("\n")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn m(version: i64, phase: &str, body: &str) -> Migration {
        Migration {
            version,
            name: format!("m{version}"),
            up: format!("-- pgshift migration: {version}\n-- phase: {phase}\n\n{body}"),
            down: None,
            parents: vec![],
            path: PathBuf::new(),
        }
    }

    #[test]
    fn upgrade_stops_before_the_first_contract_and_complete_takes_the_contract_run() {
        let all = [
            m(1, "expand", ""),
            m(2, "expand", ""),
            m(3, "contract (run after ...)", ""),
            m(4, "contract (run after ...)", ""),
            m(5, "expand", ""),
        ];
        let pending: Vec<&Migration> = all.iter().collect();
        let (now, waiting) = expand_part(&pending);
        assert_eq!(now.iter().map(|m| m.version).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(waiting.len(), 3);
        let err = contract_part(&pending).unwrap_err().to_string();
        assert!(err.contains("pgshift upgrade"), "{err}");
        let contract = contract_part(&waiting).unwrap();
        assert_eq!(
            contract.iter().map(|m| m.version).collect::<Vec<_>>(),
            [3, 4]
        );
    }

    #[test]
    fn backfills_are_read_from_their_markers_in_the_current_rollout() {
        let body = crate::plan::rules::backfill::batched_update(
            &crate::schema::QualifiedName::new("public", "t"),
            Some("id"),
            "x = 1",
            "x IS NULL",
        );
        let all = [
            m(1, "expand", &body),
            m(2, "contract (...)", ""),
            m(3, "expand", &body),
            m(4, "contract (...)", ""),
        ];
        assert_eq!(
            backfills(&all[0]),
            [Backfill {
                version: 1,
                name: "m1".into(),
                table: "public.t".into(),
                pending: "x IS NULL".into(),
            }]
        );
        let found = rollout_backfills(&all, &[1, 2, 3], &[&all[3]]);
        assert_eq!(found.iter().map(|b| b.version).collect::<Vec<_>>(), [3]);
    }
}
