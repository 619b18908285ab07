//! Citus placement changes on tables that exist on both sides: distributing, making a
//! reference or Citus local table, undistributing, a new distribution column or shard
//! count, a new colocation group. (A new table gets its placement in its CREATE step,
//! see `build::create_table`, before anything can use it.)
//!
//! - `create_distributed_table`, `create_reference_table`, `undistribute_table` and
//!   `alter_distributed_table` copy every row into new shards (or back) and block writes
//!   to the table while they do; reads go on. Citus documents this for each function
//!   (<https://docs.citusdata.com/en/stable/develop/api_udf.html>): a `DATA_MOVE` hazard.
//! - Citus refuses to undistribute a table that a foreign key connects to another Citus
//!   table (unless all of them go), and `alter_distributed_table` drops foreign keys that
//!   would no longer hold between colocated tables. So the foreign keys on such a table
//!   are dropped in its step, before the call, and added back afterwards (`NOT VALID`, then
//!   validated, as for any new foreign key on an existing table).
//! - `update_distributed_table_colocation` only changes metadata (no rows move): for a
//!   change of colocation group alone.

use super::add_constraint;
use crate::error::{Error, Result};
use crate::plan::{Hazard, HazardCode, Step};
use crate::schema::{Citus, Constraint, ConstraintKind, ObjectId, QualifiedName, Schema, Table};
use crate::sql::{ddl, ident, qualified};
use std::collections::BTreeSet;

/// Adds the steps for every placement change between `old` and `new` on tables present in
/// both, and takes over the drops of the foreign keys those steps must drop first.
pub fn placement_changes(old: &Schema, new: &Schema, steps: &mut Vec<Step>) {
    let moved: Vec<(&Table, &Table)> = new
        .tables
        .values()
        .filter_map(|n| old.tables.get(&n.name).map(|o| (o, n)))
        .filter(|(o, n)| o.citus != n.citus && o.partition_key == n.partition_key)
        .collect();
    if moved.is_empty() {
        return;
    }
    let mut dropped_fks: BTreeSet<ObjectId> = BTreeSet::new();
    let mut added = vec![];
    // Old distribution columns the new schema drops: Citus refuses to drop a distribution
    // column, so the drop must follow the placement change.
    let mut retired_columns = vec![];
    let mut placed: Vec<QualifiedName> = vec![];
    for (o, n) in moved {
        if let Some(Citus::Distributed { column, .. }) = &o.citus {
            if n.column(column).is_none() {
                retired_columns.push(ObjectId::Column(n.name.clone(), column.clone()));
            }
        }
        let moves_rows = moves_rows(o.citus.as_ref(), n.citus.as_ref());
        // Its own object in the graph, not the table: a column the placement needs is
        // added before it, while what needs the table (a column added) need not wait.
        let mut step = Step::new(describe(&n.name, o.citus.as_ref(), n.citus.as_ref()))
            .creates(ObjectId::Placement(n.name.clone()))
            .in_own_transaction();
        if moves_rows {
            let mut drops_fks = false;
            for (table, c) in foreign_keys_touching(old, &n.name) {
                let id = ObjectId::Constraint(table.clone(), c.name.clone());
                if dropped_fks.insert(id.clone()) {
                    drops_fks = true;
                    step = step
                        .sql(ddl::drop_constraint(table, &c.name))
                        .drops(id.clone());
                    // Kept in the new schema as it was: added back after the call.
                    let kept = new
                        .tables
                        .get(table)
                        .and_then(|t| t.constraints.get(&c.name))
                        == Some(c);
                    if kept {
                        added.push((table.clone(), c.clone()));
                    }
                }
            }
            step = step
                .long_running()
                .hazard(data_move(&n.name, n.citus.as_ref(), drops_fks));
        }
        for s in calls(&n.name, o.citus.as_ref(), n.citus.as_ref()) {
            step = step.sql(s);
        }
        if let Some(Citus::Distributed {
            column,
            colocate_with,
            ..
        }) = &n.citus
        {
            step.needs
                .push(ObjectId::Column(n.name.clone(), column.clone()));
            if let Some(anchor) = colocate_with {
                step.needs.push(ObjectId::Table(anchor.clone()));
                step.needs.push(ObjectId::Placement(anchor.clone()));
            }
        }
        placed.push(n.name.clone());
        steps.push(step);
    }
    for column in &retired_columns {
        let ObjectId::Column(table, _) = column else {
            continue;
        };
        let placement_id = ObjectId::Placement(table.clone());
        let placement = steps
            .iter()
            .position(|s| s.creates.first() == Some(&placement_id) && s.chain.is_none());
        let drop = steps
            .iter()
            .position(|s| s.drops.contains(column) && s.chain.is_none());
        if let (Some(p), Some(d)) = (placement, drop) {
            steps[p].chain = Some((column.clone(), 0));
            steps[d].chain = Some((column.clone(), 1));
        }
    }
    // The diff's own drop of a foreign key this plan now drops in a placement step.
    steps.retain(|s| {
        !(s.creates.is_empty() && s.drops.len() == 1 && dropped_fks.contains(&s.drops[0]))
    });
    for (table, c) in added {
        let id = ObjectId::Constraint(table.clone(), c.name.clone());
        let add = Step::new(format!(
            "add back foreign key {} on {table}",
            ident(&c.name)
        ))
        .sql(ddl::add_constraint(&table, &c))
        .creates(id);
        steps.extend(add_constraint::on_existing(&table, &c, false, add));
    }
    // Foreign keys added to or from a table whose placement changes (new ones, or ones
    // added back) come after the placement: Citus checks them against it.
    for s in steps.iter_mut() {
        let mut needs = vec![];
        for id in &s.creates {
            let ObjectId::Constraint(table, name) = id else {
                continue;
            };
            let Some(c) = new.tables.get(table).and_then(|t| t.constraints.get(name)) else {
                continue;
            };
            if c.kind != ConstraintKind::ForeignKey {
                continue;
            }
            for t in std::iter::once(table).chain(c.references.as_ref()) {
                if placed.contains(t) {
                    needs.push(ObjectId::Placement(t.clone()));
                }
            }
        }
        s.needs.extend(needs);
    }
}

