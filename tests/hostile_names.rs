//! Hostile names (issue 12): line breaks of every kind, comment delimiters, quotes,
//! semicolons, backslashes, dollar quotes, 63-byte names, names of only spaces, bidi
//! overrides and zero-width characters, in every kind of object that takes a name, added,
//! dropped, altered and commented, so that every description, hazard, note and header
//! prints them. Several names end a comment line and then say `DELETE FROM precious`: the
//! sentinel table `precious` keeps its rows only if no name ever leaves its comment.
//!
//! Each path a user takes is run on real PostgreSQL: `pgshift diff` applied with
//! `psql -v ON_ERROR_STOP=1` both ways, and a project (`init`, `generate -m` with a hostile
//! message, `upgrade`, `downgrade`); after each, the catalogs are compared with the model
//! loaded by psql. The sea-orm format's modules must parse as Rust with nothing in their
//! doc comments but text.

mod common;

use common::{assert_same_schema, assert_same_text, Folder, TestDb};
use pgshift::schema::{QualifiedName, Schema};

/// Where a comment ends for PostgreSQL or psql (`\n`, `\r`), for Rust (`\n`), or for an
/// editor or terminal (the rest); each followed by a statement that must never run.
const LINE_BREAKS: &[&str] = &[
    "lf\nDELETE FROM precious; --",
    "cr\rDELETE FROM precious; --",
    "crlf\r\nDELETE FROM precious; --",
    "vt\u{b}ff\u{c}nel\u{85}DELETE FROM precious; --",
    "ls\u{2028}ps\u{2029}DELETE FROM precious; --",
];

/// Everything else that has a meaning in SQL, psql, Rust or an editor.
const OTHERS: &[&str] = &[
    "*/ DELETE FROM precious; /*",
    "/* never closed",
    "-- dashes",
    "it's \"quoted\"",
    "semi; colon;",
    "dot.ted.\"name\"",
    "back\\slash\\",
    "$$ dollar $$",
    "$tag$ tagged $tag$",
    "   ",
    "rtl\u{202e}txt",
    "zero\u{200b}width\u{200d}joiner\u{feff}",
    "tab\there esc\u{1b}[31m",
    ":psql_var :'v' \\! echo",
    "Mixed Case ünïcödé 日本",
];

/// Every name of the corpus: the ones above, and the longest name PostgreSQL keeps
/// (NAMEDATALEN - 1 = 63 bytes) with a line break and a two-byte character in it.
fn names() -> Vec<String> {
    let mut long = String::from("long é\r\nDELETE FROM precious; -- */ /*");
    while long.len() < 63 {
        long.push('x');
    }
    assert_eq!(long.len(), 63);
    LINE_BREAKS
        .iter()
        .chain(OTHERS)
        .map(|s| s.to_string())
        .chain([long])
        .collect()
}

