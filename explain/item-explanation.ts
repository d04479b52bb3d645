/**
 * One recommended item's explanation, data first: the exact attribution of its score over concepts
 * (each with a reason code, parameters and a short phrase), the reasons chosen for the sentence, and
 * the sentence. Text comes only from `reasons/reason-templates.ts`.
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
import { reason as makeReason, type Reason, type ReasonCode } from './reasons/reason-codes.ts';
import { reasonSentence } from './reasons/reason-sentence.ts';
import { renderPhrase } from './reasons/reason-templates.ts';

export interface ExplainedAttribution {
  /** `purchase:<itemId>`, `other-purchases`, or a concept kind (see `conceptName`). */
  concept: string;
  code: ReasonCode;
  params: Reason['params'];
  contribution: number;
  phrase: string;
}

export interface ItemExplanation {
  /** baseline + Σ contributions: the item's score, by the efficiency of the attribution. */
  score: number;
  baseline: number;
  method: ExplainerMethod;
  /** Concepts that moved the score, largest lift first; concepts contributing exactly 0 are left out. */
  attributions: ExplainedAttribution[];
  /** The reasons the sentence was built from. */
  reasons: Reason[];
  reason: string;
}

const namedLifting = 3;
const namedHoldingBack = 2;

interface Attributed {
  reason: Reason;
  concept: string;
  contribution: number;
}

/**
 * @example explainItem(conceptGame(scorer, weights, context, item), new ClosedFormShapley(), vocabulary, true)
 */
export function explainItem(game: ConceptGame, explainer: Explainer, vocabulary: ReasonVocabulary, personalized: boolean): ItemExplanation {
  const attribution = explainer.explain(game);
  const subject = { item: game.item, store: game.prepared.store, meanLogPrice: game.prepared.meanLogPrice };
  const concepts: Attributed[] = [];
  const purchases: Attributed[] = [];
  let score = attribution.baseline;
  game.players.forEach((player, p) => {
    const contribution = attribution.contributions[p];
    score += contribution;
    // Exactly 0 means the concept took no part (unknown store, flag off, no history to fit a price to).
    if (contribution === 0) return;
    const entry = { reason: conceptReason(player, contribution, subject, vocabulary), concept: conceptName(player, vocabulary), contribution };
    (player.kind === 'purchase' ? purchases : concepts).push(entry);
  });
  const attributed = [...concepts, ...namedPurchases(purchases)].sort((a, b) => b.contribution - a.contribution);
  const { reasons, sentence } = reasonSentence(attributed, personalized);
  return {
    score,
    baseline: attribution.baseline,
    method: attribution.method,
    attributions: attributed.map(({ reason, concept, contribution }) => ({ concept, code: reason.code, params: reason.params, contribution, phrase: renderPhrase(reason) })),
    reasons,
    reason: sentence,
  };
}

/** The purchases named one by one, plus the rest merged (only when that merges two or more). */
function namedPurchases(purchases: Attributed[]): Attributed[] {
  if (purchases.length <= namedLifting + namedHoldingBack + 1) return purchases;
  const byValue = [...purchases].sort((a, b) => b.contribution - a.contribution);
  const lifting = byValue.slice(0, namedLifting).filter((a) => a.contribution > 0);
  const holdingBack = byValue.slice(-namedHoldingBack).filter((a) => a.contribution < 0 && !lifting.includes(a));
  const named = new Set([...lifting, ...holdingBack]);
  const rest = purchases.filter((a) => !named.has(a));
  if (rest.length < 2) return purchases;
  const contribution = rest.reduce((sum, a) => sum + a.contribution, 0);
  return [...named, { reason: makeReason('other-purchases', {}), concept: otherPurchasesConcept, contribution }];
}
