import type { ExportManifest } from './manifest';

/** The Hub's size buckets (`size_categories` in a dataset card). */
export function sizeCategory(rows: number): string {
  const buckets: [number, string][] = [
    [1_000, 'n<1K'],
    [10_000, '1K<n<10K'],
    [100_000, '10K<n<100K'],
    [1_000_000, '100K<n<1M'],
    [10_000_000, '1M<n<10M'],
  ];
  return buckets.find(([limit]) => rows < limit)?.[1] ?? '10M<n<100M';
}

/** A licence id as the Hub's `license` field takes it (e.g. `apache-2.0`, `cc-by-4.0`, `other`). */
export function isLicenseId(text: string): boolean {
  return /^[a-z0-9][a-z0-9.+-]*$/.test(text);
}

const yamlString = (text: string) => JSON.stringify(text);

/**
 * A dataset card (`README.md`) for the folder the Hub shows: YAML front matter with the
 * splits (`configs` / `data_files`), task, tags, licence and size, then what the data is,
 * how it was made (HS-STaR, thresholds, budget, models), the counts and the columns.
 */
export function datasetCard(m: ExportManifest, o: { license: string; datasetFileName: string }): string {
  const total = m.pairs + (m.eval?.pairs ?? 0);
  const splits = [`  - split: train\n    path: ${yamlString(m.file)}`, ...(m.eval ? [`  - split: test\n    path: ${yamlString(m.eval.file)}`] : [])];
  const front = [
    '---',
    `license: ${o.license}`,
    'task_categories:',
    '- text-generation',
    'tags:',
    '- dpo',
    '- hs-star',
    '- math',
    '- reasoning',
    'size_categories:',
    `- ${sizeCategory(total)}`,
    'configs:',
    '- config_name: default',
    '  data_files:',
    ...splits,
    '---',
  ];
  const l = m.labels;
  const t = m.tokens;
  const body = [
    '',
    '# HS-STaR preference pairs',
    '',
    `DPO pairs (${m.format} layout) curated with HS-STaR (Hierarchical Sampling for Self-Taught Reasoners):`,
    'each problem was pre-sampled, graded and scored by a process reward model, labelled Inlier /',
    'Outlier / Boundary, the Boundary problems were re-sampled with the rest of the budget, and each',
    'Boundary problem\'s correct responses were paired with its incorrect ones, ranked by reward.',
    '',
    '## Source',
    '',
    `- Problems: \`${o.datasetFileName}\`, sha256 \`${m.datasetHash}\``,
    `- Policy: \`${m.policy.model}\` (${m.policy.api} API), temperature ${m.policy.sampling.temperature}, top_p ${m.policy.sampling.topP}, max_tokens ${m.policy.sampling.maxTokens}`,
    `- Process reward model: ${m.prm.protocol === 'none' ? 'none (accuracy only)' : `\`${m.prm.model}\` (${m.prm.protocol})`}`,
    `- Method: RDE mode ${m.rdeMode}, thresholds tau_l ${m.thresholds.tauLow} / tau_h ${m.thresholds.tauHigh}, budget N = ${m.budget.N}, n_p = ${m.budget.presample}, pairs ranked by ${m.pairRanking}, seed ${m.seed}, round ${m.round}`,
    `- Settings sha256 \`${m.settingsHash}\``,
    '',
    '## Counts',
    '',
    `- Problems: ${m.problems} (Boundary ${l.boundary}, Inlier ${l.inlier}, Outlier ${l.outlier}${l.unlabelled ? `, unlabelled ${l.unlabelled}` : ''}); responses: ${m.responses}`,
    `- Pairs: ${m.pairs} train${m.eval ? `, ${m.eval.pairs} test (${m.eval.problems.length} problems held out)` : ''}, from ${m.pairsPerProblem.problems} problems (at most ${m.pairsPerProblem.max} from one)`,
    `- Left out: ${m.leftOut.truncated} truncated and ${m.leftOut.noAnswer} answerless responses, ${m.leftOut.boundaryWithoutPairs} Boundary problems without a pair`,
    `- Tokens (as the policy server counted them): prompt median ${t.prompt.median}, max ${t.prompt.max}; prompt + longer response max ${t.pair.max}`,
    '',
    '## Columns',
    '',
    '- `prompt`, `chosen`, `rejected` (or LLaMA-Factory\'s `instruction`, `input`, `system`): the prompt the policy was sampled with and the two responses',
    '- `problem_id`, `chosen_id`, `rejected_id`: the problem and the responses in the curation run',
    '- `score_chosen`, `score_rejected`: S(r), the minimum PRM step score of each response',
    ...(m.reward.protocol !== 'none' ? ['- `reward_chosen`, `reward_rejected`: the outcome reward model\'s scores'] : []),
    '',
  ];
  return [...front, ...body].join('\n');
}
