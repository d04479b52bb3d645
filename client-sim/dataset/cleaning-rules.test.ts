import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { RetailWorld } from '../../models/data/retail-world.ts';
import { FedrecError } from '../../server/errors/index.ts';
import { isServiceCode } from './cleaning-rules.ts';
import { importTransactions } from './import-transactions.ts';

// The UCI Online Retail II sheet (dataset 502) saved as CSV keeps its own headers; this is the map
// the README gives for it.
const sheetHeader = 'Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country';
const sheetMap = 'invoice=Invoice,customer=Customer ID,item=StockCode,store=Country,time=InvoiceDate,name=Description,price=Price,quantity=Quantity';

/** One row per cleaning rule, and two purchases, as the sheet's CSV export writes them (M/D/YYYY H:MM). */
const sheetRows = [
  sheetHeader,
  '489434,85048,15CM CHRISTMAS GLASS BALL 20 LIGHTS,12,12/1/2009 7:45,6.95,13085,United Kingdom',
  '489434,79323P,PINK CHERRY LIGHTS,12,12/1/2009 7:45,6.75,13085,United Kingdom',
  '489435,22350,CAT BOWL ,12,12/1/2009 7:46,2.55,,United Kingdom', // no customer
  'C489449,22087,PAPER BUNTING WHITE LACE,-12,12/1/2009 10:33,2.95,16321,Australia', // cancelled invoice
  '489450,21733,RED HANGING HEART,-3,12/1/2009 10:40,2.55,16321,Australia', // return outside a C invoice
  '489451,POST,POSTAGE,3,12/1/2009 10:41,18.00,12682,France', // service code
  '489452,M,Manual,1,12/1/2009 10:42,0.85,12682,France', // service code
  '489453,21871,SAVE THE PLANET MUG,1,12/1/2009 10:44,0,12682,France', // price 0
  'A506401,B,Adjust bad debt,1,4/29/2010 13:36,-53594.36,,United Kingdom', // no customer first
  '489454,21871,SAVE THE PLANET MUG,24,12/2/2009 13:05,1.25,12682,France',
];

function purchases(world: RetailWorld): string[] {
  return world.shoppers.map((s) => `${s.id}@${world.stores[s.store].id}: ${s.items.map((item) => world.catalog[item].id).join(' ')}`);
}

describe('import cleaning rules (UCI Online Retail II)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedrec-clean-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the original sheet export (its headers, M/D/YYYY H:MM dates) and counts each dropped row under its rule', async () => {
    const file = join(dir, 'online_retail_II.csv');
    await writeFile(file, sheetRows.join('\r\n'));
    const { world, report } = await importTransactions(file, sheetMap);
    expect(report.dropped).to.deep.equal({ noCustomer: 2, cancellation: 1, nonPositiveQuantity: 1, serviceCode: 2, nonPositivePrice: 1 });
    expect(report).to.deep.include({ rowsRead: 10, rowsUsed: 3, badRows: 0, shoppers: 2, items: 3 });
    expect(purchases(world)).to.deep.equal(['13085@United Kingdom: 85048 79323P', '12682@France: 21871']);
    // 2009-12-01 07:45 and 07:46 … the France purchase is a day and 5 h 20 min after the first row.
    expect(world.shoppers[1].times[0]).to.be.closeTo(1 + (13 * 60 + 5 - (7 * 60 + 45)) / 1440, 1e-9);
  });

  it('reads the same sheet as pandas writes it (ISO dates with seconds, ids as 13085.0), gzipped', async () => {
    const pandasRows = sheetRows.map((row, k) => (k === 0 ? row : row
      .replace(/(\d+)\/(\d+)\/(\d{4}) (\d+):(\d\d)/, (_m, mo, d, y, h, mi) => `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')} ${h.padStart(2, '0')}:${mi}:00`)
      .replace(/,(\d{5}),([^,]+)$/, ',$1.0,$2')));
    expect(pandasRows[1]).to.equal('489434,85048,15CM CHRISTMAS GLASS BALL 20 LIGHTS,12,2009-12-01 07:45:00,6.95,13085.0,United Kingdom');
    const file = join(dir, 'online_retail_II.csv.gz');
    await writeFile(file, gzipSync(pandasRows.join('\n')));
    const { world, report } = await importTransactions(file, sheetMap);
    expect(report.dropped).to.deep.equal({ noCustomer: 2, cancellation: 1, nonPositiveQuantity: 1, serviceCode: 2, nonPositivePrice: 1 });
    expect(purchases(world)).to.deep.equal(['13085.0@United Kingdom: 85048 79323P', '12682.0@France: 21871']);
  });

  it('rejects a file that starts like gzip but is not, as invalid input', async () => {
    const file = join(dir, 'broken.csv.gz');
    await writeFile(file, Buffer.concat([gzipSync(sheetRows.join('\n')).subarray(0, 40), Buffer.from('not deflate at all')]));
    const error = await importTransactions(file, sheetMap).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(FedrecError);
    expect((error as FedrecError).code).to.equal('invalid-input');
    expect((error as FedrecError).message).to.match(/gzip/);
  });

  it('merges stores under the minimum of shoppers into one "other" store, every shopper kept', async () => {
    const rows = [sheetHeader];
    const countries = { 'United Kingdom': 5, Germany: 3, Malta: 1, Iceland: 2 };
    let customer = 10000;
    for (const [country, shoppers] of Object.entries(countries)) {
      for (let s = 0; s < shoppers; s++, customer++) rows.push(`5${customer},2${customer % 7},THING,1,1/${1 + s}/2010 9:00,1.5,${customer},${country}`);
    }
    const file = join(dir, 'countries.csv');
    await writeFile(file, rows.join('\n'));
    const { world, report } = await importTransactions(file, sheetMap, { minStoreShoppers: 3 });
    expect(world.stores.map((s) => s.id)).to.deep.equal(['United Kingdom', 'Germany', 'other']);
    expect(report.mergedStores).to.deep.equal(['Malta', 'Iceland']);
    const perStore = world.stores.map((_, k) => world.shoppers.filter((s) => s.store === k).length);
    expect(perStore).to.deep.equal([5, 3, 3]);
    const none = await importTransactions(file, sheetMap);
    expect(none.world.stores).to.have.length(4);
    expect(none.report.mergedStores).to.deep.equal([]);
  });

  it('knows the service codes of the UCI data and no product code', () => {
    for (const code of ['POST', 'D', 'M', 'C2', 'DOT', 'BANK CHARGES', 'PADS', 'AMAZONFEE', 'CRUK', 'B', 'S', 'ADJUST', 'ADJUST2', 'TEST001', 'TEST002', 'SP1002', 'gift_0001_20', ' post ']) {
      expect(isServiceCode(code), code).to.equal(true);
    }
    for (const code of ['85123A', '22423', 'DOTCOM', 'POSTER', 'C', 'gift_0002_1']) expect(isServiceCode(code), code).to.equal(false);
  });
});
