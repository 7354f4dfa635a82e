import { normalizeExpiry } from "../../provider/expiry";

describe("normalizeExpiry", () => {
  it.each([
    ["2027-06-30T00:00:00Z", "2027-06-30T00:00:00Z"],
    ["2027-06-30t00:00:00z", "2027-06-30T00:00:00Z"],
    ["2027-06-30T02:00:00+02:00", "2027-06-30T00:00:00Z"],
    ["2027-06-30T22:30:00-01:45", "2027-07-01T00:15:00Z"],
    ["2027-12-31T23:00:00-01:00", "2028-01-01T00:00:00Z"],
    ["2027-06-30T00:00:00.120000Z", "2027-06-30T00:00:00.12Z"],
    ["2027-06-30T00:00:00.1234567891Z", "2027-06-30T00:00:00.123456Z"],
    ["2027-06-30T00:00:00.000Z", "2027-06-30T00:00:00Z"],
    ["2028-02-29T12:00:00Z", "2028-02-29T12:00:00Z"],
  ])("converts %s to Distr's UTC form %s", (input, utc) => {
    expect(normalizeExpiry(input)).toEqual({ ok: true, utc });
  });

  it.each(["2027-06-30", "2027-06-30T00:00:00", "2027-06-30 00:00:00Z", "tomorrow", "2027-06-30T00:00Z"])(
    "refuses %s as not full RFC 3339, with an example",
    (input) => {
      expect(normalizeExpiry(input)).toEqual({
        ok: false,
        reason: `${JSON.stringify(input)} is not a full RFC 3339 timestamp; use a date, a time and a zone, like "2027-06-30T00:00:00Z"`,
      });
    },
  );

  it.each(["2027-02-29T00:00:00Z", "2027-13-01T00:00:00Z", "2027-04-31T00:00:00Z", "2027-06-30T24:00:00Z"])(
    "refuses the impossible date %s",
    (input) => {
      expect(normalizeExpiry(input)).toEqual({
        ok: false,
        reason: `${JSON.stringify(input)} is not a valid date and time; use a value like "2027-06-30T00:00:00Z"`,
      });
    },
  );
});
