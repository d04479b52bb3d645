/**
 * The measurement half of the SQLite store: holdout assignments, issued recommendations and
 * outcome events (`measurement-records.ts`). Batches are one IMMEDIATE transaction each.
 */
import type Database from 'better-sqlite3';
import type { ConsentChange, HoldoutAssignment, IssuedRecommendation, OutcomeEvent, OutcomeFilter, OutcomeInsert } from './measurement-records.ts';
import { holdoutAssignmentInput, issuedRecommendationInput, outcomeEventInput } from './measurement-validation.ts';
import { pseudonym as pseudonymSchema } from './shopper-validation.ts';
import { checked } from './store-validation.ts';
import type { FeedbackRecord } from './shopper-records.ts';

type Params = Record<string, string | number | null>;
interface RecommendationRow { id: string; pseudonym: string; group: string; modelVersion: number | null; items: string; issuedAt: string }

const eventColumns = `event_id AS eventId, pseudonym, kind, recommendation_id AS recommendationId, item_id AS itemId, position, value, currency,
  model_version AS modelVersion, experiment_group AS "group", at`;

function prepare(db: Database.Database) {
  return {
    getAssignment: db.prepare<[string], HoldoutAssignment>('SELECT pseudonym, experiment_group AS "group", share, assigned_at AS assignedAt FROM experiment_assignments WHERE pseudonym = ?'),
    insertAssignment: db.prepare<Params>('INSERT INTO experiment_assignments (pseudonym, experiment_group, share, assigned_at) VALUES (@pseudonym, @group, @share, @assignedAt) ON CONFLICT (pseudonym) DO NOTHING'),
    listAssignments: db.prepare<[], HoldoutAssignment>('SELECT pseudonym, experiment_group AS "group", share, assigned_at AS assignedAt FROM experiment_assignments ORDER BY assigned_at, pseudonym'),
    insertRecommendation: db.prepare<Params>(`INSERT INTO issued_recommendations (id, pseudonym, experiment_group, model_version, items, issued_at)
      VALUES (@id, @pseudonym, @group, @modelVersion, @items, @issuedAt) ON CONFLICT (id) DO NOTHING`),
    getRecommendation: db.prepare<[string], RecommendationRow>(`SELECT id, pseudonym, experiment_group AS "group", model_version AS modelVersion, items, issued_at AS issuedAt
      FROM issued_recommendations WHERE id = ?`),
    insertEvent: db.prepare<Params>(`INSERT INTO outcome_events (event_id, pseudonym, kind, recommendation_id, item_id, position, value, currency, model_version, experiment_group, at)
      VALUES (@eventId, @pseudonym, @kind, @recommendationId, @itemId, @position, @value, @currency, @modelVersion, @group, @at) ON CONFLICT DO NOTHING`),
    listEvents: db.prepare<Params, OutcomeEvent>(`SELECT ${eventColumns} FROM outcome_events
      WHERE (@from IS NULL OR at >= @from) AND (@to IS NULL OR at <= @to) AND (@kind IS NULL OR kind = @kind) ORDER BY at, id`),
    consentChanges: db.prepare<Params, ConsentChange>(`SELECT pseudonym, json_extract(record, '$.choice') AS choice, json_extract(record, '$.time') AS time
      FROM shopper_consent_history WHERE (@from IS NULL OR json_extract(record, '$.time') >= @from) AND (@to IS NULL OR json_extract(record, '$.time') <= @to)
      ORDER BY time, pseudonym, seq`),
    feedback: db.prepare<Params, FeedbackRecord & { pseudonym: string | null }>(`SELECT pseudonym, item_id AS itemId, model_version AS modelVersion, recommendation_id AS recommendationId,
      kind, rating, created_at AS createdAt FROM shopper_feedback WHERE (@from IS NULL OR created_at >= @from) AND (@to IS NULL OR created_at <= @to) ORDER BY created_at, id`),
    suppressions: db.prepare<[string], { suppressions: number; shoppers: number }>('SELECT count(*) AS suppressions, count(DISTINCT pseudonym) AS shoppers FROM shopper_suppressions WHERE until IS NULL OR until > ?'),
    purgeEvents: db.prepare<[string]>('DELETE FROM outcome_events WHERE at < ?'),
    purgeRecommendations: db.prepare<[string]>('DELETE FROM issued_recommendations WHERE issued_at < ?'),
  };
}

/** The measurement methods over an open, migrated connection; `run` is the store's guard. */
export function sqliteMeasurement(db: Database.Database, run: <T>(operation: string, body: () => T) => T) {
  const sql = prepare(db);
  return {
    getHoldoutAssignment: (pseudonym: string) => run('getHoldoutAssignment', () => sql.getAssignment.get(checked('getHoldoutAssignment', pseudonymSchema, pseudonym, ['pseudonym']))),
    assignHoldout: (assignment: HoldoutAssignment): HoldoutAssignment =>
      run('assignHoldout', () => db.transaction(() => {
        const valid = checked('assignHoldout', holdoutAssignmentInput, assignment);
        sql.insertAssignment.run(valid);
        return sql.getAssignment.get(valid.pseudonym)!;
      }).immediate()),
    listHoldoutAssignments: () => run('listHoldoutAssignments', () => sql.listAssignments.all()),
    addIssuedRecommendations: (recommendations: IssuedRecommendation[]): void =>
      run('addIssuedRecommendations', () => {
        const valid = recommendations.map((r, i) => checked('addIssuedRecommendations', issuedRecommendationInput, r, [i]));
        db.transaction(() => {
          for (const r of valid) sql.insertRecommendation.run({ ...r, items: JSON.stringify(r.items) });
        }).immediate();
      }),
    getIssuedRecommendations: (ids: string[]): IssuedRecommendation[] =>
      run('getIssuedRecommendations', () =>
        ids.flatMap((id) => {
          const row = sql.getRecommendation.get(id);
          return row ? [{ ...row, group: row.group as IssuedRecommendation['group'], items: JSON.parse(row.items) as string[] }] : [];
        })),
    addOutcomeEvents: (events: OutcomeEvent[]): OutcomeInsert =>
      run('addOutcomeEvents', () => {
        const valid = events.map((e, i) => checked('addOutcomeEvents', outcomeEventInput, e, [i]));
        return db.transaction(() => {
          const duplicateIndexes: number[] = [];
          valid.forEach((e, i) => sql.insertEvent.run(e).changes === 0 && duplicateIndexes.push(i));
          return { added: valid.length - duplicateIndexes.length, duplicates: duplicateIndexes.length, duplicateIndexes };
        }).immediate();
      }),
    listOutcomeEvents: (filter: OutcomeFilter = {}) => run('listOutcomeEvents', () => sql.listEvents.all({ from: filter.from ?? null, to: filter.to ?? null, kind: filter.kind ?? null })),
    listConsentChanges: (filter: { from?: string; to?: string } = {}) => run('listConsentChanges', () => sql.consentChanges.all({ from: filter.from ?? null, to: filter.to ?? null })),
    listFeedbackBetween: (filter: { from?: string; to?: string } = {}) => run('listFeedbackBetween', () => sql.feedback.all({ from: filter.from ?? null, to: filter.to ?? null })),
    countSuppressions: (at: string) => run('countSuppressions', () => sql.suppressions.get(at)!),
    purgeMeasurement: (before: string): { events: number; recommendations: number } =>
      run('purgeMeasurement', () => db.transaction(() => ({ events: sql.purgeEvents.run(before).changes, recommendations: sql.purgeRecommendations.run(before).changes })).immediate()),
  };
}
