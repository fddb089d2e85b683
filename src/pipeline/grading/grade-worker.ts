/**
 * A grading thread of the GradePool: grades what the event loop sends and answers in the
 * same order. The grader (and the symbolic engine, on first need) loads here, not on the
 * thread that sends requests and writes the logs.
 */
import { parentPort } from 'node:worker_threads';
import type { GradeRecord, Problem, Response } from '../../core/schema/index';
import { gradeRecord } from './grade-record';

/** One response to grade against its problem's reference answer. */
export interface GradeItem {
  problem: Pick<Problem, 'answer' | 'dataName'>;
  response: Pick<Response, 'id' | 'text'>;
}

/** One grading call: its items, answered under its number. */
export interface GradeTask {
  seq: number;
  items: GradeItem[];
}

/** The calls made in one turn of the event loop, sent as one message. */
export interface GradeRequest {
  tasks: GradeTask[];
}

export interface GradeReply {
  results: { seq: number; grades: GradeRecord[] }[];
}

parentPort?.on('message', (m: GradeRequest) => {
  const results = m.tasks.map((t) => ({ seq: t.seq, grades: t.items.map((it) => gradeRecord(it.problem, it.response)) }));
  parentPort!.postMessage({ results } satisfies GradeReply);
});
