/**
 * The product's time: what windows, schedules, grant expiry and run timestamps are judged by.
 * On AWS it is the system clock. The local runtime moves it (demos jump days ahead) through
 * `followProductClock`, without touching the global `Date`: protocol checks of real clients
 * (SigV4 dates, RequestTimeTooSkewed, TLS) and the emulators keep real time.
 */
type TimeSource = () => number;

const systemTime: TimeSource = () => Date.now();
let source: TimeSource = systemTime;

/** Now, in epoch milliseconds, on the product's clock. */
export function nowMs(): number {
  return source();
}

/** Now on the product's clock. */
export function now(): Date {
  return new Date(source());
}

/**
 * Makes the product's clock read `read` (epoch ms) until the returned undo is called. Only the
 * local runtime and tests call this; handlers read `now()`/`nowMs()` and never set it.
 */
export function followProductClock(read: TimeSource): () => void {
  const installed: TimeSource = () => read();
  source = installed;
  return () => {
    // Only undo our own source: another runtime in the same process may have installed its own since.
    if (source === installed) source = systemTime;
  };
}
