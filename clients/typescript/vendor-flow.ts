// The vendor flow with a TypeScript client generated from docs/openapi.json.
//
// An example for case-system vendors, run in the register's CI against a running register:
//
//   npx openapi-typescript ../docs/openapi.json -o typescript/nir-api.d.ts
//   npx tsc -p typescript && node build/vendor-flow.js BASE_URL TOKEN
//
// Every step is what a case system does: who am I, a dry run, a batch with an
// Idempotency-Key and its retry, a read with the frist's derivation, an update with If-Match,
// a stale update handled as a typed problem, a registration cancelled as a correction, a
// termination registered and undone as a correction, the change feed, the coming deadlines,
// IMDi's late-registration grants and the reconciliation list to the end. The identity
// numbers are synthetic (month + 80).
import createClient from "openapi-fetch";
import type { components, paths } from "./nir-api.js";

// Node's own, declared here so the flow needs no type package beyond the generated ones.
declare const process: { argv: string[] };

type RecordIn = components["schemas"]["RecordIn"];
type Problem = components["schemas"]["Problem"];

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(what);
}

function syntheticIdentityNumber(individual: number): string {
  // 17.05.1990, month + 80: a synthetic fødselsnummer with valid check digits.
  for (let n = individual; n < individual + 500; n++) {
    const digits = `1785${"90"}${String(n % 500).padStart(3, "0")}`.split("").map(Number);
    const sum = (weights: number[], values: number[]) =>
      weights.reduce((total, w, i) => total + w * (values[i] ?? 0), 0);
    let k1 = 11 - (sum([3, 7, 6, 1, 8, 9, 4, 5, 2], digits) % 11);
    if (k1 === 11) k1 = 0;
    let k2 = 11 - (sum([5, 4, 3, 2, 7, 6, 5, 4, 3, 2], [...digits, k1]) % 11);
    if (k2 === 11) k2 = 0;
    if (k1 < 10 && k2 < 10) return [...digits, k1, k2].join("");
  }
  throw new Error("no synthetic number");
}

function record(caseId: string, identityNumber: string, start: string): RecordIn {
  return {
    case_id: caseId,
    person: {
      identity_number: identityNumber,
      given_name: "Amina",
      family_name: "Testesen",
      birth_date: "1990-05-17",
      permit_type: "flyktning",
      permit_date: "2024-01-10",
      has_upper_secondary: true,
    },
    start_date: start,
    sluttmaal: [{ sluttmaal: "arbeid", valid_from: start }],
    decisions: [{ decision_type: "innvilget", decided_on: start }],
    measures: [{ measure_type: "norskopplaering", start_date: start, hours_per_week: 15 }],
  };
}

async function allPages<T>(
  fetchPage: (cursor: string) => Promise<{ items: T[]; next_cursor: string; has_more: boolean }>,
): Promise<T[]> {
  // Pages until has_more is false: never an empty last page.
  const items: T[] = [];
  let cursor = "0";
  for (let more = true; more; ) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.next_cursor;
    more = page.has_more;
  }
  return items;
}

