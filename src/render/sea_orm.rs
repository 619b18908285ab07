//! The `sea-orm` migration format: a Rust module per migration for `sea-orm-migration`
//! (`migration/src/m<date>_<time>_<slug>.rs`), built with `quote` and formatted with
//! `prettyplease`, whose `up` and `down` send the generated SQL one statement at a time
//! with `execute_unprepared`; and its registration in the crate's `Migrator`.
//!
//! sea-orm-migration (2.x) runs each migration on PostgreSQL in a transaction unless the
//! migration's `use_transaction()` returns `Some(false)`; a migration that cannot run in
//! a transaction (`CREATE INDEX CONCURRENTLY`) returns that. When only one direction
//! cannot, the other opens its own transaction with `manager.begin()`.
//!
//! `pgshift check` reads the SQL back from the modules: the string literals passed to
//! `execute_unprepared` in `up` and `down`, in order.

use crate::error::{Error, Result};
use crate::migrate::files::NO_TRANSACTION;
use proc_macro2::{LineColumn, TokenStream};
use quote::{format_ident, quote};
use std::path::Path;
use syn::spanned::Spanned;
use syn::visit::Visit;

/// The statements and transaction mode of one direction of a migration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Direction {
    pub statements: Vec<String>,
    pub transactional: bool,
}

/// `m20261201_120000_add_user_preferences` for version 20261201120000. Only the ASCII
/// letters and digits of `slug` are kept: the name is a Rust identifier in `mod` and
/// `Box::new(...)`, and rustc refuses a non-ASCII `mod` name read from a file (E0754).
pub fn module_name(version: i64, slug: &str) -> String {
    let v = format!("{version:014}");
    let words: Vec<&str> = slug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let slug = match words.as_slice() {
        [] => "migration".to_string(),
        _ => words.join("_").to_ascii_lowercase(),
    };
    format!("m{}_{}_{slug}", &v[..8], &v[8..])
}

/// The version and slug of a module file name, when it is one of pgshift's.
pub fn parse_module_name(stem: &str) -> Option<(i64, &str)> {
    let rest = stem.strip_prefix('m')?;
    let (date, rest) = rest.split_once('_')?;
    let (time, slug) = rest.split_once('_').unwrap_or((rest, ""));
    if date.len() != 8 || time.len() != 6 {
        return None;
    }
    Some((format!("{date}{time}").parse().ok()?, slug))
}

/// The statements of a SQL script without the comments before each (headers, step
/// descriptions): what the sql format runs, as sea-orm will run it.
/// The statement's own text is kept byte for byte: a name or literal in it may hold a
/// `\r\n`.
pub fn statements(script: &str) -> Vec<String> {
    crate::migrate::split::statements(script)
        .into_iter()
        .map(|s| {
            let mut code = s.as_str();
            while let Some((line, rest)) = code.split_once('\n') {
                if !(line.trim().is_empty() || line.trim_start().starts_with("--")) {
                    break;
                }
                code = rest;
            }
            code.to_string()
        })
        .collect()
}

/// The source of a migration module. `doc` becomes its `//!` comment, line by line, each
/// line through `sql::comment`: prettyplease prints a doc string as is after `//!`, so a
/// `\r` or U+2028 left in it would break the line (or the build) there. The header's
/// variables have been through it already; this covers the template's own text.
pub fn module(doc: &str, up: &Direction, down: &Direction) -> String {
    let doc = doc.lines().map(|l| format!(" {}", crate::sql::comment(l)));
    // One flag for both directions: the other one then opens its own transaction.
    let manual = !up.transactional || !down.transactional;
    let up_body = body(up, manual);
    let down_body = body(down, manual);
    let opt_out = manual.then(|| {
        quote! {
            fn use_transaction(&self) -> Option<bool> {
                Some(false)
            }
        }
    });
    let file = quote! {
        #(#![doc = #doc])*
        use sea_orm_migration::prelude::*;

        #[derive(DeriveMigrationName)]
        pub struct Migration;

        #[async_trait::async_trait]
        impl MigrationTrait for Migration {
            async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                #up_body
            }

            async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                #down_body
            }

            #opt_out
        }
    };
    unparse(file)
}

