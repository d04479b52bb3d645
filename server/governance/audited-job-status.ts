/**
 * The coordinator writes job statuses to its store from several places (start, resume, each way
 * a job ends); giving it this view of the store puts every one of them in the audit log, the entry
 * written by the store in the status's own transaction, without the round engine knowing
 * governance exists. A status that is not a change (running → running on resume) is still logged:
 * the resume is worth knowing.
 */
import type { FedrecStore } from '../store/index.ts';
import { jobStatusAudit } from './audit-log.ts';

/** @example new Coordinator({ store: auditedJobStatus(store), … }) */
export function auditedJobStatus(store: FedrecStore): FedrecStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'setJobStatus') {
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      // One store transaction: a crash cannot leave the status without its entry, nor the entry without the status.
      return (id: string, status: Parameters<FedrecStore['setJobStatus']>[1], detail = '') => target.setJobStatus(id, status, detail, jobStatusAudit(id, status, detail));
    },
  });
}