async function main(baseUrl: string, token: string): Promise<void> {
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
  const runId = Math.random().toString(36).slice(2, 10);
  const start = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
  const first = record(`VT-${runId}-1`, syntheticIdentityNumber(120), start);
  const second = record(`VT-${runId}-2`, syntheticIdentityNumber(320), start);

  const me = await api.GET("/api/v1/me");
  check(me.data !== undefined, "me");
  console.log(`me: ${me.data.name} for ${me.data.kommune} ${me.data.kommune_name} (${me.data.method})`);

  const dry = await api.POST("/api/v1/batch/participations", {
    params: { query: { dry_run: true } },
    body: { records: [first] },
  });
  check(dry.data?.results[0]?.outcome === "created", "dry run says created");
  const gone = await api.GET("/api/v1/participations/{case_id}", {
    params: { path: { case_id: first.case_id } },
  });
  check(gone.response.status === 404 && gone.error?.status === 404, "a dry run writes nothing");
  console.log("dry run: «created», nothing written");

  const key = crypto.randomUUID();
  const batch = { records: [first, second] };
  const written = await api.POST("/api/v1/batch/participations", {
    params: { header: { "Idempotency-Key": key } },
    body: batch,
  });
  check(written.data !== undefined, "batch");
  check(written.data.summary.created === 2, "both created");
  const replay = await api.POST("/api/v1/batch/participations", {
    params: { header: { "Idempotency-Key": key } },
    body: batch,
  });
  check(replay.response.headers.get("Idempotent-Replayed") === "true", "the retry is a replay");
  check(JSON.stringify(replay.data) === JSON.stringify(written.data), "the first reply again");
  const hashes = new Map(written.data.results.map((r) => [r.case_id, r.content_hash]));
  console.log(`batch: ${written.data.summary.created} created; the retry got the first reply`);

  const read = await api.GET("/api/v1/participations/{case_id}", {
    params: { path: { case_id: first.case_id } },
  });
  check(read.data !== undefined, "read");
  const etag = read.response.headers.get("ETag");
  check(etag === `"${read.data.version}"`, "the ETag is the version");
  console.log(`read: frist ${read.data.frist} (${read.data.frist_derivation.rule_reference})`);
  for (const line of read.data.frist_derivation.explanation) console.log(`      ${line}`);

  const changed = await api.PUT("/api/v1/participations/{case_id}", {
    params: { path: { case_id: first.case_id }, header: { "If-Match": etag } },
    body: { ...first, person: { ...first.person, given_name: "Amira" } },
  });
  check(changed.data?.outcome === "updated", "update with If-Match");
  hashes.set(first.case_id, changed.data.content_hash);
  console.log(`update with If-Match ${etag}: version ${changed.data.version}`);

  const stale = await api.PUT("/api/v1/participations/{case_id}", {
    params: { path: { case_id: first.case_id }, header: { "If-Match": etag } },
    body: first,
  });
  const problem: Problem | undefined = stale.error;
  check(stale.response.status === 412 && problem !== undefined, "stale update: 412");
  check(problem.errors[0]?.code === "version.stale", "version.stale");
  console.log(`stale If-Match ${etag}: 412 ${problem.errors[0].code}, nothing written`);

  // A termination registered in error: undone with the web's correction, under If-Match.
  const today = new Date().toISOString().slice(0, 10);
  const changedTag = changed.response.headers.get("ETag");
  check(changedTag !== null, "the updated participant's ETag");
  const ended = await api.PUT("/api/v1/participations/{case_id}", {
    params: { path: { case_id: first.case_id }, header: { "If-Match": changedTag } },
    body: {
      ...first,
      person: { ...first.person, given_name: "Amira" },
      termination: { end_date: today, reason: "arbeid" },
    },
  });
  check(ended.data?.outcome === "updated", "register the termination");
  const endedTag = ended.response.headers.get("ETag");
  check(endedTag !== null, "the ended participant's ETag");
  const undone = await api.POST("/api/v1/corrections/undo-termination", {
    params: { header: { "If-Match": endedTag, "Idempotency-Key": crypto.randomUUID() } },
    body: { case_id: first.case_id, reason: "Avsluttet ved en feil" },
  });
  check(undone.data?.outcome === "termination_undone", "undo a termination");
  check(undone.data.status === "active" && undone.data.end_date === null, "active again");
  hashes.set(first.case_id, undone.data.content_hash);
  console.log(
    `undid the termination of ${first.case_id}: ${undone.data.status}, version ${undone.data.version}`,
  );

  // A measure registered in error: cancelled with the web's correction, under If-Match.
  const before = await api.GET("/api/v1/participations/{case_id}", {
    params: { path: { case_id: second.case_id } },
  });
  const current = before.response.headers.get("ETag");
  const measure = second.measures?.[0];
  check(current !== null && measure !== undefined, "the second participant's ETag and measure");
  const cancelled = await api.POST("/api/v1/corrections/cancel-registration", {
    params: { header: { "If-Match": current, "Idempotency-Key": crypto.randomUUID() } },
    body: {
      case_id: second.case_id,
      registration: { entity: "measure", ...measure },
      reason: "Registrert ved en feil",
    },
  });
  check(cancelled.data?.outcome === "cancelled", "cancel a registration");
  hashes.set(second.case_id, cancelled.data.content_hash);
  console.log(`cancelled the measure of ${second.case_id}: version ${cancelled.data.version}`);

  const feed = await allPages(async (after) => {
    const page = await api.GET("/api/v1/changes", { params: { query: { after, limit: 50 } } });
    check(page.data !== undefined, "feed");
    return page.data;
  });
  const feedCases = new Set(feed.map((e) => e.case_id));
  check(feedCases.has(first.case_id) && feedCases.has(second.case_id), "ours in the feed");
  console.log(`feed: ${feedCases.size} case ids, ours among them`);

  const coming = await allPages(async (after) => {
    const page = await api.GET("/api/v1/deadlines", {
      params: { query: { within_days: 366, after, limit: 1 } },
    });
    check(page.data !== undefined, "deadlines");
    return page.data;
  });
  check(coming.some((d) => d.case_id === second.case_id), "our frist is coming");
  console.log(`deadlines: ${coming.length} frister within a year, a page at a time`);

  const grants = await allPages(async (after) => {
    const page = await api.GET("/api/v1/grants", { params: { query: { after, limit: 1 } } });
    check(page.data !== undefined, "grants");
    return page.data;
  });
  const active = grants.filter((g) => g.status === "active").length;
  console.log(`grants: ${grants.length} from IMDi (${active} active), a page at a time`);

  const listed = await allPages(async (after) => {
    const page = await api.GET("/api/v1/reconciliation", { params: { query: { after, limit: 1 } } });
    check(page.data !== undefined, "reconciliation");
    return page.data;
  });
  const byCase = new Map(listed.map((i) => [i.case_id, i.content_hash]));
  for (const [caseId, hash] of hashes) check(byCase.get(caseId) === hash, `hash of ${caseId}`);
  console.log(`reconciliation: ${listed.length} participants, the hashes match the writes`);
  console.log("vendor flow: OK");
}

const [baseUrl, token] = process.argv.slice(2);
if (baseUrl === undefined || token === undefined) throw new Error("usage: BASE_URL TOKEN");
await main(baseUrl, token);