/// A quoted identifier, written here rather than with pgshift's own quoting so that a
/// fault there cannot hide in the input.
fn q(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A string literal (`standard_conforming_strings` is on: backslashes are plain).
fn lit(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The fixed schemas, one per kind of object, so that every object can take the hostile
/// name itself: tables, views, sequences, indexes and types share one namespace.
const HOLDERS: &str = "CREATE SCHEMA kt; CREATE SCHEMA kt2; CREATE SCHEMA ke; CREATE SCHEMA kd;
CREATE SCHEMA kq; CREATE SCHEMA kv; CREATE SCHEMA kf; CREATE SCHEMA ki; CREATE SCHEMA ku;
CREATE TABLE public.precious (id int PRIMARY KEY, what text NOT NULL);
";

/// The model before (`new` false) or after: for each name, every kind of object, so that
/// the upgrade creates, drops, alters and comments objects of that name and the downgrade
/// does the reverse.
fn model(names: &[String], new: bool) -> String {
    let mut sql = String::from(HOLDERS);
    let columns =
        |ty: &str| -> String { names.iter().map(|n| format!(", {} {ty}", q(n))).collect() };
    // Indexes, foreign keys and unique constraints on a table of their own each: a
    // unique constraint's index takes the constraint's name.
    sql += &format!(
        "CREATE TABLE ku.t (id int PRIMARY KEY{});\n",
        columns("int")
    );
    sql += &format!("CREATE TABLE ki.t (id int{});\n", columns("int"));
    if !new {
        // Columns dropped by the upgrade.
        sql += &format!("CREATE TABLE kt2.t (id int{});\n", columns("text"));
    } else {
        sql += "CREATE TABLE kt2.t (id int);\n";
    }
    for n in names {
        let (n, l) = (q(n), lit(n));
        if new {
            // A new schema holding a table and a column of the name.
            sql += &format!("CREATE SCHEMA {n}; COMMENT ON SCHEMA {n} IS {l};\n");
            sql += &format!("CREATE TABLE {n}.{n} ({n} int);\n");
        }
        // A table kept, altered every way a column and a constraint can be.
        let (a, col, check, trigger, policy, view) = if new {
            (
                "bigint",
                format!("{n} text NOT NULL DEFAULT {l}"),
                "a > 1",
                "AFTER",
                "id > 0",
                "2",
            )
        } else {
            ("int", format!("{n} text"), "a > 0", "BEFORE", "true", "1")
        };
        sql += &format!(
            "CREATE TABLE kt.{n} (id int NOT NULL, a {a}, {col}, CONSTRAINT {n} CHECK ({check}));\n"
        );
        let body = if new {
            format!("BEGIN PERFORM {l}; RETURN NEW; END")
        } else {
            "BEGIN RETURN NEW; END".to_string()
        };
        sql += &format!(
            "CREATE FUNCTION kf.{n}() RETURNS trigger LANGUAGE plpgsql AS {};\n",
            lit(&body)
        );
        sql += &format!(
            "CREATE TRIGGER {n} {trigger} INSERT ON kt.{n} FOR EACH ROW EXECUTE FUNCTION kf.{n}();\n"
        );
        sql += &format!("CREATE POLICY {n} ON kt.{n} USING ({policy});\n");
        sql += &format!("CREATE VIEW kv.{n} AS SELECT {view} AS {n};\n");
        if new {
            sql += &format!("CREATE TYPE ke.{n} AS ENUM ('a', {l});\n");
            sql += &format!("CREATE DOMAIN kd.{n} AS int CONSTRAINT {n} CHECK (VALUE > 0);\n");
            sql += &format!("CREATE SEQUENCE kq.{n} INCREMENT 2;\n");
            sql += &format!("CREATE INDEX {n} ON ki.t ({n});\n");
            sql += &format!("ALTER TABLE ku.t ADD CONSTRAINT {n} UNIQUE ({n});\n");
            sql += &format!(
                "ALTER TABLE ki.t ADD CONSTRAINT {n} FOREIGN KEY ({n}) REFERENCES ku.t (id);\n"
            );
            for target in [
                format!("TABLE kt.{n}"),
                format!("COLUMN kt.{n}.{n}"),
                format!("CONSTRAINT {n} ON kt.{n}"),
                format!("TYPE ke.{n}"),
                format!("DOMAIN kd.{n}"),
                format!("SEQUENCE kq.{n}"),
                format!("VIEW kv.{n}"),
                format!("FUNCTION kf.{n}()"),
                format!("TRIGGER {n} ON kt.{n}"),
                format!("POLICY {n} ON kt.{n}"),
                format!("INDEX ki.{n}"),
            ] {
                sql += &format!("COMMENT ON {target} IS {l};\n");
            }
        } else {
            sql += &format!("CREATE TYPE ke.{n} AS ENUM ('a');\n");
            sql += &format!("CREATE DOMAIN kd.{n} AS int;\n");
            sql += &format!("CREATE SEQUENCE kq.{n};\n");
            sql += &format!("COMMENT ON TABLE kt.{n} IS {};\n", lit("old"));
        }
    }
    sql
}

/// The rows that must survive every migration.
const ROWS: &str = "INSERT INTO public.precious VALUES (1, 'one'), (2, 'two'), (3, 'three');";

fn precious(db: &TestDb) -> i64 {
    db.client()
        .query_one("SELECT count(*) FROM public.precious", &[])
        .expect("precious is still there")
        .get(0)
}

/// The corpus: the old and the new model, and what psql makes of each.
struct Corpus {
    old_sql: String,
    new_sql: String,
    old: Schema,
    new: Schema,
}

fn corpus() -> Corpus {
    let names = names();
    let (old_sql, new_sql) = (model(&names, false), model(&names, true));
    let (old, new) = (reference(&old_sql), reference(&new_sql));
    Corpus {
        old_sql,
        new_sql,
        old,
        new,
    }
}

/// A database loaded by psql from `sql`: what the catalogs must look like.
fn reference(sql: &str) -> Schema {
    reference_db(sql).schema()
}

fn reference_db(sql: &str) -> TestDb {
    let db = TestDb::new();
    db.psql(sql)
        .unwrap_or_else(|e| panic!("the model does not load: {e}"));
    db
}

/// `pgshift diff` both ways, applied with psql: the rows stay, the catalogs match.
#[test]
fn diff_output_applies_with_psql_both_ways() {
    let Corpus {
        old_sql,
        new_sql,
        old,
        new,
    } = corpus();
    let dir = Folder::new("diff");
    dir.write("old.sql", &old_sql);
    dir.write("new.sql", &new_sql);
    let up = dir.ok(&["diff", "--from", "old.sql", "--to", "new.sql"]);
    let down = dir.ok(&["diff", "--from", "old.sql", "--to", "new.sql", "--down"]);
    let db = TestDb::new();
    db.psql(&old_sql).unwrap();
    db.psql(ROWS).unwrap();
    db.psql(&up)
        .unwrap_or_else(|e| panic!("the upgrade fails: {e}\n{up}"));
    assert_eq!(precious(&db), 3, "the upgrade deleted rows");
    assert_same_schema(&db.schema(), &new, "after the upgrade");
    // pg_dump's view too, for what the IR might not model.
    let dump = |sql: &str| reference_db(sql).dump();
    assert_same_text(&db.dump(), &dump(&new_sql), "pg_dump after the upgrade");
    db.psql(&down)
        .unwrap_or_else(|e| panic!("the downgrade fails: {e}\n{down}"));
    assert_eq!(precious(&db), 3, "the downgrade deleted rows");
    assert_same_schema(&db.schema(), &old, "after the downgrade");
    assert_same_text(&db.dump(), &dump(&old_sql), "pg_dump after the downgrade");

    for name in &names() {
        // Every name is printed in a comment (`sql::comment` leaves a name with no
        // special character as it is).
        let shown = pgshift::sql::comment(&pgshift::sql::ident(name));
        assert!(
            up.contains(&format!("-- create schema {shown}\n")),
            "{shown}\n{up}"
        );
        assert!(
            down.contains(&format!("-- drop schema {shown}\n")),
            "{shown}\n{down}"
        );
    }
    assert_comments_are_whole_lines(&up);
    assert_comments_are_whole_lines(&down);

    // The readable listing: one line per description and per hazard, as many as the
    // summary line and the SQL script say.
    let listing = dir.ok(&[
        "diff", "--from", "old.sql", "--to", "new.sql", "--format", "plan",
    ]);
    let steps: usize = listing
        .split_once(" step")
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or_else(|| panic!("no summary line:\n{listing}"));
    let hazards = up.lines().filter(|l| l.starts_with("-- hazard ")).count();
    assert!(hazards > names().len(), "{up}");
    let count = |prefix: &str| listing.lines().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(count("     hazard "), hazards, "{listing}");
    assert_eq!(count("       help: "), hazards, "{listing}");
    let numbered = listing
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            let digits = t.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && t[digits..].starts_with(". ") && !l.starts_with("       ")
        })
        .count();
    assert_eq!(numbered, steps, "{listing}");
}

