/**
 * What a recommendation request may do for a shopper, from the stored choices, the browser's
 * Global Privacy Control signal and the request's own flag. The request can only narrow: it can
 * turn personalisation off or add exclusions, never personalise a shopper whose stored choice does
 * not allow it. Opt-in: a shopper never asked is served non-personalised.
 */
import type { NonPersonalizedCode } from '../../explain/index.ts';
import type { ConsentChoice, ShopperPreferences, SuppressionRecord } from '../store/index.ts';

export interface ServingChoices {
  personalization: boolean;
  /** Why not, when not personalised. */
  because?: NonPersonalizedCode;
  excludeItems: string[];
  excludeCategories: string[];
  excludeBrands: string[];
  /** What the response reports as applied. */
  applied: AppliedChoices;
}

export interface AppliedChoices {
  /** Whether the request named a shopper (the stored choices were read). */
  shopper: boolean;
  /** The stored consent; null when the request named no shopper. */
  consent: ConsentChoice | null;
  doNotTarget: boolean;
  globalPrivacyControl: boolean;
  /** Stored category and brand exclusions applied (the request's own come on top). */
  excludedCategories: string[];
  excludedBrands: string[];
  /** Items of the shopper's suppression list in force (never-show, and not-relevant until it ends). */
  suppressedItems: number;
}

export interface ChoiceInputs {
  /** The request's own flag. */
  personalization: boolean;
  exclude?: string[];
  excludeCategories?: string[];
  /** `Sec-GPC: 1` was sent. */
  globalPrivacyControl: boolean;
  /** Present when the request named a shopper: that shopper's stored records (undefined preferences: none stored). */
  shopper?: { preferences: ShopperPreferences | undefined; suppressions: SuppressionRecord[] };
  /** The named shopper is in the holdout group: served non-personalised whatever they chose. */
  holdout?: boolean;
  now: Date;
}

/**
 * @example servingChoices({ personalization: true, globalPrivacyControl: true, now: new Date() }).because // 'global-privacy-control'
 */
export function servingChoices(input: ChoiceInputs): ServingChoices {
  const preferences = input.shopper?.preferences;
  const consent = input.shopper ? (preferences?.consent?.choice ?? 'never-asked') : null;
  const doNotTarget = preferences?.doNotTarget ?? false;
  const at = input.now.toISOString();
  const suppressed = (input.shopper?.suppressions ?? []).filter((s) => s.until === null || s.until > at).map((s) => s.itemId);
  // Most binding first: the signal a law requires to be honoured, then the shopper's stored choices, then the request.
  const because: NonPersonalizedCode | undefined = input.globalPrivacyControl
    ? 'global-privacy-control'
    : doNotTarget
      ? 'do-not-target'
      : consent === 'opted-out'
        ? 'opted-out'
        : consent === 'never-asked'
          ? 'consent-never-asked'
          : input.holdout
            ? 'holdout'
            : input.personalization
              ? undefined
              : 'non-personalized';
  const excludedCategories = preferences?.excludedCategories ?? [];
  const excludedBrands = preferences?.excludedBrands ?? [];
  return {
    personalization: because === undefined,
    ...(because ? { because } : {}),
    excludeItems: [...new Set([...(input.exclude ?? []), ...suppressed])],
    excludeCategories: [...new Set([...(input.excludeCategories ?? []), ...excludedCategories])],
    excludeBrands: excludedBrands,
    applied: { shopper: input.shopper !== undefined, consent, doNotTarget, globalPrivacyControl: input.globalPrivacyControl, excludedCategories, excludedBrands, suppressedItems: new Set(suppressed).size },
  };
}
