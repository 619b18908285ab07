//! Duplicate and redundant indexes: two with the same keys, or one whose keys are a
//! prefix of another's with the same method, predicate and INCLUDE list.

use super::tables;
use crate::lint::keys::{self, Keys};
use crate::lint::{Hit, Level, Rule};
use crate::schema::{ObjectId, Schema};

pub const RULE: Rule = Rule {
    code: "redundant-index",
    summary: "an index duplicates another or is a prefix of another",
    default_level: Level::Warn,
    check,
};

fn check(schema: &Schema, _: &crate::lint::LintConfig) -> Vec<Hit> {
    let mut out = vec![];
    for t in tables(schema) {
        let all = keys::of_table(t);
        // Only plain indexes are reported: a constraint's index is the constraint.
        for k in all.iter().filter(|k| !k.constraint) {
            // Of two identical plain indexes, the one with the later name is reported.
            let twin_after = |o: &Keys| {
                !o.constraint && o.unique == k.unique && o.elements == k.elements && o.name > k.name
            };
            let Some(other) = all
                .iter()
                .find(|o| o.name != k.name && covers(o, k) && !twin_after(o))
            else {
                continue;
            };
            let same = other.elements == k.elements;
            let what = if same {
                format!("has the same keys as {}", crate::sql::ident(&other.name))
            } else {
                format!(
                    "is a prefix of {} ({})",
                    crate::sql::ident(&other.name),
                    other.elements.join(", ")
                )
            };
            out.push(
                Hit::new(
                    ObjectId::Index(t.name.clone(), k.name.as_str().into()),
                    format!(
                        "index {} on {} ({}) {what}: every lookup it serves, the other serves \
                         too, while each INSERT and UPDATE writes both and both take space \
                         and cache",
                        crate::sql::ident(&k.name),
                        t.name,
                        k.elements.join(", ")
                    ),
                    format!(
                        "drop {} from the model (pgshift drops it CONCURRENTLY)",
                        crate::sql::ident(&k.name)
                    ),
                )
                .on_columns(&k.columns().into_iter().flatten().collect::<Vec<_>>()),
            );
        }
    }
    out
}

/// Whether `other` serves every lookup `k` serves and enforces what `k` enforces: same
/// method, predicate and INCLUDE list, `k`'s keys a prefix of its keys, and `k` not
/// unique unless `other` is unique on exactly the same keys.
fn covers(other: &Keys, k: &Keys) -> bool {
    other.method == k.method
        && other.predicate == k.predicate
        && other.rest == k.rest
        && other.elements.len() >= k.elements.len()
        && other.elements[..k.elements.len()] == k.elements[..]
        && (!k.unique || (other.unique && other.elements.len() == k.elements.len()))
}
