//! Grants, owners and statistics objects in Rust models (docs/rust-models.md#privileges):
//!
//! ```ignore
//! #[pgshift(table, owner = "app_owner",
//!           grant(to = "app", privileges = "SELECT, INSERT, UPDATE"),
//!           grant(to = "reporting", privileges = "SELECT WITH GRANT OPTION"),
//!           statistics(name = "orders_region_city", kinds = "ndistinct, dependencies",
//!                      columns = "region, city"))]
//! pub struct Orders {
//!     #[pgshift(grant(to = "support", privileges = "SELECT"))]
//!     pub email: String,
//! }
//! ```
//!
//! They are read into the table's `extras`, and once the table's name and columns are
//! final (`schema = ...` and `column_name = ...` may come after them) into the model's
//! privilege list and statements, which TOML models fill from their own sections.

use super::attrs::{check_keys, split_list, Arg, Value};
use super::Ctx;
use crate::error::Result;
use crate::schema::{ObjectId, QualifiedName};
use crate::source::model::*;
use crate::source::model_privileges::PrivilegeDef;
use crate::source::model_sql::text;
use crate::sql::lex::Slot;
use crate::sql::{ident, qualified};
use std::collections::BTreeMap;

/// The struct-level keys this module reads.
pub const TABLE_KEYS: &[&str] = &["owner", "grant", "no_grants", "statistics"];

/// Struct-level `owner`, `grant(...)`, `no_grants`, `statistics(...)`.
pub fn table_arg(ctx: &Ctx, a: &Arg, table: &mut TableDef) -> Result<()> {
    let origin = a.origin(ctx);
    let extras = table.extras.get_or_insert_with(Default::default);
    match a.key.as_str() {
        "owner" => extras.owner = Some((a.str(ctx)?, origin)),
        "no_grants" => {
            if a.flag(ctx)? {
                extras
                    .grants
                    .get_or_insert_with(|| (BTreeMap::new(), origin));
            }
        }
        "grant" => {
            let (to, privileges) = grant(ctx, a)?;
            let (acl, _) = extras
                .grants
                .get_or_insert_with(|| (BTreeMap::new(), origin));
            acl.entry(to).or_default().extend(privileges);
        }
        _ => extras.statistics.push(statistics(ctx, a)?),
    }
    Ok(())
}

/// Field-level `grant(...)`: added to `acl`, recorded under the column's final name by
/// `column_grants`.
pub fn field_grant(
    ctx: &Ctx,
    a: &Arg,
    acl: &mut Option<(BTreeMap<String, Vec<String>>, Origin)>,
) -> Result<()> {
    let (to, privileges) = grant(ctx, a)?;
    let (acl, _) = acl.get_or_insert_with(|| (BTreeMap::new(), a.origin(ctx)));
    acl.entry(to).or_default().extend(privileges);
    Ok(())
}

/// `grant(to = "role", privileges = "SELECT, INSERT WITH GRANT OPTION")`.
fn grant(ctx: &Ctx, a: &Arg) -> Result<(String, Vec<String>)> {
    let list = a.list(ctx)?;
    check_keys(ctx, list, "pgshift", "a grant", &["to", "privileges"])?;
    let (mut to, mut privileges) = (None, None);
    for i in list {
        match i.key.as_str() {
            "to" => to = Some(i.str(ctx)?),
            _ => privileges = Some(split_list(&i.str(ctx)?)),
        }
    }
    let missing = |what: &str| {
        a.origin(ctx).error(
            format!("grant(...) has no `{what}`"),
            Some("write grant(to = \"role\", privileges = \"SELECT, INSERT\"); `to = \"public\"` grants to PUBLIC".into()),
        )
    };
    let to = to.ok_or_else(|| missing("to"))?;
    let privileges = privileges.ok_or_else(|| missing("privileges"))?;
    if privileges.is_empty() {
        return Err(a.origin(ctx).error(
            "grant(...) grants no privilege",
            Some(
                "name at least one, or use `no_grants` on the struct to grant nothing to anyone"
                    .into(),
            ),
        ));
    }
    Ok((to, privileges))
}

