import { useSignal } from '@preact/signals';
import { useDashboard } from './app-context.js';

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
      <label>
        User name{' '}
        <input
          name="username"
          autoComplete="username"
          required
          value={username.value}
          onInput={(e) => (username.value = (e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        Password{' '}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password.value}
          onInput={(e) => (password.value = (e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        Gateway operator token (optional, to acknowledge alarms){' '}
        <input
          name="token"
          type="password"
          autoComplete="off"
          value={token.value}
          onInput={(e) => (token.value = (e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit">Connect</button>
    </form>
  );
}
