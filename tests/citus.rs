//! Citus through the binary, on a real three-node cluster (a coordinator and two
//! workers, see tests/common/citus.rs): `inspect` shows placements, every model source
//! builds a coordinator whose re-diff is empty, a populated table is distributed and
//! undistributed by an upgrade and its downgrade with its rows intact, and models that
//! break Citus's rules are errors at file:line:col.

mod common;

use common::citus::CitusDb;
use common::{output_text, Folder};

/// Plain tables with rows, as a team has them before sharding.
const PLAIN: &str = "\
CREATE TABLE tenants (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint NOT NULL,
    total numeric(10,2),
    PRIMARY KEY (tenant_id, id)
);
CREATE TABLE countries (code text PRIMARY KEY);
INSERT INTO tenants SELECT g, 'tenant ' || g FROM generate_series(1, 50) g;
INSERT INTO orders SELECT g % 50 + 1, g, g FROM generate_series(1, 500) g;
INSERT INTO countries VALUES ('fr'), ('jp');
";

/// The same schema, sharded: tenants and orders colocated, countries a reference table,
/// an audit table kept on the coordinator under Citus.
const SHARDED_SQL: &str = "\
CREATE EXTENSION IF NOT EXISTS citus;
CREATE TABLE countries (code text PRIMARY KEY);
CREATE TABLE tenants (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint NOT NULL,
    total numeric(10,2),
    country text REFERENCES countries (code),
    PRIMARY KEY (tenant_id, id)
);
CREATE TABLE audit (id bigint PRIMARY KEY, country text REFERENCES countries (code));
SELECT create_reference_table('countries');
SELECT create_distributed_table('tenants', 'id', shard_count => 8);
SELECT create_distributed_table('orders', 'tenant_id', colocate_with => 'tenants');
SELECT citus_add_local_table_to_metadata('audit');
CREATE INDEX orders_total ON orders (total);
";

const SHARDED_TOML: &str = r#"
[tables.tenants]
distributed_by = "id"
shard_count = 8
primary_key = ["id"]
columns = [
  { name = "id", type = "bigint" },
  { name = "name", type = "text", not_null = true },
]

[tables.orders]
distributed_by = "tenant_id"
colocate_with = "tenants"
shard_count = 8
primary_key = ["tenant_id", "id"]
columns = [
  { name = "tenant_id", type = "bigint", not_null = true },
  { name = "id", type = "bigint" },
  { name = "total", type = "numeric(10,2)" },
  { name = "country", type = "text" },
]
foreign_keys.orders_tenant_id_fkey = { columns = ["tenant_id"], references = "tenants", referenced_columns = ["id"] }
foreign_keys.orders_country_fkey = { columns = ["country"], references = "countries", referenced_columns = ["code"] }
indexes.orders_total = { columns = ["total"] }

[tables.countries]
reference = true
primary_key = ["code"]
columns = [{ name = "code", type = "text" }]

[tables.audit]
citus_local = true
primary_key = ["id"]
columns = [
  { name = "id", type = "bigint" },
  { name = "country", type = "text" },
]
foreign_keys.audit_country_fkey = { columns = ["country"], references = "countries", referenced_columns = ["code"] }
"#;

const SHARDED_RUST: &str = r#"
#[derive(pgshift::Table)]
#[pgshift(table, distributed_by = "id", shard_count = 8)]
pub struct Tenants {
    #[pgshift(primary_key)]
    pub id: i64,
    pub name: String,
}

#[derive(pgshift::Table)]
#[pgshift(table, distributed_by = "tenant_id", colocate_with = "tenants", shard_count = 8)]
pub struct Orders {
    #[pgshift(primary_key, references = "tenants(id)")]
    pub tenant_id: i64,
    #[pgshift(primary_key)]
    pub id: i64,
    #[pgshift(type = "numeric(10,2)", index)]
    pub total: Option<rust_decimal::Decimal>,
    #[pgshift(references = "countries(code)")]
    pub country: Option<String>,
}

#[derive(pgshift::Table)]
#[pgshift(table, reference)]
pub struct Countries {
    #[pgshift(primary_key)]
    pub code: String,
}

