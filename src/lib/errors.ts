// Typed failures of domain code. Domain functions throw these (or return them
// in a result); each URL area maps them to a response in one place: an HTML
// page for pages and form posts, JSON for the API, exit codes in the CLI.

/** What is wrong with which input field, in words a person can act on. */
export type FieldMessages = Record<string, string>;

/** Base class: `kind` says which response family it maps to. */
export abstract class DomainError extends Error {
  abstract readonly kind: "not_found" | "invalid" | "conflict" | "unavailable";
}

/** The thing asked for does not exist (or is not visible to the caller). */
export class NotFoundError extends DomainError {
  readonly kind = "not_found";
}

/** The input is wrong; `fields` says where and why. Nothing was changed. */
export class InvalidInputError extends DomainError {
  readonly kind = "invalid";
  constructor(
    readonly fields: FieldMessages,
    message = `invalid ${Object.keys(fields).join(", ")}`,
  ) {
    super(message);
  }
}

/** The request contradicts what is stored (a duplicate, a state that changed meanwhile). */
export class ConflictError extends DomainError {
  readonly kind = "conflict";
}

/** A dependency (the queue, a misconfigured var, a key server) cannot serve now; try later. */
export class UnavailableError extends DomainError {
  readonly kind = "unavailable";
  constructor(
    message: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** The HTTP status a domain error maps to. */
export function statusOf(error: DomainError): 404 | 422 | 409 | 503 {
  switch (error.kind) {
    case "not_found":
      return 404;
    case "invalid":
      return 422;
    case "conflict":
      return 409;
    case "unavailable":
      return 503;
  }
}
