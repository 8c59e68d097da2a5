import assert from "node:assert/strict";
import { Hono } from "hono";
import { hostGuard, type HostGuardOptions } from "./host_guard.ts";

function app(options: HostGuardOptions) {
  const hono = new Hono();
  hono.use("*", hostGuard(options));
  hono.all("*", (c) => c.text("ok"));
  return (url: string, method = "GET") => hono.fetch(new Request(url, { method }));
}

Deno.test("hostGuard: without a token, only loopback names, the listen host and allowed hosts are served", async () => {
  const fetch = app({ listenHost: "127.0.0.1", allowedHosts: ["vigil.example.org"] });
  for (
    const ok of [
      "http://127.0.0.1:8080/",
      "http://localhost:8080/x",
      "http://[::1]:8080/",
      "http://VIGIL.example.org/",
    ]
  ) {
    assert.equal((await fetch(ok)).status, 200, ok);
  }
  // A DNS-rebinding page: evil.example resolves to 127.0.0.1 but the browser still sends Host: evil.example.
  for (const method of ["GET", "POST"]) {
    const res = await fetch("http://evil.example:8080/api/incidents", method);
    assert.equal(res.status, 421);
    assert.match(
      (await res.json()).error,
      /host evil\.example is not one this dashboard serves.*web\.allowedHosts/,
    );
  }
});

Deno.test("hostGuard: a wildcard listen address is not a host name; with a token every host passes on", async () => {
  assert.equal((await app({ listenHost: "0.0.0.0" })("http://0.0.0.0:8080/")).status, 421);
  assert.equal((await app({ listenHost: "::1" })("http://[::1]/")).status, 200);
  assert.equal(
    (await app({ listenHost: "10.0.0.5", accessToken: "x".repeat(16) })("http://evil.example/")).status,
    200,
  );
  assert.equal((await app({})("http://vigil.test/")).status, 200); // embedded without listen host: not checked
});
