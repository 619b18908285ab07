//! Assembling the catalog rows of tables and views, their columns, constraints,
//! indexes, triggers and policies into the IR.

use super::{kinds, name_at, Comments, Oid, OidMap, Rel, Rows};
use crate::schema::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

pub(super) fn assemble_relations(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
    composite_rels: &FxHashMap<Oid, QualifiedName>,
) -> FxHashMap<Oid, Rel> {
    let mut rels = FxHashMap::default();
    let mut parents: Vec<(QualifiedName, Oid, String)> = vec![];
    for r in &rows.relations {
        let oid: Oid = r.get(0);
        let name = QualifiedName::new(name_at(r, 1), name_at(r, 2));
        let kind: String = r.get(3);
        match kind.as_str() {
            "r" | "p" => {
                oids.insert("pg_class", oid, 0, ObjectId::Table(name.clone()));
                if let (Some(parent), Some(bound)) = (r.get::<_, Option<Oid>>(8), r.get(9)) {
                    parents.push((name.clone(), parent, bound));
                }
                let table = Table {
                    name: name.clone(),
                    unlogged: r.get::<_, String>(4) == "u",
                    partition_key: r.get(7),
                    options: r.get(11),
                    partition_of: None,
                    columns: vec![],
                    constraints: BTreeMap::new(),
                    indexes: BTreeMap::new(),
                    triggers: BTreeMap::new(),
                    policies: BTreeMap::new(),
                    row_security: r.get(5),
                    force_row_security: r.get(6),
                    replica_identity: replica_identity(r.get(12), r.get(13)),
                    citus: None,
                    comment: comments.take("pg_class", oid, 0),
                };
                schema.tables.insert(name.clone(), table);
                rels.insert(oid, Rel::Table(name));
            }
            "v" | "m" => {
                oids.insert("pg_class", oid, 0, ObjectId::View(name.clone()));
                let definition: String = r.get(10);
                let view = View {
                    name: name.clone(),
                    materialized: kind == "m",
                    definition: definition.trim().trim_end_matches(';').to_string(),
                    columns: vec![],
                    options: r.get(11),
                    indexes: BTreeMap::new(),
                    triggers: BTreeMap::new(),
                    column_comments: BTreeMap::new(),
                    comment: comments.take("pg_class", oid, 0),
                };
                schema.views.insert(name.clone(), view);
                rels.insert(oid, Rel::View(name));
            }
            "S" => {
                oids.insert("pg_class", oid, 0, ObjectId::Sequence(name.clone()));
                rels.insert(oid, Rel::Sequence(name));
            }
            _ => {
                if let Some(type_name) = composite_rels.get(&oid) {
                    rels.insert(oid, Rel::Composite(type_name.clone()));
                }
            }
        }
    }
    for (name, parent_oid, bound) in parents {
        if let Some(Rel::Table(parent)) = rels.get(&parent_oid) {
            if let Some(t) = schema.tables.get_mut(&name) {
                t.partition_of = Some(PartitionOf {
                    parent: parent.clone(),
                    bound,
                    not_null: vec![],
                });
            }
        }
    }
    rels
}

