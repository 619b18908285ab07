//! The files of one migration, rendered from the templates: what each template is given
//! (see docs/workflow.md#templates) and the checks that what came out can still be read
//! back by the runners.
//!
//! Every text variable a template can put into a comment (message, created, phase,
//! descriptions, hazard messages and help, data_loss) is given already through
//! `sql::comment`, so a project's own template cannot forget it: a name holding a line
//! break cannot end the comment line it is printed on. `statements` and `script` are SQL.

use super::templates::{Templates, SEA_ORM_HEADER, SQL_DOWN, SQL_UP};
use crate::error::{Error, Result};
use crate::migrate::files::{self, NO_TRANSACTION};
use crate::plan::{HazardCode, Phase, Plan, SqlOptions};
use crate::sql::comment;
use minijinja::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What a migration's header says about it.
pub struct Header<'a> {
    pub version: i64,
    pub parents: &'a [i64],
    /// ISO 8601, UTC.
    pub created: &'a str,
    pub message: &'a str,
    /// `expand`, `contract` or `merge`.
    pub phase: &'a str,
    /// For a migration that holds part of the downgrade of another (its up does nothing):
    /// that migration's version. Written as `-- undo-of:`, which the runner reads back.
    pub undo_of: Option<i64>,
}

pub fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Expand => "expand",
        Phase::Contract => "contract",
    }
}

/// The `up.sql` of a migration.
pub fn up_sql(t: &Templates, part: &Plan, h: &Header, options: &SqlOptions) -> Result<String> {
    let mut pairs = header_pairs(part, h);
    pairs.extend(body_pairs(part, options));
    let text = t.render(SQL_UP, Value::from_pairs(pairs))?;
    check_marker(&text, !transactional(part), SQL_UP, t)?;
    if h.undo_of.is_some() && files::undo_of(&text) != h.undo_of {
        return Err(contract_error(
            t,
            SQL_UP,
            "the output must keep the `-- undo-of:` line among its leading comments when \
             undo_of is set (the runner reads it back to revert the parts of a downgrade \
             together)"
                .into(),
        ));
    }
    if files::parents(&text) != Some(h.parents.to_vec()) {
        return Err(contract_error(
            t,
            SQL_UP,
            format!(
                "the output must keep the `-- parent: {}` line among its leading comments \
                 (pgshift reads it back to find the heads of the history)",
                parent_list(h.parents)
            ),
        ));
    }
    Ok(text)
}

/// The `down.sql` of a migration: `down` is the plan back from `up`.
pub fn down_sql(
    t: &Templates,
    up: &Plan,
    down: &Plan,
    version: i64,
    options: &SqlOptions,
) -> Result<String> {
    let mut pairs = vec![
        ("version", Value::from(version)),
        ("data_loss", data_loss(down)),
        ("not_exact", not_exact(up)),
    ];
    pairs.extend(body_pairs(down, options));
    let text = t.render(SQL_DOWN, Value::from_pairs(pairs))?;
    check_marker(&text, !transactional(down), SQL_DOWN, t)?;
    Ok(text)
}

/// The doc comment of a sea-orm migration module, one line per line of text.
pub fn sea_orm_header(t: &Templates, part: &Plan, h: &Header, down: &Plan) -> Result<String> {
    let mut pairs = header_pairs(part, h);
    pairs.push(("data_loss", data_loss(down)));
    t.render(SEA_ORM_HEADER, Value::from_pairs(pairs))
}

