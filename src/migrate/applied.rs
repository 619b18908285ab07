//! What the version table says against what is on disk: applied migrations whose file
//! is missing or changed, which migrations a downgrade target reverts, and what to tell
//! the user when a run is interrupted.

use super::files::{self, Migration};
use super::runner::{down_script, Progress};
use super::version_table::Applied;
use crate::error::{Error, Result};
use std::path::Path;

/// The version rows as the migrations on disk know them: where a squash migration
/// (`-- squashes:` header, see `squash`) replaced migrations this database applied, their
/// rows stand for it (with its name and checksum); a row of its own is kept as it is.
pub fn recognise_squashed(migrations: &[Migration], mut applied: Vec<Applied>) -> Vec<Applied> {
    for s in migrations {
        let replaced = files::squashes(&s.up);
        if replaced.is_empty()
            || applied
                .iter()
                .any(|a| a.version == s.version && a.checksum == s.checksum())
        {
            continue;
        }
        let Some(last) = applied
            .iter()
            .filter(|a| replaced.contains(&a.version))
            .max_by_key(|a| a.version)
            .cloned()
        else {
            continue;
        };
        applied.retain(|a| !replaced.contains(&a.version) && a.version != s.version);
        applied.push(Applied {
            version: s.version,
            name: s.name.clone(),
            checksum: s.checksum(),
            ..last
        });
    }
    applied.sort_by_key(|a| a.version);
    applied
}

/// Refuses when an applied migration has no file in `dir`, or (with `checksums`) when its
/// file changed since it was applied: `command` would build on a history it cannot see.
pub fn check_files(
    migrations: &[Migration],
    applied: &[Applied],
    dir: &Path,
    command: &str,
    checksums: bool,
) -> Result<()> {
    for a in applied {
        match migrations.iter().find(|m| m.version == a.version) {
            None => return Err(missing(a, dir, command)),
            Some(m) if checksums && m.checksum() != a.checksum => {
                return Err(Error::History(format!(
                    "cannot {command}: {} changed since it was applied (checksum {} now, {} \
                     when applied); nothing was run.\n  hint: restore the file as it was \
                     applied (git history) and put the change in a new migration (`pgshift \
                     generate`)",
                    m.path.display(),
                    m.checksum(),
                    a.checksum
                )))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

pub fn missing(a: &Applied, dir: &Path, command: &str) -> Error {
    Error::History(format!(
        "cannot {command}: migration {} ({}) is applied to this database, but its file is \
         missing from {}; nothing was run.\n  hint: restore {}_{}.up.sql and .down.sql from \
         git history (`git log --all --diff-filter=D --name-only -- {}`) or a backup; this \
         is not a second branch, so `pgshift merge` will not help",
        a.version,
        a.name,
        dir.display(),
        a.version,
        a.name,
        dir.display()
    ))
}

/// The applied migrations `target` reverts, newest first: `-N` the newest N, a version
/// the ones above it (it stays applied; it must be applied), `base` all. Anything else
/// is an error, and so is asking for more steps than are applied.
///
/// `owner` maps a version to the migration it is one step with: a migration's `_undo_N`
/// parts (which hold the first parts of its downgrade) count as one step with it, and
/// going back to a version keeps its undo parts applied.
pub fn downgrade_targets<'a>(
    target: &str,
    applied: &'a [Applied],
    owner: &dyn Fn(i64) -> i64,
) -> Result<Vec<&'a Applied>> {
    let newest_first = applied.iter().rev();
    let usage = "use -N to revert the newest N migrations, an applied VERSION to go back to \
                 (it stays applied), or base to revert them all; nothing was reverted";
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if target == "base" {
        return Ok(newest_first.collect());
    }
    let mut steps: Vec<i64> = applied.iter().map(|a| owner(a.version)).collect();
    steps.sort_unstable();
    steps.dedup();
    if let Some(n) = target.strip_prefix('-').filter(|n| all_digits(n)) {
        let n: usize = n.parse().unwrap_or(usize::MAX);
        if n == 0 {
            return Err(Error::History(format!(
                "downgrade target {target:?} reverts nothing: {usage}"
            )));
        }
        if n > steps.len() {
            return Err(Error::History(format!(
                "cannot revert {n} migrations: {} applied; {usage}",
                steps.len()
            )));
        }
        let reverted = &steps[steps.len() - n..];
        return Ok(newest_first
            .filter(|a| reverted.contains(&owner(a.version)))
            .collect());
    }
    if all_digits(target) {
        if let Some(v) = target
            .parse::<i64>()
            .ok()
            .filter(|v| applied.iter().any(|a| a.version == *v))
        {
            let kept = owner(v);
            return Ok(newest_first
                .filter(|a| a.version > v && owner(a.version) != kept)
                .collect());
        }
        let versions: Vec<String> = applied.iter().map(|a| a.version.to_string()).collect();
        return Err(Error::History(format!(
            "{target} is not an applied migration (applied: {}); {usage}",
            if versions.is_empty() {
                "none".to_string()
            } else {
                versions.join(", ")
            }
        )));
    }
    Err(Error::History(format!(
        "{target:?} is not a downgrade target: {usage}"
    )))
}

/// The migrations `downgrade TARGET` reverts, newest first, each found and its down file
/// checked before the first one runs: `-N`, an applied VERSION, `base`, or `expand` (the
/// expand phase that waits for `complete`). A migration's undo parts go with it, also
/// those an interrupted upgrade left unrecorded (their ups do nothing).
pub fn revert_plan<'m>(
    migrations: &'m [Migration],
    applied: &[Applied],
    target: &str,
    dir: &Path,
) -> Result<Vec<&'m Migration>> {
    let owner = |v: i64| files::owner(migrations, v);
    let target = match target {
        "expand" => expand_target(migrations, applied)?,
        other => other.to_string(),
    };
    let targets = downgrade_targets(&target, applied, &owner)?;
    let mut to_revert: Vec<&Migration> = vec![];
    for a in &targets {
        let m = migrations
            .iter()
            .find(|m| m.version == a.version)
            .ok_or_else(|| missing(a, dir, "downgrade"))?;
        to_revert.push(m);
        for part in files::undo_parts(migrations, m.version) {
            if !applied.iter().any(|a| a.version == part.version) {
                to_revert.push(part);
            }
        }
    }
    to_revert.sort_by_key(|m| std::cmp::Reverse(m.version));
    for m in &to_revert {
        let down = down_script(m)?;
        super::runner::check_script(down, m.down_transactional(), &super::runner::down_path(m))?;
    }
    Ok(to_revert)
}

