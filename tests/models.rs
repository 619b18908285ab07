//! Model sources on real PostgreSQL: the shop schema written four ways (SQL, TOML, SeaORM
//! entities, pgshift-attribute structs) is one schema; models diff to nothing against a
//! database built from them; `inspect --format toml` reads back as the same schema; bad
//! input fails with a located message.

mod common;

use common::{assert_same_schema, dev_url, TestDb};
use pgshift::plan::{plan, plan_with};
use pgshift::schema::Schema;
use pgshift::source::{Hints, IntrospectOptions, Loader, Source};

const SHOP: [&str; 4] = [
    "tests/models/shop/schema.sql",
    "tests/models/shop/schema.toml",
    "tests/models/shop/sea_orm",
    "tests/models/shop/pgshift",
];

fn loader() -> Loader {
    Loader::new(Some(dev_url()), IntrospectOptions::default())
}

fn load(loader: &Loader, source: &str) -> Schema {
    let s = Source::parse(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    loader.load(&s).unwrap_or_else(|e| panic!("{source}: {e}"))
}

fn assert_no_diff(from: &Schema, to: &Schema, what: &str) {
    let p = plan(from, to).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(p.is_empty(), "{what}: diff not empty:\n{}", p.to_sql());
}

/// The shop's SeaORM entities are a SeaORM 1.x project's (`[rust] auto_increment =
/// "serial"`); SeaORM names their foreign keys, composite key and indexes its own way
/// (`fk-orders-customer_id`, ...), and those names, which the entities do not write,
/// match the SQL model's objects by definition. Every other source is the same IR.
#[test]
fn shop_is_one_schema_in_four_sources() {
    let loader = loader().with_rust(pgshift::source::rust::Options {
        auto_increment: pgshift::source::rust::AutoIncrement::Serial,
        ..Default::default()
    });
    let loaded: Vec<(Schema, Hints)> = SHOP
        .iter()
        .map(|s| {
            let source = Source::parse(s).unwrap();
            loader
                .load_with_hints(&source)
                .unwrap_or_else(|e| panic!("{s}: {e}"))
        })
        .collect();
    let schemas: Vec<Schema> = loaded.iter().map(|(s, _)| s.clone()).collect();
    for (a, (sa, ha)) in SHOP.iter().zip(&loaded) {
        for (b, (sb, hb)) in SHOP.iter().zip(&loaded) {
            // The SeaORM side's hints: its names are the ones it does not write.
            let hints = if a.ends_with("sea_orm") {
                ha.inverted()
            } else if b.ends_with("sea_orm") {
                hb.clone()
            } else {
                Hints::default()
            };
            let p = plan_with(sa, sb, &hints).unwrap_or_else(|e| panic!("{a} -> {b}: {e}"));
            assert!(p.is_empty(), "{a} -> {b}: diff not empty:\n{}", p.to_sql());
        }
        if !a.ends_with("sea_orm") {
            assert_same_schema(sa, &schemas[0], a);
        }
    }
    // Without the hints, the names SeaORM gives are all that differ.
    let sea = SHOP.iter().position(|s| s.ends_with("sea_orm")).unwrap();
    let p = plan(&schemas[0], &schemas[sea]).unwrap().to_sql();
    for name in [
        "\"pk-order_items\"",
        "\"fk-orders-customer_id\"",
        "\"fk-order_items-order_id\"",
        "\"idx-orders-customer_id\"",
    ] {
        assert!(p.contains(name), "{name}: {p}");
    }
    insta::with_settings!({
        snapshot_path => "../snapshots/models",
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "tests/models/shop: the IR of schema.sql, schema.toml, sea_orm/ and pgshift/",
    }, {
        insta::assert_json_snapshot!("shop", schemas[0].comparable());
    });
}

/// A database built from the model (with the SQL pgshift would run) and the model
/// itself diff to nothing, both ways: no expression is compared in two spellings.
#[test]
fn models_match_the_databases_built_from_them() {
    let loader = loader();
    for source in SHOP.iter().chain(["tests/models/forms/schema.toml"].iter()) {
        let model = load(&loader, source);
        let db = TestDb::new();
        let sql = plan(&db.schema(), &model).unwrap().to_sql();
        db.psql(&sql)
            .unwrap_or_else(|e| panic!("{source}: building the database: {e}\n{sql}"));
        let built = db.schema();
        assert_no_diff(&built, &model, &format!("{source}: database -> model"));
        assert_no_diff(&model, &built, &format!("{source}: model -> database"));
    }
}

#[test]
fn inspect_toml_reads_back_as_the_same_schema() {
    let loader = loader();
    let dir = std::env::temp_dir().join(format!("pgshift-models-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, source) in [
        "tests/models/shop/schema.sql",
        "tests/models/forms/schema.toml",
    ]
    .iter()
    .enumerate()
    {
        // From a live database, as a team starting its spec would.
        let db = TestDb::new();
        let model = load(&loader, source);
        db.psql(&plan(&db.schema(), &model).unwrap().to_sql())
            .unwrap();
        let live = db.schema();
        let file = dir.join(format!("inspected{i}.toml"));
        std::fs::write(&file, pgshift::source::toml::to_toml(&live)).unwrap();
        let back = load(&loader, &format!("toml:{}", file.display()));
        assert_no_diff(
            &live,
            &back,
            &format!("{source}: database -> inspected TOML"),
        );
        assert_no_diff(
            &back,
            &live,
            &format!("{source}: inspected TOML -> database"),
        );
        assert_same_schema(&back, &live, source);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hints_are_kept_apart_from_the_schema() {
    let loader = loader();
    let source = Source::parse("tests/models/forms/schema.toml").unwrap();
    let (_, hints) = loader.load_with_hints(&source).unwrap();
    insta::with_settings!({
        snapshot_path => "../snapshots/models",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_json_snapshot!("forms_hints", hints);
    });
}

fn error_of(source: &str) -> String {
    let loader = loader();
    match loader.load(&Source::parse(source).unwrap()) {
        Ok(_) => panic!("{source}: loaded without an error"),
        Err(e) => e.to_string(),
    }
}

macro_rules! error_case {
    ($name:ident, $file:literal) => {
        #[test]
        fn $name() {
            let message = error_of(concat!("tests/models/errors/", $file));
            insta::with_settings!({
                snapshot_path => "../snapshots/models",
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => concat!("error for tests/models/errors/", $file),
            }, {
                insta::assert_snapshot!(concat!("error_", stringify!($name)), message);
            });
        }
    };
}

error_case!(malformed_rust, "malformed.rs");
error_case!(unknown_attribute, "unknown_attribute.rs");
error_case!(unknown_type, "unknown_type.rs");
error_case!(bad_toml_key, "bad_key.toml");
error_case!(wrong_toml_type, "wrong_type.toml");
error_case!(rejected_by_postgres, "rejected.toml");

/// The command itself: `pgshift inspect --format toml` of the SeaORM entities, read back
/// as a source, is the schema of the entities; a bad model exits with 2.
#[test]
fn inspect_command_prints_a_spec_that_reads_back() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_pgshift"))
            .args(args)
            .args(["--dev-url", &dev_url()])
            .output()
            .expect("run pgshift")
    };
    let out = run(&["inspect", "tests/models/shop/sea_orm", "--format", "toml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = std::env::temp_dir().join(format!("pgshift-cli-{}.toml", std::process::id()));
    std::fs::write(&file, &out.stdout).unwrap();
    let loader = loader();
    let back = load(&loader, file.to_str().unwrap());
    let _ = std::fs::remove_file(&file);
    let entities = load(&loader, "tests/models/shop/sea_orm");
    assert_no_diff(&entities, &back, "entities -> inspected TOML");
    assert_same_schema(&back, &entities, "inspected TOML");

    let out = run(&["inspect", "tests/models/errors/unknown_type.rs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("error: tests/models/errors/unknown_type.rs:5:18: "));
}

/// Range types and statistics objects go through TOML (`[ranges]`, `[statistics]`, each
/// by its statement): `inspect --format toml` of a SQL model reads back as the same
/// schema, both ways, and a database built from the TOML is that schema.
#[test]
fn toml_holds_range_types_and_statistics() {
    let source = "tests/models/ranges_and_statistics.sql";
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pgshift"))
        .args([
            "inspect",
            source,
            "--format",
            "toml",
            "--dev-url",
            &dev_url(),
        ])
        .output()
        .expect("run pgshift");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("[ranges.\"sched.floatrange\"]"), "{text}");
    assert!(text.contains("target = 300"), "{text}");
    let file = std::env::temp_dir().join(format!("pgshift-ranges-{}.toml", std::process::id()));
    std::fs::write(&file, &text).unwrap();
    let loader = loader();
    let back = load(&loader, file.to_str().unwrap());
    let _ = std::fs::remove_file(&file);
    let sql = load(&loader, source);
    assert_eq!(sql.ranges.len(), 2);
    assert_eq!(sql.statistics.len(), 2);
    assert_no_diff(&sql, &back, "SQL -> TOML");
    assert_no_diff(&back, &sql, "TOML -> SQL");
    assert_same_schema(&back, &sql, "TOML read back");
    // Built from nothing, on a real database, then read again.
    let db = TestDb::new();
    db.psql(&plan(&db.schema(), &back).unwrap().to_sql())
        .unwrap();
    assert_no_diff(&db.schema(), &back, "database built from the TOML");
}

/// Grants, owners and statistics objects in Rust models: `owner`, `grant(to, privileges)`
/// and `no_grants` on a struct (plain and SeaORM), `grant(...)` on a field (a column
/// renamed after it), `statistics(...)` with kinds, columns, an expression, a target and
/// a comment. The Rust model is the schema its `.sql` twin states with GRANT, ALTER ...
/// OWNER and CREATE STATISTICS, both ways; a database built from it is that schema.
#[test]
fn rust_models_hold_privileges_and_statistics() {
    for role in [
        "pgs_rm_owner",
        "pgs_rm_app",
        "pgs_rm_reporting",
        "pgs_rm_support",
    ] {
        common::create_role(role);
    }
    let rust = load(&loader(), "tests/models/privileges/model.rs");
    // On pgshift's own cluster: there the roles a `.sql` model names are made for it and
    // lent to the loading role, which `ALTER TABLE ... OWNER TO` needs (on a --dev-url
    // server it is recorded instead: tests/privileges.rs).
    let own = Loader::new(None, IntrospectOptions::default());
    let sql = load(&own, "tests/models/privileges/schema.sql");
    assert_eq!(rust.statistics.len(), 2);
    assert_no_diff(&sql, &rust, "SQL -> Rust");
    assert_no_diff(&rust, &sql, "Rust -> SQL");
    let db = TestDb::new();
    let up = plan(&db.schema(), &rust).unwrap().to_sql();
    assert!(
        up.contains("ALTER TABLE public.orders OWNER TO pgs_rm_owner"),
        "{up}"
    );
    assert!(
        up.contains("GRANT SELECT (contact_email) ON TABLE public.orders TO pgs_rm_support"),
        "{up}"
    );
    assert!(
        up.contains("GRANT SELECT, USAGE ON SEQUENCE public.customers_id_seq TO pgs_rm_app;"),
        "{up}"
    );
    assert!(
        up.contains(
            "GRANT USAGE ON SEQUENCE public.\"Ticket No\" TO pgs_rm_support WITH GRANT OPTION;"
        ),
        "{up}"
    );
    db.psql(&up).unwrap_or_else(|e| panic!("{e}\n{up}"));
    assert_no_diff(&db.schema(), &rust, "database built from the Rust model");
}

/// Mistakes in Rust privilege and statistics attributes are errors at the attribute.
#[test]
fn rust_privilege_attributes_are_checked() {
    for (model, expected) in [
        (
            "#[pgshift(table, grant(to = \"app\"))]\npub struct T { pub id: i64 }",
            "grant(...) has no `privileges`",
        ),
        (
            "#[pgshift(table, grant(to = \"app\", privileges = \"SELEKT\"))]\npub struct T { pub id: i64 }",
            "is not a privilege of",
        ),
        (
            "#[pgshift(table, grant(role = \"app\", privileges = \"SELECT\"))]\npub struct T { pub id: i64 }",
            "unknown pgshift attribute `role` on a grant",
        ),
        (
            "#[pgshift(table, statistics(name = \"s\", kinds = \"histogram\", columns = \"a, b\"))]\npub struct T { pub a: i64, pub b: i64 }",
            "\"histogram\" is not a kind of statistics",
        ),
        (
            "#[pgshift(table, statistics(kinds = \"mcv\", columns = \"a, b\"))]\npub struct T { pub a: i64, pub b: i64 }",
            "has no `name`",
        ),
        (
            "#[pgshift(table, statistics(name = \"s\", columns = \"a, nope\"))]\npub struct T { pub a: i64, pub b: i64 }",
            "nope",
        ),
        (
            "#[pgshift(table)] pub struct T { #[pgshift(identity_grant(to = \"app\", privileges = \"USAGE\"))] pub id: i64 }",
            "`identity_grant` is for an identity column, and id is not one",
        ),
        (
            "#[pgshift(table)] pub struct T { #[pgshift(identity = \"always\", identity_sequence = \"other.s\")] pub id: i64 }",
            "an identity sequence is in its table's schema",
        ),
        (
            "#[pgshift(table)] pub struct T { #[pgshift(identity = \"always\", identity_grant(to = \"app\", privileges = \"EXECUTE\"))] pub id: i64 }",
            "\"EXECUTE\" is not a privilege of sequence",
        ),
    ] {
        let dir = std::env::temp_dir().join(format!(
            "pgshift-rust-priv-{}-{}",
            std::process::id(),
            expected.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("model.rs");
        std::fs::write(&file, model).unwrap();
        let err = loader()
            .load(&Source::parse(file.to_str().unwrap()).unwrap())
            .expect_err(model)
            .to_string();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(err.contains(expected), "{model}\n{err}");
        assert!(err.contains("model.rs:1:"), "{err}");
    }
}

/// Range types in Rust models: `#[pgshift(range, subtype = ...)]` on a struct (name,
/// schema, subtype_diff, collation, multirange_type_name, comment or a doc comment), and
/// fields of that struct's type (plain, `Option`, `Vec`, a path) are columns of the
/// range. Through the binary: no difference from the `.sql` twin either way, and a
/// database built from the Rust model re-plans to nothing.
#[test]
fn rust_models_declare_range_types() {
    let dir = common::Folder::new("rust-ranges");
    let root = env!("CARGO_MANIFEST_DIR");
    let (rust, sql) = (
        format!("{root}/tests/models/ranges/model.rs"),
        format!("{root}/tests/models/ranges/schema.sql"),
    );
    assert_eq!(dir.ok(&["diff", "--from", &sql, "--to", &rust]), "");
    assert_eq!(dir.ok(&["diff", "--from", &rust, "--to", &sql]), "");
    let db = TestDb::new();
    let up = dir.ok(&["diff", "--from", &db.url(), "--to", &rust]);
    assert!(
        up.contains("CREATE TYPE public.opening_hours AS RANGE (SUBTYPE = time without time zone"),
        "{up}"
    );
    db.psql(&up).unwrap_or_else(|e| panic!("{e}\n{up}"));
    assert_eq!(dir.ok(&["diff", "--from", &db.url(), "--to", &rust]), "");

    // Mistakes are errors at the struct or the attribute.
    for (model, expected) in [
        (
            "#[pgshift(range)]\npub struct R;",
            "model.rs:1:11: range type R has no `subtype`",
        ),
        (
            "#[pgshift(range, subtype = \"int4\", subtipe_diff = \"x\")]\npub struct R;",
            "model.rs:1:36: unknown pgshift attribute `subtipe_diff` on a range type",
        ),
        (
            "#[pgshift(range, table, subtype = \"int4\")]\npub struct R;",
            "model.rs:1:18: R is marked both `range` and `table`",
        ),
        (
            "#[pgshift(range, subtype = \"int4); DROP TABLE x; --\")]\npub struct R;",
            "model.rs:1:18:",
        ),
        (
            "#[pgshift(range, subtype = \"int4\", multirange_type_name = \"a.b.c\")]\npub struct R;",
            "model.rs:1:36: multirange_type_name = \"a.b.c\" is not a name",
        ),
    ] {
        dir.write("model.rs", model);
        let out = dir.pgshift(&["inspect", "model.rs"]);
        let text = common::output_text(&out);
        assert_eq!(out.status.code(), Some(2), "{model}\n{text}");
        assert!(text.contains(expected), "{model}\n{text}");
    }
}
