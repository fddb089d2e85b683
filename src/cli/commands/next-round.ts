import { relative } from 'node:path';
import { UsageError, UserError } from '../../core/errors';
import { nextRoundSettings } from '../../core/insights/rounds';
import { RunSettings, type PolicySettings } from '../../core/schema/index';
import { hashFile, type ReadDatasetOptions } from '../../store/dataset/index';
import { ProjectStore } from '../../store/project';
import { datasetOptions } from './dataset-flags';

/**
 * `hsstar init <dir> --next-round-of PREV`: the settings of the earlier run with a new
 * policy and a link back (relative, so both folders can move together). The dataset must
 * be the same file content as the earlier round's, or rounds could not be compared.
 */
export async function nextRoundInit(
  previousDir: string,
  dir: string,
  policy: Partial<PolicySettings>,
  datasetPath?: string,
): Promise<{ settings: RunSettings; datasetPath: string; readOptions: ReadDatasetOptions }> {
  let previous: RunSettings;
  try {
    const { store } = await ProjectStore.open(previousDir, { write: false });
    previous = store.settings;
    await store.close();
  } catch (err) {
    throw new UserError(`not a readable project folder (${(err as Error).message})`, previousDir);
  }
  const path = datasetPath ?? previous.dataset.path;
  const sha256 = await hashFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new UserError(err.code === 'ENOENT' ? 'no such file' : String(err), path);
  });
  if (sha256 !== previous.dataset.sha256) {
    throw new UserError(`the dataset differs from round ${previous.round.index}'s (sha256 ${previous.dataset.sha256.slice(0, 12)}…); a next round curates the same problems`, path);
  }
  const parsed = RunSettings.safeParse(nextRoundSettings({ ...previous, dataset: { ...previous.dataset, path } }, relative(dir, previousDir) || '.', policy));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const settings = parsed.data;
  const d = previous.dataset;
  const readOptions = datasetOptions({
    'skip-bad': d.badLines === 'skip',
    ...(d.questionField ? { 'question-field': d.questionField } : {}),
    ...(d.answerField ? { 'answer-field': d.answerField } : {}),
    ...(d.idField ? { 'id-field': d.idField } : {}),
    ...(d.dataName ? { 'data-name': d.dataName } : {}),
  });
  return { settings, datasetPath: path, readOptions };
}
