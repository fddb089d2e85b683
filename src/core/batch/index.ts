export * from './custom-id';
export * from './input-line';
export * from './output-line';
export * from './request-body';
export * from './read-output';
export * from './pending';
export * from './targets';
