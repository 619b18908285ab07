//! Merging a history with several heads: two branches each added migrations after the same
//! parent. The merge migration names every head as its parent and changes nothing; it is
//! written only when the branches do not change the same objects and all the migrations
//! apply one after another in version order, the order the runner uses.

use super::files::{self, Migration};
use super::project::{replay, Config, Generated};
use crate::diff::diff;
use crate::error::{Error, Result};
use crate::pg::ScratchServer;
use crate::plan::Plan;
use crate::render::migration::{self, Header};
use crate::render::Templates;
use crate::schema::ObjectId;
use std::collections::{BTreeMap, BTreeSet};

pub fn merge(
    server: &ScratchServer,
    existing: &[Migration],
    message: &str,
    config: &Config,
    templates: &Templates,
    now_unix: i64,
) -> Result<Generated> {
    let heads = files::heads(existing)?;
    if heads.len() < 2 {
        return Err(Error::History(format!(
            "nothing to merge: the migrations have {} head{}; `pgshift merge` joins two \
             branches that each added migrations after the same parent",
            heads.len(),
            if heads.len() == 1 { "" } else { "s" }
        )));
    }
    let lineages: Vec<BTreeSet<i64>> = heads.iter().map(|h| ancestors(existing, *h)).collect();
    let common: BTreeSet<i64> = lineages
        .iter()
        .skip(1)
        .fold(lineages[0].clone(), |acc, l| &acc & l);
    let table = config.version_table();
    let options = config.introspect_options(&[]);
    let pick = |versions: &BTreeSet<i64>| -> Vec<Migration> {
        existing
            .iter()
            .filter(|m| versions.contains(&m.version))
            .cloned()
            .collect()
    };
    let base = replay(server, &pick(&common), &table, &options)?;
    // Which branch changes which object, from the schema both branches start from.
    let mut changed: BTreeMap<ObjectId, Vec<i64>> = BTreeMap::new();
    for (head, lineage) in heads.iter().zip(&lineages) {
        let branch = replay(server, &pick(lineage), &table, &options)?;
        for change in diff(&base, &branch) {
            changed.entry(change.id()).or_default().push(*head);
        }
    }
    let conflicts: Vec<String> = changed
        .iter()
        .filter(|(_, heads)| heads.len() > 1)
        .map(|(id, heads)| {
            let heads: Vec<String> = heads.iter().map(i64::to_string).collect();
            format!("{id} (changed by the branches of {})", heads.join(" and "))
        })
        .collect();
    if !conflicts.is_empty() {
        return Err(Error::History(format!(
            "cannot merge: the branches change the same objects, so the result would depend \
             on which runs last:\n  {}\n  hint: keep one branch's change: delete (or edit) \
             the other branch's migration that makes it, regenerate it with `pgshift \
             generate` on top of the first branch, then merge if two heads remain",
            conflicts.join("\n  ")
        )));
    }
    replay(server, existing, &table, &options).map_err(|e| {
        Error::History(format!(
            "cannot merge: the migrations of the branches do not apply one after another in \
             version order, as `pgshift upgrade` runs them: {e}"
        ))
    })?;
    let (mut version, created) = files::timestamp(now_unix);
    if let Some(last) = existing.last() {
        version = version.max(last.version + 1);
    }
    let header = Header {
        version,
        parents: &heads,
        created: &created,
        message,
        phase: "merge",
        undo_of: None,
    };
    let empty = Plan { steps: vec![] };
    let sql = config.sql_options();
    let up = migration::up_sql(templates, &empty, &header, &sql)?;
    let down = migration::down_sql(templates, &empty, &empty, version, &sql)?;
    Ok(Generated::new(
        Migration {
            version,
            name: files::slug(message),
            up,
            down: Some(down),
            parents: heads.clone(),
            path: config.migrations(),
        },
        migration::sea_orm_header(templates, &empty, &header, &empty)?,
        "merge",
        &empty,
    ))
}

/// `head` and every migration it follows, through all parents.
fn ancestors(migrations: &[Migration], head: i64) -> BTreeSet<i64> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![head];
    while let Some(v) = todo.pop() {
        if !seen.insert(v) {
            continue;
        }
        if let Some(m) = migrations.iter().find(|m| m.version == v) {
            todo.extend(&m.parents);
        }
    }
    seen
}
