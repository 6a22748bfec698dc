//! One module per command: each turns its flags into library calls and their results into
//! output and an exit code, and nothing more.

pub mod train;
