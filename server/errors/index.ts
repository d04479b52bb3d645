export { FedrecError, errorCodes, toFedrecError } from './fedrec-error.ts';
export type { ErrorCode, ErrorIssue } from './fedrec-error.ts';
