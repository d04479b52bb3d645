import { expect } from 'chai';
import { z } from 'zod';
import { FedrecError } from '../server/errors/index.ts';
import { unknownFlags } from './flag-schemas.ts';
import { parseFlags } from './parse-flags.ts';
import { checkWorldFlags, defaultWorldOptions, loadWorld, worldFlagShape } from './world-options.ts';

const schema = z.strictObject(worldFlagShape, unknownFlags).superRefine(checkWorldFlags);

/** The issues parseFlags reports for `argv`, as "key: message". */
function issues(argv: string[]): string[] {
  try {
    parseFlags(schema, argv);
  } catch (err) {
    if (err instanceof FedrecError) return err.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw err;
  }
  return [];
}

describe('world options', () => {
  it('parses the synthetic flags as whole numbers', () => {
    expect(parseFlags(schema, ['--stores', '3', '--shoppers=50', '--items', '40', '--seed', '0'])).to.deep.equal({ stores: 3, shoppers: 50, items: 40, seed: 0 });
  });

  it('reports every problem at once: bad numbers, bare flags, unknown flags, a CSV mixed with synthetic sizes', () => {
    expect(issues(['--stores', '2.5', '--shoppers', '--items', '1', '--seed', '-1', '--color', 'red'])).to.have.members([
      'stores: must be a whole number',
      'shoppers: needs a value',
      'items: must be at least 2',
      'seed: must be at least 0',
      ': unknown option --color',
    ]);
    expect(issues(['--dataset', 'package.json', '--stores', '4'])).to.have.members([
      'map: is required with --dataset (e.g. customer=CustomerID,item=StockCode,store=Country,time=InvoiceDate)',
      'stores: shapes a synthetic world; it cannot be combined with --dataset',
    ]);
    expect(issues(['--dataset', 'no/such/file.csv', '--map', 'customer=a,item=b,store=c,time=d'])).to.deep.equal(['dataset: no such file']);
    expect(issues(['--map', 'customer=a'])).to.deep.equal(['map: only applies with --dataset']);
  });

  it('defaults to the demo world', async () => {
    const { world, description, seed } = await loadWorld({});
    expect(seed).to.equal(defaultWorldOptions.seed);
    expect(world.source).to.deep.equal({ kind: 'synthetic', seed: 1 });
    expect([world.stores.length, world.shoppers.length, world.catalog.length]).to.deep.equal([8, 4000, 800]);
    expect(description).to.equal('synthetic world (seed 1): 8 stores, 4000 shoppers, 800 items');
  });

  it('passes an invalid --map through as the importer reports it', async () => {
    let thrown: unknown;
    try {
      await loadWorld({ dataset: 'package.json', map: 'customer=a' }, () => {});
    } catch (err) {
      thrown = err;
    }
    expect(thrown).to.be.instanceOf(FedrecError);
    expect((thrown as FedrecError).code).to.equal('invalid-input');
  });
});
