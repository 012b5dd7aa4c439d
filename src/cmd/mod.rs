//! The command line: parse arguments, run a command, print diagnostics, pick the exit code.
//! Each command is a module here; what they run is the library's.
//!
//! Exit status: 0 success, 1 content or build errors (every one printed), 2 usage errors
//! (clap's own convention).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use equipe::BuildOptions;

mod build;
mod check;
mod init;
mod new;
mod repeats;
mod serve;
mod translations;
mod watch;

#[derive(Parser, Debug)]
#[command(
    name = "equipe",
    version,
    about = "Build a bilingual onboarding website for a project team from Markdown"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into the output folder.
    ///
    /// The output folder is replaced whole, and only when the build succeeds. equipe
    /// replaces only a folder it made (it holds a `.equipe-output` file) or an empty one;
    /// any other existing folder or file is an error that changes nothing. One build
    /// writes an output at a time: a second one fails with "another build is writing".
    Build {
        /// The site's root folder (where site.yaml is).
        #[arg(long, default_value = ".")]
        source: PathBuf,
        /// Where to write the site (relative to --source): replaced only when the build
        /// succeeds, and only if equipe made it or it is empty (see --force).
        #[arg(long, default_value = "public")]
        output: PathBuf,
        /// Replace an existing --output folder that equipe did not make, deleting what it
        /// holds. Never a plain file, a `.git` folder, a folder holding a git repository,
        /// the site or your home folder.
        #[arg(long)]
        force: bool,
        /// Absolute URL of the published site (overrides site.yaml's base_url).
        #[arg(long, value_parser = equipe::parse_base_url)]
        base_url: Option<String>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Keep running and rebuild on every change to the sources.
        #[arg(long)]
        watch: bool,
        /// Treat warnings (a link to a missing #anchor, a missing translation of a UI
        /// string...) as errors: the build fails with exit status 1 and the previous
        /// output stays as it was. For CI.
        #[arg(long)]
        strict: bool,
    },
    /// Serve the site on a local port, rebuilding and reloading the browser on every save.
    Serve {
        /// The site's root folder (where site.yaml is).
        #[arg(long, default_value = ".")]
        source: PathBuf,
        /// The port to listen on.
        #[arg(long, default_value_t = 4800)]
        port: u16,
        /// The address to listen on (loopback only unless you change it).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in a browser once it is served.
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Also answer requests for this host name (repeatable; `.name` allows its
        /// subdomains too). Loopback, IP addresses and localhost are always answered.
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
    },
    /// Check content, links and translations without writing anything.
    Check {
        /// The site's root folder (where site.yaml is).
        #[arg(long, default_value = ".")]
        source: PathBuf,
        /// Treat warnings (missing translations, unknown keys...) as errors.
        #[arg(long)]
        strict: bool,
        /// `human` (snippets and a translation table) or `json` (one object per line).
        #[arg(long, value_enum, default_value_t = check::Format::Human)]
        format: check::Format,
    },
    /// Show the translation status, or stamp translations as up to date with their source.
    Translations {
        /// The site's root folder (where site.yaml is).
        #[arg(long, default_value = ".")]
        source: PathBuf,
        /// Record in these translated files the hash of their default-language source.
        #[arg(long)]
        stamp: bool,
        /// With --stamp: every translation of the site.
        #[arg(long, requires = "stamp")]
        all: bool,
        /// Translated files to stamp.
        files: Vec<PathBuf>,
    },
    /// Start a new site in DIR, ready to build.
    Init {
        /// The folder to create the site in.
        dir: PathBuf,
        /// Languages of the site, the default one first.
        #[arg(long, default_value = "fr,en")]
        languages: String,
        /// Write into a folder that is not empty.
        #[arg(long)]
        force: bool,
        /// Also copy the default theme into DIR/themes/default/ to change it.
        #[arg(long)]
        theme_files: bool,
    },
    /// Add a role, an outside team or a page, one file per language.
    New {
        /// What to add.
        #[arg(value_enum)]
        kind: equipe::scaffold::NewKind,
        /// Its key: the file name without language and `.md` (`data-analyst`).
        key: String,
        /// The site's root folder (where site.yaml is).
        #[arg(long, default_value = ".")]
        source: PathBuf,
    },
}

pub(crate) fn main() -> ExitCode {
    report_panics_as_bugs();
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            source,
            output,
            base_url,
            drafts,
            watch,
            force,
            strict,
        } => {
            let output = if output.is_relative() {
                source.join(output)
            } else {
                output
            };
            let options = BuildOptions {
                source,
                output,
                base_url,
                drafts,
                fingerprint: true,
                force,
                strict,
            };
            if watch {
                watch::build_and_watch(&options)
            } else {
                crate::allocator::keep_freed_memory();
                build::run(&options)
            }
        }
        Command::Serve {
            source,
            port,
            bind,
            open,
            drafts,
            allow_host,
        } => serve::serve(&serve::ServeOptions {
            source,
            address: std::net::SocketAddr::new(bind, port),
            open,
            drafts,
            allowed_hosts: allow_host,
        }),
        Command::Check {
            source,
            strict,
            format,
        } => {
            crate::allocator::keep_freed_memory();
            check::run(&BuildOptions::new(source), strict, format)
        }
        Command::Translations {
            source,
            stamp,
            all,
            files,
        } => translations::run(&source, stamp, all, &files),
        Command::Init {
            dir,
            languages,
            force,
            theme_files,
        } => init::run(&dir, &languages, force, theme_files),
        Command::New { kind, key, source } => new::run(&source, kind, &key),
    }
}

/// Bad input never panics: every problem is a diagnostic. A panic is therefore a bug in
/// equipe, and the message says so and asks for a report, instead of a bare backtrace.
fn report_panics_as_bugs() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default(info);
        eprintln!(
            "\nThis is a bug in equipe, not a problem with your site. Please report it at the \
             project's issue tracker with the command you ran and, if you can, the file that \
             was being built. The previous output was left as it was."
        );
    }));
}

/// Prints the files `init` or `new` wrote, or why they wrote nothing.
fn report_written(
    result: Result<Vec<PathBuf>, equipe::diagnostics::Diagnostic>,
    site: Option<&std::path::Path>,
) -> ExitCode {
    use std::io::Write;
    match result {
        Ok(paths) => {
            let mut out = std::io::stdout().lock();
            for path in &paths {
                let _ = writeln!(out, "wrote {}", path.display());
            }
            if let Some(dir) = site {
                let _ = writeln!(
                    out,
                    "\nNext: cd {} && equipe serve   (or equipe build)",
                    dir.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            d.print();
            ExitCode::from(1)
        }
    }
}
