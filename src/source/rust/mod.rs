//! Rust models (docs/rust-models.md): `.rs` files read with `syn`, never compiled.
//! SeaORM entities (`sea_orm.rs`) and plain structs with `#[pgshift(...)]` attributes
//! (`attrs.rs`) become the same model description; `types.rs` maps Rust types.

mod attrs;
mod sea_orm;
mod types;

use super::model::*;
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One file being read: turns spans into `file:line:column`.
pub struct Ctx {
    path: PathBuf,
}

impl Ctx {
    pub fn origin(&self, span: proc_macro2::Span) -> Origin {
        let start = span.start();
        Origin {
            path: self.path.clone(),
            line: start.line.max(1),
            column: start.column + 1,
        }
    }

    pub fn syn_error(&self, e: &syn::Error, what: &str) -> Error {
        self.origin(e.span()).error(format!("{what}: {e}"), None)
    }
}

struct ParsedFile {
    ctx: Ctx,
    file: syn::File,
    module: Vec<String>,
}

/// A table read from a struct, with what relations need to resolve columns.
struct Entity {
    table: TableDef,
    module: Vec<String>,
    /// SeaORM `Column` variant (`CustomerId`) -> column name (`customer_id`).
    variants: BTreeMap<String, String>,
}

/// Deepest nesting of brackets (`{`, `(`, `[`) and of unclosed `<` accepted in a model
/// file. Real models nest a few levels; the bound keeps the recursive parser (syn) and
/// the module walk far from the end of the stack.
pub const MAX_NESTING: usize = 128;

/// Longest run of prefix operators (`!`, `-`, `*`, `&`, ...) accepted; syn parses each
/// one a call deeper.
const MAX_PREFIX_RUN: usize = 256;

/// The stack the parser runs on: far more than `MAX_NESTING` levels of syn need, so no
/// input within the bounds can overflow it.
const PARSER_STACK: usize = 256 << 20;

pub fn read(path: &Path) -> Result<Model> {
    let files = rust_files(path)?;
    let mut sources = vec![];
    for (file, module) in files {
        let text = std::fs::read_to_string(&file).map_err(|e| Error::Io {
            path: file.clone(),
            reason: e.to_string(),
        })?;
        sources.push((file, text, module));
    }
    on_big_stack(move || read_sources(sources))
}

/// One file's text, as the module named after the file (for the fuzzer and tests).
pub fn parse(path: &Path, text: &str) -> Result<Model> {
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string());
    let sources = vec![(
        path.to_path_buf(),
        text.to_string(),
        stem.into_iter().collect(),
    )];
    on_big_stack(move || read_sources(sources))
}