/// `statistics(name = "...", kinds = "ndistinct, dependencies, mcv", columns = "a, b",
/// expr = "lower(email)", target = 500, comment = "...")`.
fn statistics(ctx: &Ctx, a: &Arg) -> Result<StatisticsDecl> {
    let list = a.list(ctx)?;
    check_keys(
        ctx,
        list,
        "pgshift",
        "a statistics object",
        &["name", "kinds", "columns", "expr", "target", "comment"],
    )?;
    let origin = a.origin(ctx);
    let mut decl = StatisticsDecl {
        name: String::new(),
        kinds: vec![],
        columns: vec![],
        expressions: vec![],
        target: None,
        comment: None,
        origin: origin.clone(),
    };
    for i in list {
        match i.key.as_str() {
            "name" => decl.name = i.str(ctx)?,
            "kinds" => decl.kinds = split_list(&i.str(ctx)?),
            "columns" => decl.columns = split_list(&i.str(ctx)?),
            "expr" => decl.expressions.push(i.str(ctx)?),
            "comment" => decl.comment = Some(i.str(ctx)?),
            _ => {
                let n = match &i.value {
                    Value::Literal(n) => n.parse::<i32>().ok().filter(|n| (0..=10000).contains(n)),
                    _ => None,
                };
                decl.target = Some(n.ok_or_else(|| {
                    i.origin(ctx).error(
                        "`target` takes a whole number from 0 to 10000",
                        Some("write target = 500".into()),
                    )
                })?);
            }
        }
    }
    if decl.name.is_empty() {
        return Err(origin.error(
            "statistics(...) has no `name`",
            Some("write name = \"table_a_b_stats\" (PostgreSQL 15 needs one)".into()),
        ));
    }
    for k in &decl.kinds {
        if !matches!(k.as_str(), "ndistinct" | "dependencies" | "mcv") {
            return Err(origin.error(
                format!("{k:?} is not a kind of statistics"),
                Some(
                    "write kinds = \"ndistinct, dependencies, mcv\" or some of them (all when left out)"
                        .into(),
                ),
            ));
        }
    }
    if decl.columns.len() + decl.expressions.len() == 0 {
        return Err(origin.error(
            "statistics(...) has no columns",
            Some("give columns = \"a, b\" and/or expr = \"lower(email)\"".into()),
        ));
    }
    Ok(decl)
}

/// Moves every table's extras into `model`: grants and owners into its privilege list,
/// statistics objects into its statements.
pub fn collect(model: &mut Model) -> Result<()> {
    let mut privileges = vec![];
    let mut statements = vec![];
    for table in &mut model.tables {
        let Some(extras) = table.extras.take() else {
            continue;
        };
        let extras = *extras;
        let origin = extras
            .owner
            .as_ref()
            .map(|(_, o)| o)
            .or(extras.grants.as_ref().map(|(_, o)| o))
            .cloned();
        if let Some(origin) = origin {
            privileges.push(PrivilegeDef {
                id: ObjectId::Table(table.name.clone()),
                owner: extras.owner.map(|(o, _)| o),
                grants: extras.grants.map(|(g, _)| g),
                origin,
            });
        }
        for (column, name, origin) in extras.identity_sequences {
            let name = identity_sequence_name(&table.name, &name, "identity_sequence", &origin)?;
            identity_of(table, &column, &origin, "identity_sequence")?.sequence_name = Some(name);
        }
        for (column, grants, origin) in extras.identity_grants {
            let given = identity_of(table, &column, &origin, "identity_grant")?
                .sequence_name
                .clone();
            let sequence =
                given.unwrap_or_else(|| crate::schema::default_sequence_name(&table.name, &column));
            privileges.push(PrivilegeDef {
                id: ObjectId::Sequence(sequence),
                owner: None,
                grants: Some(grants),
                origin,
            });
        }
        for (column, grants, origin) in extras.column_grants {
            privileges.push(PrivilegeDef {
                id: ObjectId::Column(table.name.clone(), column.as_str().into()),
                owner: None,
                grants: Some(grants),
                origin,
            });
        }
        for s in extras.statistics {
            statements.push(statistics_statement(&table.name, s)?);
        }
    }
    model.privileges.extend(privileges);
    model.statements.extend(statements);
    Ok(())
}

/// The identity of column `column` of `table`, which `key` needs.
fn identity_of<'a>(
    table: &'a mut TableDef,
    column: &str,
    origin: &Origin,
    key: &str,
) -> Result<&'a mut IdentityDef> {
    table
        .columns
        .iter_mut()
        .find(|c| c.name == column)
        .and_then(|c| c.identity.as_deref_mut())
        .ok_or_else(|| {
            origin.error(
                format!("`{key}` is for an identity column, and {column} is not one"),
                Some("add identity = \"always\" or \"by_default\" (or auto_increment on a SeaORM key)".into()),
            )
        })
}

/// `CREATE STATISTICS name (kinds) ON a, b, (expr) FROM table`.
fn statistics_statement(table: &QualifiedName, s: StatisticsDecl) -> Result<StatementDef> {
    let name = QualifiedName::parse(&s.name, &table.schema).ok_or_else(|| {
        s.origin.error(
            format!("{:?} is not a statistics object's name", s.name),
            Some("write \"name\" or \"schema.name\"".into()),
        )
    })?;
    let what = format!("statistics object {name}");
    let mut keys: Vec<String> = s.columns.iter().map(|c| ident(c)).collect();
    for e in &s.expressions {
        keys.push(format!(
            "({})",
            text(e, Slot::Clause, "expr", &what, &s.origin)?
        ));
    }
    let kinds = if s.kinds.is_empty() {
        String::new()
    } else {
        format!(" ({})", s.kinds.join(", "))
    };
    Ok(StatementDef {
        definition: format!(
            "CREATE STATISTICS {}{kinds} ON {} FROM {}",
            qualified(&name),
            keys.join(", "),
            qualified(table)
        ),
        name,
        kind: StatementKind::Statistics,
        target: s.target,
        comment: s.comment,
        origin: s.origin,
    })
}
