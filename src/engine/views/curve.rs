//! A loss curve pooled to the width of its chart.

/// (x, mean of the bucket) with at most `max` points, finite values only.
/// `values[i]` is the mean of steps i·step + 1 ..= (i + 1)·step (a trainer
/// pools its history in pairs past a length); x is the middle step of a bucket:
///
/// ```text
/// bucket b = values[b·k .. b·k + n_b],  k = ⌈len / max⌉
/// x_b = b·k·step + (n_b·step + 1) / 2,  y_b = mean of its finite values
/// ```
pub fn pool_curve(values: &[f64], max: usize, step: f64) -> Vec<(f64, f64)> {
    let size = values.len().div_ceil(max.max(1)).max(1);
    values
        .chunks(size)
        .enumerate()
        .filter_map(|(b, c)| {
            let finite: Vec<f64> = c.iter().copied().filter(|v| v.is_finite()).collect();
            (!finite.is_empty()).then(|| {
                let x = (b * size) as f64 * step + (c.len() as f64 * step + 1.0) / 2.0;
                (x, finite.iter().sum::<f64>() / finite.len() as f64)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::pool_curve;

    #[test]
    fn pooled_buckets_sit_at_their_middle_step() {
        // One value a step: four buckets of two, at steps 1.5, 3.5, …
        let v = [1.0, 3.0, 5.0, 7.0, 9.0, 11.0, 13.0, 15.0];
        assert_eq!(
            pool_curve(&v, 4, 1.0),
            vec![(1.5, 2.0), (3.5, 6.0), (5.5, 10.0), (7.5, 14.0)]
        );
        // Each value the mean of 4 steps (a pooled history): value i covers
        // steps 4i + 1 ..= 4i + 4, so the last bucket ends at step 32.
        let p = pool_curve(&v, 4, 4.0);
        assert_eq!(p[0], (4.5, 2.0));
        assert_eq!(p[3], (28.5, 14.0));
        // Non-finite values are left out of their bucket's mean.
        assert_eq!(pool_curve(&[f64::NAN, 2.0], 1, 1.0), vec![(1.5, 2.0)]);
    }
}