/// Runs `f` on a thread with `PARSER_STACK` of stack (reserved, not used: the kernel
/// maps pages as they are touched).
fn on_big_stack(f: impl FnOnce() -> Result<Model> + Send + 'static) -> Result<Model> {
    let worker = std::thread::Builder::new()
        .name("pgshift-rust-models".into())
        .stack_size(PARSER_STACK)
        .spawn(f)
        .map_err(|e| Error::Io {
            path: PathBuf::from("(rust models)"),
            reason: format!("cannot start the parser thread: {e}"),
        })?;
    match worker.join() {
        Ok(result) => result,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

fn read_sources(sources: Vec<(PathBuf, String, Vec<String>)>) -> Result<Model> {
    let mut parsed = vec![];
    for (file, text, module) in sources {
        let ctx = Ctx { path: file };
        let syntax = parse_file(&ctx, &text)?;
        parsed.push(ParsedFile {
            ctx,
            file: syntax,
            module,
        });
    }

    let mut model = Model::default();
    // Enums first: fields name them as types.
    let mut enum_types: BTreeMap<String, String> = BTreeMap::new();
    for f in &parsed {
        let mut found = vec![];
        walk(&f.file.items, &f.module, &mut |item, _| {
            if let syn::Item::Enum(e) = item {
                found.push(e.clone());
            }
        });
        for e in &found {
            if let Some((def, sql_type)) = read_enum(&f.ctx, e)? {
                enum_types.insert(e.ident.to_string(), sql_type);
                if let Some(def) = def {
                    model.enums.push(def);
                }
            }
        }
    }
    let lookup = |name: &str| enum_types.get(name).cloned();

    let mut entities: Vec<Entity> = vec![];
    for f in &parsed {
        let mut found = vec![];
        walk(&f.file.items, &f.module, &mut |item, module| {
            if let syn::Item::Struct(s) = item {
                found.push((s.clone(), module.to_vec()));
            }
        });
        for (s, module) in found {
            if let Some((table, variants)) = read_struct(&f.ctx, &s, &lookup)? {
                entities.push(Entity {
                    table,
                    module,
                    variants,
                });
            }
        }
    }

    let mut foreign_keys = vec![];
    for f in &parsed {
        let mut found = vec![];
        walk(&f.file.items, &f.module, &mut |item, module| {
            if let syn::Item::Enum(e) = item {
                if e.ident == "Relation" && derives(&e.attrs, "DeriveRelation") {
                    found.push((e.clone(), module.to_vec()));
                }
            }
        });
        for (e, module) in found {
            foreign_keys.extend(sea_orm::relations(&f.ctx, &e, &module, &entities)?);
        }
    }
    for (module, fk) in foreign_keys {
        if let Some(entity) = entities.iter_mut().find(|e| e.module == module) {
            entity.table.constraints.push(fk);
        }
    }
    model.tables = entities.into_iter().map(|e| e.table).collect();
    Ok(model)
}

/// The `.rs` files of a file or directory (recursively, in name order), each with its
/// module path relative to the root (`a/b.rs` and `a/b/mod.rs` are both `a::b`).
fn rust_files(path: &Path) -> Result<Vec<(PathBuf, Vec<String>)>> {
    let io = |p: &Path, e: std::io::Error| Error::Io {
        path: p.to_path_buf(),
        reason: e.to_string(),
    };
    if !path.is_dir() {
        let stem = path.file_stem().map(|s| s.to_string_lossy().to_string());
        std::fs::metadata(path).map_err(|e| io(path, e))?;
        return Ok(vec![(path.to_path_buf(), stem.into_iter().collect())]);
    }
    let mut out = vec![];
    let mut dirs = vec![path.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| io(&dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let rel = p.strip_prefix(path).unwrap_or(&p).with_extension("");
                let mut module: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().to_string())
                    .collect();
                if matches!(
                    module.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    module.pop();
                }
                out.push((p, module));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Checks the nesting bounds on the tokens (an explicit stack, no recursion), then
/// parses with syn.
fn parse_file(ctx: &Ctx, text: &str) -> Result<syn::File> {
    let cannot_parse = |e: &dyn std::fmt::Display, span| {
        ctx.origin(span).error(
            format!("cannot parse this Rust file: {e}"),
            Some(
                "pgshift reads the file without compiling it; it must be valid Rust syntax".into(),
            ),
        )
    };
    let tokens: proc_macro2::TokenStream = text
        .parse()
        .map_err(|e: proc_macro2::LexError| cannot_parse(&e, e.span()))?;
    check_nesting(ctx, tokens.clone())?;
    syn::parse2(tokens).map_err(|e| cannot_parse(&e, e.span()))
}

/// The nesting bounds of model files, for other Rust files pgshift parses with syn
/// (sea-orm migration modules): an error at the place the text goes too deep. Text that
/// does not lex passes; syn reports it.
pub fn check_depth(path: &Path, text: &str) -> Result<()> {
    match text.parse::<proc_macro2::TokenStream>() {
        Ok(tokens) => check_nesting(
            &Ctx {
                path: path.to_path_buf(),
            },
            tokens,
        ),
        Err(_) => Ok(()),
    }
}

/// Errors at the first token nested deeper than `MAX_NESTING` (brackets, plus unclosed
/// `<` within each bracket) or ending a run of more than `MAX_PREFIX_RUN` prefix
/// operators.
fn check_nesting(ctx: &Ctx, tokens: proc_macro2::TokenStream) -> Result<()> {
    use proc_macro2::TokenTree;
    // Per open bracket: its remaining tokens and the `<` opened in it.
    let mut stack = vec![(tokens.into_iter(), 0usize)];
    let mut angles = 0usize;
    let mut prefix_run = 0usize;
    while let Some((iter, open)) = stack.last_mut() {
        let Some(token) = iter.next() else {
            angles -= *open;
            stack.pop();
            continue;
        };
        let span = token.span();
        match &token {
            TokenTree::Punct(p) => {
                match p.as_char() {
                    '<' => {
                        *open += 1;
                        angles += 1;
                    }
                    '>' if *open > 0 => {
                        *open -= 1;
                        angles -= 1;
                    }
                    // A `<` still open at the end of a statement was a comparison.
                    ';' => {
                        angles -= *open;
                        *open = 0;
                    }
                    _ => {}
                }
                prefix_run += 1;
            }
            TokenTree::Group(g) => {
                prefix_run = 0;
                // Generic arguments hold no block: a `<` before one was a comparison.
                if g.delimiter() == proc_macro2::Delimiter::Brace {
                    angles -= *open;
                    *open = 0;
                }
                stack.push((g.stream().into_iter(), 0));
            }
            _ => prefix_run = 0,
        }
        if stack.len() + angles > MAX_NESTING + 1 || prefix_run > MAX_PREFIX_RUN {
            return Err(ctx.origin(span).error(
                format!(
                    "nested too deeply: pgshift reads model files nested at most {MAX_NESTING} levels (brackets, generics) with at most {MAX_PREFIX_RUN} operators in a row"
                ),
                Some("a model needs a few levels; split or flatten this code".into()),
            ));
        }
    }
    Ok(())
}

/// Every item, inline modules included, with its module path. Walks with one path
/// (pushed and popped), so nested modules cost time in proportion to their number.
fn walk(items: &[syn::Item], module: &[String], visit: &mut dyn FnMut(&syn::Item, &[String])) {
    let mut path = module.to_vec();
    walk_in(items, &mut path, visit);
}

fn walk_in(
    items: &[syn::Item],
    path: &mut Vec<String>,
    visit: &mut dyn FnMut(&syn::Item, &[String]),
) {
    for item in items {
        visit(item, path);
        if let syn::Item::Mod(m) = item {
            if let Some((_, inner)) = &m.content {
                path.push(m.ident.to_string());
                walk_in(inner, path, visit);
                path.pop();
            }
        }
    }
}

/// Whether `#[derive(...)]` lists `name` (by its last path segment).
pub(crate) fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|m| {
                if m.path.segments.last().is_some_and(|s| s.ident == name) {
                    found = true;
                }
                Ok(())
            });
            found
        })
}

