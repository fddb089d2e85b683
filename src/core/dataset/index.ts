export * from './boxed';
export * from './layout';
export * from './answer';
export * from './problem-id';
export * from './data-name';
export * from './row';
