/**
 * Fault injection for resilience tests, and the log of requests served. A
 * queued fault answers the next `times` matching HubSpot requests (never the
 * /_sandbox admin surface) with a rate limit, a 5xx or a hang, before the
 * route runs, so nothing in the portal changes. Rate limits come in HubSpot's
 * shape: body `{status, message, errorType: 'RATE_LIMIT', correlationId,
 * policyName, groupName}` and the `X-HubSpot-RateLimit-*` headers.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { HubSpotApiError, parseBody } from './http.js';

/**
 * HubSpot's rate-limit policies. `@hubspot/api-client` retries a 429 only
 * for TEN_SECONDLY_ROLLING (after 10 s × attempt) or for the message "You
 * have reached your secondly limit." (after 1 s × attempt); DAILY is final.
 */
export const rateLimitPolicies = ['TEN_SECONDLY_ROLLING', 'SECONDLY', 'DAILY'] as const;
export type RateLimitPolicy = (typeof rateLimitPolicies)[number];

export const FaultInput = z.object({
  /** Any method when absent. */
  method: z.string().min(1).transform((method) => method.toUpperCase()).optional(),
  /** A regular expression (source) tested against the request path, without the query string. */
  pathPattern: z.string().refine(isRegExpSource, 'not a valid regular expression'),
  status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504), z.literal('timeout')]),
  times: z.number().int().min(1),
  /** Sent as `Retry-After` (seconds). */
  retryAfterSeconds: z.number().int().min(0).optional(),
  /** Only requests whose token belongs to this portal; any portal (or none) when absent. */
  portalId: z.number().int().positive().optional(),
  /** For 429 only. */
  policyName: z.enum(rateLimitPolicies).optional(),
  /** For 'timeout' only: how long the request is held before its connection is dropped. */
  timeoutMs: z.number().int().min(0).optional(),
}).superRefine((fault, context) => {
  if (fault.policyName !== undefined && fault.status !== 429) {
    context.addIssue({ code: 'custom', path: ['policyName'], message: 'only a 429 fault has a rate-limit policy' });
  }
  if (fault.timeoutMs !== undefined && fault.status !== 'timeout') {
    context.addIssue({ code: 'custom', path: ['timeoutMs'], message: 'only a timeout fault is held' });
  }
});

/** A fault as queued through `sandbox.faults.add` or `POST /_sandbox/faults`. */
export type SandboxFault = z.input<typeof FaultInput>;

export interface PendingFault extends z.output<typeof FaultInput> {
  id: number;
  /** Matching requests it will still answer. */
  remaining: number;
  /** Matching requests it has answered so far. */
  fired: number;
}

/** A request the sandbox answered (or held), as `requests()` lists it. */
export interface ServedRequest {
  method: string;
  path: string;
  /** The portal of the request's bearer token; null without one (OAuth token requests, say). */
  portalId: number | null;
  /** 'timeout' for a request a timeout fault held. */
  status: number | 'timeout';
}

export const defaultFaultTimeoutMs = 10_000;

function isRegExpSource(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

const rateLimitMessages: Record<RateLimitPolicy, string> = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  SECONDLY: 'You have reached your secondly limit.',
  DAILY: 'You have reached your daily limit.',
};

/** HubSpot's limits for an OAuth app: 110 requests per 10 s per account; daily figures only reach private apps. */
const rollingMax = 110;
const secondlyMax = 11;
const dailyMax = 250_000;

/** A 429 in HubSpot's rate-limit shape, which differs from its other errors (`errorType`, `policyName`, no `category`). */
export class RateLimitError extends HubSpotApiError {
  constructor(
    readonly policyName: RateLimitPolicy,
    readonly groupName: string,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(429, 'RATE_LIMITS', rateLimitMessages[policyName]);
  }

  override toBody(correlationId: string): Record<string, unknown> {
    return {
      status: 'error',
      message: this.message,
      errorType: 'RATE_LIMIT',
      correlationId,
      policyName: this.policyName,
      groupName: this.groupName,
      requestId: randomUUID(),
    };
  }

  override responseHeaders(): Record<string, string> {
    const exhausted = (policy: RateLimitPolicy, max: number) => String(this.policyName === policy ? 0 : max - 1);
    return {
      'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
      'X-HubSpot-RateLimit-Max': String(rollingMax),
      'X-HubSpot-RateLimit-Remaining': exhausted('TEN_SECONDLY_ROLLING', rollingMax),
      // Deprecated by HubSpot but still sent.
      'X-HubSpot-RateLimit-Secondly': String(secondlyMax),
      'X-HubSpot-RateLimit-Secondly-Remaining': exhausted('SECONDLY', secondlyMax),
      ...(this.policyName === 'DAILY' && { 'X-HubSpot-RateLimit-Daily': String(dailyMax), 'X-HubSpot-RateLimit-Daily-Remaining': '0' }),
      ...(this.retryAfterSeconds !== undefined && { 'Retry-After': String(this.retryAfterSeconds) }),
    };
  }
}

