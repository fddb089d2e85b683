/**
 * A deterministic offset in [-1, 1) from a string (FNV-1a), so a problem's dot stays in the
 * same place across reloads and machines; phi_a takes few values, the spread makes the
 * dots in one column visible.
 */
export function jitterOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x80000000 - 1;
}
