//! Enums and structs read as types and tables: SeaORM active enums and entity `Model`s,
//! `#[pgshift(enum)]` enums and `#[pgshift(table)]` structs, and how field types resolve.

use super::{
    attrs, camel_case, case, derives, doc_comment, ident_name, sea_orm, snake_case, types,
    value_types, Ctx, Options,
};
use crate::error::Result;
use crate::source::model::*;
use std::collections::BTreeMap;

/// A table read from a struct: its definition, its SeaORM `Column` variants, and the
/// names SeaORM's conventions gave its constraints and indexes.
pub struct ReadTable {
    pub table: TableDef,
    pub variants: BTreeMap<String, String>,
    pub conventional: Vec<String>,
    /// Dense-format relation fields (`HasOne`/`HasMany`/`BelongsTo`), resolved once every
    /// entity is read.
    pub dense: Vec<sea_orm::DenseRelation>,
}

/// An enum that is a PostgreSQL type (SeaORM `DeriveActiveEnum` with `db_type = "Enum"`, or
/// `#[pgshift(enum)]`), or a SeaORM active enum stored as another type: (definition to
/// create, the SQL type fields of this enum have).
pub fn read_enum(ctx: &Ctx, e: &syn::ItemEnum) -> Result<Option<(Option<EnumDef>, String)>> {
    let pg = attrs::args(ctx, &e.attrs, "pgshift")?;
    if derives(&e.attrs, "DeriveActiveEnum") {
        return sea_orm::active_enum(ctx, e, &pg);
    }
    if !pg.iter().any(|a| a.key == "enum") {
        return Ok(None);
    }
    attrs::check_keys(
        ctx,
        &pg,
        "pgshift",
        "an enum",
        &["enum", "schema", "comment"],
    )?;
    let mut name = snake_case(&e.ident.to_string());
    let mut schema = "public".to_string();
    let mut comment = doc_comment(&e.attrs);
    for a in &pg {
        match a.key.as_str() {
            "enum" if !matches!(a.value, attrs::Value::Flag) => name = a.str(ctx)?,
            "schema" => schema = a.str(ctx)?,
            "comment" => comment = Some(a.str(ctx)?),
            _ => {}
        }
    }
    let mut values = vec![];
    for v in &e.variants {
        let args = attrs::args(ctx, &v.attrs, "pgshift")?;
        attrs::check_keys(ctx, &args, "pgshift", "an enum variant", &["value"])?;
        let value = match args.first() {
            Some(a) => a.str(ctx)?,
            None => snake_case(&v.ident.to_string()),
        };
        values.push(value);
    }
    let qname = crate::schema::QualifiedName::new(schema, name);
    let sql_type = crate::sql::qualified(&qname);
    Ok(Some((
        Some(EnumDef {
            name: qname,
            values,
            comment,
            origin: ctx.origin(e.ident.span()),
        }),
        sql_type,
    )))
}

