//! Progress: an indicatif bar on a terminal; otherwise silence until the one-line summary.

use std::time::Duration;

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

/// The live display of a build (a no-op when not on a terminal).
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `total` files when `show` (stdout is a terminal and not `--quiet`).
    pub fn new(total: usize, show: bool) -> Progress {
        if !show || total == 0 {
            return Progress { bar: None };
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
        Progress { bar: Some(bar) }
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

/// `compiled N, up to date N, failed N; B bytes in -> B out; T s`.
pub fn summary_line(t: &Totals, checking: bool, elapsed: Duration) -> String {
    let verb = if checking { "checked" } else { "compiled" };
    let mut s = format!(
        "{verb} {}, up to date {}, failed {}",
        t.compiled, t.up_to_date, t.failed
    );
    if t.removed > 0 {
        s.push_str(&format!(", removed {}", t.removed));
    }
    s.push_str(&format!(
        "; {} bytes in -> {} out; {:.2}s",
        thousands(t.bytes_in),
        thousands(t.bytes_out),
        elapsed.as_secs_f64()
    ));
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
            summary_line(&t, false, Duration::from_millis(1500)),
            "compiled 3, up to date 1, failed 2; 1,234,567 bytes in -> 999 out; 1.50s"
        );
    }
}
