//! SeaORM entities as SeaORM users write them: `DeriveEntityModel` structs, their
//! `Relation` enum (`belongs_to` becomes a foreign key) and `DeriveActiveEnum` enums.

use super::attrs::{self, check_keys, Arg, Value};
use super::{Ctx, Entity, FieldFlags};
use crate::error::Result;
use crate::schema::QualifiedName;
use crate::source::model::*;

const TABLE_KEYS: &[&str] = &[
    "table_name",
    "schema_name",
    "comment",
    "table_iden",
    "rename_all",
    "model_ex",
    // SeaORM 2's `#[sea_orm::model]`: attributes for the generated Model / ModelEx.
    "model_attrs",
    "model_ex_attrs",
    // SeaORM 2's Arrow schema (`with-arrow`): no schema meaning.
    "arrow_schema",
];

const FIELD_KEYS: &[&str] = &[
    "primary_key",
    "auto_increment",
    "column_name",
    "column_type",
    "nullable",
    "unique",
    "indexed",
    "default_value",
    "default_expr",
    "comment",
    "ignore",
    "enum_name",
    "select_as",
    "save_as",
    "unique_key",
    "renamed_from",
    "extra",
    // SeaORM 2's Arrow schema (`DeriveArrowSchema`): how a column is exported to Arrow
    // and Parquet, no schema meaning.
    "arrow_field",
    "arrow_skip",
    "arrow_comment",
    "arrow_precision",
    "arrow_scale",
    "arrow_timestamp_unit",
    "arrow_timezone",
    "arrow_byte_width",
];

/// Keys SeaORM accepts that pgshift cannot model yet: an error that says so (a typo
/// gets a did-you-mean instead).
const UNSUPPORTED: &[(&str, &str)] = &[(
    "extra",
    "SeaORM appends `extra` to the column definition as raw SQL; write what it says with #[pgshift(...)] (check, default, collation, generated)",
)];

const ENUM_KEYS: &[&str] = &["rs_type", "db_type", "enum_name", "rename_all"];

const RELATION_KEYS: &[&str] = &[
    "belongs_to",
    "has_one",
    "has_many",
    "from",
    "to",
    "on_delete",
    "on_update",
    "on_condition",
    "condition_type",
    "fk_name",
    "skip_fk",
    "via",
    "via_rel",
];

/// The table of an entity `Model` (`#[sea_orm(table_name = "...", schema_name = "...")]`).
pub fn table(ctx: &Ctx, s: &syn::ItemStruct) -> Result<TableDef> {
    let args = attrs::args(ctx, &s.attrs, "sea_orm")?;
    check_keys(ctx, &args, "sea_orm", "an entity", TABLE_KEYS)?;
    let origin = ctx.origin(s.ident.span());
    let mut name = None;
    let mut schema = "public".to_string();
    for a in &args {
        match a.key.as_str() {
            "table_name" => name = Some(a.str(ctx)?),
            "schema_name" => schema = a.str(ctx)?,
            // Only sea-query's MySQL builder writes a table comment; PostgreSQL gets none.
            "comment" => {
                a.str(ctx)?;
            }
            _ => {}
        }
    }
    let name = name.ok_or_else(|| {
        origin.error(
            format!("entity {} has no table name", s.ident),
            Some("add #[sea_orm(table_name = \"...\")]".into()),
        )
    })?;
    Ok(TableDef::new(QualifiedName::new(schema, name), origin))
}

pub fn check_field_keys(ctx: &Ctx, args: &[Arg]) -> Result<()> {
    check_keys(ctx, args, "sea_orm", "a field", FIELD_KEYS)?;
    for a in args {
        if let Some((key, how)) = UNSUPPORTED.iter().find(|(k, _)| *k == a.key) {
            return Err(a.origin(ctx).error(
                format!("#[sea_orm({key})] is not supported yet by pgshift"),
                Some((*how).into()),
            ));
        }
    }
    Ok(())
}

/// The column name of a field: `column_name`, else the entity's `rename_all`, else the
/// field's name in snake_case (sea-orm-macros' rules).
pub fn rename_all(ctx: &Ctx, s: &syn::ItemStruct) -> Result<Option<String>> {
    let args = attrs::args(ctx, &s.attrs, "sea_orm")?;
    args.iter()
        .find(|a| a.key == "rename_all")
        .map(|a| case_style(ctx, a))
        .transpose()
}

