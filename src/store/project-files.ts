/** The files of a project folder. */
export const PROJECT_FILES = {
  settings: 'hsstar.json',
  problems: 'problems.jsonl',
  responses: 'responses.jsonl',
  scores: 'scores.jsonl',
  /** Curator events of runs made before per-author files; read, never written. */
  events: 'events.jsonl',
  /** Curator events, one `<author>.jsonl` per author (see curator-events.ts). */
  eventsDir: 'events',
  exports: 'exports',
} as const;
