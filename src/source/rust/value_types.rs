//! Rust types that say their own column type, in the files read: `DeriveValueType`
//! newtypes (`struct UserId(String)`, or `#[sea_orm(column_type = "...")]`) and string
//! enums (`value_type = "String"`), `FromJsonQueryResult` structs (json, as
//! sea-orm-macros' `column_type()` says), and hand-written `impl ValueType for X`
//! whose `column_type()` returns a `ColumnType`.

use super::{derives, Ctx};
use crate::error::Result;
use std::collections::BTreeMap;

/// What a value type's column is, before resolving inner types.
#[derive(Clone)]
pub enum ValueType {
    /// The column type of another Rust type (a newtype's field).
    Of(Box<syn::Type>),
    /// A SQL type, read from a `ColumnType`.
    Sql(String),
}

/// The value types among `items` (a file's, with inline modules walked by the caller).
pub fn read(ctx: &Ctx, item: &syn::Item, out: &mut BTreeMap<String, ValueType>) -> Result<()> {
    match item {
        syn::Item::Struct(s) if derives(&s.attrs, "FromJsonQueryResult") => {
            out.insert(s.ident.to_string(), ValueType::Sql("json".into()));
        }
        syn::Item::Struct(s) if derives(&s.attrs, "DeriveValueType") => {
            let t = match column_type_attr(ctx, &s.attrs)? {
                Some(sql) => ValueType::Sql(sql),
                None => match s.fields.iter().next() {
                    Some(f) => ValueType::Of(Box::new(f.ty.clone())),
                    None => return Ok(()),
                },
            };
            out.insert(s.ident.to_string(), t);
        }
        // `#[sea_orm(value_type = "String")]` enums: stored as strings.
        syn::Item::Enum(e) if derives(&e.attrs, "DeriveValueType") => {
            let sql = column_type_attr(ctx, &e.attrs)?.unwrap_or("character varying".into());
            out.insert(e.ident.to_string(), ValueType::Sql(sql));
        }
        syn::Item::Impl(i) => {
            let Some((_, trait_path, _)) = &i.trait_ else {
                return Ok(());
            };
            if trait_path
                .segments
                .last()
                .is_none_or(|s| s.ident != "ValueType")
            {
                return Ok(());
            }
            let syn::Type::Path(self_ty) = &*i.self_ty else {
                return Ok(());
            };
            let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
                return Ok(());
            };
            for item in &i.items {
                let syn::ImplItem::Fn(f) = item else { continue };
                if f.sig.ident != "column_type" {
                    continue;
                }
                if let Some(t) = returned(ctx, &f.block)? {
                    out.insert(name.clone(), t);
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// `#[sea_orm(column_type = "...")]` on a value type.
fn column_type_attr(ctx: &Ctx, attrs: &[syn::Attribute]) -> Result<Option<String>> {
    let args = super::attrs::args(ctx, attrs, "sea_orm")?;
    for a in &args {
        if a.key == "column_type" {
            let text = a.str(ctx)?;
            return super::column_type::column_type(&text)
                .map(Some)
                .map_err(|why| {
                    a.origin(ctx).error(
                        format!("column_type = {text:?}: {why}"),
                        Some("set the type with [types] in pgshift.toml".into()),
                    )
                });
        }
    }
    Ok(None)
}

/// The `ColumnType` a `fn column_type()` body returns: `ColumnType::Text`,
/// `sea_query::ColumnType::String(StringLen::None)`, or `<String as
/// ValueType>::column_type()`.
fn returned(ctx: &Ctx, block: &syn::Block) -> Result<Option<ValueType>> {
    let Some(syn::Stmt::Expr(expr, None)) = block.stmts.last() else {
        return Ok(None);
    };
    if let syn::Expr::Call(c) = expr {
        if let syn::Expr::Path(p) = &*c.func {
            if let Some(q) = &p.qself {
                return Ok(Some(ValueType::Of(q.ty.clone())));
            }
        }
    }
    let text = quote::ToTokens::to_token_stream(expr).to_string();
    match super::column_type::column_type(&text) {
        Ok(sql) => Ok(Some(ValueType::Sql(sql))),
        Err(why) => Err(ctx.origin(syn::spanned::Spanned::span(expr)).error(
            format!("cannot read the ColumnType this column_type() returns: {why}"),
            Some("name the type in [types] in pgshift.toml".into()),
        )),
    }
}