/// A struct that is a table: a SeaORM entity `Model`, or `#[pgshift(table)]`.
pub fn read_struct(
    ctx: &Ctx,
    s: &syn::ItemStruct,
    enum_type: &dyn Fn(&str) -> Option<String>,
    options: &Options,
) -> Result<Option<ReadTable>> {
    let sea = derives(&s.attrs, "DeriveEntityModel");
    let pg = attrs::args(ctx, &s.attrs, "pgshift")?;
    if !sea && !pg.iter().any(|a| a.key == "table") {
        return Ok(None);
    }
    // An error in the struct's own attributes is kept and the fields are read on, so that
    // one run reports theirs too (the table is then never built).
    let mut errors = crate::error::Collected::default();
    errors.keep(attrs::check_keys(
        ctx,
        &pg,
        "pgshift",
        "a table struct",
        attrs::TABLE_KEYS,
    ));
    let origin = ctx.origin(s.ident.span());
    let placeholder = || {
        let name = snake_case(&s.ident.to_string());
        TableDef::new(
            crate::schema::QualifiedName::new("public", name),
            origin.clone(),
        )
    };
    let mut table = if sea {
        errors
            .keep(sea_orm::table(ctx, s))
            .unwrap_or_else(placeholder)
    } else {
        let mut name = snake_case(&s.ident.to_string());
        if let Some(a) = pg.iter().find(|a| a.key == "table") {
            if !matches!(a.value, attrs::Value::Flag) {
                name = a.str(ctx)?;
            }
        }
        let mut t = TableDef::new(crate::schema::QualifiedName::new("public", name), origin);
        t.comment = doc_comment(&s.attrs);
        t
    };
    errors.keep(attrs::apply_table(ctx, &pg, &mut table));

    let syn::Fields::Named(fields) = &s.fields else {
        return Err(ctx.origin(s.ident.span()).error(
            format!("table struct {} has no named fields", s.ident),
            Some("a table is a struct with named fields, one per column".into()),
        ));
    };
    let mut variants = BTreeMap::new();
    let mut primary_key = vec![];
    // Per key column: `auto_increment` as written, and the field's Rust type.
    let mut auto_increment = vec![];
    let mut unique_keys: Vec<(String, String, Origin)> = vec![];
    let mut conventional = vec![];
    let mut dense = vec![];
    let rename_all = if sea {
        errors.keep(sea_orm::rename_all(ctx, s)).flatten()
    } else {
        None
    };
    for field in &fields.named {
        let read = read_field(ctx, field, sea, &rename_all, enum_type, &mut table);
        let (mut col, mut flags, variant) = match errors.keep(read).flatten() {
            Some(Field::Column(col, flags, variant)) => (col, flags, variant),
            Some(Field::Relation(r)) => {
                dense.push(r);
                continue;
            }
            None => continue,
        };
        variants.insert(variant, col.name.clone());
        if flags.primary_key {
            primary_key.push(col.name.clone());
            col.not_null = true;
            auto_increment.push((flags.auto_increment, quote_type(&field.ty)));
        }
        if let Some(key) = flags.unique_key.take() {
            unique_keys.push((key, col.name.clone(), col.origin.clone()));
        }
        if flags.unique {
            table.constraints.push(ConstraintDef {
                name: None,
                body: ConstraintBody::Unique(vec![col.name.clone()]),
                comment: None,
                origin: col.origin.clone(),
            });
        }
        // SeaORM makes no index for a column that is `unique` too: the constraint's
        // index serves.
        if flags.indexed && !(sea && flags.unique) {
            let name = sea.then(|| format!("idx-{}-{}", table.name.name, col.name));
            conventional.extend(name.clone());
            table.indexes.push(IndexDef {
                name,
                body: IndexBody::Keys {
                    unique: false,
                    method: None,
                    columns: vec![col.name.clone()],
                    expressions: vec![],
                    include: vec![],
                    predicate: None,
                },
                comment: None,
                origin: col.origin.clone(),
            });
        }
        table.columns.push(col);
    }
    errors.finish()?;
    if sea {
        conventional.extend(sea_orm::unique_keys(&mut table, unique_keys));
        sea_orm::auto_increment(ctx, &mut table, &primary_key, &auto_increment, options)?;
    } else if primary_key.len() == 1 && auto_increment[0].0 == Some(true) {
        serial(&mut table, &primary_key[0]);
    }
    if !primary_key.is_empty() {
        // SeaORM names a composite key `pk-<table>`; a single one is declared on its
        // column, and PostgreSQL names it `<table>_pkey`.
        let name = (sea && primary_key.len() > 1).then(|| format!("pk-{}", table.name.name));
        conventional.extend(name.clone());
        table.constraints.insert(
            0,
            ConstraintDef {
                name,
                body: ConstraintBody::PrimaryKey(primary_key),
                comment: None,
                origin: table.origin.clone(),
            },
        );
    }
    Ok(Some(ReadTable {
        table,
        variants,
        conventional,
        dense,
    }))
}

/// The integer column `name` as the matching serial type.
fn serial(table: &mut TableDef, name: &str) {
    if let Some(c) = table.columns.iter_mut().find(|c| c.name == name) {
        c.data_type = match c.data_type.as_str() {
            "smallint" => "smallserial".into(),
            "integer" => "serial".into(),
            "bigint" => "bigserial".into(),
            other => other.to_string(),
        };
    }
}

/// Types defined by the project (`[types]`) and by the files read (enums, value types),
/// by path as written or last segment.
pub struct Resolver<'a> {
    pub options: &'a Options,
    pub enum_types: &'a BTreeMap<String, String>,
    pub value_types: &'a BTreeMap<String, value_types::ValueType>,
    pub used: &'a std::cell::RefCell<std::collections::BTreeSet<String>>,
}

impl Resolver<'_> {
    /// Value types wrap value types; the depth bounds a type that wraps itself.
    pub fn resolve(&self, path: &str, depth: usize) -> Option<String> {
        let last = path.rsplit("::").next().unwrap_or(path);
        if let Some(sql) = self
            .options
            .types
            .get(path)
            .or_else(|| self.options.types.get(last))
        {
            return Some(sql.clone());
        }
        if let Some(sql) = self.enum_types.get(last) {
            self.used.borrow_mut().insert(last.to_string());
            return Some(sql.clone());
        }
        match self.value_types.get(last)? {
            value_types::ValueType::Sql(sql) => Some(sql.clone()),
            value_types::ValueType::Of(_) if depth > 16 => None,
            value_types::ValueType::Of(ty) => {
                types::map(ty, &|p: &str| self.resolve(p, depth + 1)).sql
            }
        }
    }
}

