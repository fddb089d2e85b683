import { sharedSamplingThread } from '../endpoints/sampling-thread/sampling-thread';
import { runMaySample } from './commands/run-flags';

const argv = process.argv.slice(2);
// A run that samples starts its sampling thread first: the thread loads its script on
// another core while this one loads the CLI, and the first requests leave that much sooner.
// If it cannot start, the run says why when it opens its samplers.
if (runMaySample(argv)) {
  try {
    sharedSamplingThread().warm();
  } catch {
    // reported by the command
  }
}

// Ctrl-C stops new work at once; a second Ctrl-C exits without waiting.
const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('\nhsstar: interrupted, finishing requests in flight (Ctrl-C again to quit now)\n');
  controller.abort();
});

// Loaded after the thread was started (the bundle evaluates it only here).
import('./main')
  .then(({ main }) => main(argv, undefined, controller.signal))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`hsstar: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
