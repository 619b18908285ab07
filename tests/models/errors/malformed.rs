#[pgshift(table = "broken")]
pub struct Broken {
    pub id: i32,
    pub name String,
}
