/** Argument parsing of `pulumi-distr drift` and `pulumi-distr licenses`: what they take, and mistakes named. */
import { UsageError } from "../../cli/command";
import { parseDriftArguments } from "../../cli/drift";
import { parseLicensesArguments } from "../../cli/licenses";
import { COMMANDS } from "../../cli/main";

describe("pulumi-distr drift arguments", () => {
  it("takes repeated stacks (once each), a directory, a format, an output file and a moment", () => {
    expect(
      parseDriftArguments([
        "--stack",
        "production",
        "--stack=staging",
        "--stack",
        "production",
        "--cwd",
        "licenses",
        "--format",
        "json",
        "--out",
        "drift.json",
        "--now",
        "2027-01-01T00:00:00Z",
      ]),
    ).toEqual({
      stacks: ["production", "staging"],
      cwd: "licenses",
      format: "json",
      out: "drift.json",
      now: new Date("2027-01-01T00:00:00Z"),
    });
    expect(parseDriftArguments(["--stack", "production"])).toEqual({ stacks: ["production"], format: "markdown" });
    expect(parseDriftArguments(["--help"])).toBeNull();
  });

  it.each([
    [[], /--stack is required/],
    [["--stack", "p", "--format", "yaml"], /--format must be one of markdown, text, json, got "yaml"/],
    [["--stack", "p", "--now", "tomorrow"], /--now must be an RFC 3339 timestamp/],
    [["--stack", "p", "extra"], /unexpected argument "extra"/],
  ])("%j is a usage error", (argv, message) => {
    expect(() => parseDriftArguments(argv)).toThrow(UsageError);
    expect(() => parseDriftArguments(argv)).toThrow(message);
  });
});

describe("pulumi-distr licenses arguments", () => {
  it("reads Distr alone by default; stacks are optional", () => {
    expect(parseLicensesArguments([])).toEqual({ format: "markdown", stacks: [] });
    expect(
      parseLicensesArguments(["--format", "html", "--out", "licenses.html", "--expiring-within", "14", "--stack", "p"]),
    ).toEqual({ format: "html", out: "licenses.html", expiringWithin: 14, stacks: ["p"] });
  });

  it.each([
    [["--expiring-within", "-3"], /--expiring-within needs a value/],
    [["--expiring-within", "2.5"], /--expiring-within must be a whole number of days, e.g. 30, got "2.5"/],
    [["--format", "pdf"], /--format must be one of markdown, text, json, html, got "pdf"/],
    [["--cwd", "x"], /--cwd needs --stack/],
  ])("%j is a usage error", (argv, message) => {
    expect(() => parseLicensesArguments(argv)).toThrow(UsageError);
    expect(() => parseLicensesArguments(argv)).toThrow(message);
  });
});

it("the dispatcher lists both commands", () => {
  expect(COMMANDS.map((command) => command.name)).toEqual(expect.arrayContaining(["drift", "licenses"]));
});
