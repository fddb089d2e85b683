import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunSettings, type Problem } from '../../../src/core/schema/index';
import { ProjectStore } from '../../../src/store/project';
import { startTestServer, type TestServer, type TestServerOptions } from '../../support/test-server';

/**
 * A small run against the local test server. Problem `i`'s k-th response is correct or
 * not by `PATTERNS[i][k % len]`; the PRM gives 0.9 to each step of a correct response
 * and 0.1 to each step of a wrong one, so the labels are known in advance:
 * q0 inlier (all right), q1 outlier (all wrong), q2 and q3 boundary (mixed).
 */
export const PATTERNS: Record<string, boolean[]> = {
  'what is q0?': [true],
  'what is q1?': [false],
  'what is q2?': [true, false],
  'what is q3?': [false, true],
};

export const PROBLEMS: Problem[] = Object.keys(PATTERNS).map((question, i) => ({
  id: `q${i}`,
  question,
  answer: '7',
  source: { file: 'fixture.jsonl', line: i + 1 },
}));

export function solution(correct: boolean, k: number): string {
  return `Attempt ${k}: let us think.\n\nAdding the parts gives ${correct ? 7 : 8}.\n\nSo the answer is \\boxed{${correct ? 7 : 8}}.`;
}

export async function fixtureServer(extra: TestServerOptions = {}): Promise<TestServer> {
  const served = new Map<string, number>();
  return startTestServer({
    policy: ({ prompt, n }) =>
      Array.from({ length: n }, () => {
        const k = served.get(prompt) ?? 0;
        served.set(prompt, k + 1);
        const pattern = PATTERNS[prompt] ?? [false];
        return solution(pattern[k % pattern.length]!, k);
      }),
    stepScores: (_q, steps) => steps.map(() => (steps.join('\n').includes('boxed{7}') ? 0.9 : 0.1)),
    rewardScore: (_q, response) => (response.includes('boxed{7}') ? 2 : -2),
    ...extra,
  });
}

export function fixtureSettings(server: TestServer, extra: Record<string, unknown> = {}): RunSettings {
  return RunSettings.parse({
    formatVersion: 1,
    dataset: { path: 'fixture.jsonl', sha256: 'c'.repeat(64) },
    policy: { baseURLs: [server.v1], model: 'policy', nPerRequest: 2 },
    prm: { protocol: 'http-json', baseURLs: [`${server.url}/prm`], model: 'prm' },
    reward: { protocol: 'http-json', baseURLs: [`${server.url}/reward`], model: 'rm' },
    budget: { N: 4, presample: 2 },
    thresholds: { tauLow: 0.15, tauHigh: 0.65 },
    concurrency: { policy: 4, prm: 4, reward: 4 },
    ...extra,
  });
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'hsstar-pipeline-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function createStore(dir: string, settings: RunSettings): Promise<ProjectStore> {
  return ProjectStore.create(join(dir, 'run'), settings, PROBLEMS);
}