/// A field's `#[sea_orm(...)]`.
pub fn apply_field(
    ctx: &Ctx,
    args: &[Arg],
    col: &mut ColumnDef,
    flags: &mut FieldFlags,
) -> Result<()> {
    for a in args {
        let origin = a.origin(ctx);
        match a.key.as_str() {
            "primary_key" => flags.primary_key = a.flag(ctx)?,
            "auto_increment" => flags.auto_increment = Some(a.flag(ctx)?),
            "column_name" => col.name = a.str(ctx)?,
            "column_type" => {
                let text = a.str(ctx)?;
                col.data_type = super::column_type::column_type(&text).map_err(|why| {
                    origin.error(
                        format!("column_type = {text:?}: {why}"),
                        Some("set the PostgreSQL type explicitly with #[pgshift(type = \"...\")]".into()),
                    )
                })?;
                let mut found = ctx.found.borrow_mut();
                if let Some((name, values)) = super::column_type::enum_of(&text) {
                    found.0.push(EnumDef {
                        name: QualifiedName::new("public".to_string(), name),
                        values,
                        comment: None,
                        origin: origin.clone(),
                    });
                }
                if let Some(name) = super::column_type::extension(&text) {
                    found.1.push(ExtensionDef {
                        name: name.into(),
                        schema: None,
                        origin: origin.clone(),
                    });
                }
            }
            "nullable" => col.not_null = !a.flag(ctx)?,
            "unique" => flags.unique = a.flag(ctx)?,
            "indexed" => flags.indexed = a.flag(ctx)?,
            // SeaORM binds the value as a parameter of its type: a string is a string literal.
            "default_value" => {
                col.default = Some(match &a.value {
                    Value::Str(s) => crate::sql::literal(s),
                    Value::Literal(l) => l.clone(),
                    _ => return Err(origin.error("default_value takes a value", Some("write default_value = \"text\" or default_value = 0".into()))),
                })
            }
            "default_expr" => col.default = Some(default_expr(&a.str(ctx)?).ok_or_else(|| {
                origin.error(
                    "pgshift cannot read this default_expr",
                    Some("it understands Expr::current_timestamp(), Expr::current_date(), Expr::current_time(), Expr::cust(\"SQL\"); otherwise write the SQL with #[pgshift(default = \"...\")]".into()),
                )
            })?),
            // sea-query writes no column comment for PostgreSQL (its Postgres builder
            // skips `ColumnSpec::comment`), so the comment is not part of the schema.
            "comment" => {
                a.str(ctx)?;
            }
            "unique_key" => flags.unique_key = Some(a.str(ctx)?),
            // A rename hint. SeaORM also puts it in the column's comment, which sea-query
            // does not write for PostgreSQL.
            "renamed_from" => col.renamed_from = Some(a.str(ctx)?),
            _ => {}
        }
    }
    Ok(())
}

/// `unique_key = "k"` on several fields: one unique index per key, named
/// `idx-<table>-<key>`, on the key's columns in field order (sea-orm's
/// `create_index_from_entity`).
pub fn unique_keys(table: &mut TableDef, fields: Vec<(String, String, Origin)>) -> Vec<String> {
    let mut keys: std::collections::BTreeMap<String, (Vec<String>, Origin)> = Default::default();
    for (key, column, origin) in fields {
        keys.entry(key)
            .or_insert_with(|| (vec![], origin))
            .0
            .push(column);
    }
    let mut names = vec![];
    for (key, (columns, origin)) in keys {
        let name = format!("idx-{}-{key}", table.name.name);
        names.push(name.clone());
        table.indexes.push(IndexDef {
            name: Some(name),
            body: IndexBody::Keys {
                unique: true,
                method: None,
                columns,
                expressions: vec![],
                include: vec![],
                predicate: None,
            },
            comment: None,
            origin,
        });
    }
    names
}

