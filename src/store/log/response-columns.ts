/**
 * The response index's columns (response-table.ts): one typed array per field, a row per
 * response in log order. A checkpoint stores them in this order (index-columns.ts).
 */

/** Every column, with its element type; a checkpoint stores them in this order. */
export const COLUMN_TYPES = {
  /** Index into the problem keys (the dataset's ids first, then ids only responses name). */
  problem: Uint32Array,
  slot: Float64Array,
  /** 0 pre, 1 re. */
  stage: Uint8Array,
  /** String table index; -1: null. */
  finishReason: Int32Array,
  prompt: Float64Array,
  completion: Float64Array,
  model: Uint32Array,
  latencyMs: Float64Array,
  /** String table index of `at`; -1: `at` is `atMs` written as an ISO date (the usual case). */
  at: Int32Array,
  atMs: Float64Array,
  round: Float64Array,
  /** Where the line is in responses.jsonl. */
  offset: Float64Array,
  length: Float64Array,
  /** text-digest.ts; -1 unknown. */
  textDigest: Float64Array,
  /** String table index of an id that is not `problemId:slot`; -1: it is. */
  oddId: Int32Array,
  /** The first row of the problem with the same text (the row itself when none before): -1 not yet known. */
  twin: Int32Array,
  /** -1 not graded, 0 incorrect, 1 correct. */
  verdict: Int8Array,
  /** String table index; -1: null. */
  extracted: Int32Array,
  method: Uint32Array,
  grader: Uint32Array,
  /** Where the PRM step scores start in the score pool, and how many; -1: not scored. */
  prmStart: Float64Array,
  prmCount: Int32Array,
  prmModel: Uint32Array,
  /** NaN: no reward score. */
  reward: Float64Array,
  /** -1: no reward score. */
  rewardModel: Int32Array,
} as const;

export type ColumnName = keyof typeof COLUMN_TYPES;
export type Columns = { [K in ColumnName]: InstanceType<(typeof COLUMN_TYPES)[K]> };
export const COLUMN_NAMES = Object.keys(COLUMN_TYPES) as ColumnName[];

/** Empty columns for `capacity` rows. */
export function allocate(capacity: number): Columns {
  const c = {} as Record<ColumnName, unknown>;
  for (const name of COLUMN_NAMES) c[name] = new COLUMN_TYPES[name](capacity);
  return c as Columns;
}