/// `downgrade expand`: the version to go back to so that the expand phase waiting for
/// `complete` is rolled back: the applied migrations `generate` wrote together with the
/// first waiting contract migration (the same `-- created:` header) are reverted.
fn expand_target(migrations: &[Migration], applied: &[Applied]) -> Result<String> {
    use super::rollout::{phase, Phase};
    let is_applied = |m: &Migration| applied.iter().any(|a| a.version == m.version);
    let nothing = |why: &str| {
        Error::History(format!(
            "{why}, so there is no expand phase to roll back; nothing was reverted.\n  hint: \
             use -N or a VERSION to revert applied migrations"
        ))
    };
    let waiting = migrations
        .iter()
        .filter(|m| !is_applied(m))
        .find(|m| phase(m) == Phase::Contract)
        .ok_or_else(|| nothing("no contract migration waits for `pgshift complete`"))?;
    let created = files::header(&waiting.up, "created")
        .ok_or_else(|| nothing("the waiting contract migration has no `-- created:` header"))?;
    let first = migrations
        .iter()
        .filter(|m| is_applied(m) && files::header(&m.up, "created").as_ref() == Some(&created))
        .map(|m| m.version)
        .min()
        .ok_or_else(|| nothing("no applied migration belongs to the waiting contract phase"))?;
    Ok(applied
        .iter()
        .map(|a| a.version)
        .filter(|v| *v < first)
        .max()
        .map_or_else(|| "base".to_string(), |v| v.to_string()))
}

/// The data-loss warnings of a migration's down file (its `-- warning:` lines and its
/// `-- hazard DATA_LOSS` lines).
pub fn data_loss_warnings(m: &Migration) -> Vec<String> {
    let Ok(down) = down_script(m) else {
        return vec![];
    };
    down.lines()
        .filter_map(|l| l.strip_prefix("-- "))
        .filter(|l| l.starts_with("warning:") || l.starts_with("hazard DATA_LOSS"))
        .map(str::to_string)
        .collect()
}

