//! SIGINT and SIGTERM: a run stopped by either removes the temporary files it made (its outputs
//! stay as they were before it) and exits 130 or 143, as a shell expects of a signalled program.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use dedump::pipeline::{self, Temps};
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// Directories the run writes temporary files in (each searched recursively).
static ROOTS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Listens for the signals on a thread of its own; on the first one, cleans up and exits.
pub fn install() {
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            pipeline::stop_temps();
            let roots = ROOTS.lock().map(|r| r.clone()).unwrap_or_default();
            for root in roots {
                pipeline::remove_temps(&root, Temps::Own);
            }
            std::process::exit(128 + signal);
        }
    });
}

/// Notes that the run writes temporary files below `dir`.
pub fn watch(dir: &Path) {
    if let Ok(mut roots) = ROOTS.lock() {
        roots.push(dir.to_path_buf());
    }
}

/// Notes the directory of the output file `path` (not stdout).
pub fn watch_file(path: &Path) {
    if path.as_os_str() != "-" {
        watch(pipeline::parent_dir(path));
    }
}
