//! Attribute arguments (`#[sea_orm(...)]`, `#[pgshift(...)]`) as plain data with spans,
//! so each key can be checked against the keys a place allows (with a did-you-mean).

use super::Ctx;
use crate::error::Result;
use crate::source::model::{suggest, Origin};
use crate::source::model_sql::text;
use crate::sql::lex::Slot;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;

#[derive(Clone, Debug)]
pub enum Value {
    Flag,
    Str(String),
    /// A number or boolean, as written.
    Literal(String),
    List(Vec<Arg>),
}

#[derive(Clone, Debug)]
pub struct Arg {
    pub key: String,
    pub value: Value,
    pub span: proc_macro2::Span,
}

/// Arguments of every attribute named `name` (`sea_orm`, `pgshift`) in `attrs`.
pub fn args(ctx: &Ctx, attrs: &[syn::Attribute], name: &str) -> Result<Vec<Arg>> {
    let mut out = vec![];
    for attr in attrs.iter().filter(|a| a.path().is_ident(name)) {
        if matches!(attr.meta, syn::Meta::Path(_)) {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            out.push(parse_one(meta)?);
            Ok(())
        })
        .map_err(|e| ctx.syn_error(&e, &format!("cannot read this #[{name}(...)] attribute")))?;
    }
    Ok(out)
}

/// Keys whose parenthesized arguments are attributes for other structs
/// (`#[sea_orm(model_attrs(derive(Serialize)))]` of SeaORM 2's `#[sea_orm::model]`),
/// read as tokens, not as arguments.
const PASSED_THROUGH: &[&str] = &["model_attrs", "model_ex_attrs"];

fn parse_one(meta: ParseNestedMeta) -> syn::Result<Arg> {
    let key = meta
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::");
    let span = meta.path.span();
    let value = if PASSED_THROUGH.contains(&key.as_str()) && meta.input.peek(syn::token::Paren) {
        // Any attribute syntax (`derive(Serialize)`, `serde(rename_all = "camelCase")`):
        // SeaORM copies it onto the structs it generates; no schema meaning.
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<proc_macro2::TokenStream>()?;
        Value::List(vec![])
    } else if meta.input.peek(syn::Token![=]) {
        let expr: syn::Expr = meta.value()?.parse()?;
        literal(&expr)
            .ok_or_else(|| syn::Error::new(expr.span(), "expected a string, number or boolean"))?
    } else if meta.input.peek(syn::token::Paren) {
        let mut inner = vec![];
        meta.parse_nested_meta(|m| {
            inner.push(parse_one(m)?);
            Ok(())
        })?;
        Value::List(inner)
    } else {
        Value::Flag
    };
    Ok(Arg { key, value, span })
}

fn literal(expr: &syn::Expr) -> Option<Value> {
    match expr {
        syn::Expr::Lit(l) => match &l.lit {
            syn::Lit::Str(s) => Some(Value::Str(s.value())),
            syn::Lit::Int(i) => Some(Value::Literal(i.base10_digits().to_string())),
            syn::Lit::Float(f) => Some(Value::Literal(f.base10_digits().to_string())),
            syn::Lit::Bool(b) => Some(Value::Literal(b.value.to_string())),
            _ => None,
        },
        syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match literal(&u.expr)? {
            Value::Literal(t) => Some(Value::Literal(format!("-{t}"))),
            _ => None,
        },
        syn::Expr::Group(g) => literal(&g.expr),
        _ => None,
    }
}

impl Arg {
    pub fn origin(&self, ctx: &Ctx) -> Origin {
        ctx.origin(self.span)
    }

    /// The string value, or an error saying `key = "..."` is expected.
    pub fn str(&self, ctx: &Ctx) -> Result<String> {
        match &self.value {
            Value::Str(s) => Ok(s.clone()),
            _ => Err(self.origin(ctx).error(
                format!("`{}` takes a string", self.key),
                Some(format!("write {} = \"...\"", self.key)),
            )),
        }
    }

