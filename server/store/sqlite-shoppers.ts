/**
 * The shopper half of the SQLite store: preferences, consent history, suppressions and feedback,
 * each keyed by pseudonym. A consent change, its history row and its audit entry commit in one
 * IMMEDIATE transaction; so do an erasure or a re-keying and theirs.
 */
import type Database from 'better-sqlite3';
import type { AuditDraft, AuditEntry } from './governance-records.ts';
import type { ConsentRecord, ErasureCounts, FeedbackRecord, ShopperPreferences, SuppressionRecord } from './shopper-records.ts';
import { consentRecord, feedbackInput, preferencesInput, pseudonym as pseudonymSchema, suppressionInput } from './shopper-validation.ts';
import { checked } from './store-validation.ts';

type Params = Record<string, string | number | null>;
interface PreferencesRow { consent: string | null; doNotTarget: number; excludedCategories: string; excludedBrands: string; updatedAt: string }

/** Every table that holds a pseudonym: erasure and re-keying walk exactly these. */
const shopperTables = ['shopper_preferences', 'shopper_consent_history', 'shopper_suppressions', 'shopper_feedback', 'experiment_assignments', 'issued_recommendations', 'outcome_events'] as const;

function prepare(db: Database.Database) {
  return {
    getPreferences: db.prepare<[string], PreferencesRow>(`SELECT consent, do_not_target AS doNotTarget, excluded_categories AS excludedCategories,
      excluded_brands AS excludedBrands, updated_at AS updatedAt FROM shopper_preferences WHERE pseudonym = ?`),
    putPreferences: db.prepare<Params>(`INSERT INTO shopper_preferences (pseudonym, consent, do_not_target, excluded_categories, excluded_brands, updated_at)
      VALUES (@pseudonym, @consent, @doNotTarget, @excludedCategories, @excludedBrands, @now)
      ON CONFLICT (pseudonym) DO UPDATE SET consent = excluded.consent, do_not_target = excluded.do_not_target,
        excluded_categories = excluded.excluded_categories, excluded_brands = excluded.excluded_brands, updated_at = excluded.updated_at`),
    lastConsentSeq: db.prepare<[string], { seq: number | null }>('SELECT max(seq) AS seq FROM shopper_consent_history WHERE pseudonym = ?'),
    insertConsent: db.prepare<Params>('INSERT INTO shopper_consent_history (pseudonym, seq, record) VALUES (@pseudonym, @seq, @record)'),
    listConsent: db.prepare<[string], { record: string }>('SELECT record FROM shopper_consent_history WHERE pseudonym = ? ORDER BY seq'),
    insertFeedback: db.prepare<Params>(`INSERT INTO shopper_feedback (pseudonym, item_id, model_version, recommendation_id, kind, rating, created_at)
      VALUES (@pseudonym, @itemId, @modelVersion, @recommendationId, @kind, @rating, @now)`),
    listFeedback: db.prepare<[string], FeedbackRecord>(`SELECT item_id AS itemId, model_version AS modelVersion, recommendation_id AS recommendationId, kind, rating,
      created_at AS createdAt FROM shopper_feedback WHERE pseudonym = ? ORDER BY id`),
    // A repeated suppression of the same item for the same reason moves its end, never adds a row.
    putSuppression: db.prepare<Params>(`INSERT INTO shopper_suppressions (pseudonym, item_id, reason, until, created_at) VALUES (@pseudonym, @itemId, @reason, @until, @now)
      ON CONFLICT (pseudonym, item_id, reason) DO UPDATE SET until = excluded.until, created_at = excluded.created_at`),
    listSuppressions: db.prepare<[string], SuppressionRecord>(`SELECT item_id AS itemId, reason, until, created_at AS createdAt FROM shopper_suppressions
      WHERE pseudonym = ? ORDER BY item_id, reason`),
    erase: shopperTables.map((table) => db.prepare<[string]>(`DELETE FROM ${table} WHERE pseudonym = ?`)),
    pseudonyms: db.prepare<[], { pseudonym: string }>(shopperTables.map((table) => `SELECT pseudonym FROM ${table} WHERE pseudonym IS NOT NULL`).join(' UNION ')),
    rekey: shopperTables.map((table) => db.prepare<[string, string]>(`UPDATE ${table} SET pseudonym = ? WHERE pseudonym = ?`)),
  };
}

/**
 * The shopper methods over an open, migrated connection; `run` is the store's guard, `append` the
 * governance half's in-transaction audit append.
 */
