import { useSignal } from '@preact/signals';
import { useDashboard } from './app-context.js';
import { TextField } from './form-fields.js';

/**
 * Broker login for the production profile: the `dashboard` account reads, an operator account may
 * command. The password lives in memory for this page only; nothing is stored or built in.
 */
export function LoginForm(props: { failed: boolean }) {
  const { connect, gateway, config } = useDashboard();
  const username = useSignal('');
  const password = useSignal('');
  const token = useSignal('');
  return (
    <form
      class="login"
      aria-labelledby="login-title"
      onSubmit={(event) => {
        event.preventDefault();
        gateway.token.value = token.value === '' ? undefined : token.value;
        connect({ username: username.value, password: password.value });
        password.value = '';
      }}
    >
      <h2 id="login-title">Log in to the broker</h2>
      <p class="muted">{config.mqttUrl}</p>
      {props.failed ? (
        <p class="notice" role="alert">
          <span aria-hidden="true">▲</span> The broker refused this user name or password.
        </p>
      ) : null}
      <TextField
        label="User name"
        bind={username}
        name="username"
        autoComplete="username"
        required
      />
      <TextField
        label="Password"
        bind={password}
        name="password"
        type="password"
        autoComplete="current-password"
      />
      <TextField
        label="Gateway operator token (optional, to acknowledge alarms)"
        bind={token}
        name="token"
        type="password"
        autoComplete="off"
      />
      <button type="submit">Connect</button>
    </form>
  );
}
