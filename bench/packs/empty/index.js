// The floor for the pack benchmarks: a policy pack with no policies, in plain JavaScript, so it pays
// only for Node, @pulumi/policy and run-policy-pack (the same run-policy-pack our compiled pack uses).
"use strict";
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("bench-empty", { policies: [] });
