import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from '../../test/helpers/run-cli.ts';

// The UCI sheet's own headers, as the README tells a user to export them.
const sheetMap = 'invoice=Invoice,customer=Customer ID,item=StockCode,store=Country,time=InvoiceDate,name=Description,price=Price,quantity=Quantity';

/** 60 customers in two countries, 8 purchases each of 30 products, plus one row per cleaning rule. */
function sheetCsv(): string {
  const rows = ['Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country'];
  for (let c = 0; c < 60; c++) {
    for (let p = 0; p < 8; p++) {
      const item = (c * 7 + p * (c % 5 + 1)) % 30;
      rows.push(`${500000 + c * 10 + p},${21000 + item},PRODUCT ${item},${1 + (p % 3)},${1 + (p % 12)}/${1 + (c % 28)}/2010 ${8 + p}:15,${(1 + item / 10).toFixed(2)},${13000 + c},${c % 3 === 0 ? 'France' : 'United Kingdom'}`);
    }
  }
  rows.push('C600001,21001,PRODUCT 1,-1,12/1/2010 9:00,1.10,13001,United Kingdom', '600002,POST,POSTAGE,1,12/1/2010 9:00,18.00,13001,France');
  return rows.join('\n');
}

describe('fedrec demo --dataset (child process)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedrec-demo-csv-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the whole demo on a gzipped transaction export and shows a held-out shopper\'s recommendations', async function () {
    this.timeout(120_000);
    const file = join(dir, 'online_retail_II.csv.gz');
    await writeFile(file, gzipSync(sheetCsv()));
    const { code, stdout, stderr } = await runCli(['demo', '--dataset', file, '--map', sheetMap, '--rounds', '2', '--port', '0', '--db', join(dir, 'demo.db'), '--exit']);
    expect(code, stderr).to.equal(0);
    expect(stderr).to.include('1 dropped on a cancelled invoice');
    expect(stderr).to.include('1 dropped with a service code');
    expect(stdout).to.match(/Explained recommendations for a held-out shopper of (France|United Kingdom)/);
  });
});
