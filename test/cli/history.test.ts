import { parseHistoryArguments, parseMoment } from "../../cli/history";

describe("pulumi-distr history arguments", () => {
  it("takes a stack, a customer, a moment, a format and a project directory", () => {
    expect(parseHistoryArguments(["--stack", "production"])).toEqual({ stack: "production", format: "markdown" });
    expect(
      parseHistoryArguments([
        "--stack",
        "production",
        "--customer",
        "ACME Corp",
        "--at",
        "2026-03-01",
        "--format",
        "json",
        "--cwd",
        "infra",
      ]),
    ).toEqual({
      stack: "production",
      customer: "ACME Corp",
      at: new Date("2026-03-01T00:00:00Z"),
      format: "json",
      cwd: "infra",
    });
    expect(parseHistoryArguments(["-h"])).toBeNull();
  });

  it("reads a date as that day's start in UTC and a time with its zone", () => {
    expect(parseMoment("2026-03-01").toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(parseMoment("2026-03-01T12:30:00+02:00").toISOString()).toBe("2026-03-01T10:30:00.000Z");
    expect(parseMoment("2026-03-01T12:30:00.250Z").toISOString()).toBe("2026-03-01T12:30:00.250Z");
  });

  it.each([
    [[], "--stack is required: the stack whose history to read, e.g. --stack production"],
    [["--stack", "p", "--format", "html"], '--format must be one of markdown, text, json, got "html"'],
    [
      ["--stack", "p", "--at", "March 1st"],
      '--at must be a date like 2026-03-01 or an RFC 3339 time with its zone like 2026-03-01T12:00:00Z, got "March 1st"',
    ],
    [["--stack", "p", "--at", "2026-03-01T12:00:00"], "an RFC 3339 time with its zone"],
    [["--stack", "p", "--at", "2026-02-30"], "--at must be a date like 2026-03-01"],
    [["--stack", "p", "extra"], 'unexpected argument "extra"'],
  ])("rejects %j: %s", (argv, message) => {
    expect(() => parseHistoryArguments(argv)).toThrow(message);
  });
});
