// CPU accounting for the benchmarks, from Linux's /proc: a process's CPU seconds, a process tree's (so
// that an uploader is charged for every process it runs on), and how busy the whole machine was. The
// parsers are pure and tested in cpu.test.mjs; the readers around them take snapshots before and after.
import { readdir, readFile } from 'node:fs/promises';

/** USER_HZ: /proc reports CPU time in clock ticks of 1/100 s on Linux (sysconf(_SC_CLK_TCK)). */
const TICKS_PER_SECOND = 100;

/**
 * The fields of one /proc/<pid>/stat line that the benchmarks use. The command name (field 2) is in
 * parentheses and may itself hold spaces and ")", so the fields are counted from the last ")".
 * Times are seconds: `utime`/`stime` the process's own (all its threads), `cutime`/`cstime` those of its
 * children that have exited and been waited for.
 */
export function parseProcStat(line) {
  const close = line.lastIndexOf(')');
  if (close < 0) throw new Error(`not a /proc/<pid>/stat line: ${line.slice(0, 80)}`);
  const fields = line.slice(close + 2).trim().split(' '); // fields[0] is field 3, the state
  const ticks = (field) => Number(fields[field - 3]) / TICKS_PER_SECOND;
  return {
    comm: line.slice(line.indexOf('(') + 1, close),
    ppid: Number(fields[1]),
    utime: ticks(14),
    stime: ticks(15),
    cutime: ticks(16),
    cstime: ticks(17),
  };
}

/** A process's own CPU seconds plus those of its children that have ended and been waited for. */
export const withReapedChildren = (stat) => stat.utime + stat.stime + stat.cutime + stat.cstime;

/** The machine's CPU seconds from /proc/stat's first ("cpu") line: { busy, total } over all cores. */
export function parseMachineStat(text) {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('no "cpu " line in /proc/stat');
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy / TICKS_PER_SECOND, total: (busy + idle + iowait) / TICKS_PER_SECOND };
}

/**
 * CPU seconds a set of processes used between two snapshots (Map pid -> seconds, each with its reaped
 * children): everything after less everything before. A process that started in between counts from
 * zero; one that ended in between was reaped by its parent, whose children's time then holds all of it,
 * so its time before is taken off once (as long as its parent is in the set).
 */
export function cpuBetween(before, after) {
  const sum = (snapshot) => [...snapshot.values()].reduce((a, b) => a + b, 0);
  return sum(after) - sum(before);
}

/** CPU seconds (user + system, all threads) a process has used so far. */
export async function cpuSeconds(pid) {
  const stat = parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  return stat.utime + stat.stime;
}

/** Every process's stat line, parsed, by pid (processes that end while being read are left out). */
export async function allProcesses() {
  const out = new Map();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const line = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    if (line) out.set(Number(name), parseProcStat(line));
  }
  return out;
}

/** The pids in `processes` (from allProcesses) that descend from `root`, `root` included. */
export function descendants(processes, root) {
  const out = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, { ppid }] of processes) {
      if (!out.has(pid) && out.has(ppid)) {
        out.add(pid);
        grew = true;
      }
    }
  }
  return [...out].filter((pid) => processes.has(pid));
}

/** Seconds each process of the tree under `root` has used, with its reaped children (for cpuBetween). */
export async function treeSnapshot(root) {
  const processes = await allProcesses();
  return new Map(descendants(processes, root).map((pid) => [pid, withReapedChildren(processes.get(pid))]));
}

/** The machine's CPU seconds so far (for the share of all cores busy over an interval). */
export async function machineSnapshot() {
  return parseMachineStat(await readFile('/proc/stat', 'utf8'));
}

/**
 * Snapshot of this process's exited children (pid -> seconds): what the children it has waited for used,
 * which is how a child that runs and ends between two snapshots (`aws s3 cp`) is measured.
 */
export async function reapedChildrenSnapshot() {
  const stat = parseProcStat(await readFile('/proc/self/stat', 'utf8'));
  return new Map([[process.pid, stat.cutime + stat.cstime]]);
}

/**
 * Measures one upload: `start()` just before its clock starts, `stop()` just after it ends. `client` takes a
 * snapshot of the uploader's processes (for cpuBetween), `server` returns the S3 server's CPU seconds so
 * far. Resolves to { clientSeconds, serverSeconds, machineBusy } (machineBusy: the share of all cores busy,
 * whoever used them).
 */
export function cpuMeter({ client, server }) {
  let before;
  return {
    start: async () => {
      before = { client: await client(), server: await server(), machine: await machineSnapshot() };
    },
    stop: async () => {
      if (!before) throw new Error('cpuMeter.stop() before start()');
      const machine = await machineSnapshot();
      const result = {
        clientSeconds: cpuBetween(before.client, await client()),
        serverSeconds: (await server()) - before.server,
        machineBusy: (machine.busy - before.machine.busy) / (machine.total - before.machine.total),
      };
      before = undefined;
      return result;
    },
  };
}

/**
 * CPU seconds so far of each thread of the given processes, keyed `pid/tid` with the thread's name (comm,
 * as Chromium names its threads: CrRendererMain, DedicatedWorker, ThreadPoolForeg, Chrome_ChildIOT, ...).
 */
export async function threadSnapshot(pids) {
  const out = new Map();
  for (const pid of pids) {
    const tids = await readdir(`/proc/${pid}/task`).catch(() => []);
    for (const tid of tids) {
      const line = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
      if (!line) continue;
      const stat = parseProcStat(line);
      out.set(`${pid}/${tid}`, { pid, name: stat.comm, seconds: stat.utime + stat.stime });
    }
  }
  return out;
}

/**
 * The CPU seconds each thread used between two threadSnapshots, added up by (process, thread name) so
 * that a pool's threads make one row: [{ pid, name, threads, seconds }], the busiest first.
 */
export function threadsBetween(before, after) {
  const rows = new Map();
  for (const [key, { pid, name, seconds }] of after) {
    const row = rows.get(`${pid}/${name}`) ?? { pid, name, threads: 0, seconds: 0 };
    row.threads++;
    row.seconds += seconds - (before.get(key)?.seconds ?? 0);
    rows.set(`${pid}/${name}`, row);
  }
  return [...rows.values()].sort((a, b) => b.seconds - a.seconds);
}
