import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../test/helpers/run-cli.ts';
import { startCoordinator } from '../../server/host/start-coordinator.ts';
import { MemoryStore } from '../../server/store/index.ts';

const uciMap = 'customer=CustomerID,item=StockCode,store=Country,time=InvoiceDate,name=Description,price=UnitPrice,quantity=Quantity';

// Three customers in two countries; one guest row, one cancellation and one unreadable date.
const csv = [
  'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
  '536365,85123A,WHITE HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom',
  '536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850,United Kingdom',
  '536366,22633,HAND WARMER UNION JACK,6,12/2/2010 8:28,1.85,17850,United Kingdom',
  '536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,12/1/2010 8:34,1.69,13047,United Kingdom',
  '536368,85123A,WHITE HEART T-LIGHT HOLDER,6,12/3/2010 9:00,2.55,13047,United Kingdom',
  '536369,22745,POPPY HOUSE,6,12/1/2010 8:34,2.10,12583,France',
  '536370,71053,WHITE METAL LANTERN,2,12/4/2010 8:45,3.39,12583,France',
  '536371,22633,HAND WARMER UNION JACK,1,12/4/2010 9:00,1.85,,United Kingdom',
  'C536372,85123A,WHITE HEART T-LIGHT HOLDER,-1,12/5/2010 9:41,2.55,17850,United Kingdom',
  '536373,22745,POPPY HOUSE,6,yesterday,2.10,12583,France',
].join('\n');

describe('fedrec sim (child process)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedrec-sim-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--json summarises an imported CSV and carries the import report', async () => {
    const file = join(dir, 'sales.csv');
    await writeFile(file, `${csv}\n`);
    const { code, stdout, stderr } = await runCli(['sim', '--json', '--dataset', file, '--map', uciMap, '--min-store-shoppers', '1']);
    expect(code, stderr).to.equal(0);
    const summary = JSON.parse(stdout);
    expect(summary.source).to.deep.equal({ kind: 'csv', file });
    expect(summary).to.include({ shoppers: 3, items: 5, purchases: 7, heldOutShoppers: 3 });
    expect(summary.import).to.include({ rowsRead: 10, rowsUsed: 7, badRows: 1 });
    expect(summary.import.dropped).to.include({ noCustomer: 1, nonPositiveQuantity: 1 });
    expect(summary.import.badRowSamples[0].line).to.equal(11);
    const stores = summary.stores.map((s: { name: string; shoppers: number; purchases: number }) => [s.name, s.shoppers, s.purchases]).sort();
    expect(stores).to.deep.equal([
      ['France', 1, 2],
      ['United Kingdom', 2, 5],
    ]);
    // The report's counts also reach stderr, where a user watching an import sees them.
    expect(stderr).to.include('10 rows read, 7 used, 1 bad rows');
    expect(stderr).to.include('1 dropped without a customer');
    expect(stderr).to.match(/bad row at line 11/);
  });

  it('summarises the synthetic world by default, one row per store', async () => {
    const { code, stdout } = await runCli(['sim', '--shoppers', '200', '--items', '60', '--stores', '4']);
    expect(code).to.equal(0);
    expect(stdout).to.include('synthetic world (seed 1): 4 stores, 200 shoppers, 60 items');
    expect(stdout.split('\n').filter((line) => /^store-0\d {2}/.test(line))).to.have.length(4);
  });

  it('--url with a wrong token: prints the coordinator’s refusal and exits 1, instead of retrying for ever', async function () {
    this.timeout(60_000);
    const host = await startCoordinator({ store: new MemoryStore(), port: 0, log: () => {} });
    try {
      const file = join(dir, 'wrong-credentials.json');
      await writeFile(file, JSON.stringify([{ clientId: 'store-01-nobody', storeId: 'store-01', token: 'not-a-token' }]));
      const { code, stderr } = await runCli(['sim', '--url', host.url, '--credentials', file, '--shoppers', '50', '--items', '30', '--stores', '2']);
      expect(code, stderr).to.equal(1);
      expect(stderr).to.include('fedrec: the coordinator refused store client store-01-nobody (HTTP 400): unauthenticated: unknown client or wrong token');
      expect(host.coordinator.rejections()).to.deep.equal({ unauthenticated: 1 });
    } finally {
      await host.close();
    }
  });
});
