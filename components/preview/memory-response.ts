/** Statuses whose responses must not carry a body (the Response constructor throws otherwise). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * A Response whose body is already in memory. Chrome reads even a string
 * body on a later task, which a fake clock cannot wait for; this one's
 * `text()` settles in microtasks, so stepping the clock settles it too.
 */
export class MemoryResponse extends Response {
  readonly #text: string;

  constructor(text: string, init: { status: number; statusText?: string; headers?: HeadersInit }) {
    const empty = NULL_BODY_STATUSES.has(init.status);
    super(empty ? null : text, init);
    this.#text = empty ? "" : text;
  }

  override text(): Promise<string> {
    return Promise.resolve(this.#text);
  }

  override async json(): Promise<unknown> {
    return JSON.parse(this.#text);
  }
}