/// A single primary key column is auto-increment unless it says `auto_increment =
/// false` or its Rust type ends in `String` or `Uuid` (sea-orm-macros'
/// `NOT_AUTO_INCRE_TYPE_SUFFIX`); a composite key never is. sea-query 1.0 creates it
/// `GENERATED BY DEFAULT AS IDENTITY`, 0.32 (SeaORM 1.x) as serial: `[rust]
/// auto_increment` in pgshift.toml chooses.
pub fn auto_increment(
    ctx: &Ctx,
    table: &mut TableDef,
    primary_key: &[String],
    written: &[(Option<bool>, String)],
    options: &super::Options,
) -> Result<()> {
    let [(said, rust_type)] = written else {
        return Ok(());
    };
    let on = said.unwrap_or_else(|| !rust_type.ends_with("String") && !rust_type.ends_with("Uuid"));
    if !on {
        return Ok(());
    }
    let Some(col) = table.columns.iter_mut().find(|c| c.name == primary_key[0]) else {
        return Ok(());
    };
    if col.identity.is_some() {
        return Ok(());
    }
    if !matches!(col.data_type.as_str(), "smallint" | "integer" | "bigint") {
        return Err(col.origin.error(
            format!(
                "the key {} is auto-increment, and SeaORM cannot create an auto-increment column of type {} (sea-query's PostgreSQL builder panics)",
                col.name, col.data_type
            ),
            Some("add auto_increment = false, or use i16, i32 or i64".into()),
        ));
    }
    let _ = ctx;
    match options.auto_increment {
        super::AutoIncrement::Identity => {
            col.identity = Some(Box::new(IdentityDef {
                always: false,
                sequence: None,
                sequence_name: None,
            }))
        }
        super::AutoIncrement::Serial => {
            col.data_type = match col.data_type.as_str() {
                "smallint" => "smallserial".into(),
                "integer" => "serial".into(),
                _ => "bigserial".into(),
            }
        }
    }
    Ok(())
}

/// SeaORM `default_expr` (a sea-query `SimpleExpr` written as Rust) -> SQL.
fn default_expr(text: &str) -> Option<String> {
    let t = text
        .trim()
        .trim_start_matches("sea_query::")
        .trim_start_matches("sea_orm::");
    match t.replace(' ', "").as_str() {
        "Expr::current_timestamp()" | "Keyword::CurrentTimestamp" => {
            return Some("CURRENT_TIMESTAMP".into())
        }
        "Expr::current_date()" | "Keyword::CurrentDate" => return Some("CURRENT_DATE".into()),
        "Expr::current_time()" | "Keyword::CurrentTime" => return Some("CURRENT_TIME".into()),
        _ => {}
    }
    let inner = t.strip_prefix("Expr::cust(")?.strip_suffix(')')?.trim();
    let lit: syn::LitStr = syn::parse_str(inner).ok()?;
    Some(lit.value())
}

