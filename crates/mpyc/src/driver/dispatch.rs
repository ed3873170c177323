//! Dispatch: walk the roots and hand each input, numbered in walk order, to a pool of workers
//! (each input on one worker, see [`super::job`]), under make's jobserver when there is one;
//! then collect what they did in walk order.

use std::collections::hash_map::Entry as Slot;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::Mutex;

use super::cli::BuildArgs;
use super::job::{lossy, Done, Job, Kind};
use super::jobserver::Jobserver;
use super::progress::{Progress, Totals};
use super::run::{Fatal, Plan};
use super::walk::{self, Input, InputKind, Root};

/// One input on its way to a worker.
struct Item {
    /// Its place in walk order (outputs, state and diagnostics follow that order).
    index: usize,
    input: Input,
    /// The earlier input that makes the same output, as the build spells it.
    clash_with: Option<String>,
}

/// Numbers the inputs in walk order and finds those whose output an earlier input makes.
struct Feeder<'a> {
    roots: &'a [Root],
    /// Output path -> the root and kind of the first input that makes it.
    owners: HashMap<Vec<u8>, (usize, InputKind)>,
    next: usize,
}

impl Feeder<'_> {
    fn item(&mut self, input: Input) -> Item {
        let index = self.next;
        self.next += 1;
        let clash_with = match self.owners.entry(input.out_rel()) {
            Slot::Occupied(o) => {
                let (root, kind) = *o.get();
                // The owner's path below its root, from the output path they share.
                let out_rel = o.key();
                let rel = match kind {
                    InputKind::Py => {
                        let mut r = out_rel[..out_rel.len().saturating_sub(4)].to_vec();
                        r.extend_from_slice(b".py");
                        r
                    }
                    InputKind::Mpy => out_rel.clone(),
                };
                Some(lossy(&self.roots[root].input_path(&rel)))
            }
            Slot::Vacant(v) => {
                v.insert((input.root, input.kind));
                None
            }
        };
        Item {
            index,
            input,
            clash_with,
        }
    }
}

/// The inputs on their way to the workers, in walk order.
struct Queue {
    rx: Mutex<Receiver<Item>>,
    /// Set once a worker found the queue empty with the walk over: no more inputs will come.
    finished: AtomicBool,
}

impl Queue {
    /// The next input, waiting for the walk to find one; `None` once there are no more.
    fn take(&self) -> Option<Item> {
        let next = self.rx.lock().ok().and_then(|rx| rx.recv().ok());
        if next.is_none() {
            self.finished.store(true, Ordering::Release);
        }
        next
    }

    /// The next input if one is ready now: `Err(true)` once there are no more, `Err(false)`
    /// when none is ready yet (or another worker is waiting for one).
    fn try_take(&self) -> Result<Item, bool> {
        let Ok(rx) = self.rx.try_lock() else {
            return Err(false);
        };
        match rx.try_recv() {
            Ok(item) => Ok(item),
            Err(mpsc::TryRecvError::Empty) => Err(false),
            Err(mpsc::TryRecvError::Disconnected) => {
                self.finished.store(true, Ordering::Release);
                Err(true)
            }
        }
    }
}

/// A worker: takes inputs in walk order until there are none, and returns what it did with
/// their walk-order numbers. It keeps one read buffer and one compile context for all its
/// inputs. Taking one input at a time keeps both cores busy to the end (no
/// share of the tree is tied to one worker while the other idles). Under make's jobserver only
/// the worker on the process's implicit slot (`implicit`) runs without a token; each other one
/// takes a token first, then an input if one is ready (else gives the token straight back), and
/// returns the token as soon as that input is done.
fn worker(
    job: &Job,
    queue: &Queue,
    abort: &AtomicBool,
    progress: &Progress,
    jobserver: Option<&Jobserver>,
    implicit: bool,
) -> Vec<(usize, Done)> {
    let mut buf = Vec::new();
    let mut ctx = compiler::CompileContext::new();
    let mut out = Vec::new();
    let jobserver = jobserver.filter(|_| !implicit);
    loop {
        let (item, _token) = match jobserver {
            None => match queue.take() {
                Some(item) => (item, None),
                None => break,
            },
            Some(js) => {
                let Some(token) = js.acquire_until(|| queue.finished.load(Ordering::Acquire))
                else {
                    break;
                };
                match queue.try_take() {
                    Ok(item) => (item, Some(token)),
                    Err(true) => break,
                    Err(false) => {
                        drop(token);
                        std::thread::sleep(std::time::Duration::from_millis(1));
                        continue;
                    }
                }
            }
        };
        if abort.load(Ordering::Relaxed) {
            progress.report(item.index, String::new());
            continue;
        }
        progress.start(&item.input.file);
        let mut done = job.run(item.input, item.clash_with.as_deref(), &mut buf, &mut ctx);
        progress.report(item.index, std::mem::take(&mut done.diag));
        out.push((item.index, done));
        progress.done();
    }
    out
}

