//! The parallel, ordered runner: hosts are analysed a chunk at a time on a
//! pool of worker threads, and each chunk's reports are handed over in host
//! order before the next chunk starts. Only one chunk of reports is held at
//! a time, so memory stays bounded however many hosts there are.

use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::rules::spec::Rule;
use crate::scan::{analyse_with, HostReport, HostSpec, Input};

/// How a batch is run.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Worker threads (default: one per core).
    pub jobs: Option<usize>,
    /// Hosts analysed before their reports are handed over (default: 32 per thread).
    pub chunk: Option<usize>,
}

/// Why a batch stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The worker threads could not be started.
    #[error("cannot start the worker threads: {0}")]
    Pool(#[from] rayon::ThreadPoolBuildError),
    /// Handing a report over failed (writing the output).
    #[error("{0}")]
    Emit(#[from] io::Error),
}

/// Analyses `hosts` in parallel and calls `emit` with each report in the
/// order of `hosts`. `progress` is called (from worker threads) as each host
/// is done. A host whose analysis panics is reported with an error on its
/// folder instead of stopping the batch. Stops at the first `emit` error.
pub fn run<P, E>(
    hosts: &[HostSpec],
    rules: &[Rule],
    opts: RunOptions,
    progress: P,
    mut emit: E,
) -> Result<(), RunError>
where
    P: Fn(&HostReport) + Sync,
    E: FnMut(HostReport) -> io::Result<()>,
{
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = opts.jobs {
        builder = builder.num_threads(jobs.max(1));
    }
    let pool = builder.build()?;
    let chunk = opts.chunk.unwrap_or(pool.current_num_threads() * 32).max(1);
    for specs in hosts.chunks(chunk) {
        let reports: Vec<HostReport> = pool.install(|| {
            specs
                .par_iter()
                .map(|spec| {
                    let report = analyse_guarded(spec, rules);
                    progress(&report);
                    report
                })
                .collect()
        });
        for report in reports {
            emit(report)?;
        }
    }
    Ok(())
}

/// `analyse_with`, with a panic turned into an error on the host's folder.
pub fn analyse_guarded(spec: &HostSpec, rules: &[Rule]) -> HostReport {
    match catch_unwind(AssertUnwindSafe(|| analyse_with(spec, rules))) {
        Ok(report) => report,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".to_string());
            failed_host(spec, &format!("analysis failed: {why}"))
        }
    }
}

/// A report for a host that could not be analysed at all.
fn failed_host(spec: &HostSpec, error: &str) -> HostReport {
    let path = spec.dirs.first().map_or(Path::new(""), PathBuf::as_path);
    HostReport {
        host: spec.name.clone(),
        computer_name: None,
        inputs: vec![Input::failed(path, 0, error)],
        os: None,
        findings: Vec::new(),
        occurrences: None,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn specs(n: usize, root: &std::path::Path) -> Vec<HostSpec> {
        (0..n)
            .map(|i| HostSpec {
                name: format!("h{i:03}"),
                dirs: vec![root.join(format!("h{i:03}"))],
                ..HostSpec::default()
            })
            .collect()
    }

    #[test]
    fn reports_come_in_host_order_whatever_the_chunking() {
        let dir = tempfile::tempdir().unwrap();
        let hosts = specs(23, dir.path());
        for (jobs, chunk) in [(1, 1), (2, 5), (2, 100), (3, 7)] {
            let done = AtomicUsize::new(0);
            let mut seen = Vec::new();
            let opts = RunOptions {
                jobs: Some(jobs),
                chunk: Some(chunk),
            };
            run(
                &hosts,
                crate::scan::builtin_rules(),
                opts,
                |_| {
                    done.fetch_add(1, Ordering::Relaxed);
                },
                |r| {
                    seen.push(r.host);
                    Ok(())
                },
            )
            .unwrap();
            let want: Vec<String> = hosts.iter().map(|h| h.name.clone()).collect();
            assert_eq!(seen, want);
            assert_eq!(done.load(Ordering::Relaxed), 23);
        }
    }

    #[test]
    fn an_emit_error_stops_the_batch() {
        let dir = tempfile::tempdir().unwrap();
        let hosts = specs(10, dir.path());
        let mut n = 0;
        let opts = RunOptions {
            jobs: Some(1),
            chunk: Some(2),
        };
        let r = run(
            &hosts,
            crate::scan::builtin_rules(),
            opts,
            |_| {},
            |_| {
                n += 1;
                if n == 3 {
                    Err(io::Error::other("disk full"))
                } else {
                    Ok(())
                }
            },
        );
        assert!(matches!(r, Err(RunError::Emit(_))));
        assert_eq!(n, 3);
    }

    #[test]
    fn a_missing_host_folder_is_an_error_on_that_host_only() {
        let dir = tempfile::tempdir().unwrap();
        let hosts = specs(1, dir.path());
        let mut got = Vec::new();
        run(
            &hosts,
            crate::scan::builtin_rules(),
            RunOptions::default(),
            |_| {},
            |r| {
                got.push(r);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].input_errors().count(), 1);
    }
}
