//! dedump finds and removes duplicate and boilerplate text in scraped article dumps and reports
//! exactly what it removed and why.
//!
//! Data flows one way: input ([`input`]) frames lines, [`normalize`] turns each into a key and
//! features, the detectors in [`detect`] gather evidence, the [`engine`] decides, and the
//! [`pipeline`] writes kept lines and the [`report`]. [`restore`] inverts a run.

pub mod check;
pub mod config;
pub mod context;
pub mod crawl;
pub mod dedup;
pub mod detect;
pub mod engine;
pub mod error;
pub mod explain;
pub mod features;
pub mod input;
pub mod lexicon;
pub mod minhash;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod profile;
pub mod report;
pub mod restore;
pub mod shingle;
pub mod train;

pub use config::Config;
pub use error::Error;
