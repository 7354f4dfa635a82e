/** Two suites: fast unit/contract/provider tests, and the real-engine lifecycle suite. */
const transform = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", isolatedModules: true }] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      // Real HTTP to local Distr servers and real child processes: a loaded 2-core machine can take seconds per step.
      testTimeout: 30_000,
      transform,
      testMatch: ["<rootDir>/test/**/*.test.ts"],
      testPathIgnorePatterns: ["<rootDir>/test/engine/"],
    },
    {
      displayName: "engine",
      testEnvironment: "node",
      transform,
      testMatch: ["<rootDir>/test/engine/**/*.test.ts"],
    },
  ],
};