/// A `DeriveActiveEnum`: with `db_type = "Enum"` a PostgreSQL enum type; otherwise the
/// column type its values are stored as.
pub fn active_enum(
    ctx: &Ctx,
    e: &syn::ItemEnum,
    pg: &[Arg],
) -> Result<Option<(Option<EnumDef>, String)>> {
    let args = attrs::args(ctx, &e.attrs, "sea_orm")?;
    check_keys(ctx, &args, "sea_orm", "an active enum", ENUM_KEYS)?;
    check_keys(ctx, pg, "pgshift", "an active enum", &["schema", "comment"])?;
    let origin = ctx.origin(e.ident.span());
    let mut db_type = None;
    // sea-orm-macros: the type is named after the enum in UpperCamelCase unless
    // `enum_name` says.
    let mut name = super::case::convert(&e.ident.to_string(), "PascalCase").unwrap_or_default();
    let mut rename_all = None;
    for a in &args {
        match a.key.as_str() {
            "db_type" => db_type = Some(a.str(ctx)?),
            "enum_name" => name = a.str(ctx)?,
            "rename_all" => rename_all = Some(case_style(ctx, a)?),
            _ => {}
        }
    }
    let db_type = db_type.ok_or_else(|| {
        origin.error(
            format!("active enum {} has no db_type", e.ident),
            Some("add db_type = \"Enum\"".into()),
        )
    })?;
    if db_type != "Enum" {
        let sql = super::column_type::column_type(&db_type).map_err(|why| {
            origin.error(
                format!("db_type = {db_type:?}: {why}"),
                Some(
                    "use a known ColumnType such as \"String(StringLen::N(20))\" or \"Integer\""
                        .into(),
                ),
            )
        })?;
        return Ok(Some((None, sql)));
    }
    let mut schema = "public".to_string();
    let mut comment = None;
    for a in pg {
        match a.key.as_str() {
            "schema" => schema = a.str(ctx)?,
            _ => comment = Some(a.str(ctx)?),
        }
    }
    let mut values = vec![];
    for v in &e.variants {
        let vargs = attrs::args(ctx, &v.attrs, "sea_orm")?;
        check_keys(
            ctx,
            &vargs,
            "sea_orm",
            "an enum variant",
            &["string_value", "num_value", "display_value", "rename"],
        )?;
        let mut value = None;
        let mut rename = rename_all.clone();
        for a in &vargs {
            match a.key.as_str() {
                "string_value" => value = Some(a.str(ctx)?),
                "rename" => rename = Some(case_style(ctx, a)?),
                // `display_value` is for DeriveDisplay: no schema meaning.
                _ => {}
            }
        }
        let value = match (value, rename) {
            (Some(v), _) => v,
            (None, Some(style)) => super::case::convert(&v.ident.to_string(), &style).unwrap_or_default(),
            (None, None) => return Err(ctx.origin(v.ident.span()).error(
                format!("variant {} has no string_value", v.ident),
                Some("a PostgreSQL enum needs #[sea_orm(string_value = \"...\")] on each variant, or rename_all on the enum".into()),
            )),
        };
        values.push(value);
    }
    let qname = QualifiedName::new(schema, name);
    let sql_type = crate::sql::qualified(&qname);
    Ok(Some((
        Some(EnumDef {
            name: qname,
            values,
            comment,
            origin,
        }),
        sql_type,
    )))
}

/// A foreign key of the entity in a module; true when SeaORM's convention named it.
pub type ForeignKey = (Vec<String>, ConstraintDef, bool);

/// A `rename_all` / `rename` case style SeaORM knows.
fn case_style(ctx: &Ctx, a: &Arg) -> Result<String> {
    let style = a.str(ctx)?;
    if super::case::STYLES.contains(&style.as_str()) {
        return Ok(style);
    }
    let hint = match crate::source::model::suggest(&style, super::case::STYLES) {
        Some(s) => format!("did you mean {s:?}?"),
        None => format!("SeaORM's case styles: {}", super::case::STYLES.join(", ")),
    };
    Err(a.origin(ctx).error(
        format!("{style:?} is not a case style SeaORM knows"),
        Some(hint),
    ))
}

/// `belongs_to` variants of a `Relation` enum as foreign keys of this module's entity.
pub fn relations(
    ctx: &Ctx,
    e: &syn::ItemEnum,
    module: &[String],
    entities: &[Entity],
) -> Result<Vec<ForeignKey>> {
    let mut out = vec![];
    // Each variant's error is kept, so that one run reports them all; without its own
    // entity (which failed to read) a variant's keys are still checked.
    let mut errors = crate::error::Collected::default();
    let own = entities.iter().find(|en| en.module == module);
    for v in &e.variants {
        let read = attrs::args(ctx, &v.attrs, "sea_orm").and_then(|args| {
            check_keys(ctx, &args, "sea_orm", "a relation", RELATION_KEYS)?;
            match own {
                Some(own) => foreign_key(ctx, v, &args, own, module, entities),
                None => Ok(None),
            }
        });
        out.extend(errors.keep(read).flatten());
    }
    errors.finish()?;
    Ok(out)
}

