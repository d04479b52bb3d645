/**
 * The CLI's client of a running coordinator's training routes (`fedrec serve`): upload the model a
 * job starts from, start the job, read it, download a version's weights. Weights travel as
 * application/octet-stream; any error answer becomes a FedrecError carrying the server's code
 * (`api-client.ts`).
 */
import { deserializeWeights, serializeWeights, type ModelWeights } from '../models/index.ts';
import type { JobConfigInput, JobView } from '../server/rounds/index.ts';
import { callApi } from './api-client.ts';

export class CoordinatorClient {
  /** `apiKey`: an API key with the role engineer, which every training route requires. */
  constructor(
    readonly url: string,
    private readonly apiKey: string,
  ) {}

  /** Stores `weights` as a new model version; resolves with its number. */
  async uploadModel(weights: ModelWeights): Promise<number> {
    const bytes = serializeWeights(weights);
    const answer = await this.call('POST', '/v1/model-versions', { body: new Blob([bytes as Uint8Array<ArrayBuffer>]), type: 'application/octet-stream' });
    return ((await answer.json()) as { version: number }).version;
  }

  async startJob(config: JobConfigInput, initialVersion: number): Promise<JobView> {
    const answer = await this.call('POST', '/v1/jobs', { body: JSON.stringify({ config, initialVersion }), type: 'application/json' });
    return (await answer.json()) as JobView;
  }

  async job(jobId: string): Promise<JobView> {
    return (await (await this.call('GET', `/v1/jobs/${encodeURIComponent(jobId)}`)).json()) as JobView;
  }

  /** Stops a job at once; resolves with its view, which reads `cancelled`. */
  async cancelJob(jobId: string): Promise<JobView> {
    return (await (await this.call('POST', `/v1/jobs/${encodeURIComponent(jobId)}/cancel`)).json()) as JobView;
  }

  /** The store clients connected now. */
  async connectedClients(): Promise<{ id: string; shoppers: number }[]> {
    return ((await (await this.call('GET', '/v1/clients/connected')).json()) as { clients: { id: string; shoppers: number }[] }).clients;
  }

  async weights(version: number): Promise<ModelWeights> {
    const answer = await this.call('GET', `/v1/model-versions/${version}/weights`);
    return deserializeWeights(new Uint8Array(await answer.arrayBuffer()));
  }

  private call(method: string, path: string, payload?: { body: BodyInit; type: string }): Promise<Response> {
    return callApi(this.url, this.apiKey, method, path, payload);
  }
}