pub(super) fn assemble_columns(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
    rels: &FxHashMap<Oid, Rel>,
) {
    // Rows come ordered by relation: the table is looked up once for all its columns.
    let mut partition_not_null = vec![];
    let mut current: Option<(Oid, &mut Table)> = None;
    for r in &rows.columns {
        let relid: Oid = r.get(0);
        let attnum: i16 = r.get(1);
        let name = name_at(r, 2);
        let data_type = name_at(r, 3);
        let collation: Option<String> = r.get(8);
        let comment = comments.take("pg_class", relid, attnum.into());
        match rels.get(&relid) {
            Some(Rel::Table(t)) => {
                oids.insert(
                    "pg_class",
                    relid,
                    attnum.into(),
                    ObjectId::Column(t.clone(), name.clone()),
                );
                if current.as_ref().is_none_or(|(oid, _)| *oid != relid) {
                    let table = schema.tables.get_mut(t).expect("relation assembled");
                    current = Some((relid, table));
                }
                let (_, table) = current.as_mut().expect("set above");
                // A partition's columns come from its parent (but a NOT NULL of its own).
                if table.partition_of.is_some() && !r.get::<_, bool>(9) {
                    if r.get::<_, bool>(4) {
                        partition_not_null.push((t.clone(), name));
                    }
                    continue;
                }
                let identity = match r.get::<_, String>(7).as_str() {
                    "a" => Some(true),
                    "d" => Some(false),
                    _ => None,
                };
                table.columns.push(Column {
                    name,
                    data_type,
                    not_null: r.get(4),
                    default: r.get(5),
                    // Options filled in from the identity sequence below.
                    identity: identity.map(|always| Identity {
                        always,
                        sequence: SequenceOptions::default_for("integer"),
                        sequence_name: None,
                    }),
                    generated: r.get(6),
                    collation,
                    storage: r.get::<_, Option<String>>(10).map(|s| {
                        match s.as_str() {
                            "p" => "plain",
                            "e" => "external",
                            "m" => "main",
                            _ => "extended",
                        }
                        .to_string()
                    }),
                    statistics: r.get(11),
                    compression: r
                        .get::<_, Option<String>>(12)
                        .map(|c| if c == "l" { "lz4" } else { "pglz" }.to_string()),
                    volatile_default: r.get(13),
                    comment,
                });
            }
            Some(Rel::View(v)) => {
                oids.insert("pg_class", relid, attnum.into(), ObjectId::View(v.clone()));
                if let Some(view) = schema.views.get_mut(v) {
                    view.columns.push((name.to_string(), data_type.into()));
                    if let Some(c) = comment {
                        view.column_comments.insert(name, c);
                    }
                }
            }
            Some(Rel::Composite(t)) => {
                if let Some(ty) = schema.composites.get_mut(t) {
                    ty.attributes.push(CompositeAttribute {
                        name,
                        data_type: data_type.into(),
                        collation,
                        comment,
                    });
                }
            }
            _ => {}
        }
    }
    kinds::partition_not_null(schema, partition_not_null);
}

pub(super) fn assemble_constraints(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
    rels: &FxHashMap<Oid, Rel>,
) {
    for r in &rows.constraints {
        let oid: Oid = r.get(0);
        let Some(Rel::Table(t)) = rels.get(&r.get::<_, Oid>(1)) else {
            continue;
        };
        let name = name_at(r, 2);
        let kind = match r.get::<_, String>(3).as_str() {
            "p" => ConstraintKind::PrimaryKey,
            "u" => ConstraintKind::Unique,
            "c" => ConstraintKind::Check,
            "f" => ConstraintKind::ForeignKey,
            _ => ConstraintKind::Exclusion,
        };
        let id = ObjectId::Constraint(t.clone(), name.clone());
        oids.insert("pg_constraint", oid, 0, id.clone());
        let index_oid: Oid = r.get(7);
        if index_oid != 0 && kind != ConstraintKind::ForeignKey {
            // The index behind a primary key, unique or exclusion constraint is the
            // constraint, as far as other objects (foreign keys) are concerned.
            oids.insert("pg_class", index_oid, 0, id);
        }
        let references = match r.get::<_, Option<Oid>>(6).and_then(|o| rels.get(&o)) {
            Some(Rel::Table(target)) => Some(target.clone()),
            _ => None,
        };
        let constraint = Constraint {
            name: name.clone(),
            kind,
            definition: r.get(4),
            columns: oids.column_names(r.get(1), r.get::<_, Option<Vec<i16>>>(5)),
            references,
            comment: comments.take("pg_constraint", oid, 0),
        };
        if let Some(table) = schema.tables.get_mut(t) {
            table.constraints.insert(name, constraint);
        }
    }
}

