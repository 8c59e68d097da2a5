/**
 * Thrown by a route when the thing asked for does not exist; the app answers 404 (JSON for `/api`, a page
 * otherwise).
 *
 * @module
 */

/** A missing resource. */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}
