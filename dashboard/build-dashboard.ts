/**
 * Bundles the dashboard's front-end (`dashboard/main.ts` and what it imports, Chart.js and the
 * socket.io client included) with esbuild, in memory. `fedrec serve` builds it on the first
 * request for the page and keeps the result (README, Decisions: built at serve time, so there is
 * no build step to forget and the page always matches the sources it is served from).
 */
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface DashboardAssets {
  html: string;
  js: string;
  css: string;
}

const folder = fileURLToPath(new URL('.', import.meta.url));

/**
 * @example const { html, js, css } = await buildDashboard();
 */
export async function buildDashboard(): Promise<DashboardAssets> {
  const result = await build({
    entryPoints: [`${folder}main.ts`],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outdir: `${folder}out`,
    // Fonts are the system's (dashboard.css); nothing is fetched from another origin.
    logLevel: 'silent',
  });
  const text = (ending: string): string => {
    const file = result.outputFiles.find((f) => f.path.endsWith(ending));
    if (!file) throw new Error(`buildDashboard: esbuild wrote no ${ending} file`);
    return file.text;
  };
  return { html: await readFile(`${folder}index.html`, 'utf8'), js: text('.js'), css: text('.css') };
}
