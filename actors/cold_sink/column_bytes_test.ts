import assert from "node:assert/strict";
import fc from "fast-check";
import { toJson } from "hyparquet";
import { jsonColumn, sharedUtf8Column, utf8Column } from "./column_bytes.ts";

const encoder = new TextEncoder();

Deno.test("utf8Column gives TextEncoder's bytes for every string: ASCII, non-ASCII, lone surrogates, empty", () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }))),
      (xs) => {
        assert.deepEqual(utf8Column(xs), xs.map((s) => encoder.encode(s)));
      },
    ),
  );
  // A high surrogate ending one value and a low one starting the next must not pair up across the boundary.
  assert.deepEqual(utf8Column(["a\ud83d", "\ude00b"]), ["a\ud83d", "\ude00b"].map((s) => encoder.encode(s)));
});

Deno.test("sharedUtf8Column gives TextEncoder's bytes, one shared array per distinct string", () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom("a", "b", "ü"), fc.string({ unit: "binary" }))), (xs) => {
      const out = sharedUtf8Column(xs);
      assert.deepEqual(out, xs.map((s) => encoder.encode(s)));
      for (let i = 0; i < xs.length; i++) {
        for (let j = 0; j < xs.length; j++) assert.equal(out[i] === out[j], xs[i] === xs[j]);
      }
    }),
  );
});

Deno.test("utf8Column views one buffer when the column is ASCII", () => {
  const [a, b] = utf8Column(["abc", "de"]);
  assert.equal(a.buffer, b.buffer);
  assert.deepEqual([...b], [100, 101]);
});

Deno.test("jsonColumn gives JSON.stringify(toJson(value)) as UTF-8 for the cold tier's shapes and odd values", () => {
  const strings = fc.oneof(fc.string(), fc.string({ unit: "binary" }));
  const values = fc.oneof(
    fc.array(strings),
    fc.dictionary(strings, strings),
    fc.dictionary(fc.string(), fc.oneof(strings, fc.integer(), fc.constant(undefined), fc.constant(-0))),
    fc.array(fc.oneof(strings, fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }), fc.constant(-0), fc.date())),
    fc.constant({ ["0"]: "x", b: "y", ["1"]: "z" }),
  );
  fc.assert(
    fc.property(fc.array(values), (xs) => {
      assert.deepEqual(
        jsonColumn(xs).map((b) => new TextDecoder().decode(b)),
        xs.map((v) => JSON.stringify(toJson(v))),
      );
    }),
  );
});

Deno.test("jsonColumn: equal texts share one byte array (what the writer's dictionary check finds by identity)", () => {
  const [a, b, c, d] = jsonColumn([[], { k: "v" }, [], { k: "v" }]);
  assert.equal(a, c);
  assert.equal(b, d);
  assert.notEqual(a, b);
});
