//! Ctrl-C and SIGTERM while migrations run. Exiting at once would leave the server
//! running the statement (a backend does not notice its client has gone until it next
//! talks to it) and holding its locks. So while a runner is active the signal handler
//! sends PostgreSQL a cancel request for the running statement, repeating it until that
//! statement has returned; the runner then stops, rolls back what it can and says what
//! was and was not recorded. A second signal exits at once.

use postgres::{CancelToken, Client, NoTls};
use std::io::Write as _;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// The statements in flight, one per connection running migrations (a fleet rollout
/// runs several at once): each with its connection's cancel token and a number of its
/// own, so a late cancel never hits the next statement.
struct InFlight {
    next: u64,
    running: Vec<(u64, CancelToken)>,
}

static IN_FLIGHT: Mutex<InFlight> = Mutex::new(InFlight {
    next: 0,
    running: vec![],
});
static ACTIVE: AtomicBool = AtomicBool::new(false);
static SIGNALS: AtomicUsize = AtomicUsize::new(0);

/// While alive, Ctrl-C and SIGTERM cancel the running statement instead of exiting.
pub struct Guard(());

impl Guard {
    pub fn install() -> Guard {
        crate::pg::set_interrupt_hook(on_signal);
        ACTIVE.store(true, Ordering::SeqCst);
        Guard(())
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        ACTIVE.store(false, Ordering::SeqCst);
    }
}

/// Whether Ctrl-C or SIGTERM arrived.
pub fn interrupted() -> bool {
    crate::pg::interrupted()
}

/// Runs `f` (one statement on `client`) so that an interrupt cancels it on the server.
/// Returns None, without running it, when an interrupt came first.
pub fn cancellable<T>(client: &mut Client, f: impl FnOnce(&mut Client) -> T) -> Option<T> {
    let id = {
        let mut in_flight = IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner());
        if interrupted() {
            return None;
        }
        let id = in_flight.next;
        in_flight.next += 1;
        in_flight.running.push((id, client.cancel_token()));
        id
    };
    let result = f(client);
    IN_FLIGHT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .running
        .retain(|(i, _)| *i != id);
    Some(result)
}

/// The signal handler's hook: true when a runner takes charge of this interrupt.
fn on_signal() -> bool {
    let earlier = SIGNALS.fetch_add(1, Ordering::SeqCst);
    if !ACTIVE.load(Ordering::SeqCst) || earlier > 0 {
        if earlier > 0 {
            let _ = std::io::stderr().write_all(b"interrupted again: exiting now\n");
        }
        return false;
    }
    let _ = std::io::stderr()
        .write_all(b"interrupted: asking the server to cancel the running statements...\n");
    // The statements running now; none starts after this (`cancellable` checks).
    let ids: Vec<u64> = IN_FLIGHT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .running
        .iter()
        .map(|(i, _)| *i)
        .collect();
    // A cancel request that reaches the server before the statement does is ignored:
    // repeat it until each of those statements has returned.
    std::thread::spawn(move || loop {
        let tokens: Vec<CancelToken> = {
            let in_flight = IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner());
            in_flight
                .running
                .iter()
                .filter(|(i, _)| ids.contains(i))
                .map(|(_, t)| t.clone())
                .collect()
        };
        if tokens.is_empty() {
            return;
        }
        for token in tokens {
            let _ = token.cancel_query(NoTls);
        }
        std::thread::sleep(Duration::from_millis(300));
    });
    true
}
