import http from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/**
 * The virtual exam takers of the exam measure (exam.bench.ts). They run in a worker thread so
 * that generating the load does not share an event loop with the server being measured: the
 * app (or the bare server) keeps the main thread to itself, and both servers face the very same
 * generator.
 *
 * Each taker: waits a random moment of the ramp, starts an attempt (POST
 * /api/v1/assessments/:id/attempts), then `saves` times waits a random gap and autosaves one
 * response (PUT /api/v1/attempts/:id/responses/:questionId) — mostly the next unanswered
 * question, sometimes a change of mind on one already answered — then waits a gap and submits.
 * Every request goes through one keep-alive agent; every latency is kept, in milliseconds.
 */

export interface TakerPlan {
  port: number;
  assessmentId: string;
  tokens: string[];
  saves: number;
  /** Gap before each autosave and before the submit: uniform in [min, max] ms. */
  gapMs: [number, number];
  /** Each taker starts at a uniform moment of [0, rampMs]. */
  rampMs: number;
  seed: number;
}

export interface TakerOutcome {
  startMs: number[];
  saveMs: number[];
  /** When each autosave of saveMs was sent, in ms from the first taker's start. */
  saveAtMs: number[];
  /** When the last start was answered (after it, only autosaves and submits run). */
  lastStartMs: number;
  submitMs: number[];
  /** Attempt id → question id → the last response this client sent and had acknowledged. */
  lastSent: Record<string, Record<string, unknown>>;
  errors: string[];
  wallSeconds: number;
}

interface Item {
  questionId: string;
  kind: string;
  options: { key: string }[] | null;
}

const SHORT_ANSWERS = ['Đại hội công đoàn cơ sở', 'Ban chấp hành', 'Đoàn viên'].map((s) =>
  s.normalize('NFC'),
);

/** A small deterministic generator (mulberry32), so a plan replays the same answers. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A response of the item's kind in the shape the API takes (keys in option order). */
function answer(item: Item, rnd: () => number): unknown {
  const keys = (item.options ?? []).map((o) => o.key);
  switch (item.kind) {
    case 'single':
      return keys[Math.floor(rnd() * keys.length)];
    case 'multiple': {
      const chosen = keys.filter(() => rnd() < 0.5);
      return chosen.length ? [...chosen].sort() : [keys[0]];
    }
    case 'true_false':
      return rnd() < 0.5;
    case 'numeric':
      return Math.floor(rnd() * 6);
    case 'short_answer':
      return SHORT_ANSWERS[Math.floor(rnd() * SHORT_ANSWERS.length)];
    default:
      throw new Error(`the exam measure does not answer ${item.kind} questions`);
  }
}

async function run(plan: TakerPlan): Promise<TakerOutcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const out: TakerOutcome = {
    startMs: [],
    saveMs: [],
    saveAtMs: [],
    lastStartMs: 0,
    submitMs: [],
    lastSent: {},
    errors: [],
    wallSeconds: 0,
  };
  const began = process.hrtime.bigint();
  const sinceBegan = () => Number(process.hrtime.bigint() - began) / 1e6;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const send = (method: string, path: string, token: string, body?: unknown) =>
    new Promise<{ ms: number; status: number; json: unknown }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      const t0 = process.hrtime.bigint();
      const req = http.request(
        { host: '127.0.0.1', port: plan.port, path, method, headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const ms = Number(process.hrtime.bigint() - t0) / 1e6;
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : null;
            } catch {
              json = text;
            }
            resolve({ ms, status: res.statusCode ?? 0, json });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const gap = (rnd: () => number) => plan.gapMs[0] + rnd() * (plan.gapMs[1] - plan.gapMs[0]);

  const taker = async (token: string, i: number) => {
    const rnd = random(plan.seed * 100_003 + i);
    await sleep(rnd() * plan.rampMs);
    const started = await send('POST', `/api/v1/assessments/${plan.assessmentId}/attempts`, token);
    if (started.status !== 201) {
      out.errors.push(`start ${started.status} ${JSON.stringify(started.json)}`);
      return;
    }
    out.startMs.push(started.ms);
    out.lastStartMs = Math.max(out.lastStartMs, sinceBegan());
    const attempt = started.json as { id: string; items: Item[] };
    const sent: Record<string, unknown> = {};
    out.lastSent[attempt.id] = sent;
    const order = attempt.items.map((_, k) => k).sort(() => rnd() - 0.5);
    let next = 0;
    for (let s = 0; s < plan.saves; s += 1) {
      await sleep(gap(rnd));
      // Mostly the next question; one time in five a change of mind on an answered one.
      const k =
        next > 0 && (next >= order.length || rnd() < 0.2)
          ? order[Math.floor(rnd() * next)]
          : order[next++];
      const item = attempt.items[k];
      const response = answer(item, rnd);
      const sentAt = sinceBegan();
      const saved = await send(
        'PUT',
        `/api/v1/attempts/${attempt.id}/responses/${item.questionId}`,
        token,
        { response },
      );
      if (saved.status !== 200) {
        out.errors.push(`save ${saved.status} ${JSON.stringify(saved.json)}`);
        continue;
      }
      out.saveMs.push(saved.ms);
      out.saveAtMs.push(sentAt);
      sent[item.questionId] = response;
    }
    await sleep(gap(rnd));
    const submitted = await send('POST', `/api/v1/attempts/${attempt.id}/submit`, token);
    if (submitted.status !== 200) {
      out.errors.push(`submit ${submitted.status} ${JSON.stringify(submitted.json)}`);
      return;
    }
    out.submitMs.push(submitted.ms);
  };

  const t0 = process.hrtime.bigint();
  await Promise.all(
    plan.tokens.map((token, i) =>
      taker(token, i).catch((err: unknown) => {
        out.errors.push(`taker ${i}: ${String(err)}`);
      }),
    ),
  );
  out.wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  return out;
}

/** Runs the takers of `plan` in a worker thread and resolves with what they measured. */
export function runTakers(plan: TakerPlan): Promise<TakerOutcome> {
  // The worker loads this file through the same TypeScript hook as the bench (-r, inherited).
  const worker = new Worker(`require(${JSON.stringify(__filename)});`, {
    eval: true,
    workerData: plan,
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (outcome: TakerOutcome) => resolve(outcome));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`exam takers worker exited with ${code}`));
    });
  });
}

if (!isMainThread && parentPort && (workerData as TakerPlan | undefined)?.tokens) {
  const port = parentPort;
  void run(workerData as TakerPlan).then(
    (outcome) => port.postMessage(outcome),
    (err: unknown) => {
      throw err;
    },
  );
}
