import { useSignal } from '@preact/signals';
import { useDashboard } from '../app-context.js';
import { SelectField } from '../form-fields.js';
import { COMMANDS, FAULT_NAMES, type CommandName } from '@ot-mqtt/tag-model';

/**
 * The machine's commands with the reply each got. Shown only when this broker account may
 * command: anonymous development sessions and accounts not listed read-only, until the broker
 * refuses one (then hidden for the session, with the reason).
 */
export function CommandPanel(props: { machineId: string }) {
  const { commands } = useDashboard();
  const fault = useSignal<string>(FAULT_NAMES[0]);
  const permission = commands.permission.value;
  if (!permission.allowed) {
    return (
      <section class="panel" aria-labelledby="commands-title">
        <h2 id="commands-title">Commands</h2>
        <p class="muted" data-testid="commands-hidden">
          {permission.reason}
        </p>
      </section>
    );
  }
  const entries = commands.entries.value.filter((e) => e.machineId === props.machineId).slice(0, 8);
  const send = (command: CommandName) =>
    void commands.send(
      props.machineId,
      command,
      command === 'inject-fault' || (command === 'clear-fault' && fault.value !== 'all')
        ? fault.value
        : undefined,
    );
  return (
    <section class="panel" aria-labelledby="commands-title" data-testid="commands">
      <h2 id="commands-title">Commands</h2>
      <div class="command-buttons">
        {COMMANDS.filter((c) => c !== 'inject-fault' && c !== 'clear-fault').map((command) => (
          <button key={command} type="button" onClick={() => send(command)} data-command={command}>
            {command}
          </button>
        ))}
      </div>
      <div class="command-buttons">
        <SelectField
          label="Fault"
          value={fault.value}
          onChoose={(value) => (fault.value = value)}
          options={FAULT_NAMES.map((f) => [f, f] as const)}
          data-testid="fault-select"
        />
        <button type="button" onClick={() => send('inject-fault')} data-command="inject-fault">
          inject fault
        </button>
        <button type="button" onClick={() => send('clear-fault')} data-command="clear-fault">
          clear fault
        </button>
      </div>
      <ol class="command-log" data-testid="command-log" aria-live="polite">
        {entries.map((e) => (
          <li key={e.requestId} data-status={e.status} data-command={e.command}>
            <span class="muted">{new Date(e.sentAt).toLocaleTimeString()}</span> {e.command}
            {e.fault ? ` ${e.fault}` : ''} →{' '}
            <span
              class={
                e.status === 'refused' || e.status === 'failed' || e.status === 'no-reply'
                  ? 'abnormal-text'
                  : ''
              }
            >
              {e.status === 'refused' || e.status === 'failed' ? (
                <span aria-hidden="true">▲ </span>
              ) : null}
              {e.status}
              {e.reason ? `: ${e.reason}` : ''}
            </span>
            {e.packmlState ? <span class="muted"> · now {e.packmlState}</span> : null}
            {e.duplicate ? <span class="muted"> · repeated request, not applied again</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
