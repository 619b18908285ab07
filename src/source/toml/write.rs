//! Schema -> TOML spec text, for `pgshift inspect --format toml`. Constraints, indexes
//! and triggers are written with the definitions PostgreSQL printed, so reading the
//! output back builds exactly the same schema.

use super::privileges;
use super::spec::*;
use crate::schema::ObjectId;
use crate::schema::{Citus, Identity, Index, Name, QualifiedName, Schema, Trigger};
use crate::sql::qualified;
use std::collections::BTreeMap;
use toml::Spanned;

fn spanned<T>(value: T) -> Spanned<T> {
    Spanned::new(0..0, value)
}

fn key(name: &QualifiedName) -> String {
    qualified(name)
}

pub fn to_toml(schema: &Schema) -> String {
    let mut spec = Spec::default();
    for s in schema.schemas.values() {
        spec.schemas.insert(
            s.name.to_string(),
            SchemaSpec {
                grants: privileges::grants(schema, &ObjectId::Schema(s.name.clone())),
                owner: privileges::owner(schema, &ObjectId::Schema(s.name.clone())),
                comment: s.comment.clone(),
            },
        );
    }
    for e in schema.extensions.values() {
        spec.extensions.insert(
            e.name.to_string(),
            ExtensionSpec {
                schema: Some(e.schema.to_string()),
            },
        );
    }
    for e in schema.enums.values() {
        spec.enums.insert(
            key(&e.name),
            EnumSpec {
                grants: privileges::grants(schema, &ObjectId::Type(e.name.clone())),
                owner: privileges::owner(schema, &ObjectId::Type(e.name.clone())),
                values: e.values.clone(),
                comment: e.comment.clone(),
            },
        );
    }
    for c in schema.composites.values() {
        let attributes = c
            .attributes
            .iter()
            .map(|a| AttributeSpec {
                name: a.name.to_string(),
                data_type: a.data_type.clone(),
                collation: a.collation.clone(),
                comment: a.comment.clone(),
            })
            .collect();
        spec.composites.insert(
            key(&c.name),
            CompositeSpec {
                grants: privileges::grants(schema, &ObjectId::Type(c.name.clone())),
                owner: privileges::owner(schema, &ObjectId::Type(c.name.clone())),
                comment: c.comment.clone(),
                attributes,
            },
        );
    }
    for d in schema.domains.values() {
        spec.domains.insert(
            key(&d.name),
            DomainSpec {
                grants: privileges::grants(schema, &ObjectId::Type(d.name.clone())),
                owner: privileges::owner(schema, &ObjectId::Type(d.name.clone())),
                data_type: d.base_type.clone(),
                not_null: d.not_null,
                default: d.default.clone(),
                collation: d.collation.clone(),
                checks: string_keys(&d.checks),
                check_comments: string_keys(&d.check_comments),
                comment: d.comment.clone(),
            },
        );
    }
    for s in schema.sequences.values() {
        let o = &s.options;
        spec.sequences.insert(
            key(&s.name),
            SequenceSpec {
                grants: privileges::grants(schema, &ObjectId::Sequence(s.name.clone())),
                owner: privileges::owner(schema, &ObjectId::Sequence(s.name.clone())),
                data_type: Some(o.data_type.clone()),
                start: Some(o.start),
                increment: Some(o.increment),
                min_value: Some(o.min_value),
                max_value: Some(o.max_value),
                cache: Some(o.cache),
                cycle: o.cycle,
                owned_by: s.owned_by.as_ref().map(|(t, c)| OwnedBySpec {
                    table: key(t),
                    column: c.to_string(),
                }),
                comment: s.comment.clone(),
            },
        );
    }
    for f in schema.functions.values() {
        let name = QualifiedName::new(f.key.schema.clone(), f.key.name.clone());
        spec.functions.insert(
            format!("{}({})", qualified(&name), f.key.arguments),
            FunctionSpec {
                grants: privileges::grants(schema, &ObjectId::Function(f.key.clone())),
                owner: privileges::owner(schema, &ObjectId::Function(f.key.clone())),
                definition: f.definition.clone(),
                comment: f.comment.clone(),
            },
        );
    }
    for t in schema.tables.values() {
        let columns = t
            .columns
            .iter()
            .map(|c| {
                spanned(ColumnSpec {
                    grants: privileges::grants(
                        schema,
                        &ObjectId::Column(t.name.clone(), c.name.clone()),
                    ),
                    name: c.name.to_string(),
                    data_type: c.data_type.to_string(),
                    not_null: c.not_null,
                    default: c.default.clone(),
                    identity: c
                        .identity
                        .as_ref()
                        .map(|i| if i.always { "always" } else { "by_default" }.to_string()),
                    identity_options: c.identity.as_ref().and_then(identity_options),
                    identity_sequence: c
                        .identity
                        .as_ref()
                        .and_then(|i| i.sequence_name.as_ref())
                        .map(qualified),
                    identity_grants: c
                        .identity_sequence(&t.name)
                        .and_then(|s| privileges::grants(schema, &ObjectId::Sequence(s))),
                    generated: c.generated.clone(),
                    collation: c.collation.clone(),
                    storage: c.storage.clone(),
                    statistics: c.statistics,
                    compression: c.compression.clone(),
                    comment: c.comment.clone(),
                    renamed_from: None,
                    backfill: None,
                    using: None,
                    downgrade_using: None,
                })
            })
            .collect();
        let constraints = t
            .constraints
            .values()
            .map(|c| {
                (
                    c.name.to_string(),
                    spanned(ConstraintSpec {
                        definition: c.definition.clone(),
                        comment: c.comment.clone(),
                    }),
                )
            })
            .collect();
        let policies = t
            .policies
            .values()
            .map(|p| {
                (
                    p.name.to_string(),
                    spanned(PolicySpec {
                        permissive: p.permissive,
                        command: p.command.clone(),
                        roles: p.roles.clone(),
                        using: p.using.clone(),
                        with_check: p.with_check.clone(),
                        comment: p.comment.clone(),
                    }),
                )
            })
            .collect();
        spec.tables.insert(
            key(&t.name),
            TableSpec {
                grants: privileges::grants(schema, &ObjectId::Table(t.name.clone())),
                owner: privileges::owner(schema, &ObjectId::Table(t.name.clone())),
                comment: t.comment.clone(),
                renamed_from: None,
                unlogged: t.unlogged,
                partition_by: t.partition_key.clone(),
                partition_of: t.partition_of.as_ref().map(|p| PartitionOfSpec {
                    parent: key(&p.parent),
                    bound: p.bound.clone(),
                }),
                options: t.options.clone(),
                row_security: t.row_security,
                force_row_security: t.force_row_security,
                replica_identity: t.replica_identity.clone(),
                distributed_by: t
                    .citus
                    .as_ref()
                    .and_then(|c| c.distribution_column())
                    .map(|c| c.to_string()),
                colocate_with: match &t.citus {
                    Some(Citus::Distributed {
                        colocate_with: Some(other),
                        ..
                    }) => Some(key(other)),
                    _ => None,
                },
                shard_count: match &t.citus {
                    Some(Citus::Distributed { shard_count, .. }) => *shard_count,
                    _ => None,
                },
                reference: t.citus == Some(Citus::Reference),
                citus_local: t.citus == Some(Citus::Local),
                primary_key: vec![],
                columns,
                unique: BTreeMap::new(),
                checks: BTreeMap::new(),
                foreign_keys: BTreeMap::new(),
                constraints,
                indexes: indexes(&t.indexes),
                triggers: triggers(&t.triggers),
                policies,
            },
        );
    }
    for v in schema.views.values() {
        spec.views.insert(
            key(&v.name),
            ViewSpec {
                grants: privileges::grants(schema, &ObjectId::View(v.name.clone())),
                owner: privileges::owner(schema, &ObjectId::View(v.name.clone())),
                query: v.definition.clone(),
                materialized: v.materialized,
                options: v.options.clone(),
                comment: v.comment.clone(),
                column_comments: string_keys(&v.column_comments),
                indexes: indexes(&v.indexes),
                triggers: triggers(&v.triggers),
            },
        );
    }
    for (k, acl) in &schema.privileges.defaults {
        spec.default_privileges.push(spanned(DefaultPrivilegesSpec {
            role: k.role.clone(),
            schema: k.schema.as_ref().map(|s| s.to_string()),
            on: k.class.keyword().to_ascii_lowercase(),
            grants: privileges::grant_lists(acl),
        }));
    }
    for r in schema.ranges.values() {
        spec.ranges.insert(
            key(&r.name),
            DefinitionSpec {
                definition: crate::sql::ddl::create_range(r),
                target: None,
                comment: r.comment.clone(),
            },
        );
    }
    for st in schema.statistics.values() {
        spec.statistics.insert(
            key(&st.name),
            DefinitionSpec {
                definition: st.definition.clone(),
                target: st.target,
                comment: st.comment.clone(),
            },
        );
    }
    let mut text = String::from(
        "# pgshift TOML spec (docs/toml-spec.md), written by `pgshift inspect --format toml`.\n\n",
    );
    text.push_str(
        &toml::to_string_pretty(&spec).unwrap_or_else(|e| format!("# cannot write TOML: {e}\n")),
    );
    text
}