/// Every line of a script that is not a comment nor blank is SQL pgshift wrote: no
/// comment line of `script` goes on past a line break PostgreSQL or an editor honours,
/// and none holds a character that reorders or hides text.
fn assert_comments_are_whole_lines(script: &str) {
    for line in script.split('\n') {
        if let Some(text) = line.strip_prefix("--") {
            let bad = text.chars().find(|c| {
                c.is_control()
                    || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{feff}')
            });
            assert_eq!(bad, None, "comment line {line:?}");
            assert!(!text.contains("/*") && !text.contains("*/"), "{line:?}");
        }
    }
}

/// The user's path: a project, `generate -m` with a hostile message, `upgrade`,
/// `downgrade`, with the rows kept and the catalogs as the models say after each.
#[test]
fn a_project_generates_upgrades_and_downgrades() {
    let Corpus {
        old_sql,
        new_sql,
        old,
        new,
    } = corpus();
    let p = Folder::new("project");
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["init"]);
    p.write("schema.sql", &old_sql);
    p.ok(&["generate", "-m", "the old schema\nDELETE FROM precious; --"]);
    p.ok(&["upgrade", "--all", "--database", &url]);
    db.psql(ROWS).unwrap();
    let first: i64 = applied(&db)[0];

    p.write("schema.sql", &new_sql);
    let message = "new\rDELETE FROM precious; --\r\n*/ /* $$ ' \" ; \\ \u{2028}\u{202e}";
    p.ok(&["generate", "-m", message]);
    assert!(p.ok(&["check"]).contains("OK"));
    let files = std::fs::read_dir(p.dir.join("migrations")).unwrap();
    for f in files.flatten() {
        let text = std::fs::read_to_string(f.path()).unwrap();
        assert_comments_are_whole_lines(&text);
    }
    let printed = p.ok(&["upgrade", "--all", "--database", &url, "--sql"]);
    assert_comments_are_whole_lines(&printed);
    p.ok(&["upgrade", "--all", "--database", &url]);
    assert_eq!(precious(&db), 3, "the upgrade deleted rows");
    assert_same_schema(&without_versions(db.schema()), &new, "after upgrade");

    let printed = p.ok(&["downgrade", &first.to_string(), "--database", &url, "--sql"]);
    assert_comments_are_whole_lines(&printed);
    p.ok(&["downgrade", &first.to_string(), "--database", &url]);
    assert_eq!(applied(&db), [first]);
    assert_eq!(precious(&db), 3, "the downgrade deleted rows");
    assert_same_schema(&without_versions(db.schema()), &old, "after downgrade");
}

