// The benchmarks' CPU accounting: parsing /proc and adding up a process tree. Run: node --test bench/lib/
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuBetween, descendants, parseMachineStat, parseProcStat, threadsBetween, treeSnapshot, withReapedChildren } from './cpu.mjs';

// Fields 3..17 of a stat line: state, ppid, pgrp, session, tty, tpgid, flags, minflt, cminflt, majflt,
// cmajflt, utime, stime, cutime, cstime (ticks), then the rest.
const statLine = (pid, comm, { ppid = 1, utime = 0, stime = 0, cutime = 0, cstime = 0 } = {}) =>
  `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 100 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 12 0 5000 1000000 300`;

test('parses the times of a stat line as seconds, counting fields from the last parenthesis', () => {
  const stat = parseProcStat(statLine(4242, 'Chrome_ChildIOT) x', { ppid: 17, utime: 250, stime: 75, cutime: 12, cstime: 3 }));
  assert.deepEqual(stat, { comm: 'Chrome_ChildIOT) x', ppid: 17, utime: 2.5, stime: 0.75, cutime: 0.12, cstime: 0.03 });
  assert.equal(withReapedChildren(stat), 3.4);
});

test('refuses a line that is not a stat line, naming what it got', () => {
  assert.throws(() => parseProcStat('garbage'), /not a \/proc\/<pid>\/stat line: garbage/);
});

test('counts iowait as idle and irq, softirq and steal as busy in /proc/stat', () => {
  const text = 'cpu  1000 50 300 8000 200 10 20 5 0 0\ncpu0 500 25 150 4000 100 5 10 2 0 0\nintr 1\n';
  const { busy, total } = parseMachineStat(text);
  assert.equal(busy, 13.85); // (1000 + 50 + 300 + 10 + 20 + 5) / 100
  assert.equal(total, 95.85); // busy + (8000 + 200) / 100
});

test('finds every descendant of a root, however deep, and nothing else', () => {
  const processes = new Map([
    [10, parseProcStat(statLine(10, 'chromium', { ppid: 1 }))],
    [11, parseProcStat(statLine(11, 'chromium', { ppid: 10 }))], // zygote
    [12, parseProcStat(statLine(12, 'chromium', { ppid: 11 }))], // renderer under the zygote
    [20, parseProcStat(statLine(20, 'java', { ppid: 1 }))],
  ]);
  assert.deepEqual(descendants(processes, 10).sort(), [10, 11, 12]);
  assert.deepEqual(descendants(processes, 99), []);
});

test('charges a process that started in between from zero, and one that ended to its parent once', () => {
  // Before: the browser (10) and a utility process (11). After: 11 ended and was reaped by 10, whose
  // children's time now holds 11's 3 s; a new renderer (12) used 2 s.
  const before = new Map([[10, 5], [11, 3]]);
  const after = new Map([[10, 5 + 1 + 3], [12, 2]]);
  assert.equal(cpuBetween(before, after), 1 + 2);
});

test('reads a real process tree: this process and a child that burns CPU', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 300; while (Date.now() < end);']);
  const during = await treeSnapshot(process.pid);
  assert.ok(during.has(process.pid));
  assert.ok(during.has(child.pid), `the child ${child.pid} is in the tree`);
  await new Promise((resolve) => child.once('exit', resolve));
  const after = await treeSnapshot(process.pid);
  assert.ok(!after.has(child.pid));
  assert.ok(cpuBetween(new Map(), after) >= 0.1, 'the reaped child\'s time shows up in its parent');
});

test('adds up a pool\'s threads into one row per process and thread name, the busiest first', () => {
  const before = new Map([
    ['7/7', { pid: 7, name: 'CrRendererMain', seconds: 1 }],
    ['7/8', { pid: 7, name: 'ThreadPoolForeg', seconds: 0.5 }],
  ]);
  const after = new Map([
    ['7/7', { pid: 7, name: 'CrRendererMain', seconds: 1.25 }],
    ['7/8', { pid: 7, name: 'ThreadPoolForeg', seconds: 0.75 }],
    ['7/9', { pid: 7, name: 'ThreadPoolForeg', seconds: 0.25 }], // started in between
    ['7/10', { pid: 7, name: 'DedicatedWorker', seconds: 2 }],
  ]);
  assert.deepEqual(threadsBetween(before, after), [
    { pid: 7, name: 'DedicatedWorker', threads: 1, seconds: 2 },
    { pid: 7, name: 'ThreadPoolForeg', threads: 2, seconds: 0.5 },
    { pid: 7, name: 'CrRendererMain', threads: 1, seconds: 0.25 },
  ]);
});
