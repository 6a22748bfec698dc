//! Detectors: each gathers one kind of evidence about lines and is testable alone on a
//! hand-made list of lines. None of them decides anything: the engine ([`crate::engine`])
//! asks them in a fixed order and is the one place where a line is kept or removed.

pub mod block;
pub mod exact;
pub mod layout;
pub mod menu;
pub mod near;
pub mod noise;
pub mod phrase;
pub mod site;
pub mod timestamp;
pub mod title;
