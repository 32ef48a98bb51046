export { exampleTags, variedTags } from './example-tags.js';
export type { TagOverrides } from './example-tags.js';
export { EXAMPLE_META, exampleScan, exampleConnection } from './example-scan.js';
export type { ExampleScanOptions, ExampleConnectionOptions } from './example-scan.js';
