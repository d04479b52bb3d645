import { expect } from 'chai';
import { expectClose } from './expect-close.ts';
import { logAddExp, logSubExp } from './log-space.ts';

describe('log-space arithmetic', () => {
  it('adds and subtracts like the linear-space operations', () => {
    expectClose(logAddExp(Math.log(2), Math.log(3)), Math.log(5), { relative: 1e-15, label: 'log(2 + 3)' });
    expectClose(logSubExp(Math.log(5), Math.log(3)), Math.log(2), { relative: 1e-15, label: 'log(5 − 3)' });
  });

  it('does not overflow where exp would', () => {
    expectClose(logAddExp(1000, 1000), 1000 + Math.LN2, { relative: 1e-15, label: 'log(2e^1000)' });
    expectClose(logSubExp(1000 + Math.LN2, 1000), 1000, { relative: 1e-15, label: 'log(2e^1000 − e^1000)' });
  });

  it('treats −Infinity as zero', () => {
    expect(logAddExp(-Infinity, 3)).to.equal(3);
    expect(logSubExp(3, -Infinity)).to.equal(3);
    expect(logSubExp(3, 3)).to.equal(-Infinity);
  });

  it('refuses a negative difference', () => {
    expect(() => logSubExp(1, 2)).to.throw(RangeError);
  });
});
