import { createHash, createPublicKey } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  setupSecure,
  startSecureMosquitto,
  type SecureMosquitto,
  type SecureSetup,
} from '@ot-mqtt/broker';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_MAIN,
  type App,
  DIST,
  expectValueToChange,
  killAll,
  launchChromium,
  liveValue,
  missingGateway,
  screenshot,
  startGateway,
  startNode,
  waitFor,
} from './stack.test-helper.js';

const skip = missingGateway();
if (skip) console.warn(`dashboard production-login e2e skipped: ${skip}`);

/** Every file of the built page, recursively (what a browser could ever download). */
function builtFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? builtFiles(path) : [path];
  });
}

/**
 * `--ignore-certificate-errors-spki-list` value for the broker's certificate: Chromium trusts
 * exactly this key (the test CA is in no trust store), nothing else.
 */
function spkiHash(certificatePem: string): string {
  const spki = createPublicKey(certificatePem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

// The production profile as an operator meets it: Mosquitto with TLS on 8883 and WSS on 9443 (here
// ephemeral ports), password accounts and the project's ACL, the test certificates the
// production-profile tests generate (setupSecure). The page logs in with the broker's accounts.
describe.skipIf(skip !== undefined)('production profile: broker login over WSS', () => {
  let secrets: SecureSetup;
  let passwords: Record<string, string>;
  let broker: SecureMosquitto;
  let agent: App;
  let gateway: App & { url: string };
  let browser: Browser;
  let pageUrl: string;
  const errors: string[] = [];

  beforeAll(async () => {
    secrets = await setupSecure({ dir: await mkdtemp(join(tmpdir(), 'dashboard-e2e-secrets-')) });
    passwords = {};
    for (const [user, files] of Object.entries(secrets.users))
      if (files.passwordFile) passwords[user] = (await readFile(files.passwordFile, 'utf8')).trim();
    broker = await startSecureMosquitto({ secretsDir: secrets.brokerDir });
    // The agent and the gateway each log in over TLS with an account of their own.
    const overTls = (user: string) => ({
      MQTT_BROKER_HOST: 'localhost',
      MQTT_BROKER_PORT: String(broker.ports[8883]),
      MQTT_TLS: 'true',
      MQTT_CA_FILE: secrets.caFile,
      MQTT_USERNAME: user,
      MQTT_PASSWORD_FILE: secrets.users[user]!.passwordFile!,
    });
    agent = startNode(AGENT_MAIN, {
      ...overTls('agent'),
      PUBLISH_INTERVAL: '0.5',
      LOG_LEVEL: 'warn',
    });
    // The gateway serves the page and tells it the broker's wss:// URL (DASHBOARD_MQTT_URL), as in
    // production; it reads the fleet as the `gateway` account.
    gateway = await startGateway(broker, {
      ...overTls('gateway'),
      DASHBOARD_MQTT_URL: `wss://localhost:${new URL(broker.wssUrl!).port}`,
    });
    pageUrl = gateway.url;
    const serverCert = await readFile(join(secrets.brokerDir, 'server.crt'), 'utf8');
    browser = await launchChromium([
      `--ignore-certificate-errors-spki-list=${spkiHash(serverCert)}`,
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
    await gateway?.stop();
    await broker?.stop();
    killAll();
  });

  async function openAndLogIn(
    user: string,
    password: string,
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${pageUrl}#/machine/filler-01`);
    // The served broker URL is wss://: the page asks for an account before anything connects.
    await page.locator('input[name="username"]').fill(user);
    await page.locator('input[name="password"]').fill(password);
    await page.getByRole('button', { name: 'Connect' }).click();
    return { context, page };
  }

  it('nothing secret is in the build: no password, token or key of the deployment', () => {
    const secretsText = Object.values(passwords);
    for (const file of builtFiles(DIST)) {
      const text = readFileSync(file, 'latin1');
      for (const secret of secretsText)
        expect(text.includes(secret), `a password found in ${file}`).toBe(false);
      expect(text, file).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/u);
    }
  });

  it('a wrong password is refused with a clear message and the login form stays', async () => {
    const { context, page } = await openAndLogIn('dashboard', 'not-the-password');
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 })
      .toContain('refused this user name or password');
    expect(await page.locator('input[name="username"]').count()).toBe(1);
    await context.close();
  });

  it('the dashboard account reads live values over WSS and is offered no commands', async () => {
    const { context, page } = await openAndLogIn('dashboard', passwords['dashboard']!);
    await expect
      .poll(() => page.getByTestId('broker-status').getAttribute('data-status'), {
        timeout: 20_000,
      })
      .toBe('connected');
    // The bottle counter moves, over WSS.
    await expectValueToChange(page, 'filler-01', 'BottlesFilled');
    await expect
      .poll(() => page.getByTestId('gateway-status').getAttribute('data-status'))
      .toBe('up');
    expect(await page.getByTestId('commands-hidden').textContent()).toContain('read-only');
    expect(await page.locator('button[data-command]').count()).toBe(0);
    // The password stays in this page's memory: nothing persisted where another page could read it.
    const stored = await page.evaluate(() => ({
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
      cookie: document.cookie,
    }));
    expect(Object.values(stored).join('')).not.toContain(passwords['dashboard']!);
    await screenshot(page, 'production-dashboard-account');
    await context.close();
  });

  it('the operator account commands the machine over WSS and sees the reply', async () => {
    const { context, page } = await openAndLogIn('operator', passwords['operator']!);
    await waitFor(
      async () => (await liveValue(page, 'filler-01', 'SystemRunning'))?.text === 'ON',
      'filler-01 running, seen by the operator',
    );
    const log = page.locator('[data-testid="command-log"] li').first();
    await page.locator('button[data-command="stop"]').click();
    await waitFor(
      async () => (await log.getAttribute('data-status')) === 'accepted',
      `the stop accepted (log: ${await log.textContent().catch(() => '')})`,
    );
    await waitFor(
      async () => (await liveValue(page, 'filler-01', 'SystemRunning'))?.text === 'OFF',
      'SystemRunning OFF after the operator stopped it',
    );
    await screenshot(page, 'production-operator-account');
    await context.close();
    expect(errors).toEqual([]);
  });
});
