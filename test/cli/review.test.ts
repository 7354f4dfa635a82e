import { parseReviewArguments } from "../../cli/review";
import { RULE_NAMES } from "../../review/rules";

describe("pulumi-distr review arguments", () => {
  it("defaults: stdin, markdown, a 30-day window, report only, Distr look-ups on", () => {
    expect(parseReviewArguments([])).toEqual({
      input: { stdin: true },
      format: "markdown",
      expiryWindowDays: 30,
      failOn: [],
      distr: true,
    });
    expect(parseReviewArguments(["-"])?.input).toEqual({ stdin: true });
    expect(parseReviewArguments(["preview.json"])?.input).toEqual({ file: "preview.json" });
    expect(parseReviewArguments(["--stack", "prod", "--cwd", "infra"])?.input).toEqual({ stack: "prod", cwd: "infra" });
    expect(parseReviewArguments(["--help"])).toBeNull();
  });

  it("reads --fail-on as a comma list, repeatable, with all", () => {
    expect(
      parseReviewArguments(["--fail-on", "loses-access, replacement-gap", "--fail-on", "no-expiry"])?.failOn,
    ).toEqual(["loses-access", "replacement-gap", "no-expiry"]);
    expect(parseReviewArguments(["--fail-on", "all"])?.failOn).toEqual([...RULE_NAMES]);
  });

  it.each([
    [
      ["--fail-on", "loses-acess,widens"],
      'unknown rules "loses-acess", "widens"; the rules are loses-access, widens-to-all',
    ],
    [["--format", "html"], '--format must be one of markdown, text, json, got "html"'],
    [["--expiry-window", "-3"], "--expiry-window needs a value"],
    [["--expiry-window", "ten"], '--expiry-window must be a whole number of days, got "ten"'],
    [["--now", "tomorrow"], '--now must be an RFC 3339 timestamp like 2027-01-01T00:00:00Z, got "tomorrow"'],
    [["preview.json", "--stack", "prod"], "give either a FILE (or - for stdin) or --stack, not both"],
    [["--cwd", "infra"], "--cwd needs --stack"],
    [["a.json", "b.json"], 'unexpected argument "b.json"'],
  ])("rejects %j: %s", (argv, message) => {
    expect(() => parseReviewArguments(argv)).toThrow(message);
  });
});
