/**
 * Training progress on stderr (stdout stays clean for --json). On a terminal one line is redrawn
 * in place with \r; in a log file or CI, where \r would pile up into one huge line, a full line is
 * written at every ~10% of the run instead.
 */

/** The part of a stream the bar writes to; process.stderr fits. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface TrainingProgress {
  /** 0-based epoch, as trainCentralized reports it. */
  epoch: number;
  /** 0-based step within the epoch. */
  step: number;
  steps: number;
  loss: number;
}

// An exponential moving average over ~20 steps: mini-batch losses are noisy, the trend is the news.
const smoothing = 0.05;
// A terminal redraw costs a syscall and flickers; 10 frames a second reads as live.
const redrawMs = 100;

/**
 * @example
 * const bar = new ProgressBar(options.epochs);
 * await trainCentralized(w, f, train, { ...options, onProgress: (p) => bar.update(p) });
 * bar.finish();
 */
export class ProgressBar {
  private readonly started: number;
  private average = 0;
  private updates = 0;
  private lastDraw = -Infinity;
  private lastDecile = -1;
  private line = '';

  constructor(
    private readonly epochs: number,
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.started = now();
  }

  /** Takes one step's report; shaped like trainCentralized's onProgress argument. */
  update(progress: TrainingProgress): void {
    this.updates++;
    this.average += smoothing * (progress.loss - this.average);
    const done = (progress.epoch * progress.steps + progress.step + 1) / (this.epochs * progress.steps);
    this.line = this.render(progress, done);
    const last = progress.epoch === this.epochs - 1 && progress.step === progress.steps - 1;
    if (this.stream.isTTY) {
      const time = this.now();
      if (last || time - this.lastDraw >= redrawMs) {
        this.stream.write(`\r${this.line}`);
        this.lastDraw = time;
      }
      return;
    }
    const decile = Math.floor(done * 10 + 1e-9);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(`${this.line}\n`);
    }
  }

  /** Ends the terminal line, so what follows starts on a fresh one. */
  finish(): void {
    if (this.stream.isTTY && this.line !== '') this.stream.write('\n');
  }

  /** The loss averaged over recent steps, bias-corrected (Kingma & Ba 2015, Sec. 3) so it starts true. */
  get smoothedLoss(): number {
    return this.updates === 0 ? NaN : this.average / (1 - (1 - smoothing) ** this.updates);
  }

  private render(progress: TrainingProgress, done: number): string {
    const step = `${String(progress.step + 1).padStart(String(progress.steps).length)}/${progress.steps}`;
    return `epoch ${progress.epoch + 1}/${this.epochs} [${bar(done)}] step ${step}  loss ${this.smoothedLoss.toFixed(4)}  ${clock(this.now() - this.started)}`;
  }
}

/** The 20-character bar for a fraction done. */
function bar(done: number): string {
  const width = 20;
  const filled = Math.round(done * width);
  return `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
}

/** Elapsed time as m:ss. */
function clock(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** One completed federated round, as the bar shows it. */
export interface RoundProgress {
  round: number;
  loss: number;
  /** Federated recall@10 of the round's starting model, on rounds that evaluated. */
  recall?: number;
  /** Cumulative ε after the round; null without DP. */
  epsilon: number | null;
}

/**
 * Federated training progress: round, loss, the latest federated recall@10 and ε spent of the
 * budget. Rounds take seconds each, so off a terminal every round gets its own line.
 * @example
 * const bar = new RoundProgressBar(config.rounds, 8);
 * startCoordinator({ …, onRound: (r) => bar.update({ round: r.round, loss: r.loss, recall: r.metrics['recall@10'], epsilon: r.epsilon }) });
 */
export class RoundProgressBar {
  private readonly started: number;
  private recall: number | undefined;
  private line = '';

  constructor(
    private readonly rounds: number,
    /** The job's ε budget; null when it was given σ, or has no DP. */
    private readonly budget: number | null,
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.started = now();
  }

  update(progress: RoundProgress): void {
    if (progress.recall !== undefined) this.recall = progress.recall;
    this.line = this.render(progress);
    this.stream.write(this.stream.isTTY ? `\r${this.line}` : `${this.line}\n`);
  }

  /** Ends the terminal line, so what follows starts on a fresh one. */
  finish(): void {
    if (this.stream.isTTY && this.line !== '') this.stream.write('\n');
  }

  private render(progress: RoundProgress): string {
    const round = `${String(progress.round).padStart(String(this.rounds).length)}/${this.rounds}`;
    const recall = this.recall === undefined ? '-    ' : this.recall.toFixed(3);
    const epsilon = progress.epsilon === null ? 'no DP' : `ε ${progress.epsilon.toFixed(2)}${this.budget === null ? '' : ` of ${this.budget}`}`;
    return `round ${round} [${bar(Math.min(1, progress.round / this.rounds))}] loss ${progress.loss.toFixed(4)}  recall@10 ${recall}  ${epsilon}  ${clock(this.now() - this.started)}`;
  }
}
