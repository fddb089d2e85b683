/**
 * Which fields of a dataset row hold the question, the reference answer and the id, and
 * how the answer is reduced. Detected from the first row unless the user names the fields.
 */
export type AnswerMode =
  /** The field is the answer (string or number). */
  | 'plain'
  /** GSM8K: a worked solution ending in `#### n`. */
  | 'hash-tail'
  /** Minerva / MATH solutions: the answer is the last `\boxed{}`. */
  | 'boxed'
  /** OlympiadBench `final_answer`: a list of answers, joined with ", ". */
  | 'list';

export interface DatasetLayout {
  /** A short name shown to the user, e.g. `problem/answer`. */
  name: string;
  questionField: string;
  answerField: string;
  answerMode: AnswerMode;
  /** Absent: ids are content hashes. */
  idField?: string;
}

export interface LayoutOverrides {
  questionField?: string;
  answerField?: string;
  idField?: string;
}

export const QUESTION_FIELDS = ['problem', 'question', 'prompt', 'query', 'input'] as const;
/** Direct answers first: a worked `solution` is only used when no answer field exists. */
export const ANSWER_FIELDS = ['final_answer', 'answer', 'gt', 'ground_truth', 'target', 'solution'] as const;
export const ID_FIELDS = ['id', 'unique_id', 'problem_id', 'uid', 'idx'] as const;

export type LayoutResult = { ok: true; layout: DatasetLayout } | { ok: false; reason: string };

function hasValue(row: Record<string, unknown>, field: string): boolean {
  const v = row[field];
  return v !== undefined && v !== null && v !== '';
}

/** How to read an answer field, judged from its name and its value in the first row. */
export function answerModeOf(field: string, value: unknown): AnswerMode {
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string' && /(^|\n)####\s/.test(value)) return 'hash-tail';
  if (field === 'solution' && typeof value === 'string' && value.includes('\\boxed')) return 'boxed';
  return 'plain';
}

export function detectLayout(row: Record<string, unknown>, overrides: LayoutOverrides = {}): LayoutResult {
  const keys = Object.keys(row).join(', ') || 'none';
  const questionField = overrides.questionField ?? QUESTION_FIELDS.find((f) => typeof row[f] === 'string' && row[f] !== '');
  if (!questionField) {
    return { ok: false, reason: `no question field found (looked for ${QUESTION_FIELDS.join(', ')}; the row has ${keys}); name it with --question-field` };
  }
  const answerField = overrides.answerField ?? ANSWER_FIELDS.find((f) => f !== questionField && hasValue(row, f));
  if (!answerField) {
    return { ok: false, reason: `no answer field found (looked for ${ANSWER_FIELDS.join(', ')}; the row has ${keys}); name it with --answer-field` };
  }
  const idField = overrides.idField ?? ID_FIELDS.find((f) => hasValue(row, f));
  const answerMode = answerModeOf(answerField, row[answerField]);
  const suffix = answerMode === 'plain' ? '' : ` (${answerMode})`;
  const layout: DatasetLayout = { name: `${questionField}/${answerField}${suffix}`, questionField, answerField, answerMode };
  if (idField) layout.idField = idField;
  return { ok: true, layout };
}
