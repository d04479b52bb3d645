/** Schemas shared by several routes: ids, and the error body every failure is sent as. */
import { z } from 'zod';
import { errorCodes, type ErrorCode } from '../errors/index.ts';

export const itemId = z.string().min(1).max(128).describe('A catalogue item id.');

export const storeId = z.string().min(1).max(128).describe('A store id.');

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      issues: z
        .array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string(), code: z.string().optional(), params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional() }))
        .optional()
        .describe('Every validation problem at once (zod issues: path and message).'),
    }),
  })
  .describe('The body of every error response (FedrecError).');

export const itemParams = z.strictObject({ itemId });