#[derive(pgshift::Table)]
#[pgshift(table, citus_local)]
pub struct Audit {
    #[pgshift(primary_key)]
    pub id: i64,
    #[pgshift(references = "countries(code)")]
    pub country: Option<String>,
}
"#;

fn placements(db: &CitusDb) -> Vec<String> {
    db.client()
        .query(
            "SELECT table_name::text, citus_table_type, distribution_column, shard_count::int, \
             colocation_id FROM citus_tables ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r.get::<_, String>(0),
                r.get::<_, String>(1),
                r.get::<_, String>(2),
                r.get::<_, i32>(3)
            )
        })
        .collect()
}

fn colocation(db: &CitusDb, table: &str) -> i32 {
    db.client()
        .query_one(
            "SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = $1::text::regclass",
            &[&table],
        )
        .unwrap()
        .get(0)
}

fn rows(db: &CitusDb) -> (i64, i64) {
    let r = db
        .client()
        .query_one(
            "SELECT (SELECT count(*) FROM orders), (SELECT sum(id)::bigint FROM orders)",
            &[],
        )
        .unwrap();
    (r.get(0), r.get(1))
}

/// `pgshift diff` from the database to `model`: the upgrade and its downgrade.
fn plan(f: &Folder, db: &CitusDb, model: &str) -> (String, String) {
    let url = db.url();
    let up = f.ok(&["diff", "--from", &url, "--to", model]);
    let down = f.ok(&["diff", "--from", &url, "--to", model, "--down"]);
    (up, down)
}

