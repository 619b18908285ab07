//! A column renamed with an explicit hint (`renamed_from`), by expand-contract so the
//! running application never sees it missing: expand adds the new column, keeps both in
//! step with a trigger and copies the existing values; contract, once the application
//! uses the new name, drops the trigger and the old column. Without a hint a rename is a
//! drop and an add, with a DATA_LOSS hazard: pgshift never guesses.

use super::{helper_name, set_not_null, table_label};
use crate::plan::{chain, Hazard, HazardCode, Step};
use crate::schema::{Column, ObjectId, QualifiedName};
use crate::sql::{ddl, ident, qualified};

/// `key` is the table's single-column primary key, which the copy walks (see `backfill`).
pub fn steps(table: &QualifiedName, key: Option<&str>, old: &Column, new: &Column) -> Vec<Step> {
    let id = ObjectId::Column(table.clone(), new.name.clone());
    let (o, n) = (ident(&old.name), ident(&new.name));
    let base = helper_name(
        &format!("{}_{}_to_{}", table.name, old.name, new.name),
        "_pgshift_sync",
    );
    let function = qualified(&QualifiedName::new(table.schema.clone(), base.clone()));
    let trigger = ident(&base);

    let nullable = Column {
        not_null: false,
        identity: None,
        generated: None,
        ..new.clone()
    };
    let mut add = Step::new(format!("add column {table}.{n}, the new name of {o}"))
        .sql(ddl::alter_table(
            table,
            &format!("ADD COLUMN {}", ddl::column_definition(&nullable)),
        ))
        .creates(id.clone());
    if new.comment.is_some() {
        add = add.sql(ddl::comment_on(
            &format!("COLUMN {}.{n}", qualified(table)),
            new.comment.as_deref(),
        ));
    }
    let sync = Step::new(format!("keep {table}.{o} and {n} in step while both are in use"))
        .sql(format!(
            "CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $pgshift$\n\
             BEGIN\n\
             \x20   IF TG_OP = 'INSERT' THEN\n\
             \x20       NEW.{n} := COALESCE(NEW.{n}, NEW.{o});\n\
             \x20       NEW.{o} := COALESCE(NEW.{o}, NEW.{n});\n\
             \x20   ELSIF NEW.{n} IS DISTINCT FROM OLD.{n} THEN\n\
             \x20       NEW.{o} := NEW.{n};\n\
             \x20   ELSIF NEW.{o} IS DISTINCT FROM OLD.{o} THEN\n\
             \x20       NEW.{n} := NEW.{o};\n\
             \x20   END IF;\n\
             \x20   RETURN NEW;\n\
             END\n$pgshift$"
        ))
        .sql(format!(
            "CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE ON {} FOR EACH ROW EXECUTE FUNCTION {function}()",
            qualified(table)
        ))
        .creates(id.clone());
    let copy = super::backfill::step(
        format!("copy {table}.{o} into {n}"),
        table,
        key,
        &format!("{n} = {o}"),
        &format!("{n} IS DISTINCT FROM {o}"),
    )
    .hazard(Hazard::new(
        HazardCode::BackfillRequired,
        format!(
            "copies {o} into {n} in every row of {} in committed batches of a few thousand \
             rows: a row is locked only while its batch runs",
            table_label(table)
        ),
        "run it at a quiet time for a very large table; if it stops, run it again",
    ))
    .creates(id.clone());
    let mut steps = vec![add, sync, copy];
    if new.not_null {
        steps.extend(
            set_not_null::steps(table, &new.name)
                .into_iter()
                .map(Step::contract),
        );
    }
    let mut contract = Step::new(format!(
        "drop the old column {table}.{o} and its sync trigger"
    ))
    .sql(format!("DROP TRIGGER {trigger} ON {}", qualified(table)))
    .sql(format!("DROP FUNCTION {function}()"))
    .sql(ddl::alter_table(table, &format!("DROP COLUMN {o}")))
    .drops(ObjectId::Column(table.clone(), old.name.clone()))
    .contract();
    contract.note = Some(format!(
        "run once every application instance reads and writes {n}, not {o}"
    ));
    steps.push(contract);
    chain(&id, steps)
}
