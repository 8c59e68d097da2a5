/**
 * Syslog over TCP and UDP into the {@link IngestGate}.
 *
 * TCP: each connection is read by one loop that frames ({@link SyslogFrameSplitter}), parses and delivers what
 * one read completed, and reads again only after Kafka acknowledged it. Syslog over TCP has no acknowledgement
 * of its own, so this is how "acknowledged only after Kafka" reaches the sender: while the gate refuses or Kafka
 * fails, the loop holds the frames, retries, and does not read — the socket buffers fill and the sender's writes
 * block (back-pressure, counted as pauses). Frames are sent again only after their request failed (the publisher's
 * send timeout included); a request that timed out may still have landed, so an event can be stored twice
 * (at-least-once), never lost.
 *
 * UDP: a datagram is one message. It is dropped — and counted by reason — when the gate refuses it (too many
 * events waiting, or Kafka failing) or when its produce request fails; UDP has no way to slow the sender.
 *
 * @module
 */
import dgram from "node:dgram";
import { abortableSleep } from "../timing/abortable_sleep.ts";
import { decodeLineBytes } from "../parsing/line_decoder.ts";
import type { LogEvent } from "../event/log_event.ts";
import { draftToEvent } from "./ingest_event.ts";
import type { IngestGate } from "./ingest_gate.ts";
import type { IngestMetrics } from "./ingest_metrics.ts";
import { type SyslogFrame, SyslogFrameSplitter } from "./syslog_frame_splitter.ts";
import { parseSyslog } from "./syslog_message.ts";

/** What the syslog receivers share. */
export interface SyslogReceiverOptions {
  gate: IngestGate;
  metrics: IngestMetrics;
  /** Longest message kept whole, bytes. */
  maxFrameBytes: number;
  /** Ends accepting and reading; frames held for Kafka are retried until `ackTimeoutMs` after it. */
  signal: AbortSignal;
}

const READ_BYTES = 64 * 1024;
const MAX_RETRY_MS = 5_000;

function frameEvents(
  frames: readonly SyslogFrame[],
  transport: "tcp" | "udp",
  peer: string,
  maxChars: number,
): LogEvent[] {
  const receivedMs = Date.now();
  const ctx = { source: `syslog-${transport}:${peer}`, system: "syslog", peerHost: peer, maxChars };
  return frames.map((f) => draftToEvent(parseSyslog(f.text, f.flags, receivedMs), ctx, receivedMs));
}

/** A running TCP receiver. */
export interface SyslogTcpReceiver {
  /** Open connections. */
  readonly connections: number;
  /** Resolves when the listener and every connection have ended (after the signal). */
  readonly done: Promise<void>;
}

/**
 * Serves syslog over TCP on `listener` until the signal aborts (see module doc).
 */
export function serveSyslogTcp(listener: Deno.Listener, options: SyslogReceiverOptions): SyslogTcpReceiver {
  const open = new Set<Deno.Conn>();
  const loops = new Set<Promise<void>>();
  const state = { connections: 0 };
  options.signal.addEventListener("abort", () => {
    try {
      listener.close();
    } catch { /* already closed */ }
    // Connections idle in a read are closed by their loop; one holding frames for Kafka ends when its retries
    // give up.
  }, { once: true });
  const accept = async () => {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch {
        break; // the listener was closed
      }
      open.add(conn);
      state.connections = open.size;
      const loop = readConnection(conn, options).finally(() => {
        open.delete(conn);
        state.connections = open.size;
        loops.delete(loop);
        try {
          conn.close();
        } catch { /* closed */ }
      });
      loops.add(loop);
    }
    while (loops.size > 0) await Promise.allSettled([...loops]);
  };
  const done = accept();
  return {
    get connections() {
      return state.connections;
    },
    done,
  };
}

