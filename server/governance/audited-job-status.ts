/**
 * The coordinator writes job statuses to its store from several places (start, resume, each way
 * a job ends); giving it this view of the store puts every one of them in the audit log through
 * `recordJobStatus`, without the round engine knowing governance exists. A status that is not a
 * change (running → running on resume) is still logged: the resume is worth knowing.
 */
import type { FedrecStore } from '../store/index.ts';
import { recordJobStatus } from './audit-log.ts';

/** @example new Coordinator({ store: auditedJobStatus(store), … }) */
export function auditedJobStatus(store: FedrecStore): FedrecStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'setJobStatus') {
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (id: string, status: Parameters<FedrecStore['setJobStatus']>[1], detail = '') => {
        await target.setJobStatus(id, status, detail);
        await recordJobStatus(target, id, status, detail);
      };
    },
  });
}
