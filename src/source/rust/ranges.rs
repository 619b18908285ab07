//! Range types in Rust models (docs/rust-models.md#range-types): a struct marked
//! `#[pgshift(range, subtype = "...")]` is a `CREATE TYPE ... AS RANGE`, and a field whose
//! type is that struct is a column of the range (as a field of a `#[pgshift(enum)]` enum
//! is a column of the enum):
//!
//! ```ignore
//! /// Opening hours, closed-open.
//! #[pgshift(range = "opening_hours", schema = "shop", subtype = "time")]
//! pub struct OpeningHours;
//! ```

use super::{attrs, doc_comment, snake_case, Ctx};
use crate::error::Result;
use crate::schema::QualifiedName;
use crate::source::model::{StatementDef, StatementKind};
use crate::source::model_sql::text;
use crate::sql::lex::Slot;
use crate::sql::{ddl, qualified};

const KEYS: &[&str] = &[
    "range",
    "schema",
    "subtype",
    "subtype_opclass",
    "collation",
    "subtype_diff",
    "multirange_type_name",
    "comment",
];

/// The range type a struct declares, and the SQL type its fields have; None for a struct
/// that is not one.
pub fn read_range(ctx: &Ctx, s: &syn::ItemStruct) -> Result<Option<(StatementDef, String)>> {
    let pg = attrs::args(ctx, &s.attrs, "pgshift")?;
    let Some(marker) = pg.iter().find(|a| a.key == "range") else {
        return Ok(None);
    };
    if let Some(table) = pg.iter().find(|a| a.key == "table") {
        return Err(table.origin(ctx).error(
            format!("{} is marked both `range` and `table`", s.ident),
            Some("a struct is a range type or a table: keep one".into()),
        ));
    }
    attrs::check_keys(ctx, &pg, "pgshift", "a range type", KEYS)?;
    let origin = ctx.origin(s.ident.span());
    let mut name = snake_case(&s.ident.to_string());
    let mut schema = "public".to_string();
    let mut comment = doc_comment(&s.attrs);
    let mut subtype = None;
    let mut options: Vec<(&str, String)> = vec![];
    for a in &pg {
        let what = "a range type";
        let clause = |field: &str| -> Result<String> {
            let value = a.str(ctx)?;
            text(&value, Slot::Clause, field, what, &a.origin(ctx))?;
            Ok(value)
        };
        match a.key.as_str() {
            "range" if !matches!(a.value, attrs::Value::Flag) => name = a.str(ctx)?,
            "range" => {}
            "schema" => schema = a.str(ctx)?,
            "comment" => comment = Some(a.str(ctx)?),
            "subtype" => subtype = Some(clause("subtype")?),
            "multirange_type_name" => {
                let value = a.str(ctx)?;
                let multirange = QualifiedName::parse(&value, &schema).ok_or_else(|| {
                    a.origin(ctx).error(
                        format!("multirange_type_name = {value:?} is not a name"),
                        Some("write \"name\" or \"schema.name\" (a part with a dot or quote in it goes in double quotes)".into()),
                    )
                })?;
                options.push(("MULTIRANGE_TYPE_NAME", qualified(&multirange)));
            }
            key => {
                let keyword = match key {
                    "subtype_opclass" => "SUBTYPE_OPCLASS",
                    "collation" => "COLLATION",
                    _ => "SUBTYPE_DIFF",
                };
                options.push((keyword, clause(key)?));
            }
        }
    }
    let subtype = subtype.ok_or_else(|| {
        marker.origin(ctx).error(
            format!("range type {} has no `subtype`", s.ident),
            Some("add subtype = \"timestamptz\" (the type of the range's bounds)".into()),
        )
    })?;
    let name = QualifiedName::new(schema, name);
    let mut all = vec![("SUBTYPE", subtype)];
    all.extend(options);
    let sql_type = qualified(&name);
    Ok(Some((
        StatementDef {
            definition: ddl::create_range_with(&name, &all),
            name,
            kind: StatementKind::Range,
            target: None,
            comment,
            origin,
        },
        sql_type,
    )))
}
