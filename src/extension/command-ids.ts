/**
 * Every command the extension contributes, declared once: `package.json` lists the same ids
 * (a unit test holds them equal), activation registers each, and `commands.ts` must give each
 * a handler (its table is typed by this list, so a missing or misspelt id does not compile).
 * Kept apart from the handlers, which load with the lazy half of the extension.
 */
export const COMMAND_IDS = [
  'hsstar.newRun',
  'hsstar.openRun',
  'hsstar.runRde',
  'hsstar.resample',
  'hsstar.buildPairs',
  'hsstar.exportDpo',
  'hsstar.batchExport',
  'hsstar.batchImport',
  'hsstar.setThresholds',
  'hsstar.setApiKey',
  'hsstar.trustEndpoints',
  'hsstar.openDemo',
  'hsstar.openProblem',
  'hsstar.overrideLabel',
  'hsstar.markReviewed',
  'hsstar.labelSteps',
  'hsstar.auditNext',
  'hsstar.exportStepLabels',
  'hsstar.resampleProblem',
  'hsstar.sortBy',
  'hsstar.filter',
  'hsstar.clearFilter',
  'hsstar.showMore',
  'hsstar.cancelRun',
  'hsstar.showLog',
  'hsstar.showInsights',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
