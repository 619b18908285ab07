//! SeaORM's expanded format: `#[derive(DeriveEntity)] struct Entity`, an `EntityName`
//! impl (or `#[sea_orm(table_name)]`), `enum Column` with `impl ColumnTrait { fn def }`,
//! `enum PrimaryKey` with `impl PrimaryKeyTrait { fn auto_increment }` and `impl
//! RelationTrait for Relation { fn def }`. Read by rewriting a module into the compact
//! format (`DeriveEntityModel` struct and `DeriveRelation` enum, spans kept), which the
//! rest of the reader already knows; the column types and flags come from `def()`, as
//! SeaORM's schema builder takes them, never from the `Model`'s Rust types.

use super::{derives, Ctx};
use crate::error::Result;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use std::collections::BTreeMap;

/// The compact-format struct and relation enum of a module in the expanded format.
pub fn read(ctx: &Ctx, items: &[&syn::Item]) -> Result<Option<(syn::ItemStruct, syn::ItemEnum)>> {
    let Some(entity) = items.iter().find_map(|i| match i {
        syn::Item::Struct(s) if derives(&s.attrs, "DeriveEntity") => Some(s),
        _ => None,
    }) else {
        return Ok(None);
    };
    let span = entity.ident.span();
    let mut table_attrs: Vec<TokenStream> = entity
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("sea_orm"))
        .map(|a| a.to_token_stream())
        .collect();
    let impl_of = |name: &str| {
        items.iter().find_map(move |i| match i {
            syn::Item::Impl(im)
                if im
                    .trait_
                    .as_ref()
                    .and_then(|(_, p, _)| p.segments.last())
                    .is_some_and(|s| s.ident == name) =>
            {
                Some(im)
            }
            _ => None,
        })
    };
    if let Some(im) = impl_of("EntityName") {
        for (f, key) in [("table_name", "table_name"), ("schema_name", "schema_name")] {
            if let Some(text) = fn_string(im, f) {
                let key = syn::Ident::new(key, span);
                let lit = syn::LitStr::new(&text, span);
                table_attrs.push(quote_spanned!(span=> #[sea_orm(#key = #lit)]));
            }
        }
    }
    // Column variants in order, with their `column_name`.
    let Some(columns) = items.iter().find_map(|i| match i {
        syn::Item::Enum(e) if e.ident == "Column" => Some(e),
        _ => None,
    }) else {
        return Err(ctx.origin(span).error(
            "this DeriveEntity has no `enum Column` beside it",
            Some("the expanded format needs Column, PrimaryKey and impl ColumnTrait in the same module".into()),
        ));
    };
    let defs = impl_of("ColumnTrait")
        .map(|im| match_arms(im, "def"))
        .unwrap_or_default();
    let keys: Vec<String> = items
        .iter()
        .find_map(|i| match i {
            syn::Item::Enum(e) if e.ident == "PrimaryKey" => Some(e),
            _ => None,
        })
        .map(|e| e.variants.iter().map(|v| v.ident.to_string()).collect())
        .unwrap_or_default();
    let auto_increment = impl_of("PrimaryKeyTrait")
        .and_then(|im| fn_body(im, "auto_increment"))
        .map(|e| e.to_token_stream().to_string() == "true")
        .unwrap_or(false);
    let mut fields = vec![];
    for v in &columns.variants {
        let name = v.ident.to_string();
        let vspan = v.ident.span();
        let column_name = super::attrs::args(ctx, &v.attrs, "sea_orm")?
            .iter()
            .find(|a| a.key == "column_name")
            .map(|a| a.str(ctx))
            .transpose()?
            .unwrap_or_else(|| super::case::convert(&name, "snake_case").unwrap_or_default());
        let Some(def) = defs.get(&name) else {
            return Err(ctx.origin(vspan).error(
                format!("column {name} has no arm in ColumnTrait::def"),
                Some("SeaORM takes each column's type from `fn def(&self) -> ColumnDef`".into()),
            ));
        };
        let mut args = column_def(ctx, def)?;
        let ty = args.ty.take().unwrap_or_else(|| syn::parse_quote!(()));
        if keys.contains(&name) {
            args.attrs.push(quote_spanned!(vspan=> primary_key));
            let ai = syn::LitBool::new(auto_increment && keys.len() == 1, vspan);
            args.attrs
                .push(quote_spanned!(vspan=> auto_increment = #ai));
        }
        let lit = syn::LitStr::new(&column_name, vspan);
        args.attrs.push(quote_spanned!(vspan=> column_name = #lit));
        let field = syn::Ident::new(&format!("field_{}", fields.len()), vspan);
        let attrs = &args.attrs;
        fields.push(quote_spanned!(vspan=> #[sea_orm(enum_name = #name)] #[sea_orm(#(#attrs),*)] pub #field: #ty));
    }
    let ident = syn::Ident::new("Model", span);
    let tokens = quote_spanned! {span=>
        #[derive(DeriveEntityModel)]
        #(#table_attrs)*
        pub struct #ident { #(#fields),* }
    };
    let strukt: syn::ItemStruct =
        syn::parse2(tokens).map_err(|e| ctx.syn_error(&e, "cannot read this expanded entity"))?;
    let relation = relations(ctx, impl_of("RelationTrait"), span)?;
    Ok(Some((strukt, relation)))
}

/// What a `ColumnDef` expression says, as compact-format attribute arguments.
struct Args {
    attrs: Vec<TokenStream>,
    /// A Rust type for the field, when the type comes from one (`Mood::db_type()`).
    ty: Option<syn::Type>,
}

/// `ColumnType::X(..).def().nullable().unique()...`, or `Mood::db_type().def()`.
fn column_def(ctx: &Ctx, expr: &syn::Expr) -> Result<Args> {
    let mut out = Args {
        attrs: vec![],
        ty: None,
    };
    let mut e = expr;
    let mut nullable = false;
    loop {
        match e {
            syn::Expr::MethodCall(m) => {
                let span = m.method.span();
                let arg = m.args.first();
                match m.method.to_string().as_str() {
                    "def" | "get_column_type" | "to_owned" | "clone" | "into" => {}
                    "nullable" | "null" => nullable = true,
                    "unique" => out.attrs.push(quote_spanned!(span=> unique)),
                    "indexed" => out.attrs.push(quote_spanned!(span=> indexed)),
                    "unique_key" | "comment" | "renamed_from" | "extra" => {
                        let key = &m.method;
                        out.attrs.push(quote_spanned!(span=> #key = #arg));
                    }
                    "default_value" => out.attrs.push(quote_spanned!(span=> default_value = #arg)),
                    "default" => {
                        let text = syn::LitStr::new(&arg.map(|a| a.to_token_stream().to_string()).unwrap_or_default(), span);
                        out.attrs.push(quote_spanned!(span=> default_expr = #text));
                    }
                    "db_type" => {}
                    other => {
                        return Err(ctx.origin(span).error(
                            format!("pgshift cannot read `.{other}(...)` in ColumnTrait::def"),
                            Some("it reads ColumnType::...def() with nullable, unique, indexed, unique_key, default_value, default, comment".into()),
                        ))
                    }
                }
                e = &m.receiver;
            }
            // `Mood::db_type()`: the active enum's type.
            syn::Expr::Call(c) if path_last(&c.func).as_deref() == Some("db_type") => {
                let syn::Expr::Path(p) = &*c.func else {
                    unreachable!()
                };
                let mut ty = p.path.clone();
                ty.segments.pop();
                ty.segments.pop_punct();
                out.ty = Some(syn::Type::Path(syn::TypePath {
                    qself: None,
                    path: ty,
                }));
                break;
            }
            other => {
                let text = other.to_token_stream().to_string();
                let text = text
                    .trim_start_matches("sea_orm :: ")
                    .trim_start_matches("sea_query :: ");
                let lit = syn::LitStr::new(text, expr_span(other));
                out.attrs
                    .push(quote_spanned!(expr_span(other)=> column_type = #lit));
                break;
            }
        }
    }
    if nullable {
        out.attrs.push(quote!(nullable));
    }
    Ok(out)
}

fn expr_span(e: &syn::Expr) -> Span {
    syn::spanned::Spanned::span(e)
}

fn path_last(e: &syn::Expr) -> Option<String> {
    match e {
        syn::Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `fn name(&self) -> ... { match self { Self::X => expr, ... } }` -> X -> expr.
fn match_arms(im: &syn::ItemImpl, name: &str) -> BTreeMap<String, syn::Expr> {
    let mut out = BTreeMap::new();
    let Some(syn::Expr::Match(m)) = fn_body(im, name) else {
        return out;
    };
    for arm in &m.arms {
        let mut pats = vec![&arm.pat];
        if let syn::Pat::Or(or) = &arm.pat {
            pats = or.cases.iter().collect();
        }
        for p in pats {
            if let syn::Pat::Path(p) = p {
                if let Some(v) = p.path.segments.last() {
                    out.insert(v.ident.to_string(), (*arm.body).clone());
                }
            }
        }
    }
    out
}

/// The last expression of `fn name` in an impl.
fn fn_body<'a>(im: &'a syn::ItemImpl, name: &str) -> Option<&'a syn::Expr> {
    im.items.iter().find_map(|i| match i {
        syn::ImplItem::Fn(f) if f.sig.ident == name => match f.block.stmts.last()? {
            syn::Stmt::Expr(e, None) => Some(e),
            _ => None,
        },
        _ => None,
    })
}

/// A string a `fn` returns: `"cake"` or `Some("app")`.
fn fn_string(im: &syn::ItemImpl, name: &str) -> Option<String> {
    let mut e = fn_body(im, name)?;
    if let syn::Expr::Call(c) = e {
        e = c.args.first()?;
    }
    match e {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// `impl RelationTrait for Relation` as a `DeriveRelation` enum: each
/// `Entity::belongs_to(T).from(..).to(..).on_delete(..).fk_name(..)` arm becomes a
/// `belongs_to` variant; `has_many` and `has_one` arms make no foreign key.
fn relations(ctx: &Ctx, im: Option<&syn::ItemImpl>, span: Span) -> Result<syn::ItemEnum> {
    let mut variants = vec![];
    for (name, body) in im.map(|im| match_arms(im, "def")).unwrap_or_default() {
        let mut attrs: Vec<TokenStream> = vec![];
        let mut e = &body;
        let mut belongs = false;
        loop {
            let (method, args, next): (String, Vec<&syn::Expr>, Option<&syn::Expr>) = match e {
                syn::Expr::MethodCall(m) => (
                    m.method.to_string(),
                    m.args.iter().collect(),
                    Some(&m.receiver),
                ),
                syn::Expr::Call(c) => (
                    path_last(&c.func).unwrap_or_default(),
                    c.args.iter().collect(),
                    None,
                ),
                _ => break,
            };
            let text = |i: usize| {
                args.get(i)
                    .map(|a| a.to_token_stream().to_string().replace(' ', ""))
                    .unwrap_or_default()
            };
            let sp = args.first().map(|a| expr_span(a)).unwrap_or(span);
            match method.as_str() {
                "belongs_to" => {
                    belongs = true;
                    let lit = syn::LitStr::new(&text(0), sp);
                    attrs.push(quote_spanned!(sp=> belongs_to = #lit));
                }
                "from" | "to" | "fk_name" => {
                    let key = syn::Ident::new(&method, sp);
                    let value = match args.first() {
                        Some(syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        })) => s.value(),
                        _ => text(0),
                    };
                    let lit = syn::LitStr::new(&value, sp);
                    attrs.push(quote_spanned!(sp=> #key = #lit));
                }
                "on_delete" | "on_update" => {
                    let key = syn::Ident::new(&method, sp);
                    let action = text(0);
                    let lit = syn::LitStr::new(action.rsplit("::").next().unwrap_or(&action), sp);
                    attrs.push(quote_spanned!(sp=> #key = #lit));
                }
                "skip_fk" => attrs.push(quote_spanned!(sp=> skip_fk)),
                _ => {}
            }
            match next {
                Some(n) => e = n,
                None => break,
            }
        }
        if belongs {
            let ident = syn::Ident::new(&name, span);
            variants.push(quote_spanned!(span=> #[sea_orm(#(#attrs),*)] #ident));
        }
    }
    let tokens = quote_spanned! {span=>
        #[derive(DeriveRelation)]
        pub enum Relation { #(#variants),* }
    };
    syn::parse2(tokens).map_err(|e| ctx.syn_error(&e, "cannot read this RelationTrait impl"))
}