fn body(d: &Direction, manual: bool) -> TokenStream {
    let sql = &d.statements;
    if sql.is_empty() {
        return quote! {
            let _ = manager;
            Ok(())
        };
    }
    if manual && d.transactional {
        return quote! {
            let txn = manager.begin().await?;
            let db = txn.get_connection();
            #(db.execute_unprepared(#sql).await?;)*
            txn.commit().await
        };
    }
    quote! {
        let db = manager.get_connection();
        #(db.execute_unprepared(#sql).await?;)*
        Ok(())
    }
}

/// prettyplease's text of a file, with a blank line between its top-level items.
pub(crate) fn unparse(tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("quote builds a valid file");
    let one = |attrs: Vec<syn::Attribute>, items: Vec<syn::Item>| {
        prettyplease::unparse(&syn::File {
            shebang: None,
            attrs,
            items,
        })
    };
    let mut parts = vec![];
    if !file.attrs.is_empty() {
        parts.push(one(file.attrs, vec![]));
    }
    parts.extend(file.items.into_iter().map(|item| one(vec![], vec![item])));
    parts.join("\n")
}

/// A new `lib.rs` with a `Migrator` that runs `modules`, and the phases module
/// (`sea_orm_phases`).
pub fn new_lib(modules: &[String]) -> String {
    let idents: Vec<_> = modules.iter().map(|m| format_ident!("{m}")).collect();
    let phases = format_ident!("{}", super::sea_orm_phases::MODULE);
    unparse(quote! {
        pub use sea_orm_migration::prelude::*;

        pub mod #phases;
        #(mod #idents;)*

        pub struct Migrator;

        #[async_trait::async_trait]
        impl MigratorTrait for Migrator {
            fn migrations() -> Vec<Box<dyn MigrationTrait>> {
                vec![#(Box::new(#idents::Migration)),*]
            }
        }
    })
}

/// `lib.rs` (at `path`, text `source`) with `modules` added: a `mod` line each after the
/// last `mod` item (and `pub mod pgshift_phases;` when it has none), and a
/// `Box::new(<module>::Migration)` each at the end of the `vec![]` that
/// `MigratorTrait::migrations` returns. The rest of the file is kept as written.
pub fn register(path: &Path, source: &str, modules: &[String]) -> Result<String> {
    let error = |message: String, hint: &str| Error::SeaOrm {
        path: path.to_path_buf(),
        message,
        hint: hint.to_string(),
    };
    // syn parses recursively: a file nested too deep is an error, not a stack overflow.
    crate::source::rust::check_depth(path, source)?;
    let file = syn::parse_file(source).map_err(|e| {
        let at = e.span().start();
        error(
            format!("{}:{}: {e}", at.line, at.column + 1),
            "fix lib.rs so that it compiles; nothing was written",
        )
    })?;
    let shape_hint = "lib.rs needs `impl MigratorTrait for Migrator { fn migrations() -> \
                      Vec<Box<dyn MigrationTrait>> { vec![...] } }` for pgshift to add the \
                      migration; add it (or remove lib.rs to have one written); nothing was \
                      written";
    let migrator = impl_of(&file, "MigratorTrait").ok_or_else(|| {
        error(
            "no `impl MigratorTrait for ...` to extend".into(),
            shape_hint,
        )
    })?;
    let list = migrator
        .items
        .iter()
        .find_map(|item| match item {
            syn::ImplItem::Fn(f) if f.sig.ident == "migrations" => f.block.stmts.last(),
            _ => None,
        })
        .and_then(|stmt| match stmt {
            syn::Stmt::Expr(syn::Expr::Macro(m), None) => Some(&m.mac),
            syn::Stmt::Macro(m) if m.semi_token.is_none() => Some(&m.mac),
            _ => None,
        })
        .filter(|mac| mac.path.is_ident("vec"))
        .ok_or_else(|| {
            error(
                "`MigratorTrait::migrations` does not end with a `vec![...]` of migrations".into(),
                shape_hint,
            )
        })?;
    let entries = list
        .parse_body_with(syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
        .map_err(|e| {
            error(
                format!("the migrations vec![] does not parse: {e}"),
                shape_hint,
            )
        })?;
    let syn::MacroDelimiter::Bracket(bracket) = &list.delimiter else {
        return Err(error("`vec!` is not written with [ ]".into(), shape_hint));
    };
    let close = bracket.span.close().start();
    let close_at = offset(source, close);
    let line_start = source[..close_at].rfind('\n').map_or(0, |p| p + 1);
    let indent: String = source[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let boxes = |before: &str, after: &str| -> String {
        modules
            .iter()
            .map(|m| format!("{before}{indent}    Box::new({m}::Migration),{after}"))
            .collect()
    };
    // Edits as (byte offset, text), applied from the end so that offsets stay valid.
    let mut edits: Vec<(usize, String)> = vec![];
    if source[line_start..close_at].trim().is_empty() {
        // `]` on a line of its own: the entries go on the lines before it.
        edits.push((line_start, boxes("", "\n")));
    } else {
        edits.push((close_at, format!("{}\n{indent}", boxes("\n", ""))));
    }
    let open = bracket.span.open().start();
    if open.line == close.line && !entries.is_empty() {
        // `vec![a]` on one line: one entry a line, as rustfmt writes longer lists.
        edits.push((offset(source, open) + 1, format!("\n{indent}    ")));
    }
    if !entries.is_empty() && !entries.trailing_punct() {
        edits.push((offset(source, entries.span().end()), ",".into()));
    }
    let mut mods: String = modules.iter().map(|m| format!("mod {m};\n")).collect();
    let phases = super::sea_orm_phases::MODULE;
    if !file
        .items
        .iter()
        .any(|i| matches!(i, syn::Item::Mod(m) if m.ident == phases))
    {
        mods.push_str(&format!("pub mod {phases};\n"));
    }
    let last_mod = file
        .items
        .iter()
        .rev()
        .find(|i| matches!(i, syn::Item::Mod(_)))
        .map(|i| line_after(source, i.span().end()));
    let first_item = file
        .items
        .iter()
        .find(|i| !matches!(i, syn::Item::Use(_)))
        .map(|i| {
            let at = offset(source, i.span().start());
            source[..at].rfind('\n').map_or(0, |p| p + 1)
        });
    edits.push(match last_mod {
        Some(at) => (at, mods),
        None => (first_item.unwrap_or(0), mods + "\n"),
    });
    edits.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    let mut out = source.to_string();
    for (at, text) in edits {
        out.insert_str(at, &text);
    }
    syn::parse_file(&out).map_err(|e| {
        error(
            format!("adding the migration would break lib.rs ({e})"),
            "add the `mod` line and the `Box::new(...)` entry by hand; nothing was written",
        )
    })?;
    Ok(out)
}

/// The first `impl <trait_name> for ...` of a file.
fn impl_of<'a>(file: &'a syn::File, trait_name: &str) -> Option<&'a syn::ItemImpl> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Impl(i)
            if i.trait_.as_ref().is_some_and(|(_, p, _)| {
                p.segments.last().is_some_and(|s| s.ident == trait_name)
            }) =>
        {
            Some(i)
        }
        _ => None,
    })
}

