//! An independent linter agrees: squawk (`pip install squawk-cli`) lints the upgrade SQL
//! of every round-trip case that changes tables that already exist, and every warning it
//! gives must match a hazard pgshift reports for the same statement, or fall under a
//! written exclusion below. squawk missing is a failure, never a skip.

mod common;

use common::{cluster, TestDb};
use pgshift::plan::{plan_with, HazardCode, Plan};
use pgshift::schema::{QualifiedName, Schema};
use pgshift::sql::qualified;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use HazardCode::*;

/// squawk rules that flag a lock, a rewrite or lost data, and the pgshift hazards that
/// name the same thing. A warning of one of these rules on a statement touching a table
/// that exists before the migration passes only if the statement's step carries one of
/// the codes. An empty list: pgshift's output must never trigger the rule there.
const RULES: &[(&str, &[HazardCode])] = &[
    // Plain CREATE INDEX on an existing table: pgshift builds CONCURRENTLY; the only
    // exception is a partitioned table (no CONCURRENTLY there), named as INDEX_BUILD.
    ("require-concurrent-index-creation", &[IndexBuild]),
    ("require-concurrent-index-deletion", &[]),
    // ADD CONSTRAINT without NOT VALID scans under a lock: pgshift adds NOT VALID and
    // validates separately, except where PostgreSQL has no such form (exclusion
    // constraints, partitioned tables), which it names.
    ("constraint-missing-not-valid", &[AccessExclusiveLock]),
    ("adding-foreign-key-constraint", &[AccessExclusiveLock]),
    ("disallowed-unique-constraint", &[AccessExclusiveLock]),
    ("adding-serial-primary-key-field", &[AccessExclusiveLock]),
    ("adding-field-with-default", &[TableRewrite]),
    ("adding-not-nullable-field", &[]),
    ("adding-required-field", &[]),
    ("setting-not-nullable-field", &[]),
    // A type change rewrites; a collation change keeps the rows but rebuilds indexes
    // under ACCESS EXCLUSIVE.
    ("changing-column-type", &[TableRewrite, AccessExclusiveLock]),
    (
        "require-concurrent-partition-detach",
        &[AccessExclusiveLock],
    ),
    ("ban-drop-column", &[DataLoss]),
    ("ban-drop-table", &[DataLoss]),
    ("ban-drop-database", &[]),
    ("ban-truncate-cascade", &[]),
    ("ban-concurrent-index-creation-in-transaction", &[]),
];

/// Rules about what pgshift's output does not need, each with the reason.
const EXCLUDED: &[(&str, &str)] = &[
    (
        "prefer-robust-stmts",
        "asks for IF [NOT] EXISTS or a transaction so that the same script can be re-run \
         after a failure; pgshift's scripts run in autocommit by design (CONCURRENTLY cannot \
         run in a transaction) and are re-planned against the live database after a failure, \
         and IF [NOT] EXISTS would hide a database that drifted from what was planned",
    ),
    (
        "prefer-bigint-over-int",
        "about the model's choice of column types, which pgshift reproduces, not about how \
         the change is made",
    ),
    ("prefer-bigint-over-smallint", "as prefer-bigint-over-int"),
    ("prefer-identity", "as prefer-bigint-over-int: the model's choice"),
    ("prefer-text-field", "as prefer-bigint-over-int: the model's choice (varchar(n)); a longer varchar is binary coercible and does not rewrite"),
    ("prefer-timestamp-tz", "as prefer-bigint-over-int: the model's choice"),
    ("ban-char-field", "as prefer-bigint-over-int: the model's choice"),
    (
        "ban-create-domain-with-constraint",
        "about the model using domains with constraints, not how the migration does it",
    ),
    (
        "ban-alter-domain-with-add-constraint",
        "domains are not tables: ALTER DOMAIN ADD CONSTRAINT checks columns of the domain \
         under a SHARE lock on their tables; the model asks for it (see report)",
    ),
    (
        "require-timeout-settings",
        "pgshift starts every script with SET lock_timeout and SET statement_timeout",
    ),
    (
        "renaming-object",
        "pgshift renames only its own temporary objects (an index built under a temporary \
         name, swapped in) or what the model's rename hint asks for",
    ),
    (
        "ban-drop-not-null",
        "relaxes a constraint the model no longer has: a brief lock, no scan, no data lost",
    ),
    (
        "ban-drop-default",
        "the model no longer has the default: a catalog change under a brief lock",
    ),
    (
        "ban-alter-identity",
        "the model changes the identity: a catalog change under a brief lock",
    ),
    (
        "ban-drop-generated-expression",
        "the model makes the column plain: a catalog change, values kept",
    ),
];

