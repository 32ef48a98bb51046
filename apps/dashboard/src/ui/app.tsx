import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { useDashboard } from './app-context.js';
import { AlarmsPage } from './alarms/alarms-page.js';
import { LazyMachineDetail } from './detail/lazy-machine-detail.js';
import { Header } from './header.js';
import { LoginForm } from './login-form.js';
import { FleetOverview } from './overview/fleet-overview.js';

/** The route from the location hash: `#/`, `#/machine/<id>`, `#/alarms`. */
export function parseRoute(
  hash: string,
): { name: 'overview' } | { name: 'machine'; machineId: string } | { name: 'alarms' } {
  const path = hash.replace(/^#/u, '');
  const machine = /^\/machine\/([^/]+)$/u.exec(path);
  if (machine) {
    try {
      return { name: 'machine', machineId: decodeURIComponent(machine[1]!) };
    } catch {
      return { name: 'overview' };
    }
  }
  if (path === '/alarms') return { name: 'alarms' };
  return { name: 'overview' };
}

export function App() {
  const dashboard = useDashboard();
  const hash = useSignal(window.location.hash);
  useEffect(() => {
    const update = () => (hash.value = window.location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, [hash]);
  const route = parseRoute(hash.value);
  const status = dashboard.broker.value?.status.value;
  const needLogin = dashboard.broker.value === undefined || status?.loginNeeded === true;
  return (
    <>
      <Header route={route.name} />
      <main id="main">
        {needLogin ? <LoginForm failed={status?.loginNeeded === true} /> : null}
        {route.name === 'overview' ? (
          <FleetOverview />
        ) : route.name === 'alarms' ? (
          <AlarmsPage />
        ) : (
          <LazyMachineDetail machineId={route.machineId} />
        )}
      </main>
    </>
  );
}
