import { describe, expect, it } from 'vitest';
import { createMachineLabels, OTHER_MACHINES } from './machine-labels.js';

describe('machine labels', () => {
  it('gives the first `limit` machines their own label and the rest `_other`, for good', () => {
    const labels = createMachineLabels(2);
    expect(labels.of('a')).toBe('a');
    expect(labels.of('b')).toBe('b');
    expect(labels.of('c')).toBe(OTHER_MACHINES);
    expect(labels.of('a')).toBe('a');
    expect(labels.of('c')).toBe(OTHER_MACHINES);
    expect(labels.size).toBe(2);
    expect(labels.overflowed).toBe(1);
  });

  it('never lets a machine named `_other` take a label of its own', () => {
    expect(createMachineLabels(5).of(OTHER_MACHINES)).toBe(OTHER_MACHINES);
  });

  it('holds a bounded set however many machine ids arrive', () => {
    const labels = createMachineLabels(10);
    for (let i = 0; i < 50_000; i++) labels.of(`m-${i}`);
    expect(labels.size).toBe(10);
    expect(labels.overflowed).toBe(10_000);
  });
});