    /// A flag (`unique`) or an explicit boolean (`unique = true`).
    pub fn flag(&self, ctx: &Ctx) -> Result<bool> {
        match &self.value {
            Value::Flag => Ok(true),
            Value::Literal(b) if b == "true" || b == "false" => Ok(b == "true"),
            _ => Err(self.origin(ctx).error(
                format!("`{}` is a flag", self.key),
                Some(format!("write {0} or {0} = false", self.key)),
            )),
        }
    }

    pub fn list(&self, ctx: &Ctx) -> Result<&[Arg]> {
        match &self.value {
            Value::List(l) => Ok(l),
            _ => Err(self.origin(ctx).error(
                format!("`{}` takes a list of arguments", self.key),
                Some(format!("write {}(...)", self.key)),
            )),
        }
    }
}

/// Fails on the first key not in `allowed`, with the closest allowed key as a hint.
pub fn check_keys(
    ctx: &Ctx,
    args: &[Arg],
    attr: &str,
    place: &str,
    allowed: &[&str],
) -> Result<()> {
    for a in args {
        if !allowed.contains(&a.key.as_str()) {
            let hint = match suggest(&a.key, allowed) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("allowed here: {}", allowed.join(", ")),
            };
            return Err(a.origin(ctx).error(
                format!("unknown {attr} attribute `{}` on {place}", a.key),
                Some(hint),
            ));
        }
    }
    Ok(())
}

/// Comma-separated names: `"a, b"` -> `["a", "b"]`.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

// ---- pgshift's own attributes ----------------------------------------------------------

pub const TABLE_KEYS: &[&str] = &[
    "table",
    "schema",
    "comment",
    "renamed_from",
    "index",
    "unique",
    "check",
    "distributed_by",
    "colocate_with",
    "shard_count",
    "reference",
    "citus_local",
    // super::privileges::TABLE_KEYS
    "owner",
    "grant",
    "no_grants",
    "statistics",
];

pub const FIELD_KEYS: &[&str] = &[
    "type",
    "column_name",
    "default",
    "check",
    "comment",
    "renamed_from",
    "backfill",
    "using",
    "downgrade_using",
    "nullable",
    "not_null",
    "primary_key",
    "auto_increment",
    "unique",
    "index",
    "identity",
    "generated",
    "collation",
    "references",
    "on_delete",
    "on_update",
    "ignore",
    "grant",
    "identity_sequence",
    "identity_grant",
];

use crate::schema::QualifiedName;
use crate::source::model::*;