export function sqliteShoppers(db: Database.Database, run: <T>(operation: string, body: () => T) => T, append: (operation: string, draft: AuditDraft) => AuditEntry) {
  const sql = prepare(db);
  const now = () => new Date().toISOString();
  const key = (operation: string, value: string) => checked(operation, pseudonymSchema, value, ['pseudonym']);
  const read = (pseudonym: string): ShopperPreferences | undefined => {
    const row = sql.getPreferences.get(pseudonym);
    if (!row) return undefined;
    return { consent: row.consent === null ? null : JSON.parse(row.consent), doNotTarget: row.doNotTarget === 1, excludedCategories: JSON.parse(row.excludedCategories), excludedBrands: JSON.parse(row.excludedBrands), updatedAt: row.updatedAt };
  };

  return {
    getShopperPreferences: (pseudonym: string) => run('getShopperPreferences', () => read(key('getShopperPreferences', pseudonym))),
    putShopperPreferences: (pseudonym: string, preferences: Omit<ShopperPreferences, 'updatedAt'>, consentAudit?: AuditDraft): ShopperPreferences =>
      run('putShopperPreferences', () => db.transaction(() => {
        const p = key('putShopperPreferences', pseudonym);
        const valid = checked('putShopperPreferences', preferencesInput, preferences);
        const before = read(p)?.consent ?? null;
        const consent = valid.consent && JSON.stringify(valid.consent);
        sql.putPreferences.run({ pseudonym: p, consent, doNotTarget: valid.doNotTarget ? 1 : 0, excludedCategories: JSON.stringify(valid.excludedCategories), excludedBrands: JSON.stringify(valid.excludedBrands), now: now() });
        if (consent !== null && consent !== (before && JSON.stringify(before))) {
          sql.insertConsent.run({ pseudonym: p, seq: (sql.lastConsentSeq.get(p)?.seq ?? 0) + 1, record: consent });
          if (consentAudit) append('putShopperPreferences', consentAudit);
        }
        return read(p)!;
      }).immediate()),
    listConsentHistory: (pseudonym: string): ConsentRecord[] =>
      run('listConsentHistory', () => sql.listConsent.all(key('listConsentHistory', pseudonym)).map((row) => checked('listConsentHistory', consentRecord, JSON.parse(row.record)))),
    addShopperFeedback: (pseudonym: string | null, feedback: Omit<FeedbackRecord, 'createdAt'>, suppression?: Omit<SuppressionRecord, 'createdAt'>): void =>
      run('addShopperFeedback', () => db.transaction(() => {
        const p = pseudonym === null ? null : key('addShopperFeedback', pseudonym);
        const valid = checked('addShopperFeedback', feedbackInput, feedback);
        const hide = suppression && checked('addShopperFeedback', suppressionInput, suppression, ['suppression']);
        sql.insertFeedback.run({ pseudonym: p, ...valid, now: now() });
        if (hide && p !== null) sql.putSuppression.run({ pseudonym: p, ...hide, now: now() });
      }).immediate()),
    listShopperFeedback: (pseudonym: string) => run('listShopperFeedback', () => sql.listFeedback.all(key('listShopperFeedback', pseudonym))),
    listSuppressions: (pseudonym: string) => run('listSuppressions', () => sql.listSuppressions.all(key('listSuppressions', pseudonym))),
    eraseShopper: (pseudonym: string, audit: (counts: ErasureCounts) => AuditDraft): ErasureCounts =>
      run('eraseShopper', () => db.transaction(() => {
        const p = key('eraseShopper', pseudonym);
        const [preferences, consentRecords, suppressions, feedback, experimentAssignments, issuedRecommendations, outcomeEvents] = sql.erase.map((statement) => statement.run(p).changes);
        const counts = { preferences, consentRecords, suppressions, feedback, experimentAssignments, issuedRecommendations, outcomeEvents };
        append('eraseShopper', audit(counts));
        return counts;
      }).immediate()),
    rekeyShoppers: (rekey: (pseudonym: string) => string, audit: (shoppers: number) => AuditDraft): number =>
      run('rekeyShoppers', () => db.transaction(() => {
        const all = sql.pseudonyms.all().map((row) => row.pseudonym);
        const renamed = all.map((old) => [old, key('rekeyShoppers', rekey(old))] as const);
        // HMAC outputs collide with negligible probability; a collision would merge two shoppers, so it is refused.
        if (new Set([...all, ...renamed.map(([, next]) => next)]).size !== 2 * all.length) throw new Error('rekeyShoppers: a new pseudonym collides with another');
        for (const [old, next] of renamed) for (const statement of sql.rekey) statement.run(next, old);
        append('rekeyShoppers', audit(all.length));
        return all.length;
      }).immediate()),
  };
}
