import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FedrecError } from '../../server/errors/index.ts';
import type { RetailWorld } from '../../models/data/retail-world.ts';
import { importTransactions } from './import-transactions.ts';

const header = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
const uciMap = 'customer=CustomerID,item=StockCode,store=Country,time=InvoiceDate,name=Description,price=UnitPrice,quantity=Quantity';

/** Each shopper as "id@store: item@day item@day …", for assertions that read like the fixture. */
function histories(world: RetailWorld): string[] {
  return world.shoppers.map((s) => `${s.id}@${world.stores[s.store].id}: ${s.items.map((item, k) => `${world.catalog[item].id}@${s.times[k]}`).join(' ')}`);
}

describe('importTransactions', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedrec-import-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const fixture = async (name: string, text: string): Promise<string> => {
    const file = join(dir, name);
    await writeFile(file, text);
    return file;
  };

  it('accounts for every row: no customer, cancellations and each kind of bad row', async () => {
    const file = await fixture('mixed.csv', [
      `\uFEFF${header}`,
      '536365,85123A,"HEART T-LIGHT HOLDER, WHITE",6,12/1/2010 8:26,2.55,17850,United Kingdom',
      '536365,71053,"METAL ""LANTERN""",6,12/1/2010 8:26,3.39,17850,United Kingdom',
      '536366,22633,"HAND WARMER\nUNION JACK",6,12/1/2010 8:28,1.85,,United Kingdom', // lines 4-5
      'C536379,D,Discount,-1,12/1/2010 9:41,27.5,14527,United Kingdom',
      '536367,84879,BIRD,32,yesterday,1.69,13047,United Kingdom',
      '536367,22745,POPPY,6,12/1/2010 8:34,cheap,13047,United Kingdom',
      '536367,22748,POPPY 2,six,12/1/2010 8:34,2.10,13047,United Kingdom',
      '536367,22749,FREE,0,12/1/2010 8:34,0,13047,United Kingdom',
      '536368,22960,JAM,6,12/1/2010 8:34,4.25,13047',
      '536368,22913,RED COAT,3,12/1/2010 8:34,4.95,13047,United Kingdom',
      '536369,21756,"BATH ""BUILDING"" BLOCK",3,12/1/2010 8:35,5.95,"13047,United Kingdom', // lines 13-
    ].join('\r\n'));
    const { world, report } = await importTransactions(file, uciMap);
    expect(report).to.deep.include({ rowsRead: 11, rowsUsed: 3, badRows: 5, shoppers: 2, items: 3, stores: 1, reassignedShoppers: 0 });
    // Without an invoice column the C invoice is caught by its negative quantity.
    expect(report.dropped).to.deep.equal({ noCustomer: 1, cancellation: 0, nonPositiveQuantity: 2, serviceCode: 0, nonPositivePrice: 0 });
    expect(report.rowsRead).to.equal(report.rowsUsed + Object.values(report.dropped).reduce((a, b) => a + b) + report.badRows);
    expect(report.badRowSamples).to.deep.equal([
      { line: 7, reason: 'time "yesterday" is not a supported date or number' },
      { line: 8, reason: 'price "cheap" is not a number' },
      { line: 9, reason: 'quantity "six" is not a number' },
      { line: 11, reason: 'expected 8 fields, found 7' },
      { line: 13, reason: 'a quoted field is never closed before the end of the file' },
    ]);
    expect(world.catalog.map((i) => i.name)).to.deep.equal(['HEART T-LIGHT HOLDER, WHITE', 'METAL "LANTERN"', 'RED COAT']);
    expect(world.source).to.deep.equal({ kind: 'csv', file });
  });

  it('keeps the last bad row when the file ends inside a quote, and counts bad rows past the sample', async () => {
    const rows = Array.from({ length: 8 }, (_, k) => `${k},I${k},x,1,not-a-date,1,C${k},S`);
    const file = await fixture('tail.csv', `${header}\n${rows.join('\n')}\n1,I,x,1,2011-01-01,1,C,S\n1,I,"x,1,2011-01-01,1,C,S\n`);
    const { report } = await importTransactions(file, uciMap, { badRowSamples: 3 });
    expect(report).to.deep.include({ rowsRead: 10, rowsUsed: 1, badRows: 9 });
    expect(report.badRowSamples.map((s) => s.line)).to.deep.equal([2, 3, 4]);
  });

  it('puts every shopper in exactly one store: the one with most rows, the earliest on a tie', async () => {
    const file = await fixture('stores.csv', [
      header,
      '1,A,a,1,2011-01-01,1,ann,UK',
      '1,BB,b,1,2011-01-02,1,ann,UK',
      '2,C,c,1,2011-01-03,1,bob,FR',
      '3,A,a,1,2011-01-04,1,cat,UK', // cat: 1 UK, 2 FR → FR
      '3,BB,b,1,2011-01-05,1,cat,FR',
      '3,C,c,1,2011-01-06,1,cat,FR',
      '4,A,a,1,2011-01-07,1,dan,UK', // dan: 1 UK, 1 FR, earlier in FR → FR
      '4,BB,b,1,2011-01-02,1,dan,FR',
      '5,DD,d,1,2011-01-08,1,eve,DE', // DE's only customer shops mostly in UK: DE has no shoppers left
      '5,DD,d,1,2011-01-09,1,eve,UK',
      '5,DD,d,1,2011-01-10,1,eve,UK',
    ].join('\n'));
    const { world, report } = await importTransactions(file, uciMap);
    expect(histories(world)).to.deep.equal([
      'ann@UK: A@0 BB@1',
      'bob@FR: C@2',
      'cat@FR: A@3 BB@4 C@5',
      'dan@FR: BB@1 A@6',
      'eve@UK: DD@7 DD@8 DD@9',
    ]);
    expect(world.stores).to.deep.equal([{ id: 'UK', name: 'UK', region: 'unknown' }, { id: 'FR', name: 'FR', region: 'unknown' }]);
    expect(report).to.deep.include({ shoppers: 5, stores: 2, reassignedShoppers: 3, rowsUsed: 11 });
  });

  it('orders each history by time, keeping file order on equal times, across time formats', async () => {
    const file = await fixture('times.csv', [
      'customer,item,store,when',
      'u1,late,s,2011-01-03T12:00:00Z',
      'u1,early,s,1/1/2011 0:00',
      'u1,tie-first,s,2011-01-02 00:00:00',
      'u1,tie-second,s,1293926400', // 2011-01-02T00:00Z in epoch seconds
      'u2,noon,s,2011-01-01T13:00:00+01:00',
    ].join('\n'));
    const { world } = await importTransactions(file, { customer: 'customer', item: 'item', store: 'store', time: 'when' });
    expect(histories(world)).to.deep.equal(['u1@s: early@0 tie-first@1 tie-second@1 late@2.5', 'u2@s: noon@0.5']);
    for (const shopper of world.shoppers) expect(shopper.times).to.deep.equal([...shopper.times].sort((a, b) => a - b));
  });

  it('builds the catalogue from first sightings, with the median price; rows priced ≤ 0 are dropped', async () => {
    const file = await fixture('catalog.csv', [
      'c,i,s,t,name,cat,p,q',
      'u,X,s,1,First name,Kitchen,2,1',
      'u,X,s,2,Second name,Garden,4,48',
      'u,X,s,3,,Garden,10,1',
      'u,X,s,4,,Garden,-5,1',
      'u,Y,s,5,,,0,1',
    ].join('\n'));
    const withAll = await importTransactions(file, 'customer=c,item=i,store=s,time=t,name=name,category=cat,price=p,quantity=q');
    expect(withAll.world.catalog).to.deep.equal([
      { id: 'X', name: 'First name', category: 'Kitchen', brand: 'unknown', price: 4, promotion: false, novelty: false },
    ]);
    expect(withAll.world.categories).to.deep.equal(['Kitchen']);
    expect(withAll.world.shoppers[0].items).to.deep.equal([0, 0, 0]); // quantity 48 is one purchase
    expect(withAll.report.dropped.nonPositivePrice).to.equal(2);

    const bare = await importTransactions(file, 'customer=c,item=i,store=s,time=t');
    expect(bare.world.catalog.map((i) => [i.name, i.category, i.price])).to.deep.equal([['X', 'uncategorised', 1], ['Y', 'uncategorised', 1]]);
  });

  it('rejects a map that does not match the header, naming every missing column', async () => {
    const file = await fixture('header.csv', `${header}\n1,A,a,1,2011-01-01,1,ann,UK\n`);
    const err = await importTransactions(file, 'customer=Customer,item=StockCode,store=Shop,time=InvoiceDate').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(FedrecError);
    const { code, issues, message } = err as FedrecError;
    expect(code).to.equal('invalid-input');
    expect(issues.map((i) => i.path[0])).to.deep.equal(['customer', 'store']);
    expect(message).to.include('"Customer"').and.include('"Shop"').and.include('"CustomerID", "Country"');
  });

  it('rejects an empty file and an invalid map before reading', async () => {
    const empty = await fixture('empty.csv', '');
    const err = await importTransactions(empty, uciMap).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(FedrecError).with.property('message').that.includes('empty');
    const badMap = await importTransactions(empty, 'customer=CustomerID').catch((e: unknown) => e);
    expect((badMap as FedrecError).issues.map((i) => i.path[0])).to.deep.equal(['item', 'store', 'time']);
  });
});
