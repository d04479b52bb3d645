/**
 * A coordinator alone in its own process, for measuring its memory under attack without the
 * attacker's buffers in the same heap: prints nothing, talks over IPC. It samples its RSS every
 * 5 ms; 'idle' resets the peak to now, 'report' answers with the peak since.
 */
import { startCoordinator } from '../../server/host/start-coordinator.ts';
import { MemoryStore } from '../../server/store/index.ts';

const host = await startCoordinator({ store: new MemoryStore(), port: 0, log: () => {} });
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
process.on('message', (message: string) => {
  if (message === 'idle') {
    peak = process.memoryUsage().rss;
    process.send!({ idle: peak });
  } else if (message === 'report') {
    process.send!({ peak: Math.max(peak, process.memoryUsage().rss), rejections: host.coordinator.rejections() });
  } else if (message === 'exit') {
    clearInterval(sampler);
    void host.close().then(() => process.exit(0));
  }
});
process.send!({ url: host.url });
