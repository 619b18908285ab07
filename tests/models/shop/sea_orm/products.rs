use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "String(StringLen::N(32))", unique)]
    pub sku: String,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Decimal(Some((10, 2)))", default_value = 0)]
    #[pgshift(check = "price >= 0")]
    pub price: Decimal,
    #[sea_orm(column_type = "JsonBinary", nullable)]
    #[pgshift(index(method = "gin"))]
    pub attributes: Option<Json>,
    #[sea_orm(default_value = true)]
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::order_items::Entity")]
    OrderItems,
}

impl ActiveModelBehavior for ActiveModel {}
