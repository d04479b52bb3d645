/**
 * The dashboard in headless Chromium against a real server (startFedrecServer on a SQLite file,
 * 127.0.0.1, simulated store clients over socket.io): what each role sees and may do, live
 * training charts, approve and kill, "try it" against the REST answer, the merchant view's bars,
 * the preference center, axe-core on every panel, keyboard-only use of the main actions, and a
 * screenshot of each panel (test/dashboard/screenshots/, shown in the README).
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { chromiumPath, startDashboardRig, type DashboardRig } from './dashboard-harness.ts';
import { activate, tabTo, typeInto } from './keyboard.ts';

export const screenshotFolder = new URL('./screenshots/', import.meta.url).pathname;

/** Opens a panel with the keyboard and waits until its requests have answered. */
async function openPanelByKeyboard(page: Page, panelId: string): Promise<void> {
  await activate(page, `nav button[data-panel="${panelId}"]`);
  await page.waitForSelector(`#panel-${panelId}`);
  await page.waitForSelector('body[data-busy="0"]', { state: 'attached' });
}

/**
 * axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA, contrast
 * included). Legacy mode runs axe in the page itself instead of merging frames' results in a new
 * page: the dashboard has no frames, and it halves the time of each check (2.7 against 5.2–6.9 s
 * per analysis at load ~15 on this machine).
 */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .setLegacyMode(true).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${screenshotFolder}${name}.png` });
}

/** Adds a past purchase in "try it" by searching for it, keyboard only. */
async function addPurchase(page: Page, itemId: string): Promise<void> {
  await typeInto(page, '#try-search', itemId);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`#try-search-results button[data-item="${itemId}"]`);
  const before = await page.$$eval('#try-history button', (b) => b.length);
  await activate(page, `#try-search-results button[data-item="${itemId}"]`);
  await page.waitForFunction((n) => document.querySelectorAll('#try-history button').length === n + 1, before);
}

async function recommendInPage(page: Page): Promise<void> {
  const before = await page.$eval('#try-status', (e) => e.textContent);
  await activate(page, '#try-submit');
  await page.waitForFunction((previous) => {
    const text = document.querySelector('#try-status')?.textContent ?? '';
    return text !== previous && !text.startsWith('Asking');
  }, before);
}

