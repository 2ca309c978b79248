// Process accounting from /proc (Linux only): which child processes exist and
// how much CPU a process (all its threads) has used.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

let clockTicks: number | undefined;

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`, almost always 100). */
export function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    let ticks = 100;
    try {
      const out = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
      if (Number.isInteger(out) && out > 0) ticks = out;
    } catch {
      // getconf missing: Linux has used USER_HZ = 100 everywhere for decades.
    }
    clockTicks = ticks;
  }
  return clockTicks;
}

interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime, in clock ticks, of all threads of the process. */
  cpuTicks: number;
  /** Start time after boot, in clock ticks: with the pid, identifies the process. */
  startTicks: number;
}

function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  const fields = text.slice(close + 2).split(" ");
  // fields[0] is field 3 (state); field n of proc(5) is fields[n - 3].
  const num = (n: number) => Number(fields[n - 3]);
  return {
    pid,
    comm: text.slice(open + 1, close),
    ppid: num(4),
    cpuTicks: num(14) + num(15),
    startTicks: num(22),
  };
}

/** Pids of the live children of `parent` whose command name or line contains `name`. */
export function childPids(parent: number, name: string): Set<number> {
  const found = new Set<number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat || stat.ppid !== parent) continue;
    let cmdline = "";
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
    } catch {
      continue;
    }
    if (stat.comm.includes(name) || cmdline.includes(name)) found.add(stat.pid);
  }
  return found;
}

/** A snapshot of a process's CPU time; compare two with cpuMsBetween. */
export interface CpuSample {
  pid: number;
  startTicks: number;
  cpuTicks: number;
  at: number;
}

export function sampleCpu(pid: number): CpuSample {
  const stat = readStat(pid);
  if (!stat) throw new Error(`process ${pid} is gone`);
  return { pid, startTicks: stat.startTicks, cpuTicks: stat.cpuTicks, at: performance.now() };
}

/** CPU milliseconds the process used between two samples (user + system, all threads). */
export function cpuMsBetween(before: CpuSample, after: CpuSample): number {
  if (before.pid !== after.pid || before.startTicks !== after.startTicks) {
    throw new Error(`process ${before.pid} was restarted during the measurement`);
  }
  return ((after.cpuTicks - before.cpuTicks) * 1000) / clockTicksPerSecond();
}

/**
 * CPU nanoseconds one thread has run (user + system), from
 * /proc/<pid>/task/<tid>/schedstat: precise to the nanosecond, where
 * /proc/<pid>/stat counts 10 ms ticks. `tid` defaults to the process's main
 * thread, where workerd runs its isolates.
 */
export function threadCpuNs(pid: number, tid = pid): number {
  const text = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8");
  return Number(text.split(" ")[0]);
}
