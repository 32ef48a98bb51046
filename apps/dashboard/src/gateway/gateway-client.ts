import { signal, type ReadonlySignal } from '@preact/signals';

/** The gateway link as the connection indicator shows it. */
export interface GatewayStatus {
  readonly status: 'unknown' | 'up' | 'down';
  readonly detail?: string;
}

/** A gateway answer: the value, or what went wrong in words an operator can act on. */
export type GatewayResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly error: string;
      readonly status?: number;
      /** The JSON body of an HTTP error answer, when it had one. */
      readonly body?: unknown;
    };

/** How often the indicator checks `/healthz` while nothing else talks to the gateway. */
const HEALTH_INTERVAL_MS = 5_000;
const REQUEST_TIMEOUT_MS = 8_000;

/**
 * Talks to the gateway's REST API (`apps/gateway`): same origin by default. Every call is bounded
 * in time and never throws; failures mark the gateway down, which the page shows and which marks
 * history-backed values stale.
 */
export class GatewayClient {
  private readonly statusSignal = signal<GatewayStatus>({ status: 'unknown' });
  private timer: ReturnType<typeof setInterval> | undefined;
  /**
   * Bearer token typed by an operator (memory only, never stored): sent with every request, as the
   * gateway needs it to acknowledge and, when it guards reads with GATEWAY_TOKEN, to read.
   */
  readonly token = signal<string | undefined>(undefined);

  constructor(private readonly baseUrl: string) {}

  get status(): ReadonlySignal<GatewayStatus> {
    return this.statusSignal;
  }

  /** Starts the periodic health check. */
  watch(): void {
    if (this.timer) return;
    void this.health();
    this.timer = setInterval(() => void this.health(), HEALTH_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async health(): Promise<void> {
    await this.request<unknown>('GET', '/healthz');
  }

  /** GET a JSON resource under the API. */
  get<T>(path: string): Promise<GatewayResult<T>> {
    return this.request<T>('GET', path);
  }

  /** POST JSON, with the operator's token if one was given. */
  post<T>(path: string, body: unknown): Promise<GatewayResult<T>> {
    return this.request<T>('POST', path, body);
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<GatewayResult<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const token = this.token.peek();
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        cache: 'no-store',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const detail =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`
          : 'not reachable';
      this.statusSignal.value = { status: 'down', detail: `gateway ${detail}` };
      return { ok: false, error: `gateway ${detail}` };
    }
    // A proxy in front of a stopped gateway (Vite's dev server) answers 502/503/504 itself.
    if (response.status >= 502 && response.status <= 504) {
      this.statusSignal.value = {
        status: 'down',
        detail: `gateway not reachable (HTTP ${response.status})`,
      };
      return {
        ok: false,
        error: `gateway not reachable (HTTP ${response.status})`,
        status: response.status,
      };
    }
    this.statusSignal.value = { status: 'up' };
    let json: unknown;
    const text = await response.text().catch(() => '');
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!response.ok)
      return {
        ok: false,
        error: describeHttpError(response.status, json),
        status: response.status,
        ...(json === undefined ? {} : { body: json }),
      };
    if (json === undefined && method === 'GET') {
      return {
        ok: false,
        error: `${path}: the gateway's answer is not JSON`,
        status: response.status,
      };
    }
    return { ok: true, value: json as T };
  }
}

/** `{ error, parameter, allowed }` (the gateway's error shape) in one line. */
export function describeHttpError(status: number, body: unknown): string {
  if (typeof body === 'object' && body !== null) {
    const { error, parameter, allowed } = body as Record<string, unknown>;
    if (typeof error === 'string') {
      const where =
        typeof parameter === 'string'
          ? ` (${parameter}` +
            (allowed === undefined
              ? ')'
              : `; allowed: ${String(Array.isArray(allowed) ? allowed.join(', ') : allowed)})`)
          : '';
      return `${error}${where}`.slice(0, 300);
    }
  }
  if (status === 401 || status === 403)
    return `not allowed (HTTP ${status}): an operator token is needed`;
  if (status === 404) return 'not found (HTTP 404)';
  return `HTTP ${status}`;
}
