//! A progress bar on stderr, drawn only when stderr is a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    pub fn new(enabled: bool) -> Bar {
        Bar {
            bar: enabled.then(|| {
                let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                b.set_style(
                    ProgressStyle::with_template("{msg:>8} [{bar:30}] {pos}/{len} {per_sec}")
                        .expect("progress template")
                        .progress_chars("=> "),
                );
                b
            }),
        }
    }
}

impl pipeline::Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        if let Some(b) = &self.bar {
            b.reset();
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
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