/// Rust type text for messages.
/// The `[types]` key that would map the field's type: `Option<Vec<a::Tag>>` is `a::Tag`.
fn types_key(ty: &syn::Type) -> String {
    let inner = quote_type(types::mapped_part(ty));
    inner.split('<').next().unwrap_or(&inner).to_string()
}

fn quote_type(ty: &syn::Type) -> String {
    quote::ToTokens::to_token_stream(ty)
        .to_string()
        .replace(" < ", "<")
        .replace(" >", ">")
        .replace(" :: ", "::")
}

/// What a field says beyond its column definition.
#[derive(Default)]
pub struct FieldFlags {
    pub primary_key: bool,
    /// None: not said.
    pub auto_increment: Option<bool>,
    pub unique: bool,
    pub indexed: bool,
    /// SeaORM `unique_key = "k"`: the columns with one key form a unique index.
    pub unique_key: Option<String>,
}

/// What a field of a table struct is.
enum Field {
    /// A column, what its attributes say beyond it, and its SeaORM `Column` variant.
    Column(ColumnDef, FieldFlags, String),
    /// A dense-format relation that declares a foreign key.
    Relation(sea_orm::DenseRelation),
}

/// One field of a table struct (None: not a column, or ignored).
fn read_field(
    ctx: &Ctx,
    field: &syn::Field,
    sea: bool,
    rename_all: &Option<String>,
    enum_type: &dyn Fn(&str) -> Option<String>,
    table: &mut TableDef,
) -> Result<Option<Field>> {
    let Some(ident) = &field.ident else {
        return Ok(None);
    };
    let sea_args = if sea {
        attrs::args(ctx, &field.attrs, "sea_orm")?
    } else {
        vec![]
    };
    // SeaORM 2's dense format: relation fields are not columns.
    if sea && sea_orm::is_relation_field(&field.ty) {
        return Ok(sea_orm::dense_relation(ctx, field, &sea_args)?.map(Field::Relation));
    }
    let pg_args = attrs::args(ctx, &field.attrs, "pgshift")?;
    attrs::check_keys(ctx, &pg_args, "pgshift", "a field", attrs::FIELD_KEYS)?;
    sea_orm::check_field_keys(ctx, &sea_args)?;
    let ignored = |args: &[attrs::Arg]| args.iter().any(|a| a.key == "ignore");
    if ignored(&sea_args) || ignored(&pg_args) {
        return Ok(None);
    }
    let mapped = types::map(&field.ty, enum_type);
    // sea-orm-macros: `rename_all`, else the snake_case of the field, else (when
    // that is the field's name) of its `Column` variant, which `enum_name` renames.
    let field_name = ident_name(ident);
    let snake = case::convert(&field_name, "snake_case").unwrap_or_default();
    let enum_name = sea_args.iter().find(|a| a.key == "enum_name");
    let column = match (&rename_all, enum_name) {
        (Some(style), _) => case::convert(&field_name, style).unwrap_or_default(),
        (None, Some(a)) if sea && snake == field_name => {
            case::convert(&a.str(ctx)?, "snake_case").unwrap_or_default()
        }
        (None, _) if sea => snake,
        (None, _) => field_name,
    };
    let mut col = ColumnDef::new(
        column,
        mapped.sql.clone().unwrap_or_default(),
        ctx.origin(ident.span()),
    );
    col.not_null = !mapped.nullable;
    if !sea {
        col.comment = doc_comment(&field.attrs);
    }
    let mut flags = FieldFlags::default();
    sea_orm::apply_field(ctx, &sea_args, &mut col, &mut flags)?;
    attrs::apply_field(ctx, &pg_args, &mut col, &mut flags, table)?;
    if col.data_type.is_empty() {
        let ty = &field.ty;
        let shown = quote_type(ty);
        return Err(ctx.origin(syn::spanned::Spanned::span(ty)).error(
            format!("cannot map the Rust type `{shown}` of field `{ident}` to a PostgreSQL type"),
            Some(format!(
                "set the type explicitly: #[pgshift(type = \"...\")]{}, or for every use of the type in pgshift.toml: [types] {:?} = \"...\" (see the type table in docs/rust-models.md)",
                if sea { " or #[sea_orm(column_type = \"...\")]" } else { "" },
                types_key(ty)
            )),
        ));
    }
    // `enum_name` renames the field's `Column` variant.
    let variant = match sea_args.iter().find(|a| a.key == "enum_name") {
        Some(a) => a.str(ctx)?,
        None => camel_case(&ident_name(ident)),
    };
    Ok(Some(Field::Column(col, flags, variant)))
}
