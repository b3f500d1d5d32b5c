/** The three NGC endpoints the emulator serves. */
export type NgcRoute = 'catalog' | 'details' | 'key-validation';

/** What the emulator does instead of (or before) answering normally. */
export type NgcFault =
  /** Waits, then answers (or applies the next matching fault). */
  | { type: 'latency'; ms: number }
  /** Waits a uniform random time in `[minMs, maxMs]`, then answers. */
  | { type: 'latency'; minMs: number; maxMs: number }
  /** Answers this status; `retryAfter` (seconds or an HTTP-date) sets `Retry-After`. */
  | { type: 'status'; status: number; retryAfter?: number | string }
  /** Never answers, until `stop()`. */
  | { type: 'hang' }
  /** 200 with a body that is not JSON (an HTML proxy page). */
  | { type: 'malformed-json' }
  /** 200 declaring the full `Content-Length`, sending half the body, then closing. */
  | { type: 'truncated-json' };

/** When a fault applies. */
export interface NgcFaultRule {
  fault: NgcFault;
  /** Only this endpoint. Default: all. */
  route?: NgcRoute;
  /** Only details of this model (name or `org/team/name`). Default: all models. */
  model?: string;
  /** Only the next N matching requests. Default: every one. */
  times?: number;
}

/** The request attributes a rule matches on. */
export interface FaultTarget {
  route: NgcRoute;
  resourceId?: string;
  name?: string;
}

/** The faults picked for one request. */
export interface FaultPlan {
  /** Total wait before answering. */
  delayMs: number;
  /** The fault that replaces the normal answer, if any. */
  fault: Exclude<NgcFault, { type: 'latency' }> | undefined;
}

interface ActiveRule {
  rule: NgcFaultRule;
  remaining: number;
}

/**
 * Ordered fault rules with remaining counts. For each request, every matching latency rule adds
 * its delay and the first matching other rule replaces the answer; each rule applied uses up one
 * of its `times`.
 */
export class FaultBook {
  private rules: ActiveRule[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  /** Replaces all rules (and their counts). */
  set(rules: readonly NgcFaultRule[]): void {
    this.rules = rules.map((rule) => ({ rule, remaining: rule.times ?? Infinity }));
  }

  /** Appends one rule. */
  add(rule: NgcFaultRule): void {
    this.rules.push({ rule, remaining: rule.times ?? Infinity });
  }

  /** Rules that can still fire, with their remaining counts. */
  pending(): { rule: NgcFaultRule; remaining: number }[] {
    return this.rules.filter((active) => active.remaining > 0).map((active) => ({ ...active }));
  }

  /** Picks (and uses up) the faults for a request. */
  take(target: FaultTarget): FaultPlan {
    let delayMs = 0;
    let fault: FaultPlan['fault'];
    for (const active of this.rules) {
      if (active.remaining <= 0 || !matches(active.rule, target)) continue;
      const candidate = active.rule.fault;
      if (candidate.type === 'latency') {
        delayMs += 'ms' in candidate ? candidate.ms : randomBetween(candidate, this.random);
      } else if (fault === undefined) {
        fault = candidate;
      } else {
        continue;
      }
      active.remaining -= 1;
    }
    return { delayMs, fault };
  }
}

function matches(rule: NgcFaultRule, target: FaultTarget): boolean {
  if (rule.route !== undefined && rule.route !== target.route) return false;
  if (rule.model === undefined) return true;
  return rule.model === target.resourceId || rule.model === target.name;
}

function randomBetween(range: { minMs: number; maxMs: number }, random: () => number): number {
  return range.minMs + Math.floor(random() * (range.maxMs - range.minMs + 1));
}
