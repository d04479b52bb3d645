/**
 * The dashboard page: sign in with an API key, ask the server what the key's role may do
 * (`GET /v1/whoami`), and show only the panels and actions of that role. The page is no security
 * boundary: every route checks the key again.
 */
import './dashboard.css';
import { ApiClient, describeError } from './api-client.ts';
import { h, replace } from './element.ts';
import { defaultShopperId, type Panel, type PanelContext, type SharedState, type Whoami } from './panel.ts';
import { modelsPanel } from './panels/models-panel.ts';
import { preferencesPanel } from './panels/preferences-panel.ts';
import { trainingPanel } from './panels/training-panel.ts';
import { trustPanel } from './panels/trust-panel.ts';
import { tryItPanel } from './panels/try-it-panel.ts';
import { whyItemPanel } from './panels/why-item-panel.ts';

const panels: Panel[] = [trainingPanel, modelsPanel, whyItemPanel, tryItPanel, trustPanel, preferencesPanel];

const tabs = document.getElementById('tabs')!;
const main = document.getElementById('panel')!;
const session = document.getElementById('session')!;
const shared: SharedState = { shopperId: defaultShopperId };
let cleanup: (() => void) | void;

function signIn(): void {
  cleanup?.();
  replace(tabs);
  replace(session);
  const input = h('input', { id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', required: true, 'aria-describedby': 'sign-in-status' });
  const status = h('p', { id: 'sign-in-status', class: 'status', role: 'status' });
  const form = h(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h2', { id: 'sign-in-title' }, 'Sign in'),
    h('p', {}, 'Paste an API key. The dashboard shows what its role may do; the key stays in this tab only.'),
    h('label', { for: 'api-key' }, 'API key'),
    input,
    h('button', { type: 'submit' }, 'Sign in'),
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const api = new ApiClient(input.value.trim());
    status.textContent = 'Checking the key…';
    api.get<Whoami>('/v1/whoami').then(
      (whoami) => start(api, whoami),
      (error: unknown) => (status.textContent = `Not signed in: ${describeError(error)}`),
    );
  });
  replace(main, form);
  input.focus();
}

function start(api: ApiClient, whoami: Whoami): void {
  const context: PanelContext = { api, whoami, shared, may: (op) => whoami.operations.includes(op) };
  const visible = panels.filter((p) => p.operations.some((op) => context.may(op)));
  replace(session, h('span', {}, `Signed in as ${whoami.name} (role ${whoami.role}) `), h('button', { type: 'button', class: 'secondary', onclick: () => signIn() }, 'Sign out'));
  const buttons = visible.map((panel) =>
    h('button', { type: 'button', id: `tab-${panel.id}`, 'data-panel': panel.id, onclick: () => show(panel) }, panel.title),
  );
  replace(tabs, h('ul', {}, buttons.map((b) => h('li', {}, b))));
  const show = (panel: Panel): void => {
    cleanup?.();
    for (const b of buttons) {
      if (b.dataset.panel === panel.id) b.setAttribute('aria-current', 'page');
      else b.removeAttribute('aria-current');
    }
    main.dataset.panel = panel.id;
    const container = h('section', { class: 'panel', id: `panel-${panel.id}`, 'aria-labelledby': `heading-${panel.id}` }, h('h2', { id: `heading-${panel.id}` }, panel.title));
    replace(main, container);
    cleanup = panel.render(container, context);
  };
  if (visible.length === 0) replace(main, h('p', {}, `The role ${whoami.role} has no panel on this dashboard.`));
  else show(visible[0]);
}

signIn();
