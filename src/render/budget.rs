//! A time budget for each template run: Tera 2 has no step limit, and a theme's loops or
//! self-calling components can run for hours.
//!
//! Three lines of defence, cheapest first:
//! - `range` is replaced by one that makes at most [`MAX_RANGE_PER_RUN`] numbers per run
//!   (nested `range(end=100000)` loops fail at once) and checks the clock on every call;
//! - the output is written through [`BudgetWriter`], which checks the clock every few
//!   writes, so that any template that keeps writing stops at its deadline with an error;
//! - for the command line, [`exit_when_stuck`] starts a watchdog thread that reports a run
//!   past its deadline and ends the process with status 1 (a run that writes nothing and
//!   calls no function, such as a component computing into a variable, is caught only there;
//!   a library caller's thread stays in such a run, and the watchdog is not started for it).

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tera::Kwargs;

/// Most numbers `range` makes in one template run, all calls together.
pub const MAX_RANGE_PER_RUN: u64 = 1_000_000;

/// Writes between two looks at the clock.
const WRITES_PER_CHECK: u32 = 64;

/// What the template run on this thread may still use.
#[derive(Clone, Copy)]
struct Allowance {
    deadline: Instant,
    range_left: u64,
}

thread_local! {
    static ALLOWANCE: Cell<Option<Allowance>> = const { Cell::new(None) };
    /// The page being rendered on this thread, for messages.
    static PAGE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs `render` for the page at `path` (named in the messages of runs out of time).
pub fn on_page<T>(path: &str, render: impl FnOnce() -> T) -> T {
    PAGE.with(|p| {
        let mut page = p.borrow_mut();
        page.clear();
        page.push_str(path);
    });
    let result = render();
    PAGE.with(|p| p.borrow_mut().clear());
    result
}

/// The page being rendered on this thread (empty when not known).
pub fn current_page() -> String {
    PAGE.with(|p| p.borrow().clone())
}

/// Runs `render` as a template run with `budget`, named `template` (on the page of
/// [`on_page`]) for the watchdog. The run's own checks ([`BudgetWriter`], `range`) see the deadline through a
/// thread-local value, set here and cleared after.
pub fn run<T>(budget: Duration, template: &str, render: impl FnOnce() -> T) -> T {
    let deadline = Instant::now() + budget;
    let outer = ALLOWANCE.with(|a| {
        a.replace(Some(Allowance {
            deadline,
            range_left: MAX_RANGE_PER_RUN,
        }))
    });
    let watched = Watched::start(deadline, budget, template);
    let result = render();
    drop(watched);
    // A run inside a run (an include rendered on its own) gives the outer one back.
    ALLOWANCE.with(|a| a.set(outer));
    result
}

/// True when the run on this thread is past its deadline.
fn past_deadline() -> bool {
    ALLOWANCE.with(|a| a.get().is_some_and(|a| Instant::now() >= a.deadline))
}

/// The error a run past its deadline stops with (the renderer names template and page).
pub const OUT_OF_TIME: &str = "framewright: the template ran past its time budget";

/// A writer into memory that fails once the run is past its deadline.
pub struct BudgetWriter {
    /// What was written.
    pub bytes: Vec<u8>,
    writes: u32,
}

impl BudgetWriter {
    /// An empty writer.
    pub fn new() -> BudgetWriter {
        BudgetWriter {
            bytes: Vec::with_capacity(16 * 1024),
            writes: 0,
        }
    }
}

impl Default for BudgetWriter {
    fn default() -> Self {
        BudgetWriter::new()
    }
}

impl std::io::Write for BudgetWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writes += 1;
        if self.writes % WRITES_PER_CHECK == 0 && past_deadline() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                OUT_OF_TIME,
            ));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Tera's `range(end, start=0, step_by=1)`, within the run's allowance of numbers and time.
pub fn range(kwargs: Kwargs, _: &tera::State) -> tera::TeraResult<Vec<i128>> {
    let fail = |message: String| Err(tera::Error::message(message));
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step == 0 {
        return fail("`range` was called with `step_by` 0".into());
    }
    if past_deadline() {
        return fail(OUT_OF_TIME.into());
    }
    let span = if step > 0 {
        end.saturating_sub(start)
    } else {
        start.saturating_sub(end)
    };
    let len = (span.max(0) as u128).div_ceil(step.unsigned_abs());
    let left = ALLOWANCE.with(|a| a.get().map_or(MAX_RANGE_PER_RUN, |a| a.range_left));
    if len > u128::from(left) {
        return fail(format!(
            "`range` would make {len} more numbers, past the {MAX_RANGE_PER_RUN} one page may make"
        ));
    }
    let len = len as u64;
    ALLOWANCE.with(|a| {
        if let Some(mut allowance) = a.get() {
            allowance.range_left -= len;
            a.set(Some(allowance));
        }
    });
    Ok((0..len as i128).map(|i| start + i * step).collect())
}

