//! The shop schema as SeaORM entities, written the way SeaORM users write them.

pub mod customers;
pub mod order_items;
pub mod orders;
pub mod products;
pub mod sea_orm_active_enums;
