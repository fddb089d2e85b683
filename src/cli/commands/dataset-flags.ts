import type { FlagTable } from '../args';
import type { ReadDatasetOptions } from '../../store/dataset/index';

/** Flags that say how to read a dataset; shared by `validate` and `init`. */
export const datasetFlags = {
  'question-field': { type: 'string' },
  'answer-field': { type: 'string' },
  'id-field': { type: 'string' },
  'data-name': { type: 'string' },
  'skip-bad': { type: 'boolean', default: false },
} satisfies FlagTable;

export const datasetFlagsUsage = `  --question-field F   field holding the question (default: detected)
  --answer-field F     field holding the reference answer (default: detected)
  --id-field F         field holding a stable id (default: detected, else a content hash)
  --data-name NAME     benchmark family for the grader, e.g. gsm8k (default: from the file name)
  --skip-bad           skip bad rows and report them all (default: stop at the first)`;

export function datasetOptions(v: {
  'question-field'?: string;
  'answer-field'?: string;
  'id-field'?: string;
  'data-name'?: string;
  'skip-bad'?: boolean;
}): ReadDatasetOptions {
  const o: ReadDatasetOptions = { badLines: v['skip-bad'] ? 'skip' : 'stop' };
  if (v['question-field']) o.questionField = v['question-field'];
  if (v['answer-field']) o.answerField = v['answer-field'];
  if (v['id-field']) o.idField = v['id-field'];
  if (v['data-name']) o.dataName = v['data-name'];
  return o;
}
