// What the service has done, for a Prometheus scraper (text exposition format 0.0.4): decisions by
// institution, question and outcome, the problems decision requests met, how long deciding takes,
// and the state of what can back up (database, decision log, simulations). Counting a decision is
// a Map lookup and an add: nothing on the hot path waits.
import { API_VERSION } from './openapi.ts';

/** Upper bounds (seconds) of the decision-time buckets: 50 µs … 10 ms. */
const BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01];

/** A label value as the format wants it: backslash, quote and newline escaped. */
function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(names: readonly string[], values: readonly string[]): string {
  return names.map((n, i) => `${n}="${esc(values[i] ?? '')}"`).join(',');
}

/** A counter by a fixed list of labels. */
class Counter {
  private readonly values = new Map<string, { labels: string[]; n: number }>();
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];

  constructor(name: string, help: string, labelNames: readonly string[]) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }

  inc(...labelValues: string[]): void {
    const key = labelValues.join('\0');
    const hit = this.values.get(key);
    if (hit) hit.n++;
    else this.values.set(key, { labels: labelValues, n: 1 });
  }

  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels: l, n } of this.values.values()) out.push(`${this.name}{${labels(this.labelNames, l)}} ${n}`);
    return out;
  }
}

/** A histogram of durations in seconds, by question. */
class Histogram {
  private readonly byQuestion = new Map<string, { counts: number[]; sum: number; count: number }>();
  readonly name: string;
  readonly help: string;

  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }

  observe(question: string, seconds: number): void {
    let h = this.byQuestion.get(question);
    if (!h) this.byQuestion.set(question, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.counts[i]!++;
    h.sum += seconds;
    h.count++;
  }

  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [q, h] of this.byQuestion) {
      const l = `question="${esc(q)}"`;
      BUCKETS.forEach((le, i) => out.push(`${this.name}_bucket{${l},le="${le}"} ${h.counts[i]}`));
      out.push(`${this.name}_bucket{${l},le="+Inf"} ${h.count}`, `${this.name}_sum{${l}} ${h.sum}`, `${this.name}_count{${l}} ${h.count}`);
    }
    return out;
  }
}

/** Values read at scrape time. */
export interface Gauges {
  databaseUp: boolean;
  decisionLogWaiting: number;
  /** Since the start: a counter, though read at scrape time. */
  decisionLogDropped: number;
  policyVersionsLoaded: number;
  simulationsRunning: number;
}

export class Metrics {
  readonly decisions = new Counter('regula_decisions_total', 'Decisions answered, by institution, question and outcome.', ['institution', 'question', 'outcome']);
  readonly problems = new Counter('regula_decision_problems_total', 'Decision requests answered with a problem instead, by question and problem type.', ['question', 'type']);
  readonly seconds = new Histogram('regula_decision_seconds', 'Time to decide one request (facts checked, rules run; not the HTTP around it), by question.');
  private readonly startedAt = Date.now();

  /** The exposition text: counters, the histogram, the gauges and the process. */
  render(g: Gauges): string {
    const gauge = (name: string, help: string, value: number) => [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`];
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    return [
      `# HELP regula_build_info The running version.`,
      `# TYPE regula_build_info gauge`,
      `regula_build_info{version="${esc(API_VERSION)}",node="${esc(process.version)}"} 1`,
      ...this.decisions.render(),
      ...this.problems.render(),
      ...this.seconds.render(),
      ...gauge('regula_database_up', 'Whether the database answered at this scrape (1) or not (0).', g.databaseUp ? 1 : 0),
      ...gauge('regula_decision_log_waiting', 'Logged decisions waiting in memory to be written.', g.decisionLogWaiting),
      `# HELP regula_decision_log_dropped_total Decisions not logged because too many waited.`,
      `# TYPE regula_decision_log_dropped_total counter`,
      `regula_decision_log_dropped_total ${g.decisionLogDropped}`,
      ...gauge('regula_policy_versions_loaded', 'Compiled policy versions held in memory.', g.policyVersionsLoaded),
      ...gauge('regula_simulations_running', 'Simulations running on this instance.', g.simulationsRunning),
      ...gauge('process_start_time_seconds', 'When the process started (Unix time).', Math.round(this.startedAt / 1000)),
      ...gauge('process_resident_memory_bytes', 'Resident memory.', mem.rss),
      ...gauge('nodejs_heap_used_bytes', 'V8 heap in use.', mem.heapUsed),
      `# HELP process_cpu_seconds_total CPU time used, user and system.`,
      `# TYPE process_cpu_seconds_total counter`,
      `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
      '',
    ].join('\n');
  }
}