/// Struct-level `#[pgshift(...)]`: schema, comment, rename hint, indexes, unique and
/// check constraints.
pub fn apply_table(ctx: &Ctx, args: &[Arg], table: &mut TableDef) -> Result<()> {
    let mut citus = CitusArgs::default();
    for a in args {
        let origin = a.origin(ctx);
        match a.key.as_str() {
            "distributed_by" => citus.distributed_by = Some((a.str(ctx)?, origin)),
            "colocate_with" => citus.colocate_with = Some((a.str(ctx)?, origin)),
            "shard_count" => {
                let n = match &a.value {
                    Value::Literal(n) => n.parse::<u32>().ok().filter(|n| *n > 0),
                    _ => None,
                };
                let n = n.ok_or_else(|| {
                    origin.error(
                        "`shard_count` takes a positive whole number",
                        Some("write shard_count = 32".into()),
                    )
                })?;
                citus.shard_count = Some((n, origin));
            }
            key if super::privileges::TABLE_KEYS.contains(&key) => {
                super::privileges::table_arg(ctx, a, table)?
            }
            "reference" if a.flag(ctx)? => citus.reference = Some(origin),
            "citus_local" if a.flag(ctx)? => citus.local = Some(origin),
            "schema" => table.name.schema = a.str(ctx)?.into(),
            "comment" => table.comment = Some(a.str(ctx)?),
            "renamed_from" => {
                let text = a.str(ctx)?;
                let old = QualifiedName::parse(&text, &table.name.schema).ok_or_else(|| {
                    origin.error(
                        format!("{text:?} is not a table name"),
                        Some("write \"old_name\" or \"schema.old_name\"".into()),
                    )
                })?;
                table.renamed_from = Some(old);
            }
            "index" => {
                let list = a.list(ctx)?;
                check_keys(
                    ctx,
                    list,
                    "pgshift",
                    "an index",
                    &[
                        "name",
                        "columns",
                        "expr",
                        "unique",
                        "method",
                        "include",
                        "predicate",
                        "comment",
                    ],
                )?;
                let (mut name, mut unique, mut method, mut predicate, mut comment) =
                    (None, false, None, None, None);
                let (mut columns, mut expressions, mut include) = (vec![], vec![], vec![]);
                for i in list {
                    match i.key.as_str() {
                        "name" => name = Some(i.str(ctx)?),
                        "columns" => columns = split_list(&i.str(ctx)?),
                        "expr" => expressions.push(i.str(ctx)?),
                        "unique" => unique = i.flag(ctx)?,
                        "method" => method = Some(i.str(ctx)?),
                        "include" => include = split_list(&i.str(ctx)?),
                        "predicate" => predicate = Some(i.str(ctx)?),
                        _ => comment = Some(i.str(ctx)?),
                    }
                }
                if columns.is_empty() && expressions.is_empty() {
                    return Err(origin.error(
                        "index(...) has no keys",
                        Some("give columns = \"a, b\" or expr = \"lower(email)\"".into()),
                    ));
                }
                if comment.is_some() && name.is_none() {
                    return Err(origin.error(
                        "an index with a comment needs a name",
                        Some("add name = \"...\"".into()),
                    ));
                }
                table.indexes.push(IndexDef {
                    name,
                    body: IndexBody::Keys {
                        unique,
                        method,
                        columns,
                        expressions,
                        include,
                        predicate,
                    },
                    comment,
                    origin,
                });
            }
            "unique" | "check" => {
                let list = a.list(ctx)?;
                let allowed: &[&str] = if a.key == "unique" {
                    &["name", "columns", "comment"]
                } else {
                    &["name", "expr", "comment"]
                };
                check_keys(
                    ctx,
                    list,
                    "pgshift",
                    &format!("a {} constraint", a.key),
                    allowed,
                )?;
                let (mut name, mut comment, mut body) = (None, None, None);
                for i in list {
                    match i.key.as_str() {
                        "name" => name = Some(i.str(ctx)?),
                        "comment" => comment = Some(i.str(ctx)?),
                        "columns" => body = Some(ConstraintBody::Unique(split_list(&i.str(ctx)?))),
                        _ => body = Some(ConstraintBody::Check(i.str(ctx)?)),
                    }
                }
                let body = body.ok_or_else(|| {
                    origin.error(
                        format!("{}(...) says nothing to enforce", a.key),
                        Some(if a.key == "unique" {
                            "add columns = \"a, b\"".into()
                        } else {
                            "add expr = \"...\"".into()
                        }),
                    )
                })?;
                table.constraints.push(ConstraintDef {
                    name,
                    body,
                    comment,
                    origin,
                });
            }
            _ => {}
        }
    }
    table.citus = citus.resolve(&table.name.schema)?;
    Ok(())
}

/// The Citus placement a struct's attributes give, with where each was written.
#[derive(Default)]
struct CitusArgs {
    distributed_by: Option<(String, Origin)>,
    colocate_with: Option<(String, Origin)>,
    shard_count: Option<(u32, Origin)>,
    reference: Option<Origin>,
    local: Option<Origin>,
}

