//! Progress: an indicatif bar on a terminal; otherwise silence until the one-line summary.

use std::time::Duration;

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// Counts shown in the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub compiled: usize,
    pub up_to_date: usize,
    pub failed: usize,
    pub removed: usize,
    pub bytes_in: u64,
    pub bytes_out: u64,
}

/// The live display of a build (a no-op when not on a terminal), and the inputs' reports
/// printed as soon as every input before them in walk order is done.
pub struct Progress {
    bar: Option<ProgressBar>,
    /// Reports go to stdout (JSON) rather than stderr (human).
    to_stdout: bool,
    /// The next input (walk order) whose report is due, and the reports of later inputs that
    /// finished first.
    order: Mutex<(usize, BTreeMap<usize, String>)>,
}

impl Progress {
    /// A bar over `total` files when `show` (stdout is a terminal and not `--quiet`).
    pub fn new(total: usize, show: bool, to_stdout: bool) -> Progress {
        let order = Mutex::new((0, BTreeMap::new()));
        if !show || total == 0 {
            return Progress {
                bar: None,
                to_stdout,
                order,
            };
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{bar:30.cyan/blue} {pos}/{len} files  {rate:.dim}  {wide_msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key(
            "rate",
            |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} files/s", state.per_sec());
            },
        )
        .progress_chars("=> ");
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(120));
        clear_line_on_interrupt(&bar);
        Progress {
            bar: Some(bar),
            to_stdout,
            order,
        }
    }

    /// Input `index` (walk order) is done with this `report` (may be empty): prints it, and
    /// the waiting reports after it, once every input before it is done.
    pub fn report(&self, index: usize, report: String) {
        let Ok(mut order) = self.order.lock() else {
            return;
        };
        let (next, waiting) = &mut *order;
        if index != *next {
            waiting.insert(index, report);
            return;
        }
        let mut text = report;
        *next += 1;
        while let Some(more) = waiting.remove(next) {
            text.push_str(&more);
            *next += 1;
        }
        if !text.is_empty() {
            self.print(text.as_bytes());
        }
    }

    /// Writes `text` above the bar (or where reports go when there is none).
    pub fn print(&self, text: &[u8]) {
        let write = || {
            let _ = if self.to_stdout {
                std::io::stdout().lock().write_all(text)
            } else {
                std::io::stderr().lock().write_all(text)
            };
        };
        match &self.bar {
            Some(b) => b.suspend(write),
            None => write(),
        }
    }

    /// A worker starts on `file` (its name is only spelled out for a bar).
    pub fn start(&self, file: &std::path::Path) {
        if let Some(b) = &self.bar {
            b.set_message(file.display().to_string());
        }
    }

    /// A worker finished one file.
    pub fn done(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// On SIGINT (Ctrl-C) while the bar is shown: the bar's line is cleared before the build
/// stops with status 130, so the shell prompt comes back on a clean line. The build is
/// stopped as abruptly as by the signal itself (which the outputs and state are made to
/// survive). Without a bar no handler is installed.
fn clear_line_on_interrupt(bar: &ProgressBar) {
    let bar = bar.clone();
    // Fails only when a handler is already set (a second bar in one process): then keep it.
    let _ = ctrlc::set_handler(move || {
        bar.finish_and_clear();
        let _ = std::io::stderr().write_all(b"\r\x1b[2K");
        std::process::exit(130);
    });
}

/// Groups digits by thousands: `1234567` -> `1,234,567`.
fn thousands(n: u64) -> String {
    let digits: Vec<char> = n.to_string().chars().collect();
    let groups: Vec<String> = digits
        .rchunks(3)
        .rev()
        .map(|g| g.iter().collect())
        .collect();
    groups.join(",")
}

/// `compiled N, up to date N, failed N; B bytes in -> B out; <place>; T s` (the time last,
/// where scripts look for it).
pub fn summary_line(t: &Totals, checking: bool, place: &str, elapsed: Duration) -> String {
    let verb = if checking { "checked" } else { "compiled" };
    let mut s = format!(
        "{verb} {}, up to date {}, failed {}",
        t.compiled, t.up_to_date, t.failed
    );
    if t.removed > 0 {
        s.push_str(&format!(", removed {}", t.removed));
    }
    s.push_str(&format!(
        "; {} bytes in -> {} out; {place}; {:.2}s",
        thousands(t.bytes_in),
        thousands(t.bytes_out),
        elapsed.as_secs_f64()
    ));
    s
}

/// `profile NAME, out DIR` for the summary; says so when the profile was the default one
/// (no `-p`, no `mpyc.toml`), and names no out dir under `--check`.
pub fn where_line(profile: &str, defaulted: bool, out_dir: Option<&std::path::Path>) -> String {
    let mut s = format!("profile {profile}");
    if defaulted {
        s.push_str(" (no -p and no mpyc.toml: the default)");
    }
    if let Some(o) = out_dir {
        s.push_str(&format!(", out {}", o.display()));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_reads_well() {
        let t = Totals {
            compiled: 3,
            up_to_date: 1,
            failed: 2,
            removed: 0,
            bytes_in: 1234567,
            bytes_out: 999,
        };
        assert_eq!(
            summary_line(
                &t,
                false,
                &where_line("esp32", false, Some(std::path::Path::new("out"))),
                Duration::from_millis(1500)
            ),
            "compiled 3, up to date 1, failed 2; 1,234,567 bytes in -> 999 out; \
             profile esp32, out out; 1.50s"
        );
    }
}