/// The foreign key a `belongs_to` variant of `own`'s `Relation` makes, if any.
fn foreign_key(
    ctx: &Ctx,
    v: &syn::Variant,
    args: &[Arg],
    own: &Entity,
    module: &[String],
    entities: &[Entity],
) -> Result<Option<ForeignKey>> {
    let get = |k: &str| args.iter().find(|a| a.key == k);
    let Some(belongs_to) = get("belongs_to") else {
        return Ok(None);
    };
    if let Some(skip) = get("skip_fk") {
        if skip.flag(ctx)? {
            return Ok(None);
        }
    }
    let origin = ctx.origin(v.ident.span());
    let target_path = belongs_to.str(ctx)?;
    let target = resolve(module, &target_path, entities).ok_or_else(|| {
        belongs_to.origin(ctx).error(
            format!("cannot find the entity {target_path:?} among the files read"),
            Some("read the directory that holds every entity, e.g. --to src/entities/".into()),
        )
    })?;
    let missing = |k: &str| {
        origin.error(
            format!("relation {} has belongs_to but no {k}", v.ident),
            Some(format!("add {k} = \"Column::...\"")),
        )
    };
    let from = get("from").ok_or_else(|| missing("from"))?;
    let to = get("to").ok_or_else(|| missing("to"))?;
    let columns = columns_of(ctx, from, own)?;
    let referenced_columns = columns_of(ctx, to, target)?;
    let action = |k: &str| -> Result<Option<String>> {
        Ok(match get(k) {
            Some(a) => Some(crate::source::toml::action(&a.str(ctx)?)),
            None => None,
        })
    };
    // Without fk_name, SeaORM names it `fk-<table>-<columns joined by ->`.
    let (name, conventional) = match get("fk_name") {
        Some(a) => (a.str(ctx)?, false),
        None => (
            format!("fk-{}-{}", own.table.name.name, columns.join("-")),
            true,
        ),
    };
    Ok(Some((
        module.to_vec(),
        ConstraintDef {
            name: Some(name),
            body: ConstraintBody::ForeignKey(ForeignKeyDef {
                columns,
                references: target.table.name.clone(),
                referenced_columns,
                on_delete: action("on_delete")?,
                on_update: action("on_update")?,
            }),
            comment: None,
            origin,
        },
        conventional,
    )))
}

/// `super::customers::Entity` from module `orders` -> the entity of module `customers`;
/// failing an exact path, the one entity whose module ends with that name.
fn resolve<'a>(module: &[String], path: &str, entities: &'a [Entity]) -> Option<&'a Entity> {
    let segments: Vec<&str> = path.split("::").map(str::trim).collect();
    let (_, modules) = segments.split_last()?;
    let mut abs: Vec<String> = module.to_vec();
    for s in modules {
        match *s {
            "super" => {
                abs.pop();
            }
            "crate" => abs.clear(),
            "self" => {}
            other => abs.push(other.to_string()),
        }
    }
    if let Some(e) = entities.iter().find(|e| e.module == abs) {
        return Some(e);
    }
    let last = modules
        .last()
        .filter(|m| !["super", "self", "crate"].contains(m))?;
    let mut matching = entities
        .iter()
        .filter(|e| e.module.last().map(String::as_str) == Some(*last));
    let first = matching.next()?;
    matching.next().is_none().then_some(first)
}

