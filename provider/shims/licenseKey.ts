/**
 * The licenseKey provider shim as a module of its own, so that Pulumi's closure serializer captures it by reference: in
 * an installed package (under node_modules) `__provider` becomes `require("pulumi-distr/provider/shims/licenseKey")` and a
 * few hundred bytes, instead of the shim's code by value (see ../shim.ts).
 */
import { createProviderShim } from "../shim";

export = createProviderShim("licenseKey", require.resolve("../implementation"));
