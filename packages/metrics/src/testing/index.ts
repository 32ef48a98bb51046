export { checkMetrics, NO_PROMTOOL, PROMTOOL } from './promtool.js';
export { sampleValue, scrapeMetrics } from './scrape.js';
