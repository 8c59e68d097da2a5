import assert from "node:assert/strict";
import { addressIn, EntityDetector } from "./entity_detector.ts";
import { testInput } from "./test_inputs.ts";

const T0 = Date.UTC(2026, 0, 1);

Deno.test("entity: an address behind many failures is one episode naming it and the users tried", () => {
  const d = new EntityDetector({ minCount: 20 });
  const line = (i: number, user: string) =>
    testInput({
      tsMs: T0 + i * 1000,
      level: "warn",
      content: `Failed password for invalid user ${user} from 183.62.140.253 port ${30000 + i} ssh2`,
    });
  const signals = Array.from(
    { length: 40 },
    (_, i) => d.observe(line(i, ["root", "admin", "oracle"][i % 3])),
  );
  assert.equal(signals.slice(0, 19).filter((s) => s !== undefined).length, 0, "below the threshold");
  const last = signals[39]!;
  assert.equal(last.scope, "e:183.62.140.253");
  assert.match(
    last.reasons[0],
    /^40 problem lines from 183\.62\.140\.253 in 1 min; users tried: root, admin, oracle$/,
  );
  // Ordinary lines naming the address are not problems.
  assert.equal(
    d.observe(testInput({ tsMs: T0 + 50_000, content: "Accepted publickey from 183.62.140.253" })),
    undefined,
  );
});

Deno.test("entity: a few failures per address, or a hostile line, stay quiet and bounded", () => {
  const d = new EntityDetector({ minCount: 20, maxKeys: 100 });
  for (let i = 0; i < 5000; i++) {
    const ip = `10.0.${i % 250}.${i % 7}`;
    assert.equal(
      d.observe(testInput({ tsMs: T0 + i, level: "error", content: `connect to ${ip} failed` })),
      undefined,
    );
  }
  assert.ok(d.toJSON().entities.length <= 100);
  assert.equal(addressIn("1.2.3.4.5 999.1.1"), undefined);
  assert.equal(
    addressIn("x".repeat(1_000_000) + " 1.2.3.4"),
    undefined,
    "only the head of a message is read",
  );
  assert.equal(addressIn("peer fe80:0:0:0:200:f8ff:fe21:67cf down"), "fe80:0:0:0:200:f8ff:fe21:67cf");
  assert.equal(
    addressIn("Failed to execute package: Package_for_KB4221638~31bf3856ad364e35~amd64~~6.1.1.2, x"),
    undefined,
  );
  assert.equal(addressIn("version 6.1.7601.17514"), undefined);
  assert.equal(addressIn("rhost=183.62.140.253 user=root"), "183.62.140.253");
  assert.equal(addressIn("connect to /10.10.34.11:3888 failed"), "10.10.34.11");
  assert.equal(addressIn("from 183.62.140.253."), "183.62.140.253");
});
