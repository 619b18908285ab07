//! Privileges through the path a user takes: `pgshift diff` from a live database to a
//! `.sql` model. A model manages the privileges of the objects it grants or revokes on,
//! and no others (docs/decisions.md, "Privileges").

mod common;

use common::{create_role, Folder, TestDb};

const DATABASE: &str = "
CREATE TABLE managed (id integer PRIMARY KEY, note text);
CREATE TABLE emptied (id integer);
CREATE TABLE untouched (id integer);
CREATE FUNCTION hidden() RETURNS integer LANGUAGE sql AS 'SELECT 1';
GRANT SELECT ON managed TO pgs_m_reader;
GRANT SELECT, DELETE ON emptied TO pgs_m_reader;
GRANT SELECT ON untouched TO pgs_m_reader;
REVOKE EXECUTE ON FUNCTION hidden() FROM PUBLIC;
";

const TABLES: &str = "
CREATE TABLE managed (id integer PRIMARY KEY, note text);
CREATE TABLE emptied (id integer);
CREATE TABLE untouched (id integer);
CREATE FUNCTION hidden() RETURNS integer LANGUAGE sql AS 'SELECT 1';
";

fn setup() -> (TestDb, Folder) {
    create_role("pgs_m_reader");
    create_role("pgs_m_writer");
    let db = TestDb::new();
    db.psql(DATABASE).unwrap();
    (db, Folder::new("privileges"))
}

/// A model that says nothing about privileges leaves the database's alone: no REVOKE of
/// grants made outside pgshift, no GRANT of EXECUTE back to PUBLIC.
#[test]
fn a_model_silent_about_privileges_manages_none() {
    let (db, dir) = setup();
    dir.write("model.sql", TABLES);
    let up = dir.ok(&["diff", "--from", &db.url(), "--to", "model.sql"]);
    assert_eq!(up, "", "a model without grants changed privileges:\n{up}");
    let down = dir.ok(&["diff", "--from", &db.url(), "--to", "model.sql", "--down"]);
    assert_eq!(down, "");
}

/// What a model grants or revokes on an object is managed in full for that object:
/// grants it does not list are revoked there, and only there.
#[test]
fn a_model_manages_the_objects_it_grants_or_revokes_on() {
    let (db, dir) = setup();
    dir.write(
        "model.sql",
        &format!(
            "{TABLES}
GRANT INSERT, UPDATE (note) ON managed TO pgs_m_writer;
REVOKE ALL ON emptied FROM pgs_m_reader;
"
        ),
    );
    let up = dir.ok(&["diff", "--from", &db.url(), "--to", "model.sql"]);
    for expected in [
        "REVOKE SELECT ON TABLE public.managed FROM pgs_m_reader;",
        "GRANT INSERT ON TABLE public.managed TO pgs_m_writer;",
        "GRANT UPDATE (note) ON TABLE public.managed TO pgs_m_writer;",
        "REVOKE DELETE, SELECT ON TABLE public.emptied FROM pgs_m_reader;",
    ] {
        assert!(up.contains(expected), "missing {expected}:\n{up}");
    }
    assert!(!up.contains("untouched"), "{up}");
    assert!(!up.contains("hidden"), "{up}");
    let down = dir.ok(&["diff", "--from", &db.url(), "--to", "model.sql", "--down"]);
    db.psql(&up).unwrap();
    let again = dir.ok(&["diff", "--from", &db.url(), "--to", "model.sql"]);
    assert_eq!(again, "", "re-plan after the upgrade is not empty");
    db.psql(&down).unwrap();
    let reference = TestDb::new();
    reference.psql(DATABASE).unwrap();
    common::assert_same_schema(&db.schema(), &reference.schema(), "after the downgrade");
}

