/** Two suites: fast unit/contract/provider tests, and the real-engine lifecycle suite. */
const transform = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", isolatedModules: true }] };

/** @type {import('jest').Config} */
module.exports = {
  // Jest reads testTimeout from the global configuration only: the unit project's own value below was never applied
  // (its tests timed out at the default 5 s on a loaded machine). Engine tests set theirs with jest.setTimeout.
  testTimeout: 30_000,
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
