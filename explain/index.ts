/**
 * The explanation package's public surface: exact attributions of a score over human concepts
 * (`attribution/`) and the reason codes and sentences built from them (`reasons/`). It imports no
 * tfjs: values from `models/` are taken from their own modules, because `models/index.ts` also
 * re-exports the training graph.
 */
export { conceptKinds, conceptPlayers } from './attribution/concept-players.ts';
export type { ConceptKind, ConceptPlayer } from './attribution/concept-players.ts';
export { coalitionValue, conceptGame } from './attribution/concept-game.ts';
export type { ConceptGame } from './attribution/concept-game.ts';
export type { Attribution, Explainer, ExplainerMethod } from './attribution/explainer.ts';
export { ClosedFormShapley } from './attribution/closed-form-shapley.ts';
export { BruteForceShapley } from './attribution/brute-force-shapley.ts';
export { IntegratedGradients } from './attribution/integrated-gradients.ts';
export { reason, reasonCodes, reasonConcept, reasonPolarity } from './reasons/reason-codes.ts';
export type { NonPersonalizedCode, Reason, ReasonCode, ReasonParams } from './reasons/reason-codes.ts';
export { reasonTemplates, renderClause, renderPhrase, sentenceTemplates } from './reasons/reason-templates.ts';
export { reasonSentence } from './reasons/reason-sentence.ts';
export type { AttributedReason } from './reasons/reason-sentence.ts';
export { conceptKindOf, conceptName, conceptReason, otherPurchasesConcept } from './reasons/concept-reason.ts';
export type { ReasonSubject, ReasonVocabulary } from './reasons/concept-reason.ts';
export { explainItem } from './item-explanation.ts';
export type { ExplainedAttribution, ItemExplanation, PurchaseWords } from './item-explanation.ts';
