//! TOML spec source (docs/toml-spec.md): read into the model description, and written
//! from a schema by `pgshift inspect --format toml`.

mod privileges;
mod spec;
mod write;

pub use write::to_toml;

use super::model::*;
use crate::error::{Error, Result};
use crate::schema::{QualifiedName, SequenceOptions};
use spec::*;
use std::path::Path;
use toml::Spanned;

pub fn read(path: &Path) -> Result<Model> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    parse(path, &text)
}

/// Parses spec text; `path` is only used to locate errors.
pub fn parse(path: &Path, text: &str) -> Result<Model> {
    let text = strip_bom(text);
    let spec: Spec = toml::from_str(text).map_err(|e| {
        let origin = Origin::at_offset(path, text, e.span().map_or(0, |s| s.start));
        let message = e.message().trim().to_string();
        let hint = did_you_mean(&message).or_else(|| expected_type(&message));
        origin.error(message, hint)
    })?;
    Converter { path, text }.model(spec)
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": the closest expected name.
fn did_you_mean(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    Some(match suggest(unknown, &expected) {
        Some(e) => format!("did you mean `{e}`?"),
        None => format!("remove `{unknown}` (see docs/toml-spec.md for the keys allowed here)"),
    })
}

/// For serde's "invalid type: ..., expected a boolean": say where the format is described.
fn expected_type(message: &str) -> Option<String> {
    let expected = message
        .strip_prefix("invalid type: ")?
        .split_once(", expected ")?
        .1;
    Some(format!("this key takes {expected} (see docs/toml-spec.md)"))
}

struct Converter<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Converter<'_> {
    fn origin<T>(&self, s: &Spanned<T>) -> Origin {
        Origin::at_offset(self.path, self.text, s.span().start)
    }

    /// Where `[section.key...]` first appears (the file's start if it cannot be found).
    fn header(&self, section: &str, key: &str) -> Origin {
        let escaped = key.replace('\\', "\\\\").replace('"', "\\\"");
        let offset = [
            format!("{section}.{key}"),
            format!("{section}.\"{escaped}\""),
            format!("{section}.'{key}'"),
        ]
        .iter()
        .filter_map(|p| self.text.find(p.as_str()))
        .min()
        .unwrap_or(0);
        Origin::at_offset(self.path, self.text, offset)
    }

    fn name(&self, key: &str, origin: &Origin) -> Result<QualifiedName> {
        QualifiedName::parse(key, "public").ok_or_else(|| {
            origin.error(
                format!("{key:?} is not a name"),
                Some("write schema.name (a part with a dot or quote in it goes in double quotes) or a bare name for the public schema".into()),
            )
        })
    }

    fn model(&self, spec: Spec) -> Result<Model> {
        let mut m = Model {
            privileges: self.privileges(&spec)?,
            default_privileges: self.default_privileges(&spec)?,
            ..Model::default()
        };
        for (name, s) in spec.schemas {
            let origin = self.header("schemas", &name);
            m.schemas.push(SchemaDef {
                name,
                comment: s.comment,
                origin,
            });
        }
        for (name, s) in spec.extensions {
            let origin = self.header("extensions", &name);
            m.extensions.push(ExtensionDef {
                name,
                schema: s.schema,
                origin,
            });
        }
        for (key, e) in spec.enums {
            let origin = self.header("enums", &key);
            m.enums.push(EnumDef {
                name: self.name(&key, &origin)?,
                values: e.values,
                comment: e.comment,
                origin,
            });
        }
        for (key, c) in spec.composites {
            let origin = self.header("composites", &key);
            m.composites.push(CompositeDef {
                name: self.name(&key, &origin)?,
                attributes: c
                    .attributes
                    .into_iter()
                    .map(|a| AttributeDef {
                        name: a.name,
                        data_type: a.data_type,
                        collation: a.collation,
                        comment: a.comment,
                    })
                    .collect(),
                comment: c.comment,
                origin,
            });
        }
        for (key, d) in spec.domains {
            let origin = self.header("domains", &key);
            m.domains.push(DomainDef {
                name: self.name(&key, &origin)?,
                base_type: d.data_type,
                not_null: d.not_null,
                default: d.default,
                collation: d.collation,
                checks: d.checks.into_iter().map(|(n, c)| (Some(n), c)).collect(),
                check_comments: d.check_comments.into_iter().collect(),
                comment: d.comment,
                origin,
            });
        }
        for (key, q) in spec.sequences {
            let origin = self.header("sequences", &key);
            let owned_by = match q.owned_by {
                Some(o) => Some((self.name(&o.table, &origin)?, o.column)),
                None => None,
            };
            m.sequences.push(SequenceDef {
                name: self.name(&key, &origin)?,
                data_type: q.data_type,
                start: q.start,
                increment: q.increment,
                min_value: q.min_value,
                max_value: q.max_value,
                cache: q.cache,
                cycle: q.cycle,
                owned_by,
                comment: q.comment,
                origin,
            });
        }
        for (key, f) in spec.functions {
            let origin = self.header("functions", &key);
            m.functions.push(FunctionDef {
                definition: f.definition,
                comment: f.comment.map(|c| (key, c)),
                origin,
            });
        }
        for (key, s) in spec.tables {
            let table = self.table(&key, s)?;
            m.tables.push(table);
        }
        for (key, v) in spec.views {
            let origin = self.header("views", &key);
            let name = self.name(&key, &origin)?;
            let mut indexes = vec![];
            for (iname, i) in v.indexes {
                indexes.push(self.index(iname, i)?);
            }
            m.views.push(ViewDef {
                name,
                materialized: v.materialized,
                query: v.query,
                options: v.options,
                indexes,
                triggers: v
                    .triggers
                    .into_iter()
                    .map(|(n, t)| self.trigger(n, t))
                    .collect(),
                column_comments: v.column_comments.into_iter().collect(),
                comment: v.comment,
                origin,
            });
        }
        for (section, kind, specs) in [
            ("ranges", StatementKind::Range, spec.ranges),
            ("statistics", StatementKind::Statistics, spec.statistics),
        ] {
            for (key, d) in specs {
                let origin = self.header(section, &key);
                m.statements.push(StatementDef {
                    name: self.name(&key, &origin)?,
                    kind,
                    definition: d.definition,
                    target: d.target,
                    comment: d.comment,
                    origin,
                });
            }
        }
        Ok(m)
    }

    /// `distributed_by` (with `colocate_with`, `shard_count`), `reference` or
    /// `citus_local`: at most one placement.
    fn citus(&self, t: &TableSpec, origin: &Origin) -> Result<Option<CitusDef>> {
        use crate::schema::Citus;
        let placements = [t.distributed_by.is_some(), t.reference, t.citus_local];
        if placements.iter().filter(|x| **x).count() > 1 {
            return Err(origin.error(
                "a table has one Citus placement: `distributed_by`, `reference` or `citus_local`",
                Some("keep one of them".into()),
            ));
        }
        let citus = match &t.distributed_by {
            Some(column) => Citus::Distributed {
                column: column.as_str().into(),
                colocate_with: match &t.colocate_with {
                    Some(other) => Some(self.name(other, origin)?),
                    None => None,
                },
                shard_count: t.shard_count,
            },
            None if t.colocate_with.is_some() || t.shard_count.is_some() => {
                return Err(origin.error(
                    "`colocate_with` and `shard_count` apply to a distributed table",
                    Some("add `distributed_by = \"COLUMN\"`".into()),
                ))
            }
            None if t.reference => Citus::Reference,
            None if t.citus_local => Citus::Local,
            None => return Ok(None),
        };
        Ok(Some(CitusDef {
            citus,
            origin: origin.clone(),
        }))
    }

    fn table(&self, key: &str, t: TableSpec) -> Result<TableDef> {
        let origin = self.header("tables", key);
        let mut table = TableDef::new(self.name(key, &origin)?, origin.clone());
        table.citus = self.citus(&t, &origin)?;
        table.comment = t.comment;
        table.renamed_from = match &t.renamed_from {
            Some(r) => Some(self.name(r, &origin)?),
            None => None,
        };
        table.unlogged = t.unlogged;
        table.partition_key = t.partition_by;
        table.partition_of = match t.partition_of {
            Some(p) => Some((self.name(&p.parent, &origin)?, p.bound)),
            None => None,
        };
        table.options = t.options;
        table.row_security = t.row_security;
        table.force_row_security = t.force_row_security;
        table.replica_identity = t.replica_identity;
        for c in t.columns {
            table.columns.push(self.column(&table.name, c)?);
        }
        if !t.primary_key.is_empty() {
            table.constraints.push(ConstraintDef {
                name: None,
                body: ConstraintBody::PrimaryKey(t.primary_key),
                comment: None,
                origin: origin.clone(),
            });
        }
        for (name, u) in t.unique {
            let origin = self.origin(&u);
            let u = u.into_inner();
            table.constraints.push(ConstraintDef {
                name: Some(name),
                body: ConstraintBody::Unique(u.columns),
                comment: u.comment,
                origin,
            });
        }
        for (name, c) in t.checks {
            let origin = self.origin(&c);
            let c = c.into_inner();
            table.constraints.push(ConstraintDef {
                name: Some(name),
                body: ConstraintBody::Check(c.expression),
                comment: c.comment,
                origin,
            });
        }
        for (name, f) in t.foreign_keys {
            let origin = self.origin(&f);
            let f = f.into_inner();
            let references = self.name(&f.references, &origin)?;
            table.constraints.push(ConstraintDef {
                name: Some(name),
                body: ConstraintBody::ForeignKey(ForeignKeyDef {
                    columns: f.columns,
                    references,
                    referenced_columns: f.referenced_columns,
                    on_delete: f.on_delete.map(|a| action(&a)),
                    on_update: f.on_update.map(|a| action(&a)),
                }),
                comment: f.comment,
                origin,
            });
        }
        for (name, c) in t.constraints {
            let origin = self.origin(&c);
            let c = c.into_inner();
            table.constraints.push(ConstraintDef {
                name: Some(name),
                body: ConstraintBody::Definition(c.definition),
                comment: c.comment,
                origin,
            });
        }
        for (name, i) in t.indexes {
            table.indexes.push(self.index(name, i)?);
        }
        for (name, tr) in t.triggers {
            table.triggers.push(self.trigger(name, tr));
        }
        for (name, p) in t.policies {
            let origin = self.origin(&p);
            let p = p.into_inner();
            table.policies.push(PolicyDef {
                name,
                permissive: p.permissive,
                command: p.command,
                roles: p.roles,
                using: p.using,
                with_check: p.with_check,
                comment: p.comment,
                origin,
            });
        }
        Ok(table)
    }

    /// The name of a column's identity sequence as `identity_sequence` gives it.
    fn identity_sequence(
        &self,
        table: &QualifiedName,
        text: &str,
        origin: &Origin,
    ) -> Result<QualifiedName> {
        crate::source::model::identity_sequence_name(table, text, "identity_sequence", origin)
    }

    fn column(&self, table: &QualifiedName, s: Spanned<ColumnSpec>) -> Result<ColumnDef> {
        let origin = self.origin(&s);
        let c = s.into_inner();
        if c.identity.is_none() && (c.identity_sequence.is_some() || c.identity_grants.is_some()) {
            return Err(origin.error(
                format!(
                    "column {} has identity_sequence or identity_grants but no identity",
                    c.name
                ),
                Some("add identity = \"always\" or identity = \"by_default\"".into()),
            ));
        }
        let sequence_name = match &c.identity_sequence {
            Some(text) => Some(self.identity_sequence(table, text, &origin)?),
            None => None,
        };
        let mut col = ColumnDef::new(c.name, c.data_type, origin.clone());
        col.not_null = c.not_null;
        col.default = c.default;
        col.identity = match c.identity.as_deref() {
            None => None,
            Some(kind @ ("always" | "by_default")) => Some(Box::new(IdentityDef {
                always: kind == "always",
                sequence: c.identity_options.map(|o| SequenceOptions {
                    data_type: String::new(),
                    start: o.start,
                    increment: o.increment,
                    min_value: o.min_value,
                    max_value: o.max_value,
                    cache: o.cache,
                    cycle: o.cycle,
                }),
                sequence_name,
            })),
            Some(other) => {
                return Err(origin.error(
                    format!("identity = {other:?} is not a kind of identity"),
                    Some("write identity = \"always\" or identity = \"by_default\"".into()),
                ))
            }
        };
        col.generated = c.generated;
        col.collation = c.collation;
        col.storage = c.storage;
        col.statistics = c.statistics;
        col.compression = c.compression;
        col.comment = c.comment;
        col.renamed_from = c.renamed_from;
        col.backfill = c.backfill;
        if c.using.is_some() || c.downgrade_using.is_some() {
            col.using = Some(Box::new(crate::source::model::UsingHint {
                up: c.using,
                down: c.downgrade_using,
            }));
        }
        Ok(col)
    }

    fn index(&self, name: String, s: Spanned<IndexSpec>) -> Result<IndexDef> {
        let origin = self.origin(&s);
        let i = s.into_inner();
        let body = match i.definition {
            Some(d) => IndexBody::Definition(d),
            None if i.columns.is_empty() && i.expressions.is_empty() => {
                return Err(origin.error(
                    format!("index {name} has no keys"),
                    Some("give columns = [...], expressions = [...] or definition = \"CREATE INDEX ...\"".into()),
                ))
            }
            None => IndexBody::Keys {
                unique: i.unique,
                method: i.method,
                columns: i.columns,
                expressions: i.expressions,
                include: i.include,
                predicate: i.predicate,
            },
        };
        Ok(IndexDef {
            name: Some(name),
            body,
            comment: i.comment,
            origin,
        })
    }

    fn trigger(&self, name: String, s: Spanned<TriggerSpec>) -> TriggerDef {
        let origin = self.origin(&s);
        let t = s.into_inner();
        TriggerDef {
            name,
            definition: t.definition,
            firing: t.firing,
            comment: t.comment,
            origin,
        }
    }
}

