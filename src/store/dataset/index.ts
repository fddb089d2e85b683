export * from './read-dataset';
export * from './hash-file';
export * from './line-reader';
