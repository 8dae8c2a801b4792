/**
 * A thread of the member import's matching pool: builds the matcher once
 * from the register entries it is given, then matches the lists of strings
 * it is sent. The matcher is pure, so a thread gives the same answer as the
 * main thread would.
 */
import { parentPort, workerData } from "node:worker_threads";
import {
  buildMatchIndex,
  type MatchQuery,
  matchOrganisation,
  type RegisterEntry,
} from "../matching/index.js";
import { compactMatch } from "./member-import-match.js";

const index = buildMatchIndex(workerData.entries as RegisterEntry[]);
parentPort!.on("message", (m: { id: number; queries: MatchQuery[] }) => {
  parentPort!.postMessage({
    id: m.id,
    results: m.queries.map((q) => compactMatch(matchOrganisation(index, q))),
  });
});
parentPort!.postMessage({ ready: true });
