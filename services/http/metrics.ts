import type { Hono, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from './env.ts';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  count: number;
  sum: number;
  buckets: number[];
}

/** A Gauge read at scrape time. */
export type GaugeSource = () => Record<string, number> | Promise<Record<string, number>>;

/** Request counters and latency histograms in Prometheus text format, plus gauges read on scrape. */
export class Metrics {
  private readonly requests = new Map<string, Series>();
  private readonly gauges = new Map<string, { help: string; label: string; read: GaugeSource }>();

  constructor(private readonly service: string) {}

  /** Registers a gauge whose labelled values are read at scrape time. */
  gauge(name: string, help: string, label: string, read: GaugeSource): void {
    this.gauges.set(name, { help, label, read });
  }

  middleware(): MiddlewareHandler<AppEnv> {
    return async (c, next) => {
      const started = performance.now();
      await next();
      const seconds = (performance.now() - started) / 1000;
      const key = `method="${c.req.method}",route="${routePath(c, -1)}",status="${c.res.status}"`;
      let s = this.requests.get(key);
      if (!s) {
        s = { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
        this.requests.set(key, s);
      }
      s.count++;
      s.sum += seconds;
      for (const [i, b] of BUCKETS.entries()) if (seconds <= b) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
    };
  }

  async render(): Promise<string> {
    const svc = `service="${this.service}"`;
    const lines = ['# HELP http_requests_total Requests answered.', '# TYPE http_requests_total counter'];
    for (const [k, s] of this.requests) lines.push(`http_requests_total{${svc},${k}} ${s.count}`);
    lines.push(
      '# HELP http_request_duration_seconds Request latency.',
      '# TYPE http_request_duration_seconds histogram',
    );
    for (const [k, s] of this.requests) {
      for (const [i, b] of BUCKETS.entries()) {
        lines.push(`http_request_duration_seconds_bucket{${svc},${k},le="${b}"} ${s.buckets[i]}`);
      }
      lines.push(`http_request_duration_seconds_bucket{${svc},${k},le="+Inf"} ${s.count}`);
      lines.push(`http_request_duration_seconds_sum{${svc},${k}} ${s.sum.toFixed(6)}`);
      lines.push(`http_request_duration_seconds_count{${svc},${k}} ${s.count}`);
    }
    for (const [name, g] of this.gauges) {
      lines.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`);
      for (const [value, n] of Object.entries(await g.read())) lines.push(`${name}{${svc},${g.label}="${value}"} ${n}`);
    }
    const mem = process.memoryUsage();
    lines.push('# TYPE process_resident_memory_bytes gauge', `process_resident_memory_bytes{${svc}} ${mem.rss}`);
    return `${lines.join('\n')}\n`;
  }

  /** Mounts `GET /metrics`. */
  mount(app: Hono<AppEnv>): void {
    app.get('/metrics', async (c) => c.text(await this.render(), 200, { 'content-type': 'text/plain; version=0.0.4' }));
  }
}
