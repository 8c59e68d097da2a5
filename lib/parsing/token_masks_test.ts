import fc from "fast-check";
import { assert, assertEquals } from "./_test_assert.ts";
import {
  framedWildcard,
  maskToken,
  MAX_TOKEN_CHARS,
  MAX_TOKENS,
  pathWildcard,
  splitKeyValue,
  tokenize,
} from "./token_masks.ts";

Deno.test("maskToken: default masks", () => {
  const cases: Record<string, string> = {
    "10.251.73.220:50010": "<*>",
    "[173.234.31.186]": "[<*>]",
    "blk_-6952295868487656571": "blk_<*>",
    "0x7fed806eb5d": "<*>",
    "@0x7fed806eb5d": "@<*>",
    "00000001@2016/9/27:20:30:31.455": "<*>",
    "v6.1.7601.23505": "<*>",
    "64MB": "<*>",
    "{4D3C1A2B-1234-4ABC-9DEF-0123456789AB}": "{<*>}",
    "https://example.com/a?b=1": "<*>",
    "/etc/httpd/conf/workers2.properties": "<*>",
    "C:\\Windows\\winsxs\\x.dll": "<*>",
    "uid=0": "uid=<*>",
    "user=root": "user=root",
    "file=/var/log/x/y": "file=<*>",
    "url=http://a/b": "url=<*>",
    "logname=": "logname=",
    "(uid=0)": "(uid=<*>)",
    "Jul": "<*>",
    "terminating": "terminating",
    "a/b": "a/b",
    "": "",
  };
  for (const [token, masked] of Object.entries(cases)) assertEquals(maskToken(token), masked, token);
});

Deno.test("tokenize: aligned raw/masked tokens, runs of equal variables collapse", () => {
  assertEquals(tokenize("  delete blk_1 blk_-2 blk_3 now "), {
    tokens: ["delete", "blk_1 blk_-2 blk_3", "now"],
    masked: ["delete", "blk_<*>", "now"],
    capped: false,
  });
  assertEquals(tokenize(""), { tokens: [], masked: [], capped: false });
  assertEquals(tokenize("at Sun Jul 10 03:55:15 2005").masked, ["at", "<*>"]);
});

Deno.test("tokenize: beyond maxTokens the rest of the message is one variable token", () => {
  assertEquals(tokenize("a b c d  e f ", 3), {
    tokens: ["a", "b", "c", "d  e f"],
    masked: ["a", "b", "c", "<*>"],
    capped: true,
  });
  assertEquals(tokenize("a b c", 3).capped, false);
  assertEquals(tokenize("a b 1 2 3", 3), {
    tokens: ["a", "b", "1 2 3"],
    masked: ["a", "b", "<*>"],
    capped: true,
  });
  // 32k one-letter words: MAX_TOKENS tokens and the rest.
  const words = tokenize("x ".repeat(1 << 15));
  assertEquals(words.masked.length, MAX_TOKENS + 1);
  assert(words.capped);
});

Deno.test("property: splitKeyValue splits as the former key=value expression did", () => {
  const OLD = /^([^\w]*[A-Za-z_][\w.-]*=)(.*?)([)\]}>,;.'"]*)$/;
  fc.assert(
    fc.property(fc.stringMatching(/^[aZ_1=.\-)\]}>,;'"\/(\u2028]{0,14}$/), (token) => {
      const m = OLD.exec(token);
      assertEquals(splitKeyValue(token), m === null ? null : [m[1], m[2], m[3]], token);
    }),
    { numRuns: 5000 },
  );
});

Deno.test("maskToken and tokenize: hostile tokens in linear time (1 s for what took seconds to minutes)", () => {
  const cases = [
    "a=" + ".".repeat(50_000) + "x",
    "a=" + ".".repeat(50_000),
    "(".repeat(30_000) + "k=" + ")".repeat(30_000) + "/",
    "a." + "-".repeat(50_000) + "/1",
    "1a".repeat(40_000) + "/",
  ];
  for (const token of cases) {
    const t0 = performance.now();
    const masked = maskToken(token);
    const ms = performance.now() - t0;
    assert(ms < 1_000, `${token.slice(0, 12)}… (${token.length} chars): ${ms.toFixed(0)} ms`);
    assert(masked.length <= token.length + 3);
  }
  assertEquals(maskToken("a=" + ".".repeat(50_000)), "a=" + ".".repeat(50_000));
  const t0 = performance.now();
  const { masked } = tokenize(("k=" + "1.".repeat(20) + " ").repeat(25_000), Infinity); // 1 MB of content, uncapped
  assert(performance.now() - t0 < 3_000);
  assertEquals(masked, ["k=<*>."]); // a run of identical variable tokens is one token
});

