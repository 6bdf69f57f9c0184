//! Ordered parallel work with bounded memory: one worker thread per core (as
//! many as `std::thread::available_parallelism`: `taskset` limits them) takes
//! items as they come, and the results reach the sink in input order. At most
//! `window` items are read and not yet sunk, so memory stays bounded however
//! long the input. Reading and sinking both run on the calling thread, between
//! waits for results.
//!
//! Items flow one by one rather than in chunks cleaned in lock step, so no core
//! waits at a chunk's end for its longest record; on 50 MB, `--jsonl` on 2 cores
//! ran at 1.70-1.74x the 1-core rate either way (`scripts/bench.sh`; README).

use std::collections::BTreeMap;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Mutex};

pub fn ordered<T, R, E>(
    items: impl Iterator<Item = T>,
    window: usize,
    work: impl Fn(T) -> R + Sync,
    mut sink: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    R: Send,
{
    let window = window.max(1);
    let mut items = items.fuse();
    let (work_sender, work_receiver) = mpsc::channel::<(usize, T)>();
    let work_receiver = Mutex::new(work_receiver);
    let (done_sender, done_receiver) = mpsc::channel();
    let work = &work;
    std::thread::scope(|scope| {
        let workers = std::thread::available_parallelism().map_or(1, usize::from);
        for _ in 0..workers {
            let done_sender = done_sender.clone();
            let work_receiver = &work_receiver;
            scope.spawn(move || loop {
                let job = match work_receiver.lock() {
                    Ok(receiver) => receiver.recv(),
                    Err(_) => return,
                };
                let Ok((index, item)) = job else { return };
                let result = catch_unwind(AssertUnwindSafe(|| work(item)));
                if done_sender.send((index, result)).is_err() {
                    return;
                }
            });
        }
        drop(done_sender);
        let mut read = 0;
        let mut sunk = 0;
        let mut waiting = BTreeMap::new();
        let outcome = 'run: loop {
            while read - sunk < window {
                let Some(item) = items.next() else { break };
                if work_sender.send((read, item)).is_err() {
                    break;
                }
                read += 1;
            }
            if sunk == read {
                break Ok(());
            }
            let Ok((index, result)) = done_receiver.recv() else {
                break Ok(());
            };
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&sunk) {
                sunk += 1;
                match result {
                    Ok(result) => {
                        if let Err(error) = sink(result) {
                            break 'run Err(error);
                        }
                    }
                    Err(panic) => resume_unwind(panic),
                }
            }
        };
        // Workers stop once the items already sent are done.
        drop(work_sender);
        outcome
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_in_input_order_whatever_the_window() {
        for window in [1, 3, 7, 100] {
            let mut seen = Vec::new();
            let result: Result<(), ()> = ordered(
                0..50,
                window,
                |n| {
                    // Later items finish first: the order comes from the sink side.
                    std::thread::sleep(std::time::Duration::from_micros(50 - n));
                    n * 2
                },
                |r| {
                    seen.push(r);
                    Ok(())
                },
            );
            assert_eq!(result, Ok(()));
            assert_eq!(
                seen,
                (0..50).map(|n| n * 2).collect::<Vec<_>>(),
                "window {window}"
            );
        }
    }

    #[test]
    fn the_first_sink_error_stops_the_work() {
        let mut seen = Vec::new();
        let result = ordered(
            0..50,
            4,
            |n| n,
            |r| {
                if r == 9 {
                    return Err(r);
                }
                seen.push(r);
                Ok(())
            },
        );
        assert_eq!(result, Err(9));
        assert_eq!(seen, (0..9).collect::<Vec<_>>());
    }
}