pub(super) fn assemble_indexes(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
    rels: &FxHashMap<Oid, Rel>,
) {
    for r in &rows.indexes {
        let oid: Oid = r.get(0);
        let name = name_at(r, 2);
        let mut definition: String = r.get(3);
        if let Some(Rel::Table(t)) = rels.get(&r.get::<_, Oid>(1)) {
            if schema
                .tables
                .get(t)
                .is_some_and(|t| t.partition_key.is_some())
            {
                // pg_get_indexdef says `ON ONLY` for a partitioned table's index: as DDL that
                // would build it for the parent alone (invalid until partitions attach);
                // without ONLY it is built on every partition, as intended.
                definition = definition.replacen(" ON ONLY ", " ON ", 1);
            }
        }
        let index = Index {
            name: name.clone(),
            definition,
            unique: r.get(4),
            valid: r.get(5),
            comment: comments.take("pg_class", oid, 0),
        };
        match rels.get(&r.get::<_, Oid>(1)) {
            Some(Rel::Table(t)) => {
                if let Some(names) = r.get::<_, Option<Vec<String>>>(6) {
                    let of_table = schema.index_column_names.0.entry(t.clone()).or_default();
                    of_table.insert(name.clone(), names);
                }
                oids.insert("pg_class", oid, 0, ObjectId::Index(t.clone(), name.clone()));
                if let Some(table) = schema.tables.get_mut(t) {
                    table.indexes.insert(name, index);
                }
            }
            Some(Rel::View(v)) => {
                oids.insert("pg_class", oid, 0, ObjectId::Index(v.clone(), name.clone()));
                if let Some(view) = schema.views.get_mut(v) {
                    view.indexes.insert(name, index);
                }
            }
            _ => {}
        }
    }
}

pub(super) fn assemble_triggers_and_policies(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
    rels: &FxHashMap<Oid, Rel>,
) {
    for r in &rows.triggers {
        let oid: Oid = r.get(0);
        let name = name_at(r, 2);
        let firing = match r.get::<_, String>(4).as_str() {
            "D" => Some("disabled".to_string()),
            "R" => Some("replica".to_string()),
            "A" => Some("always".to_string()),
            _ => None,
        };
        let trigger = Trigger {
            name: name.clone(),
            definition: r.get(3),
            firing,
            comment: comments.take("pg_trigger", oid, 0),
        };
        let (relation, triggers) = match rels.get(&r.get::<_, Oid>(1)) {
            Some(Rel::Table(t)) => (t, schema.tables.get_mut(t).map(|t| &mut t.triggers)),
            Some(Rel::View(v)) => (v, schema.views.get_mut(v).map(|v| &mut v.triggers)),
            _ => continue,
        };
        oids.insert(
            "pg_trigger",
            oid,
            0,
            ObjectId::Trigger(relation.clone(), name.clone()),
        );
        if let Some(triggers) = triggers {
            triggers.insert(name, trigger);
        }
    }
    for r in &rows.policies {
        let oid: Oid = r.get(0);
        let Some(Rel::Table(t)) = rels.get(&r.get::<_, Oid>(1)) else {
            continue;
        };
        let name = name_at(r, 2);
        oids.insert(
            "pg_policy",
            oid,
            0,
            ObjectId::Policy(t.clone(), name.clone()),
        );
        let command = match r.get::<_, String>(4).as_str() {
            "r" => "SELECT",
            "a" => "INSERT",
            "w" => "UPDATE",
            "d" => "DELETE",
            _ => "ALL",
        };
        let policy = Policy {
            name: name.clone(),
            permissive: r.get(3),
            command: command.into(),
            roles: r.get(5),
            using: r.get(6),
            with_check: r.get(7),
            comment: comments.take("pg_policy", oid, 0),
        };
        if let Some(table) = schema.tables.get_mut(t) {
            table.policies.insert(name, policy);
        }
    }
}

/// `relreplident` and the index marked `indisreplident`, if any.
fn replica_identity(kind: &str, index: Option<String>) -> ReplicaIdentity {
    match (kind, index) {
        ("f", _) => ReplicaIdentity::Full,
        ("n", _) => ReplicaIdentity::Nothing,
        ("i", Some(index)) => ReplicaIdentity::Index(index.into()),
        _ => ReplicaIdentity::Default,
    }
}
