//! Assembling the catalog rows of types, sequences and routines into the IR.

use super::{name_at, Comments, Oid, OidMap, Rel, Rows};
use crate::schema::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Enums, domains, composite types. Returns composite types by their relation OID.
pub(super) fn assemble_types(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
) -> FxHashMap<Oid, QualifiedName> {
    let mut composite_rels = FxHashMap::default();
    let mut domain_checks: FxHashMap<Oid, BTreeMap<Name, String>> = FxHashMap::default();
    let mut check_comments: FxHashMap<Oid, BTreeMap<Name, String>> = FxHashMap::default();
    for r in &rows.domain_checks {
        let (domain, name): (Oid, Name) = (r.get(0), name_at(r, 1));
        if let Some(c) = comments.take("pg_constraint", r.get(3), 0) {
            check_comments
                .entry(domain)
                .or_default()
                .insert(name.clone(), c);
        }
        domain_checks
            .entry(domain)
            .or_default()
            .insert(name, r.get(2));
    }
    for r in &rows.types {
        let oid: Oid = r.get(0);
        let array_oid: Oid = r.get(1);
        let name = QualifiedName::new(name_at(r, 2), name_at(r, 3));
        let id = ObjectId::Type(name.clone());
        oids.insert("pg_type", oid, 0, id.clone());
        if array_oid != 0 {
            oids.insert("pg_type", array_oid, 0, id.clone());
        }
        let comment = comments.take("pg_type", oid, 0);
        match r.get::<_, String>(4).as_str() {
            "e" => {
                let values: Vec<String> = r.get::<_, Option<Vec<String>>>(10).unwrap_or_default();
                schema.enums.insert(
                    name.clone(),
                    EnumType {
                        name,
                        values,
                        comment,
                    },
                );
            }
            "d" => {
                let domain = Domain {
                    name: name.clone(),
                    base_type: r.get(6),
                    not_null: r.get(7),
                    default: r.get(8),
                    collation: r.get(9),
                    checks: domain_checks.remove(&oid).unwrap_or_default(),
                    check_comments: check_comments.remove(&oid).unwrap_or_default(),
                    comment,
                };
                schema.domains.insert(name, domain);
            }
            _ => {
                let relid: Oid = r.get(5);
                oids.insert("pg_class", relid, 0, id);
                composite_rels.insert(relid, name.clone());
                schema.composites.insert(
                    name.clone(),
                    CompositeType {
                        name,
                        attributes: vec![],
                        comment,
                    },
                );
            }
        }
    }
    composite_rels
}

pub(super) fn assemble_sequences(
    rows: &Rows,
    schema: &mut Schema,
    oids: &OidMap,
    rels: &FxHashMap<Oid, Rel>,
    comments: &mut Comments,
) {
    for r in &rows.sequences {
        let relid: Oid = r.get(0);
        let Some(Rel::Sequence(name)) = rels.get(&relid) else {
            continue;
        };
        let options = SequenceOptions {
            data_type: r.get(1),
            start: r.get(2),
            increment: r.get(3),
            min_value: r.get(4),
            max_value: r.get(5),
            cache: r.get(6),
            cycle: r.get(7),
        };
        let owner = match (r.get::<_, Option<Oid>>(8), r.get::<_, Option<i32>>(9)) {
            (Some(table_oid), Some(attnum)) => match oids.get("pg_class", table_oid, attnum) {
                Some(ObjectId::Column(table, column)) => Some((table.clone(), column.clone())),
                _ => None,
            },
            _ => None,
        };
        let deptype: Option<String> = r.get(10);
        if deptype.as_deref() == Some("i") {
            // The sequence behind an identity column: its options belong to the column.
            if let Some((table, column)) = owner {
                let col = schema
                    .tables
                    .get_mut(&table)
                    .and_then(|t| t.columns.iter_mut().find(|c| c.name == column));
                if let Some(identity) = col.and_then(|c| c.identity.as_mut()) {
                    identity.sequence = options;
                    if *name != crate::schema::default_sequence_name(&table, &column) {
                        identity.sequence_name = Some(name.clone());
                    }
                }
            }
            continue;
        }
        let comment = comments.take("pg_class", relid, 0);
        schema.sequences.insert(
            name.clone(),
            Sequence {
                name: name.clone(),
                options,
                owned_by: owner,
                comment,
            },
        );
    }
}

pub(super) fn assemble_functions(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
) {
    for r in &rows.functions {
        let oid: Oid = r.get(0);
        let kind = match r.get::<_, String>(3).as_str() {
            "f" => RoutineKind::Function,
            "p" => RoutineKind::Procedure,
            // Aggregates and window functions are reported as unsupported.
            _ => continue,
        };
        let key = FunctionKey {
            schema: r.get::<_, &str>(1).into(),
            name: r.get::<_, &str>(2).into(),
            arguments: r.get(4),
        };
        oids.insert("pg_proc", oid, 0, ObjectId::Function(key.clone()));
        let definition: String = r.get(6);
        let function = Function {
            key: key.clone(),
            kind,
            result: r.get(5),
            definition: definition.trim_end().to_string(),
            comment: comments.take("pg_proc", oid, 0),
        };
        schema.functions.insert(key, function);
    }
}
