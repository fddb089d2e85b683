import { sharedSamplingThread } from '../endpoints/sampling-thread/sampling-thread';
import { runMaySample } from './commands/run-flags';
import { watchInterrupts } from './interrupts';
import { watchOutput } from './closed-output';

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

// Ctrl-C stops new work; a deliberate second one cuts requests on the wire (what was
// received is written, the lock released); a third exits at once.
const interrupts = watchInterrupts(
  (line) => process.stderr.write(`${line}\n`),
  () => process.exit(130),
);
// A closed output pipe (`| head -1`) stops the command quietly, as a Ctrl-C would; its
// status is set as the process exits, since the pipe's error may come after the last write.
const output = watchOutput(interrupts.requestStop);
process.on('exit', () => {
  process.exitCode = output.exitCode() ?? process.exitCode;
});

// Loaded after the thread was started (the bundle evaluates it only here).
import('./main')
  .then(({ main }) => main(argv, undefined, interrupts.stop, interrupts.cut))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`hsstar: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
