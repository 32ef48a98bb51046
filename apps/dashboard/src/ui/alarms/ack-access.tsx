import { useSignal } from '@preact/signals';
import { useDashboard } from '../app-context.js';
import { TextField } from '../form-fields.js';

/**
 * Where an operator enables acknowledging: the gateway's operator token and the name the journal
 * records (the broker account's, when logged in). The token stays in this page's memory only.
 */
export function AckAccess() {
  const { alarms, gateway, user } = useDashboard();
  const token = useSignal('');
  const name = useSignal(alarms.operatorName.value);
  const permission = alarms.permission.value;
  const needsToken = gateway.token.value === undefined || alarms.tokenRefused.value;
  if (permission.allowed) {
    return (
      <p class="muted" data-testid="ack-access" data-allowed="true">
        Acknowledging as {user.value ?? alarms.operatorName.value}.{' '}
        <button type="button" onClick={() => alarms.useToken(undefined)}>
          Forget the token
        </button>
      </p>
    );
  }
  return (
    <form
      class="journal-filters"
      data-testid="ack-access"
      data-allowed="false"
      aria-label="Enable acknowledging"
      onSubmit={(event) => {
        event.preventDefault();
        if (user.value === undefined) alarms.operatorName.value = name.value.trim().slice(0, 64);
        if (token.value !== '') alarms.useToken(token.value);
        token.value = '';
      }}
    >
      <span class="muted">{permission.reason}</span>
      {user.value === undefined ? (
        <TextField
          label="Name"
          bind={name}
          name="operator"
          autoComplete="username"
          maxLength={64}
          required
        />
      ) : null}
      {needsToken ? (
        <TextField
          label="Operator token"
          bind={token}
          name="operator-token"
          type="password"
          autoComplete="off"
          required
        />
      ) : null}
      <button type="submit">Enable acknowledge</button>
    </form>
  );
}