/// `cascade`, `set_null`, `SET NULL`, `Cascade`... -> `CASCADE`, `SET NULL`.
pub(crate) fn action(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.trim().chars().enumerate() {
        if c == '_' || c == ' ' {
            out.push(' ');
        } else if c.is_uppercase()
            && i > 0
            && !out.ends_with(' ')
            && text.chars().any(|c| c.is_lowercase())
        {
            out.push(' ');
            out.push(c);
        } else {
            out.push(c.to_ascii_uppercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions() {
        assert_eq!(action("cascade"), "CASCADE");
        assert_eq!(action("set_null"), "SET NULL");
        assert_eq!(action("SetNull"), "SET NULL");
        assert_eq!(action("NO ACTION"), "NO ACTION");
        assert_eq!(action("NoAction"), "NO ACTION");
    }

    #[test]
    fn replica_identity_is_written_as_toml_says() {
        use crate::schema::ReplicaIdentity;
        #[derive(serde::Deserialize)]
        struct T {
            replica_identity: ReplicaIdentity,
        }
        let read = |s: &str| toml::from_str::<T>(s).unwrap().replica_identity;
        assert_eq!(read(r#"replica_identity = "full""#), ReplicaIdentity::Full);
        assert_eq!(
            read(r#"replica_identity = "nothing""#),
            ReplicaIdentity::Nothing
        );
        assert_eq!(
            read(r#"replica_identity = { index = "t_key" }"#),
            ReplicaIdentity::Index("t_key".into())
        );
    }

    #[test]
    fn suggestions() {
        let m = "unknown field `nulable`, expected one of `name`, `not_null`, `nullable`";
        assert_eq!(did_you_mean(m).unwrap(), "did you mean `nullable`?");
    }
}
