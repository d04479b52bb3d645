/**
 * Crash safety at random moments (issue 15, point 3): ten trials, each SIGKILLs a real coordinator
 * child process (test/resume/crash-federation.ts: coordinator, three store clients and a DP job on a
 * SQLite file) at a seeded uniformly random moment of its running job, then restarts it on the same
 * file until the job completes. Every trial must:
 * - resume: the restarted process resumes the job (never starts another) and completes it;
 * - lose or corrupt no released version: every version the killed process reported released is in
 *   the file with the same SHA-256 of its weights, and so is every version of the resumed run;
 * - never under-report ε: the spend stored at the kill covers every round released by then, and the
 *   final ε is at least the uninterrupted run's (same rounds, same releases);
 * - count no round twice: the rounds are exactly 1..R, each with its own released version.
 * The final model is compared with uninterrupted runs statistically: the noise is drawn from the OS
 * CSPRNG and clients restart their samplers, so no two runs, interrupted or not, are bit-equal. The
 * test split's recall@10 of each final model must lie within 4 pooled standard deviations (over all
 * runs; at least 0.02) of the uninterrupted runs' mean, and the trials' mean within 3 standard errors.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorld } from '../../client-sim/world/generate-world.ts';
import { leaveLastOut } from '../../models/data/leave-last-out.ts';
import { SeededRandom } from '../../models/data/seeded-random.ts';
import { evaluateRanker } from '../../models/evaluation/evaluate-ranker.ts';
import { ConceptScorer } from '../../models/recommender/concept-scorer.ts';
import { modelMeta } from '../../models/recommender/initialize-weights.ts';
import { modelForWorld } from '../../models/recommender/model-for-world.ts';
import { modelRanker } from '../../models/recommender/model-ranker.ts';
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import { openStore } from '../../server/store/index.ts';
import { crashJob, crashModel, crashWorld } from './crash-federation.ts';

interface ChildEvent {
  event: 'started' | 'released' | 'done' | 'round';
  jobId?: string;
  resumed?: boolean;
  version?: number;
  sha256?: string;
  status?: string;
  eventLoopP99Ms?: number;
}

/** Starts the child on `db`; `events` fills as it prints; `exit` settles with its signal or code. */
function startChild(db: string): { events: ChildEvent[]; kill: () => void; exit: Promise<string>; startedAt: () => number | undefined } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/resume/crash-federation.ts', db], { stdio: ['ignore', 'pipe', 'pipe'] });
  const events: ChildEvent[] = [];
  let started: number | undefined;
  let buffered = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const event = JSON.parse(line) as ChildEvent;
      if (event.event === 'started') started = performance.now();
      events.push(event);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? `exit ${code}${code ? `: ${stderr.slice(-2000)}` : ''}`)));
  return { events, kill: () => child.kill('SIGKILL'), exit, startedAt: () => started };
}

const sha256 = (weights: ModelWeights): string => createHash('sha256').update(new Uint8Array(weights.values.buffer, weights.values.byteOffset, weights.values.byteLength)).digest('hex');

const world = generateWorld(crashWorld);
const split = leaveLastOut(world.shoppers);
const features = modelForWorld(world, 5, crashModel).features;
const recallOf = (weights: ModelWeights): number => evaluateRanker(modelRanker(new ConceptScorer(modelMeta(weights).shape, weights, features)), split.test)['recall@10'];

/** What the file holds for its one job once it completed, checked against every version a process reported. */
async function finalState(db: string, reported: Map<number, string>): Promise<{ epsilon: number; recall: number }> {
  const store = openStore(db);
  try {
    const jobs = await store.listJobs();
    expect(jobs, 'one job, resumed, never a second').to.have.length(1);
    expect(jobs[0].status).to.equal('completed');
    const rounds = await store.listRounds(jobs[0].id);
    expect(rounds.map((r) => r.round), 'no round counted twice or missing').to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(new Set(rounds.map((r) => r.releasedVersion)).size, 'each round its own version').to.equal(crashJob.rounds);
    for (const [version, hash] of reported) {
      const stored = await store.getModelVersion(version);
      expect(stored, `released version ${version} is kept`).to.not.equal(undefined);
      expect(sha256(stored!.weights), `released version ${version} is intact`).to.equal(hash);
    }
    const last = (await store.getModelVersion(rounds.at(-1)!.releasedVersion))!;
    const spend = (await store.getPrivacySpend(jobs[0].id))!;
    expect(spend.epsilon).to.be.at.least(rounds.at(-1)!.epsilon - 1e-12);
    return { epsilon: spend.epsilon, recall: recallOf(last.weights) };
  } finally {
    await store.close();
  }
}

function released(events: ChildEvent[]): Map<number, string> {
  return new Map(events.filter((e) => e.event === 'released').map((e) => [e.version!, e.sha256!]));
}

