//! The random source: ChaCha8 from a `u64` seed, so a seed gives the same dataset on every
//! platform. Only integer draws are used (no floats), and every choice goes through these helpers.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration};

/// A seeded generator with the few draws the dataset needs.
#[derive(Clone, Debug)]
pub(crate) struct R(ChaCha8Rng);

impl R {
    /// The stream `stream` of `seed` (independent sequences for facilities and cases).
    pub(crate) fn new(seed: u64, stream: u64) -> R {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        R(rng)
    }

    /// Uniform in `0..n`; `n` must be positive.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        let n = u32::try_from(n).unwrap_or(u32::MAX).max(1);
        self.0.random_range(0..n) as usize
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u32, hi: u32) -> u32 {
        if hi <= lo { lo } else { self.0.random_range(lo..=hi) }
    }

    /// True with probability `percent`/100.
    pub(crate) fn chance(&mut self, percent: u32) -> bool {
        self.0.random_range(0..100u32) < percent
    }

    /// One element, uniformly; `xs` must not be empty.
    pub(crate) fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// One element by integer weight; `xs` must not be empty and not all weights zero.
    pub(crate) fn weighted<T: Copy>(&mut self, xs: &[(T, u32)]) -> T {
        let total: u32 = xs.iter().map(|(_, w)| *w).sum();
        let mut x = self.0.random_range(0..total.max(1));
        for (v, w) in xs {
            if x < *w {
                return *v;
            }
            x -= w;
        }
        xs[xs.len() - 1].0
    }

    /// `k` distinct elements of `xs` (all of them if `k` is larger), in draw order.
    pub(crate) fn sample<T: Copy + PartialEq>(&mut self, xs: &[T], k: usize) -> Vec<T> {
        let mut out: Vec<T> = Vec::with_capacity(k);
        while out.len() < k.min(xs.len()) {
            let x = self.pick(xs);
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    }

    /// A day in `lo..=hi`.
    pub(crate) fn day_between(&mut self, lo: Date, hi: Date) -> Date {
        let span = (hi - lo).whole_days().max(0);
        let offset = self.range(0, u32::try_from(span).unwrap_or(0));
        lo + Duration::days(i64::from(offset))
    }
}
