//! Citus placements a model states, put on the schema read back from the scratch
//! database, and checked against Citus's rules before anything is planned, so that a
//! model Citus would refuse is an error at the place the model says it, not a migration
//! that fails half-way. The rules (Citus documentation, "Creating and Modifying
//! Distributed Objects", <https://docs.citusdata.com/en/stable/develop/reference_ddl.html>):
//!
//! - a distributed table's primary key, unique constraints and unique indexes include the
//!   distribution column (uniqueness is enforced shard by shard);
//! - a foreign key from a distributed table goes to a reference table, or to a table of
//!   its colocation group with the distribution columns matched to each other;
//! - reference and Citus local tables have foreign keys only to reference and Citus local
//!   tables, and none to a distributed table; a plain table has none to or from a
//!   Citus table (Citus would turn it into a Citus local table of its own accord);
//! - colocated tables have distribution columns of the same type and the same shard count.

use super::model::{Model, Origin};
use crate::error::{Error, Result};
use crate::lint::Origins;
use crate::schema::{
    normalize_colocation, Citus, Constraint, ConstraintKind, ObjectId, QualifiedName, Schema, Table,
};
use crate::sql::ident;
use std::collections::BTreeMap;

/// Where each table's placement was written, and how to find other objects' places.
pub struct Places<'a> {
    pub placements: BTreeMap<QualifiedName, Origin>,
    pub objects: Option<&'a Origins>,
}

impl Places<'_> {
    /// The place of `id` (a constraint, an index), else that of `table`'s placement.
    fn of(&self, id: &ObjectId, columns: &[String], table: &QualifiedName) -> Option<Origin> {
        self.objects
            .and_then(|o| o.locate(id, columns))
            .or_else(|| self.placements.get(table).cloned())
    }

    fn error(&self, at: Option<Origin>, message: String, hint: &str) -> Error {
        match at {
            Some(o) => o.error(message, Some(hint.to_string())),
            None => Error::Plan(format!("{message} ({hint})")),
        }
    }
}

/// The placements of a TOML or Rust model, put on `schema` and checked.
pub fn apply_model(model: &Model, schema: &mut Schema) -> Result<()> {
    let mut placements = BTreeMap::new();
    for t in &model.tables {
        let Some(def) = &t.citus else { continue };
        placements.insert(t.name.clone(), (def.citus.clone(), def.origin.clone()));
    }
    if placements.is_empty() {
        return Ok(());
    }
    let origins = Origins::from_model(model);
    apply(schema, placements, Some(&origins))
}

/// Puts `placements` on the tables of `schema`, makes colocation one spelling, and
/// checks Citus's rules.
pub fn apply(
    schema: &mut Schema,
    placements: BTreeMap<QualifiedName, (Citus, Origin)>,
    objects: Option<&Origins>,
) -> Result<()> {
    let mut places = Places {
        placements: BTreeMap::new(),
        objects,
    };
    for (name, (citus, origin)) in placements {
        let Some(table) = schema.tables.get_mut(&name) else {
            return Err(origin.error(
                format!("{name} is placed by Citus but the model has no such table"),
                Some("create the table first, or fix the name".into()),
            ));
        };
        if table.partition_of.is_some() {
            return Err(origin.error(
                format!("{name} is a partition: Citus places it with its parent"),
                Some("place the partitioned table instead".into()),
            ));
        }
        table.citus = Some(citus);
        places.placements.insert(name, origin);
    }
    normalize_colocation(schema);
    check(schema, &places)
}

/// Every rule above, in table order; the first violation is the error.
pub fn check(schema: &Schema, places: &Places<'_>) -> Result<()> {
    for t in schema.tables.values() {
        if let Some(Citus::Distributed { .. }) = &t.citus {
            check_distributed(schema, t, places)?;
        }
        for c in t.constraints.values() {
            if c.kind == ConstraintKind::ForeignKey {
                check_foreign_key(schema, t, c, places)?;
            }
        }
    }
    Ok(())
}