/// Rules that warn that existing clients may break when an object goes away (a view, a
/// function, a constraint, a type...). pgshift drops such objects only when the model no
/// longer has them, or to recreate them in the same migration around a change they
/// cannot survive; those are accepted with that reason. Dropping user data is
/// ban-drop-table / ban-drop-column above.
const CLIENT_COMPAT: &[&str] = &[
    "ban-drop-view",
    "ban-drop-function",
    "ban-drop-constraint",
    "ban-drop-type",
    "ban-drop-domain",
    "ban-drop-sequence",
    "ban-drop-schema",
    "ban-drop-extension",
    "ban-drop-trigger",
];

/// Lock rules that look at the constrained table: on a table created in this migration
/// the scan is over no rows, even when the referenced table exists.
const NEW_TABLE_RULES: &[&str] = &[
    "adding-foreign-key-constraint",
    "constraint-missing-not-valid",
];

/// Real disagreements squawk found in pgshift's output, reported to the lead and not
/// silenced: each shows in the test's output, and the test fails once one stops firing
/// (fixed: remove it here) or a new one appears. (case, squawk rule, what is wrong)
const KNOWN: &[(&str, &str, &str)] = &[];

fn squawk() -> PathBuf {
    let out = Command::new("squawk").arg("--version").output();
    match out {
        Ok(o) if o.status.success() => PathBuf::from("squawk"),
        _ => panic!(
            "squawk is not installed: `pip install squawk-cli` (.ci/run installs it); this \
             test does not skip"
        ),
    }
}

struct Case {
    name: String,
    old: Schema,
    plan: Plan,
    sql: String,
}

/// Statement spans in a plan's SQL: (first line, last line, step, statement), lines
/// from 0.
fn spans(plan: &Plan, sql: &str) -> Vec<(usize, usize, usize, usize)> {
    let mut out = vec![];
    let mut cursor = 0;
    for (i, step) in plan.steps.iter().enumerate() {
        for (j, s) in step.statements.iter().enumerate() {
            let needle = format!("{s};\n");
            let at = cursor
                + sql[cursor..]
                    .find(&needle)
                    .unwrap_or_else(|| panic!("statement not found in the SQL: {s}"));
            let first = sql[..at].matches('\n').count();
            out.push((first, first + s.matches('\n').count(), i, j));
            cursor = at + needle.len();
        }
    }
    out
}

/// Whether `statement` names `table` (as `schema.name`, not as a prefix of a longer name).
fn names(statement: &str, table: &QualifiedName) -> bool {
    let q = qualified(table);
    statement.match_indices(&q).any(|(i, _)| {
        statement[i + q.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '"'))
    })
}

/// `ALTER TABLE [ONLY] t ...` where t is not a table of `old`.
fn alters_new_table(statement: &str, old: &Schema) -> bool {
    let Some(rest) = statement.strip_prefix("ALTER TABLE ") else {
        return false;
    };
    let rest = rest.strip_prefix("ONLY ").unwrap_or(rest);
    !old.tables
        .keys()
        .any(|t| rest.starts_with(&format!("{} ", qualified(t))))
}

/// Whether every table of `old` that `statement` names was dropped by an earlier step of
/// `plan` (and so created again, empty, before it: a partition made a plain table).
fn made_anew(plan: &Plan, step_index: usize, statement: &str, old: &Schema) -> bool {
    let earlier: Vec<&String> = plan.steps[..step_index]
        .iter()
        .flat_map(|s| &s.statements)
        .collect();
    let mut named = old.tables.keys().filter(|t| names(statement, t)).peekable();
    named.peek().is_some()
        && named.all(|t| {
            earlier
                .iter()
                .any(|s| s.starts_with("DROP TABLE ") && names(s, t))
        })
}

