//! The `dedump` binary: parse flags, build settings, call the library, show progress, map the
//! result to an exit code. All cleaning logic lives in the library.

/// A line on stderr, `dedump: ` first. A closed stderr is no reason to fail a run that did its
/// work, so a write error is ignored.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "dedump: {}", format_args!($($arg)*));
    }};
}

mod cli;
mod cmd;
mod settings_file;

/// mimalloc: the cleaning path allocates a string or two per removed line, and glibc's
/// allocator spent a sixth of a crawl's time on them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use cli::{Cli, Command};
use cmd::Exit;
use settings_file::SettingsFile;

fn main() -> ExitCode {
    cmd::interrupt::install();
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let result = dispatch(cli, &matches);
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            if cmd::is_closed_stdout(&e) {
                return ExitCode::from(Exit::Ok as u8);
            }
            note!("{}", describe(&e));
            ExitCode::from(Exit::Error as u8)
        }
    }
}

/// An error and its causes on one line, each cause once: our errors already print their I/O
/// cause (`cannot write out.txt: Permission denied`), so a cause the text so far holds is not
/// repeated.
fn describe(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

/// Applies ./dedump.toml (or --config) under the flags, then runs the command.
fn dispatch(cli: Cli, matches: &clap::ArgMatches) -> anyhow::Result<Exit> {
    let sub = matches.subcommand().map(|(_, m)| m).unwrap_or(matches);
    match cli.command {
        Some(Command::Clean(mut args)) => {
            let file = SettingsFile::find(args.settings.config.as_deref())?;
            if let Some(f) = &file {
                f.apply(sub, &mut args.settings, Some(&mut args.read));
            }
            cmd::clean::run(&args)
        }
        None => {
            let mut args = cli.clean;
            let file = SettingsFile::find(args.settings.config.as_deref())?;
            if let Some(f) = &file {
                f.apply(matches, &mut args.settings, Some(&mut args.read));
            }
            cmd::clean::run(&args)
        }
        Some(Command::Check(mut args)) => {
            let file = SettingsFile::find(args.settings.config.as_deref())?;
            if let Some(f) = &file {
                f.apply(sub, &mut args.settings, Some(&mut args.read));
            }
            cmd::check::run(&args, file.as_ref())
        }
        Some(Command::Explain(mut args)) => {
            let file = SettingsFile::find(args.settings.config.as_deref())?;
            if let Some(f) = &file {
                f.apply(sub, &mut args.settings, None);
            }
            cmd::explain::run(&args)
        }
        Some(Command::Restore(args)) => cmd::restore::run(&args),
        Some(Command::Learn(args)) => cmd::learn::run(&args),
        Some(Command::MergeProfiles(args)) => cmd::learn::merge(&args),
        Some(Command::Train(args)) => cmd::train::run(&args).map(|()| Exit::Ok),
        Some(Command::Completions(args)) => {
            let shell = match args.shell {
                cli::ShellArg::Bash => clap_complete::Shell::Bash,
                cli::ShellArg::Zsh => clap_complete::Shell::Zsh,
                cli::ShellArg::Fish => clap_complete::Shell::Fish,
                cli::ShellArg::Powershell => clap_complete::Shell::PowerShell,
            };
            clap_complete::generate(shell, &mut Cli::command(), "dedump", &mut io::stdout());
            Ok(Exit::Ok)
        }
        Some(Command::Man) => {
            clap_mangen::Man::new(Cli::command()).render(&mut io::stdout())?;
            Ok(Exit::Ok)
        }
    }
}