fn check_distributed(schema: &Schema, t: &Table, places: &Places<'_>) -> Result<()> {
    let Some(Citus::Distributed {
        column,
        colocate_with,
        shard_count,
    }) = &t.citus
    else {
        return Ok(());
    };
    let here = || places.placements.get(&t.name).cloned();
    let Some(col) = t.column(column) else {
        return Err(places.error(
            here(),
            format!(
                "{} is distributed by {}, which is not one of its columns",
                t.name,
                ident(column)
            ),
            "name one of the table's columns",
        ));
    };
    if let Some(anchor) = colocate_with {
        let other = schema.tables.get(anchor);
        let Some((
            other,
            Citus::Distributed {
                column: other_column,
                shard_count: other_count,
                ..
            },
        )) = other.and_then(|o| o.citus.as_ref().map(|c| (o, c)))
        else {
            return Err(places.error(
                here(),
                format!(
                    "{} is colocated with {anchor}, which is not a distributed table",
                    t.name
                ),
                "colocate with a distributed table of the model",
            ));
        };
        let other_type = other.column(other_column).map(|c| &c.data_type);
        if other_type != Some(&col.data_type) {
            return Err(places.error(
                here(),
                format!(
                    "{} and {anchor} are colocated but their distribution columns differ in type ({} and {})",
                    t.name,
                    col.data_type,
                    other_type.map_or("?", |t| t.as_str())
                ),
                "colocated tables are distributed by columns of the same type",
            ));
        }
        if other_count != shard_count {
            return Err(places.error(
                here(),
                format!(
                    "{} and {anchor} are colocated but have different shard counts",
                    t.name
                ),
                "give colocated tables the same shard_count",
            ));
        }
    }
    for c in t.constraints.values() {
        let unique = matches!(
            c.kind,
            ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclusion
        );
        if unique && !c.columns.iter().any(|x| x == column) {
            let columns: Vec<String> = c.columns.iter().map(|c| c.to_string()).collect();
            let id = ObjectId::Constraint(t.name.clone(), c.name.clone());
            return Err(places.error(
                places.of(&id, &columns, &t.name),
                format!(
                    "constraint {} on {} does not include the distribution column {}: Citus \
                     enforces uniqueness shard by shard",
                    ident(&c.name),
                    t.name,
                    ident(column)
                ),
                "add the distribution column to the key, or make the table a reference table",
            ));
        }
    }
    for i in t.indexes.values().filter(|i| i.unique) {
        let keys = index_keys(&i.definition);
        if !keys.iter().any(|k| *k == ident(column)) {
            let id = ObjectId::Index(t.name.clone(), i.name.clone());
            return Err(places.error(
                places.of(&id, &[], &t.name),
                format!(
                    "unique index {} on {} does not include the distribution column {}",
                    ident(&i.name),
                    t.name,
                    ident(column)
                ),
                "add the distribution column to the index",
            ));
        }
    }
    Ok(())
}

/// The key columns of `CREATE [UNIQUE] INDEX ... USING method (a, b) ...`, as written.
fn index_keys(definition: &str) -> Vec<String> {
    let Some(start) = definition
        .find(" USING ")
        .and_then(|u| definition[u..].find('(').map(|p| u + p + 1))
    else {
        return vec![];
    };
    let mut depth = 0;
    let mut keys = vec![];
    let mut current = String::new();
    for ch in definition[start..].chars() {
        match ch {
            '(' => depth += 1,
            ')' if depth == 0 => break,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                keys.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(ch);
    }
    keys.push(current);
    keys.iter()
        .map(|k| k.trim().split(' ').next().unwrap_or("").to_string())
        .collect()
}

/// The referenced columns of `FOREIGN KEY (a) REFERENCES s.t(b)`, as written.
fn referenced_columns(definition: &str) -> Vec<String> {
    let Some(after) = definition.find(" REFERENCES ").map(|i| &definition[i..]) else {
        return vec![];
    };
    let Some(open) = after.find('(') else {
        return vec![];
    };
    let close = after[open..].find(')').map_or(after.len(), |c| open + c);
    after[open + 1..close]
        .split(", ")
        .map(|s| s.trim().to_string())
        .collect()
}

fn kind_name(c: Option<&Citus>) -> &'static str {
    match c {
        None => "a plain table",
        Some(Citus::Distributed { .. }) => "a distributed table",
        Some(Citus::Reference) => "a reference table",
        Some(Citus::Local) => "a Citus local table",
    }
}

