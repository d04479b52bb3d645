import { expect } from 'chai';
import { FedrecError } from '../server/errors/index.ts';
import { serverSettings } from './server-settings.ts';

describe('server settings (flags, then the environment)', () => {
  it('reads CORS origins, rate limits, /metrics access, log level and proxy hops; a flag wins over its variable', () => {
    const settings = serverSettings(
      { corsOrigin: 'https://shop.example, http://localhost:5173', rateLimit: '100', metrics: 'open' },
      { FEDREC_RATE_LIMIT: '5', FEDREC_RATE_LIMIT_CREDENTIAL: '50', FEDREC_RATE_WINDOW: '10', FEDREC_LOG_LEVEL: 'DEBUG', FEDREC_TRUST_PROXY: '1', FEDREC_METRICS_ACCESS: 'roles' },
    );
    expect(settings.logLevel).to.equal('debug');
    expect(settings.api).to.deep.equal({
      corsOrigins: ['https://shop.example', 'http://localhost:5173'],
      metricsAccess: 'open',
      trustProxy: 1,
      rateLimits: { perAddress: 100, perCredential: 50, windowMs: 10_000 },
    });
  });

  it('defaults to CORS closed, /metrics for engineer and admin keys, info, no trusted proxy, the limiter defaults', () => {
    expect(serverSettings({}, {})).to.deep.equal({ logLevel: 'info', api: { corsOrigins: [], metricsAccess: 'roles', trustProxy: false, rateLimits: {} } });
  });

  it('names every bad value at once', () => {
    let caught: unknown;
    try {
      serverSettings({ corsOrigin: 'https://shop.example/path,*', metrics: 'everyone' }, { FEDREC_LOG_LEVEL: 'loud', FEDREC_RATE_LIMIT: '-3' });
    } catch (thrown) {
      caught = thrown;
    }
    expect(caught).to.be.instanceOf(FedrecError);
    const paths = (caught as FedrecError).issues.map((i) => String(i.path[0]));
    expect([...new Set(paths)]).to.have.members(['corsOrigin', 'metrics', 'logLevel', 'rateLimit']);
  });
});
