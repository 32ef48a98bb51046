/** `T`'s properties, each either present with a value or absent (never present as `undefined`). */
export type DefinedOnly<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/**
 * The properties of `o` that hold a value. Zod types an optional field as `x?: T | undefined`;
 * spreading that over defaults under `exactOptionalPropertyTypes` would let an `undefined` overwrite
 * a default, so scenario files go through this before they are merged.
 */
export function definedOnly<T extends object>(o: T | undefined): DefinedOnly<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o ?? {})) if (v !== undefined) out[k] = v;
  return out as DefinedOnly<T>;
}