fn check_foreign_key(
    schema: &Schema,
    t: &Table,
    c: &Constraint,
    places: &Places<'_>,
) -> Result<()> {
    let Some(target) = c.references.as_ref().and_then(|r| schema.tables.get(r)) else {
        return Ok(());
    };
    let (from, to) = (t.citus.as_ref(), target.citus.as_ref());
    if from.is_none() && to.is_none() {
        return Ok(());
    }
    let columns: Vec<String> = c.columns.iter().map(|c| c.to_string()).collect();
    let at = || {
        let id = ObjectId::Constraint(t.name.clone(), c.name.clone());
        places
            .of(&id, &columns, &t.name)
            .or_else(|| places.placements.get(&target.name).cloned())
    };
    let refuse = |why: &str, hint: &str| {
        Err(places.error(
            at(),
            format!(
                "foreign key {} from {} ({}) to {} ({}): {why}",
                ident(&c.name),
                t.name,
                kind_name(from),
                target.name,
                kind_name(to)
            ),
            hint,
        ))
    };
    match (from, to) {
        (Some(Citus::Distributed { .. }), Some(Citus::Reference)) => Ok(()),
        (
            Some(Citus::Distributed {
                column: fc,
                colocate_with: fa,
                ..
            }),
            Some(Citus::Distributed {
                column: tc,
                colocate_with: ta,
                ..
            }),
        ) => {
            let group_of = |name: &QualifiedName, anchor: &Option<QualifiedName>| {
                anchor.clone().unwrap_or_else(|| name.clone())
            };
            if group_of(&t.name, fa) != group_of(&target.name, ta) {
                return refuse(
                    "Citus allows foreign keys between distributed tables only when they are colocated",
                    "colocate the two tables (colocate_with), or make the referenced table a reference table",
                );
            }
            let referenced = referenced_columns(&c.definition);
            let matched = c
                .columns
                .iter()
                .position(|x| x == fc)
                .and_then(|i| referenced.get(i))
                .is_some_and(|r| *r == ident(tc));
            if !matched {
                return refuse(
                    "the key must map the distribution column to the referenced table's distribution column",
                    "include both distribution columns, at the same position, in the foreign key",
                );
            }
            Ok(())
        }
        (Some(Citus::Distributed { .. }), _) => refuse(
            "a distributed table's foreign keys go to reference tables or colocated distributed tables",
            "make the referenced table a reference table, or distribute it colocated",
        ),
        (_, Some(Citus::Distributed { .. })) => refuse(
            "only colocated distributed tables may reference a distributed table",
            "distribute the referencing table colocated, or drop the foreign key",
        ),
        (Some(Citus::Reference | Citus::Local), Some(Citus::Reference | Citus::Local)) => Ok(()),
        _ => refuse(
            "Citus turns a plain table joined by a foreign key to a Citus table into a Citus local table",
            "declare the plain table a Citus local table (citus_local), or a reference table",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(json: serde_json::Value) -> Table {
        serde_json::from_value(json).unwrap()
    }

    fn check_tables(tables: Vec<Table>) -> Result<()> {
        let mut s = Schema::default();
        for t in tables {
            s.tables.insert(t.name.clone(), t);
        }
        normalize_colocation(&mut s);
        check(
            &s,
            &Places {
                placements: BTreeMap::new(),
                objects: None,
            },
        )
    }

    fn message(r: Result<()>) -> String {
        match r {
            Err(Error::Plan(m)) => m,
            other => panic!("expected a rule error, got {other:?}"),
        }
    }

    fn tenants() -> Table {
        table(serde_json::json!({
            "name": "public.tenants",
            "columns": [{ "name": "id", "data_type": "bigint" }],
            "constraints": { "tenants_pkey": {
                "name": "tenants_pkey", "kind": "primary_key",
                "definition": "PRIMARY KEY (id)", "columns": ["id"] } },
            "citus": { "kind": "distributed", "column": "id" },
        }))
    }

    fn orders(citus: serde_json::Value) -> Table {
        table(serde_json::json!({
            "name": "public.orders",
            "columns": [
                { "name": "tenant_id", "data_type": "bigint" },
                { "name": "id", "data_type": "bigint" },
            ],
            "constraints": { "orders_tenant_id_fkey": {
                "name": "orders_tenant_id_fkey", "kind": "foreign_key",
                "definition": "FOREIGN KEY (tenant_id) REFERENCES public.tenants(id)",
                "columns": ["tenant_id"], "references": "public.tenants" } },
            "indexes": { "orders_id_key": {
                "name": "orders_id_key", "unique": true, "valid": true,
                "definition": "CREATE UNIQUE INDEX orders_id_key ON public.orders USING btree (id, tenant_id)" } },
            "citus": citus,
        }))
    }

    #[test]
    fn colocated_tables_with_matched_keys_pass() {
        let colocated = serde_json::json!({
            "kind": "distributed", "column": "tenant_id", "colocate_with": "public.tenants" });
        check_tables(vec![tenants(), orders(colocated)]).unwrap();
    }

    #[test]
    fn each_rule_is_an_error_naming_the_objects() {
        let alone = serde_json::json!({ "kind": "distributed", "column": "tenant_id" });
        assert!(message(check_tables(vec![tenants(), orders(alone)]))
            .contains("only when they are colocated"));
        let reference = serde_json::json!({ "kind": "reference" });
        assert!(message(check_tables(vec![tenants(), orders(reference)]))
            .contains("only colocated distributed tables may reference a distributed table"));
        let plain = serde_json::Value::Null;
        assert!(
            message(check_tables(vec![tenants(), orders(plain)])).contains(
                "from public.orders (a plain table) to public.tenants (a distributed table)"
            )
        );
        // Colocated, but the key maps tenant_id to a column that is not tenants' id.
        let by_id = serde_json::json!({
            "kind": "distributed", "column": "id", "colocate_with": "public.tenants" });
        assert!(message(check_tables(vec![tenants(), orders(by_id)]))
            .contains("must map the distribution column"));
        // The unique index leaves the distribution column out.
        let mut o = orders(serde_json::json!({
            "kind": "distributed", "column": "tenant_id", "colocate_with": "public.tenants" }));
        o.indexes.values_mut().next().unwrap().definition =
            "CREATE UNIQUE INDEX orders_id_key ON public.orders USING btree (id)".into();
        assert!(message(check_tables(vec![tenants(), o]))
            .contains("unique index orders_id_key on public.orders does not include the distribution column tenant_id"));
        let missing = serde_json::json!({ "kind": "distributed", "column": "nope" });
        assert!(message(check_tables(vec![orders(missing)])).contains("not one of its columns"));
    }

    #[test]
    fn keys_are_read_from_definitions() {
        assert_eq!(
            index_keys("CREATE UNIQUE INDEX i ON public.t USING btree (lower(a), \"B\" DESC) WHERE (x > 0)"),
            ["lower(a)", "\"B\""]
        );
        assert_eq!(
            referenced_columns(
                "FOREIGN KEY (a, b) REFERENCES public.t(x, \"Y\") ON DELETE CASCADE"
            ),
            ["x", "\"Y\""]
        );
    }
}