/// `Column::CustomerId` or `(Column::A, Column::B)` -> column names of `entity`.
fn columns_of(ctx: &Ctx, arg: &Arg, entity: &Entity) -> Result<Vec<String>> {
    let text = arg.str(ctx)?;
    let mut out = vec![];
    for part in text
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
    {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        // `Column::CustomerId`, or (dense format) `customer_id`.
        let variant = super::camel_case(part.rsplit("::").next().unwrap_or(part));
        let variant = variant.as_str();
        let column = entity.variants.get(variant).ok_or_else(|| {
            arg.origin(ctx).error(
                format!("{} has no column {variant}", entity.table.name),
                Some(format!(
                    "columns of {}: {}",
                    entity.table.name,
                    entity
                        .variants
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            )
        })?;
        out.push(column.clone());
    }
    Ok(out)
}

/// Keys of a dense-format relation field (sea-orm-macros' `compound_attr`).
const DENSE_KEYS: &[&str] = &[
    "has_one",
    "has_many",
    "belongs_to",
    "self_ref",
    "skip_fk",
    "via",
    "via_rel",
    "from",
    "to",
    "relation_enum",
    "relation_reverse",
    "reverse",
    "on_update",
    "on_delete",
];

/// A `belongs_to` field of the dense format (`#[sea_orm::model]`): the foreign key
/// SeaORM derives from it.
pub struct DenseRelation {
    /// `super::user::Entity`; None for `self_ref`.
    target: Option<String>,
    from: Arg,
    to: Arg,
    on_update: Option<String>,
    on_delete: Option<String>,
    origin: Origin,
}

/// `HasOne<E>`, `HasMany<E>`, `BelongsTo<E>` (or `BelongsTo<Option<E>>`).
pub fn is_relation_field(ty: &syn::Type) -> bool {
    relation_target(ty).is_some()
}

fn relation_target(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if !["HasOne", "HasMany", "BelongsTo"].contains(&last.ident.to_string().as_str()) {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let inner = args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })?;
    // BelongsTo<Option<E>>.
    if let syn::Type::Path(ip) = inner {
        if let Some(seg) = ip.path.segments.last().filter(|s| s.ident == "Option") {
            if let syn::PathArguments::AngleBracketed(a) = &seg.arguments {
                if let Some(syn::GenericArgument::Type(t)) = a.args.first() {
                    return Some(t);
                }
            }
        }
    }
    Some(inner)
}

/// The foreign key of a relation field, if it declares one (`belongs_to`, or `self_ref`
/// with `from`), without `skip_fk`.
pub fn dense_relation(
    ctx: &Ctx,
    field: &syn::Field,
    args: &[Arg],
) -> Result<Option<DenseRelation>> {
    check_keys(ctx, args, "sea_orm", "a relation field", DENSE_KEYS)?;
    let get = |k: &str| args.iter().find(|a| a.key == k);
    let self_ref = get("self_ref").is_some();
    let declares = get("belongs_to").is_some() || (self_ref && get("from").is_some());
    if !declares || get("skip_fk").is_some() {
        return Ok(None);
    }
    let origin = ctx.origin(
        field
            .ident
            .as_ref()
            .map_or_else(proc_macro2::Span::call_site, |i| i.span()),
    );
    let missing = |k: &str| {
        origin.error(
            format!("#[sea_orm(belongs_to)] needs `{k} = \"...\"`"),
            Some(format!(
                "name the {} column(s): {k} = \"...\"",
                if k == "from" { "local" } else { "referenced" }
            )),
        )
    };
    let target = if self_ref {
        None
    } else {
        let ty = relation_target(&field.ty).expect("a relation field");
        Some(
            quote::ToTokens::to_token_stream(ty)
                .to_string()
                .replace(' ', ""),
        )
    };
    let action = |k: &str| -> Result<Option<String>> {
        get(k)
            .map(|a| Ok(crate::source::toml::action(&a.str(ctx)?)))
            .transpose()
    };
    Ok(Some(DenseRelation {
        target,
        from: get("from").ok_or_else(|| missing("from"))?.clone(),
        to: get("to").ok_or_else(|| missing("to"))?.clone(),
        on_update: action("on_update")?,
        on_delete: action("on_delete")?,
        origin,
    }))
}

/// A dense relation as the foreign key of the entity in `module`, named by SeaORM's
/// convention (the dense format has no `fk_name`).
pub fn dense_foreign_key(
    ctx: &Ctx,
    r: DenseRelation,
    module: &[String],
    entities: &[Entity],
) -> Result<Option<ForeignKey>> {
    let Some(own) = entities.iter().find(|en| en.module == module) else {
        return Ok(None);
    };
    let target = match &r.target {
        None => own,
        Some(path) => resolve(module, path, entities).ok_or_else(|| {
            r.origin.error(
                format!("cannot find the entity {path:?} among the files read"),
                Some("read the directory that holds every entity, e.g. --to src/entities/".into()),
            )
        })?,
    };
    let columns = columns_of(ctx, &r.from, own)?;
    let referenced_columns = columns_of(ctx, &r.to, target)?;
    let name = format!("fk-{}-{}", own.table.name.name, columns.join("-"));
    Ok(Some((
        module.to_vec(),
        ConstraintDef {
            name: Some(name),
            body: ConstraintBody::ForeignKey(ForeignKeyDef {
                columns,
                references: target.table.name.clone(),
                referenced_columns,
                on_delete: r.on_delete,
                on_update: r.on_update,
            }),
            comment: None,
            origin: r.origin,
        },
        true,
    )))
}