/// What an interrupted `upgrade` (or `downgrade`, `reverting`) did and did not record.
pub fn interruption_report(
    finished: &[String],
    progress: &Progress,
    not_started: &[String],
    reverting: bool,
) -> String {
    let (did, verb) = if reverting {
        ("reverted", "revert")
    } else {
        ("applied", "upgrade")
    };
    let mut out = String::from(
        "interrupted: the server stopped the running statement; nothing else will run",
    );
    out.push_str(&format!(
        "\n  {did} and recorded: {}",
        if finished.is_empty() {
            "none".to_string()
        } else {
            finished.join(", ")
        }
    ));
    if progress.total > 0 || progress.version != 0 {
        let which = format!("{} {}", progress.version, progress.name);
        let state = if progress.transactional {
            "it ran in a transaction, rolled back: nothing of it stays".to_string()
        } else {
            format!(
                "it runs outside a transaction: {} of {} statements finished and stay. Run \
                 `pgshift {verb}` again to finish it (an index left INVALID is dropped and \
                 rebuilt, one already built is kept)",
                progress.done, progress.total
            )
        };
        let recorded = if progress.recorded {
            "still recorded as applied"
        } else {
            "not recorded as applied"
        };
        out.push_str(&format!("\n  interrupted: {which}, {recorded}; {state}"));
    }
    if !not_started.is_empty() {
        out.push_str(&format!("\n  not started: {}", not_started.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(versions: &[i64]) -> Vec<Applied> {
        versions
            .iter()
            .map(|v| Applied {
                version: *v,
                name: format!("m{v}"),
                checksum: String::new(),
                applied_at: String::new(),
                applied_by: String::new(),
                execution_ms: 0,
            })
            .collect()
    }

    #[test]
    fn downgrade_targets_are_steps_applied_versions_or_base() {
        let a = applied(&[10, 20, 30]);
        let versions = |t: &str| -> Result<Vec<i64>> {
            Ok(downgrade_targets(t, &a, &|v| v)?
                .iter()
                .map(|a| a.version)
                .collect())
        };
        assert_eq!(versions("-1").unwrap(), [30]);
        assert_eq!(versions("-2").unwrap(), [30, 20]);
        assert_eq!(versions("-3").unwrap(), [30, 20, 10]);
        assert_eq!(versions("base").unwrap(), [30, 20, 10]);
        assert_eq!(versions("10").unwrap(), [30, 20]);
        assert_eq!(versions("30").unwrap(), Vec::<i64>::new());
        for bad in [
            "-4",
            "0",
            "1",
            "-0",
            "junk",
            "",
            "+1",
            "-1x",
            "99999999999999999999",
        ] {
            assert!(versions(bad).is_err(), "{bad:?} must be refused");
        }
        let err = versions("1").unwrap_err().to_string();
        assert!(
            err.contains("applied: 10, 20, 30") && err.contains("nothing was reverted"),
            "{err}"
        );
    }

    /// 20 has two undo parts (21, 22) and 30 one (31): each counts as one step with them.
    #[test]
    fn undo_parts_are_one_step_with_their_migration() {
        let a = applied(&[10, 20, 21, 22, 30, 31]);
        let owner = |v: i64| match v {
            21 | 22 => 20,
            31 => 30,
            v => v,
        };
        let versions = |t: &str| -> Result<Vec<i64>> {
            Ok(downgrade_targets(t, &a, &owner)?
                .iter()
                .map(|a| a.version)
                .collect())
        };
        assert_eq!(versions("-1").unwrap(), [31, 30]);
        assert_eq!(versions("-2").unwrap(), [31, 30, 22, 21, 20]);
        assert_eq!(versions("-3").unwrap(), [31, 30, 22, 21, 20, 10]);
        assert!(versions("-4").is_err());
        assert_eq!(versions("20").unwrap(), [31, 30]);
        assert_eq!(versions("21").unwrap(), [31, 30]);
        assert_eq!(versions("10").unwrap(), [31, 30, 22, 21, 20]);
    }
}
