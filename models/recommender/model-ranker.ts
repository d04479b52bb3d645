/** The trained model as a Ranker, scoring the full catalogue through the ConceptScorer. */
import type { Ranker } from '../evaluation/ranker.ts';
import { topK } from './top-k.ts';
import type { ConceptScorer } from './concept-scorer.ts';

export function modelRanker(scorer: ConceptScorer, name = 'fedrec model'): Ranker {
  const scores = new Float32Array(scorer.shape.items);
  return {
    name,
    rank: (query, k) => topK(scorer.scoreAll(scorer.prepare(query), scores), k),
  };
}
