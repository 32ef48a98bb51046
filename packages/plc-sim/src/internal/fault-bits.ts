import { FAULTS } from '../fault.js';
import type { Fault } from '../fault.js';

// Injected faults as bits: cheap to test in the scan, and a filler stays a flat bag of numbers.
/** Each fault's bit in a filler's fault word (bit i for `FAULTS[i]`). */
export const FAULT_BIT: Readonly<Record<Fault, number>> = Object.freeze(
  Object.fromEntries(FAULTS.map((fault, i) => [fault, 1 << i])) as Record<Fault, number>,
);

/** The bit of `fault`; a RangeError for a name that is not a fault (input from outside). */
export function faultBit(fault: Fault): number {
  const bit = Object.hasOwn(FAULT_BIT, fault) ? FAULT_BIT[fault] : undefined;
  if (bit === undefined) {
    throw new RangeError(`unknown fault '${String(fault)}'; one of ${FAULTS.join(', ')}`);
  }
  return bit;
}
