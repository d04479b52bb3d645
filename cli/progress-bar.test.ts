import { expect } from 'chai';
import { ProgressBar, RoundProgressBar, type ProgressStream } from './progress-bar.ts';

/** A stream that records what was written; `isTTY` chooses the bar's mode. */
function recorder(isTTY: boolean): ProgressStream & { text: string } {
  return {
    isTTY,
    text: '',
    write(chunk: string) {
      this.text += chunk;
    },
  };
}

/** Drives a bar through `epochs` × `steps` updates at 1 s a step, the loss falling from 5. */
function drive(bar: ProgressBar, epochs: number, steps: number, clock: { now: number }): void {
  let n = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let step = 0; step < steps; step++, n++) {
      clock.now += 1000;
      bar.update({ epoch, step, steps, loss: 5 / (1 + 0.01 * n) });
    }
  }
  bar.finish();
}

describe('ProgressBar', () => {
  it('writes a line at the first step and at every tenth of the run when stderr is not a terminal', () => {
    const stream = recorder(false);
    const clock = { now: 0 };
    drive(new ProgressBar(2, stream, () => clock.now), 2, 50, clock);
    const lines = stream.text.trimEnd().split('\n');
    expect(stream.text).to.not.include('\r');
    expect(lines).to.have.length(11);
    expect(lines[0]).to.match(/^epoch 1\/2 \[-{20}\] step  1\/50 {2}loss 5\.0000 {2}0:01$/);
    expect(lines[1]).to.match(/^epoch 1\/2 \[##-{18}\] step 10\/50 {2}loss \d\.\d{4} {2}0:10$/);
    expect(lines[10]).to.match(/^epoch 2\/2 \[#{20}\] step 50\/50 {2}loss \d\.\d{4} {2}1:40$/);
  });

  it('redraws one line in place on a terminal and ends it when done', () => {
    const stream = recorder(true);
    const clock = { now: 0 };
    drive(new ProgressBar(1, stream, () => clock.now), 1, 5, clock);
    expect(stream.text.split('\r')).to.have.length(6);
    expect(stream.text).to.match(/\repoch 1\/1 \[#{20}\] step 5\/5 {2}loss [\d.]+ {2}0:05\n$/);
    expect(stream.text.match(/\n/g)).to.have.length(1);
  });

  it('smooths the loss with a bias-corrected moving average', () => {
    const bar = new ProgressBar(1, recorder(false));
    expect(bar.smoothedLoss).to.be.NaN;
    bar.update({ epoch: 0, step: 0, steps: 3, loss: 4 });
    expect(bar.smoothedLoss, 'the first value is itself, not pulled towards 0').to.be.closeTo(4, 1e-12);
    bar.update({ epoch: 0, step: 1, steps: 3, loss: 2 });
    expect(bar.smoothedLoss).to.be.within(2, 4);
  });
});

describe('RoundProgressBar', () => {
  it('writes one line per round off a terminal, carrying the last federated recall@10 and ε of the budget', () => {
    const stream = recorder(false);
    const clock = { now: 0 };
    const bar = new RoundProgressBar(4, 8, stream, () => clock.now);
    for (let round = 1; round <= 4; round++) {
      clock.now += 2000;
      bar.update({ round, loss: 1 / round, recall: round === 2 ? 0.25 : undefined, epsilon: round * 1.5 });
    }
    bar.finish();
    const lines = stream.text.trimEnd().split('\n');
    expect(lines).to.have.length(4);
    expect(lines[0]).to.equal('round 1/4 [#####---------------] loss 1.0000  recall@10 -      ε 1.50 of 8  0:02');
    expect(lines[2]).to.equal('round 3/4 [###############-----] loss 0.3333  recall@10 0.250  ε 4.50 of 8  0:06');
    expect(lines[3]).to.match(/^round 4\/4 \[#{20}\] /);
  });

  it('redraws in place on a terminal and says when a job has no DP', () => {
    const stream = recorder(true);
    const bar = new RoundProgressBar(2, null, stream, () => 0);
    bar.update({ round: 1, loss: 0.5, epsilon: null });
    bar.update({ round: 2, loss: 0.4, epsilon: null });
    bar.finish();
    expect(stream.text.split('\r')).to.have.length(3);
    expect(stream.text).to.match(/no DP {2}0:00\n$/);
  });
});