/// The byte offset of a line/column (column in characters) in `source`.
fn offset(source: &str, at: LineColumn) -> usize {
    let line_start: usize = source
        .split_inclusive('\n')
        .take(at.line - 1)
        .map(str::len)
        .sum();
    line_start
        + source[line_start..]
            .chars()
            .take(at.column)
            .map(char::len_utf8)
            .sum::<usize>()
}

/// The byte offset of the start of the line after `at`.
fn line_after(source: &str, at: LineColumn) -> usize {
    let o = offset(source, at);
    source[o..].find('\n').map_or(source.len(), |p| o + p + 1)
}

/// What a module says: its `//!` text, and the SQL of `up` and `down`.
#[derive(Debug, PartialEq)]
pub struct Module {
    pub doc: String,
    pub up: Direction,
    pub down: Direction,
}

/// Reads a module back: the string literals given to `execute_unprepared` in `up` and
/// `down`, and whether `use_transaction` opts out (a direction that calls
/// `manager.begin()` runs in its own transaction all the same).
pub fn read_module(path: &Path, source: &str) -> Result<Module> {
    let error = |message: String| Error::SeaOrm {
        path: path.to_path_buf(),
        message,
        hint: "pgshift reads the SQL of a migration from the string literals passed to \
               execute_unprepared in MigrationTrait::up and down"
            .into(),
    };
    crate::source::rust::check_depth(path, source)?;
    let file = syn::parse_file(source).map_err(|e| {
        let at = e.span().start();
        error(format!("{}:{}: {e}", at.line, at.column + 1))
    })?;
    let doc = file
        .attrs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(
                    s.value()
                        .strip_prefix(' ')
                        .unwrap_or(&s.value())
                        .to_string(),
                ),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let migration = impl_of(&file, "MigrationTrait")
        .ok_or_else(|| error("no `impl MigrationTrait for Migration`".into()))?;
    let mut opted_out = false;
    let mut up = None;
    let mut down = None;
    for item in &migration.items {
        let syn::ImplItem::Fn(f) = item else { continue };
        let mut sql = Sql::default();
        sql.visit_block(&f.block);
        let name = f.sig.ident.to_string();
        if let (Some(call), "up" | "down") = (&sql.unreadable, name.as_str()) {
            return Err(error(format!(
                "MigrationTrait::{name} calls {call}: pgshift replays only the string \
                 literals passed to execute_unprepared, so it cannot tell what this \
                 migration does (write its SQL that way, or keep hand-written migrations \
                 in a crate of their own)"
            )));
        }
        match name.as_str() {
            "use_transaction" => {
                let body = quote!(#f).to_string().replace(' ', "");
                opted_out = body.contains("Some(false)");
            }
            "up" => up = Some(sql),
            "down" => down = Some(sql),
            _ => {}
        }
    }
    let direction = |sql: Option<Sql>| {
        let sql = sql.unwrap_or_default();
        Direction {
            transactional: !opted_out || sql.begins,
            statements: sql.statements,
        }
    };
    Ok(Module {
        doc,
        up: direction(up),
        down: direction(down),
    })
}

/// The SQL script a direction of a module runs, as the sql format writes it: the header
/// comments (from the module's `//!` lines), then the statements.
pub fn script(doc_header: &str, d: &Direction) -> String {
    let mut out = String::new();
    if !d.transactional {
        out.push_str(NO_TRANSACTION);
        out.push('\n');
    }
    out.push_str(doc_header);
    out.push('\n');
    for s in &d.statements {
        out.push_str(s);
        out.push_str(";\n");
    }
    out
}

#[derive(Default)]
struct Sql {
    statements: Vec<String>,
    begins: bool,
    /// The first call that runs SQL some other way than a string literal.
    unreadable: Option<String>,
}

impl<'ast> Visit<'ast> for Sql {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let literal = match call.args.first() {
            Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            })) => Some(s.value()),
            _ => None,
        };
        match (call.method.to_string().as_str(), literal) {
            ("execute_unprepared", Some(sql)) => self.statements.push(sql),
            ("begin", _) => self.begins = true,
            ("get_connection" | "commit", _) => {}
            (other, _) => {
                // SQL pgshift cannot read: a sea-query builder, a statement in a variable.
                let at = call.method.span().start();
                self.unreadable
                    .get_or_insert_with(|| format!("{other}() at line {}", at.line));
            }
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(statements: &[&str], transactional: bool) -> Direction {
        Direction {
            statements: statements.iter().map(|s| s.to_string()).collect(),
            transactional,
        }
    }

    #[test]
    fn names() {
        let name = module_name(20261201120000, "add_user_preferences");
        assert_eq!(name, "m20261201_120000_add_user_preferences");
        assert_eq!(
            parse_module_name(&name),
            Some((20261201120000, "add_user_preferences"))
        );
        assert_eq!(
            module_name(20261201120000, "x²_½_ⅷ_日本_ok"),
            "m20261201_120000_x_ok"
        );
        assert_eq!(module_name(1, "日本"), "m00000000_000001_migration");
        assert_eq!(parse_module_name("lib"), None);
        assert_eq!(parse_module_name("m2026_1_x"), None);
    }

    #[test]
    fn a_module_reads_back_as_it_was_written() {
        let up = dir(
            &[
                "CREATE INDEX CONCURRENTLY i ON t (\"a\\\"b\", 'it''s')",
                "SELECT $$\n  \\ ; \"\n$$",
            ],
            false,
        );
        let down = dir(&["DROP INDEX i", "SELECT 1"], true);
        let text = module("pgshift migration: 1\nparent: none", &up, &down);
        assert!(text.contains("fn use_transaction"), "{text}");
        assert!(text.contains("manager.begin()"), "{text}");
        let back = read_module(Path::new("m.rs"), &text).unwrap();
        assert_eq!(back.doc, "pgshift migration: 1\nparent: none");
        assert_eq!(back.up, up);
        assert_eq!(back.down, down);
    }

    #[test]
    fn a_module_that_builds_its_sql_is_refused_not_misread() {
        let text = "impl MigrationTrait for Migration {\n    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {\n        manager\n            .create_table(Table::create().table(Post::Table).to_owned())\n            .await\n    }\n}\n";
        let err = read_module(Path::new("m.rs"), text)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("m.rs: MigrationTrait::up calls create_table() at line 4"),
            "{err}"
        );
    }

    #[test]
    fn transactional_modules_do_not_opt_out() {
        let d = dir(&["SELECT 1"], true);
        let text = module("x", &d, &d);
        assert!(!text.contains("use_transaction"), "{text}");
        assert_eq!(read_module(Path::new("m.rs"), &text).unwrap().up, d);
    }

    #[test]
    fn registering_keeps_the_rest_of_lib_rs() {
        let lib = "// our migrator\npub use sea_orm_migration::prelude::*;\n\nmod m20250101_000000_a;\n\npub struct Migrator;\n\n#[async_trait::async_trait]\nimpl MigratorTrait for Migrator {\n    fn migrations() -> Vec<Box<dyn MigrationTrait>> {\n        vec![\n            Box::new(m20250101_000000_a::Migration), // first\n        ]\n    }\n}\n";
        let out = register(Path::new("lib.rs"), lib, &["m20260101_000000_b".into()]).unwrap();
        assert!(out.starts_with("// our migrator\n"), "{out}");
        assert!(
            out.contains("mod m20250101_000000_a;\nmod m20260101_000000_b;\n"),
            "{out}"
        );
        assert!(
            out.contains(
                "// first\n            Box::new(m20260101_000000_b::Migration),\n        ]"
            ),
            "{out}"
        );
    }

    #[test]
    fn registering_into_an_empty_vec_and_without_a_trailing_comma() {
        let empty = new_lib(&[]);
        let out = register(Path::new("lib.rs"), &empty, &["m1".into(), "m2".into()]).unwrap();
        assert!(out.contains("mod m1;\nmod m2;\n"), "{out}");
        assert!(
            out.contains("vec![\n            Box::new(m1::Migration),\n            Box::new(m2::Migration),\n        ]"),
            "{out}"
        );
        let one =
            "impl MigratorTrait for M { fn migrations() -> V { vec![Box::new(a::Migration)] } }";
        let out = register(Path::new("lib.rs"), one, &["b".into()]).unwrap();
        assert!(
            out.contains("vec![\n    Box::new(a::Migration),\n    Box::new(b::Migration),\n]"),
            "{out}"
        );
    }

    #[test]
    fn a_lib_rs_without_a_migrator_is_a_clear_error() {
        let err = register(Path::new("lib.rs"), "pub fn f() {}", &["m".into()]).unwrap_err();
        assert!(err.to_string().contains("no `impl MigratorTrait"), "{err}");
        let err = register(Path::new("lib.rs"), "fn (", &["m".into()]).unwrap_err();
        assert!(err.to_string().starts_with("lib.rs: 1:"), "{err}");
    }

    /// A doc text with every line break and a bidi override, as a custom template might
    /// leave it: the module still parses, its doc is one `//!` line per line of text, and
    /// the only items are the ones `module` writes.
    #[test]
    fn a_doc_comment_holds_no_code() {
        let d = dir(&["SELECT 1"], true);
        let doc = "a\rfn evil() {}\u{2028}fn evil2() {}\u{85}x\u{202e}y */ /*\nb";
        let text = module(doc, &d, &d);
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(file.attrs.len(), 2, "{text}");
        assert_eq!(file.items.len(), 3, "{text}");
        assert!(
            !text.contains(['\r', '\u{85}', '\u{2028}', '\u{202e}']),
            "{text:?}"
        );
        let back = read_module(Path::new("m.rs"), &text).unwrap();
        assert_eq!(back.doc.lines().count(), 2, "{}", back.doc);
    }
}
