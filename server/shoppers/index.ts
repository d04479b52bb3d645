/**
 * Shopper rights: pseudonyms under a key kept outside the database, consent and preferences
 * honoured on the next request, Global Privacy Control, access export, erasure, feedback and
 * suppression. Transport-free; the routes are in `server/api/shopper-routes.ts`.
 */
export { auditReference, generatePseudonymKey, loadPseudonymKey, pseudonymize, pseudonymKeyVariable, rekeyPseudonym, replaceKeyFile, writeKeyFile } from './pseudonym-key.ts';
export type { PseudonymKey } from './pseudonym-key.ts';
export { rotatePseudonymKey } from './rotate-pseudonym-key.ts';
export { servingChoices } from './serving-choices.ts';
export type { AppliedChoices, ServingChoices } from './serving-choices.ts';
export { submitFeedback } from './shopper-feedback.ts';
export type { FeedbackContext, FeedbackInput } from './shopper-feedback.ts';
export { eraseShopperData, exportShopperData, readPreferences, storedChoices, writePreferences } from './shopper-rights.ts';
export type { ErasureReceipt, PreferencesChange, PreferencesView, ShopperContext, ShopperExport } from './shopper-rights.ts';
