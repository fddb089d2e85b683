/**
 * The test server as its own process, so a benchmark measures only the client's CPU.
 * Prints one JSON line `{ "url", "v1" }`, then serves until stdin closes or SIGTERM.
 *
 *   node --import tsx test/support/test-server-main.ts '{"latencyMs":100,"capacity":256}'
 */
import { startTestServer, type TestServerOptions } from './test-server';

const options = JSON.parse(process.argv[2] ?? '{}') as TestServerOptions;
const server = await startTestServer({ record: 0, ...options });
process.stdout.write(`${JSON.stringify({ url: server.url, v1: server.v1 })}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
