import { computed, signal } from '@preact/signals';
import { render } from 'preact';
import { loadDashboardConfig } from './config/dashboard-config.js';
import { GatewayClient } from './gateway/gateway-client.js';
import {
  connectBroker,
  type BrokerConnection,
  type BrokerLogin,
} from './live/broker-connection.js';
import { FleetStore } from './live/fleet-store.js';
import { FrameScheduler } from './live/frame-scheduler.js';
import { AlarmModel } from './ui/alarms/alarm-model.js';
import { App } from './ui/app.js';
import { DashboardContext, type Dashboard } from './ui/app-context.js';
import { loadMachineDetail } from './ui/detail/lazy-machine-detail.js';
import { CommandModel } from './ui/commands/command-model.js';
import './styles.css';

// Wiring only: the screens live in ui/, the data in live/ and gateway/.
const config = await loadDashboardConfig();
const renderMode =
  new URLSearchParams(window.location.search).get('render') === 'naive' ? 'naive' : 'virtual';
const store: FleetStore = new FleetStore({
  topicRoot: config.topicRoot,
  // The naive baseline renders per message; the real page once per frame at most.
  // (The arrow runs after `scheduler` is initialised: nothing arrives before connect().)
  onChange: renderMode === 'naive' ? () => store.flush() : () => scheduler.request(),
});
// Profiled with 1,000 fillers: the page's own JS is a few % of a core, Chromium's style, layout
// and paint of each update several times that — so rows change at most five times a second (a
// scan comes every 2 s; an operator cannot read faster), not at every frame.
const scheduler = new FrameScheduler(() => store.flush(), { minIntervalMs: 200 });
const gateway = new GatewayClient(config.gatewayUrl);
const broker = signal<BrokerConnection | undefined>(undefined);
const user = signal<string | undefined>(undefined);
const now = signal(Date.now());
setInterval(() => (now.value = Date.now()), 1_000);
const brokerUp = computed(() => broker.value?.status.value.status === 'connected');
const alarms = new AlarmModel(gateway, store, user);
const commands = new CommandModel(store, () => broker.value, user);

function connect(login?: BrokerLogin): void {
  const previous = broker.value;
  broker.value = undefined;
  void previous?.close();
  user.value = login?.username;
  broker.value = connectBroker(
    config.mqttUrl,
    store,
    { onAlarmEvent: (m) => alarms.onEvent(m), onCommandReply: (m) => commands.onReply(m) },
    // The naive baseline: mqtt.js on the main thread, a task per message.
    { ...(login ? { login } : {}), runIn: renderMode === 'naive' ? 'page' : 'worker' },
  );
}

const dashboard: Dashboard = {
  config,
  store,
  gateway,
  broker,
  now,
  brokerUp,
  alarms,
  commands,
  renderMode,
  user,
  connect,
};
gateway.watch();
alarms.start();
// Production profile (wss://, or ?login=1): nothing connects before the user typed a broker account.
if (!config.login) connect();
// Read-only handle for the end-to-end tests and the benchmark (counts only, no credentials).
(window as unknown as { otMqttDashboard: object }).otMqttDashboard = {
  received: () => store.received,
  machines: () => store.ids.value.length,
  renderMode,
};

const root = document.getElementById('app')!;
// Preact 10 renders beside, not over, what the container holds: the "Loading…" line would stay.
root.replaceChildren();
render(
  <DashboardContext.Provider value={dashboard}>
    <App />
  </DashboardContext.Provider>,
  root,
);
// The first screen is up: fetch the detail chunk while the operator reads it (a lazy chunk, so
// the first load stays small; prefetched, so opening a machine does not wait for it).
const prefetch = () => void loadMachineDetail();
if ('requestIdleCallback' in window) window.requestIdleCallback(prefetch, { timeout: 5_000 });
else setTimeout(prefetch, 2_000);
