#!/usr/bin/env node
// The viewer's wiring: configuration → MQTT client → viewer core → terminal. Logic lives in the
// modules it imports (and in @ot-mqtt/tag-model and @ot-mqtt/mqtt-client).
import '@ot-mqtt/app-kit/startup-heap';
import { randomBytes } from 'node:crypto';
import { exitOnConfigErrors, releaseStartupHeapLimitLater } from '@ot-mqtt/app-kit';
import { escapeControl } from '@ot-mqtt/scan-monitor';
import { createPalette } from './ansi.js';
import { helpText, invalidValueMessage, mqttFilterProblem, parseConfig } from './config.js';
import { createViewer } from './create-viewer.js';
import { createLineWriter } from './line-writer.js';

const STALE_CHECK_MS = 250;
const EXIT_FLUSH_MS = 2000;

async function main(): Promise<void> {
  const parsed = parseConfig(process.env, process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stdout.write(helpText() + '\n');
    return;
  }
  if (parsed.kind === 'error') {
    exitOnConfigErrors('viewer', parsed.errors);
    return;
  }
  const config = parsed.config;
  // Valid settings with a catch (MQTT_URL overriding the host, a topic a NATS cluster refuses).
  for (const warning of parsed.warnings) process.stderr.write(`viewer: warning: ${warning}\n`);

  // Loaded only now: --help and configuration errors answer at once, without loading MQTT.js.
  const { assertValidFilter, createMqttClient, MqttClientError } =
    await import('@ot-mqtt/mqtt-client');
  const filterProblem = mqttFilterProblem(assertValidFilter, config.topic);
  if (filterProblem !== undefined) {
    exitOnConfigErrors('viewer', [
      invalidValueMessage('VIEWER_TOPIC', config.topic, filterProblem),
    ]);
    return;
  }
  releaseStartupHeapLimitLater();
  // Both writers drop display lines rather than buffer without bound when their reader stalls;
  // the viewer (created below) reports how many once the reader catches up.
  let reportDropped = (_lines: number, _stream: 'stdout' | 'stderr'): void => undefined;
  const stdout = createLineWriter(process.stdout, {
    onCaughtUp: (lines) => reportDropped(lines, 'stdout'),
  });
  const stderr = createLineWriter(process.stderr, {
    onCaughtUp: (lines) => reportDropped(lines, 'stderr'),
  });
  // `viewer | head` closes the pipe: that is the reader saying "enough", not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }

  const client = createMqttClient({
    ...config.connection,
    clientId: config.clientId ?? `ot-viewer-${randomBytes(4).toString('hex')}`,
    clean: config.clean,
    protocolVersion: config.protocolVersion,
  });

  // Metrics (README "Monitoring"): prom-client is loaded only when METRICS_PORT is set.
  const metrics = process.env['METRICS_PORT']?.trim()
    ? (await import('./serve-metrics.js')).loadViewerMetrics(process.env)
    : undefined;
  const viewer = createViewer({
    ...(metrics === undefined ? {} : { metrics: metrics.ingest }),
    mode: config.mode,
    palette: createPalette(!config.noColor && (config.forceColor || process.stdout.isTTY === true)),
    root: config.topicRoot,
    filter: config.topic,
    url: client.url,
    maxPayloadBytes: config.maxPayloadBytes,
    maxMachines: config.maxMachines,
    forgetAfterMs: config.forgetAfterMs,
    futureToleranceMs: config.futureToleranceMs,
    logLevel: config.logLevel,
    requestRebirth: (m) =>
      void client.publish(m.topic, m.payload, { qos: 0 }).catch(() => undefined),
    output: {
      message: (text) => stdout.write(text),
      // NDJSON keeps stdout for messages only, so scripts can read it; the report goes to stderr.
      log: (text) => (config.mode === 'ndjson' ? stderr : stdout).write(text),
    },
  });

  reportDropped = (lines, stream) => viewer.reportDropped(lines, stream, Date.now());

  let stopping = false;
  const timers: NodeJS.Timeout[] = [];
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const timer of timers) clearInterval(timer);
    await client.close({ timeoutMs: EXIT_FLUSH_MS }).catch(() => undefined);
    await Promise.race([
      Promise.all([stdout.flush(), stderr.flush()]),
      new Promise((resolve) => setTimeout(resolve, EXIT_FLUSH_MS).unref()),
    ]);
    process.exit(code);
  };

  client.events$.subscribe((event) => viewer.handleClientEvent(event, Date.now()));
  client.state$.subscribe((state) => {
    viewer.handleState(state, Date.now());
    if (state.status === 'closed' && state.reason !== 'user') void stop(1);
  });
  client.observe(config.topic, { qos: config.qos }).subscribe({
    next: (message) => {
      try {
        viewer.handleMessage(message, Date.now());
      } catch (error) {
        // Never expected (decoding never throws), but one odd message must not end the viewer.
        stderr.write(
          `viewer: could not show a message on ${escapeControl(message.topic)}: ${escapeControl(error instanceof Error ? error.message : String(error))}`,
        );
      }
    },
    error: (error: unknown) => {
      viewer.handleSubscribeError(
        error instanceof MqttClientError
          ? error
          : new MqttClientError('SUBSCRIBE_REJECTED', String(error)),
        Date.now(),
      );
      void stop(1);
    },
  });

  if (metrics !== undefined)
    await metrics.serve(client).then(
      (server) => stderr.write(`viewer: metrics on ${server.url}`),
      (error: unknown) => {
        stderr.write(`viewer: metrics not served: ${(error as Error).message}`);
        void stop(1);
      },
    );
  timers.push(setInterval(() => viewer.checkStale(Date.now()), STALE_CHECK_MS));
  if (config.statsIntervalMs > 0)
    timers.push(setInterval(() => viewer.reportStats(Date.now()), config.statsIntervalMs));

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const [writer, name] of [
        [stdout, 'stdout'],
        [stderr, 'stderr'],
      ] as const) {
        const dropped = writer.takeUnreported();
        if (dropped > 0) reportDropped(dropped, name);
      }
      viewer.reportStats(Date.now());
      void stop(0);
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`viewer: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
