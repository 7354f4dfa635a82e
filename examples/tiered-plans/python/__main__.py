"""Tiered plans (examples/tiered-plans/index.ts) in Python, on the generated Python SDK (languages/python, made from
the package schema by `npm run gen:sdks`): Starter, Pro and Enterprise as version ranges of one application. A
customer's tier is one application license whose versions follow the tier, so moving a customer to another tier is
a one-word change (here also a stack config value: `acmeTier`). Ranges are resolved against the application's
versions on every run; "all" (Enterprise) is Distr's own all-versions grant."""

from typing import Dict, List, NamedTuple, Sequence, Union

import pulumi
import pulumi_distr as distr

APPLICATION = "hello-distr"

Versions = Union[str, Sequence[str], distr.VersionRangeArgs]

TIERS: Dict[str, Versions] = {
    "starter": distr.VersionRangeArgs(range=">=1.1.0 <2.0.0"),
    "pro": distr.VersionRangeArgs(range=">=2.0.0 <3.0.0"),
    "enterprise": "all",
}


class Customer(NamedTuple):
    key: str
    name: str
    tier: str
    expires_at: str


config = pulumi.Config()
acme_tier = config.get("acmeTier") or "pro"
if acme_tier not in TIERS:
    raise ValueError(f"acmeTier: {acme_tier!r} is not one of {', '.join(TIERS)}")

customers: List[Customer] = [
    Customer("initech", "Initech", "starter", "2027-01-31T00:00:00Z"),
    Customer("acme", "ACME Corp", acme_tier, "2027-06-30T00:00:00Z"),
    Customer("globex", "Globex Corporation", "enterprise", "2027-12-31T00:00:00Z"),
]

for customer in customers:
    created = distr.Customer(customer.key, name=customer.name)
    license = distr.ApplicationLicense(
        f"{customer.key}-{APPLICATION}",
        customer=created.id,
        application=APPLICATION,
        versions=TIERS[customer.tier],
        expires_at=customer.expires_at,
    )
    pulumi.export(f"license-{customer.key}", license.id)
    # What the tier resolved to: "all", or the range with the version names it matched on this run.
    pulumi.export(f"versions-{customer.key}", license.versions)
