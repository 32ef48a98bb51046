import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { findMosquitto } from '@ot-mqtt/broker';

/** What the figures were measured on; written into every report. */
export interface MachineDescription {
  readonly cpuModel: string;
  readonly cores: number;
  readonly ramGb: number;
  readonly kernel: string;
  readonly node: string;
  readonly mosquitto: string;
  readonly mqttJs: string;
  /** 1/5/15-minute load averages when the bench started: other work competing for the cores. */
  readonly loadAverage: readonly number[];
}

function mosquittoVersion(): string {
  const bin = findMosquitto();
  if (!bin) return 'not installed';
  try {
    // `mosquitto -h` prints its usage (with the version on the first line) and exits non-zero.
    return execFileSync(bin, ['-h'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .split('\n')[0]!
      .trim();
  } catch (error) {
    const out = (error as { stdout?: string }).stdout ?? '';
    return out.split('\n')[0]?.trim() || 'unknown';
  }
}

function mqttJsVersion(): string {
  try {
    const url = new URL(import.meta.resolve('mqtt/package.json'));
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Describes this machine: CPU, cores, RAM, kernel, Node, Mosquitto and mqtt.js versions, load. */
export function describeMachine(): MachineDescription {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    ramGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: release(),
    node: process.version,
    mosquitto: mosquittoVersion(),
    mqttJs: mqttJsVersion(),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