impl CitusArgs {
    fn resolve(self, schema: &str) -> Result<Option<CitusDef>> {
        use crate::schema::Citus;
        let placed = [
            self.distributed_by.as_ref().map(|(_, o)| o),
            self.reference.as_ref(),
            self.local.as_ref(),
        ];
        if let Some(second) = placed.iter().flatten().nth(1) {
            return Err(second.error(
                "a table has one Citus placement: `distributed_by`, `reference` or `citus_local`",
                Some("keep one of them".into()),
            ));
        }
        let Some((column, origin)) = self.distributed_by else {
            let stray = self.colocate_with.map(|(_, o)| o);
            if let Some(o) = stray.or(self.shard_count.map(|(_, o)| o)) {
                return Err(o.error(
                    "`colocate_with` and `shard_count` apply to a distributed table",
                    Some("add distributed_by = \"COLUMN\"".into()),
                ));
            }
            return Ok(self
                .reference
                .map(|origin| CitusDef {
                    citus: Citus::Reference,
                    origin,
                })
                .or(self.local.map(|origin| CitusDef {
                    citus: Citus::Local,
                    origin,
                })));
        };
        let colocate_with = match self.colocate_with {
            Some((text, o)) => Some(QualifiedName::parse(&text, schema).ok_or_else(|| {
                o.error(
                    format!("{text:?} is not a table name"),
                    Some("write \"table\" or \"schema.table\"".into()),
                )
            })?),
            None => None,
        };
        Ok(Some(CitusDef {
            citus: Citus::Distributed {
                column: column.as_str().into(),
                colocate_with,
                shard_count: self.shard_count.map(|(n, _)| n),
            },
            origin,
        }))
    }
}

