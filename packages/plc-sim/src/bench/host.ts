import os from 'node:os';

/** The CPU and Node the figures were measured on, first in each plc-sim bench report's `machine`. */
export function describeHost(): { cpuModel: string; cores: number; node: string } {
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
  };
}