/// Citus refuses to change the type of a distribution column in place ("cannot execute
/// ALTER TABLE command involving partition column"; Citus docs, "Modifying Tables":
/// statements "which would modify a distribution column" are prohibited): an error
/// naming the column, never a migration that fails half-way.
pub fn check_changes(old: &Schema, new: &Schema) -> Result<()> {
    for n in new.tables.values() {
        let Some(o) = old.tables.get(&n.name) else {
            continue;
        };
        let (
            Some(Citus::Distributed { column: oc, .. }),
            Some(Citus::Distributed { column: nc, .. }),
        ) = (&o.citus, &n.citus)
        else {
            continue;
        };
        let (Some(before), Some(after)) = (o.column(oc), n.column(nc)) else {
            continue;
        };
        if oc == nc && before.data_type != after.data_type {
            return Err(Error::Plan(format!(
                "{}.{} is the distribution column of {}: Citus cannot change its type from {} \
                 to {} in place; distribute the table by another column (or undistribute it) \
                 in one migration, change the type in the next, then distribute it back",
                n.name,
                ident(nc),
                n.name,
                before.data_type,
                after.data_type
            )));
        }
    }
    Ok(())
}

/// The foreign keys of `old` on `table` or referencing it, by (table, constraint).
fn foreign_keys_touching<'a>(
    old: &'a Schema,
    table: &QualifiedName,
) -> Vec<(&'a QualifiedName, &'a Constraint)> {
    old.tables
        .values()
        .flat_map(|t| t.constraints.values().map(move |c| (&t.name, c)))
        .filter(|(t, c)| {
            c.kind == ConstraintKind::ForeignKey
                && (*t == table || c.references.as_ref() == Some(table))
        })
        .collect()
}

/// Whether the change copies the table's rows (everything but a Citus local table's
/// metadata and a change of colocation group alone).
fn moves_rows(o: Option<&Citus>, n: Option<&Citus>) -> bool {
    match (o, n) {
        (None, Some(Citus::Local)) => false,
        (
            Some(Citus::Distributed {
                column: c1,
                shard_count: s1,
                ..
            }),
            Some(Citus::Distributed {
                column: c2,
                shard_count: s2,
                ..
            }),
        ) => c1 != c2 || s1 != s2,
        _ => true,
    }
}

fn describe(t: &QualifiedName, o: Option<&Citus>, n: Option<&Citus>) -> String {
    match (o, n) {
        (_, None) => format!("undistribute table {t}"),
        (Some(Citus::Distributed { .. }), Some(Citus::Distributed { .. })) => {
            format!("change distribution of table {t}")
        }
        (_, Some(c)) => format!("make table {t} {}", c.describe()),
    }
}

/// The Citus calls that take `t` from placement `o` to `n`.
fn calls(t: &QualifiedName, o: Option<&Citus>, n: Option<&Citus>) -> Vec<String> {
    match (o, n) {
        (None, Some(n)) => vec![ddl::place_table(t, n)],
        (Some(_), None) => vec![ddl::undistribute_table(t)],
        (
            Some(Citus::Distributed {
                column: c1,
                shard_count: s1,
                ..
            }),
            Some(Citus::Distributed {
                column: c2,
                shard_count: s2,
                colocate_with,
            }),
        ) => {
            if c1 != c2 || s1 != s2 {
                // The server's default shard count is given as such by leaving it out
                // only when creating; here the old count would stay, so name it.
                vec![ddl::alter_distributed_table(
                    t,
                    (c1 != c2).then_some(c2.as_str()),
                    if s1 != s2 { *s2 } else { None },
                    colocate_with.as_ref(),
                )]
            } else {
                vec![ddl::update_colocation(t, colocate_with.as_ref())]
            }
        }
        // Between kinds: back to a plain table, then the new placement.
        (Some(_), Some(n)) => vec![ddl::undistribute_table(t), ddl::place_table(t, n)],
        (None, None) => vec![],
    }
}

