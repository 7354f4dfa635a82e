/* global process, require, setInterval */
/**
 * Loaded with `NODE_OPTIONS=--require …` into every Node process of a benchmarked stack (scripts/bench-scale.ts
 * `--cpu-profile`): the Pulumi program and the dynamic provider processes. Node's own `--cpu-prof` writes its profile
 * at a clean exit only, and the engine kills provider processes, so this profiles through the inspector and writes
 * one slice a second: `<role>-<pid>-<seq>-<wall clock ms at its end>.cpuprofile` in PULUMI_DISTR_CPU_PROFILES.
 * The last slice before a kill (under a second) is lost.
 */
"use strict";
const directory = process.env.PULUMI_DISTR_CPU_PROFILES;
const script = process.argv[1] ?? "";
const role = script.includes("dynamic-provider") ? "provider" : script.includes("cmd/run") ? "program" : undefined;
if (directory && role) {
  const fs = require("node:fs");
  const path = require("node:path");
  const inspector = require("node:inspector");
  const session = new inspector.Session();
  session.connect();
  let sequence = 0;
  const start = () => session.post("Profiler.start");
  session.post("Profiler.enable", () => session.post("Profiler.setSamplingInterval", { interval: 1000 }, start));
  const save = () =>
    session.post("Profiler.stop", (error, result) => {
      if (!error && result) {
        const name = `${role}-${process.pid}-${String(sequence++).padStart(4, "0")}-${Date.now()}.cpuprofile`;
        fs.writeFileSync(path.join(directory, name), JSON.stringify(result.profile));
      }
      start();
    });
  setInterval(save, 1000).unref();
  process.on("exit", () => save());
}
