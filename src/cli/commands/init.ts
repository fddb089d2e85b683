import { resolve } from 'node:path';
import type { Command } from '../command';
import { parseFlags, positionals, type FlagTable } from '../args';
import { datasetFlags, datasetFlagsUsage, datasetOptions } from './dataset-flags';
import { runSettingsFromFlags, settingsFlags, settingsFlagsUsage } from './settings-flags';
import { UsageError } from '../../core/errors';
import type { RunSettings } from '../../core/schema/settings';
import { DatasetError, hashFile, readDataset } from '../../store/dataset/index';
import { ProjectStore } from '../../store/project';
import { approveEndpoints } from '../../store/key-approvals';
import { canonicalUrl, endpointDestinations } from '../../core/key-destinations';
import { GIT_LOGS, type GitLogs } from '../../store/git-files';
import { nextRoundInit } from './next-round';
import { vscodeAdvice } from './vscode-advice';

/** `hsstar init` flags: one entry per flag; settingsFromFlags maps them onto RunSettings. */
export const initFlags = {
  ...datasetFlags,
  ...settingsFlags,
  dataset: { type: 'string' },
  'next-round-of': { type: 'string' },
  'git-logs': { type: 'string', default: 'track' },
} satisfies FlagTable;

type InitValues = ReturnType<typeof parseFlags<typeof initFlags>>['values'];

/**
 * The run settings a new project starts with. Endpoints default to a local vLLM server;
 * budget and thresholds to the reference (N = 8, n_p = 3; thresholds by the PRM model's preset, else Skywork-7B's).
 */
export function settingsFromFlags(values: InitValues, dataset: { path: string; sha256: string }): RunSettings {
  return runSettingsFromFlags(values, {
    path: dataset.path,
    sha256: dataset.sha256,
    badLines: values['skip-bad'] ? 'skip' : 'stop',
    ...(values['question-field'] ? { questionField: values['question-field'] } : {}),
    ...(values['answer-field'] ? { answerField: values['answer-field'] } : {}),
    ...(values['id-field'] ? { idField: values['id-field'] } : {}),
    ...(values['data-name'] ? { dataName: values['data-name'] } : {}),
  });
}

export const init: Command = {
  name: 'init',
  summary: 'create a project folder from a dataset',
  usage: `Usage: hsstar init <dir> --dataset FILE [options]

Creates the project folder <dir>: reads the dataset (JSONL or JSON array), stores its
problems and a settings snapshot with the dataset's sha256. Refuses a folder that
already holds a project.

Options:
  --dataset FILE       the dataset to curate (required, unless --next-round-of)
  --next-round-of DIR  a next round of the run in DIR: its settings and dataset (same
                       content), a new policy from --policy-model/--policy-url/--api-key-env
  --git-logs track|ignore  whether the folder's .gitignore lets git track the logs a run
                       appends (responses, scores; default track) or leaves them out
${datasetFlagsUsage}

${settingsFlagsUsage}`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, initFlags);
    const [dirArg] = positionals(pos, ['<dir>']);
    if (!values.dataset && !values['next-round-of']) throw new UsageError('missing --dataset FILE');
    const gitLogs = values['git-logs'];
    if (!(GIT_LOGS as readonly string[]).includes(gitLogs)) throw new UsageError(`--git-logs must be ${GIT_LOGS.join(' or ')}, not '${gitLogs}'`);
    const dir = resolve(io.cwd, dirArg!);
    const next = values['next-round-of']
      ? await nextRoundInit(resolve(io.cwd, values['next-round-of']), dir, {
          ...(values['policy-model'] ? { model: values['policy-model'] } : {}),
          ...(values['policy-url']?.length ? { baseURLs: values['policy-url'] } : {}),
          ...(values['api-key-env'] ? { apiKeyEnv: values['api-key-env'] } : {}),
        }, values.dataset ? resolve(io.cwd, values.dataset) : undefined)
      : null;
    const datasetPath = next ? next.datasetPath : resolve(io.cwd, values.dataset!);
    const reader = readDataset(datasetPath, next ? next.readOptions : datasetOptions(values));
    let sha256: string;
    try {
      sha256 = await hashFile(datasetPath);
    } catch (err) {
      io.stderr.write(`hsstar init: ${datasetPath}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}\n`);
      return 1;
    }
    const settings = next ? next.settings : settingsFromFlags(values, { path: datasetPath, sha256 });
    let store: ProjectStore;
    try {
      store = await ProjectStore.create(dir, settings, reader, { gitLogs: gitLogs as GitLogs });
    } catch (err) {
      if (!(err instanceof DatasetError)) throw err;
      for (const i of reader.issues) io.stderr.write(`${i.severity}: ${i.message}\n`);
      if (!values['skip-bad']) io.stderr.write('no project created; fix the row, or use --skip-bad to leave bad rows out\n');
      return 1;
    }
    const count = store.problems().length;
    await store.close();
    // URLs given here, by this machine's user, are approved as the run is created; those a
    // next round takes over from its previous run (which may have come from elsewhere) are not.
    const given = next ? new Set((values['policy-url'] ?? []).map(canonicalUrl)) : null;
    await approveEndpoints(io.env, endpointDestinations(settings).filter((d) => !given || given.has(d.url)));
    for (const i of reader.issues) io.stderr.write(`${i.severity}: ${i.message}\n`);
    const skipped = reader.errors.length;
    io.stdout.write(
      `created ${dir}: ${count} problems from ${datasetPath} (layout ${reader.layout?.name ?? '?'}` +
        `${skipped ? `, ${skipped} bad rows left out` : ''}), dataset sha256 ${sha256.slice(0, 12)}…\n`,
    );
    io.stdout.write(`next: hsstar run "${dir}" (with --dry-run first to see the plan and its cost)\n${vscodeAdvice(dir)}\n`);
    return 0;
  },
};
