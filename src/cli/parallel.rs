//! Ordered parallel work in bounded chunks: at most `chunk` items are in
//! memory at once, they are processed on all cores (rayon), and the results
//! reach the sink in input order.

use rayon::prelude::*;

pub fn ordered<T, R, E>(
    items: impl Iterator<Item = T>,
    chunk: usize,
    work: impl Fn(T) -> R + Sync,
    mut sink: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    R: Send,
{
    let mut items = items.peekable();
    let mut batch = Vec::with_capacity(chunk);
    while items.peek().is_some() {
        batch.extend(items.by_ref().take(chunk.max(1)));
        let results: Vec<R> = batch.par_drain(..).map(&work).collect();
        for result in results {
            sink(result)?;
        }
    }
    Ok(())
}