fn touches_existing(statement: &str, old: &Schema) -> bool {
    old.tables.keys().any(|t| names(statement, t))
}

fn load(name: &str) -> Option<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/roundtrip/cases")
        .join(name);
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let (old_sql, new_sql) = (read("old.sql"), read("new.sql"));
    // Cheap first cut: no table before, nothing existing to change.
    if !old_sql.to_ascii_uppercase().contains("CREATE TABLE") {
        return None;
    }
    common::create_case_roles(&dir);
    let (a, b) = (TestDb::new(), TestDb::new());
    a.psql(&old_sql).unwrap_or_else(|e| panic!("{name}: {e}"));
    b.psql(&new_sql).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (old, new) = (a.schema(), b.schema());
    // A case's new.sql may say how a type change converts (`-- pgshift: using ...`), as a
    // `.sql` model does.
    let hints = pgshift::source::sql_hints::read(&dir.join("new.sql"), &new_sql, &new, false)
        .unwrap_or_else(|e| panic!("{name}: hints of new.sql: {e}"));
    let plan = plan_with(&old, &new, &hints).unwrap_or_else(|e| panic!("{name}: {e}"));
    let changes_existing = plan
        .steps
        .iter()
        .flat_map(|s| &s.statements)
        .any(|s| touches_existing(s, &old));
    if !changes_existing {
        return None;
    }
    let sql = plan.to_sql();
    Some(Case {
        name: name.to_string(),
        old,
        plan,
        sql,
    })
}

