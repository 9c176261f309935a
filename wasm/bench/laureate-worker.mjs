// A worker thread of peer.mjs: one Laureate module and one prepared Rulebook of its own.
// workerData is the rulebook; each message is an evaluate request as JSON text ({asOf, evidence}),
// answered with the answer envelope's JSON text (`Rulebook.evaluateJson`).
import { parentPort, workerData } from "node:worker_threads";
import { importLaureate } from "./common.mjs";

const laureate = await importLaureate();
const prepared = new laureate.Rulebook(workerData.rulebook);
parentPort.on("message", (request) => parentPort.postMessage(prepared.evaluateJson(request)));
parentPort.postMessage("ready");
