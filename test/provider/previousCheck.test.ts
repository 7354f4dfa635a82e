import { z } from "zod";
import { previousInputs, samePreviousReference, sameStaticSelection } from "../../provider/previousCheck";
import { UNKNOWN } from "../../provider/unknowns";

describe("what check keeps from the last run (previousCheck.ts)", () => {
  const schema = z.object({ name: z.string(), applicationId: z.string() });

  it("takes the earlier checked inputs only when they are complete", () => {
    const provider = { __provider: "exports.handler = …" };
    expect(previousInputs(schema, { ...provider, name: "acme-pro", applicationId: "a1" })).toEqual({
      name: "acme-pro",
      applicationId: "a1",
    });
    expect(previousInputs(schema, {})).toBeUndefined(); // a create: no earlier run
    expect(previousInputs(schema, { name: "acme-pro", applicationId: UNKNOWN })).toBeUndefined();
    expect(previousInputs(schema, { name: "acme-pro" })).toBeUndefined(); // state of another shape
  });

  it("keeps a reference that names the same object by its name or id", () => {
    const previous = { name: "hello-distr", id: "0abf592f-77e0-4343-837e-972e4b2c944c" };
    expect(samePreviousReference("hello-distr", previous)).toBe(true);
    expect(samePreviousReference(" hello-distr ", previous)).toBe(true);
    expect(samePreviousReference("0abf592f-77e0-4343-837e-972e4b2c944c", previous)).toBe(true);
    expect(samePreviousReference("hello-distr-2", previous)).toBe(false);
    expect(samePreviousReference("Hello-Distr", previous)).toBe(false);
    expect(samePreviousReference(UNKNOWN, previous)).toBe(false);
    expect(samePreviousReference("hello-distr", undefined)).toBe(false);
  });

  it("keeps a selection that names what it grants, in any order, never a range", () => {
    expect(sameStaticSelection("all", "all")).toBe(true);
    expect(sameStaticSelection(["2.1.0", "2.0.0", "2.1.0"], ["2.0.0", "2.1.0"])).toBe(true);
    expect(sameStaticSelection(["2.1.0"], ["2.0.0", "2.1.0"])).toBe(false);
    expect(sameStaticSelection("all", ["2.0.0"])).toBe(false);
    expect(sameStaticSelection(["2.0.0"], "all")).toBe(false);
    expect(sameStaticSelection(["2.0.0", UNKNOWN], ["2.0.0"])).toBe(false);
    const range = { range: "^2", includePrerelease: false };
    expect(sameStaticSelection(range, { ...range, matches: ["2.0.0"] })).toBe(false);
    expect(sameStaticSelection("all", undefined)).toBe(false);
  });
});
