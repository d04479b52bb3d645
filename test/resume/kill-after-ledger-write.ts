/**
 * Preloaded (`node --import tsx --import ./test/resume/kill-after-ledger-write.ts cli/main.ts …`)
 * by the crash test: the SQLite store's privacy-spend write, the ledger's durable record, SIGKILLs
 * its own process right after it commits for round FEDREC_TEST_KILL_AFTER_SPEND_ROUND, i.e. after
 * the ledger write and before that round's model is released. Test code only: nothing in the
 * product knows about it.
 */
import { SqliteStore } from '../../server/store/sqlite-store.ts';
import type { PrivacySpend } from '../../server/store/fedrec-store.ts';

const killRound = Number(process.env.FEDREC_TEST_KILL_AFTER_SPEND_ROUND);
const write = SqliteStore.prototype.recordPrivacySpend;
SqliteStore.prototype.recordPrivacySpend = async function (this: SqliteStore, spend: PrivacySpend): Promise<void> {
  await write.call(this, spend);
  if (spend.round === killRound) process.kill(process.pid, 'SIGKILL');
};
