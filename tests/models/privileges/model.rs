//! Grants, owners and statistics objects in Rust models (tests/models.rs
//! `rust_models_hold_privileges_and_statistics`); schema.sql states the same in SQL.

#[pgshift(table, owner = "pgs_rm_owner",
          grant(to = "pgs_rm_app", privileges = "SELECT, INSERT, UPDATE"),
          grant(to = "pgs_rm_reporting", privileges = "SELECT WITH GRANT OPTION"),
          statistics(name = "orders_region_city", kinds = "ndistinct, dependencies",
                     columns = "region, city", target = 300,
                     comment = "region and city go together"),
          statistics(name = "orders_lower_city", expr = "lower(city)"))]
pub struct Orders {
    #[pgshift(primary_key)]
    pub id: i64,
    pub region: String,
    pub city: String,
    #[pgshift(grant(to = "pgs_rm_support", privileges = "SELECT"),
              grant(to = "pgs_rm_app", privileges = "REFERENCES"),
              column_name = "contact_email")]
    pub email: String,
}

/// Nobody but its owner reads it.
#[pgshift(table, no_grants)]
pub struct AuditLog {
    #[pgshift(primary_key)]
    pub id: i64,
    pub entry: String,
}

/// An identity whose sequence is named by hand, granted with grant option.
#[pgshift(table)]
pub struct Tickets {
    #[pgshift(primary_key, identity = "always", identity_sequence = "Ticket No",
              identity_grant(to = "pgs_rm_support", privileges = "USAGE WITH GRANT OPTION"))]
    pub id: i64,
}

pub mod customer {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "customers")]
    #[pgshift(grant(to = "public", privileges = "SELECT"),
              grant(to = "pgs_rm_app", privileges = "ALL"))]
    pub struct Model {
        #[sea_orm(primary_key)]
        #[pgshift(identity_grant(to = "pgs_rm_app", privileges = "USAGE, SELECT"))]
        pub id: i32,
        pub name: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
