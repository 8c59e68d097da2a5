/**
 * Engine throughput: messages/s through a 3-stage actor chain (parse → hashKey → score → sink), per message
 * and with batch receive (256), against the baseline of the same three functions called directly in a loop.
 * Each iteration moves N messages end to end, fed one by one (`trySend`, else `await send`) — plus one row fed
 * in arrays of 256 (`sendAll`), the way a Kafka source hands over a fetched batch. Run: `deno bench -A bench/engine_chain_bench.ts`.
 *
 * @module
 */
import { ActorSystem, sendAll, type Sender, silentLogger } from "../engine/mod.ts";
import {
  hashKey,
  type Keyed,
  LINES,
  makeCounter,
  parse,
  type Parsed,
  score,
  type Scored,
} from "./engine_bench_functions.ts";

const N = 100_000;
const CAPACITY = 1024;
let sink = 0;

function perMessageChain() {
  const system = new ActorSystem({ logger: silentLogger });
  const done = makeCounter();
  const mailbox = { capacity: CAPACITY };
  const stage = <I, O>(name: string, f: (x: I) => O, out: Sender<O>) =>
    system.spawn<I>({
      name,
      mailbox,
      create: () => ({
        receive: (x: I) => {
          const y = f(x);
          if (!out.trySend(y)) return out.send(y);
        },
      }),
    });
  const last = system.spawn<Scored>({
    name: "sink",
    mailbox,
    create: () => ({
      receive: (s) => {
        sink += s.score;
        done.add(1);
      },
    }),
  });
  const s3 = stage<Keyed, Scored>("score", score, last);
  const s2 = stage<Parsed, Keyed>("hash", hashKey, s3);
  const s1 = stage<string, Parsed>("parse", parse, s2);
  return { s1, done };
}

function batchedChain(batchSize: number) {
  const system = new ActorSystem({ logger: silentLogger });
  const done = makeCounter();
  const mailbox = { capacity: CAPACITY };
  const stage = <I, O>(name: string, f: (x: I) => O, out: Sender<O>) =>
    system.spawn<I>({
      name,
      mailbox,
      batchSize,
      create: () => ({ receiveBatch: (xs: I[]) => sendAll(out, xs.map(f)) }),
    });
  const last = system.spawn<Scored>({
    name: "sink",
    mailbox,
    batchSize,
    create: () => ({
      receiveBatch: (ss) => {
        for (const s of ss) sink += s.score;
        done.add(ss.length);
      },
    }),
  });
  const s3 = stage<Keyed, Scored>("score", score, last);
  const s2 = stage<Parsed, Keyed>("hash", hashKey, s3);
  const s1 = stage<string, Parsed>("parse", parse, s2);
  return { s1, done };
}

async function drive(chain: { s1: Sender<string>; done: ReturnType<typeof makeCounter> }): Promise<void> {
  const finished = chain.done.until(N);
  for (let i = 0; i < N; i++) {
    const line = LINES[i & 1023];
    if (!chain.s1.trySend(line)) await chain.s1.send(line);
  }
  await finished;
}

/** Feeds in arrays of 256, as a Kafka source hands over a fetched batch. */
async function driveBatches(
  chain: { s1: Sender<string>; done: ReturnType<typeof makeCounter> },
): Promise<void> {
  const finished = chain.done.until(N);
  for (let i = 0; i < N; i += 256) {
    const chunk: string[] = [];
    for (let j = i; j < i + 256 && j < N; j++) chunk.push(LINES[j & 1023]);
    await sendAll(chain.s1, chunk);
  }
  await finished;
}

const perMessage = perMessageChain();
const batched = batchedChain(256);

Deno.bench({
  name: "direct calls: parse → hashKey → score (100k msgs)",
  group: "engine-chain",
  baseline: true,
  fn() {
    for (let i = 0; i < N; i++) sink += score(hashKey(parse(LINES[i & 1023]))).score;
  },
});

Deno.bench({
  name: "actor chain, batch receive 256 (100k msgs)",
  group: "engine-chain",
  async fn() {
    await drive(batched);
  },
});

Deno.bench({
  name: "actor chain, batch receive 256, fed in batches of 256 (100k msgs)",
  group: "engine-chain",
  async fn() {
    await driveBatches(batched);
  },
});

Deno.bench({
  name: "actor chain, per message (100k msgs)",
  group: "engine-chain",
  async fn() {
    await drive(perMessage);
  },
});
