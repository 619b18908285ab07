//! `pgshift squash` through the binary: a run of generated migrations replaced by one
//! proven identical (catalog and pg_dump); a database that applied the old ones keeps
//! working; a history with an object pgshift writes no SQL for is refused.

mod common;

use common::project::Project;
use common::TestDb;

const V1: &str = "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);";
const V2: &str = "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text);\n\
                  CREATE TYPE mood AS ENUM ('ok', 'meh');";
const V3: &str = "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text);\n\
                  CREATE TYPE mood AS ENUM ('ok', 'meh');\n\
                  CREATE INDEX users_email ON users (email);\n\
                  CREATE VIEW named AS SELECT id, name FROM users;";
const V4: &str = "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text, \
                  bio text);\n\
                  CREATE TYPE mood AS ENUM ('ok', 'meh');\n\
                  CREATE INDEX users_email ON users (email);\n\
                  CREATE VIEW named AS SELECT id, name FROM users;";

#[test]
fn squash_is_proven_and_old_databases_keep_working() {
    let p = Project::new(V1);
    p.ok(&["generate", "-m", "one"]);
    p.model(V2);
    p.ok(&["generate", "-m", "two"]);
    p.model(V3);
    p.ok(&["generate", "-m", "three"]);
    let old = TestDb::new();
    p.ok(&["upgrade", "--database", &old.url()]);
    let before_dump = old.dump();
    p.model(V4);
    p.ok(&["generate", "-m", "four"]);
    let files = p.files();
    let four = files.iter().find(|f| f.contains("_four")).unwrap().clone();
    let last_squashed: String =
        files.iter().rfind(|f| !f.contains("_four")).unwrap()[..14].to_string();

    let said = p.ok(&["squash", "--through", &last_squashed, "-m", "baseline"]);
    assert!(said.contains("Squashed"), "{said}");
    let files = p.files();
    let up_files: Vec<&String> = files.iter().filter(|f| f.ends_with(".up.sql")).collect();
    assert_eq!(up_files.len(), 2, "{files:?}");
    assert!(files.contains(&four), "{files:?}");
    let baseline = std::fs::read_to_string(
        p.dir
            .join("migrations")
            .join(format!("{last_squashed}_baseline.up.sql")),
    )
    .unwrap();
    assert!(baseline.contains("-- squashes: "), "{baseline}");
    assert!(baseline.contains("CREATE VIEW"), "{baseline}");

    // The history still holds the model, and every down restores its schema.
    assert!(p.ok(&["check"]).contains("OK"));
    let said = p.ok(&["test"]);
    assert!(said.contains("0 with a problem"), "{said}");

    // A database that applied the squashed migrations: nothing missing or changed, and
    // only the fourth runs.
    let said = p.fails(&["status", "--database", &old.url()], 1);
    assert!(
        said.contains("baseline") && !said.contains("missing"),
        "{said}"
    );
    assert!(said.contains("pending") && said.contains("four"), "{said}");
    let said = p.ok(&["upgrade", "--database", &old.url()]);
    assert!(
        said.contains("four") && !said.contains("baseline"),
        "{said}"
    );
    assert_eq!(
        p.run(&["status", "--database", &old.url()]).status.code(),
        Some(0)
    );
    // And downgrading back through the squash works there too.
    p.ok(&["downgrade", "-1", "--database", &old.url()]);
    common::assert_same_text(&old.dump(), &before_dump, "after downgrading the fourth");

    // A new database: the squash migration, then the fourth.
    let new = TestDb::new();
    p.ok(&["upgrade", "--database", &new.url()]);
    assert_eq!(
        p.run(&["status", "--database", &new.url()]).status.code(),
        Some(0)
    );
    p.ok(&["verify", "--schema", "--database", &new.url()]);
}

#[test]
fn squash_refuses_what_it_cannot_reproduce() {
    let p = Project::new(V1);
    p.ok(&["generate", "-m", "one"]);
    // A rule: pgshift does not model rules, so the squash migration would lose it.
    p.write(
        99990101000000,
        "rule",
        "CREATE RULE users_keep AS ON DELETE TO users DO INSTEAD NOTHING;\n",
        Some("DROP RULE users_keep ON users;\n"),
    );
    let before = p.files();
    let said = p.fails(&["squash"], 2);
    assert!(said.contains("cannot squash"), "{said}");
    assert!(said.contains("users_keep"), "{said}");
    assert!(said.contains("(--through)"), "{said}");
    assert_eq!(p.files(), before, "nothing written or removed");

    // A range type: its squash migration used to fail (its constructor functions were
    // read as user functions, `CREATE FUNCTION ... LANGUAGE internal`); now it is a
    // modelled object and squashes like any other.
    std::fs::remove_file(p.dir.join("migrations/99990101000000_rule.up.sql")).unwrap();
    std::fs::remove_file(p.dir.join("migrations/99990101000000_rule.down.sql")).unwrap();
    p.write(
        99990101000000,
        "range",
        "CREATE TYPE floatrange AS RANGE (subtype = float8);\n\
         CREATE TABLE spans (id int PRIMARY KEY, during floatrange, gaps floatmultirange);\n",
        Some("DROP TABLE spans;\nDROP TYPE floatrange;\n"),
    );
    let said = p.ok(&["squash"]);
    assert!(!said.contains("cannot squash"), "{said}");
    let squashed: String = p
        .files()
        .iter()
        .filter(|f| f.ends_with(".up.sql"))
        .map(|f| std::fs::read_to_string(p.dir.join("migrations").join(f)).unwrap())
        .collect();
    assert!(squashed.contains("AS RANGE"), "{squashed}");
    assert!(!squashed.contains("LANGUAGE internal"), "{squashed}");
}
