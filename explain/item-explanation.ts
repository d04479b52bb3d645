/**
 * One recommended item's explanation, data first: the exact attribution of its score over concepts
 * (each with a reason code, parameters and a short phrase), the concepts of the attributions chosen
 * for the sentence, and the sentence. Text comes only from `reasons/reason-templates.ts`.
 *
 * Past purchases that matter most are attributed one by one: the three that lift the item most and
 * the two that hold it back most (a longer list is noise to a shopper and weight on the wire). The
 * remaining purchases are merged into one "other purchases" attribution whose value is the sum of
 * theirs. That keeps every number exact: in our additive game a coalition's Shapley value is the sum
 * of its members' values (the same argument as for repeated purchases, `concept-players.ts`).
 */
import type { ConceptGame } from './attribution/concept-game.ts';
import type { Explainer, ExplainerMethod } from './attribution/explainer.ts';
import { conceptName, conceptReason, otherPurchasesConcept, type ReasonVocabulary } from './reasons/concept-reason.ts';
import { reason as makeReason, type NonPersonalizedCode, type Reason } from './reasons/reason-codes.ts';
import { reasonSentence } from './reasons/reason-sentence.ts';
import { renderPhrase } from './reasons/reason-templates.ts';

/** One attributed concept: its reason (code and params), its exact contribution and a short phrase. */
export type ExplainedAttribution = Reason & {
  /** `purchase:<itemId>`, `other-purchases`, or a concept kind (see `conceptName`). */
  concept: string;
  contribution: number;
  phrase: string;
};

export interface ItemExplanation {
  /** baseline + Σ contributions: the item's score, by the efficiency of the attribution. */
  score: number;
  baseline: number;
  method: ExplainerMethod;
  /** Concepts that moved the score, largest lift first; concepts contributing exactly 0 are left out. */
  attributions: ExplainedAttribution[];
  /**
   * The `concept`s of the attributions the sentence was built from, in sentence order: their codes
   * and params are in `attributions` already, so they are not repeated here (an explained top-10
   * was ~15% lighter on the wire without the copies).
   */
  reasonConcepts: string[];
  reason: string;
  /**
   * Present only for a method that is not exact (Integrated Gradients): `score` is still baseline +
   * Σ contributions, and the model's own score differs from it by this much.
   */
  completenessError?: number;
}

const namedLifting = 3;
const namedHoldingBack = 2;
const otherPurchases = Object.freeze(makeReason('other-purchases', {}));

/** A concept with its value, before it is named: `player` indexes game.players (−1: the merged other purchases). */
interface Attributed {
  player: number;
  contribution: number;
}

/**
 * @example explainItem(conceptGame(scorer, weights, context, item), new ClosedFormShapley(), vocabulary, true)
 */
/**
 * The words of one request's past purchases, by player index, shared by every item of the request:
 * a purchase that is not the item itself is named the same way for every item it lifts (or holds
 * back), so its concept name, params and phrase are built once a request, not once an item. Valid
 * for one request's players and vocabulary only.
 */
export type PurchaseWords = Map<number, { concept: string; lifting?: Omit<ExplainedAttribution, 'concept' | 'contribution'>; holdingBack?: Omit<ExplainedAttribution, 'concept' | 'contribution'> }>;

export function explainItem(game: ConceptGame, explainer: Explainer, vocabulary: ReasonVocabulary, personalized: boolean, words?: PurchaseWords, because?: NonPersonalizedCode): ItemExplanation {
  const attribution = explainer.explain(game);
  const { contributions } = attribution;
  const shown: Attributed[] = [];
  const purchases: Attributed[] = [];
  let score = attribution.baseline;
  for (let p = 0; p < game.players.length; p++) {
    const contribution = contributions[p];
    score += contribution;
    // Exactly 0 means the concept took no part (unknown store, flag off, no history to fit a price to).
    if (contribution === 0) continue;
    (game.players[p].kind === 'purchase' ? purchases : shown).push({ player: p, contribution });
  }
  for (const entry of namedPurchases(purchases)) shown.push(entry);
  shown.sort((a, b) => b.contribution - a.contribution);
  // Words are built only for what is shown: a long history merges most purchases into one entry.
  const subject = { item: game.item, store: game.prepared.store, meanLogPrice: game.prepared.meanLogPrice };
  const attributions = shown.map(({ player, contribution }): ExplainedAttribution => {
    const p = game.players[player];
    if (words && player >= 0 && p.kind === 'purchase' && p.item !== game.item) {
      let named = words.get(player);
      if (!named) words.set(player, (named = { concept: conceptName(p, vocabulary) }));
      const side = contribution >= 0 ? 'lifting' : 'holdingBack';
      let said = named[side];
      if (!said) {
        const reason = conceptReason(p, contribution, subject, vocabulary);
        said = named[side] = { code: reason.code, params: reason.params, phrase: renderPhrase(reason) } as Omit<ExplainedAttribution, 'concept' | 'contribution'>;
      }
      return { concept: named.concept, code: said.code, params: said.params, contribution, phrase: said.phrase } as ExplainedAttribution;
    }
    const reason = player < 0 ? otherPurchases : conceptReason(p, contribution, subject, vocabulary);
    const concept = player < 0 ? otherPurchasesConcept : conceptName(p, vocabulary);
    return { concept, code: reason.code, params: reason.params, contribution, phrase: renderPhrase(reason) } as ExplainedAttribution;
  });
  const { chosen, sentence } = reasonSentence(attributions, personalized, because);
  const explanation: ItemExplanation = { score, baseline: attribution.baseline, method: attribution.method, attributions, reasonConcepts: chosen.map((a) => a.concept), reason: sentence };
  if (attribution.completenessError > 0) explanation.completenessError = attribution.completenessError;
  return explanation;
}

/**
 * The purchases named one by one (the three that lift most, the two that hold back most), in
 * history-player order, plus the rest merged; all of them when merging would merge fewer than two.
 */
function namedPurchases(purchases: Attributed[]): Attributed[] {
  if (purchases.length <= namedLifting + namedHoldingBack + 1) return purchases;
  const byValue = [...purchases].sort((a, b) => b.contribution - a.contribution);
  const lifting = byValue.slice(0, namedLifting).filter((a) => a.contribution > 0);
  const holdingBack = byValue.slice(-namedHoldingBack).filter((a) => a.contribution < 0 && !lifting.includes(a));
  const named = [...lifting, ...holdingBack];
  if (purchases.length - named.length < 2) return purchases;
  let contribution = 0;
  for (const a of purchases) if (!named.includes(a)) contribution += a.contribution;
  named.push({ player: -1, contribution });
  return named;
}
