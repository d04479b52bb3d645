/**
 * Chart.js with only the parts the dashboard draws (tree-shaken by esbuild), no animation (a
 * chart shows the figures at once, and a test reads what it shows), and the page's system font.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Title, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Legend, Title, Tooltip);
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, sans-serif';
Chart.defaults.color = '#1a1a1a';
Chart.defaults.maintainAspectRatio = false;

export { Chart };

/** Okabe & Ito's colour-blind-safe palette (2008), darkest first. */
export const palette = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#000000', '#e69f00', '#56b4e9'];
