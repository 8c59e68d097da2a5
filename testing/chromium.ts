/**
 * The browser the dashboard's end-to-end tests drive: Debian's Chromium (`VIGIL_CHROMIUM` to point elsewhere),
 * headless, in a fresh profile, with every background service that would reach the network switched off.
 *
 * @module
 */
import { type BrowserContext, chromium } from "playwright-core";

/** Where the Chromium binary is. */
export const CHROMIUM = Deno.env.get("VIGIL_CHROMIUM") ?? "/usr/bin/chromium";

/** @throws {Error} saying how to install Chromium when it is missing. */
export async function assertChromium(): Promise<void> {
  await Deno.stat(CHROMIUM).catch(() => {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with 'apt-get install -y chromium'`);
  });
}

/** Launches headless Chromium with the profile `userDataDir` (1280×800, dark colour scheme). */
export function launchChromium(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 800 },
    colorScheme: "dark",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
