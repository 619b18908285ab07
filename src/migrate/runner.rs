//! Applies and rolls back migrations on a live database, recording each in a version
//! table, under a PostgreSQL advisory lock so two runners at once never both apply.

use super::files::{Migration, NO_TRANSACTION};
use super::split::statements;
use crate::error::{Error, Result};
use crate::schema::QualifiedName;
use crate::source::describe_pg_error;
use crate::sql::{ident, qualified};
use postgres::Client;
use std::time::{Duration, Instant};

/// A row of the version table.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Applied {
    pub version: i64,
    pub name: String,
    pub checksum: String,
    pub applied_at: String,
    pub applied_by: String,
    pub execution_ms: i64,
}

pub struct Runner<'a> {
    client: &'a mut Client,
    table: QualifiedName,
    target: String,
}

impl<'a> Runner<'a> {
    /// `target` names the database in messages.
    pub fn new(client: &'a mut Client, table: QualifiedName, target: String) -> Runner<'a> {
        Runner {
            client,
            table,
            target,
        }
    }

    fn db_error(&self, what: &str) -> impl Fn(postgres::Error) -> Error + '_ {
        let what = what.to_string();
        move |e| Error::Database {
            what: what.clone(),
            target: self.target.clone(),
            reason: describe_pg_error(&e),
        }
    }

    pub fn ensure_table(&mut self) -> Result<()> {
        let sql = format!(
            "CREATE SCHEMA IF NOT EXISTS {schema};
             CREATE TABLE IF NOT EXISTS {table} (
                 version bigint PRIMARY KEY,
                 name text NOT NULL,
                 checksum text NOT NULL,
                 applied_at timestamptz NOT NULL DEFAULT now(),
                 applied_by text NOT NULL DEFAULT current_user,
                 execution_ms bigint NOT NULL
             )",
            schema = ident(&self.table.schema),
            table = qualified(&self.table)
        );
        let result = self.client.batch_execute(&sql);
        result.map_err(self.db_error("creating the version table"))
    }

    pub fn applied(&mut self) -> Result<Vec<Applied>> {
        self.ensure_table()?;
        let sql = format!(
            "SELECT version, name, checksum, to_char(applied_at AT TIME ZONE 'UTC', \
             'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), applied_by, execution_ms FROM {} ORDER BY version",
            qualified(&self.table)
        );
        let rows = self.client.query(&sql, &[]);
        let rows = rows.map_err(self.db_error("reading the version table"))?;
        Ok(rows
            .iter()
            .map(|r| Applied {
                version: r.get(0),
                name: r.get(1),
                checksum: r.get(2),
                applied_at: r.get(3),
                applied_by: r.get(4),
                execution_ms: r.get(5),
            })
            .collect())
    }

    /// Takes the advisory lock for this version table, waiting up to `wait`.
    pub fn lock(&mut self, wait: Duration) -> Result<()> {
        let key = lock_key(&self.table);
        let deadline = Instant::now() + wait;
        loop {
            let row = self
                .client
                .query_one("SELECT pg_try_advisory_lock($1)", &[&key]);
            let got: bool = row
                .map_err(self.db_error("taking the migration lock"))?
                .get(0);
            if got {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(Error::Database {
                    what: "taking the migration lock".into(),
                    target: self.target.clone(),
                    reason: format!(
                        "another pgshift run holds it (advisory lock {key}); waited {}s: wait \
                         for it to finish or raise --lock-wait",
                        wait.as_secs()
                    ),
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn unlock(&mut self) {
        let _ = self
            .client
            .execute("SELECT pg_advisory_unlock($1)", &[&lock_key(&self.table)]);
    }

    /// Applies `m` and records it, in one transaction unless it is marked
    /// `-- no-transaction`; a failure leaves the version table as it was.
    pub fn apply(&mut self, m: &Migration) -> Result<()> {
        let started = Instant::now();
        let record = format!(
            "INSERT INTO {} (version, name, checksum, execution_ms) VALUES ($1, $2, $3, $4)",
            qualified(&self.table)
        );
        if m.transactional() {
            let mut tx = self
                .client
                .transaction()
                .map_err(|e| migration_error(m, None, &e))?;
            // One statement at a time, so a failure names its statement.
            for statement in statements(&m.up) {
                if let Err(e) = tx.batch_execute(&statement) {
                    return Err(migration_error(m, Some(statement), &e));
                }
            }
            let ms = started.elapsed().as_millis() as i64;
            tx.execute(&record, &[&m.version, &m.name, &m.checksum(), &ms])
                .map_err(|e| migration_error(m, None, &e))?;
            tx.commit().map_err(|e| migration_error(m, None, &e))?;
        } else {
            for statement in statements(&m.up) {
                if let Err(e) = self.client.batch_execute(&statement) {
                    return Err(migration_error(m, Some(statement), &e));
                }
            }
            let ms = started.elapsed().as_millis() as i64;
            self.client
                .execute(&record, &[&m.version, &m.name, &m.checksum(), &ms])
                .map_err(|e| migration_error(m, None, &e))?;
        }
        Ok(())
    }

    /// Runs the down script of `m` and removes its record.
    pub fn revert(&mut self, m: &Migration) -> Result<()> {
        let Some(down) = &m.down else {
            return Err(Error::Migration {
                version: m.version,
                name: m.name.clone(),
                statement: None,
                reason: format!(
                    "{} has no .down.sql: it cannot be reverted",
                    m.path.display()
                ),
            });
        };
        let forget = format!("DELETE FROM {} WHERE version = $1", qualified(&self.table));
        if m.down_transactional() {
            let mut tx = self
                .client
                .transaction()
                .map_err(|e| migration_error(m, None, &e))?;
            for statement in statements(down) {
                if let Err(e) = tx.batch_execute(&statement) {
                    return Err(migration_error(m, Some(statement), &e));
                }
            }
            tx.execute(&forget, &[&m.version])
                .map_err(|e| migration_error(m, None, &e))?;
            tx.commit().map_err(|e| migration_error(m, None, &e))?;
        } else {
            for statement in statements(down) {
                if let Err(e) = self.client.batch_execute(&statement) {
                    return Err(migration_error(m, Some(statement), &e));
                }
            }
            self.client
                .execute(&forget, &[&m.version])
                .map_err(|e| migration_error(m, None, &e))?;
        }
        Ok(())
    }
}

fn migration_error(m: &Migration, statement: Option<String>, e: &postgres::Error) -> Error {
    Error::Migration {
        version: m.version,
        name: m.name.clone(),
        statement,
        reason: describe_pg_error(e),
    }
}

/// A stable 64-bit key for the advisory lock of one version table (FNV-1a).
fn lock_key(table: &QualifiedName) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in format!("pgshift:{}", qualified(table)).bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

/// The header line that marks a migration for runners that honour it (pgshift, sqlx).
pub fn no_transaction_marker() -> &'static str {
    NO_TRANSACTION
}
