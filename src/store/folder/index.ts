/**
 * The one way into a run folder's files (docs/security.md, "A received run folder"): no
 * other code of src/ calls node:fs on a path inside a run folder.
 */
export * from './open-regular';
export * from './read-bounded';
export * from './replace-file';
export * from './folders';
