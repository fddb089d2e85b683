/**
 * `hsstar.tree.pageSize`: problems listed per page in a group of the Questions view. Its rule
 * lives here, without zod, because the tree reads it at activation, before the settings schema
 * (which uses the same bounds) is loaded.
 */
export const TREE_PAGE_SIZE = { min: 50, max: 5_000, default: 500 } as const;

/** The setting's value when it keeps the rule, else the default. */
export function treePageSizeOf(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= TREE_PAGE_SIZE.min && value <= TREE_PAGE_SIZE.max ? value : TREE_PAGE_SIZE.default;
}
