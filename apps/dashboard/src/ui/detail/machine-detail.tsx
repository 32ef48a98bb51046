import { useDashboard } from '../app-context.js';

export function MachineDetail(props: { machineId: string }) {
  const { store } = useDashboard();
  const view = store.machine(props.machineId);
  return (
    <section>
      <h1>{props.machineId}</h1>
      {view ? null : (
        <p class="notice">Unknown machine: nothing has been received from {props.machineId}.</p>
      )}
    </section>
  );
}
