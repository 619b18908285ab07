//! A synthetic schema of any size, and a changed copy of it, as SQL scripts.
//!
//! `n` tables `app.t_00001 ..` in schema `app`, each with 9 columns of mixed types (an
//! identity primary key, a foreign key to the previous table, text, varchar, numeric, an
//! enum, jsonb, boolean, timestamptz), a CHECK, and two indexes, one of them partial. Plus
//! 4 enums, one view per 10 tables, and a partitioned table `app.events` with `n / 10`
//! partitions (at least 12).
//!
//! The changed copy touches about two objects in three tables, the way a few months of
//! development would: added and dropped columns, widened types (some under a view, which
//! then has to be dropped and recreated), new and changed indexes, dropped constraints,
//! changed views, an enum value, new tables, dropped tables, new partitions.

use std::fmt::Write;

/// Both versions of the schema, as scripts cut into chunks of about `chunk` tables each,
/// so that each chunk can run as one transaction without exhausting the lock table.
pub struct Scripts {
    pub old: Vec<String>,
    pub new: Vec<String>,
}

pub fn scripts(n: usize, chunk: usize) -> Scripts {
    Scripts {
        old: schema(n, false, chunk),
        new: schema(n, true, chunk),
    }
}

fn partitions(n: usize) -> usize {
    (n / 10).max(12)
}

/// Tables dropped in the changed copy (the last ones, so no kept table refers to them)
/// and tables added.
fn dropped_and_added(n: usize) -> usize {
    (n / 100).max(1)
}

fn table(i: usize) -> String {
    format!("t_{i:05}")
}

fn schema(n: usize, changed: bool, chunk: usize) -> Vec<String> {
    let mut chunks = vec![];
    let mut sql = String::new();
    sql.push_str("CREATE SCHEMA app;\n");
    sql.push_str("CREATE TYPE app.status AS ENUM ('new', 'active', 'suspended', 'closed');\n");
    sql.push_str("CREATE TYPE app.priority AS ENUM ('low', 'normal', 'high');\n");
    if changed {
        sql.push_str("CREATE TYPE app.channel AS ENUM ('web', 'mobile', 'api', 'batch');\n");
    } else {
        sql.push_str("CREATE TYPE app.channel AS ENUM ('web', 'mobile', 'api');\n");
    }
    sql.push_str("CREATE TYPE app.region AS ENUM ('eu', 'us', 'apac');\n");
    let kept = if changed { n - dropped_and_added(n) } else { n };
    for i in 1..=kept {
        create_table(&mut sql, i, changed);
        if i % 10 == 0 {
            create_view(&mut sql, i, changed);
        }
        if i % chunk == 0 {
            chunks.push(std::mem::take(&mut sql));
        }
    }
    if changed {
        for k in 1..=dropped_and_added(n) {
            create_new_table(&mut sql, k);
        }
    }
    create_events(&mut sql, n, changed);
    chunks.push(sql);
    chunks
}

fn create_table(sql: &mut String, i: usize, changed: bool) {
    let t = table(i);
    let parent = table(if i == 1 { 1 } else { i - 1 });
    let v = i % 10;
    let change = |k: usize| changed && v == k;
    let code = if change(1) {
        "varchar(64)"
    } else {
        "varchar(32)"
    };
    let amount = if change(4) {
        "numeric(14,2)"
    } else {
        "numeric(12,2)"
    };
    writeln!(
        sql,
        "CREATE TABLE app.{t} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id bigint,
    name text NOT NULL,
    code {code},
    amount {amount} NOT NULL DEFAULT 0,
    status app.status NOT NULL DEFAULT 'new',"
    )
    .unwrap();
    if !change(5) {
        sql.push_str("    payload jsonb,\n");
    }
    sql.push_str("    active boolean NOT NULL DEFAULT true,\n");
    if change(0) {
        sql.push_str("    note text,\n");
    }
    sql.push_str("    created_at timestamptz NOT NULL DEFAULT now()");
    if !change(3) {
        write!(
            sql,
            ",\n    CONSTRAINT {t}_amount_check CHECK (amount >= 0)"
        )
        .unwrap();
    }
    sql.push_str("\n);\n");
    let on_delete = if change(6) { " ON DELETE CASCADE" } else { "" };
    writeln!(
        sql,
        "ALTER TABLE app.{t} ADD CONSTRAINT {t}_parent_fk FOREIGN KEY (parent_id) REFERENCES app.{parent} (id){on_delete};"
    )
    .unwrap();
    writeln!(sql, "CREATE INDEX {t}_name_idx ON app.{t} (name);").unwrap();
    let predicate = if change(7) {
        "active AND status <> 'closed'"
    } else {
        "active"
    };
    writeln!(
        sql,
        "CREATE INDEX {t}_recent_idx ON app.{t} (created_at) WHERE {predicate};"
    )
    .unwrap();
    if change(2) {
        writeln!(
            sql,
            "CREATE INDEX {t}_status_idx ON app.{t} (status, code);"
        )
        .unwrap();
    }
    if change(8) {
        writeln!(sql, "COMMENT ON TABLE app.{t} IS 'table {i}';").unwrap();
    }
}

/// `v_<i>` over table i. Views over tables whose `code` widens (i % 10 == 1) read it, so
/// the change has to drop and recreate them; every third view changes its definition.
fn create_view(sql: &mut String, i: usize, changed: bool) {
    let t = table(i);
    let over_widened = table(i - 9);
    let extra = if changed && (i / 10) % 3 == 0 {
        ", t.amount"
    } else {
        ""
    };
    writeln!(
        sql,
        "CREATE VIEW app.v_{i:05} AS SELECT t.id, t.name, t.status{extra}, w.code
   FROM app.{t} t JOIN app.{over_widened} w ON w.id = t.parent_id WHERE t.active;"
    )
    .unwrap();
}

fn create_new_table(sql: &mut String, k: usize) {
    writeln!(
        sql,
        "CREATE TABLE app.new_{k:05} (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    t_id bigint NOT NULL REFERENCES app.t_00001 (id),
    priority app.priority NOT NULL DEFAULT 'normal',
    body text
);
CREATE INDEX new_{k:05}_t_id_idx ON app.new_{k:05} (t_id);"
    )
    .unwrap();
}

/// A partitioned table, one partition per month; the changed copy adds a column, an
/// index and a few more months.
fn create_events(sql: &mut String, n: usize, changed: bool) {
    let channel = if changed {
        ",\n    channel app.channel"
    } else {
        ""
    };
    writeln!(
        sql,
        "CREATE TABLE app.events (
    id bigint NOT NULL,
    at timestamptz NOT NULL,
    region app.region NOT NULL,
    body jsonb{channel},
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE INDEX events_region_idx ON app.events (region, at);"
    )
    .unwrap();
    if changed {
        sql.push_str("CREATE INDEX events_body_idx ON app.events USING gin (body);\n");
    }
    let count = partitions(n) + if changed { 3 } else { 0 };
    for m in 0..count {
        let (y, mo) = (2000 + m / 12, m % 12 + 1);
        let (ny, nmo) = (2000 + (m + 1) / 12, (m + 1) % 12 + 1);
        writeln!(
            sql,
            "CREATE TABLE app.events_{y}_{mo:02} PARTITION OF app.events \
             FOR VALUES FROM ('{y}-{mo:02}-01') TO ('{ny}-{nmo:02}-01');"
        )
        .unwrap();
    }
}