pub fn parent_list(parents: &[i64]) -> String {
    match parents {
        [] => "none".into(),
        _ => parents
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn transactional(part: &Plan) -> bool {
    part.steps.iter().all(|s| s.transactional)
}

fn header_pairs(part: &Plan, h: &Header) -> Vec<(&'static str, Value)> {
    let hazards: BTreeSet<HazardCode> = part
        .steps
        .iter()
        .flat_map(|s| s.hazards.iter().map(|h| h.code))
        .collect();
    vec![
        ("version", Value::from(h.version)),
        ("parents", h.parents.iter().copied().collect()),
        ("created", Value::from(comment(h.created))),
        ("message", Value::from(comment(h.message))),
        ("phase", Value::from(comment(h.phase))),
        ("undo_of", Value::from(h.undo_of)),
        ("hazards", hazards.iter().map(|c| c.as_str()).collect()),
        ("no_transaction", Value::from(!transactional(part))),
    ]
}

/// The statements: `script` as `pgshift diff` prints it (with the session timeouts) and
/// `steps` one by one, for the templates of migrations that cannot run in a transaction.
fn body_pairs(part: &Plan, options: &SqlOptions) -> Vec<(&'static str, Value)> {
    let steps: Value = part
        .steps
        .iter()
        .map(|s| {
            let hazards: Value = s
                .hazards
                .iter()
                .map(|h| {
                    Value::from_pairs([
                        ("code", Value::from(h.code.as_str())),
                        ("message", Value::from(comment(&h.message))),
                        ("help", Value::from(comment(&h.help))),
                    ])
                })
                .collect();
            Value::from_pairs([
                ("description", Value::from(comment(&s.description))),
                (
                    "statements",
                    s.statements.iter().map(String::as_str).collect(),
                ),
                ("hazards", hazards),
            ])
        })
        .collect();
    vec![
        ("script", Value::from(part.to_sql_with(options))),
        ("steps", steps),
        ("no_transaction", Value::from(!transactional(part))),
    ]
}

/// The descriptions of the steps of an upgrade whose loss the downgrade cannot undo.
fn not_exact(up: &Plan) -> Value {
    up.steps
        .iter()
        .filter(|s| {
            s.hazards
                .iter()
                .any(|h| h.code == HazardCode::IrreversibleDowngrade)
        })
        .map(|s| comment(&s.description))
        .collect()
}

/// The descriptions of the steps of a downgrade that lose data.
fn data_loss(down: &Plan) -> Value {
    down.steps
        .iter()
        .filter(|s| s.hazards.iter().any(|h| h.code == HazardCode::DataLoss))
        .map(|s| comment(&s.description))
        .collect()
}

fn check_marker(text: &str, no_transaction: bool, name: &str, t: &Templates) -> Result<()> {
    if text.starts_with(NO_TRANSACTION) == no_transaction {
        return Ok(());
    }
    Err(contract_error(
        t,
        name,
        if no_transaction {
            format!("the output must start with `{NO_TRANSACTION}` when no_transaction is true (the runners read that line)")
        } else {
            format!("the output starts with `{NO_TRANSACTION}` but this migration runs in a transaction")
        },
    ))
}

fn contract_error(t: &Templates, name: &str, message: String) -> Error {
    Error::Template {
        path: t.origin(name).unwrap_or_else(|| PathBuf::from(name)),
        line: 1,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Hazard, Step};

    fn step(description: &str, sql: &str, transactional: bool, hazard: Option<HazardCode>) -> Step {
        let mut step = Step::new(description).sql(sql);
        step.transactional = transactional;
        step.hazards = hazard
            .map(|c| vec![Hazard::new(c, "what happens", "what to do")])
            .unwrap_or_default();
        step
    }

    fn options() -> SqlOptions {
        SqlOptions {
            lock_timeout: "5s".into(),
            statement_timeout: "30min".into(),
        }
    }

    // The files as pgshift wrote them before templates: the built-in templates keep them.
    #[test]
    fn a_migration_outside_a_transaction() {
        let part = Plan {
            steps: vec![step(
                "create index i",
                "CREATE INDEX CONCURRENTLY i ON t (a)",
                false,
                Some(HazardCode::IndexBuild),
            )],
        };
        let header = Header {
            version: 20260101000000,
            parents: &[1],
            created: "2026-01-01T00:00:00Z",
            message: "add\nindex",
            phase: "expand",
            undo_of: None,
        };
        let up = up_sql(&Templates::builtin(), &part, &header, &options()).unwrap();
        assert_eq!(
            up,
            "-- no-transaction\n-- pgshift migration: 20260101000000\n-- parent: 1\n\
             -- created: 2026-01-01T00:00:00Z\n-- message: add\\nindex\n-- phase: expand\n\
             -- hazards: INDEX_BUILD\n\n-- create index i\n-- hazard INDEX_BUILD: what \
             happens\n--   help: what to do\nCREATE INDEX CONCURRENTLY i ON t (a);\n"
        );
    }

    #[test]
    fn a_contract_migration_and_a_downgrade_that_loses_data() {
        let mut part = Plan {
            steps: vec![step(
                "alter column t.a",
                "ALTER TABLE t ALTER a SET NOT NULL",
                true,
                None,
            )],
        };
        part.steps[0].phase = Phase::Contract;
        let header = Header {
            version: 2,
            parents: &[],
            created: "c",
            message: "m",
            phase: phase_name(Phase::Contract),
            undo_of: None,
        };
        let t = Templates::builtin();
        let up = up_sql(&t, &part, &header, &options()).unwrap();
        let head = "-- pgshift migration: 2\n-- parent: none\n-- created: c\n-- message: m\n\
                    -- phase: contract (run after the backfill is verified and the new \
                    application deployed)\n\n";
        assert_eq!(up, format!("{head}{}", part.to_sql_with(&options())));
        let down = Plan {
            steps: vec![
                step(
                    "drop column t.b",
                    "ALTER TABLE t DROP b",
                    true,
                    Some(HazardCode::DataLoss),
                ),
                step(
                    "drop table u",
                    "DROP TABLE u",
                    true,
                    Some(HazardCode::DataLoss),
                ),
            ],
        };
        assert_eq!(
            down_sql(&t, &Plan::default(), &down, 2, &options()).unwrap(),
            format!(
                "-- pgshift downgrade of migration 2\n-- warning: this downgrade loses data: \
                 drop column t.b; drop table u\n\n{}",
                down.to_sql_with(&options())
            )
        );
        let merge = up_sql(
            &t,
            &Plan { steps: vec![] },
            &Header {
                parents: &[1, 2],
                phase: "merge",
                ..header
            },
            &options(),
        )
        .unwrap();
        assert_eq!(merge, "-- pgshift migration: 2\n-- parent: 1, 2\n-- created: c\n-- message: m\n-- phase: merge\n\n");
    }

    /// Every text a template can print into a comment, holding every line break: each
    /// file's lines are comments, blank, `SET`s or the one statement, for both the
    /// transactional script and the step-by-step form, and the sea-orm header is as many
    /// lines as its template has.
    #[test]
    fn no_text_leaves_its_comment() {
        let evil = "x\n\r\r\n\u{b}\u{c}\u{85}\u{2028}\u{2029}DELETE FROM precious; -- */ /*";
        let t = Templates::builtin();
        for transactional in [true, false] {
            let mut s = step(evil, "SELECT 1", transactional, None);
            s.note = Some(evil.into());
            s.hazards = vec![Hazard::new(HazardCode::DataLoss, evil, evil)];
            let part = Plan { steps: vec![s] };
            let header = Header {
                version: 1,
                parents: &[],
                created: evil,
                message: evil,
                phase: "expand",
                undo_of: None,
            };
            let up = up_sql(&t, &part, &header, &options()).unwrap();
            let down = down_sql(&t, &part, &part, 1, &options()).unwrap();
            for file in [&up, &down] {
                let code: Vec<&str> = file
                    .split([
                        '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}',
                    ])
                    .filter(|l| !l.is_empty() && !l.starts_with("--") && !l.starts_with("SET "))
                    .collect();
                assert_eq!(code, ["SELECT 1;"], "{file}");
                assert!(!file.contains("*/") && !file.contains("/*"), "{file}");
            }
            let doc = sea_orm_header(&t, &part, &header, &part).unwrap();
            let plain = sea_orm_header(
                &t,
                &part,
                &Header {
                    created: "c",
                    message: "m",
                    ..header
                },
                &Plan::default(),
            )
            .unwrap();
            assert_eq!(doc.lines().count(), plain.lines().count() + 1, "{doc}");
        }
    }
}
