/**
 * The one plain-language sentence for a recommended item, chosen from its attributions: the largest
 * positive contributions (at most three, naming at most two past purchases by product name), joined
 * by the templates of `reason-templates.ts`. Negative contributions never enter the sentence; they
 * stay in the attributions for the merchant view.
 */
import { reason, reasonPolarity, type NonPersonalizedCode, type Reason } from './reason-codes.ts';
import { renderClause, sentenceTemplates } from './reason-templates.ts';

/** A reason with the contribution of the concept it names (an item's attributions are these). */
export type AttributedReason = Reason & { contribution: number };

/** A sentence past three reasons stops being read; two product names are what fits on a tile. */
const maxReasons = 3;
const maxNamedPurchases = 2;

/**
 * `reasons` are the sentence's reasons as data (code and params, led by `because`, `non-personalized`
 * by default, when not personalised); `chosen` are the entries of `attributed` they came from, in the same order.
 *
 * @example reasonSentence([{ code: 'on-promotion', params: {}, contribution: 0.4 }], true)
 *   // { reasons: [{ code: 'on-promotion', params: {} }], chosen: [<that entry>], sentence: 'Because it is on promotion at your store.' }
 */
export function reasonSentence<T extends AttributedReason>(attributed: readonly T[], personalized: boolean, because: NonPersonalizedCode = 'non-personalized'): { reasons: Reason[]; chosen: T[]; sentence: string } {
  const positive = attributed.filter((a) => a.contribution > 0 && reasonPolarity[a.code] === 'positive').sort((a, b) => b.contribution - a.contribution);
  const picked: T[] = [];
  const chosen: Reason[] = [];
  let named = 0;
  for (const r of positive) {
    if (chosen.length === maxReasons) break;
    if (r.code === 'bought-with') {
      if (named === maxNamedPurchases) continue;
      named++;
    }
    picked.push(r);
    // A reason is code and params only: the attribution it came from carries more.
    chosen.push({ code: r.code, params: r.params } as Reason);
  }
  // Past purchases share one clause ("you bought A and B"), placed where the first of them ranks.
  const clauses: string[] = [];
  const names: string[] = [];
  let purchaseClause = -1;
  for (const r of chosen) {
    if (r.code !== 'bought-with') clauses.push(renderClause(r));
    else {
      names.push(r.params.name);
      if (purchaseClause < 0) purchaseClause = clauses.push('') - 1;
    }
  }
  if (purchaseClause >= 0) clauses[purchaseClause] = sentenceTemplates.purchases(names);
  if (!personalized) return { reasons: [reason(because, {}), ...chosen], chosen: picked, sentence: sentenceTemplates.nonPersonalized(clauses, because) };
  return { reasons: chosen, chosen: picked, sentence: clauses.length ? sentenceTemplates.because(clauses) : sentenceTemplates.neutral() };
}
