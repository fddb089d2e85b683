import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors';
import { DEMO_STEP_SCORES_NOTE, runDemo } from '../../pipeline/demo/run-demo';
import { progressView } from './progress-view';
import { stateLines } from './run-summary';
import { vscodeAdvice } from './vscode-advice';

const DEFAULT_DIR = '.hsstar-demo';

const isEmptyOrMissing = (dir: string) => !existsSync(dir) || readdirSync(dir).length === 0;

/** The default folder, or the next free `.hsstar-demo-N` when an earlier demo is there. */
function demoDir(cwd: string): string {
  for (let i = 1; ; i++) {
    const dir = resolve(cwd, i === 1 ? DEFAULT_DIR : `${DEFAULT_DIR}-${i}`);
    if (isEmptyOrMissing(dir)) return dir;
  }
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the whole pipeline offline on the bundled MATH problems and real responses',
  usage: `Usage: hsstar demo [DIR]

Creates a project in DIR (default ${DEFAULT_DIR}, or ${DEFAULT_DIR}-2, … when taken) for the
50 bundled MATH problems, starts a local replay server on 127.0.0.1 that answers with the
recorded real responses and reward scores, runs RDE, re-sampling and pairs through the
same HTTP clients as real use, and exports the DPO pairs. No network beyond 127.0.0.1.`,
  async run(argv, io, signal) {
    const { positionals: pos } = parseFlags(argv, {});
    if (pos.length > 1) positionals(pos, ['DIR']);
    const dir = pos[0] ? resolve(io.cwd, pos[0]) : demoDir(io.cwd);
    if (!isEmptyOrMissing(dir)) throw new UserError('is not empty; give the demo a new folder', dir);
    const started = Date.now();
    io.stdout.write(`HS-STaR demo: 50 MATH problems, 8 recorded responses each, replayed from 127.0.0.1\nproject: ${dir}\n`);
    const result = await runDemo(dir, io.env, { signal, onEvent: progressView(io) });
    for (const line of stateLines(result.state)) io.stdout.write(line + '\n');
    io.stdout.write(`step scores: ${DEMO_STEP_SCORES_NOTE}\n`);
    if (result.repeated > 0) {
      io.stdout.write(`replay: ${result.repeated} re-samples repeat a recorded response (a Boundary problem gets more than its 8 recorded ones); identical texts count once in pairs\n`);
    }
    if (!result.exported) {
      io.stdout.write(`stopped (${result.pipeline.status}); run \`hsstar run ${dir}\` to continue\n`);
      return result.pipeline.status === 'cancelled' ? 130 : 1;
    }
    io.stdout.write(`export: ${result.exported.file} (${result.exported.manifest.pairs} pairs, TRL conversational format)\n`);
    io.stdout.write(`manifest: ${result.exported.manifestFile}\n`);
    io.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n\n`);
    io.stdout.write(`${vscodeAdvice(dir)}\n`);
    io.stdout.write(`Or from here: hsstar status "${dir}", hsstar export "${dir}" --format llama-factory --out pairs.jsonl\n`);
    return 0;
  },
};
