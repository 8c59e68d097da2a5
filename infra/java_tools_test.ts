import assert from "node:assert/strict";
import { findJava, findMaven, MIN_JAVA_VERSION, parseJavaVersion } from "./java_tools.ts";
import { StackError } from "./stack_error.ts";

Deno.test("parseJavaVersion reads modern and legacy version strings", () => {
  assert.equal(parseJavaVersion('openjdk version "17.0.15" 2025-04-15'), 17);
  assert.equal(parseJavaVersion('openjdk version "25" 2025-09-16'), 25);
  assert.equal(parseJavaVersion('java version "1.8.0_402"'), 8);
  assert.equal(parseJavaVersion("command not found"), undefined);
});

Deno.test("findJava finds this machine's Java, and names what to install when JAVA_HOME is wrong", async () => {
  const java = await findJava();
  assert.ok(java.version >= MIN_JAVA_VERSION);
  const saved = Deno.env.get("JAVA_HOME");
  Deno.env.set("JAVA_HOME", "/nonexistent-jdk");
  try {
    await assert.rejects(findJava(), (err) => err instanceof StackError && /Install a JDK/.test(err.message));
  } finally {
    if (saved === undefined) Deno.env.delete("JAVA_HOME");
    else Deno.env.set("JAVA_HOME", saved);
  }
});

Deno.test("findMaven names what to install when mvn is not on PATH", async () => {
  const saved = Deno.env.get("PATH") ?? "";
  Deno.env.set("PATH", "/nonexistent-bin");
  try {
    await assert.rejects(
      findMaven(),
      (err) => err instanceof StackError && /Maven is required.*apt-get install maven/s.test(err.message),
    );
  } finally {
    Deno.env.set("PATH", saved);
  }
  assert.equal(await findMaven(), "mvn");
});
