import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicks: number | undefined;

// utime/stime in /proc/<pid>/stat are in clock ticks (USER_HZ), almost always 100 on Linux.
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU time (user + system) a process has used so far, in ms, or `undefined` once it is gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / ticksPerSecond();
  } catch {
    return undefined;
  }
}

/** Resident memory of a process now (`VmRSS`) and at its peak (`VmHWM`), in MB. */
export interface ProcessMemory {
  readonly rssMb: number;
  readonly hwmMb: number;
}

/** Reads `VmRSS`/`VmHWM` from `/proc/<pid>/status`, or `undefined` once the process is gone. */
export function processMemory(pid: number): ProcessMemory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** Measures the CPU share of a set of processes (and of this one) over a window. */
export interface CpuWindow {
  /** CPU used since the window opened as % of one core, per pid (and `self` for this process). */
  stop(): Record<string, number>;
}

/** Opens a CPU window over `pids` (labelled) plus this process (`self`, via `process.cpuUsage`). */
export function openCpuWindow(pids: Readonly<Record<string, number>>): CpuWindow {
  const t0 = performance.now();
  const self0 = process.cpuUsage();
  const start = Object.fromEntries(
    Object.entries(pids).map(([label, pid]) => [label, processCpuMs(pid)]),
  );
  return {
    stop() {
      const elapsed = performance.now() - t0;
      const self = process.cpuUsage(self0);
      const out: Record<string, number> = {
        self: ((self.user + self.system) / 1000 / elapsed) * 100,
      };
      for (const [label, pid] of Object.entries(pids)) {
        const before = start[label];
        const after = processCpuMs(pid);
        out[label] =
          before === undefined || after === undefined
            ? Number.NaN
            : ((after - before) / elapsed) * 100;
      }
      return out;
    },
  };
}
