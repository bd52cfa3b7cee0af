// The BullMQ contender of the end-to-end benchmark (docs/benchmarks.md). The .NET benchmark writes the run's messages
// to a plan file (one "urgency,rank,workMs" line per message, in publish order), starts this script, and reads one JSON
// object from its standard output. Producers and the worker live in this process, as in the .NET contenders.
import { readFileSync } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split(/=(.*)/s).slice(0, 2)));
const workload = args.workload;                       // burst | paced | inversion | strict-order
const [host, port] = args.redis.split(':');
const producers = Number(args.producers ?? 4);         // sends in flight, each awaiting its add
const concurrency = Number(args.concurrency ?? 16);
const rate = Number(args.rate ?? 1000);
const timeoutMs = Number(args.timeoutMs ?? 180000);
const queueName = args.queue;
const plans = readFileSync(args.plan, 'utf8').trim().split('\n').map((line, number) => {
  const [urgency, rank, work] = line.split(',').map(Number);
  return { number, urgency, rank, work };
});

// Every command any connection of this process sends: BullMQ's round trips (a pipeline counts each command).
let commandsSent = 0;
const send = IORedis.prototype.sendCommand;
IORedis.prototype.sendCommand = function (command, stream) {
  commandsSent++;
  return send.call(this, command, stream);
};

const connection = { host, port: Number(port), maxRetriesPerRequest: null };
const admin = new IORedis(connection);
const queue = new Queue(queueName, { connection });
// BullMQ: lower priority numbers go first, 1 the highest; urgency descending, then event-type rank, like the transport.
const priorityOf = (p) => (10 - p.urgency) * 16 + p.rank + 1;
const addOptions = (p) => ({ priority: priorityOf(p), removeOnComplete: true, removeOnFail: true });

const starts = [];
let handled = 0;
let allHandled;
const done = new Promise((resolve) => { allHandled = resolve; });
let expected = plans.length;
let watched = -1;
let watchedStart;
const watchedStarted = new Promise((resolve) => { watchedStart = resolve; });
let consuming = workload === 'burst' || workload === 'paced';

const worker = new Worker(queueName, async (job) => {
  const now = process.hrtime.bigint();
  starts.push({ number: job.data.n, at: now, published: BigInt(job.data.t) });
  if (job.data.n === watched) watchedStart(now);
  if (job.data.w > 0) await new Promise((r) => setTimeout(r, job.data.w));
  if (++handled === expected) allHandled();
}, { connection, concurrency, autorun: consuming });
await worker.waitUntilReady();
await queue.waitUntilReady();

// Warm-up on a queue of its own (not measured): Node compiles its hot paths as .NET's tiered JIT does in the .NET
// contenders' warm-up run, and BullMQ loads its scripts.
{
  const warmQueue = new Queue(`${queueName}-warm`, { connection });
  let warmHandled = 0;
  let warmDone;
  const warmFinished = new Promise((resolve) => { warmDone = resolve; });
  const warmWorker = new Worker(`${queueName}-warm`, async () => { if (++warmHandled === 1000) warmDone(); }, { connection, concurrency });
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < 1000) { const p = plans[next++ % plans.length]; await warmQueue.add('m', { n: p.number }, addOptions(p)); }
  }));
  await warmFinished;
  await warmWorker.close();
  await warmQueue.obliterate({ force: true }).catch(() => {});
  await warmQueue.close();
}

const add = (p) => queue.add('m', { n: p.number, w: p.work, t: process.hrtime.bigint().toString() }, addOptions(p));
async function publishAll(list, inFlight) {
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < list.length) await add(list[next++]);
  }));
}
const info = async () => (await admin.info('cpu')) + (await admin.info('commandstats'));
const ms = (from, to) => Number(to - from) / 1e6;
const withTimeout = (promise) => Promise.race([promise.then(() => true), new Promise((r) => setTimeout(() => r(false), timeoutMs))]);

const result = { workload };
const redisBefore = await info();
const cpuBefore = process.cpuUsage();
const commandsBefore = commandsSent;
const t0 = process.hrtime.bigint();
if (workload === 'burst') {
  await publishAll(plans, producers);
  result.publishSeconds = ms(t0, process.hrtime.bigint()) / 1000;
  result.finished = await withTimeout(done);
  result.elapsedSeconds = ms(t0, process.hrtime.bigint()) / 1000;
} else if (workload === 'paced') {
  const perMessageNs = 1e9 / rate;
  for (let i = 0; i < plans.length; i++) {
    const due = t0 + BigInt(Math.round(i * perMessageNs));
    while (process.hrtime.bigint() < due) await new Promise((r) => setTimeout(r, 1));
    await add(plans[i]);
  }
  result.publishSeconds = ms(t0, process.hrtime.bigint()) / 1000;
  result.finished = await withTimeout(done);
  result.latenciesMs = starts.filter((s) => s.number >= plans.length / 10).map((s) => ms(s.published, s.at));
} else if (workload === 'inversion') {
  // The last plan is the critical message; the rest is the backlog, queued before the worker runs.
  const critical = plans[plans.length - 1];
  await publishAll(plans.slice(0, -1), producers);
  worker.run();
  const warm = Math.min(Math.floor((plans.length - 1) / 10), 10 * concurrency);
  while (starts.length < warm) await new Promise((r) => setTimeout(r, 1));
  watched = critical.number;
  const published = process.hrtime.bigint();
  await add(critical);
  result.finished = await withTimeout(watchedStarted);
  if (result.finished) {
    const at = await watchedStarted;
    result.criticalLatencyMs = ms(published, at);
    result.depth = starts.filter((s) => s.number !== critical.number && s.at >= published && s.at <= at).length;
  }
  expected = Math.min(expected, handled + 1);
} else if (workload === 'strict-order') {
  await publishAll(plans, 1);
  worker.run();
  result.finished = await withTimeout(done);
  result.order = starts.map((s) => s.number);
}
result.clientUserUs = process.cpuUsage(cpuBefore).user;
result.clientSystemUs = process.cpuUsage(cpuBefore).system;
result.commandsSent = commandsSent - commandsBefore;
result.redisBefore = redisBefore;
result.redisAfter = await info();
result.handled = handled;

await worker.close(true);
await queue.obliterate({ force: true }).catch(() => {});
await queue.close();
await admin.quit();
// Exit only once the (large) line is written: a pipe takes it in 64 KB pieces.
process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
