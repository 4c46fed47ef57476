//! The progress bar on stderr: phase, epoch, loss and ETA.

use std::time::Duration;

use deepclust::train::{Phase, StepStats};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

const SCALE: u64 = 1000;

pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    pub fn new(quiet: bool, method: &str) -> Self {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::with_draw_target(Some(SCALE), ProgressDrawTarget::stderr())
        };
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix:.bold} [{bar:30.cyan/blue}] {percent:>3}% {msg}  {elapsed} (ETA {eta})",
            )
            .expect("the template is valid")
            .progress_chars("=> "),
        );
        bar.set_prefix(method.to_string());
        bar.enable_steady_tick(Duration::from_millis(250));
        Self { bar }
    }

    pub fn update(&self, s: &StepStats) {
        self.bar
            .set_position((s.progress.clamp(0.0, 1.0) * SCALE as f32) as u64);
        let loss = if s.loss.is_finite() {
            format!("  loss {:.5}", s.loss)
        } else {
            String::new()
        };
        let changed = s
            .changed
            .filter(|_| s.phase == Phase::Refine)
            .map(|c| format!("  changed {:.2}%", c * 100.0))
            .unwrap_or_default();
        let what = match s.phase {
            Phase::Pretrain | Phase::Refine => {
                format!("{} epoch {}/{}", s.phase.name(), s.epoch, s.epochs)
            }
            Phase::Init => "initialising clusters".to_string(),
            Phase::Done => "done".to_string(),
        };
        self.bar.set_message(format!("{what}{loss}{changed}"));
    }

    pub fn finish(&self, seconds: f64) {
        self.bar.finish_and_clear();
        if !self.bar.is_hidden() {
            eprintln!("deepclust: trained in {seconds:.1} s");
        }
    }
}
