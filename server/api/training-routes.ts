/**
 * The training routes: start and follow federated jobs, see which store clients are connected, upload the model a job starts from and
 * download any stored version's weights (binary, the layout of models/weights/model-weights.ts).
 * Handlers only call the round engine and the store.
 */
import { z } from 'zod';
import { modelMeta } from '../../models/recommender/initialize-weights.ts';
import { cloneWeights, deserializeWeights, serializeWeights, type ModelWeights } from '../../models/weights/model-weights.ts';
import { FedrecError } from '../errors/index.ts';
import { recordGovernanceAction } from '../governance/index.ts';
import { jobView } from '../rounds/index.ts';
import type { ApiServices } from './route.ts';
import { route, type Route } from './route.ts';
import { clientParams, clientPopulationBody, clientPopulationResponse, connectedClientsResponse, jobListResponse, jobParams, jobResponse, modelBytes, modelVersionResponse, startJobBody, versionParams } from './training-schemas.ts';

/** Matches the socket adapter's message limit: a model that cannot travel in a round is refused here too. */
const modelBodyLimit = 64 * 2 ** 20;

export const trainingRoutes: readonly Route[] = [
  route({
    operationId: 'postJob',
    method: 'post',
    path: '/v1/jobs',
    tag: 'training',
    roles: ['engineer'],
    summary: 'Start a federated training job from a stored model version',
    body: startJobBody,
    response: jobResponse,
    // conflict: the job's whole plan would exceed the deployment's lifetime privacy budget (nothing is stored, no round runs).
    errors: ['not-found', 'unavailable', 'conflict'],
    handle: async ({ body, principal }, services) => {
      const { jobId, done } = await requireCoordinator(services).startJobFromVersion(body.config, body.initialVersion);
      // The job runs on after this answer: its failure is logged, never an unhandled rejection.
      done.catch((thrown: unknown) => services.logger.error({ err: thrown, job: jobId }, 'training job failed'));
      // Who started it: separation of duties reads this entry when a version of the job is approved.
      await recordGovernanceAction(services.store, { actor: principal!.keyId, action: 'job.started', target: jobId, details: { initialVersion: body.initialVersion } });
      return (await jobView(services.store, jobId))!;
    },
  }),
  route({
    operationId: 'listJobs',
    method: 'get',
    path: '/v1/jobs',
    tag: 'training',
    roles: ['engineer'],
    summary: 'Every training job, newest state first as the store lists them',
    response: jobListResponse,
    errors: [],
    handle: async (_, { store }) => ({
      jobs: (await store.listJobs()).map((j) => ({
        id: j.id,
        status: j.status,
        statusDetail: j.statusDetail,
        completedRounds: j.completedRounds,
        rounds: Number((j.config as { config?: { rounds?: number } }).config?.rounds ?? 0),
        createdAt: j.createdAt,
        updatedAt: j.updatedAt,
      })),
    }),
  }),
  route({
    operationId: 'getJob',
    method: 'get',
    path: '/v1/jobs/:jobId',
    tag: 'training',
    roles: ['engineer'],
    summary: 'A job: status, config, privacy resolved and spent, and every completed round',
    params: jobParams,
    response: jobResponse,
    errors: ['not-found'],
    handle: async ({ params }, { store }) => {
      const view = await jobView(store, params.jobId);
      if (!view) throw new FedrecError('not-found', `no job "${params.jobId}"`);
      return view;
    },
  }),
  route({
    operationId: 'cancelJob',
    method: 'post',
    path: '/v1/jobs/:jobId/cancel',
    tag: 'training',
    roles: ['engineer'],
    summary: 'Stop a job at once; it reads `cancelled` and is never resumed',
    params: jobParams,
    response: jobResponse,
    errors: ['not-found', 'conflict'],
    handle: async ({ params, principal }, services) => {
      // An unknown job is refused before anything is written (a rejected request leaves the store as it was).
      if (!(await services.store.getJob(params.jobId))) throw new FedrecError('not-found', `no job "${params.jobId}"`);
      // Who asked: the coordinator's own status write (`cancelled`) is audited too, as the system's.
      await recordGovernanceAction(services.store, { actor: principal!.keyId, action: 'job.cancel-requested', target: params.jobId });
      await requireCoordinator(services).cancelJob(params.jobId);
      return (await jobView(services.store, params.jobId))!;
    },
  }),
  route({
    operationId: 'putClientPopulation',
    method: 'put',
    path: '/v1/clients/:clientId/population',
    tag: 'training',
    roles: ['admin'],
    summary: "Set a registered store client's population (the shoppers it may sample from)",
    params: clientParams,
    body: clientPopulationBody,
    response: clientPopulationResponse,
    errors: ['not-found'],
    handle: async ({ params, body, principal }, { store }) => {
      const client = await store.setClientPopulation(params.clientId, body.shoppers);
      // A population bounds q, the noise's denominator and every norm bound: who changed it is on record.
      await recordGovernanceAction(store, { actor: principal!.keyId, action: 'client.population-changed', target: client.id, details: { shoppers: client.population } });
      return { id: client.id, storeId: client.storeId, shoppers: client.population };
    },
  }),
  route({
    operationId: 'listConnectedClients',
    method: 'get',
    path: '/v1/clients/connected',
    tag: 'training',
    roles: ['engineer'],
    summary: 'The store clients connected now, each with the number of shoppers it holds (its sampling population)',
    response: connectedClientsResponse,
    errors: ['unavailable'],
    handle: (_, services) => ({ clients: requireCoordinator(services).connectedClients() }),
  }),
  route({
    operationId: 'postModelVersion',
    method: 'post',
    path: '/v1/model-versions',
    tag: 'training',
    roles: ['engineer'],
    summary: 'Store model weights (application/octet-stream) as a new version a job can start from',
    body: modelBytes,
    bodyType: 'binary',
    bodyLimit: modelBodyLimit,
    response: modelVersionResponse,
    errors: [],
    handle: async ({ body }, { store }) => {
      const weights = cloneWeights(readModel(body), await store.nextModelVersion());
      const record = { version: weights.manifest.version, jobId: null, round: 0, metrics: {}, epsilon: null };
      await store.saveModelVersion(record, weights);
      const saved = await store.getModelVersion(record.version);
      return { ...record, parameters: weights.manifest.size, createdAt: saved!.record.createdAt };
    },
  }),
  route({
    operationId: 'getModelWeights',
    method: 'get',
    path: '/v1/model-versions/:version/weights',
    tag: 'training',
    roles: ['engineer'],
    summary: "A stored model version's weights (application/octet-stream)",
    params: versionParams,
    response: z.custom<Uint8Array>((value) => value instanceof Uint8Array),
    responseType: 'binary',
    errors: ['not-found'],
    handle: async ({ params }, { store }) => {
      const stored = await store.getModelVersion(params.version);
      if (!stored) throw new FedrecError('not-found', `no model version ${params.version}`);
      return serializeWeights(stored.weights);
    },
  }),
];

/** The coordinator, or 503 on a server that runs none (the privacy routes share it). */
export function requireCoordinator(services: ApiServices): NonNullable<ApiServices['coordinator']> {
  if (!services.coordinator) throw new FedrecError('unavailable', 'this server runs no coordinator: start it with `fedrec serve`');
  return services.coordinator;
}

/** Bytes → weights of a recommender model, or invalid-input saying what is wrong with them. */
function readModel(bytes: Uint8Array): ModelWeights {
  try {
    const weights = deserializeWeights(bytes);
    modelMeta(weights);
    return weights;
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    throw new FedrecError('invalid-input', 'the body is not a fedrec model', [{ path: ['body'], message }]);
  }
}
