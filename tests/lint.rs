//! `pgshift lint`: each rule on a schema that fires it and one that does not
//! (tests/lint/<rule>/{fires,clean}.sql, built on real PostgreSQL, findings snapshotted
//! in snapshots/lint/), then the command end to end on the binary: a TOML project with
//! file:line:column locations, levels and an allow list from pgshift.toml, JSON output,
//! a live database, exit codes, and the findings `generate` and `check` print.

mod common;

use common::{dev_url, Folder, TestDb};
use pgshift::lint::{self, rules, LintConfig, Origins};
use pgshift::source::{IntrospectOptions, Loader, Source};

fn findings_of(code: &str, case: &str) -> Vec<lint::Finding> {
    let path = format!("tests/lint/{code}/{case}.sql");
    let loader = Loader::new(Some(dev_url()), IntrospectOptions::default());
    let schema = loader
        .load(&Source::SqlFile(path.clone().into()))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    lint::lint(&schema, &LintConfig::default(), &Origins::none())
        .into_iter()
        .filter(|f| f.rule == code)
        .collect()
}

/// The rule fires on fires.sql (its findings snapshotted) and not on clean.sql.
fn rule_case(code: &str) {
    assert!(
        rules::ALL.iter().any(|r| r.code == code),
        "{code} is not a rule"
    );
    let fires = findings_of(code, "fires");
    assert!(!fires.is_empty(), "{code} does not fire on fires.sql");
    let text: Vec<String> = fires.iter().map(|f| f.to_string()).collect();
    insta::with_settings!({ snapshot_path => "../snapshots/lint", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(code, text.join("\n\n"));
    });
    let clean = findings_of(code, "clean");
    assert!(
        clean.is_empty(),
        "{code} fires on clean.sql:\n{}",
        clean
            .iter()
            .map(|f| f.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

macro_rules! rule_tests {
    ($($name:ident => $code:literal),* $(,)?) => {
        $(#[test] fn $name() { rule_case($code) })*

        #[test]
        fn every_rule_has_a_case() {
            let tested = [$($code),*];
            for rule in rules::ALL {
                assert!(tested.contains(&rule.code), "no test case for {}", rule.code);
            }
        }
    };
}

rule_tests! {
    missing_primary_key => "missing-primary-key",
    fk_without_index => "fk-without-index",
    nullable_foreign_key => "nullable-foreign-key",
    fk_to_soft_deleted_table => "fk-to-soft-deleted-table",
    float_for_money => "float-for-money",
    timestamp_without_time_zone => "timestamp-without-time-zone",
    varchar_limit => "varchar-limit",
    prefer_identity => "prefer-identity",
    redundant_index => "redundant-index",
    unique_duplicates_primary_key => "unique-duplicates-primary-key",
    low_cardinality_index => "low-cardinality-index",
    unused_enum => "unused-enum",
    quoted_identifier => "quoted-identifier",
    long_identifier => "long-identifier",
}

const TOML_MODEL: &str = r#"[tables.customers]
primary_key = ["id"]

[[tables.customers.columns]]
name = "id"
type = "bigint"
identity = "always"

[[tables.customers.columns]]
name = "email"
type = "varchar(200)"
not_null = true

[tables.orders]
primary_key = ["id"]

[[tables.orders.columns]]
name = "id"
type = "bigint"
identity = "always"

[[tables.orders.columns]]
name = "customer_id"
type = "bigint"
not_null = true

[[tables.orders.columns]]
name = "total"
type = "double precision"

[[tables.orders.columns]]
name = "placed_at"
type = "timestamp"

[tables.orders.foreign_keys.orders_customer_fkey]
columns = ["customer_id"]
references = "customers"
referenced_columns = ["id"]
"#;

/// The line of the TOML table header (`[...]` or `[[...]]`) that holds `needle`, 1-based:
/// where the model reader places the object.
fn header_line(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the model"));
    let header = text[..at + 1].rfind("\n[").map_or(0, |n| n + 1);
    text[..header].matches('\n').count() + 1
}

#[test]
fn lint_a_toml_project_with_levels_allow_list_locations_and_json() {
    let f = Folder::new("lint-project");
    f.write("schema.toml", TOML_MODEL);
    f.ok(&["init", "--model", "schema.toml"]);
    // Warnings only: exit 0, each finding at its place in the model.
    let out = f.ok(&["lint"]);
    for (rule, at) in [
        ("fk-without-index", "[tables.orders.foreign_keys"),
        ("float-for-money", "name = \"total\""),
        ("timestamp-without-time-zone", "name = \"placed_at\""),
        ("varchar-limit", "name = \"email\""),
    ] {
        let line = header_line(TOML_MODEL, at);
        let block = out
            .split("\n\n")
            .find(|b| b.contains(&format!("[{rule}]")))
            .unwrap_or_else(|| panic!("no {rule} finding:\n{out}"));
        assert!(
            block.contains(&format!("--> schema.toml:{line}:")),
            "{rule} not located at line {line}:\n{block}"
        );
        assert!(
            block.contains(&format!("docs: docs/lint/{rule}.md")),
            "{block}"
        );
    }
    assert!(out.contains("0 errors, 4 warnings (0 allowed)"), "{out}");

    // An error level fails the run; an allow entry shows with its reason.
    let config = std::fs::read_to_string(f.dir.join("pgshift.toml")).unwrap();
    f.write(
        "pgshift.toml",
        &format!(
            "{config}\n[lint]\nrules = {{ \"timestamp-without-time-zone\" = \"error\" }}\n\n\
             [[lint.allow]]\nrule = \"varchar-limit\"\nobject = \"public.customers.*\"\n\
             reason = \"emails are capped by the mail provider\"\n"
        ),
    );
    let out = f.pgshift(&["lint"]);
    let text = common::output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("error[timestamp-without-time-zone]: column public.orders.placed_at"),
        "{text}"
    );
    assert!(
        text.contains("allowed[varchar-limit]: column public.customers.email"),
        "{text}"
    );
    assert!(
        text.contains("reason: emails are capped by the mail provider"),
        "{text}"
    );
    assert!(text.contains("1 error, 2 warnings (1 allowed)"), "{text}");

    let out = f.pgshift(&["lint", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert_eq!(json["errors"], 1);
    assert_eq!(json["warnings"], 2);
    assert_eq!(json["allowed"], 1);
    let first = &json["findings"][0];
    assert_eq!(first["rule"], "fk-without-index");
    let line = header_line(TOML_MODEL, "[tables.orders.foreign_keys");
    assert!(
        first["location"]
            .as_str()
            .unwrap()
            .starts_with(&format!("schema.toml:{line}:")),
        "{first}"
    );

    // A typo in a rule name is refused with did-you-mean, by every command.
    f.write(
        "pgshift.toml",
        &format!("{config}\n[lint]\nrules = {{ \"varchar-limits\" = \"off\" }}\n"),
    );
    let out = f.pgshift(&["lint"]);
    let text = common::output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("did you mean \"varchar-limit\""), "{text}");
}

#[test]
fn lint_a_database_and_a_sql_file_names_objects_and_sets_exit_codes() {
    let db = TestDb::new();
    db.psql(&std::fs::read_to_string("examples/shop/v2.sql").unwrap())
        .unwrap();
    let f = Folder::new("lint-db");
    let out = f.pgshift(&["lint", &db.url()]);
    let text = common::output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    // order_items' primary key leads with order_id: nothing serves product_id.
    assert!(
        text.contains("warning[fk-without-index]: constraint order_items_product_id_fkey on public.order_items"),
        "{text}"
    );
    assert!(
        text.contains("warning[varchar-limit]: column public.products.sku"),
        "{text}"
    );
    assert!(
        !text.contains("-->"),
        "a database has no file locations:\n{text}"
    );
    // The same schema from its SQL file finds the same.
    let path = std::fs::canonicalize("examples/shop/v2.sql").unwrap();
    let from_file = f.ok(&["lint", path.to_str().unwrap()]);
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.contains(": 0 errors"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        strip(&from_file),
        strip(&String::from_utf8_lossy(&out.stdout))
    );
    // Without SOURCE and without a project: a clear error.
    let out = f.pgshift(&["lint"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::output_text(&out).contains("run `pgshift init`"));
}

#[test]
fn generate_and_check_print_findings_of_what_the_change_touches() {
    let f = Folder::new("lint-generate");
    f.write(
        "schema.sql",
        "CREATE TABLE legacy (note varchar(50));\nCREATE TABLE customers (id bigint PRIMARY KEY);\n",
    );
    f.ok(&["init"]);
    f.ok(&["generate", "-m", "start"]);
    // The change adds a table with a foreign key nothing indexes; legacy is untouched.
    f.write(
        "schema.sql",
        "CREATE TABLE legacy (note varchar(50));\nCREATE TABLE customers (id bigint PRIMARY KEY);\n\
         CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers);\n",
    );
    let out = f.pgshift(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "check exits 1 for the pending change"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "warning[fk-without-index]: constraint orders_customer_id_fkey on public.orders"
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains("legacy"),
        "findings of untouched objects:\n{stderr}"
    );
    let out = f.pgshift(&["generate", "-m", "orders"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "lint findings never fail generate"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning[fk-without-index]"), "{stderr}");
    assert!(!stderr.contains("legacy"), "{stderr}");
    // The whole schema: legacy's findings too.
    let all = f.ok(&["lint"]);
    assert!(
        all.contains("missing-primary-key]: table public.legacy"),
        "{all}"
    );
}

#[test]
fn findings_in_rust_models_point_at_the_field() {
    let f = Folder::new("lint-rust");
    let models = std::fs::canonicalize("tests/models/shop/pgshift").unwrap();
    let out = f.ok(&["lint", models.to_str().unwrap()]);
    let file = models.join("shop.rs");
    let text = std::fs::read_to_string(&file).unwrap();
    for (rule, field) in [
        ("varchar-limit", "email: String"),
        ("timestamp-without-time-zone", "placed_at: chrono"),
    ] {
        let at = text.find(field).unwrap();
        let line = text[..at].matches('\n').count() + 1;
        let column = at - text[..at].rfind('\n').unwrap();
        let place = format!("--> {}:{line}:{column}", file.display());
        let block = out
            .split("\n\n")
            .find(|b| b.contains(&format!("[{rule}]")) && b.contains(&place))
            .unwrap_or_else(|| panic!("no {rule} finding at {place}:\n{out}"));
        assert!(block.contains("help: "), "{block}");
    }
}

#[test]
fn hostile_names_print_on_one_line() {
    let db = TestDb::new();
    db.psql("CREATE TABLE \"Evil\nDROP TABLE x; --\" (\"price\r\n*/\" double precision);")
        .unwrap();
    let f = Folder::new("lint-hostile");
    let out = f.ok(&["lint", &db.url()]);
    assert!(!out.contains("\nDROP TABLE"), "a name broke a line:\n{out}");
    assert!(
        !out.contains('\r'),
        "a carriage return reached the terminal:\n{out}"
    );
    assert!(
        out.contains("warning[missing-primary-key]: table public.\"Evil\\nDROP TABLE x; --\""),
        "{out}"
    );
    assert!(out.contains("warning[float-for-money]"), "{out}");
}
