import type { RunState } from '../state/run-state';

/** One DPO pair with the texts resolved: the common input of every export format. */
export interface PairRow {
  problemId: string;
  chosenId: string;
  rejectedId: string;
  /** The system prompt the policy was sent. */
  system: string;
  /** The user message as sent: the prompt template applied to the question. */
  prompt: string;
  chosen: string;
  rejected: string;
  /** S(r) of each side (null when not PRM-scored). */
  chosenScore: number | null;
  rejectedScore: number | null;
  /** Outcome reward of each side, when the run has a reward model. */
  chosenReward: number | null;
  rejectedReward: number | null;
  /** Token counts as the policy server reported them (its own tokenizer and chat template). */
  promptTokens: number;
  chosenTokens: number;
  rejectedTokens: number;
}

/** The user message exactly as the policy received it. */
export function renderPrompt(template: string, question: string): string {
  return template.split('{question}').join(question);
}

/** The run's pairs, in export order, with prompt and response texts filled in. */
export function pairRows(state: RunState): PairRow[] {
  const { systemPrompt, promptTemplate, api } = state.settings.policy;
  // The completions API sends no system message: the export shows only what was sent.
  const system = api === 'chat' ? systemPrompt : '';
  const rows: PairRow[] = [];
  for (const pair of state.pairs) {
    const ps = state.byId.get(pair.problemId);
    if (!ps) continue;
    const viewOf = (id: string) => ps.responses.find((v) => v.response.id === id);
    const chosen = viewOf(pair.chosenId);
    const rejected = viewOf(pair.rejectedId);
    if (chosen === undefined || rejected === undefined) continue;
    rows.push({
      problemId: pair.problemId,
      chosenId: pair.chosenId,
      rejectedId: pair.rejectedId,
      system,
      prompt: renderPrompt(promptTemplate, ps.problem.question),
      chosen: chosen.response.text,
      rejected: rejected.response.text,
      chosenScore: chosen.minScore,
      rejectedScore: rejected.minScore,
      chosenReward: chosen.reward,
      rejectedReward: rejected.reward,
      promptTokens: chosen.response.usage.prompt,
      chosenTokens: chosen.response.usage.completion,
      rejectedTokens: rejected.response.usage.completion,
    });
  }
  return rows;
}
