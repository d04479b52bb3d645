import { expect } from 'chai';
import { FedrecError } from '../../server/errors/index.ts';
import { parseColumnMap, resolveColumns } from './column-map.ts';

function thrown(run: () => unknown): FedrecError {
  try {
    run();
  } catch (err) {
    expect(err).to.be.instanceOf(FedrecError);
    return err as FedrecError;
  }
  return expect.fail('expected a FedrecError');
}

describe('parseColumnMap', () => {
  it('parses required and optional keys, trimming spaces around them', () => {
    expect(parseColumnMap('customer=CustomerID, item=StockCode,store=Country,time=InvoiceDate,price=UnitPrice,')).to.deep.equal({
      customer: 'CustomerID',
      item: 'StockCode',
      store: 'Country',
      time: 'InvoiceDate',
      price: 'UnitPrice',
    });
  });

  it('lists every issue at once: missing, unknown, duplicate, malformed and empty', () => {
    const err = thrown(() => parseColumnMap('customer=C,item=I,item=J,colour=X,size=Y,bogus,price='));
    expect(err.code).to.equal('invalid-input');
    const issues = err.issues.map((i) => `${i.path.join('.')}: ${i.code}`).sort();
    expect(issues).to.deep.equal([
      'bogus: malformed',
      'colour: unrecognized_keys',
      'item: duplicate',
      'price: too_small',
      'size: unrecognized_keys',
      'store: invalid_type',
      'time: invalid_type',
    ]);
    for (const key of ['bogus', 'colour', 'item', 'price', 'size', 'store', 'time']) expect(err.message).to.include(`${key}:`);
    expect(err.issues.find((i) => i.path[0] === 'store')?.message).to.equal('is required');
  });
});

describe('resolveColumns', () => {
  const map = parseColumnMap('customer=CustomerID,item=StockCode,store=Country,time=InvoiceDate,name=Description');

  it('finds each mapped column, tolerating spaces around header names', () => {
    const columns = resolveColumns(map, ['InvoiceNo', ' StockCode', 'Description', 'InvoiceDate', 'CustomerID', 'Country ']);
    expect(columns).to.deep.equal({ customer: 4, item: 1, store: 5, time: 3, name: 2 });
  });

  it('names every missing or ambiguous column and shows the header', () => {
    const err = thrown(() => resolveColumns(map, ['InvoiceNo', 'StockCode', 'StockCode', 'Date'], 'retail.csv'));
    expect(err.issues.map((i) => `${i.path[0]}: ${i.code}`)).to.deep.equal([
      'customer: missing-column',
      'item: ambiguous-column',
      'store: missing-column',
      'time: missing-column',
      'name: missing-column',
    ]);
    expect(err.message).to.include('retail.csv').and.include('"CustomerID"').and.include('"Country"').and.include('"InvoiceDate"');
    expect(err.message).to.include('the header is: "InvoiceNo", "StockCode", "StockCode", "Date"');
  });
});
