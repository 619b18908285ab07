//! Migrations on disk and the runner that applies them: a version table, an advisory
//! lock, each migration in its own transaction unless marked `-- no-transaction`.

pub mod files;
pub mod project;
pub mod runner;
pub mod split;

pub use files::{read_dir, Migration};
pub use runner::{Applied, Runner};
