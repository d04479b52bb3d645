/** What every panel gets, and what it is: one module per panel under `panels/`. */
import type { ApiClient } from './api-client.ts';

export interface Whoami {
  keyId: string;
  name: string;
  role: 'admin' | 'approver' | 'engineer' | 'merchant' | 'app';
  /** operationIds this key's role may call (GET /v1/whoami). */
  operations: string[];
}

/** The shopper the preference center and "try it" start with. */
export const defaultShopperId = 'demo-shopper-1';

/** Shared between panels: the preference center's shopper is the one "try it" asks for. */
export interface SharedState {
  shopperId: string;
}

export interface PanelContext {
  api: ApiClient;
  whoami: Whoami;
  /** Whether the key's role may call the operation: the page offers only that (the server enforces it anyway). */
  may(operationId: string): boolean;
  shared: SharedState;
}

export interface Panel {
  id: string;
  title: string;
  /** Shown to a key whose role may call any of these operations. */
  operations: string[];
  /** Draws into `container`; returns what to undo when another panel is shown (sockets, charts). */
  render(container: HTMLElement, context: PanelContext): (() => void) | void;
}

/** A status line that screen readers announce when it changes. */
export function statusLine(id: string): HTMLParagraphElement {
  const line = document.createElement('p');
  line.id = id;
  line.className = 'status';
  line.setAttribute('role', 'status');
  return line;
}
