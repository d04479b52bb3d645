/**
 * The deployment's privacy ledger over REST: what every job's releases spent together against the
 * operator's lifetime budget (`GET /v1/privacy`), and the budget setting (`PUT /v1/privacy/budget`,
 * admin). Handlers only call the coordinator and, for the setting, the audit log.
 */
import { z } from 'zod';
import { recordGovernanceAction } from '../governance/index.ts';
import { route, type Route } from './route.ts';
import { requireCoordinator } from './training-routes.ts';

const budget = z.object({
  epsilon: z.number().positive().max(1e6).describe('Lifetime ε of the deployment.'),
  delta: z.number().gt(0).lt(1).describe('Lifetime δ; the ledger converts its composed RDP at this δ.'),
});

export const ledgerResponse = z.object({
  budget: budget.nullable().describe('The lifetime budget, or null when none is set (jobs are then bounded only by their own budgets).'),
  spent: z.object({
    epsilon: z.number().nullable().describe("Every job's releases composed in RDP and converted once; null when a job without DP released a model (unbounded)."),
    delta: z.number(),
  }),
  remaining: z.number().nullable().describe('Budget ε minus the spent ε; null without a budget.'),
  jobs: z.array(z.object({ jobId: z.string(), epsilon: z.number().nullable().describe("This job's releases alone, at the ledger's δ."), releases: z.int() })),
});

export const budgetBody = z.strictObject({ budget: budget.nullable().describe('The new lifetime budget; null removes it.') });

export const privacyRoutes: readonly Route[] = [
  route({
    operationId: 'getPrivacyLedger',
    method: 'get',
    path: '/v1/privacy',
    tag: 'privacy',
    // Whoever decides on jobs and on what is served, and whoever sets the budget.
    roles: ['engineer', 'approver', 'admin'],
    summary: "The deployment's lifetime privacy spend, each job's share, and what remains of the budget",
    response: ledgerResponse,
    errors: ['unavailable'],
    handle: (_, services) => requireCoordinator(services).privacyLedger(),
  }),
  route({
    operationId: 'putPrivacyBudget',
    method: 'put',
    path: '/v1/privacy/budget',
    tag: 'privacy',
    roles: ['admin'],
    summary: 'Set or remove the lifetime (ε, δ) budget; jobs that would exceed it are refused (409) and running ones stop as budget-exhausted',
    body: budgetBody,
    response: ledgerResponse,
    errors: ['unavailable'],
    handle: async ({ body, principal }, services) => {
      const ledger = await requireCoordinator(services).setPrivacyBudget(body.budget);
      await recordGovernanceAction(services.store, { actor: principal!.keyId, action: 'budget.changed', target: 'deployment', details: { budget: body.budget } });
      return ledger;
    },
  }),
];
