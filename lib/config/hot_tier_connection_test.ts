import assert from "node:assert/strict";
import { hotTierAccessHint, hotTierClientOptions } from "./hot_tier_connection.ts";

Deno.test("hotTierClientOptions: basic auth or API key, CA and client certificate read from their files", async () => {
  assert.deepEqual(hotTierClientOptions({}), {});
  assert.deepEqual(hotTierClientOptions({ username: "u", password: "p" }), {
    auth: { username: "u", password: "p" },
  });
  assert.deepEqual(
    hotTierClientOptions({ tls: { rejectUnauthorized: true } }),
    {},
    "system CAs: no TLS options",
  );
  const dir = await Deno.makeTempDir();
  try {
    const pem = (what: string) => `-----BEGIN ${what}-----\nMIIB\n-----END ${what}-----\n`;
    await Deno.writeTextFile(`${dir}/ca.pem`, pem("CERTIFICATE"));
    await Deno.writeTextFile(`${dir}/client.pem`, pem("CERTIFICATE"));
    await Deno.writeTextFile(`${dir}/client.key`, pem("PRIVATE KEY"));
    const options = hotTierClientOptions({
      apiKey: "a2V5",
      tls: {
        caFile: `${dir}/ca.pem`,
        certFile: `${dir}/client.pem`,
        keyFile: `${dir}/client.key`,
        rejectUnauthorized: true,
      },
    });
    assert.deepEqual(options, {
      auth: { apiKey: "a2V5" },
      tls: {
        ca: pem("CERTIFICATE"),
        cert: pem("CERTIFICATE"),
        key: pem("PRIVATE KEY"),
        rejectUnauthorized: true,
      },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.throws(
    () => hotTierClientOptions({ tls: { caFile: "/no/ca.pem", rejectUnauthorized: true } }),
    /Cannot read hot\.tls\.caFile \(env VIGIL_HOT_TLS_CA_FILE\) \/no\/ca\.pem/,
  );
});

Deno.test("hotTierAccessHint names the setting of a refused login, API key or untrusted certificate only", () => {
  assert.match(hotTierAccessHint({ apiKey: "k" }, 401)!, /check hot\.apiKey \(env VIGIL_HOT_API_KEY\)/);
  const cert = Object.assign(new Error("unable to verify the first certificate"), {
    code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  });
  assert.match(hotTierAccessHint({}, 0, cert)!, /set hot\.tls\.caFile \(env VIGIL_HOT_TLS_CA_FILE\)/);
  assert.equal(hotTierAccessHint({}, 0, new Error("connect ECONNREFUSED 127.0.0.1:9200")), undefined);
  assert.equal(hotTierAccessHint({}, 503), undefined);
});
