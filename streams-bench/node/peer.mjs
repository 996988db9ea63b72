// The Node adapter (@motiadev/adapter-redis-streams, through its public API:
// RedisStreamAdapterManager -> createStream) running the harness's workload, so that the Java
// backends are measured beside the implementation they port, on the same redis-server.
//
//   node peer.mjs <port> <stream> ['figure args' ...]
//
// Runs each figure given as an argument (one argument each, e.g. 'set1 20000'), or else each line read from stdin (the harness keeps one
// process per backend and sends figures by turns with the backend's runs, so that V8 stays warm
// like the JVM). Answers every figure with one line of JSON on stdout: its result, or
// {"error": "..."}. Nothing else is written to stdout; the adapter's own logs go to stderr.
//
// Figures ("ops" results are operations per second, "ns" results sorted nanoseconds):
//   warmup                  the harness's warm-up: 2 rounds of 5,000 sets and gets, then 20,000 of each with 64 in flight
//   set1 N | get1 N         N calls, one at a time
//   set64 N | get64 N       N calls, 64 in flight on the adapter's one connection
//   groups                  getGroup of 1,000 and 10,000 items, query of the 10,000
//   events                  10,000 sets, each item's channel subscribed on a second adapter
//   subscribe               time to subscribe 10,000 item channels on one adapter
//   store GROUP ID INDEX    one set of workload item INDEX (for the harness's test)
//   quit                    shuts the adapter down and exits

import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { RedisStreamAdapterManager } from '@motiadev/adapter-redis-streams';

const MIN_NODE_MAJOR = 20;
const major = Number(process.versions.node.split('.')[0]);
if (major < MIN_NODE_MAJOR) {
  process.stderr.write(`peer.mjs needs Node ${MIN_NODE_MAJOR} or later; this is ${process.version}\n`);
  process.exit(2);
}

const [portText, streamName, ...figureArgs] = process.argv.slice(2);
const port = Number(portText);
if (!Number.isInteger(port) || port < 1 || port > 65535 || !streamName) {
  process.stderr.write('usage: node peer.mjs <port> <stream> [figure ...]\n');
  process.exit(2);
}

// The harness's workload (StreamsBench.item, StreamsBench.id): the same ids and documents.
const WORKLOAD = 100_000;
const IN_FLIGHT = 64;
const GROUP = 'bench';
const EVENTS = 10_000;
const pad = (i) => String(i).padStart(6, '0');
const ids = Array.from({ length: WORKLOAD }, (_, i) => `item-${pad(i)}`);
const item = (i) => ({
  name: `Benchmark User Number ${pad(i)}`,
  email: `benchmark.user.${pad(i)}@streams.example.com`,
  status: i % 2 === 0 ? 'active' : 'inactive',
  createdAt: 1_700_000_000_000 + i * 1_000,
});
const items = Array.from({ length: WORKLOAD }, (_, i) => item(i));

const now = () => process.hrtime.bigint();
const since = (start) => Number(now() - start);

function open() {
  const manager = new RedisStreamAdapterManager({ socket: { host: '127.0.0.1', port } });
  return { manager, stream: manager.createStream(streamName) };
}

// The adapter connects in its constructor without handing out the promise; the first command
// waits in node-redis's queue until the connection is ready, so a warm-up call is enough.
const main = open();

async function oneAtATime(count, operation) {
  const start = now();
  for (let i = 0; i < count; i++) {
    await operation(i);
  }
  return count / (since(start) / 1e9);
}

/** `count` calls shared by `inFlight` chains of awaits: that many promises outstanding at a time. */
async function concurrently(inFlight, count, operation) {
  let next = 0;
  const chain = async () => {
    for (let i = next++; i < count; i = next++) {
      await operation(i);
    }
  };
  const start = now();
  await Promise.all(Array.from({ length: inFlight }, chain));
  return count / (since(start) / 1e9);
}

const set = (i) => main.stream.set(GROUP, ids[i], items[i]);
const get = async (i) => {
  if (!(await main.stream.get(GROUP, ids[i]))) {
    throw new Error(`get found no item ${ids[i]}`);
  }
};

async function latencies(warmUp, calls, operation) {
  for (let i = 0; i < warmUp; i++) {
    await operation();
  }
  const times = [];
  for (let i = 0; i < calls; i++) {
    const start = now();
    await operation();
    times.push(since(start));
  }
  return times.sort((a, b) => a - b);
}

async function groups() {
  await concurrently(8, 1_000, (i) => main.stream.set('g1k', ids[i], items[i]));
  await concurrently(8, 10_000, (i) => main.stream.set('g10k', ids[i], items[i]));
  const size = (groupId, expected) => async () => {
    const group = await main.stream.getGroup(groupId);
    if (group.length !== expected) {
      throw new Error(`expected ${expected} items, got ${group.length}`);
    }
  };
  const getGroup1k = await latencies(20, 200, size('g1k', 1_000));
  const getGroup10k = await latencies(5, 50, size('g10k', 10_000));
  // The harness's query: the 10 newest active items (9998, 9996, ...).
  const filter = { where: { status: 'active' }, orderBy: 'createdAt', orderDirection: 'desc', limit: 10 };
  const query10k = await latencies(5, 50, async () => {
    const page = await main.stream.query('g10k', filter);
    if (page.length !== 10 || page[0].id !== ids[9_998]) {
      throw new Error(`unexpected query result ${JSON.stringify(page[0])} (${page.length} items)`);
    }
  });
  return { getGroup1k, getGroup10k, query10k };
}

