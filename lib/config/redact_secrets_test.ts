import assert from "node:assert/strict";
import { parseConfig } from "./vigil_config.ts";
import { redactConfig, redactError, redactSecrets, redactUrl, secretsOf } from "./redact_secrets.ts";

Deno.test("redactUrl hides a URL's password, a token user and secret query values; a clean URL is kept as given", () => {
  assert.equal(
    redactUrl("https://elastic:hunter2@search.internal:9200"),
    "https://elastic:***@search.internal:9200/",
  );
  assert.equal(redactUrl("https://ghp_0123456789abcdefghij@git.example/"), "https://***@git.example/");
  assert.equal(
    redactUrl("https://s3.example/b/k?X-Amz-Signature=abc123&X-Amz-Credential=AKIA&part=2"),
    "https://s3.example/b/k?X-Amz-Signature=***&X-Amz-Credential=***&part=2",
  );
  assert.equal(
    redactUrl("https://hooks.slack.com/services/T0/B0/XyZsecret", { hidePath: true }),
    "https://hooks.slack.com/***",
  );
  assert.equal(redactUrl("http://127.0.0.1:9200"), "http://127.0.0.1:9200");
  assert.equal(redactUrl("not a url http://u:pw@h"), "not a url http://u:***@h");
});

Deno.test("redactSecrets hides passwords in any URL of a text, secret parameters and known secrets", () => {
  assert.equal(
    redactSecrets("error sending request for url (http://admin:s3cr3t@10.0.0.5:9200/_bulk): refused"),
    "error sending request for url (http://admin:***@10.0.0.5:9200/_bulk): refused",
  );
  assert.equal(redactSecrets("GET /?access_token=0123456789abcdef&q=x"), "GET /?access_token=***&q=x");
  const hook = "https://hooks.slack.com/services/T0/B0/XyZsecret";
  assert.equal(
    redactSecrets(`no response: error sending request for url (${hook})`, [hook]),
    "no response: error sending request for url (https://hooks.slack.com/***)",
  );
  assert.equal(
    redactSecrets("auth failed for hunter2-pass", ["hunter2-pass", undefined, "ab"]),
    "auth failed for ***",
  );
  assert.equal(redactError(new Error("at http://u:p@h/"), []), "at http://u:***@h/");
});

Deno.test("redactConfig and secretsOf cover every secret of the configuration", () => {
  const secrets = {
    VIGIL_S3_SECRET_ACCESS_KEY: "s3cr3t-value",
    VIGIL_HOT_PASSWORD: "hunter2",
    VIGIL_HOT_URL: "https://elastic:in-url-pass@search.internal:9200",
    VIGIL_WEB_ACCESS_TOKEN: "0123456789abcdef-token",
    VIGIL_INCIDENTS_WEBHOOK_URL: "https://hooks.slack.com/services/T0/B0/XyZsecret",
  };
  const config = parseConfig({}, secrets);
  const text = JSON.stringify(redactConfig(config));
  for (const value of ["s3cr3t-value", "hunter2", "in-url-pass", "0123456789abcdef-token", "XyZsecret"]) {
    assert.ok(!text.includes(value), `${value} leaked: ${text}`);
  }
  assert.match(text, /"secretAccessKey":"\*\*\*"/);
  assert.match(text, /"url":"https:\/\/elastic:\*\*\*@search\.internal:9200\/"/);
  assert.match(text, /"webhookUrl":"https:\/\/hooks\.slack\.com\/\*\*\*"/);
  assert.match(text, /"endpoint":"http:\/\/127\.0\.0\.1:7070"/, "a clean URL is kept");
  assert.deepEqual(
    secretsOf(config).sort(),
    ["0123456789abcdef-token", "hunter2", "s3cr3t-value", secrets.VIGIL_INCIDENTS_WEBHOOK_URL].sort(),
  );
});

Deno.test("the Kafka SASL password and the hot tier's API key are secrets too", () => {
  const config = parseConfig({}, {
    VIGIL_KAFKA_SECURITY_PROTOCOL: "sasl_ssl",
    VIGIL_KAFKA_SASL_USERNAME: "vigil",
    VIGIL_KAFKA_SASL_PASSWORD: "kafka-s3cret",
    VIGIL_HOT_KIND: "elasticsearch",
    VIGIL_HOT_API_KEY: "ZWxhc3RpYzprZXk=",
  });
  const text = JSON.stringify(redactConfig(config));
  assert.ok(!text.includes("kafka-s3cret") && !text.includes("ZWxhc3RpYzprZXk="), text);
  assert.deepEqual(
    secretsOf(config).sort(),
    ["ZWxhc3RpYzprZXk=", "kafka-s3cret", "vigil-local-secret"].sort(),
  );
});
