export * from './batch-store';
export * from './export-batch';
export * from './import-batch';
export * from './submit-batch';