describe('dashboard in a real browser', function () {
  this.timeout(180_000);
  let rig: DashboardRig;
  let trainedVersions: number[] = [];
  before(async function () {
    if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: .ci/run installs Debian's chromium package`);
    mkdirSync(screenshotFolder, { recursive: true });
    rig = await startDashboardRig();
  });
  after(async () => rig?.close());
  afterEach(function () {
    // Every page of every test: no console error, no request off 127.0.0.1.
    expect(rig.problems, 'console errors and off-host requests').to.deep.equal([]);
  });

  it('loads with no console error and no request leaving 127.0.0.1; the page has its own CSP and the JSON routes keep theirs', async () => {
    const { page } = await rig.signedIn('engineer');
    expect(await page.textContent('nav button[aria-current="page"]')).to.equal('Training');
    expect(await page.$$eval('nav button', (buttons) => buttons.map((b) => (b as HTMLElement).dataset.panel))).to.deep.equal(['training', 'models', 'trust']);
    const pageHeaders = (await fetch(rig.url)).headers;
    expect(pageHeaders.get('content-security-policy')).to.match(/default-src 'none'/).and.match(/script-src 'self'/).and.match(/connect-src 'self'/).and.not.match(/unsafe/);
    const apiHeaders = (await fetch(new URL('/healthz', rig.url))).headers;
    expect(apiHeaders.get('content-security-policy')).to.match(/default-src 'self'/);
    expect(apiHeaders.get('x-content-type-options')).to.equal('nosniff');
  });

  it('starts a job from the training panel, and its charts gain points over the socket as rounds finish', async () => {
    const { page } = await rig.signedIn('engineer');
    await typeInto(page, '#job-initial-version', String(rig.initialVersion));
    await typeInto(page, '#job-rounds', '8');
    await typeInto(page, '#job-min-clients', '3');
    await typeInto(page, '#job-sampling-rate', '0.5');
    await typeInto(page, '#job-epsilon', '8');
    await typeInto(page, '#job-evaluate-every', '1');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#selected-job #chart-quality');
    const jobId = await page.$eval('#selected-job', (e) => (e as HTMLElement).dataset.job!);
    const first = Number(await page.$eval('#chart-quality', (e) => (e as HTMLElement).dataset.points));
    await page.waitForFunction(() => Number((document.querySelector('#chart-quality') as HTMLElement | null)?.dataset.points) === 8, undefined, { timeout: 90_000 });
    expect(first, `points drawn when the job was shown (${first}), before the socket added the rest`).to.be.below(8);
    // The figures the socket pushed are the job's stored ones.
    const job = (await rig.call('engineer', 'GET', `/v1/jobs/${jobId}`)).body;
    const drawn = await page.$$eval('#chart-quality table tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent)));
    expect(drawn.map((r) => Number(r[0]))).to.deep.equal(job.rounds.map((r: { round: number }) => r.round));
    expect(drawn.map((r) => Number(r[1]))).to.deep.equal(job.rounds.map((r: { loss: number }) => Number(r.loss.toPrecision(4))));
    // The baselines' series (columns: round, loss, recall, NDCG, popularity recall, repeat recall) are the REST figures, every round.
    type Baselines = { popularity: { 'recall@10': number }; repeat: { 'recall@10': number } };
    const rest = job.rounds.map((r: { baselines?: Baselines }) => r.baselines);
    expect(rest.every((b: Baselines | undefined) => b !== undefined), 'every round evaluated the baselines').to.equal(true);
    expect(drawn.map((r) => r[4])).to.deep.equal(rest.map((b: Baselines) => formatFigure(b.popularity['recall@10'])));
    expect(drawn.map((r) => r[5])).to.deep.equal(rest.map((b: Baselines) => formatFigure(b.repeat['recall@10'])));
    expect(Number(await page.$eval('#chart-epsilon', (e) => (e as HTMLElement).dataset.points))).to.equal(8);
    expect(await page.$$eval('#rejections-table tbody tr', (rows) => rows.length), 'rejection reasons come with each pushed round').to.be.greaterThan(0);
    const clientRows = await page.$$eval('#chart-clients table tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent)));
    expect(clientRows.at(-1)!.slice(1), 'answered, abandoned, dropped, rejected').to.deep.equal(['3', '0', '0', '0']);
    await page.waitForFunction((id) => document.querySelector(`#jobs-table`)?.textContent?.includes(`${id}`) && document.querySelector('#jobs-table')!.textContent!.includes('completed'), jobId);
    await screenshot(page, 'training');
    trainedVersions = job.rounds.map((r: { version: number }) => r.version);
  });

  it('approves with a required reason and kills after a confirmation, both in the audit list, and "try it" follows', async () => {
    const [older, newest] = trainedVersions.slice(-2);
    const { page } = await rig.signedIn('approver');
    await openPanelByKeyboard(page, 'models');
    await page.waitForSelector(`#models-table button[data-action="approve"][data-version="${older}"]`);
    for (const version of [older, newest]) {
      await activate(page, `#models-table button[data-action="approve"][data-version="${version}"]`);
      await page.waitForSelector('#approve-dialog[open]');
      // Without a reason nothing is sent: the form does not submit.
      await activate(page, '#approve-dialog button[data-action="confirm-approve"]');
      expect(await page.$eval('#approve-reason', (e) => (e as HTMLTextAreaElement).validity.valueMissing)).to.equal(true);
      expect(await page.$$('#approve-dialog[open]')).to.have.length(1);
      await typeInto(page, '#approve-reason', `approved in the dashboard test (v${version})`);
      await activate(page, '#approve-dialog button[data-action="confirm-approve"]');
      await page.waitForSelector(`#models-table [data-state="serving"][data-version="${version}"]`);
    }
    if ((await seriousViolations(page)).length) throw new Error(`models panel: ${await seriousViolations(page)}`);
    await screenshot(page, 'models');
    const app = await rig.signedIn('app');
    await openPanelByKeyboard(app.page, 'try-it');
    await tabTo(app.page, '#try-as-shopper');
    await app.page.keyboard.press('Space');
    await recommendInPage(app.page);
    expect(await app.page.$eval('#recommendations', (e) => (e as HTMLElement).dataset.modelVersion)).to.equal(String(newest));

    await activate(page, `#models-table button[data-action="kill"][data-version="${newest}"]`);
    await page.waitForSelector('#kill-dialog[open]');
    await typeInto(page, '#kill-reason', 'killed in the dashboard test');
    await activate(page, '#kill-dialog button[data-action="confirm-kill"]');
    await page.waitForSelector(`#models-table [data-state="killed"][data-version="${newest}"]`);
    expect(await page.$eval(`#models-table [data-version="${older}"][data-state]`, (e) => e.textContent), 'the previous approved version serves again').to.equal('serving');
    await recommendInPage(app.page);
    expect(await app.page.$eval('#recommendations', (e) => (e as HTMLElement).dataset.modelVersion)).to.equal(String(older));

    await openPanelByKeyboard(page, 'trust');
    await page.waitForSelector('#audit-table');
    const actions = await page.$$eval('#audit-table [data-action]', (cells) => cells.map((c) => `${c.textContent} ${c.closest('tr')!.children[4].textContent}`));
    expect(actions).to.include.members([`model.approved ${older}`, `model.approved ${newest}`, `model.killed ${newest}`]);
    await activate(page, '#verify-now');
    await page.waitForSelector('#chain-status[data-ok="true"]');
  });

  it('"try it" shows the REST answer: the same items, sentences and attribution bars summing to score − baseline', async () => {
    const [first, second] = rig.world.catalog.slice(0, 2).map((i) => i.id);
    const { page } = await rig.signedIn('app');
    await openPanelByKeyboard(page, 'try-it');
    await page.waitForSelector('#try-store option', { state: 'attached' });
    const storeId = await page.$eval('#try-store', (e) => (e as HTMLSelectElement).value);
    await tabTo(page, '#try-as-shopper');
    await page.keyboard.press('Space');
    await addPurchase(page, first);
    await addPurchase(page, second);
    await recommendInPage(page);
    const rest = (await rig.call('app', 'POST', '/v1/recommendations', { context: { storeId }, history: [{ itemId: first }, { itemId: second }], personalization: true, k: 10 })).body;
    expect(rest.personalized).to.equal(true);
    const shown = await page.$$eval('#recommendations > li', (items) =>
      items.map((li) => ({
        itemId: (li as HTMLElement).dataset.itemId,
        reason: li.querySelector('.reason')!.textContent,
        bars: [...li.querySelectorAll('.attribution[data-concept]')].map((a) => ({ concept: (a as HTMLElement).dataset.concept, contribution: Number((a as HTMLElement).dataset.contribution), width: (a.querySelector('.bar') as HTMLElement).getBoundingClientRect().width })),
        total: Number((li.querySelector('.attribution.total') as HTMLElement).dataset.total),
        score: Number((li.querySelector('.attributions') as HTMLElement).dataset.score),
        baseline: Number((li.querySelector('.attributions') as HTMLElement).dataset.baseline),
      })),
    );
    expect(shown.map((s) => s.itemId)).to.deep.equal(rest.items.map((i: { itemId: string }) => i.itemId));
    rest.items.forEach((item: { reason: string; score: number; baseline: number; attributions: { concept: string; contribution: number }[] }, i: number) => {
      expect(shown[i].reason).to.equal(item.reason);
      expect(shown[i].bars.map((b) => [b.concept, b.contribution])).to.deep.equal(item.attributions.map((a) => [a.concept, a.contribution]));
      expect(shown[i].total).to.be.closeTo(item.score - item.baseline, 1e-9);
      expect([shown[i].score, shown[i].baseline]).to.deep.equal([item.score, item.baseline]);
      shown[i].bars.forEach((b) => expect(b.width, 'each bar is drawn').to.be.greaterThan(0));
    });
    if ((await seriousViolations(page)).length) throw new Error(`try it: ${await seriousViolations(page)}`);
    await screenshot(page, 'try-it');
  });

  it('the merchant view draws its bar chart from the REST figures, with complaint rate and exposure share', async () => {
    // Real served counters: recommendations today, replayed as yesterday's (only sealed days are shown).
    // 200 requests: the most shown item is then shown ~200 times, 9 σ of the seal's noise (σ 20) above
    // the minimum cohort (20). At 60 requests it was shown ~60 times, withheld with probability ~2%,
    // and one CI run drew that.
    const storeId = rig.world.stores[0].id;
    for (let i = 0; i < 200; i++) {
      const history = rig.world.catalog.slice(i % 20, (i % 20) + 3).map((item) => ({ itemId: item.id }));
      await rig.call('app', 'POST', '/v1/recommendations', { context: { storeId }, history, personalization: true });
    }
    // The merchant route writes the pending counters before it reads (and today is never sealed).
    await rig.call('merchant', 'GET', `/v1/items/${rig.world.catalog[0].id}/explanation`);
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const counters = await rig.store.listExposureDay(today);
    await rig.store.addExposure(counters.map((c) => ({ ...c, day: yesterday })));
    const shownCounts = new Map<string, number>();
    for (const c of counters) if (c.key === 'shown') shownCounts.set(c.itemId, (shownCounts.get(c.itemId) ?? 0) + c.amount);
    const itemId = [...shownCounts.entries()].sort((a, b) => b[1] - a[1])[0][0];

    const { page } = await rig.signedIn('merchant');
    expect(await page.$$eval('nav button', (buttons) => buttons.map((b) => (b as HTMLElement).dataset.panel))).to.deep.equal(['why-item', 'trust']);
    await typeInto(page, '#why-search', itemId);
    await page.keyboard.press('Enter');
    await activate(page, `#why-search-results button[data-item="${itemId}"]`);
    await page.waitForSelector('#chart-top-reasons');
    const rest = (await rig.call('merchant', 'GET', `/v1/items/${itemId}/explanation`)).body;
    expect(rest.overall.withheld).to.equal(false);
    expect(Number(await page.$eval('#chart-top-reasons', (e) => (e as HTMLElement).dataset.bars))).to.be.greaterThan(0);
    const painted = await page.$eval('#chart-top-reasons canvas', (canvas) => {
      const c = canvas as HTMLCanvasElement;
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let coloured = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3] > 0 && pixels[i] < 100 && pixels[i + 2] > 150) coloured++;
      return coloured;
    });
    expect(painted, 'blue bar pixels on the canvas').to.be.greaterThan(50);
    const rows = await page.$$eval('#chart-top-reasons table tbody tr', (trs) => trs.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent)));
    const overallShown = Object.fromEntries(rows.map((r) => [r[0], Number(r[1])]));
    for (const [concept, share] of Object.entries(rest.overall.topReasonShare as Record<string, number>)) expect(overallShown[concept], concept).to.equal(Number(share.toPrecision(3)));
    expect(await page.textContent('#complaint-rate')).to.match(/per 1,000 recommendations|withheld/);
    expect(await page.textContent('#exposure-share')).to.match(/% of the recommendations served/);
    if ((await seriousViolations(page)).length) throw new Error(`why this item: ${await seriousViolations(page)}`);
    await screenshot(page, 'why-this-item');
  });

  it('cancels a running job from the training panel after a confirmation; the job reads cancelled and the audit log names the key', async () => {
    const started = await rig.call('engineer', 'POST', '/v1/jobs', { config: { rounds: 40, samplingRate: 0.5, minClients: 3, privacy: { mode: 'dp', targetEpsilon: 8, delta: 1e-6 } }, initialVersion: rig.initialVersion });
    expect(started.status).to.equal(200);
    const jobId = started.body.id;
    const { page } = await rig.signedIn('engineer');
    await page.waitForSelector(`#jobs-table button[data-action="cancel-job"][data-job="${jobId}"]`);
    page.once('dialog', (dialog) => void dialog.accept());
    await activate(page, `#jobs-table button[data-action="cancel-job"][data-job="${jobId}"]`);
    await page.waitForSelector(`#training-status:has-text("Job ${jobId} cancelled")`);
    expect((await rig.call('engineer', 'GET', `/v1/jobs/${jobId}`)).body.status).to.equal('cancelled');
    const [entry] = await rig.store.listAudit({ action: 'job.cancel-requested', target: jobId });
    expect(entry.actor).to.equal((await rig.call('engineer', 'GET', '/v1/whoami')).body.keyId);
  });

  it('a merchant key sees no approve button, an engineer sees the versions without one, and the server refuses both anyway', async () => {
    const { page } = await rig.signedIn('merchant');
    expect(await page.$$('button[data-action="approve"], button[data-action="kill"]')).to.have.length(0);
    expect(await page.$$('nav button[data-panel="models"]')).to.have.length(0);
    const engineer = await rig.signedIn('engineer');
    await openPanelByKeyboard(engineer.page, 'models');
    await engineer.page.waitForSelector('#models-table');
    expect(await engineer.page.$$('button[data-action="approve"], button[data-action="kill"]')).to.have.length(0);
    const candidate = trainedVersions[0];
    for (const role of ['merchant', 'engineer'] as const) {
      const refused = await rig.call(role, 'POST', `/v1/models/${candidate}/approve`, { reason: 'not mine to approve' });
      expect(refused.status, role).to.equal(403);
      expect(refused.body.error.code).to.equal('forbidden');
    }
    const models = (await rig.call('approver', 'GET', '/v1/models')).body.models;
    expect(models.find((m: { version: number }) => m.version === candidate).state).to.equal('candidate');
  });

  it('the preference center changes what the next "try it" returns: exclusions, opt-out, and GPC', async () => {
    const { page } = await rig.signedIn('app');
    expect(await page.$$eval('nav button', (buttons) => buttons.map((b) => (b as HTMLElement).dataset.panel))).to.deep.equal(['try-it', 'preferences']);
    await openPanelByKeyboard(page, 'try-it');
    await page.waitForSelector('#try-store option', { state: 'attached' });
    await recommendInPage(page);
    expect(await page.$eval('#recommendations', (e) => (e as HTMLElement).dataset.personalized), 'a shopper never asked is not personalised (opt-in)').to.equal('false');
    expect(await page.textContent('#not-personalised')).to.match(/never asked/);

    await openPanelByKeyboard(page, 'preferences');
    await page.waitForSelector('#pref-form');
    const excluded = await page.$eval('#pref-form input[data-category]', (e) => (e as HTMLElement).dataset.category!);
    await tabTo(page, '#pref-consent');
    await page.keyboard.press('Space');
    await tabTo(page, '#pref-form input[data-category]');
    await page.keyboard.press('Space');
    await activate(page, '#pref-save');
    await page.waitForSelector('#preferences-status:has-text("Saved")');
    if ((await seriousViolations(page)).length) throw new Error(`preference center: ${await seriousViolations(page)}`);
    await screenshot(page, 'preference-center');

    await openPanelByKeyboard(page, 'try-it');
    await page.waitForSelector('#try-store option', { state: 'attached' });
    await recommendInPage(page);
    expect(await page.$eval('#recommendations', (e) => (e as HTMLElement).dataset.personalized)).to.equal('true');
    expect(await page.$$eval('#recommendations > li', (items) => items.map((li) => (li as HTMLElement).dataset.category))).to.not.include(excluded);
    expect(await page.textContent('#choices-applied')).to.include(excluded);

    await openPanelByKeyboard(page, 'preferences');
    await page.waitForSelector('#pref-form');
    await tabTo(page, '#pref-consent');
    await page.keyboard.press('Space');
    await activate(page, '#pref-save');
    await page.waitForSelector('#preferences-status:has-text("consent opted-out")');
    await activate(page, '#pref-export-button');
    await page.waitForSelector('#pref-export pre');
    expect(JSON.parse((await page.textContent('#pref-export pre'))!).consentHistory.map((c: { choice: string }) => c.choice)).to.deep.equal(['opted-in', 'opted-out']);
    await openPanelByKeyboard(page, 'try-it');
    await page.waitForSelector('#try-store option', { state: 'attached' });
    await recommendInPage(page);
    expect(await page.textContent('#not-personalised')).to.match(/opted out/);

    const gpc = await rig.signedIn('app', { extraHTTPHeaders: { 'Sec-GPC': '1' } });
    await openPanelByKeyboard(gpc.page, 'try-it');
    await gpc.page.waitForSelector('#try-store option', { state: 'attached' });
    await tabTo(gpc.page, '#try-as-shopper');
    await gpc.page.keyboard.press('Space');
    await recommendInPage(gpc.page);
    expect(await gpc.page.textContent('#not-personalised')).to.match(/Global Privacy Control/);
  });

  it('the trust panel shows the scorecard, fairness, uplift and guardrails as their routes report them', async () => {
    const { page } = await rig.signedIn('admin');
    await openPanelByKeyboard(page, 'trust');
    await page.waitForSelector('#scorecard dl');
    await page.waitForSelector('#fairness #chart-fairness');
    await page.waitForSelector('#uplift table');
    await page.waitForSelector('#guardrail-settings table');
    const [card, fairness, uplift] = await Promise.all(['/v1/reports/scorecard', '/v1/reports/fairness', '/v1/reports/uplift'].map(async (path) => (await rig.call('admin', 'GET', path)).body));
    expect(await page.textContent('#scorecard')).to.include(`Period ${card.period.fromDay} to ${card.period.toDay}`).and.include(card.auditChain.ok ? `intact (${card.auditChain.entries} entries)` : 'BROKEN');
    expect(Number(await page.$eval('#chart-consent-trend', (e) => (e as HTMLElement).dataset.points))).to.equal(card.consent.trend.length);
    const categories = fairness.dimensions.category.length;
    expect(Number(await page.$eval('#chart-fairness', (e) => (e as HTMLElement).dataset.bars))).to.equal(2 * categories);
    const shoppers = await page.$$eval('#uplift table tbody tr', (rows) => rows.map((r) => Number(r.children[1].textContent)));
    expect(shoppers).to.deep.equal([uplift.groups.treatment.shoppers, uplift.groups.holdout.shoppers]);
    expect(await page.textContent('#uplift-difference')).to.match(uplift.withheld ? /withheld/ : /95% interval/);
    page.once('dialog', (dialog) => void dialog.accept());
    await activate(page, '#check-guardrails');
    await page.waitForSelector('#guardrail-verdict');
    await page.waitForSelector('#chain-status[data-ok="true"]');
    await screenshot(page, 'trust');
  });

  it('axe-core finds no serious or critical violation on any panel, the sign-in page and the dialogs included', async () => {
    // Each panel once, as the first role that sees it, plus the approver's models panel with its
    // buttons and dialogs (try it, why this item, preference center and models are also checked in
    // their own tests above, in the states those tests leave).
    const found: string[] = [];
    const checked = new Set<string>();
    for (const role of ['engineer', 'approver', 'merchant', 'app', 'admin'] as const) {
      const { page } = await rig.signedIn(role);
      const panels = await page.$$eval('nav button', (buttons) => buttons.map((b) => (b as HTMLElement).dataset.panel!));
      for (const panel of panels) {
        if (checked.has(panel) && !(role === 'approver' && panel === 'models')) continue;
        checked.add(panel);
        await openPanelByKeyboard(page, panel);
        found.push(...(await seriousViolations(page)).map((v) => `${role}/${panel}: ${v}`));
        if (role === 'approver' && panel === 'models') {
          for (const action of ['approve', 'kill']) {
            await activate(page, `#models-table button[data-action="${action}"]`);
            await page.waitForSelector(`#${action}-dialog[open]`);
            found.push(...(await seriousViolations(page)).map((v) => `${role}/${panel}/${action} dialog: ${v}`));
            await page.keyboard.press('Escape');
            await page.waitForSelector(`#${action}-dialog:not([open])`, { state: 'attached' });
          }
        }
      }
    }
    const signInContext = await rig.browser.newContext();
    const signInPage = await signInContext.newPage();
    await signInPage.goto(rig.url);
    await signInPage.waitForSelector('#api-key');
    found.push(...(await seriousViolations(signInPage)).map((v) => `sign-in: ${v}`));
    await signInContext.close();
    expect(found).to.deep.equal([]);
  });
});

/** The page's rendering of a figure (dashboard/element.ts `formatNumber`): 4 significant digits. */
function formatFigure(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
