//! A progress bar on stderr, drawn only when stderr is a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use std::sync::Mutex;
use std::time::Instant;

pub struct Bar {
    bar: Option<ProgressBar>,
    /// With `--timings`: the stage running and when it started.
    timing: Option<Mutex<Option<(String, Instant)>>>,
}

impl Bar {
    pub fn new(enabled: bool) -> Bar {
        Bar {
            timing: None,
            bar: enabled.then(|| {
                let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                b.set_style(bar());
                b
            }),
        }
    }

    /// Also prints each stage's wall time to stderr when it ends.
    pub fn with_timings(mut self, on: bool) -> Bar {
        self.timing = on.then(|| Mutex::new(None));
        self
    }
}

impl pipeline::Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        if let Some(t) = &self.timing {
            *t.lock().unwrap_or_else(|e| e.into_inner()) = Some((name.to_string(), Instant::now()));
        }
        if let Some(b) = &self.bar {
            b.reset();
            // A stage of unknown length (one transaction, a whole-store load) spins with its
            // elapsed time instead of drawing an empty bar.
            b.set_style(if total == 0 { spinner() } else { bar() });
            if total == 0 {
                b.enable_steady_tick(std::time::Duration::from_millis(120));
            } else {
                b.disable_steady_tick();
            }
            b.set_length(total);
            b.set_message(name.to_string());
        }
    }
    fn advance(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
        }
    }
    fn finish(&self) {
        if let Some(t) = &self.timing
            && let Some((name, start)) = t.lock().unwrap_or_else(|e| e.into_inner()).take()
        {
            eprintln!(
                "crosscheck: {name:>8} {:.3} s",
                start.elapsed().as_secs_f64()
            );
        }
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// A stage of known length: a bar with counts and the rate.
fn bar() -> ProgressStyle {
    ProgressStyle::with_template("{msg:>8} [{bar:30}] {pos}/{len} {rate}")
        .expect("progress template")
        .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}", per_second(s.per_sec()));
        })
        .progress_chars("=> ")
}

/// A stage of unknown length: a spinner and the time so far.
fn spinner() -> ProgressStyle {
    ProgressStyle::with_template("{msg:>8} {spinner} {elapsed}").expect("progress template")
}

/// A rate as people read it: whole units with thousands separators ("10,048/s").
fn per_second(rate: f64) -> String {
    if !rate.is_finite() || rate < 0.0 {
        return String::new();
    }
    let digits = format!("{:.0}", rate);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out + "/s"
}

#[cfg(test)]
mod tests {
    #[test]
    fn rates_are_rounded_with_separators() {
        assert_eq!(super::per_second(10_047.695_9), "10,048/s");
        assert_eq!(super::per_second(999.4), "999/s");
        assert_eq!(super::per_second(1_234_567.0), "1,234,567/s");
        assert_eq!(super::per_second(f64::NAN), "");
    }
}
