/**
 * The scale benchmark's engine floor (scripts/bench-scale.ts): the same resources as the Distr program, with the
 * same dependencies, as dynamic resources whose provider does nothing. What the engine alone costs per operation.
 */
import * as pulumi from "@pulumi/pulumi";

const provider: pulumi.dynamic.ResourceProvider = {
  check: async (_olds, news) => ({ inputs: news }),
  diff: async (_id, olds, news) => ({ changes: olds["expiresAt"] !== news["expiresAt"] }),
  create: async (inputs) => ({ id: String(inputs["name"]), outs: inputs }),
  read: async (id, props) => ({ id, props }),
  update: async (_id, _olds, news) => ({ outs: news }),
  delete: async () => {},
};

class Nothing extends pulumi.dynamic.Resource {
  constructor(name: string, props: Record<string, pulumi.Input<string>>) {
    super(provider, name, props, undefined, "bench", "Nothing");
  }
}

const config = new pulumi.Config("bench");
const expiresAt = config.require("expiresAt");
for (let c = 0; c < config.requireNumber("customers"); c++) {
  const customer = new Nothing(`customer-${c}`, { name: `customer-${c}` });
  const licenses = config.requireNumber("applicationLicenses") + config.requireNumber("artifactLicenses");
  for (let a = 0; a < licenses; a++) {
    new Nothing(`customer-${c}-license-${a}`, { name: `customer-${c}-license-${a}`, customer: customer.id, expiresAt });
  }
}
