// The pack's entry: the engine runs this directory (`--policy-pack <it>`). The policies live in the package
// (pulumi-distr/policy, required by path so the pack works wherever the package is installed); "before" comes from
// the Distr of DISTR_HOST/DISTR_TOKEN, read-only. package.json carries the pack's version (the package's).
"use strict";
const { createLicensePolicyPack } = require("../dist/policy");

createLicensePolicyPack();