/** Subscribes `count` item channels `prefix + i`; all at once, or each after the previous. */
async function subscribeItems(stream, group, prefix, count, allAtOnce, handler) {
  const subscribe = (i) => stream.subscribe({ groupId: group, id: prefix + i }, handler);
  if (allAtOnce) {
    await Promise.all(Array.from({ length: count }, (_, i) => subscribe(i)));
  } else {
    for (let i = 0; i < count; i++) {
      await subscribe(i);
    }
  }
}

async function subscribeTimes() {
  const result = {};
  for (const [name, allAtOnce] of [['allAtOnceNs', true], ['oneAtATimeNs', false]]) {
    const listener = open();
    try {
      // The first subscription opens the adapter's pub/sub connection: not part of the figure.
      await listener.stream.subscribe({ groupId: 'subscribe', id: 'first' }, () => {});
      const start = now();
      await subscribeItems(listener.stream, 'subscribe', `${name}-`, EVENTS, allAtOnce, () => {});
      result[name] = since(start);
    } finally {
      await shutdown(listener);
    }
  }
  return result;
}

/**
 * A listener on a second adapter, like the Java figure's. A set publishes on its item's channel
 * only (never on the group's), so the listener subscribes to each item of the series first.
 */
async function events() {
  const group = 'events';
  const listener = open();
  const series = (prefix, count) => ({
    prefix, count, sentAt: new Array(count).fill(0n), latency: new Array(count).fill(0),
    received: 0, duplicates: 0, done: null,
  });
  const run = async (s) => {
    let resolveDone;
    const done = new Promise((resolve) => { resolveDone = resolve; });
    let arrived = 0;
    const handler = (event) => {
      const at = now();
      const index = Number(event.data.id.substring(s.prefix.length));
      s.received++;
      if (s.latency[index] !== 0) {
        s.duplicates++;
        return;
      }
      s.latency[index] = Number(at - s.sentAt[index]);
      if (++arrived === s.count) {
        resolveDone(true);
      }
    };
    await subscribeItems(listener.stream, group, s.prefix, s.count, true, handler);
    const start = now();
    for (let i = 0; i < s.count; i++) {
      s.sentAt[i] = now();
      await main.stream.set(group, s.prefix + i, items[i]);
    }
    s.sendNs = Number(now() - start);
    const timeout = new Promise((resolve) => setTimeout(() => resolve(false), 30_000).unref());
    return Promise.race([done, timeout]);
  };
  try {
    const warmUp = series('w-', 2_000);
    if (!(await run(warmUp))) {
      throw new Error(`warm-up events missing: ${warmUp.count - warmUp.received}`);
    }
    const timed = series('e-', EVENTS);
    const complete = await run(timed);
    // Late duplicates would show here.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return {
      sent: EVENTS,
      received: timed.received,
      duplicates: timed.duplicates,
      complete,
      // The Java writer sets at this rate for the figure compared with this one.
      setIntervalNs: Math.round(timed.sendNs / EVENTS),
      latencyNs: timed.latency.filter((l) => l !== 0).sort((a, b) => a - b),
    };
  } finally {
    await shutdown(listener);
  }
}

async function warmup() {
  // The Java backends' warm-up (StreamsBench.throughputs): the same calls, for V8's compilers.
  for (let round = 0; round < 2; round++) {
    for (const operation of [set, get]) {
      await oneAtATime(5_000, operation);
      await concurrently(IN_FLIGHT, 20_000, operation);
    }
  }
  return {};
}

async function shutdown({ manager, stream }) {
  // The adapter's cleanup() forgets handlers but keeps its pub/sub connection open.
  const sub = stream.subClient;
  await stream.cleanup();
  if (sub?.isOpen) {
    await sub.quit();
  }
  await manager.shutdown();
}

function versions() {
  // The installed packages, which npm ci took from package-lock.json.
  const version = (name) => JSON.parse(readFileSync(
    new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
  return { node: process.version, adapter: version('@motiadev/adapter-redis-streams'), redis: version('redis') };
}

const count = (text) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > WORKLOAD) {
    throw new Error(`a count from 1 to ${WORKLOAD} expected, got ${text}`);
  }
  return n;
};

async function figure(line) {
  const [name, ...args] = line.trim().split(/\s+/);
  switch (name) {
    case 'warmup': return warmup();
    case 'set1': return { ops: await oneAtATime(count(args[0]), set) };
    case 'get1': return { ops: await oneAtATime(count(args[0]), get) };
    case 'set64': return { ops: await concurrently(IN_FLIGHT, count(args[0]), set) };
    case 'get64': return { ops: await concurrently(IN_FLIGHT, count(args[0]), get) };
    case 'groups': return groups();
    case 'events': return events();
    case 'subscribe': return subscribeTimes();
    case 'store': return { stored: await main.stream.set(args[0], args[1], item(count(args[2]))) };
    default: throw new Error(`unknown figure ${JSON.stringify(name)}`);
  }
}

function answer(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function runAll(lines) {
  // The first command waits for the connection; its answer tells the harness what it measures.
  await main.stream.get(GROUP, 'connected');
  answer({ ready: true, ...versions() });
  for await (const line of lines) {
    if (!line.trim()) {
      continue;
    }
    if (line.trim() === 'quit') {
      break;
    }
    try {
      answer(await figure(line));
    } catch (error) {
      answer({ error: `${line.trim()}: ${error?.stack ?? error}` });
    }
  }
  await shutdown(main);
}

const lines = figureArgs.length > 0 ? figureArgs : createInterface({ input: process.stdin, terminal: false });
runAll(lines).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`peer.mjs: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
