//! An extension moved to another schema. A relocatable one moves with `ALTER EXTENSION
//! ... SET SCHEMA` (its objects move with it). One whose control file says
//! `relocatable = false` cannot (PostgreSQL: "extension ... does not support SET
//! SCHEMA"): it is dropped and created in the new schema. That is only possible while
//! nothing of the schema needs it but what pgshift recreates around the drop (views,
//! indexes, constraints, triggers, policies, statistics); a column of one of its types or
//! a function using it would go with it, so then planning stops with an error naming them.
//! Reference: <https://www.postgresql.org/docs/15/extend-extensions.html#EXTEND-EXTENSIONS-RELOCATION>.

use crate::error::{Error, Result};
use crate::plan::{Hazard, HazardCode, Step};
use crate::schema::{Extension, ObjectId, Schema};
use crate::sql::{ddl, ident};

/// The step(s) that move `o` to `n`'s schema.
pub fn steps(o: &Extension, n: &Extension) -> Vec<Step> {
    let id = ObjectId::Extension(n.name.clone());
    if o.schema == n.schema {
        return vec![];
    }
    if !o.fixed_schema {
        return vec![Step::new(format!(
            "move extension {} to schema {}",
            ident(&n.name),
            ident(&n.schema)
        ))
        .sql(ddl::extension_set_schema(&n.name, &n.schema))
        .creates(id)];
    }
    let hazard = Hazard::new(
        HazardCode::AccessExclusiveLock,
        format!(
            "extension {} cannot be moved (relocatable = false): it is dropped and created in \
             schema {}; the views, indexes and constraints that use it are dropped before and \
             created after, indexes without CONCURRENTLY",
            ident(&n.name),
            ident(&n.schema)
        ),
        "run it at a quiet time, or keep the extension where it is",
    );
    let mut drop = Step::new(format!(
        "drop extension {} to create it in schema {}",
        ident(&o.name),
        ident(&n.schema)
    ))
    .sql(ddl::drop_extension(&o.name))
    .hazard(hazard);
    drop.drops.push(id.clone());
    let mut create = Step::new(format!(
        "create extension {} in schema {}",
        ident(&n.name),
        ident(&n.schema)
    ))
    .sql(ddl::create_extension(n));
    create.creates.push(id);
    vec![drop, create]
}

/// Planning stops when a non-relocatable extension must move while objects that cannot be
/// recreated around it need it.
pub fn check(old: &Schema, new: &Schema) -> Result<()> {
    for o in old.extensions.values().filter(|e| e.fixed_schema) {
        let Some(n) = new.extensions.get(&o.name) else {
            continue;
        };
        if n.schema == o.schema {
            continue;
        }
        let id = ObjectId::Extension(o.name.clone());
        let blocking: Vec<String> = old
            .dependencies
            .direct_dependents_of(&id)
            .filter(|d| {
                !matches!(
                    d,
                    ObjectId::View(_)
                        | ObjectId::Index(..)
                        | ObjectId::Constraint(..)
                        | ObjectId::Trigger(..)
                        | ObjectId::Policy(..)
                        | ObjectId::Statistics(_)
                        | ObjectId::Schema(_)
                )
            })
            .map(|d| d.to_string())
            .collect();
        if !blocking.is_empty() {
            return Err(Error::Plan(format!(
                "extension {} cannot move from schema {} to {}: it is not relocatable \
                 (ALTER EXTENSION ... SET SCHEMA is refused), and dropping it to create it \
                 again would drop {}; keep it in schema {}, or move those objects off it first",
                ident(&o.name),
                ident(&o.schema),
                ident(&n.schema),
                blocking.join(", "),
                ident(&o.schema)
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::QualifiedName;

    fn with_extension(schema: &str) -> Schema {
        let mut s = Schema::default();
        s.extensions.insert(
            "xml2".into(),
            Extension {
                name: "xml2".into(),
                schema: schema.into(),
                fixed_schema: true,
            },
        );
        s
    }

    #[test]
    fn a_fixed_extension_with_a_column_on_it_is_an_error_naming_the_column() {
        let mut old = with_extension("public");
        let new = with_extension("ext");
        let column = ObjectId::Column(QualifiedName::new("public", "t"), "x".into());
        old.dependencies
            .add(&column, &ObjectId::Extension("xml2".into()));
        let err = check(&old, &new).unwrap_err().to_string();
        assert!(err.contains("not relocatable"), "{err}");
        assert!(err.contains("column public.t.x"), "{err}");
        // A view alone is recreated around the drop: no error, a drop and a create.
        let mut old = with_extension("public");
        let view = ObjectId::View(QualifiedName::new("public", "v"));
        old.dependencies
            .add(&view, &ObjectId::Extension("xml2".into()));
        assert!(check(&old, &new).is_ok());
        let planned = steps(&old.extensions["xml2"], &new.extensions["xml2"]);
        assert_eq!(planned.len(), 2);
        assert_eq!(planned[0].statements, ["DROP EXTENSION xml2"]);
    }

    #[test]
    fn a_relocatable_extension_moves_in_place() {
        let mut o = with_extension("public").extensions["xml2"].clone();
        o.fixed_schema = false;
        let n = with_extension("ext").extensions["xml2"].clone();
        let planned = steps(&o, &n);
        assert_eq!(
            planned[0].statements,
            ["ALTER EXTENSION xml2 SET SCHEMA ext"]
        );
    }
}
