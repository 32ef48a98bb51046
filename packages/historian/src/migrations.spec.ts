import { describe, expect, it } from 'vitest';
import { loadMigrations } from './migrations.js';

describe('loadMigrations', () => {
  it('gives TimescaleDB the PostgreSQL versions, with hypertables in place of partitions', async () => {
    const postgres = await loadMigrations('postgres');
    const timescale = await loadMigrations('timescaledb');
    expect(timescale.map((m) => m.version)).toEqual(postgres.map((m) => m.version));
    expect(timescale.slice(1)).toEqual(postgres.slice(1));

    const initial = timescale[0]!.sql;
    expect(initial.startsWith('CREATE EXTENSION IF NOT EXISTS timescaledb;')).toBe(true);
    expect(initial).not.toMatch(/PARTITION BY|USING brin/u);
    expect(initial.match(/CREATE TABLE IF NOT EXISTS/gu)).toHaveLength(4);
    expect(initial).toContain("SELECT create_hypertable('scan', 'ts'");
    expect(initial).toContain("SELECT create_hypertable('sample', 'ts'");
  });
});
