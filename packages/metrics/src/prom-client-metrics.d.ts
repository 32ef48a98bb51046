// prom-client's default metrics one by one (prom-client ships no declarations for them): each
// module registers its metrics in `registry`. metrics-registry.ts imports all of them but the GC
// histogram; its spec checks the set, so a prom-client release that moves them fails there.
declare module 'prom-client/lib/metrics/*.js' {
  import type { Registry } from 'prom-client';

  const register: (
    registry: Registry,
    config: { readonly eventLoopMonitoringPrecision?: number },
  ) => void;
  export default register;
}
