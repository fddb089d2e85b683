import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors';
import { ProjectStore } from '../../store/project';
import { createClients } from '../../pipeline/clients';
import { stateOf } from '../../pipeline/derive-from-store';
import { planSummary } from '../../pipeline/plan-summary';
import { runPipeline, type StageChoice } from '../../pipeline/run-pipeline';
import { progressView } from './progress-view';
import { planLines, stateLines } from './run-summary';
import { vscodeAdvice } from './vscode-advice';
import { runFlags } from './run-flags';


const STAGES: StageChoice[] = ['rde', 'resample', 'pairs', 'all'];

export const runCommand: Command = {
  name: 'run',
  summary: 'run the HS-STaR pipeline on a project folder (continues where it stopped)',
  usage: `Usage: hsstar run DIR [--stage rde|resample|pairs|all] [--dry-run] [--request-timeout S]

Stage 1 (rde) buys n_p pre-samples per problem, grades them and scores their steps with
the PRM; stage 2 (resample) gives the rest of the budget to the Boundary problems; stage 3
(pairs) builds the DPO pairs (derived from the logs, nothing to buy). Only missing
responses and scores are requested, so Ctrl-C and running again continues. Ctrl-C lets
the requests in flight finish and be written (a second SIGINT within a second is the same
one); Ctrl-C again later cuts them, writes what was received and exits (exit code 130).

Options:
  --stage S     rde, resample, pairs or all (default all)
  --dry-run     print the plan (labels, responses per Boundary problem, estimated
                tokens and cost) without sending any request
  --request-timeout S   give up on a request (then retry it) after S seconds
                (default 300), so a server that stops answering cannot stall the run`,
  async run(argv, io, signal, cut) {
    const { values, positionals: pos } = parseFlags(argv, runFlags);
    const [dirArg] = positionals(pos, ['DIR']);
    const stage = values.stage as StageChoice;
    if (!STAGES.includes(stage)) throw new UsageError(`--stage must be one of ${STAGES.join(', ')}`);
    const timeoutArg = values['request-timeout'];
    const timeoutMs = timeoutArg === undefined ? undefined : Number(timeoutArg) * 1000;
    if (timeoutMs !== undefined && (timeoutArg!.trim() === '' || !Number.isFinite(timeoutMs) || timeoutMs <= 0)) {
      throw new UsageError(`--request-timeout must be a positive number of seconds, got '${timeoutArg}'`);
    }
    const dir = resolve(io.cwd, dirArg!);
    const { store, recovery } = await ProjectStore.open(dir, { write: !values['dry-run'] });
    try {
      for (const t of recovery.torn) io.stderr.write(`${t.file}:${t.line}: dropped a torn last line (${t.bytes} bytes) left by a crash\n`);
      for (const w of recovery.warnings) io.stderr.write(`${w}\n`);
      if (values['dry-run']) {
        for (const line of planLines(planSummary(stateOf(store)))) io.stdout.write(line + '\n');
        return 0;
      }
      const clients = createClients(store.settings, io.env, { ...(timeoutMs === undefined ? {} : { timeoutMs }), runDir: dirArg! });
      const result = await runPipeline({ store, clients, signal, ...(cut ? { cut } : {}), onEvent: progressView(io) }, stage);
      for (const line of stateLines(result.state)) io.stdout.write(line + '\n');
      if (result.failed > 0) io.stdout.write(`failed requests: ${result.failed} (see hsstar status; run again to retry them)\n`);
      if (result.status === 'cancelled') {
        io.stdout.write('stopped; run the same command again to continue where it stopped\n');
        return 130;
      }
      if (result.status === 'paused') {
        io.stdout.write('paused: too many failures in a row; fix the endpoint and run again to continue\n');
        return 1;
      }
      if (result.failed > 0) return 1;
      io.stdout.write(`${vscodeAdvice(dir)}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
