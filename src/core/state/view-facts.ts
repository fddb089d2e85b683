import { isTruncated } from '../schema/index';
import type { ResponseFacts } from './response-facts';
import type { ResponseView } from './run-state';
import { textClasses } from './text-classes';

/**
 * The facts of a problem's views when they are built first (a read model derived from
 * records, without an index's columns): statistics and pairs are then derived from facts
 * the one way, whichever the source. `digestOf` gives a view's text digest when the store
 * knows it, so equal-text checks read texts only where digests cannot tell.
 */
export class ViewFacts implements ResponseFacts {
  private classes: number[] | undefined;

  constructor(
    private readonly views: readonly ResponseView[],
    private readonly digestOf: (view: ResponseView) => number | undefined,
  ) {}

  get count(): number {
    return this.views.length;
  }

  id(i: number): string {
    return this.views[i]!.response.id;
  }

  slot(i: number): number {
    return this.views[i]!.response.slot;
  }

  correct(i: number): boolean | null {
    const g = this.views[i]!.grade;
    return g ? g.correct : null;
  }

  answered(i: number): boolean {
    const g = this.views[i]!.grade;
    return g !== null && g.extracted !== null;
  }

  minScore(i: number): number | null {
    return this.views[i]!.minScore;
  }

  reward(i: number): number | null {
    return this.views[i]!.reward;
  }

  truncated(i: number): boolean {
    return isTruncated(this.views[i]!.response);
  }

  textClass(i: number): number {
    const v = this.views;
    this.classes ??= textClasses(v.length, (k) => this.digestOf(v[k]!), (a, b) => v[a]!.response.text === v[b]!.response.text);
    return this.classes[i]!;
  }
}
