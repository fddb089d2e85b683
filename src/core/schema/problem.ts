import { z } from 'zod';

/** Where a problem came from, so every message about it can name file and line. */
export const SourceRef = z.object({
  file: z.string(),
  /** 1-based line (JSONL) or 1-based element index (JSON array). */
  line: z.number().int().positive(),
});
export type SourceRef = z.infer<typeof SourceRef>;

/** One dataset row, reduced to what the method needs. */
export const Problem = z.object({
  /** Stable id: the dataset's own id field when it has one, else a content hash. */
  id: z.string().min(1),
  question: z.string().min(1),
  /** Reference final answer, already reduced (e.g. GSM8K's `#### n` tail, Minerva's boxed answer). */
  answer: z.string(),
  source: SourceRef,
  /** Benchmark family, used by the grader (e.g. `gsm8k` allows last-number extraction). */
  dataName: z.string().optional(),
});
export type Problem = z.infer<typeof Problem>;