fn data_move(t: &QualifiedName, n: Option<&Citus>, drops_fks: bool) -> Hazard {
    let what = match n {
        None => "copies every row of the table back to the coordinator".to_string(),
        Some(Citus::Reference) => "copies every row of the table to every node".to_string(),
        Some(c) => format!(
            "copies every row of the table into shards ({})",
            c.describe()
        ),
    };
    Hazard::new(
        HazardCode::DataMove,
        format!(
            "{what}: {} is locked against writes (INSERT, UPDATE, DELETE wait) until the copy \
             ends; reads go on{}",
            qualified(t),
            if drops_fks {
                ". Its foreign keys are dropped before and added back (validated) after"
            } else {
                ""
            }
        ),
        "run it at a quiet time; for a large table that must keep taking writes, distribute \
         it by hand with create_distributed_table_concurrently (Citus 11.1+, needs wal_level \
         = logical) and let pgshift find nothing left to do",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str) -> QualifiedName {
        QualifiedName::new("public", name)
    }

    fn by(column: &str, with: Option<&str>, count: Option<u32>) -> Citus {
        Citus::Distributed {
            column: column.into(),
            colocate_with: with.map(t),
            shard_count: count,
        }
    }

    #[test]
    fn each_change_has_its_call() {
        let orders = t("orders");
        // (old placement, new placement, the calls, whether rows move)
        type Case = (Option<Citus>, Option<Citus>, Vec<&'static str>, bool);
        let cases: Vec<Case> = vec![
            (
                None,
                Some(by("tenant_id", None, Some(8))),
                vec!["SELECT create_distributed_table('public.orders', 'tenant_id', colocate_with => 'none', shard_count => 8)"],
                true,
            ),
            (
                None,
                Some(by("tenant_id", Some("accounts"), Some(8))),
                vec!["SELECT create_distributed_table('public.orders', 'tenant_id', colocate_with => 'public.accounts')"],
                true,
            ),
            (
                None,
                Some(Citus::Local),
                vec!["SELECT citus_add_local_table_to_metadata('public.orders')"],
                false,
            ),
            (
                Some(Citus::Reference),
                None,
                vec!["SELECT undistribute_table('public.orders')"],
                true,
            ),
            (
                Some(by("tenant_id", None, None)),
                Some(by("id", None, Some(4))),
                vec!["SELECT alter_distributed_table('public.orders', distribution_column => 'id', shard_count => 4, colocate_with => 'none', cascade_to_colocated => false)"],
                true,
            ),
            (
                Some(by("tenant_id", None, None)),
                Some(by("tenant_id", Some("accounts"), None)),
                vec!["SELECT update_distributed_table_colocation('public.orders', colocate_with => 'public.accounts')"],
                false,
            ),
            (
                Some(Citus::Reference),
                Some(by("tenant_id", None, None)),
                vec![
                    "SELECT undistribute_table('public.orders')",
                    "SELECT create_distributed_table('public.orders', 'tenant_id', colocate_with => 'none')",
                ],
                true,
            ),
        ];
        for (o, n, expected, moves) in cases {
            assert_eq!(
                calls(&orders, o.as_ref(), n.as_ref()),
                expected,
                "{o:?} -> {n:?}"
            );
            assert_eq!(moves_rows(o.as_ref(), n.as_ref()), moves, "{o:?} -> {n:?}");
        }
    }

    #[test]
    fn a_distribution_column_type_change_is_refused() {
        let table = |ty: &str| -> crate::schema::Table {
            let mut t: crate::schema::Table = serde_json::from_value(serde_json::json!({
                "name": "public.orders",
                "columns": [{ "name": "tenant_id", "data_type": ty }],
            }))
            .unwrap();
            t.citus = Some(by("tenant_id", None, None));
            t
        };
        let (mut old, mut new) = (Schema::default(), Schema::default());
        old.tables.insert(t("orders"), table("integer"));
        new.tables.insert(t("orders"), table("bigint"));
        let Err(Error::Plan(m)) = check_changes(&old, &new) else {
            panic!("expected an error");
        };
        assert!(
            m.contains("Citus cannot change its type from integer to bigint"),
            "{m}"
        );
        assert!(check_changes(&old, &old).is_ok());
    }
}
