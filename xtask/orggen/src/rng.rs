//! The one random source of the workspace's generators and its calendar: SplitMix64, small,
//! seedable and the same on every platform, so a seed names one request forever.

/// The random source of every generator in the workspace (SplitMix64).
pub struct Rng(u64);

impl Rng {
    /// The source whose sequence `seed` names.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; 0 when `n` is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// A number in `lo..=hi` (`lo <= hi`).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below(hi.abs_diff(lo) + 1) as i64
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items` (which must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Each of `items` with probability `percent`, in order.
    pub fn subset<T: Clone>(&mut self, items: &[T], percent: u64) -> Vec<T> {
        items.iter().filter(|_| self.chance(percent)).cloned().collect()
    }

    /// Puts `items` in a random order (Fisher–Yates, from the last item down).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

/// The date `days` after 2025-01-01 (negative: before), as `YYYY-MM-DD`; proleptic Gregorian.
pub fn date(days: i64) -> String {
    // civil_from_days (Howard Hinnant): 2025-01-01 is day 20,089 after 1970-01-01, and the
    // algorithm counts from 0000-03-01, 719,468 days before 1970-01-01.
    let z = days + 20_089 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::{date, Rng};

    #[test]
    fn the_sequence_of_a_seed_never_changes() {
        // SplitMix64's published first outputs for seed 0; the benchmarks' organisations rest on them.
        let mut rng = Rng::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn a_shuffle_keeps_every_item() {
        let mut items: Vec<u32> = (0..50).collect();
        Rng::new(3).shuffle(&mut items);
        assert_ne!(items, (0..50).collect::<Vec<_>>());
        items.sort_unstable();
        assert_eq!(items, (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn dates_are_calendar_correct() {
        assert_eq!(date(0), "2025-01-01");
        assert_eq!(date(-1), "2024-12-31");
        assert_eq!(date(31 + 28), "2025-03-01");
        assert_eq!(date(365 + 31 + 28), "2026-03-01");
        assert_eq!(date(365 * 3 + 31 + 28), "2028-02-29");
        assert_eq!(date(-366), "2024-01-01");
    }
}
