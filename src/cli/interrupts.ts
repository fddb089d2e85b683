/**
 * Two SIGINTs closer together than this are one interrupt. `timeout` and job controllers
 * signal a whole process group (`kill -INT -PGID`), and GNU `timeout` signals the child and
 * then its group, so one stop can reach node as two SIGINTs a few milliseconds apart; a
 * person who reads "Ctrl-C again to quit now" and presses again takes well over a second.
 * Both are counted when node's event loop handles them, so a loop held up for a while can
 * only merge two presses into one (the safe side: a third press quits).
 */
export const SAME_INTERRUPT_MS = 1000;

export interface Interrupts {
  /** The first Ctrl-C: no new work; requests in flight finish and are written. */
  stop: AbortSignal;
  /** A deliberate second Ctrl-C: requests on the wire are cut; replies already received are still written. */
  cut: AbortSignal;
  /** Stops new work without a word, as the first Ctrl-C does (the output's reader went away). */
  requestStop: () => void;
}

/**
 * Ctrl-C handling of the CLI process. The first SIGINT stops new work; a later one cuts
 * the requests on the wire, so the command writes what it received, releases the project
 * lock and exits; a third exits at once. A SIGINT within SAME_INTERRUPT_MS of the last one
 * that counted repeats it and is ignored.
 */
export function watchInterrupts(say: (line: string) => void, exitNow: () => void, now: () => number = Date.now): Interrupts {
  const stop = new AbortController();
  const cut = new AbortController();
  // Measured from the last SIGINT that counted, so pressing again and again still gets through.
  let counted = -Infinity;
  process.on('SIGINT', () => {
    const at = now();
    if (at - counted < SAME_INTERRUPT_MS) return;
    counted = at;
    if (!stop.signal.aborted) {
      say('\nhsstar: interrupted, finishing requests in flight (Ctrl-C again to quit now)');
      stop.abort();
    } else if (!cut.signal.aborted) {
      say('\nhsstar: quitting: requests on the wire are cut, replies already received are written (Ctrl-C again to exit at once)');
      cut.abort();
    } else {
      exitNow();
    }
  });
  return { stop: stop.signal, cut: cut.signal, requestStop: () => stop.abort() };
}
