import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const boundaries = (depConstraints, allow = []) => ({
  '@nx/enforce-module-boundaries': [
    'error',
    { enforceBuildableLibDependency: true, allow, depConstraints },
  ],
});

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      'docs/api/**',
      'reports/**',
      '.nx/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { plugins: { '@nx': nx } },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Dependencies flow one way: apps → libraries; tag-model depends on nothing of ours; plc-sim only
  // on tag-model; mqtt-client knows nothing of bottles.
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['**/*.spec.ts', '**/*.bench.ts', '**/*.test-helper.ts'],
    rules: boundaries([
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'type:infra', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'scope:tag-model', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'scope:plc-sim', onlyDependOnLibsWithTags: ['scope:tag-model'] },
      { sourceTag: 'scope:mqtt-client', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'scope:scan-monitor', onlyDependOnLibsWithTags: ['scope:tag-model'] },
      // The app kit is for apps in general: their env, logs and process, never bottles.
      { sourceTag: 'scope:app-kit', onlyDependOnLibsWithTags: ['scope:mqtt-client'] },
      { sourceTag: 'scope:historian', onlyDependOnLibsWithTags: ['scope:tag-model'] },
      { sourceTag: 'scope:sparkplug', onlyDependOnLibsWithTags: ['scope:tag-model'] },
      // metrics takes the other libraries' objects structurally: it depends on prom-client only.
      { sourceTag: 'scope:metrics', onlyDependOnLibsWithTags: [] },
    ]),
  },
  // Infra may use the broker infra's process helpers (findExecutable, runServeCli) and no library;
  // Nx infers infra/mosquitto as an "app" (it has a serve target), so it is allowed by name.
  {
    files: ['infra/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.bench.ts', '**/*.test-helper.ts'],
    rules: boundaries(
      [{ sourceTag: 'type:infra', onlyDependOnLibsWithTags: [] }],
      ['@ot-mqtt/broker'],
    ),
  },
  // scan-monitor runs in browsers too (the web dashboard bundles it): no Node built-ins.
  {
    files: ['packages/scan-monitor/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'scan-monitor is browser-safe: no Node built-ins' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Buffer', message: 'scan-monitor is browser-safe: use Uint8Array' },
        { name: 'process', message: 'scan-monitor is browser-safe: take values as options' },
      ],
    },
  },
  // Tests and benchmarks may also use the broker test helper (infra) to start a real Mosquitto.
  {
    files: ['**/*.spec.ts', '**/*.bench.ts', '**/*.test-helper.ts'],
    rules: boundaries(
      [
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:infra'] },
        { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:lib'] },
        { sourceTag: 'scope:tag-model', onlyDependOnLibsWithTags: ['type:infra'] },
        { sourceTag: 'scope:plc-sim', onlyDependOnLibsWithTags: ['scope:tag-model', 'type:infra'] },
        { sourceTag: 'scope:mqtt-client', onlyDependOnLibsWithTags: ['type:infra'] },
        { sourceTag: 'scope:scan-monitor', onlyDependOnLibsWithTags: ['scope:tag-model'] },
        {
          sourceTag: 'scope:sparkplug',
          onlyDependOnLibsWithTags: ['scope:tag-model', 'type:infra'],
        },
        {
          sourceTag: 'scope:app-kit',
          onlyDependOnLibsWithTags: ['scope:mqtt-client', 'type:infra'],
        },
        {
          sourceTag: 'scope:historian',
          // The benchmark stores a simulated filler-day (@ot-mqtt/plc-sim).
          onlyDependOnLibsWithTags: ['scope:tag-model', 'scope:plc-sim', 'type:infra'],
        },
        // Tool tests (tools/e2e) check the libraries and apps together against a real broker.
        { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:infra'] },
        // Nx infers infra/mosquitto as an "app" (it has a serve target): allow its test helper by name.
      ],
      ['@ot-mqtt/broker'],
    ),
  },
  // Benchmarks (tools/bench) measure the libraries side by side with baselines on a real broker,
  // so they may use the broker helper (infra, an Nx "app") as well as every library.
  {
    files: ['tools/bench/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['@ot-mqtt/broker'],
          depConstraints: [
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:infra'] },
          ],
        },
      ],
    },
  },
  prettier,
);
