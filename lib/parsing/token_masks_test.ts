import { assertEquals } from "./_test_assert.ts";
import { maskToken, tokenize } from "./token_masks.ts";

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
  });
  assertEquals(tokenize(""), { tokens: [], masked: [] });
  assertEquals(tokenize("at Sun Jul 10 03:55:15 2005").masked, ["at", "<*>"]);
});
