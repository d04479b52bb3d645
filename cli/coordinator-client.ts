/**
 * The CLI's client of a running coordinator's training routes (`fedrec serve`): upload the model a
 * job starts from, start the job, read it, download a version's weights. Weights travel as
 * application/octet-stream; any error answer becomes a FedrecError carrying the server's code.
 */
import { deserializeWeights, serializeWeights, type ModelWeights } from '../models/index.ts';
import { errorCodes, FedrecError, type ErrorCode, type ErrorIssue } from '../server/errors/index.ts';
import type { JobConfigInput, JobView } from '../server/rounds/index.ts';

export class CoordinatorClient {
  /** `operatorToken`: the coordinator's operator token, which every training route requires. */
  constructor(
    readonly url: string,
    private readonly operatorToken: string,
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

  private async call(method: string, path: string, payload?: { body: BodyInit; type: string }): Promise<Response> {
    let answer: Response;
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${this.operatorToken}`, ...(payload ? { 'content-type': payload.type } : {}) };
      answer = await fetch(new URL(path, this.url), { method, headers, ...(payload ? { body: payload.body } : {}) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new FedrecError('unavailable', `cannot reach the coordinator at ${this.url} (${cause?.code ?? cause?.message ?? String(err)})`);
    }
    if (answer.ok) return answer;
    const body = (await answer.json().catch(() => undefined)) as { error?: { code?: string; message?: string; issues?: ErrorIssue[] } } | undefined;
    const code = body?.error?.code;
    const known = code !== undefined && code in errorCodes;
    throw new FedrecError(known ? (code as ErrorCode) : 'internal', `${method} ${path}: ${answer.status} ${body?.error?.message ?? answer.statusText}`, body?.error?.issues ?? []);
  }
}
