import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ReadonlySignal, Signal } from '@preact/signals';
import type { DashboardConfig } from '../config/dashboard-config.js';
import type { GatewayClient } from '../gateway/gateway-client.js';
import type { BrokerConnection, BrokerLogin } from '../live/broker-connection.js';
import type { FleetStore } from '../live/fleet-store.js';
import type { AlarmModel } from './alarms/alarm-model.js';
import type { CommandModel } from './commands/command-model.js';

/** Everything the screens share; one per page. */
export interface Dashboard {
  readonly config: DashboardConfig;
  readonly store: FleetStore;
  readonly gateway: GatewayClient;
  readonly broker: Signal<BrokerConnection | undefined>;
  /** Page clock for ages and staleness, ticking once a second. */
  readonly now: ReadonlySignal<number>;
  /** Whether live values can be trusted at all (broker connected). */
  readonly brokerUp: ReadonlySignal<boolean>;
  readonly alarms: AlarmModel;
  readonly commands: CommandModel;
  /** `naive` re-renders every row on every message: the benchmark's baseline, never the default. */
  readonly renderMode: 'virtual' | 'naive';
  /** The broker user name in use, if the user logged in. */
  readonly user: Signal<string | undefined>;
  /** (Re)connects to the broker, with the credentials typed in the login form if any. */
  connect(login?: BrokerLogin): void;
}

export const DashboardContext = createContext<Dashboard | undefined>(undefined);

export function useDashboard(): Dashboard {
  const dashboard = useContext(DashboardContext);
  if (!dashboard) throw new Error('useDashboard outside <DashboardContext.Provider>');
  return dashboard;
}
