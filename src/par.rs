//! Work split across the machine's cores, with results in input order, so that output
//! never depends on how the work was split.

/// Below this many items a single thread is faster than starting others.
const MIN_CHUNK: usize = 1024;

/// `f` applied to consecutive chunks of `items`, on up to one thread per core; the results
/// come back in the order of the chunks.
pub fn map_chunks<'a, T: Sync, R: Send>(items: &'a [T], f: impl Fn(&'a [T]) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(items.len() / MIN_CHUNK).max(1);
    if threads == 1 {
        return vec![f(items)];
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || f(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_input_order_however_split() {
        for n in [0, 1, MIN_CHUNK - 1, MIN_CHUNK * 2 + 1, MIN_CHUNK * 7 + 3] {
            let items: Vec<usize> = (0..n).collect();
            let out: Vec<usize> = map_chunks(&items, |part| part.to_vec())
                .into_iter()
                .flatten()
                .collect();
            assert_eq!(out, items);
        }
    }
}
