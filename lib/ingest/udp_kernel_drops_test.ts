import assert from "node:assert/strict";
import dgram from "node:dgram";
import { udpKernelDrops } from "./udp_kernel_drops.ts";

const HEADER =
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n";

Deno.test("udpKernelDrops sums the drops column of the sockets on a port, in both tables", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // Port 5514 = 0x158A; 55140 = 0xD764 (ends in neither 158A nor the other way round).
    await Deno.writeTextFile(
      `${dir}/udp`,
      HEADER +
        "  1: 0100007F:158A 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0000000000000000 17\n" +
        "  2: 0100007F:D764 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3 2 0000000000000000 99\n",
    );
    await Deno.writeTextFile(
      `${dir}/udp6`,
      HEADER +
        "  3: 00000000000000000000000000000000:158A 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4 2 0000000000000000 5\n",
    );
    assert.equal(udpKernelDrops(5514, [`${dir}/udp`, `${dir}/udp6`]), 22);
    assert.equal(udpKernelDrops(55140, [`${dir}/udp`]), 99);
    assert.equal(udpKernelDrops(1234, [`${dir}/udp`, `${dir}/udp6`]), undefined, "no socket on the port");
    assert.equal(udpKernelDrops(5514, [`${dir}/missing`]), undefined, "no table");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "udpKernelDrops finds a real socket (Linux)",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((r) => socket.bind(0, "127.0.0.1", () => r()));
    try {
      assert.equal(udpKernelDrops(socket.address().port), 0);
    } finally {
      socket.close();
    }
  },
});
