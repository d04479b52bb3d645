/**
 * The measurement half of the memory store. Like the shopper half it checks everything before it
 * mutates anything; erasure and re-keying are driven from `memory-shoppers.ts` through
 * `countOf`, `erase`, `pseudonyms` and `rekey`, so one erasure covers both halves.
 */
import type { ConsentChange, HoldoutAssignment, IssuedRecommendation, OutcomeEvent, OutcomeFilter, OutcomeInsert } from './measurement-records.ts';
import { holdoutAssignmentInput, issuedRecommendationInput, outcomeEventInput } from './measurement-validation.ts';
import { pseudonym as pseudonymSchema } from './shopper-validation.ts';
import { checked } from './store-validation.ts';
import type { FeedbackRecord } from './shopper-records.ts';

export interface LinkedCounts {
  experimentAssignments: number;
  issuedRecommendations: number;
  outcomeEvents: number;
}

export class MemoryMeasurement {
  private readonly assignments = new Map<string, HoldoutAssignment>();
  private readonly recommendations = new Map<string, IssuedRecommendation>();
  private events: OutcomeEvent[] = [];
  private readonly eventKeys = new Set<string>();

  constructor(private readonly shoppers: { consentChanges(): ConsentChange[]; allFeedback(): (FeedbackRecord & { pseudonym: string | null })[]; countSuppressions(at: string): { suppressions: number; shoppers: number } }) {}

  listFeedbackBetween(filter: { from?: string; to?: string } = {}): (FeedbackRecord & { pseudonym: string | null })[] {
    const kept = this.shoppers.allFeedback().filter((f) => (filter.from === undefined || f.createdAt >= filter.from) && (filter.to === undefined || f.createdAt <= filter.to));
    return kept.map((f, i) => ({ f, i })).sort((a, b) => compare(a.f.createdAt, b.f.createdAt) || a.i - b.i).map(({ f }) => f);
  }

  countSuppressions(at: string): { suppressions: number; shoppers: number } {
    return this.shoppers.countSuppressions(at);
  }

  getHoldoutAssignment(pseudonym: string): HoldoutAssignment | undefined {
    return structuredClone(this.assignments.get(checked('getHoldoutAssignment', pseudonymSchema, pseudonym, ['pseudonym'])));
  }

  assignHoldout(assignment: HoldoutAssignment): HoldoutAssignment {
    const valid = checked('assignHoldout', holdoutAssignmentInput, assignment);
    if (!this.assignments.has(valid.pseudonym)) this.assignments.set(valid.pseudonym, structuredClone(valid));
    return structuredClone(this.assignments.get(valid.pseudonym)!);
  }

  listHoldoutAssignments(): HoldoutAssignment[] {
    return structuredClone([...this.assignments.values()].sort((a, b) => compare(a.assignedAt, b.assignedAt) || compare(a.pseudonym, b.pseudonym)));
  }

  addIssuedRecommendations(recommendations: IssuedRecommendation[]): void {
    const valid = recommendations.map((r, i) => checked('addIssuedRecommendations', issuedRecommendationInput, r, [i]));
    for (const r of valid) if (!this.recommendations.has(r.id)) this.recommendations.set(r.id, structuredClone(r));
  }

  getIssuedRecommendations(ids: string[]): IssuedRecommendation[] {
    return structuredClone(ids.flatMap((id) => this.recommendations.get(id) ?? []));
  }

  addOutcomeEvents(events: OutcomeEvent[]): OutcomeInsert {
    const valid = events.map((e, i) => checked('addOutcomeEvents', outcomeEventInput, e, [i]));
    const duplicateIndexes: number[] = [];
    valid.forEach((e, i) => {
      const key = eventKey(e);
      if (this.eventKeys.has(key)) return void duplicateIndexes.push(i);
      this.eventKeys.add(key);
      this.events.push(structuredClone(e));
    });
    return { added: valid.length - duplicateIndexes.length, duplicates: duplicateIndexes.length, duplicateIndexes };
  }

  listOutcomeEvents(filter: OutcomeFilter = {}): OutcomeEvent[] {
    const kept = this.events.filter((e) => (filter.from === undefined || e.at >= filter.from) && (filter.to === undefined || e.at <= filter.to) && (filter.kind === undefined || e.kind === filter.kind));
    // Stable: events of the same time stay in insertion order, as SQLite's ORDER BY at, id.
    return structuredClone(kept.map((e, i) => ({ e, i })).sort((a, b) => compare(a.e.at, b.e.at) || a.i - b.i).map(({ e }) => e));
  }

  listConsentChanges(filter: { from?: string; to?: string } = {}): ConsentChange[] {
    return this.shoppers.consentChanges()
      .filter((c) => (filter.from === undefined || c.time >= filter.from) && (filter.to === undefined || c.time <= filter.to))
      .sort((a, b) => compare(a.time, b.time) || compare(a.pseudonym, b.pseudonym));
  }

  purgeMeasurement(before: string): { events: number; recommendations: number } {
    const kept = this.events.filter((e) => e.at >= before);
    const events = this.events.length - kept.length;
    for (const e of this.events) if (e.at < before) this.eventKeys.delete(eventKey(e));
    this.events = kept;
    let recommendations = 0;
    for (const [id, r] of this.recommendations) if (r.issuedAt < before) (this.recommendations.delete(id), recommendations++);
    return { events, recommendations };
  }

  countOf(pseudonym: string): LinkedCounts {
    return {
      experimentAssignments: this.assignments.has(pseudonym) ? 1 : 0,
      issuedRecommendations: [...this.recommendations.values()].filter((r) => r.pseudonym === pseudonym).length,
      outcomeEvents: this.events.filter((e) => e.pseudonym === pseudonym).length,
    };
  }

  erase(pseudonym: string): void {
    this.assignments.delete(pseudonym);
    for (const [id, r] of this.recommendations) if (r.pseudonym === pseudonym) this.recommendations.delete(id);
    for (const e of this.events) if (e.pseudonym === pseudonym) this.eventKeys.delete(eventKey(e));
    this.events = this.events.filter((e) => e.pseudonym !== pseudonym);
  }

  pseudonyms(): Set<string> {
    return new Set([...this.assignments.keys(), ...[...this.recommendations.values()].map((r) => r.pseudonym), ...this.events.map((e) => e.pseudonym)]);
  }

  rekey(next: (pseudonym: string) => string): void {
    const assignments = [...this.assignments.values()].map((a) => ({ ...a, pseudonym: next(a.pseudonym) }));
    this.assignments.clear();
    for (const a of assignments) this.assignments.set(a.pseudonym, a);
    for (const r of this.recommendations.values()) r.pseudonym = next(r.pseudonym);
    this.eventKeys.clear();
    for (const e of this.events) (e.pseudonym = next(e.pseudonym), this.eventKeys.add(eventKey(e)));
  }
}

const eventKey = (e: OutcomeEvent): string => `${e.pseudonym}\u0000${e.eventId}\u0000${e.itemId}`;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
