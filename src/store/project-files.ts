/** The files of a project folder. */
export const PROJECT_FILES = {
  settings: 'hsstar.json',
  problems: 'problems.jsonl',
  responses: 'responses.jsonl',
  scores: 'scores.jsonl',
  events: 'events.jsonl',
  exports: 'exports',
} as const;