/// Field-level `#[pgshift(...)]`.
pub fn apply_field(
    ctx: &Ctx,
    args: &[Arg],
    col: &mut ColumnDef,
    flags: &mut super::FieldFlags,
    table: &mut TableDef,
) -> Result<()> {
    let table_name = table.name.clone();
    let mut field_index: Option<IndexDef> = None;
    let mut fk: Option<(Origin, QualifiedName, String)> = None;
    let (mut on_delete, mut on_update) = (None, None);
    let mut grants = None;
    let mut identity_grants = None;
    let mut identity_sequence = None;
    // Checked here too, to point at the attribute rather than the field.
    let what = format!("column {}.{}", table.name, col.name);
    let clause = |a: &Arg, field: &str| -> Result<String> {
        let value = a.str(ctx)?;
        text(&value, Slot::Clause, field, &what, &a.origin(ctx))?;
        Ok(value)
    };
    for a in args {
        let origin = a.origin(ctx);
        match a.key.as_str() {
            "type" => col.data_type = clause(a, "type")?,
            "column_name" => col.name = a.str(ctx)?,
            "default" => col.default = Some(clause(a, "default")?),
            "check" => table.constraints.push(ConstraintDef {
                name: None,
                body: ConstraintBody::Check(a.str(ctx)?),
                comment: None,
                origin,
            }),
            "comment" => col.comment = Some(a.str(ctx)?),
            "renamed_from" => col.renamed_from = Some(a.str(ctx)?),
            "backfill" => col.backfill = Some(a.str(ctx)?),
            // Checked as one expression when the plan uses it (`plan::casts`).
            "using" => col.using.get_or_insert_with(Default::default).up = Some(a.str(ctx)?),
            "downgrade_using" => {
                col.using.get_or_insert_with(Default::default).down = Some(a.str(ctx)?)
            }
            "nullable" => col.not_null = !a.flag(ctx)?,
            "not_null" => col.not_null = a.flag(ctx)?,
            "primary_key" => flags.primary_key = a.flag(ctx)?,
            "auto_increment" => flags.auto_increment = Some(a.flag(ctx)?),
            "unique" => flags.unique = a.flag(ctx)?,
            "index" if matches!(a.value, Value::List(_)) => {
                // index(method = "gin", name = "...", unique, predicate = "...")
                let list = a.list(ctx)?;
                check_keys(
                    ctx,
                    list,
                    "pgshift",
                    "a field index",
                    &[
                        "name",
                        "unique",
                        "method",
                        "include",
                        "predicate",
                        "comment",
                    ],
                )?;
                let mut index = IndexDef {
                    name: None,
                    body: IndexBody::Keys {
                        unique: false,
                        method: None,
                        columns: vec![col.name.clone()],
                        expressions: vec![],
                        include: vec![],
                        predicate: None,
                    },
                    comment: None,
                    origin,
                };
                for i in list {
                    let IndexBody::Keys {
                        unique,
                        method,
                        include,
                        predicate,
                        ..
                    } = &mut index.body
                    else {
                        continue;
                    };
                    match i.key.as_str() {
                        "name" => index.name = Some(i.str(ctx)?),
                        "unique" => *unique = i.flag(ctx)?,
                        "method" => *method = Some(i.str(ctx)?),
                        "include" => *include = split_list(&i.str(ctx)?),
                        "predicate" => *predicate = Some(i.str(ctx)?),
                        _ => index.comment = Some(i.str(ctx)?),
                    }
                }
                if index.comment.is_some() && index.name.is_none() {
                    return Err(index.origin.error(
                        "an index with a comment needs a name",
                        Some("add name = \"...\"".into()),
                    ));
                }
                field_index = Some(index);
            }
            "index" => flags.indexed = a.flag(ctx)?,
            "identity" => {
                let kind = a.str(ctx)?;
                if kind != "always" && kind != "by_default" {
                    return Err(origin.error(
                        format!("identity = {kind:?} is not a kind of identity"),
                        Some("write identity = \"always\" or identity = \"by_default\"".into()),
                    ));
                }
                col.identity = Some(Box::new(IdentityDef {
                    always: kind == "always",
                    sequence: None,
                    sequence_name: None,
                }));
            }
            "generated" => col.generated = Some(clause(a, "generated expression")?),
            "collation" => col.collation = Some(clause(a, "collation")?),
            "references" => {
                let text = a.str(ctx)?;
                let parsed = text
                    .strip_suffix(')')
                    .and_then(|t| t.split_once('('))
                    .and_then(|(t, c)| {
                        Some((
                            QualifiedName::parse(t.trim(), &table_name.schema)?,
                            c.trim().to_string(),
                        ))
                    });
                let (target, column) = parsed.ok_or_else(|| {
                    origin.error(
                        format!("references = {text:?} does not name a column"),
                        Some(
                            "write references = \"table(column)\" or \"schema.table(column)\""
                                .into(),
                        ),
                    )
                })?;
                fk = Some((origin, target, column));
            }
            "on_delete" => on_delete = Some(crate::source::toml::action(&a.str(ctx)?)),
            "on_update" => on_update = Some(crate::source::toml::action(&a.str(ctx)?)),
            "grant" => super::privileges::field_grant(ctx, a, &mut grants)?,
            "identity_grant" => super::privileges::field_grant(ctx, a, &mut identity_grants)?,
            "identity_sequence" => identity_sequence = Some((a.str(ctx)?, origin)),
            _ => {}
        }
    }
    if let Some((acl, origin)) = grants {
        let extras = table.extras.get_or_insert_with(Default::default);
        extras.column_grants.push((col.name.clone(), acl, origin));
    }
    if let Some((acl, origin)) = identity_grants {
        let extras = table.extras.get_or_insert_with(Default::default);
        extras.identity_grants.push((col.name.clone(), acl, origin));
    }
    if let Some((name, origin)) = identity_sequence {
        let extras = table.extras.get_or_insert_with(Default::default);
        extras
            .identity_sequences
            .push((col.name.clone(), name, origin));
    }
    // Columns are named once every argument is read (`column_name` may come last).
    if let Some(mut index) = field_index {
        if let IndexBody::Keys { columns, .. } = &mut index.body {
            *columns = vec![col.name.clone()];
        }
        table.indexes.push(index);
    }
    if let Some((origin, references, column)) = fk {
        table.constraints.push(ConstraintDef {
            name: None,
            body: ConstraintBody::ForeignKey(ForeignKeyDef {
                columns: vec![col.name.clone()],
                references,
                referenced_columns: vec![column],
                on_delete,
                on_update,
            }),
            comment: None,
            origin,
        });
    } else if on_delete.is_some() || on_update.is_some() {
        return Err(col.origin.error(
            format!(
                "column {} has on_delete/on_update but no references",
                col.name
            ),
            Some("add references = \"table(column)\"".into()),
        ));
    }
    Ok(())
}