async function readConnection(conn: Deno.Conn, options: SyslogReceiverOptions): Promise<void> {
  const { metrics, signal } = options;
  const peer = (conn.remoteAddr as Deno.NetAddr).hostname;
  const splitter = new SyslogFrameSplitter(options.maxFrameBytes);
  const buffer = new Uint8Array(READ_BYTES);
  const onAbort = () => conn.close();
  for (;;) {
    let n: number | null;
    try {
      if (signal.aborted) n = null;
      else {
        signal.addEventListener("abort", onAbort, { once: true });
        n = await conn.read(buffer);
      }
    } catch {
      n = null; // reset by the peer, or closed by the abort
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
    const frames = n === null ? splitter.end() : splitter.push(buffer.subarray(0, n));
    if (frames.length > 0) {
      const delivered = await deliverHeld(frameEvents(frames, "tcp", peer, options.maxFrameBytes), options);
      if (!delivered) {
        metrics.events("syslog_tcp", "failed", frames.length, peer);
        return;
      }
      metrics.events("syslog_tcp", "accepted", frames.length, peer);
    }
    if (n === null) return;
  }
}

/**
 * Delivers the events of one read, holding them (not reading further) until Kafka acknowledged them.
 * @returns false only when the service is stopping and Kafka still has not acknowledged them
 */
async function deliverHeld(events: LogEvent[], options: SyslogReceiverOptions): Promise<boolean> {
  const { gate, metrics, signal } = options;
  let waitMs = 100;
  let giveUpAt = Infinity;
  for (;;) {
    if (signal.aborted && giveUpAt === Infinity) giveUpAt = Date.now() + MAX_RETRY_MS;
    const admission = gate.admit(events.length);
    if (admission.ok) {
      const result = await gate.deliver(events, Infinity);
      if (result === "acked") return true;
    } else {
      metrics.tcpPaused();
    }
    if (Date.now() >= giveUpAt) return false;
    // Waits end early on shutdown: then at most one more attempt is made within the give-up window.
    await abortableSleep(waitMs, signal.aborted ? undefined : signal);
    waitMs = Math.min(waitMs * 2, MAX_RETRY_MS);
  }
}

/** A running UDP receiver. */
export interface SyslogUdpReceiver {
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Resolves when the socket is closed (after the signal). */
  readonly done: Promise<void>;
}

/**
 * Serves syslog over UDP on `hostname:port` until the signal aborts (see module doc).
 */
export async function serveSyslogUdp(
  hostname: string,
  port: number,
  options: SyslogReceiverOptions,
): Promise<SyslogUdpReceiver> {
  const { gate, metrics, signal } = options;
  // No recvBufferSize: Deno 2.9.6's node:dgram does not apply it to the socket (it keeps net.core.rmem_default)
  // but allocates a buffer of that size for every datagram it receives — with 4 MiB, receiving was 14× slower
  // (1,332 vs 18,642 datagrams/s, same machine and run). The kernel's buffer is the system's: raise
  // net.core.rmem_default for bursts; what the kernel still drops is read from Linux and counted
  // (udp_kernel_drops.ts, vigil_ingest_udp_dropped_total{reason="kernel"}).
  const socket = dgram.createSocket(hostname.includes(":") ? "udp6" : "udp4");
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(port, hostname, () => {
      socket.off("error", reject);
      resolve();
    });
  });
  const inFlight = new Set<Promise<void>>();
  socket.on("message", (msg: Uint8Array, rinfo: { address: string }) => {
    const admission = gate.admit(1);
    if (!admission.ok) {
      metrics.udpDropped(admission.status === 503 ? "kafka" : "backlog");
      metrics.events("syslog_udp", "dropped", 1, rinfo.address);
      return;
    }
    const cut = msg.length > options.maxFrameBytes;
    let bytes = cut ? msg.subarray(0, options.maxFrameBytes) : msg;
    if (!cut && bytes.length > 0 && bytes[bytes.length - 1] === 10) bytes = bytes.subarray(0, -1);
    const frame = decodeLineBytes(bytes, cut);
    const events = frameEvents([frame], "udp", rinfo.address, options.maxFrameBytes);
    const delivery = gate.deliver(events, Infinity).then((result) => {
      if (result === "acked") metrics.events("syslog_udp", "accepted", 1, rinfo.address);
      else {
        metrics.udpDropped("kafka");
        metrics.events("syslog_udp", "dropped", 1, rinfo.address);
      }
    }).finally(() => inFlight.delete(delivery));
    inFlight.add(delivery);
  });
  socket.on("error", () => {/* a datagram error does not end the receiver */});
  const done = new Promise<void>((resolve) => {
    signal.addEventListener("abort", () => {
      socket.close(async () => {
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        resolve();
      });
    }, { once: true });
  });
  return { port: socket.address().port, done };
}
