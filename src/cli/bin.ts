import { main } from './main';

// Ctrl-C stops new work at once; a second Ctrl-C exits without waiting.
const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('\nhsstar: interrupted, finishing requests in flight (Ctrl-C again to quit now)\n');
  controller.abort();
});

main(process.argv.slice(2), undefined, controller.signal).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`hsstar: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
