// Logging helpers for the service's own messages (they go to a `log(message)` function).

/** A log that says a recurring thing at most once per `ms`: an outage must not flood it. */
export function throttled(log: (message: string) => void, ms = 60_000): (message: string) => void {
  let last = -Infinity;
  return (message) => {
    const now = Date.now();
    if (now - last < ms) return;
    last = now;
    log(message);
  };
}
