/**
 * HotRetention: makes the cluster delete daily event indices `hot.retentionDays` after their creation.
 *
 * - OpenSearch with the Index State Management plugin: the ISM policy `<prefix>-events-retention` is
 *   installed (or updated), attached to new indices by its `ism_template` and to existing ones by
 *   `_plugins/_ism/add` (and `change_policy` when an older version of the policy manages them).
 * - Elasticsearch: the ILM policy of the same name; the events index template sets `index.lifecycle.name`
 *   (see `retention_policy.ts`), existing indices get the setting.
 * - An OpenSearch without ISM (the local stack runs the core modules only): the sink deletes expired indices
 *   itself, {@link HotRetention.sweep} on a timer — same rule (creation date + retention), same result.
 * - `0` days: no policy; an ISM policy left by an earlier start is detached and deleted.
 *
 * @module
 */
import type { HotKind } from "./config.ts";
import {
  ilmPolicy,
  isExpired,
  ismPolicy,
  retentionIndexPattern,
  retentionPolicyName,
} from "./retention_policy.ts";
import { type HotService, HotServiceError } from "./service.ts";

/** How retention is enforced: by the cluster (`ism`, `ilm`), by the sink's own sweep, or not at all. */
export type RetentionMode = "ism" | "ilm" | "sweep" | "off";

/** What {@link HotRetention} needs. */
export interface HotRetentionOptions {
  service: HotService;
  indexPrefix: string;
  kind: HotKind;
  /** Days after creation an event index is deleted; 0 keeps indices for ever. */
  days: number;
  /** Clock of the sweep. Default `Date.now`. */
  now?: () => number;
}

function statusOf(err: unknown): number {
  return err instanceof HotServiceError ? err.statusCode : -1;
}

/** A cluster without the ISM plugin answers its routes with 400 "no handler found" (or 404 on some proxies). */
function isMissingRoute(err: unknown): boolean {
  return err instanceof HotServiceError && /no handler found/i.test(err.message);
}

/** Installs and enforces the hot tier's retention; see the module doc. */
export class HotRetention {
  readonly #o: HotRetentionOptions;
  #mode: RetentionMode | undefined;

  constructor(options: HotRetentionOptions) {
    if (!Number.isFinite(options.days) || options.days < 0) {
      throw new RangeError(
        `Cannot create HotRetention as days must be 0 or more: current value is ${options.days}`,
      );
    }
    this.#o = options;
  }

  /** The mode chosen by {@link HotRetention.install}; undefined before. */
  get mode(): RetentionMode | undefined {
    return this.#mode;
  }

  /**
   * Installs (or updates, or removes for 0 days) the cluster's policy and attaches it to existing indices.
   * Idempotent: every engine start runs it.
   *
   * @returns how retention is enforced from now on
   * @throws {HotServiceError} when the cluster refuses the policy
   */
  async install(): Promise<RetentionMode> {
    const { kind, days } = this.#o;
    if (kind === "elasticsearch") {
      this.#mode = days > 0 ? await this.#installIlm() : "off";
    } else {
      this.#mode = await this.#installIsm();
    }
    return this.#mode;
  }

  /**
   * Deletes the event indices whose creation is older than the retention (the `sweep` mode's work; harmless
   * in the others: the cluster deletes the same indices).
   *
   * @returns the names of the indices deleted
   */
  async sweep(): Promise<string[]> {
    const { service, indexPrefix, days } = this.#o;
    if (days <= 0) return [];
    const now = (this.#o.now ?? Date.now)();
    const pattern = retentionIndexPattern(indexPrefix);
    const settings = await service.manage("GET", `/${pattern}/_settings/index.creation_date`) as Record<
      string,
      { settings?: { index?: { creation_date?: string } } }
    >;
    const deleted: string[] = [];
    for (const [index, s] of Object.entries(settings ?? {})) {
      const created = Number(s?.settings?.index?.creation_date);
      if (!Number.isFinite(created) || !isExpired(created, days, now)) continue;
      try {
        await service.manage("DELETE", `/${encodeURIComponent(index)}`);
        deleted.push(index);
      } catch (err) {
        if (statusOf(err) !== 404) throw err; // another engine deleted it first
      }
    }
    return deleted;
  }

  async #installIsm(): Promise<RetentionMode> {
    const { service, indexPrefix, days } = this.#o;
    const name = retentionPolicyName(indexPrefix);
    const path = `/_plugins/_ism/policies/${encodeURIComponent(name)}`;
    const pattern = retentionIndexPattern(indexPrefix);
    let existing: { _seq_no?: number; _primary_term?: number; policy?: unknown } | undefined;
    try {
      existing = await service.manage("GET", path) as typeof existing;
    } catch (err) {
      if (isMissingRoute(err)) return this.#o.days > 0 ? "sweep" : "off";
      if (statusOf(err) !== 404) throw err;
    }
    if (days <= 0) {
      if (existing !== undefined) {
        await service.manage("POST", `/_plugins/_ism/remove/${pattern}`).catch(() => {});
        await service.manage("DELETE", path).catch(() => {});
      }
      return "off";
    }
    const body = ismPolicy(indexPrefix, days);
    if (existing === undefined) {
      await service.manage("PUT", path, body);
    } else if (!samePolicy(existing.policy, body.policy)) {
      await service.manage(
        "PUT",
        `${path}?if_seq_no=${existing._seq_no}&if_primary_term=${existing._primary_term}`,
        body,
      );
      // Indices keep the policy version they started with unless moved to the new one.
      await service.manage("POST", `/_plugins/_ism/change_policy/${pattern}`, { policy_id: name });
    }
    // `ism_template` covers indices created from now on; the ones that exist already are attached here
    // (already managed ones are reported as failures in the body, not as an error).
    await service.manage("POST", `/_plugins/_ism/add/${pattern}`, { policy_id: name });
    return "ism";
  }

  async #installIlm(): Promise<RetentionMode> {
    const { service, indexPrefix, days } = this.#o;
    const name = retentionPolicyName(indexPrefix);
    await service.manage("PUT", `/_ilm/policy/${encodeURIComponent(name)}`, ilmPolicy(days));
    // New indices get `index.lifecycle.name` from the events index template; existing ones here.
    const existing = await service.manage(
      "GET",
      `/${retentionIndexPattern(indexPrefix)}/_settings/index.uuid`,
    );
    if (Object.keys(existing ?? {}).length > 0) {
      await service.manage("PUT", `/${retentionIndexPattern(indexPrefix)}/_settings`, {
        "index.lifecycle.name": name,
      });
    }
    return "ilm";
  }
}

/**
 * Whether a stored ISM policy deletes at the same age as the wanted one (the cluster adds ids, versions,
 * times and retry defaults to what it stores, so whole bodies never compare equal).
 */
function samePolicy(stored: unknown, wanted: unknown): boolean {
  const age = (p: unknown) =>
    (p as { states?: { transitions?: { conditions?: { min_index_age?: string } }[] }[] })?.states?.[0]
      ?.transitions?.[0]?.conditions?.min_index_age;
  return age(stored) !== undefined && age(stored) === age(wanted);
}
