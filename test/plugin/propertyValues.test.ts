/**
 * The plugin's property bags: secrets come in marked and go out marked (at their path, else the whole top-level
 * property), the kind's fixed secrets are always marked, and the engine's unknown sentinel passes through as the
 * string the handlers know. Also how a handler's diff becomes the engine's detailed diff.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { engineDiff } from "../../plugin/detailedDiff";
import { fromStruct, resultSecretPaths, toStruct } from "../../plugin/propertyValues";
import { SECRET_PROPERTIES } from "../../provider/secretProperties";
import { UNKNOWN } from "../../provider/unknowns";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const secret = (value: unknown) => ({ [SIG]: SECRET, value });

describe("plugin property bags", () => {
  it("unwraps secrets for the handlers and remembers where they were", () => {
    const bag = fromStruct(
      Struct.fromJavaScript({
        name: "acme-pro",
        registry: { url: "https://r.example.com", username: "acme", password: secret("hunter2") },
        payload: secret({ seats: 10 }),
        customer: UNKNOWN,
      }),
    );
    expect(bag.values).toEqual({
      name: "acme-pro",
      registry: { url: "https://r.example.com", username: "acme", password: "hunter2" },
      payload: { seats: 10 },
      customer: UNKNOWN,
    });
    expect(bag.secretPaths).toEqual(expect.arrayContaining([["registry", "password"], ["payload"]]));
  });

  it("marks the kind's secrets and the inputs' secrets in results; a secret whose path is gone makes its property secret", () => {
    const result = {
      name: "acme-pro",
      registry: { url: "https://r.example.com", username: "acme" },
      registryPassword: "hunter2",
      payload: { seats: 10 },
    };
    const paths = resultSecretPaths(
      result,
      [
        ["registry", "password"],
        ["payload", "seats"],
      ],
      SECRET_PROPERTIES.applicationLicense,
    );
    const out = toStruct(result, paths).toJavaScript();
    expect(out).toEqual({
      name: "acme-pro",
      registry: { url: "https://r.example.com", username: "acme" },
      registryPassword: secret("hunter2"),
      payload: { seats: secret(10) },
    });
    const normalized = toStruct(
      { payload: { claims: { seats: 10 } } },
      resultSecretPaths({ payload: { claims: { seats: 10 } } }, [["payload", "seats"]], []),
    ).toJavaScript();
    expect(normalized).toEqual({ payload: secret({ claims: { seats: 10 } }) });
  });

  it("never sends undefined to protobuf", () => {
    expect(toStruct({ name: "acme", expiresAt: undefined }, []).toJavaScript()).toEqual({ name: "acme" });
  });
});

describe("detailed diff", () => {
  it("names the changed inputs, with replacements, and nothing when the handler sees no change", () => {
    const olds = { name: "acme-pro", application: "hello-distr", versions: ["2.1.0"] };
    const news = {
      name: "acme-pro",
      application: "hello-distr-helm",
      versions: "all",
      expiresAt: "2027-01-01T00:00:00Z",
    };
    expect(
      engineDiff({ changes: true, replaces: ["application"], deleteBeforeReplace: true }, olds, olds, news),
    ).toEqual({
      changes: "some",
      replaces: ["application"],
      deleteBeforeReplace: true,
      detailedDiff: { application: "update-replace", versions: "update", expiresAt: "add" },
    });
    expect(engineDiff({ changes: false }, olds, olds, news)).toEqual({
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
      detailedDiff: {},
    });
  });

  it("falls back to the outputs when the inputs are the same (drift, or a range that now matches more)", () => {
    const inputs = { versions: { range: "^2" } };
    const outputs = { versions: { range: "^2", matches: ["2.0.0"] } };
    expect(engineDiff({ changes: true }, inputs, outputs, inputs).detailedDiff).toEqual({ versions: "update" });
  });
});
