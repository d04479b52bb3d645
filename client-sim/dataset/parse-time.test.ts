import { expect } from 'chai';
import { parseTime } from './parse-time.ts';

const day = (iso: string): number => Date.parse(iso) / 86_400_000;

describe('parseTime', () => {
  it('reads the UCI Online Retail format, month first, as UTC', () => {
    expect(parseTime('12/1/2010 8:26')).to.be.closeTo(day('2010-12-01T08:26:00Z'), 1e-9);
    expect(parseTime('1/12/2011 14:05:09')).to.be.closeTo(day('2011-01-12T14:05:09Z'), 1e-9);
    expect(parseTime('3/4/2011')).to.equal(day('2011-03-04T00:00:00Z'));
    expect(parseTime('3/4/2011 12:30 AM')).to.be.closeTo(day('2011-03-04T00:30:00Z'), 1e-9);
    expect(parseTime('3/4/2011 1:30 pm')).to.be.closeTo(day('2011-03-04T13:30:00Z'), 1e-9);
  });

  it('reads ISO 8601 dates and datetimes, honouring an explicit zone and otherwise using UTC', () => {
    expect(parseTime('2010-12-01')).to.equal(day('2010-12-01T00:00:00Z'));
    expect(parseTime('2010-12-01 08:26:00')).to.be.closeTo(day('2010-12-01T08:26:00Z'), 1e-9);
    expect(parseTime('2010-12-01T08:26')).to.be.closeTo(day('2010-12-01T08:26:00Z'), 1e-9);
    expect(parseTime('2010-12-01T08:26:00.500Z')).to.be.closeTo(day('2010-12-01T08:26:00.500Z'), 1e-12);
    expect(parseTime('2010-12-01T08:26:00+01:00')).to.be.closeTo(day('2010-12-01T07:26:00Z'), 1e-9);
    expect(parseTime('2010-12-01T08:26:00-0530')).to.be.closeTo(day('2010-12-01T13:56:00Z'), 1e-9);
  });

  it('reads plain numbers as epoch seconds from a million up, as days below', () => {
    expect(parseTime('1291191960')).to.be.closeTo(day('2010-12-01T08:26:00Z'), 1e-9);
    expect(parseTime('14944.5')).to.equal(14944.5);
    expect(parseTime(' 3 ')).to.equal(3);
  });

  it('rejects impossible dates and anything else', () => {
    for (const text of ['', 'yesterday', '2/30/2010 8:00', '2010-13-01', '2010-12-01 25:00', '13/1/2010', '3/4/2011 13:00 PM', '0x10', '12/1/10 8:26']) {
      expect(parseTime(text), text).to.equal(undefined);
    }
  });
});
