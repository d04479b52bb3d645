/**
 * `fedrec jobs cancel ID`: stops a training job on a running coordinator at once, through its
 * route (`POST /v1/jobs/{id}/cancel`, an engineer's API key in FEDREC_API_KEY). The job then reads
 * `cancelled` and no coordinator resumes it.
 */
import { z } from 'zod';
import { FedrecError } from '../../server/errors/index.ts';
import { clientApiKey } from '../api-key.ts';
import { CoordinatorClient } from '../coordinator-client.ts';
import { textFlag, unknownFlags } from '../flag-schemas.ts';
import { parseFlags } from '../parse-flags.ts';
import type { Command } from './command.ts';

const jobsSchema = z.strictObject(
  {
    _: z.tuple([z.literal('cancel', { error: 'the only subcommand is "cancel"' }), z.string().min(1).max(100)], { error: 'expects: cancel JOB_ID' }),
    url: textFlag.pipe(z.url('must be a URL like http://127.0.0.1:3000')).default('http://127.0.0.1:3000'),
  },
  unknownFlags,
);

const help = `usage: fedrec jobs cancel JOB_ID [--url http://127.0.0.1:3000]

Stops a training job at once. It reads \`cancelled\` afterwards and is never resumed. Needs an
API key with the role engineer in FEDREC_API_KEY.
`;

export const jobsCommand: Command = {
  summary: 'cancel a training job on a running coordinator',
  help,
  async run(argv) {
    const flags = parseFlags(jobsSchema, argv);
    const client = new CoordinatorClient(flags.url, clientApiKey('engineer'));
    try {
      const job = await client.cancelJob(flags._[1]);
      console.log(`job ${job.id}: ${job.status} (${job.statusDetail})`);
      return 0;
    } catch (thrown) {
      if (!(thrown instanceof FedrecError) || thrown.code === 'invalid-input') throw thrown;
      console.error(`fedrec jobs: ${thrown.message}`);
      return 1;
    }
  },
};