Deno.test("tokenize: a token longer than MAX_TOKEN_CHARS is one variable, whatever it holds", () => {
  const huge = "x=" + "1.".repeat(MAX_TOKEN_CHARS);
  const { tokens, masked } = tokenize(`read ${huge} done`);
  assertEquals(masked, ["read", "<*>", "done"]);
  assertEquals(tokens[1], huge, "the raw token is kept whole");
  // At the limit it is still masked part by part.
  const edge = "id=" + "7".repeat(MAX_TOKEN_CHARS - 3);
  assertEquals(tokenize(edge).masked, ["id=<*>"]);
});

Deno.test("maskToken: hex ids drawn without a digit are variables; short hex-letter words are not", () => {
  const cases: Record<string, string> = {
    "bbfcafcc": "<*>",
    "SHA256:bbfcafcc": "<*>",
    "3f2a9c1e-dcea-4b1d-9e7f-0a1b2c3d4e5f": "<*>",
    "id=deadbeefcafe": "id=<*>",
    "(abcdefab)": "(<*>)",
    "decade": "decade",
    "add-on": "add-on",
    "facade": "facade",
    "cafe-1": "cafe-<*>",
  };
  for (const [token, masked] of Object.entries(cases)) assertEquals(maskToken(token), masked, token);
  assertEquals(tokenize("key bbfcafcc done").masked, ["key", "<*>", "done"]);
});

Deno.test("tokenize: JSON members are glued tokens masked in their values", () => {
  const t = tokenize('{"level":"info","user":"bob","path":"/a/b/c","n":12} done');
  assertEquals(t.tokens, ['{"level":"info"', ',"user":"bob"', ',"path":"/a/b/c"', ',"n":12}', "done"]);
  assertEquals(t.masked, ['{"level":"info"', ',"user":"bob"', ',"path":"<*>"', ',"n":<*>}', "done"]);
  assertEquals(t.glued, [false, true, true, true, false]);
  // no member split without a `":` (a CSV-like token), and none beyond maxTokens
  assertEquals(tokenize('a,"b",c').masked, ['a,"b",c']);
  assertEquals(tokenize('{"a":1,"b":2,"c":3}', 2).masked, ['{"a":<*>,"b":<*>,"c":<*>}']);
  assertEquals(tokenize("plain words").glued, undefined);
});

Deno.test("maskToken: one letter inside an id is the id's; a name ending in one digit is a constant", () => {
  const cases: Record<string, string> = {
    "attempt_1445144423722_0020_m_000000_0": "attempt_<*>",
    "task_1445144423722_0020_r_000001": "task_<*>",
    "ssh2": "ssh2",
    "ssh2:": "ssh2:",
    "jk2_init()": "jk2_init()",
    "eth0": "eth0",
    "host12": "<*>", // two digits: a number
    "a1": "<*>", // one letter: no name
    "v2-123": "<*>", // joined to a number
    '\\"StartContainer\\"': '\\"StartContainer\\"', // escaped quotes are no Windows path
    "C:\\Windows\\x": "<*>",
  };
  for (const [token, masked] of Object.entries(cases)) assertEquals(maskToken(token), masked, token);
});

Deno.test("framedWildcard keeps a URL's scheme only when asked, and the message's quotes either way", () => {
  assertEquals(framedWildcard('"http://10.0.0.1:8080/a",'), '"<*>",');
  assertEquals(framedWildcard('"http://10.0.0.1:8080/a",', true), '"http://<*>",');
  assertEquals(framedWildcard("hdfs://msra-sa-41:9000", true), "hdfs://<*>");
  assertEquals(framedWildcard("/var/log/x.log", true), "<*>"); // not a URL
  assertEquals(framedWildcard("http://", true), "<*>"); // nothing after the scheme: no value to stand for
});

Deno.test("pathWildcard shows an id-named file's shape, and nothing for other paths", () => {
  assertEquals(pathWildcard("/mnt/hadoop/dfs/data/current/subdir5/blk_1781953582842324563"), "/<*>/blk_<*>");
  assertEquals(
    pathWildcard("/user/root/rand/_temporary/_task_2008_0001_m_000590_0/part-00590."),
    "/<*>/part-<*>.",
  );
  assertEquals(pathWildcard(String.raw`"C:\Windows\Temp\job_42.log",`), String.raw`"<*>\job_<*>.log",`);
  // no id shape: no variable, all id, an id after a dot, no directory, a URL
  assertEquals(pathWildcard("/etc/httpd/conf/workers2.properties"), null);
  assertEquals(pathWildcard("/p/gb2/stella/RAS/R63-M0-N8.map:"), null);
  assertEquals(pathWildcard("/var/lib/zookeeper/version-2/snapshot.1a2b3c"), null);
  assertEquals(pathWildcard("/blk_123"), null);
  assertEquals(pathWildcard("http://host/a/blk_123"), null);
});