describe('coordinator SIGKILLed at random moments of a running job (ten seeded trials)', function () {
  this.timeout(420_000);
  const dir = mkdtempSync(join(tmpdir(), 'fedrec-random-kill-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('every trial resumes, keeps every released version intact, never under-reports ε, counts no round twice; final models match uninterrupted runs', async () => {
    const uninterrupted: { epsilon: number; recall: number; jobMs: number; p99: number }[] = [];
    for (let run = 0; run < 2; run++) {
      const db = join(dir, `uninterrupted-${run}.db`);
      const child = startChild(db);
      expect(await child.exit).to.equal('exit 0');
      const done = child.events.find((e) => e.event === 'done')!;
      uninterrupted.push({ ...(await finalState(db, released(child.events))), jobMs: 0, p99: done.eventLoopP99Ms! });
    }
    // The job's length from 'started' to 'done', measured once more with timestamps, sets the kill window.
    const timed = startChild(join(dir, 'timed.db'));
    let doneAt = 0;
    const waitDone = (async () => {
      while (!timed.events.some((e) => e.event === 'done')) await new Promise((r) => setTimeout(r, 10));
      doneAt = performance.now();
    })();
    expect(await timed.exit).to.equal('exit 0');
    await waitDone;
    const jobMs = doneAt - timed.startedAt()!;

    const random = new SeededRandom(15);
    const trials: { killAfterMs: number; releasedAtKill: number; epsilon: number; recall: number }[] = [];
    for (let trial = 0; trial < 10; trial++) {
      const db = join(dir, `trial-${trial}.db`);
      const killAfterMs = random.next() * jobMs;
      const first = startChild(db);
      while (first.startedAt() === undefined) {
        expect(first.events.some((e) => e.event === 'done')).to.equal(false);
        await new Promise((r) => setTimeout(r, 5));
      }
      const killAt = first.startedAt()! + killAfterMs;
      while (performance.now() < killAt && !first.events.some((e) => e.event === 'done')) await new Promise((r) => setTimeout(r, 2));
      first.kill();
      await first.exit;
      const reportedAtKill = released(first.events);
      // At the kill: the spend stored covers every round whose version was released.
      const store = openStore(db);
      const [job] = await store.listJobs();
      const spend = await store.getPrivacySpend(job.id);
      const roundsAtKill = await store.listRounds(job.id);
      await store.close();
      if (roundsAtKill.length > 0) expect(spend!.round, `trial ${trial}: ε stored for every released round`).to.be.at.least(roundsAtKill.at(-1)!.round);
      if (job.status === 'running') {
        const second = startChild(db);
        expect(await second.exit, `trial ${trial}: the restart`).to.equal('exit 0');
        expect(second.events.find((e) => e.event === 'started')!.resumed, `trial ${trial}: resumed`).to.equal(true);
        for (const [version, hash] of released(second.events)) reportedAtKill.set(version, hash);
      }
      const state = await finalState(db, reportedAtKill);
      expect(state.epsilon, `trial ${trial}: ε never under-reported`).to.be.at.least(uninterrupted[0].epsilon - 1e-9);
      trials.push({ killAfterMs, releasedAtKill: roundsAtKill.length, ...state });
    }
    const recalls = [...uninterrupted, ...trials].map((r) => r.recall);
    const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
    const all = mean(recalls);
    const pooledStd = Math.max(0.02, Math.sqrt(recalls.reduce((s, r) => s + (r - all) ** 2, 0) / (recalls.length - 1)));
    const reference = mean(uninterrupted.map((u) => u.recall));
    console.log(
      `      job ${jobMs.toFixed(0)} ms; uninterrupted recall@10 ${uninterrupted.map((u) => u.recall.toFixed(4)).join(', ')}, ε ${uninterrupted[0].epsilon.toFixed(4)}, event-loop p99 ${uninterrupted.map((u) => u.p99.toFixed(1)).join(', ')} ms\n` +
        trials.map((t, i) => `      trial ${i}: killed after ${t.killAfterMs.toFixed(0)} ms (${t.releasedAtKill} rounds released), final ε ${t.epsilon.toFixed(4)}, recall@10 ${t.recall.toFixed(4)}`).join('\n'),
    );
    expect(trials.filter((t) => t.releasedAtKill < crashJob.rounds).length, 'most kills land mid-job').to.be.at.least(7);
    for (const t of trials) expect(Math.abs(t.recall - reference)).to.be.at.most(4 * pooledStd);
    expect(Math.abs(mean(trials.map((t) => t.recall)) - reference)).to.be.at.most(3 * pooledStd * Math.sqrt(1 / trials.length + 1 / uninterrupted.length));
  });
});