/// `///` doc comments, joined; None when there are none.
fn doc_comment(attrs: &[syn::Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value().trim().to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let text = lines.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// `CustomerId` from `customer_id`, as SeaORM names `Column` variants.
pub(crate) fn camel_case(snake: &str) -> String {
    snake
        .split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `order_status` from `OrderStatus`.
pub(crate) fn snake_case(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn ident_name(ident: &syn::Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_string).unwrap_or(s)
}

/// An enum that is a PostgreSQL type (SeaORM `DeriveActiveEnum` with `db_type = "Enum"`, or
/// `#[pgshift(enum)]`), or a SeaORM active enum stored as another type: (definition to
/// create, the SQL type fields of this enum have).
fn read_enum(ctx: &Ctx, e: &syn::ItemEnum) -> Result<Option<(Option<EnumDef>, String)>> {
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
fn read_struct(
    ctx: &Ctx,
    s: &syn::ItemStruct,
    enum_type: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<(TableDef, BTreeMap<String, String>)>> {
    let sea = derives(&s.attrs, "DeriveEntityModel");
    let pg = attrs::args(ctx, &s.attrs, "pgshift")?;
    if !sea && !pg.iter().any(|a| a.key == "table") {
        return Ok(None);
    }
    attrs::check_keys(ctx, &pg, "pgshift", "a table struct", attrs::TABLE_KEYS)?;
    let origin = ctx.origin(s.ident.span());
    let mut table = if sea {
        sea_orm::table(ctx, s)?
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
    attrs::apply_table(ctx, &pg, &mut table)?;

    let syn::Fields::Named(fields) = &s.fields else {
        return Err(ctx.origin(s.ident.span()).error(
            format!("table struct {} has no named fields", s.ident),
            Some("a table is a struct with named fields, one per column".into()),
        ));
    };
    let mut variants = BTreeMap::new();
    let mut primary_key = vec![];
    let mut auto_increment = vec![];
    for field in &fields.named {
        let Some(ident) = &field.ident else { continue };
        let sea_args = if sea {
            attrs::args(ctx, &field.attrs, "sea_orm")?
        } else {
            vec![]
        };
        let pg_args = attrs::args(ctx, &field.attrs, "pgshift")?;
        attrs::check_keys(ctx, &pg_args, "pgshift", "a field", attrs::FIELD_KEYS)?;
        sea_orm::check_field_keys(ctx, &sea_args)?;
        let ignored = |args: &[attrs::Arg]| args.iter().any(|a| a.key == "ignore");
        if ignored(&sea_args) || ignored(&pg_args) {
            continue;
        }
        let mapped = types::map(&field.ty, enum_type);
        let mut col = ColumnDef::new(
            ident_name(ident),
            mapped.sql.clone().unwrap_or_default(),
            ctx.origin(ident.span()),
        );
        col.not_null = !mapped.nullable;
        if !sea {
            col.comment = doc_comment(&field.attrs);
        }
        let mut flags = FieldFlags::default();
        sea_orm::apply_field(ctx, &sea_args, &mut col, &mut flags)?;
        attrs::apply_field(ctx, &pg_args, &mut col, &mut flags, &mut table)?;
        if col.data_type.is_empty() {
            let ty = &field.ty;
            let shown = quote_type(ty);
            return Err(ctx.origin(syn::spanned::Spanned::span(ty)).error(
                format!("cannot map the Rust type `{shown}` of field `{ident}` to a PostgreSQL type"),
                Some(format!(
                    "set the type explicitly: #[pgshift(type = \"...\")]{} (see the type table in docs/rust-models.md)",
                    if sea { " or #[sea_orm(column_type = \"...\")]" } else { "" }
                )),
            ));
        }
        variants.insert(camel_case(&ident_name(ident)), col.name.clone());
        if flags.primary_key {
            primary_key.push(col.name.clone());
            col.not_null = true;
            auto_increment.push(flags.auto_increment);
        }
        if flags.unique {
            table.constraints.push(ConstraintDef {
                name: None,
                body: ConstraintBody::Unique(vec![col.name.clone()]),
                comment: None,
                origin: col.origin.clone(),
            });
        }
        if flags.indexed {
            table.indexes.push(IndexDef {
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
                origin: col.origin.clone(),
            });
        }
        table.columns.push(col);
    }
    // SeaORM: a single integer primary key is auto-increment unless it says
    // `auto_increment = false`; sea-query creates it as serial on PostgreSQL.
    if primary_key.len() == 1 {
        let default = sea;
        if auto_increment[0].unwrap_or(default) {
            if let Some(c) = table.columns.iter_mut().find(|c| c.name == primary_key[0]) {
                c.data_type = match c.data_type.as_str() {
                    "smallint" => "smallserial".into(),
                    "integer" => "serial".into(),
                    "bigint" => "bigserial".into(),
                    other => other.to_string(),
                };
            }
        }
    }
    if !primary_key.is_empty() {
        table.constraints.insert(
            0,
            ConstraintDef {
                name: None,
                body: ConstraintBody::PrimaryKey(primary_key),
                comment: None,
                origin: table.origin.clone(),
            },
        );
    }
    Ok(Some((table, variants)))
}

/// Rust type text for messages.
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(name: &str, text: &str) -> Model {
        let dir = std::env::temp_dir().join(format!("pgshift-rust-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("model.rs");
        std::fs::write(&file, text).unwrap();
        let m = read(&file).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        m
    }

    #[test]
    fn plain_structs_doc_comments_and_hints() {
        let m = model(
            "plain",
            r#"
            /// People who buy.
            #[pgshift(table, schema = "app", renamed_from = "clients")]
            pub struct Customer {
                #[pgshift(primary_key, identity = "always")]
                pub id: i64,
                /// Where we write.
                #[pgshift(renamed_from = "mail", backfill = "''")]
                pub email: String,
                pub r#type: Option<i16>,
            }
            "#,
        );
        let t = &m.tables[0];
        assert_eq!(t.name.to_string(), "app.customer");
        assert_eq!(t.comment.as_deref(), Some("People who buy."));
        assert!(t.columns[0].identity.as_ref().unwrap().always);
        assert_eq!(t.columns[1].comment.as_deref(), Some("Where we write."));
        assert_eq!(t.columns[2].name, "type");
        assert_eq!(t.columns[2].data_type, "smallint");
        assert!(!t.columns[2].not_null);
        let h = m.hints();
        assert_eq!(
            h.renamed_tables.values().next().unwrap().to_string(),
            "app.clients"
        );
        assert_eq!(h.renamed_columns[&t.name]["email"], "mail");
        assert_eq!(h.backfills[&t.name]["email"], "''");
    }

    #[test]
    fn sea_orm_composite_foreign_key_and_defaults() {
        let m = model(
            "sea",
            r#"
            pub mod parent {
                #[derive(DeriveEntityModel)]
                #[sea_orm(table_name = "parent")]
                pub struct Model {
                    #[sea_orm(primary_key, auto_increment = false)]
                    pub a: i32,
                    #[sea_orm(primary_key, auto_increment = false)]
                    pub b: i32,
                }
            }
            pub mod child {
                #[derive(DeriveEntityModel)]
                #[sea_orm(table_name = "child", schema_name = "s")]
                pub struct Model {
                    #[sea_orm(primary_key)]
                    pub id: i32,
                    pub pa: i32,
                    pub pb: i32,
                    #[sea_orm(default_value = "it's")]
                    pub label: String,
                }
                #[derive(DeriveRelation)]
                pub enum Relation {
                    #[sea_orm(belongs_to = "super::parent::Entity", from = "(Column::Pa, Column::Pb)",
                              to = "(super::parent::Column::A, super::parent::Column::B)",
                              on_delete = "SetNull", fk_name = "child_parent_fk")]
                    Parent,
                }
            }
            "#,
        );
        let child = m.tables.iter().find(|t| t.name.name == "child").unwrap();
        assert_eq!(child.columns[0].data_type, "serial");
        assert_eq!(child.columns[3].default.as_deref(), Some("'it''s'"));
        let fk = child
            .constraints
            .iter()
            .find_map(|c| match &c.body {
                ConstraintBody::ForeignKey(f) => Some((c.name.clone(), f.clone())),
                _ => None,
            })
            .unwrap();
        assert_eq!(fk.0.as_deref(), Some("child_parent_fk"));
        assert_eq!(fk.1.columns, ["pa", "pb"]);
        assert_eq!(fk.1.referenced_columns, ["a", "b"]);
        assert_eq!(fk.1.on_delete.as_deref(), Some("SET NULL"));
        let parent = m.tables.iter().find(|t| t.name.name == "parent").unwrap();
        assert_eq!(parent.columns[0].data_type, "integer");
    }
}
