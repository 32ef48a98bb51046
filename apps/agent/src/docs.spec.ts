import { readFileSync } from 'node:fs';
import { missingEnvTableRows } from '@ot-mqtt/app-kit';
import { describe, expect, it } from 'vitest';
import { ENV_VARS } from './env-vars.js';

const doc = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8');

describe('agent documentation', () => {
  it.each(['../README.md', '../../../docs/agent.md'])(
    '%s holds the configuration table of every variable the agent validates',
    (path) => {
      expect(missingEnvTableRows(doc(path), ENV_VARS)).toEqual([]);
    },
  );
});
