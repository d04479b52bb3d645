/**
 * The one behaviour every FedrecStore must have, as a mocha suite each implementation's test file
 * runs against itself (as Hono runs one suite over all its routers). A backend passes when it
 * passes this; backend-specific facts (durability, migrations) stay in that backend's own tests.
 */
import type { FedrecStore } from './fedrec-store.ts';
import { describeCatalogContract } from './contract/catalog-contract.ts';
import { describeClientsContract } from './contract/clients-contract.ts';
import { describeExposureContract } from './contract/exposure-contract.ts';
import { describeGovernanceContract } from './contract/governance-contract.ts';
import { describeMeasurementContract } from './contract/measurement-contract.ts';
import { describeJobsContract } from './contract/jobs-contract.ts';
import { describeModelVersionsContract } from './contract/model-versions-contract.ts';
import { describePrivacyLedgerContract } from './contract/privacy-ledger-contract.ts';
import { describeRoundsContract } from './contract/rounds-contract.ts';
import { describeSealedExposureContract } from './contract/sealed-exposure-contract.ts';
import { describeShoppersContract } from './contract/shoppers-contract.ts';
import { expectFedrecError } from './contract/store-fixtures.ts';

/** A fresh, empty store, and how to dispose of it (close it, delete its files). */
export interface StoreUnderTest {
  store: FedrecStore;
  cleanup: () => Promise<void>;
}

/**
 * Registers the contract suite; every test gets a fresh store from `makeStore`.
 * @example
 * describeStoreContract('MemoryStore', async () => {
 *   const store = new MemoryStore();
 *   return { store, cleanup: () => store.close() };
 * });
 */
export function describeStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`${name} honours the FedrecStore contract`, () => {
    let current: StoreUnderTest | undefined;
    const store = (): FedrecStore => {
      if (!current) throw new Error(`describeStoreContract(${name}): no store outside a test`);
      return current.store;
    };

    beforeEach(async () => {
      current = await makeStore();
    });

    afterEach(async () => {
      await current?.cleanup();
      current = undefined;
    });

    describeJobsContract(store);
    describeRoundsContract(store);
    describeModelVersionsContract(store);
    describeClientsContract(store);
    describeCatalogContract(store);
    describeExposureContract(store);
    describeSealedExposureContract(store);
    describePrivacyLedgerContract(store);
    describeGovernanceContract(store);
    describeShoppersContract(store);
    describeMeasurementContract(store);

    describe('close', () => {
      it('can be called twice, and every call after it is rejected as unavailable', async () => {
        await store().createJob({ id: 'job-1', config: {} });
        await store().close();
        await store().close();
        await expectFedrecError(store().getJob('job-1'), 'unavailable', /closed/);
        await expectFedrecError(store().listCatalog(), 'unavailable');
        await expectFedrecError(store().addExposure([]), 'unavailable');
      });
    });
  });
}
