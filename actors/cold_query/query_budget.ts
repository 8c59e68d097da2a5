/**
 * The per-query budget of the cold query reader: S3 bytes and wall time. A query over a wide range with no
 * selective filter could otherwise read the whole archive; it stops instead with a {@link ColdQueryBudgetError}
 * naming what ran out and how to narrow the query.
 *
 * @module
 */

/** A query stopped because it spent its bytes or time budget. */
export class ColdQueryBudgetError extends Error {
  override name = "ColdQueryBudgetError";
}

/** Limits of one query. */
export interface QueryBudgetLimits {
  /** Most bytes read from S3 (cache hits are free). */
  maxBytes: number;
  /** Most wall time, in ms. */
  maxMs: number;
}

/** Default budget: 1 GiB from S3, 60 s. */
export const DEFAULT_QUERY_BUDGET: QueryBudgetLimits = { maxBytes: 1024 ** 3, maxMs: 60_000 };

const HINT = "narrow --from/--to or add --level/--component, or raise the budget (--max-bytes, --timeout-ms)";

/** Spending of one query against its {@link QueryBudgetLimits}. */
export class QueryBudget {
  readonly limits: QueryBudgetLimits;
  readonly startedAt: number;
  #bytes = 0;

  /** @throws {RangeError} when a limit is not a positive number */
  constructor(limits: QueryBudgetLimits = DEFAULT_QUERY_BUDGET, now = Date.now()) {
    for (const [name, v] of Object.entries(limits)) {
      if (!(typeof v === "number" && v > 0)) {
        throw new RangeError(
          `Cannot query the cold tier as ${name} must be a positive number: current value is ${v}`,
        );
      }
    }
    this.limits = limits;
    this.startedAt = now;
  }

  /** Bytes charged so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Charges bytes about to be read from S3. @throws {ColdQueryBudgetError} past the byte limit */
  charge(bytes: number): void {
    if (this.#bytes + bytes > this.limits.maxBytes) {
      throw new ColdQueryBudgetError(
        `cold query stopped: it would read ${this.#bytes + bytes} bytes from S3, over its budget of ` +
          `${this.limits.maxBytes} bytes; ${HINT}`,
      );
    }
    this.#bytes += bytes;
    this.check();
  }

  /** @throws {ColdQueryBudgetError} past the time limit */
  check(now = Date.now()): void {
    if (now - this.startedAt > this.limits.maxMs) {
      throw new ColdQueryBudgetError(
        `cold query stopped: it ran ${
          now - this.startedAt
        } ms, over its budget of ${this.limits.maxMs} ms; ${HINT}`,
      );
    }
  }
}