/// More threads than this only cost memory.
const MAX_THREADS: usize = 256;

pub fn thread_count(args: &BuildArgs) -> usize {
    // The cores are only counted when needed (it reads the cgroup's CPU quota from /proc).
    args.jobs
        .filter(|&n| n > 0)
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .min(MAX_THREADS)
}

/// What the workers did, per worker, and what the walk met.
pub struct Dispatched {
    per_worker: Vec<Vec<(usize, Done)>>,
    /// How many inputs the walk found.
    count: usize,
    pub walked: walk::Walked,
}

/// Walks the roots and runs `job` on every input, on `threads` workers. With `stream` the
/// inputs go to the workers while the walk goes on; else the walk comes first (a progress bar
/// wants its total).
pub fn dispatch(
    plan: &Plan,
    job: &Job,
    args: &BuildArgs,
    out_canon: Option<&std::path::Path>,
    stream: bool,
    show_bar: bool,
) -> Result<Dispatched, Fatal> {
    let threads = thread_count(args);
    let jobserver = Jobserver::from_env();
    let mut feeder = Feeder {
        roots: &plan.roots,
        owners: HashMap::new(),
        next: 0,
    };
    let mut pending = Vec::new();
    let mut walked_all = walk::Walked::default();
    if !stream {
        walked_all = walk::walk_into(&plan.roots, &plan.excludes, out_canon, |input| {
            pending.push(feeder.item(input))
        })
        .map_err(Fatal::Build)?;
    }
    let json = args.message_format == super::cli::MessageFormat::Json;
    let progress = Progress::new(pending.len(), show_bar, json);
    let (tx, rx) = mpsc::channel::<Item>();
    let queue = Queue {
        rx: Mutex::new(rx),
        finished: AtomicBool::new(false),
    };
    let abort = AtomicBool::new(false);
    // The workers: a rayon pool of `threads` threads, each running one long job that takes
    // inputs from the queue (one at a time, so both cores stay busy to the end), while this
    // thread walks and feeds them.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        // As deep as the main thread's stack at least: compiling deeply nested code recurses.
        .stack_size(16 << 20)
        .build()
        .map_err(|e| Fatal::Build(format!("cannot start worker threads: {e}")))?;
    let finished: Mutex<Vec<Vec<(usize, Done)>>> = Mutex::new(Vec::with_capacity(threads));
    let walked = pool.in_place_scope(|s| {
        for w in 0..threads {
            let (queue, abort, progress, finished) = (&queue, &abort, &progress, &finished);
            let jobserver = jobserver.as_ref();
            s.spawn(move |_| {
                let done = worker(job, queue, abort, progress, jobserver, w == 0);
                if let Ok(mut f) = finished.lock() {
                    f.push(done);
                }
            });
        }
        let walked = if stream {
            walk::walk_into(&plan.roots, &plan.excludes, out_canon, |input| {
                let _ = tx.send(feeder.item(input));
            })
            .map(|w| walked_all = w)
        } else {
            for item in pending {
                let _ = tx.send(item);
            }
            Ok(())
        };
        if walked.is_err() {
            abort.store(true, Ordering::Relaxed);
        }
        drop(tx);
        walked
    });
    let per_worker = finished
        .into_inner()
        .map_err(|_| Fatal::Build("internal error: a build worker failed".into()))?;
    walked.map_err(Fatal::Build)?;
    progress.finish();
    Ok(Dispatched {
        per_worker,
        count: feeder.next,
        walked: walked_all,
    })
}

impl Dispatched {
    /// Every input's record in walk order (by reference: they stay where the workers made
    /// them), and the totals for the summary.
    pub fn collect(&self) -> (Vec<&Done>, Totals) {
        let mut slots: Vec<Option<&Done>> = vec![None; self.count];
        for (index, done) in self.per_worker.iter().flatten() {
            if let Some(slot) = slots.get_mut(*index) {
                *slot = Some(done);
            }
        }
        let dones: Vec<&Done> = slots.into_iter().flatten().collect();
        let mut totals = Totals::default();
        for d in &dones {
            match d.kind {
                Kind::Built => {
                    totals.compiled += 1;
                    totals.bytes_in += d.bytes_in;
                    totals.bytes_out += d.bytes_out;
                }
                Kind::UpToDate => {
                    totals.up_to_date += 1;
                    totals.bytes_in += d.bytes_in;
                    totals.bytes_out += d.bytes_out;
                }
                Kind::Failed => totals.failed += 1,
            }
        }
        (dones, totals)
    }
}