/// Identity options, when they are not the defaults of the column's type.
fn identity_options(i: &Identity) -> Option<IdentityOptionsSpec> {
    let o = &i.sequence;
    let type_max = match o.data_type.as_str() {
        "smallint" => i16::MAX as i64,
        "integer" => i32::MAX as i64,
        _ => i64::MAX,
    };
    let default = o.start == 1
        && o.increment == 1
        && o.min_value == 1
        && o.max_value == type_max
        && o.cache == 1
        && !o.cycle;
    (!default).then_some(IdentityOptionsSpec {
        start: o.start,
        increment: o.increment,
        min_value: o.min_value,
        max_value: o.max_value,
        cache: o.cache,
        cycle: o.cycle,
    })
}

/// The spec keeps names as plain strings (it is read and written once, never compared
/// in bulk).
fn string_keys<V: Clone>(map: &BTreeMap<Name, V>) -> BTreeMap<String, V> {
    map.iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn indexes(map: &BTreeMap<Name, Index>) -> BTreeMap<String, Spanned<IndexSpec>> {
    map.values()
        .map(|i| {
            (
                i.name.to_string(),
                spanned(IndexSpec {
                    definition: Some(i.definition.clone()),
                    comment: i.comment.clone(),
                    ..IndexSpec::default()
                }),
            )
        })
        .collect()
}

fn triggers(map: &BTreeMap<Name, Trigger>) -> BTreeMap<String, Spanned<TriggerSpec>> {
    map.values()
        .map(|t| {
            (
                t.name.to_string(),
                spanned(TriggerSpec {
                    definition: t.definition.clone(),
                    firing: t.firing.clone(),
                    comment: t.comment.clone(),
                }),
            )
        })
        .collect()
}