/// Runs a script with psql on the coordinator, as a user would.
fn apply(f: &Folder, db: &CitusDb, sql: &str) {
    let file = f.dir.join("step.sql");
    std::fs::write(&file, sql).unwrap();
    let out = std::process::Command::new(common::psql_binary())
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &db.url(), "-f"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "psql:\n{sql}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The upgrade to `model`, applied; its downgrade returned.
fn migrate(f: &Folder, db: &CitusDb, model: &str) -> (String, String) {
    let (up, down) = plan(f, db, model);
    apply(f, db, &up);
    (up, down)
}

#[test]
fn inspect_shows_distributed_reference_and_local_tables_and_no_shards() {
    let db = CitusDb::new();
    db.execute(PLAIN);
    db.execute(
        "ALTER TABLE orders DROP CONSTRAINT orders_tenant_id_fkey;
         SELECT create_distributed_table('tenants', 'id', shard_count => 8);
         SELECT create_distributed_table('orders', 'tenant_id', colocate_with => 'tenants');
         SELECT create_reference_table('countries');
         CREATE TABLE audit (id bigint PRIMARY KEY);
         SELECT citus_add_local_table_to_metadata('audit');",
    );
    let f = Folder::new("citus-inspect");
    let out = f.pgshift(&["inspect", &db.url()]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for expected in [
        // A colocation group is spelled from its first table by name.
        "SELECT create_distributed_table('public.orders', 'tenant_id', colocate_with => 'none', shard_count => 8);",
        "SELECT create_distributed_table('public.tenants', 'id', colocate_with => 'public.orders');",
        "SELECT create_reference_table('public.countries');",
        "SELECT citus_add_local_table_to_metadata('public.audit');",
    ] {
        assert!(text.contains(expected), "missing {expected} in:\n{text}");
    }
    // No shard (`orders_102008`), no Citus extension or event trigger, no warning.
    assert!(!text.contains("_10"), "a shard shows:\n{text}");
    assert!(!text.contains("EXTENSION"), "{text}");
    assert!(!text.contains("warning"), "{text}");
    let toml = f.ok(&["inspect", &db.url(), "--format", "toml"]);
    assert!(toml.contains("distributed_by = \"tenant_id\""), "{toml}");
    assert!(toml.contains("colocate_with = \"public.orders\""), "{toml}");
    assert!(toml.contains("reference = true"), "{toml}");
    assert!(toml.contains("citus_local = true"), "{toml}");
    let json: serde_json::Value =
        serde_json::from_str(&f.ok(&["inspect", &db.url(), "--format", "json"])).unwrap();
    assert_eq!(
        json["tables"]["public.tenants"]["citus"],
        serde_json::json!({ "kind": "distributed", "column": "id", "colocate_with": "public.orders", "shard_count": 8 })
    );
    assert_eq!(
        json["tables"]["public.countries"]["citus"]["kind"],
        "reference"
    );
    // What inspect printed builds the same schema from scratch: its re-diff is empty.
    let copy = CitusDb::new();
    let built = Folder::new("citus-inspect-copy");
    built.write("schema.toml", &toml);
    migrate(&built, &copy, "schema.toml");
    assert_eq!(
        built.ok(&["diff", "--from", &copy.url(), "--to", "schema.toml"]),
        ""
    );
    assert_eq!(placements(&copy), placements(&db));
}

#[test]
fn each_model_source_builds_a_coordinator_that_matches_it() {
    for (file, text) in [
        ("schema.sql", SHARDED_SQL),
        ("schema.toml", SHARDED_TOML),
        ("models.rs", SHARDED_RUST),
    ] {
        let db = CitusDb::new();
        let f = Folder::new("citus-models");
        f.write(file, text);
        f.write("empty.sql", "");
        let (sql, down) = migrate(&f, &db, file);
        assert!(sql.contains("create_distributed_table"), "{file}:\n{sql}");
        let again = f.ok(&["diff", "--from", &db.url(), "--to", file]);
        assert_eq!(again, "", "{file}: re-diff after the upgrade");
        assert_eq!(
            placements(&db),
            [
                "audit local <none> 1",
                "countries reference <none> 1",
                "orders distributed tenant_id 8",
                "tenants distributed id 8",
            ],
            "{file}"
        );
        assert_eq!(
            colocation(&db, "orders"),
            colocation(&db, "tenants"),
            "{file}"
        );
        // The downgrade empties the database again.
        apply(&f, &db, &down);
        assert!(placements(&db).is_empty(), "{file}");
        assert_eq!(
            f.ok(&["diff", "--from", &db.url(), "--to", "empty.sql"]),
            ""
        );
    }
}

/// `PLAIN` without its rows: the model of the database before sharding.
fn plain_model() -> String {
    PLAIN
        .lines()
        .filter(|l| !l.starts_with("INSERT"))
        .collect::<Vec<_>>()
        .join("\n")
}

const DISTRIBUTED: &str = "\
CREATE TABLE tenants (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint NOT NULL,
    total numeric(10,2),
    PRIMARY KEY (tenant_id, id)
);
CREATE TABLE countries (code text PRIMARY KEY);
SELECT create_distributed_table('tenants', 'id', shard_count => 8);
SELECT create_distributed_table('orders', 'tenant_id', colocate_with => 'tenants');
SELECT create_reference_table('countries');
";

#[test]
fn distributing_populated_tables_round_trips_with_their_rows() {
    let db = CitusDb::new();
    db.execute(PLAIN);
    let before = rows(&db);
    let f = Folder::new("citus-roundtrip");
    f.write("plain.sql", &plain_model());
    f.write("distributed.sql", DISTRIBUTED);
    f.write(
        "resharded.sql",
        &DISTRIBUTED.replace("shard_count => 8", "shard_count => 4"),
    );

    let (up, down) = migrate(&f, &db, "distributed.sql");
    for expected in [
        "-- hazard DATA_MOVE: copies every row of the table into shards (distributed by id)",
        "ALTER TABLE public.orders DROP CONSTRAINT orders_tenant_id_fkey;",
        // The group is spelled from its first table by name: orders.
        "SELECT create_distributed_table('public.orders', 'tenant_id', colocate_with => 'none', shard_count => 8);",
        "SELECT create_distributed_table('public.tenants', 'id', colocate_with => 'public.orders');",
        "SELECT create_reference_table('public.countries');",
        "ALTER TABLE public.orders ADD CONSTRAINT orders_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) NOT VALID;",
        "ALTER TABLE public.orders VALIDATE CONSTRAINT orders_tenant_id_fkey;",
    ] {
        assert!(up.contains(expected), "missing {expected} in:\n{up}");
    }
    assert!(
        down.contains("SELECT undistribute_table('public.orders');"),
        "{down}"
    );
    assert_eq!(
        f.ok(&["diff", "--from", &db.url(), "--to", "distributed.sql"]),
        ""
    );
    assert_eq!(
        placements(&db),
        [
            "countries reference <none> 1",
            "orders distributed tenant_id 8",
            "tenants distributed id 8",
        ]
    );
    assert_eq!(colocation(&db, "orders"), colocation(&db, "tenants"));
    assert_eq!(rows(&db), before, "rows read through the coordinator");

    // A new shard count for the colocated pair: alter_distributed_table moves the rows.
    let (reshard, unreshard) = migrate(&f, &db, "resharded.sql");
    assert!(
        reshard.contains("alter_distributed_table('public.orders', shard_count => 4"),
        "{reshard}"
    );
    assert_eq!(
        f.ok(&["diff", "--from", &db.url(), "--to", "resharded.sql"]),
        ""
    );
    assert_eq!(colocation(&db, "orders"), colocation(&db, "tenants"));
    assert_eq!(rows(&db), before);
    apply(&f, &db, &unreshard);
    assert_eq!(
        f.ok(&["diff", "--from", &db.url(), "--to", "distributed.sql"]),
        ""
    );

    // The downgrade undistributes: plain tables again, every row back on the coordinator.
    apply(&f, &db, &down);
    assert!(placements(&db).is_empty(), "{:?}", placements(&db));
    assert_eq!(
        f.ok(&["diff", "--from", &db.url(), "--to", "plain.sql"]),
        ""
    );
    assert_eq!(rows(&db), before);
}

/// The line and column (1-based) where `needle` starts in `text`.
fn at(text: &str, needle: &str) -> String {
    let offset = text.find(needle).expect("needle in text");
    let line = text[..offset].matches('\n').count() + 1;
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("{line}:{column}")
}

#[test]
fn models_that_break_citus_rules_are_errors_at_their_place() {
    let f = Folder::new("citus-rules");
    let toml = r#"
[tables.users]
distributed_by = "tenant_id"
columns = [
  { name = "tenant_id", type = "bigint", not_null = true },
  { name = "email", type = "text", not_null = true },
]

[tables.users.unique.users_email_key]
columns = ["email"]
"#;
    f.write("unique.toml", toml);
    let sql = "\
CREATE TABLE a (id bigint PRIMARY KEY);
CREATE TABLE b (a_id bigint NOT NULL REFERENCES a (id), PRIMARY KEY (a_id));
SELECT create_distributed_table('a', 'id');
SELECT create_distributed_table('b', 'a_id', colocate_with => 'none');
";
    f.write("colocation.sql", sql);
    let rust = r#"
#[derive(pgshift::Table)]
#[pgshift(table, distributed_by = "id")]
pub struct Accounts {
    #[pgshift(primary_key)]
    pub id: i64,
}

#[derive(pgshift::Table)]
#[pgshift(table, reference)]
pub struct Plans {
    #[pgshift(primary_key)]
    pub id: i64,
    #[pgshift(references = "accounts(id)")]
    pub account_id: i64,
}
"#;
    f.write("models.rs", rust);
    f.write("empty.sql", "");
    let cases = [
        (
            "unique.toml",
            format!("unique.toml:{}", at(toml, "[tables.users.unique.users_email_key]")),
            "constraint users_email_key on public.users does not include the distribution column tenant_id",
        ),
        (
            "colocation.sql",
            format!("colocation.sql:{}", at(sql, "SELECT create_distributed_table('b'")),
            "Citus allows foreign keys between distributed tables only when they are colocated",
        ),
        (
            "models.rs",
            format!("models.rs:{}", at(rust, "references = \"accounts(id)\"")),
            "only colocated distributed tables may reference a distributed table",
        ),
    ];
    for (model, place, message) in cases {
        let out = f.pgshift(&["diff", "--from", "empty.sql", "--to", model]);
        let text = output_text(&out);
        assert_eq!(out.status.code(), Some(2), "{model}: {text}");
        assert!(text.contains(&place), "{model}: expected {place} in {text}");
        assert!(
            text.contains(message),
            "{model}: expected {message:?} in {text}"
        );
        assert!(!text.contains("panicked"), "{text}");
    }
}

/// The versions of the migration files in `dir`, oldest first.
fn versions(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".up.sql"))
        .map(|n| n.split('_').next().unwrap().to_string())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The project workflow: `generate` replays the migrations on pgshift's own scratch
