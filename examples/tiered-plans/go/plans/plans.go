// Package plans is the tiered-plans example (examples/tiered-plans/index.ts) in Go, on the generated Go SDK
// (languages/go, made from the package schema by `npm run gen:sdks`): Starter, Pro and Enterprise as version ranges of
// one application. A customer's tier is one application license whose versions follow the tier, so moving a customer
// to another tier is a one-word change (here also a stack config value: `acmeTier`). Ranges are resolved against the
// application's versions on every run; "all" (Enterprise) is Distr's own all-versions grant.
package plans

import (
	"github.com/pulumi-distr/pulumi-distr/languages/go/distr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

const application = "hello-distr"

// tiers maps a tier to the versions its licenses grant: a range object, or the word "all".
var tiers = map[string]pulumi.Input{
	"starter":    distr.VersionRangeArgs{Range: pulumi.String(">=1.1.0 <2.0.0")},
	"pro":        distr.VersionRangeArgs{Range: pulumi.String(">=2.0.0 <3.0.0")},
	"enterprise": pulumi.String("all"),
}

type customer struct{ key, name, tier, expiresAt string }

// Program declares the customers and their licenses; pass it to pulumi.Run or to the Automation API.
func Program(ctx *pulumi.Context) error {
	acmeTier := config.Get(ctx, "acmeTier")
	if acmeTier == "" {
		acmeTier = "pro"
	}
	customers := []customer{
		{"initech", "Initech", "starter", "2027-01-31T00:00:00Z"},
		{"acme", "ACME Corp", acmeTier, "2027-06-30T00:00:00Z"},
		{"globex", "Globex Corporation", "enterprise", "2027-12-31T00:00:00Z"},
	}
	for _, c := range customers {
		versions, known := tiers[c.tier]
		if !known {
			return &unknownTierError{customer: c.key, tier: c.tier}
		}
		created, err := distr.NewCustomer(ctx, c.key, &distr.CustomerArgs{Name: pulumi.String(c.name)})
		if err != nil {
			return err
		}
		license, err := distr.NewApplicationLicense(ctx, c.key+"-"+application, &distr.ApplicationLicenseArgs{
			Customer:    created.ID(),
			Application: pulumi.String(application),
			Versions:    versions,
			ExpiresAt:   pulumi.String(c.expiresAt),
		})
		if err != nil {
			return err
		}
		ctx.Export("license-"+c.key, license.ID())
	}
	return nil
}

type unknownTierError struct{ customer, tier string }

func (e *unknownTierError) Error() string {
	return "customer " + e.customer + ": tier " + e.tier + " is not one of starter, pro, enterprise (set acmeTier to one of them)"
}