#[test]
fn squawk_warnings_match_pgshift_hazards() {
    let squawk = squawk();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/roundtrip/cases");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();

    // Two loaders: the cases need a database each for old and new.
    let queue = Mutex::new(names.clone());
    let cases = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let Some(name) = queue.lock().unwrap().pop() else {
                    break;
                };
                if let Some(case) = load(&name) {
                    cases.lock().unwrap().push(case);
                }
            });
        }
    });
    let mut cases = cases.into_inner().unwrap();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(
        cases.len() >= 50,
        "only {} cases change existing tables: the selection is off",
        cases.len()
    );

    let dir = std::env::temp_dir().join(format!("pgshift-squawk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for c in &cases {
        std::fs::write(dir.join(format!("{}.sql", c.name)), &c.sql).unwrap();
    }
    // `15.18 (Debian 15.18-0+deb12u1)`: squawk wants the number.
    let version = cluster()
        .version()
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    let out = Command::new(&squawk)
        .args(["--reporter", "json"])
        .arg(format!("--pg-version={version}"))
        .args(cases.iter().map(|c| dir.join(format!("{}.sql", c.name))))
        .output()
        .expect("run squawk");
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let warnings: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "squawk's output is not JSON ({e}); exit {:?}, stderr: {}\n{stdout}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    });

    let by_case: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.name.as_str(), c)).collect();
    let mut accepted: BTreeMap<String, usize> = BTreeMap::new();
    let mut problems = vec![];
    let mut known_seen = vec![false; KNOWN.len()];
    for w in &warnings {
        let rule = w["rule_name"].as_str().unwrap_or_default();
        let file = w["file"].as_str().unwrap_or_default();
        let name = Path::new(file).file_stem().unwrap().to_str().unwrap();
        let case = by_case[name];
        let line = w["line"].as_u64().unwrap() as usize;
        let spans = spans(&case.plan, &case.sql);
        let Some(&(_, _, step_index, statement_index)) =
            spans.iter().find(|(a, b, _, _)| (*a..=*b).contains(&line))
        else {
            // Outside any statement: the SET lines at the top.
            *accepted
                .entry(format!("{rule}: on pgshift's session settings"))
                .or_default() += 1;
            continue;
        };
        let step = &case.plan.steps[step_index];
        let statement = step.statements[statement_index].clone();
        let codes: Vec<HazardCode> = step.hazards.iter().map(|h| h.code).collect();
        let mut accept = |why: String| *accepted.entry(format!("{rule}: {why}")).or_default() += 1;

        if let Some((_, why)) = EXCLUDED.iter().find(|(r, _)| *r == rule) {
            accept(format!("excluded: {why}"));
        } else if !touches_existing(&statement, &case.old) {
            accept("on an object created in this migration (empty, unused)".into());
        } else if made_anew(&case.plan, step_index, &statement, &case.old) {
            accept("on a table this migration dropped and created again before (empty)".into());
        } else if NEW_TABLE_RULES.contains(&rule) && alters_new_table(&statement, &case.old) {
            accept(
                "a constraint on a table created in this migration: its scan is instant (the \
                 table is empty), so the lock on the existing referenced table is brief"
                    .into(),
            );
        } else if rule == "ban-drop-column"
            && step.statements.iter().any(|s| s.contains(" ADD COLUMN "))
            && codes.contains(&HazardCode::TableRewrite)
        {
            accept(
                "a stored generated column dropped and added again in the same step to change \
                 its expression (PostgreSQL 15 has no SET EXPRESSION): its values are \
                 recomputed, none lost; pgshift reports TABLE_REWRITE"
                    .into(),
            );
        } else if rule == "require-concurrent-index-creation" && statement.contains(" ON ONLY ") {
            accept(
                "CREATE INDEX ... ON ONLY a partitioned table is a catalog entry (an invalid \
                 index that builds nothing); each partition's index is built CONCURRENTLY and \
                 attached"
                    .into(),
            );
        } else if CLIENT_COMPAT.contains(&rule) {
            accept("an object the model drops, or one recreated in the same migration".into());
        } else if let Some((_, expected)) = RULES.iter().find(|(r, _)| *r == rule) {
            if let Some(code) = codes.iter().find(|c| expected.contains(c)) {
                accept(format!("pgshift reports {code}"));
            } else if rule == "changing-column-type" && binary_coercible(&statement, &case.old) {
                accept(
                    "binary-coercible type change: no rewrite, pgshift rightly reports none".into(),
                );
            } else {
                let problem = format!(
                    "{name}: squawk {rule} ({}) on `{statement}`, pgshift reports {codes:?}, \
                     expected one of {expected:?}",
                    w["message"].as_str().unwrap_or_default()
                );
                match KNOWN.iter().position(|(c, r, _)| *c == name && *r == rule) {
                    Some(k) => {
                        known_seen[k] = true;
                        eprintln!("  KNOWN PROBLEM ({}): {problem}", KNOWN[k].2);
                    }
                    None => problems.push(problem),
                }
            }
        } else {
            problems.push(format!(
                "{name}: squawk rule {rule} ({}) on `{statement}` is not in this test's \
                 table: map it to a hazard or exclude it with a reason",
                w["message"].as_str().unwrap_or_default()
            ));
        }
    }

    eprintln!(
        "squawk {} over {} cases that change existing tables: {} warnings",
        String::from_utf8_lossy(
            &Command::new(&squawk)
                .arg("--version")
                .output()
                .unwrap()
                .stdout
        )
        .trim(),
        cases.len(),
        warnings.len()
    );
    for (why, n) in &accepted {
        eprintln!("  accepted {n:>4}  {why}");
    }
    for (k, seen) in known_seen.iter().enumerate() {
        if !seen {
            problems.push(format!(
                "known problem {:?} no longer shows: fixed? remove it from KNOWN",
                KNOWN[k]
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} squawk warnings pgshift does not account for:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// `ALTER TABLE t ALTER COLUMN c TYPE x`: whether the old column's type to `x` is
/// binary coercible (pgshift's own judgement, which its unit tests pin down).
fn binary_coercible(statement: &str, old: &Schema) -> bool {
    let Some((table, _)) = old.tables.iter().find(|(t, _)| names(statement, t)) else {
        return false;
    };
    let Some(rest) = statement.split(" ALTER COLUMN ").nth(1) else {
        return false;
    };
    let Some((column, to)) = rest.split_once(" TYPE ") else {
        return false;
    };
    let column = column.trim_matches('"');
    let to = to.split(" USING ").next().unwrap_or(to);
    old.tables[table]
        .columns
        .iter()
        .find(|c| c.name == column)
        .is_some_and(|c| pgshift::plan::rules::type_change::is_binary_coercible(&c.data_type, to))
}