const serverErrorMessages: Record<500 | 502 | 503 | 504, string> = {
  500: 'internal error',
  502: 'Bad Gateway: the request could not be completed; retry after a few seconds',
  503: 'Service Unavailable: HubSpot is temporarily unavailable; retry after a few seconds',
  504: 'Gateway Timeout: the request took too long to process; retry after a few seconds',
};

/** A 5xx in HubSpot's ordinary error shape, optionally with `Retry-After`. */
export class ServerFaultError extends HubSpotApiError {
  constructor(status: 500 | 502 | 503 | 504, readonly retryAfterSeconds: number | undefined) {
    super(status, 'INTERNAL_ERROR', serverErrorMessages[status]);
  }

  override responseHeaders(): Record<string, string> {
    return this.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(this.retryAfterSeconds) };
  }
}

export interface FaultRequest {
  method: string;
  path: string;
  portalId: number | null;
}

export class FaultInjector {
  private queue: PendingFault[] = [];
  private firedTotal = 0;
  private nextId = 1;
  /** Requests held by timeout faults: each one's timer and connection, so close() can let go of them at once. */
  private readonly held = new Set<{ timer: NodeJS.Timeout; response: ServerResponse }>();

  constructor(private readonly appId: number) {}

  /** Validates and queues a fault (a 429 defaults to TEN_SECONDLY_ROLLING); a bad one throws HubSpot's 400 VALIDATION_ERROR. */
  add(input: unknown): PendingFault {
    const fault = parseBody(FaultInput, input);
    const defaults = fault.status === 429 ? { policyName: fault.policyName ?? 'TEN_SECONDLY_ROLLING' }
      : fault.status === 'timeout' ? { timeoutMs: fault.timeoutMs ?? defaultFaultTimeoutMs }
      : {};
    const pending: PendingFault = { ...fault, ...defaults, id: this.nextId++, remaining: fault.times, fired: 0 };
    this.queue.push(pending);
    return pending;
  }

  pending(): readonly PendingFault[] {
    return this.queue.filter((fault) => fault.remaining > 0);
  }

  /** How many requests faults have answered since the last clear. */
  fired(): number {
    return this.firedTotal;
  }

  /** Drops every queued fault and the count (held requests stay held until their time is up). */
  clear(): void {
    this.queue = [];
    this.firedTotal = 0;
  }

  /**
   * Answers the request with the first matching fault, if any: throws its
   * error, or holds the request ('held') and drops the connection later.
   */
  intercept(request: FaultRequest, exchange: { request: IncomingMessage; response: ServerResponse }): 'held' | undefined {
    const fault = this.queue.find((candidate) => candidate.remaining > 0 && matches(candidate, request));
    if (!fault) return undefined;
    fault.remaining--;
    fault.fired++;
    this.firedTotal++;
    if (fault.status === 'timeout') {
      this.hold(exchange.response, fault.timeoutMs ?? defaultFaultTimeoutMs);
      return 'held';
    }
    if (fault.status === 429) {
      const policy = fault.policyName ?? 'TEN_SECONDLY_ROLLING';
      throw new RateLimitError(policy, `publicapi:oauth:${policy.toLowerCase()}:${this.appId}:${request.portalId ?? 0}`, fault.retryAfterSeconds);
    }
    throw new ServerFaultError(fault.status, fault.retryAfterSeconds);
  }

  /** Ends every held request now, so the server can close without waiting out their timeouts. */
  releaseHeld(): void {
    for (const entry of this.held) {
      clearTimeout(entry.timer);
      entry.response.socket?.destroy();
    }
    this.held.clear();
  }

  /** Says nothing; after `ms` the connection is destroyed, as a gateway giving up would. */
  private hold(response: ServerResponse, ms: number): void {
    const entry = {
      response,
      timer: setTimeout(() => {
        this.held.delete(entry);
        response.socket?.destroy();
      }, ms),
    };
    this.held.add(entry);
    // A client that gives up first frees the slot.
    response.once('close', () => {
      clearTimeout(entry.timer);
      this.held.delete(entry);
    });
  }
}

function matches(fault: PendingFault, request: FaultRequest): boolean {
  if (fault.method !== undefined && fault.method !== request.method.toUpperCase()) return false;
  if (fault.portalId !== undefined && fault.portalId !== request.portalId) return false;
  return new RegExp(fault.pathPattern).test(request.path);
}

/** Every HubSpot request the sandbox answered, in order; /_sandbox calls are left out. */
export class RequestLog {
  private readonly entries: ServedRequest[] = [];

  record(entry: ServedRequest): void {
    this.entries.push(entry);
  }

  list(): readonly ServedRequest[] {
    return this.entries;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