/// cluster (a single-node Citus cluster: Citus is installed here), `upgrade` distributes
/// the populated tables on the three-node cluster, `downgrade` undistributes them.
#[test]
fn generate_upgrade_downgrade_distributes_and_undistributes_a_populated_table() {
    use common::project::{ok, temp_dir};
    let db = CitusDb::new();
    let url = db.url();
    let dir = temp_dir("citus-project");
    std::fs::write(dir.join("schema.sql"), plain_model()).unwrap();
    ok(&dir, None, &["init", "--model", "schema.sql"]);
    ok(&dir, None, &["generate", "-m", "plain tables"]);
    ok(&dir, None, &["upgrade", "--all", "--database", &url]);
    db.execute(
        &PLAIN
            .lines()
            .filter(|l| l.starts_with("INSERT"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let before = rows(&db);
    let plain_version = versions(&dir).last().unwrap().clone();

    std::fs::write(dir.join("schema.sql"), DISTRIBUTED).unwrap();
    ok(&dir, None, &["generate", "-m", "shard by tenant"]);
    let written: String = std::fs::read_dir(dir.join("migrations"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(
        written.contains("create_distributed_table('public.orders'"),
        "{written}"
    );
    assert!(
        written.contains("undistribute_table('public.orders')"),
        "{written}"
    );
    ok(&dir, None, &["upgrade", "--all", "--database", &url]);
    assert_eq!(
        placements(&db),
        [
            "countries reference <none> 1",
            "orders distributed tenant_id 8",
            "tenants distributed id 8",
        ]
    );
    assert_eq!(rows(&db), before);
    assert!(ok(&dir, None, &["check"]).starts_with("OK"));
    // The applied migrations replayed (on a single-node Citus scratch) match the cluster.
    ok(&dir, None, &["verify", "--schema", "--database", &url]);
    assert_eq!(
        ok(&dir, None, &["diff", "--from", &url, "--to", "schema.sql"]),
        ""
    );

    ok(
        &dir,
        None,
        &["downgrade", &plain_version, "--database", &url],
    );
    assert!(placements(&db).is_empty(), "{:?}", placements(&db));
    assert_eq!(rows(&db), before);
    std::fs::write(dir.join("plain.sql"), plain_model()).unwrap();
    assert_eq!(
        ok(&dir, None, &["diff", "--from", &url, "--to", "plain.sql"]),
        ""
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `SHARDED_SQL` with more: orders gain a column, an index (built concurrently) and a
/// check; a new table colocated with orders references it; a table distributed alone.
fn v2() -> String {
    SHARDED_SQL.replace("    country text REFERENCES countries (code),\n", "    country text REFERENCES countries (code),\n    status text,\n    CONSTRAINT orders_total_positive CHECK (total >= 0),\n")
        + "CREATE INDEX orders_status ON orders (status);
CREATE TABLE payments (
    tenant_id bigint NOT NULL,
    order_id bigint NOT NULL,
    id bigint NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
SELECT create_distributed_table('payments', 'tenant_id', colocate_with => 'orders');
CREATE TABLE metrics (tenant_id bigint NOT NULL, at timestamptz NOT NULL, PRIMARY KEY (tenant_id, at));
SELECT create_distributed_table('metrics', 'tenant_id', shard_count => 8);
"
}

/// `v2` with metrics moved into the tenants' colocation group (metadata only) and audit
/// a plain table again (without its foreign key to the reference table).
fn v3() -> String {
    v2().replace(
        "SELECT create_distributed_table('metrics', 'tenant_id', shard_count => 8);",
        "SELECT create_distributed_table('metrics', 'tenant_id', colocate_with => 'tenants');",
    )
    .replace("SELECT citus_add_local_table_to_metadata('audit');\n", "")
    .replace(
        "CREATE TABLE audit (id bigint PRIMARY KEY, country text REFERENCES countries (code));",
        "CREATE TABLE audit (id bigint PRIMARY KEY, country text);",
    )
}

/// Each step of a chain of models: the upgrade applied, the re-diff empty; its downgrade
/// applied, the re-diff with the model before empty; then the upgrade again. Rows written
/// before the chain stay readable through the coordinator after every step.
#[test]
fn a_chain_of_citus_changes_upgrades_and_downgrades_exactly() {
    let db = CitusDb::new();
    let f = Folder::new("citus-chain");
    f.write("v1.sql", SHARDED_SQL);
    f.write("v2.sql", &v2());
    f.write("v3.sql", &v3());
    migrate(&f, &db, "v1.sql");
    db.execute(
        "INSERT INTO countries VALUES ('fr');
         INSERT INTO tenants SELECT g, 'tenant ' || g FROM generate_series(1, 20) g;
         INSERT INTO orders SELECT g % 20 + 1, g, g, 'fr' FROM generate_series(1, 200) g;",
    );
    let before = rows(&db);
    for (from, to) in [("v1.sql", "v2.sql"), ("v2.sql", "v3.sql")] {
        let (up, down) = migrate(&f, &db, to);
        assert_eq!(
            f.ok(&["diff", "--from", &db.url(), "--to", to]),
            "",
            "{to}:\n{up}"
        );
        assert_eq!(rows(&db), before, "{to}");
        apply(&f, &db, &down);
        assert_eq!(
            f.ok(&["diff", "--from", &db.url(), "--to", from]),
            "",
            "down to {from}:\n{down}"
        );
        assert_eq!(rows(&db), before, "down to {from}");
        let (again, _) = migrate(&f, &db, to);
        assert_eq!(again, up, "{to}: the same upgrade after its downgrade");
        if to == "v2.sql" {
            assert!(
                up.contains("CREATE INDEX CONCURRENTLY orders_status ON public.orders"),
                "{up}"
            );
            assert!(
                up.contains("CHECK ((total >= (0)::numeric)) NOT VALID;"),
                "{up}"
            );
            assert!(
                up.contains("SELECT create_distributed_table('public.payments', 'tenant_id', colocate_with => 'public.orders');"),
                "{up}"
            );
        } else {
            // The group is spelled from its first table by name, now metrics: the other
            // members move to it, in metadata only.
            for t in ["orders", "payments", "tenants"] {
                let call = format!(
                    "SELECT update_distributed_table_colocation('public.{t}', colocate_with => 'public.metrics');"
                );
                assert!(up.contains(&call), "missing {call} in:\n{up}");
            }
            assert!(
                !up.contains("DATA_MOVE: copies every row of the table into shards"),
                "{up}"
            );
            assert!(
                up.contains("SELECT undistribute_table('public.audit');"),
                "{up}"
            );
        }
    }
    assert_eq!(colocation(&db, "metrics"), colocation(&db, "tenants"));
    assert_eq!(colocation(&db, "payments"), colocation(&db, "orders"));
    assert!(!placements(&db).iter().any(|p| p.starts_with("audit")));
}

/// A new distribution column, the old one dropped in the same change: the drop comes after
/// `alter_distributed_table` (Citus refuses to drop a distribution column), and the
/// downgrade adds the column back before distributing by it again.
#[test]
fn a_retired_distribution_column_is_dropped_after_the_table_moves_off_it() {
    let db = CitusDb::new();
    let f = Folder::new("citus-retire");
    f.write(
        "v1.sql",
        "CREATE TABLE events (tenant_id bigint, account_id bigint NOT NULL, id bigint NOT NULL);
SELECT create_distributed_table('events', 'tenant_id');",
    );
    f.write(
        "v2.sql",
        "CREATE TABLE events (account_id bigint NOT NULL, id bigint NOT NULL);
SELECT create_distributed_table('events', 'account_id');",
    );
    migrate(&f, &db, "v1.sql");
    let (up, down) = migrate(&f, &db, "v2.sql");
    let moved = up
        .find("alter_distributed_table")
        .expect("alter_distributed_table");
    let dropped = up.find("DROP COLUMN tenant_id").expect("drop column");
    assert!(moved < dropped, "{up}");
    assert_eq!(f.ok(&["diff", "--from", &db.url(), "--to", "v2.sql"]), "");
    apply(&f, &db, &down);
    assert_eq!(
        f.ok(&["diff", "--from", &db.url(), "--to", "v1.sql"]),
        "",
        "{down}"
    );
}
