import type { StepRow } from './step-rows';

/**
 * PRM800K's line layout (openai/prm800k's README): one labelled solution a line, the three
 * ratings kept, the steps up to where labelling stopped, and `finish_reason`. There is one
 * completion per step (ours are the policy's own steps), so `chosen_completion` is 0.
 * `hsstar` carries the ids and notes that PRM800K has no field for.
 */
export function prm800kRecord(row: StepRow) {
  return {
    labeler: row.author,
    timestamp: row.at,
    generation: null,
    is_quality_control_question: false,
    is_initial_screening_question: false,
    question: {
      problem: row.question,
      ground_truth_answer: row.answer,
      pre_generated_steps: row.allSteps,
      pre_generated_answer: row.extracted,
      pre_generated_verifier_score: row.minScore,
    },
    label: {
      steps: row.rated.map((s) => ({ completions: [{ text: s.text, rating: s.rating, flagged: null }], human_completion: null, chosen_completion: 0 })),
      total_time: null,
      finish_reason: row.finish,
    },
    hsstar: { problemId: row.problemId, responseId: row.responseId, notes: row.rated.map((s) => s.note) },
  };
}