/// A role a model grants to must exist on the server the model is built on; on a
/// `--dev-url` server pgshift does not create it, and says where the model names it.
#[test]
fn a_missing_role_in_a_model_is_an_error_at_its_line() {
    let (db, dir) = setup();
    dir.write(
        "model.sql",
        &format!("{TABLES}\nGRANT SELECT ON managed TO pgs_m_nobody;\n"),
    );
    let out = dir.pgshift(&["diff", "--from", &db.url(), "--to", "model.sql"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("model.sql:7:1"), "{err}");
    assert!(err.contains("\"pgs_m_nobody\""), "{err}");
}

const TOML_TABLES: &str = r#"
[functions."public.hidden()"]
definition = "CREATE FUNCTION public.hidden() RETURNS integer LANGUAGE sql AS 'SELECT 1'"

[tables.managed]
primary_key = ["id"]
grants = { pgs_m_writer = ["INSERT"] }
columns = [
  { name = "id", type = "integer", not_null = true },
  { name = "note", type = "text", grants = { pgs_m_writer = ["update with grant option"] } },
]

[tables.emptied]
grants = {}
columns = [{ name = "id", type = "integer" }]

[tables.untouched]
columns = [{ name = "id", type = "integer" }]
"#;

/// The same through a TOML model: `grants` is an object's whole ACL (`{}` for nothing),
/// columns take theirs, objects without `grants` keep what the database has.
#[test]
fn a_toml_model_states_grants_per_object() {
    let (db, dir) = setup();
    dir.write("model.toml", TOML_TABLES);
    let up = dir.ok(&["diff", "--from", &db.url(), "--to", "model.toml"]);
    for expected in [
        "REVOKE SELECT ON TABLE public.managed FROM pgs_m_reader;",
        "GRANT INSERT ON TABLE public.managed TO pgs_m_writer;",
        "GRANT UPDATE (note) ON TABLE public.managed TO pgs_m_writer WITH GRANT OPTION;",
        "REVOKE DELETE, SELECT ON TABLE public.emptied FROM pgs_m_reader;",
    ] {
        assert!(up.contains(expected), "missing {expected}:\n{up}");
    }
    assert!(!up.contains("untouched") && !up.contains("hidden"), "{up}");
    db.psql(&up).unwrap();
    let again = dir.ok(&["diff", "--from", &db.url(), "--to", "model.toml"]);
    assert_eq!(again, "", "re-plan after the upgrade is not empty");

    // `inspect --format toml` writes the grants, and the spec reads back as the database.
    let spec = dir.ok(&["inspect", &db.url(), "--format", "toml"]);
    assert!(spec.contains("grants"), "{spec}");
    dir.write("inspected.toml", &spec);
    let back = dir.ok(&["diff", "--from", &db.url(), "--to", "inspected.toml"]);
    assert_eq!(back, "", "inspected spec differs:\n{spec}");
}

/// A privilege the object kind does not have is an error at the object, with the list.
#[test]
fn a_toml_privilege_of_another_kind_is_an_error() {
    let (db, dir) = setup();
    dir.write(
        "model.toml",
        "\n[sequences.counter]\ngrants = { pgs_m_reader = [\"EXECUTE\"] }\n",
    );
    let out = dir.pgshift(&["diff", "--from", &db.url(), "--to", "model.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("model.toml:2:2"), "{err}");
    assert!(
        err.contains("\"EXECUTE\" is not a privilege of sequence public.counter"),
        "{err}"
    );
    assert!(err.contains("USAGE, SELECT, UPDATE"), "{err}");
}

/// `[[default_privileges]]` in a TOML model: the entries it states are managed (whole
/// ACLs), others are left alone; `inspect` writes them back.
#[test]
fn a_toml_model_states_default_privileges() {
    let (db, dir) = setup();
    db.psql(
        "CREATE SCHEMA app;
         ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO pgs_m_reader;
         ALTER DEFAULT PRIVILEGES GRANT USAGE ON SEQUENCES TO pgs_m_reader;",
    )
    .unwrap();
    dir.write(
        "model.toml",
        &format!(
            r#"{TOML_TABLES}
[schemas.app]

[[default_privileges]]
schema = "app"
on = "tables"
grants = {{ pgs_m_writer = ["insert", "SELECT WITH GRANT OPTION"] }}

[[default_privileges]]
on = "functions"
grants = {{}}
"#
        ),
    );
    let up = dir.ok(&["diff", "--from", &db.url(), "--to", "model.toml"]);
    for expected in [
        "ALTER DEFAULT PRIVILEGES IN SCHEMA app REVOKE SELECT ON TABLES FROM pgs_m_reader;",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT INSERT ON TABLES TO pgs_m_writer;",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO pgs_m_writer WITH GRANT OPTION;",
        "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;",
    ] {
        assert!(up.contains(expected), "missing {expected}:\n{up}");
    }
    // The sequences entry is not stated: kept.
    assert!(!up.contains("SEQUENCES"), "{up}");
    db.psql(&up).unwrap();
    let again = dir.ok(&["diff", "--from", &db.url(), "--to", "model.toml"]);
    assert_eq!(again, "", "re-plan after the upgrade is not empty");
    let spec = dir.ok(&["inspect", &db.url(), "--format", "toml"]);
    assert!(spec.contains("[[default_privileges]]"), "{spec}");
    dir.write("inspected.toml", &spec);
    let back = dir.ok(&["diff", "--from", &db.url(), "--to", "inspected.toml"]);
    assert_eq!(back, "", "inspected spec differs:\n{spec}");
}

/// On pgshift's own cluster (no `--dev-url`), the roles a `.sql` model names are made
/// there, so `OWNER TO` and `FOR ROLE` load; the plan against a database whose server has
/// those roles sets the owner, the grants and the default privileges, and re-plans empty.
#[test]
fn a_sql_model_on_the_private_cluster_gets_its_roles() {
    create_role("pgs_p_owner");
    create_role("pgs_p_reader");
    let db = TestDb::new();
    db.psql(
        "CREATE TABLE reports (id integer);
         CREATE SCHEMA archive;
         GRANT USAGE ON SCHEMA archive TO pgs_p_reader;",
    )
    .unwrap();
    let dir = Folder::new("privileges-private");
    dir.write(
        "model.sql",
        "CREATE SCHEMA archive;
CREATE TABLE reports (id integer);
ALTER TABLE reports OWNER TO pgs_p_owner;
GRANT SELECT ON reports TO pgs_p_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE pgs_p_owner GRANT SELECT ON TABLES TO pgs_p_reader;
",
    );
    let run = |args: &[&str]| {
        let out = common::pgshift_isolated(&dir.dir, args, &[]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let up = run(&["diff", "--from", &db.url(), "--to", "model.sql"]);
    for expected in [
        "ALTER TABLE public.reports OWNER TO pgs_p_owner;",
        "GRANT SELECT ON TABLE public.reports TO pgs_p_reader;",
        "ALTER DEFAULT PRIVILEGES FOR ROLE pgs_p_owner GRANT SELECT ON TABLES TO pgs_p_reader;",
    ] {
        assert!(up.contains(expected), "missing {expected}:\n{up}");
    }
    // CREATE lent on the model's schemas for the load leaves no trace: the grant on
    // `archive`, which the model does not mention, is kept.
    assert!(!up.contains("archive"), "{up}");
    db.psql(&up).unwrap();
    let again = run(&["diff", "--from", &db.url(), "--to", "model.sql"]);
    assert_eq!(again, "", "re-plan after the upgrade is not empty");
}

/// An identity sequence's name and grants in a TOML model (`identity_sequence`,
/// `identity_grants` on the column): planned after the identity exists, re-planned to
/// nothing, written back by `inspect --format toml` (and as SQL), and the same as a
/// `.sql` model saying it with `SEQUENCE NAME` and `GRANT ... ON SEQUENCE`.
#[test]
fn a_toml_model_states_identity_sequence_grants() {
    let (db, dir) = setup();
    dir.write(
        "model.toml",
        r#"
[[tables.tickets.columns]]
name = "id"
type = "bigint"
not_null = true
identity = "always"
identity_grants = { pgs_m_writer = ["USAGE"], pgs_m_reader = ["SELECT WITH GRANT OPTION"] }

[[tables.tickets.columns]]
name = "title"
type = "text"

[[tables."Work Items".columns]]
name = "n"
type = "integer"
not_null = true
identity = "by_default"
identity_sequence = "Work Item No"
identity_grants = { pgs_m_writer = ["ALL"] }
"#,
    );
    let up = dir.ok(&["diff", "--from", &db.url(), "--to", "model.toml"]);
    for expected in [
        "SEQUENCE NAME public.\"Work Item No\"",
        "GRANT USAGE ON SEQUENCE public.tickets_id_seq TO pgs_m_writer;",
        "GRANT SELECT ON SEQUENCE public.tickets_id_seq TO pgs_m_reader WITH GRANT OPTION;",
        "GRANT SELECT, UPDATE, USAGE ON SEQUENCE public.\"Work Item No\" TO pgs_m_writer;",
    ] {
        assert!(up.contains(expected), "missing {expected}:\n{up}");
    }
    db.psql(&up).unwrap();
    let again = dir.ok(&["diff", "--from", &db.url(), "--to", "model.toml"]);
    assert_eq!(again, "", "re-plan after the upgrade is not empty");

    let spec = dir.ok(&["inspect", &db.url(), "--format", "toml"]);
    assert!(spec.contains("identity_grants"), "{spec}");
    assert!(spec.contains("identity_sequence"), "{spec}");
    dir.write("inspected.toml", &spec);
    let back = dir.ok(&["diff", "--from", &db.url(), "--to", "inspected.toml"]);
    assert_eq!(back, "", "inspected spec differs:\n{spec}");
    let sql = dir.ok(&["inspect", &db.url()]);
    assert!(
        sql.contains("GRANT USAGE ON SEQUENCE public.tickets_id_seq TO pgs_m_writer;"),
        "{sql}"
    );

    dir.write(
        "model.sql",
        "
CREATE TABLE tickets (id bigint GENERATED ALWAYS AS IDENTITY, title text);
CREATE TABLE \"Work Items\" (n integer GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME \"Work Item No\"));
GRANT USAGE ON SEQUENCE tickets_id_seq TO pgs_m_writer;
GRANT SELECT ON SEQUENCE tickets_id_seq TO pgs_m_reader WITH GRANT OPTION;
GRANT ALL ON SEQUENCE \"Work Item No\" TO pgs_m_writer;
",
    );
    let same = dir.ok(&["diff", "--from", &db.url(), "--to", "model.sql"]);
    assert_eq!(same, "", "the .sql model differs");

    // The TOML model dropped the database's other tables: the .sql model has none either.
    // A name in another schema, and grants on a column with no identity: errors at the column.
    dir.write(
        "bad.toml",
        r#"
[tables.t]
columns = [{ name = "id", type = "integer", identity = "always", identity_sequence = "other.s" }]
"#,
    );
    let err = common::output_text(&dir.pgshift(&["diff", "--from", &db.url(), "--to", "bad.toml"]));
    assert!(
        err.contains("bad.toml:3:") && err.contains("table's schema"),
        "{err}"
    );
    dir.write(
        "bad.toml",
        r#"
[tables.t]
columns = [{ name = "id", type = "integer", identity_grants = { pgs_m_writer = ["USAGE"] } }]
"#,
    );
    let err = common::output_text(&dir.pgshift(&["diff", "--from", &db.url(), "--to", "bad.toml"]));
    assert!(
        err.contains("bad.toml:3:") && err.contains("no identity"),
        "{err}"
    );
}

/// `ALTER ... OWNER TO` in a `.sql` model built on a `--dev-url` server whose role (no
/// superuser, CREATEDB only) is no member of the owner role: PostgreSQL refuses the
/// statement there, so pgshift records the owner it names instead of running it. The
/// plan is the one the private cluster gives (which runs the statements), it applies and
/// re-plans to nothing; an `OWNER TO` naming an object the model does not make is an
/// error at its line.
#[test]
fn owners_in_a_sql_model_on_a_dev_url_without_membership() {
    for role in ["pgs_d_owner", "pgs_d_reader"] {
        create_role(role);
    }
    TestDb::new()
        .psql(
            "DO $$BEGIN CREATE ROLE pgs_d_loader LOGIN CREATEDB; \
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$",
        )
        .unwrap();
    let c = common::cluster();
    let dev = format!(
        "postgresql://pgs_d_loader@/postgres?host={}&port={}",
        c.socket_dir().display(),
        c.port()
    );
    let db = TestDb::new();
    db.psql("CREATE TABLE kept (id integer);").unwrap();
    let dir = Folder::new("privileges-dev-owner");
    dir.write(
        "model.sql",
        "CREATE TABLE kept (id integer);
CREATE SCHEMA \"Sales\";
ALTER SCHEMA \"Sales\" OWNER TO pgs_d_owner;
CREATE TABLE \"Sales\".\"Orders\" (id integer GENERATED ALWAYS AS IDENTITY, total numeric);
alter table if exists \"Sales\".\"Orders\" owner to pgs_d_owner;
CREATE SEQUENCE invoice_no;
ALTER SEQUENCE invoice_no OWNER TO pgs_d_owner;
CREATE VIEW big_orders AS SELECT id FROM \"Sales\".\"Orders\" WHERE total > 100;
ALTER VIEW big_orders OWNER TO pgs_d_owner;
CREATE TYPE mood AS ENUM ('ok', 'sad');
ALTER TYPE mood OWNER TO pgs_d_owner;
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
ALTER DOMAIN positive OWNER TO pgs_d_owner;
CREATE FUNCTION add_one(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x + 1';
ALTER FUNCTION add_one(integer) OWNER TO pgs_d_owner;
GRANT SELECT ON \"Sales\".\"Orders\" TO pgs_d_reader;
",
    );
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let out = common::pgshift_isolated(&dir.dir, args, env);
        (out.status.code(), common::output_text(&out))
    };
    let diff = ["diff", "--from", &db.url(), "--to", "model.sql"];
    let on_dev = [("PGSHIFT_DEV_URL", dev.as_str())];
    let (code, up) = run(&diff, &on_dev);
    assert_eq!(code, Some(0), "{up}");
    for expected in [
        "ALTER SCHEMA \"Sales\" OWNER TO pgs_d_owner;",
        "ALTER TABLE \"Sales\".\"Orders\" OWNER TO pgs_d_owner;",
        "ALTER SEQUENCE public.invoice_no OWNER TO pgs_d_owner;",
        "ALTER VIEW public.big_orders OWNER TO pgs_d_owner;",
        "ALTER TYPE public.mood OWNER TO pgs_d_owner;",
        "ALTER DOMAIN public.positive OWNER TO pgs_d_owner;",
        "ALTER FUNCTION public.add_one(x integer) OWNER TO pgs_d_owner;",
        "GRANT SELECT ON TABLE \"Sales\".\"Orders\" TO pgs_d_reader;",
    ] {
        assert!(up.contains(expected), "missing {expected}:\n{up}");
    }
    // The same plan as on pgshift's own cluster, where the statements run.
    let (code, private) = run(&diff, &[]);
    assert_eq!(code, Some(0), "{private}");
    assert_eq!(up, private);
    db.psql(&up).unwrap();
    let (code, again) = run(&diff, &on_dev);
    assert_eq!(
        (code, again.as_str()),
        (Some(0), ""),
        "re-plan after the upgrade"
    );

    dir.write(
        "model.sql",
        "CREATE TABLE kept (id integer);\n\nALTER TABLE nowhere OWNER TO pgs_d_owner;\n",
    );
    let (code, err) = run(&diff, &on_dev);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("model.sql:3:1:") && err.contains("nowhere"),
        "{err}"
    );

    // `FOR ROLE` another role is still refused there: the error says why and what to do.
    dir.write(
        "model.sql",
        "CREATE TABLE kept (id integer);\nALTER DEFAULT PRIVILEGES FOR ROLE pgs_d_owner GRANT SELECT ON TABLES TO pgs_d_reader;\n",
    );
    let (code, err) = run(&diff, &on_dev);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("model.sql:2:1:") && err.contains("leave out --dev-url"),
        "{err}"
    );
}
