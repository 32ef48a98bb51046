// js-yaml 4 ships no types; the tests only need `load`.
declare module 'js-yaml' {
  /** Parses one YAML document. */
  export function load(text: string): unknown;
}
