/** One HTTP exchange as the NGC client sends it. */
export interface HttpExchange {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Aborts the exchange, headers and body alike. */
  signal: AbortSignal;
}

/** An answer whose body has not been read yet. */
export interface HttpAnswer {
  status: number;
  header(name: string): string | undefined;
  /** The whole body; rejects when it ends early or the exchange aborts. */
  text(): Promise<string>;
  /** Drops the body, so the connection can serve the next request. */
  discard(): Promise<void>;
}

/** Sends exchanges; never follows a redirect (a bearer key must not travel to another host). */
export type HttpTransport = (exchange: HttpExchange) => Promise<HttpAnswer>;

/** A transport over a `fetch` implementation, e.g. one a test injects. */
export function fetchTransport(fetchImpl: typeof fetch): HttpTransport {
  return async (exchange) => {
    const response = await fetchImpl(exchange.url, {
      method: exchange.method,
      headers: exchange.headers,
      ...(exchange.body === undefined ? {} : { body: exchange.body }),
      signal: exchange.signal,
      redirect: 'manual',
    });
    return {
      status: response.status,
      header: (name) => response.headers.get(name) ?? undefined,
      text: () => response.text(),
      discard: async () => {
        try {
          await response.body?.cancel();
        } catch {
          // The connection is unusable anyway; nothing to report.
        }
      },
    };
  };
}
