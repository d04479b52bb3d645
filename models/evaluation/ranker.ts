/** Anything that ranks the full catalogue for a held-out shopper: the model and every baseline. */
export interface RankingQuery {
  store: number;
  history: readonly number[];
}

export interface Ranker {
  readonly name: string;
  /** The k best item indices for the query, best first, over the whole catalogue. */
  rank(query: RankingQuery, k: number): number[];
}
