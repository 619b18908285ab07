//! `pgshift_phases.rs` of a sea-orm migration crate: the rollout phases for
//! sea-orm-migration, which by itself applies every pending migration at once. pgshift
//! writes the module again on each `generate` (the list of contract migrations and
//! backfills grows), and declares it in `lib.rs` once. Two functions, the counterparts of
//! `pgshift upgrade` and `pgshift complete`:
//!
//! - `upgrade::<Migrator>(&db)` applies the pending migrations up to the first contract
//!   migration (`Migrator::up` with that many steps);
//! - `complete::<Migrator>(&db)` applies the contract migrations at the head of the
//!   pending ones, after checking that no backfill of the current rollout (the applied
//!   migrations since the last applied contract one) has rows left: each check is a `DO`
//!   block that raises, naming the migration, table, count and condition, while rows
//!   still match the condition the backfill names. Nothing runs when it refuses.
//!
//! The SQL of the checks is written here, through the quoting module; the Rust code only
//! compares names and runs the statements.

use super::sea_orm::{module_name, unparse};
use crate::migrate::files::Migration;
use crate::migrate::rollout::{self, Backfill, Phase};
use crate::sql::literal;
use quote::quote;

/// The module file's name in the crate's `src/`, and its `mod` name.
pub const MODULE: &str = "pgshift_phases";

/// One migration as the phases module needs it.
pub struct Entry {
    /// sea-orm-migration's name of it: its module's name.
    pub name: String,
    pub contract: bool,
    pub backfills: Vec<Backfill>,
}

impl Entry {
    /// From a migration whose `up` holds the header (the sql format, or a module read
    /// back): its phase line and backfill markers.
    pub fn of(m: &Migration) -> Entry {
        Entry {
            name: module_name(m.version, &m.name),
            contract: rollout::phase(m) == Phase::Contract,
            backfills: rollout::backfills(m),
        }
    }
}

/// A statement that fails while `b` has rows still to fill.
fn check(name: &str, b: &Backfill) -> String {
    format!(
        "DO $pgshift$\n\
         DECLARE\n\
         \x20   n bigint;\n\
         BEGIN\n\
         \x20   SELECT count(*) INTO n FROM {table} WHERE ({pending});\n\
         \x20   IF n > 0 THEN\n\
         \x20       RAISE EXCEPTION 'cannot complete: the backfill of migration % has % rows of % still matching `%`; nothing was run. Deploy the application that sets the new column, run the backfill again (its rows still to fill only), then complete again', {name}, n, {t}, {p};\n\
         \x20   END IF;\n\
         END\n\
         $pgshift$",
        table = b.table,
        pending = b.pending,
        name = literal(name),
        t = literal(&b.table),
        p = literal(&b.pending),
    )
}

/// The module's source.
pub fn module(entries: &[Entry]) -> String {
    let doc = [
        "Written by `pgshift generate` on each run: do not edit (the next run replaces it).",
        "",
        "The rollout phases for sea-orm-migration, which applies every pending migration",
        "at once: `upgrade` applies the expand phase (the pending migrations up to the first",
        "contract migration), `complete` the contract phase once the backfills are done.",
        "Call them where the crate runs `Migrator::up`, e.g. in its main.rs:",
        "",
        "```ignore",
        "migration::pgshift_phases::upgrade::<Migrator>(&db).await?;   // before the deploy",
        "migration::pgshift_phases::complete::<Migrator>(&db).await?;  // after it",
        "```",
    ]
    .map(|l| format!(" {l}"));
    let contract: Vec<&str> = entries
        .iter()
        .filter(|e| e.contract)
        .map(|e| e.name.as_str())
        .collect();
    let (names, checks): (Vec<&str>, Vec<String>) = entries
        .iter()
        .flat_map(|e| {
            e.backfills
                .iter()
                .map(|b| (e.name.as_str(), check(&e.name, b)))
        })
        .unzip();
    unparse(quote! {
        #(#![doc = #doc])*
        use sea_orm_migration::prelude::*;
        use sea_orm_migration::sea_orm::DatabaseConnection;

        /// The contract migrations: `upgrade` stops before the first pending one.
        pub const CONTRACT: &[&str] = &[#(#contract),*];

        /// Each backfill's migration, and a statement that fails while it has rows left.
        pub const BACKFILLS: &[(&str, &str)] = &[#((#names, #checks)),*];

        /// The expand phase: applies the pending migrations up to the first contract
        /// migration; how many it applied.
        pub async fn upgrade<M: MigratorTrait>(db: &DatabaseConnection) -> Result<u32, DbErr> {
            let pending = M::get_pending_migrations(db).await?;
            let expand = pending
                .iter()
                .take_while(|m| !CONTRACT.contains(&m.name()))
                .count() as u32;
            if expand > 0 {
                M::up(db, Some(expand)).await?;
            }
            Ok(expand)
        }

        /// The contract phase: applies the contract migrations at the head of the pending
        /// ones; refuses, applying nothing, while the expand phase is pending or a backfill
        /// of this rollout has rows left. How many it applied.
        pub async fn complete<M: MigratorTrait>(db: &DatabaseConnection) -> Result<u32, DbErr> {
            let pending = M::get_pending_migrations(db).await?;
            let contract = pending
                .iter()
                .take_while(|m| CONTRACT.contains(&m.name()))
                .count() as u32;
            if contract == 0 {
                return match pending.first() {
                    Some(m) => Err(DbErr::Custom(format!(
                        "cannot complete: migration {} of the expand phase is not applied yet; nothing was run (apply the expand phase with `upgrade` first)",
                        m.name()
                    ))),
                    None => Ok(0),
                };
            }
            let applied = M::get_applied_migrations(db).await?;
            let names: Vec<&str> = applied.iter().map(|m| m.name()).collect();
            let since = names
                .iter()
                .rposition(|n| CONTRACT.contains(n))
                .map_or(0, |i| i + 1);
            for (migration, check) in BACKFILLS {
                if names[since..].contains(migration) {
                    db.execute_unprepared(check).await?;
                }
            }
            M::up(db, Some(contract)).await?;
            Ok(contract)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_module_lists_contract_migrations_and_backfill_checks() {
        let b = Backfill {
            version: 2,
            name: "fill".into(),
            table: "public.\"Order Lines\"".into(),
            pending: "x IS NULL".into(),
        };
        let entries = [
            Entry {
                name: "m20260101_000001_add".into(),
                contract: false,
                backfills: vec![],
            },
            Entry {
                name: "m20260101_000002_fill".into(),
                contract: false,
                backfills: vec![b],
            },
            Entry {
                name: "m20260101_000003_enforce".into(),
                contract: true,
                backfills: vec![],
            },
        ];
        let text = module(&entries);
        assert!(
            text.contains("pub const CONTRACT: &[&str] = &[\"m20260101_000003_enforce\"];"),
            "{text}"
        );
        // The table's quotes are escaped in the Rust string, and a SQL literal in the message.
        assert!(
            text.contains(
                r#"SELECT count(*) INTO n FROM public.\"Order Lines\" WHERE (x IS NULL);"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"'public.\"Order Lines\"', 'x IS NULL';"#),
            "{text}"
        );
        syn::parse_file(&text).expect("the module parses");
        let empty = module(&[]);
        assert!(
            empty.contains("pub const CONTRACT: &[&str] = &[];"),
            "{empty}"
        );
        syn::parse_file(&empty).expect("the empty module parses");
    }
}
