/**
 * pulumi-distr: Distr license management as code. Customers, application licenses (entitlements on Distr 3.x) and
 * artifact licenses as Pulumi resources.
 *
 * ```ts
 * import * as distr from "pulumi-distr";
 * const acme = new distr.Customer("acme", { name: "ACME Corp" });
 * new distr.ApplicationLicense("acme-pro", { customer: acme.id, application: "hello-distr", versions: { range: "^2" } });
 * ```
 *
 * The provider finds Distr through stack configuration (`distr:host`, `distr:token` as a secret) or the
 * `DISTR_HOST` / `DISTR_TOKEN` environment variables: see `DistrProviderConfig`.
 */
import "./sdk/requireSupportedNode";
export * from "./provider/index";