fn applied(db: &TestDb) -> Vec<i64> {
    db.client()
        .query(
            "SELECT version FROM public.pgshift_migrations ORDER BY version",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn without_versions(mut s: Schema) -> Schema {
    s.tables
        .remove(&QualifiedName::new("public", "pgshift_migrations"));
    s
}

/// The sea-orm format: every module parses as Rust, its items are the three `module`
/// writes (no code came out of a doc comment), its source holds no character that ends
/// or reorders a line outside `\n`, and `check` reads the history back. The model is
/// built from nothing: the header's data-loss warning then names every object (the
/// downgrade drops them all); the alterations are the project test's.
#[test]
fn sea_orm_modules_hold_no_code_in_their_doc_comments() {
    let p = Folder::new("sea-orm");
    p.ok(&["init", "--format", "sea-orm"]);
    p.write("schema.sql", &model(&names(), true));
    // Letters and digits rustc does not take in a `mod` name, too.
    let message = "new\r\nfn injected() {}\u{2028}fn more() {} */ /*! \u{202e} x² ½ Ⅷ 日本";
    p.ok(&["generate", "-m", message]);
    assert!(p.ok(&["check"]).contains("OK"));

    let src = p.dir.join("migration/src");
    let mut modules = 0;
    for entry in std::fs::read_dir(&src).unwrap().flatten() {
        let path = entry.path();
        let file_name = path.file_name().unwrap().to_string_lossy().to_string();
        if !file_name.starts_with('m') || !file_name.ends_with(".rs") {
            continue;
        }
        modules += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{file_name}: {e}"));
        let kinds: Vec<&str> = file
            .items
            .iter()
            .map(|i| match i {
                syn::Item::Use(_) => "use",
                syn::Item::Struct(_) => "struct",
                syn::Item::Impl(_) => "impl",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["use", "struct", "impl"], "{file_name}:\n{text}");
        assert!(
            file.attrs.iter().all(|a| a.path().is_ident("doc")),
            "{file_name}:\n{text}"
        );
        let bad = text.chars().find(|c| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        });
        assert_eq!(bad, None, "{file_name}:\n{text}");
        let doc_lines = text.lines().filter(|l| l.starts_with("//!")).count();
        assert_eq!(doc_lines, file.attrs.len(), "{file_name}:\n{text}");
    }
    assert!(modules >= 1, "{}", src.display());
    // rustc takes only ASCII `mod` names from files (E0754).
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    assert!(lib.is_ascii(), "{lib}");
}

/// A name of 64 bytes, its last character cut by the 63-byte limit. PostgreSQL truncates
/// it as it loads a `.sql` model (at a character boundary, with a NOTICE), as psql would:
/// the corpus expects the same result from pgshift, or, if pgshift refuses such a name
/// (issue 12, point 7), an error that names it. Never a panic, SQL that fails, or a
/// schema that differs from what psql makes of the model.
#[test]
fn a_64_byte_name_is_cut_as_postgresql_cuts_it_or_refused() {
    let long = format!("{}\nDELETE FROM precious; --é", "x".repeat(37));
    assert_eq!(long.len(), 64);
    let model = format!(
        "CREATE TABLE public.precious (id int PRIMARY KEY, what text NOT NULL);\n\
         CREATE TABLE {n} ({n} int CONSTRAINT {n} CHECK ({n} > 0));\n\
         CREATE INDEX {i} ON precious (what);\n",
        n = q(&long),
        i = q(&format!("i{}", &long[1..]))
    );
    let dir = Folder::new("64");
    dir.write(
        "empty.sql",
        "CREATE TABLE public.precious (id int PRIMARY KEY, what text NOT NULL);",
    );
    dir.write("long.sql", &model);
    let out = dir.pgshift(&["diff", "--from", "empty.sql", "--to", "long.sql"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => {
            let up = String::from_utf8(out.stdout).unwrap();
            let db = TestDb::new();
            db.psql("CREATE TABLE public.precious (id int PRIMARY KEY, what text NOT NULL);")
                .unwrap();
            db.psql(ROWS).unwrap();
            db.psql(&up).unwrap_or_else(|e| panic!("{e}\n{up}"));
            assert_eq!(precious(&db), 3);
            assert_same_schema(&db.schema(), &reference(&model), "after the upgrade");
            let cut = &long[..62];
            assert!(db
                .schema()
                .tables
                .contains_key(&QualifiedName::new("public", cut)));
            assert_comments_are_whole_lines(&up);
        }
        Some(2) => assert!(
            stderr.contains("63") && stderr.contains("xxxxxxxxxx"),
            "the error does not name the name and the limit: {stderr}"
        ),
        other => panic!("pgshift diff exited {other:?}: {stderr}"),
    }
}
