/**
 * Keyboard-only helpers: reach an element by pressing Tab (never by clicking or focusing it from
 * script), then act with Enter, Space or typed keys, as a keyboard user would.
 */
import type { Page } from 'playwright-core';

/** Presses Tab until the focused element matches `selector`; fails after `limit` presses. */
export async function tabTo(page: Page, selector: string, limit = 250): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`tabTo: ${limit} presses of Tab never reached ${selector}`);
}

/** Tabs to the element and presses Enter. */
export async function activate(page: Page, selector: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.press('Enter');
}

/** Tabs to a field, selects what it holds, and types `text` over it. */
export async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}
