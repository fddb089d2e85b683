import type { Label } from '../../../src/core/schema/index';

/**
 * The small case computed by hand (docs/curation.md shows the arithmetic):
 *        p1       p2        p3       p4        p5
 * ann    inlier   boundary  outlier  boundary  inlier
 * bob    inlier   outlier   outlier  boundary  -
 * cara   inlier   boundary  -        inlier    inlier
 */
export const HAND_CASE: [string, string, Label][] = [
  ['ann', 'p1', 'inlier'], ['ann', 'p2', 'boundary'], ['ann', 'p3', 'outlier'], ['ann', 'p4', 'boundary'], ['ann', 'p5', 'inlier'],
  ['bob', 'p1', 'inlier'], ['bob', 'p2', 'outlier'], ['bob', 'p3', 'outlier'], ['bob', 'p4', 'boundary'],
  ['cara', 'p1', 'inlier'], ['cara', 'p2', 'boundary'], ['cara', 'p4', 'inlier'], ['cara', 'p5', 'inlier'],
];