/// Whether runs are watched (the command line only).
static WATCHING: AtomicBool = AtomicBool::new(false);

/// A thread's run being watched (`deadline` None between runs).
#[derive(Default)]
struct Running {
    deadline: Option<Instant>,
    budget: Duration,
    template: String,
    page: String,
}

/// Every rendering thread's slot, for the watchdog to look at.
static SLOTS: Mutex<Vec<Arc<Mutex<Running>>>> = Mutex::new(Vec::new());

thread_local! {
    /// This thread's slot: registered once, then reused by every run (no allocation, and
    /// only this thread and, four times a second, the watchdog take its lock).
    static SLOT: Arc<Mutex<Running>> = {
        let slot = Arc::new(Mutex::new(Running::default()));
        SLOTS.lock().unwrap_or_else(|e| e.into_inner()).push(Arc::clone(&slot));
        slot
    };
}

/// A run's entry in the watchdog's list, cleared when dropped.
struct Watched(bool);

impl Watched {
    fn start(deadline: Instant, budget: Duration, template: &str) -> Watched {
        if !WATCHING.load(Ordering::Relaxed) {
            return Watched(false);
        }
        SLOT.with(|slot| {
            let mut running = slot.lock().unwrap_or_else(|e| e.into_inner());
            running.deadline = Some(deadline);
            running.budget = budget;
            running.template.clear();
            running.template.push_str(template);
            running.page.clear();
            PAGE.with(|page| running.page.push_str(&page.borrow()));
        });
        Watched(true)
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        if self.0 {
            SLOT.with(|slot| slot.lock().unwrap_or_else(|e| e.into_inner()).deadline = None);
        }
    }
}

/// For a program that ends after one run (the command line): starts a thread that, when a
/// template run is a second past its deadline without having stopped itself, prints what
/// ran and ends the process with status 1. `report` prints the message.
pub fn exit_when_stuck(report: fn(&str)) {
    if WATCHING.swap(true, Ordering::Relaxed) {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("render-watchdog".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_millis(250));
            let grace = Duration::from_secs(1);
            let slots = SLOTS.lock().unwrap_or_else(|e| e.into_inner());
            for slot in slots.iter() {
                let running = slot.lock().unwrap_or_else(|e| e.into_inner());
                if running
                    .deadline
                    .is_some_and(|deadline| Instant::now() >= deadline + grace)
                {
                    report(&out_of_time_message(
                        &running.template,
                        &running.page,
                        running.budget,
                    ));
                    std::process::exit(1);
                }
            }
        });
}

/// The message for a run out of time.
pub fn out_of_time_message(template: &str, page: &str, budget: Duration) -> String {
    let page = if page.is_empty() {
        String::new()
    } else {
        format!(" rendering `{page}`")
    };
    format!(
        "template `{template}` ran longer than {} s{page}",
        budget.as_secs_f64()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn range_counts_numbers_across_calls_of_one_run() {
        let make = |end: i64| {
            let mut context = tera::Context::new();
            context.insert("end", &end);
            context
        };
        let mut tera = tera::Tera::new();
        tera.register_function("range", range);
        tera.add_raw_template(
            "t",
            "{% for i in range(end=end) %}{% for j in range(end=end) %}{% endfor %}{% endfor %}ok",
        )
        .unwrap();
        let small = run(Duration::from_secs(10), "t", || {
            tera.render("t", &make(100))
        });
        assert_eq!(small.unwrap(), "ok");
        let large = run(Duration::from_secs(10), "t", || {
            tera.render("t", &make(100_000))
        });
        let err = format!("{:?}", large.unwrap_err());
        assert!(err.contains("past the 1000000"), "{err}");
        assert_eq!(
            run(Duration::from_secs(1), "t", || {
                tera.render_str(
                    "{{ range(end=5, start=1, step_by=2) }}",
                    &tera::Context::new(),
                    false,
                )
            })
            .unwrap(),
            "[1, 3]"
        );
    }

    #[test]
    fn the_writer_stops_past_the_deadline() {
        let result = run(Duration::ZERO, "t", || {
            let mut writer = BudgetWriter::new();
            (0..1000).try_for_each(|_| writer.write_all(b"x"))
        });
        assert_eq!(result.unwrap_err().kind(), std::io::ErrorKind::TimedOut);
        let mut writer = BudgetWriter::new();
        (0..1000).for_each(|_| writer.write_all(b"x").unwrap());
        assert_eq!(writer.bytes.len(), 1000);
    }
}
