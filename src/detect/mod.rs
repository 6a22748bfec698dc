//! Detectors: each gathers one kind of evidence about lines and is testable alone on a
//! hand-made list of lines. None of them decides anything: the engine's policy
//! ([`crate::engine`]) is the one place where a line is kept or removed, evidence first and the
//! boilerplate model ([`crate::model`]) for the rest.

pub mod block;
pub mod exact;
pub mod menu;
pub mod near;
pub mod noise;
pub mod phrase;
pub mod site;
pub mod timestamp;
pub mod title;
